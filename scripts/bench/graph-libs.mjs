// uPlot against the graphs' own canvas layer (src/ui/features/graphs/plot.ts) on a million
// points in Debian's Chromium (issue 13): the time of the first draw (building the chart and
// drawing it) and of each redraw while zooming in to 1/1000 of the range, panning, and zooming
// out again. Both draw into a 1200×500 canvas at devicePixelRatio 1; uPlot's redraw is timed
// until its batched commit has run (a microtask after setScale), the canvas layer's is the
// synchronous draw(). Median of RUNS runs (fresh page each).
//   node scripts/bench/graph-libs.mjs [POINTS=1000000] [RUNS=3]
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const n = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const out = await build({
  entryPoints: [`${root}scripts/bench/graph-libs-entry.ts`],
  bundle: true,
  format: 'iife',
  write: false,
  minify: true,
  target: 'es2022',
  logLevel: 'silent',
});
const code = out.outputFiles[0].text;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const max = (a) => Math.max(...a);
const rows = [];
for (const lib of ['uplot-line', 'uplot-points', 'canvas-line', 'canvas-points', 'canvas-vbars']) {
  const firsts = [];
  const redraws = [];
  for (let r = 0; r < runs; r++) {
    const page = await browser.newPage({ viewport: { width: 1300, height: 700 }, deviceScaleFactor: 1 });
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: code });
    const res = await page.evaluate(([l, k]) => window.graphBench(l, k), [lib, n]);
    firsts.push(res.first);
    redraws.push(...res.redraw);
    await page.close();
  }
  rows.push({ lib, first: med(firsts), redrawMed: med(redraws), redrawMax: max(redraws) });
}
await browser.close();
console.log(`graph libraries, ${n.toLocaleString('en-US')} points, ${runs} runs, Chromium --disable-gpu (software canvas)`);
for (const r of rows)
  console.log(`  ${r.lib.padEnd(14)} first draw ${r.first.toFixed(1).padStart(7)} ms   redraw on zoom/pan median ${r.redrawMed.toFixed(2).padStart(6)} ms, max ${r.redrawMax.toFixed(1).padStart(6)} ms`);
