// Bundles the CLI (src/cli/main.ts + the engine) into dist-cli/seqscope.mjs with esbuild.
import { build } from 'esbuild';
await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'dist-cli/seqscope.mjs',
  sourcemap: true,
  logLevel: 'warning',
});
