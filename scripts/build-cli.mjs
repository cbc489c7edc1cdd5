// Bundles the CLI (src/cli/main.ts + the engine) into dist-cli/seqscope.mjs with esbuild.
import { readFileSync } from 'node:fs';
let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  // `npm install --omit=dev` (or a registry install) has no esbuild: keep the install working.
  console.warn('build-cli: esbuild is not installed (dev dependencies omitted); the CLI was not built.');
  process.exit(0);
}
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
await build({
  define: { __SEQSCOPE_VERSION__: JSON.stringify(version) },
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'dist-cli/seqscope.mjs',
  sourcemap: true,
  logLevel: 'warning',
});
