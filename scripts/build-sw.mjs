// Post-build step: writes DIR/sw.js (default dist/) from src/sw/sw.ts with the precache list
// (every file of the build, paths relative to the worker; index.html as './') and a version
// that is a hash of those files' contents. Run after `vite build` (npm run build:app).
//
//   node scripts/build-sw.mjs [DIR]
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dir = resolve(process.argv[2] ?? join(ROOT, 'dist'));

/** Files the worker itself or nobody needs offline. */
const SKIP = (rel) => rel === 'sw.js' || rel.endsWith('.map') || rel.split('/').some((s) => s.startsWith('.'));

function walk(d) {
  const out = [];
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

const files = walk(dir)
  .map((p) => ({ p, rel: relative(dir, p).split(sep).join('/') }))
  .filter((f) => !SKIP(f.rel));
if (!files.some((f) => f.rel === 'index.html')) {
  console.error(`build-sw: ${dir}/index.html not found — run vite build first`);
  process.exit(1);
}

const all = createHash('sha256');
let bytes = 0;
const precache = [];
for (const f of files) {
  const data = readFileSync(f.p);
  bytes += data.length;
  all.update(f.rel).update('\0').update(createHash('sha256').update(data).digest()).update('\0');
  precache.push(f.rel === 'index.html' ? './' : `./${f.rel.split('/').map(encodeURIComponent).join('/')}`);
}
const version = all.digest('hex').slice(0, 16);

await build({
  entryPoints: [join(ROOT, 'src/sw/sw.ts')],
  bundle: true,
  format: 'iife',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  define: { PRECACHE: JSON.stringify(precache), VERSION: JSON.stringify(version) },
  outfile: join(dir, 'sw.js'),
  logLevel: 'warning',
});
console.log(`build-sw: ${relative(process.cwd(), join(dir, 'sw.js')) || 'sw.js'} — version ${version}, ${precache.length} files (${(bytes / 1024).toFixed(1)} KiB) precached`);
