#!/usr/bin/env node
// Entry point of the `seqscope` command: runs the bundled CLI (built by `npm run build:cli`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const bundle = fileURLToPath(new URL('../dist-cli/seqscope.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('seqscope: the CLI is not built yet; run `npm run build:cli` first.\n');
  process.exit(2);
}
await import(bundle);
