// Shared by the Node benchmarks: command-line options, and the engine bundled for Node with
// just the exports a benchmark needs (esbuild, into bench-out/).
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The command line: `file` (the first word that is no option nor an option's value) and opt(name, default). */
export function benchArgs(valued = ['--runs', '--json']) {
  const args = process.argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && !valued.includes(args[i - 1] ?? ''));
  const opt = (name, def) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : def;
  };
  return { args, file, opt };
}

/** Bundle `contents` (TypeScript export lines, resolved from the repository) as bench-out/NAME-lib.mjs and import it. */
export async function bundleEngine(name, contents) {
  const outDir = path.join(root, 'bench-out');
  mkdirSync(outDir, { recursive: true });
  const lib = path.join(outDir, `${name}-lib.mjs`);
  await build({ stdin: { contents, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'neutral', format: 'esm', target: 'node20', outfile: lib, logLevel: 'warning' });
  return import(pathToFileURL(lib).href);
}
