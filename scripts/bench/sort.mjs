// Sort benchmark (issue 10: "a sorted view of 10 M frames is ready within 1 s"): loads a capture
// once, then times the worker's sortFrames (src/worker/sort.ts) for every packet-list column,
// ascending and descending, over every frame. Each column's first sort is reported apart (text
// keys are computed then and cached), then the minimum of --runs more (wall and CPU time: the
// machine is shared, the minimum and CPU are the fair figures). The load average is printed.
// As the web app does when idle after the load, the side index of the frames outside tracked TCP
// (their Protocol and Info) is built first (prepareSorts) and its cost printed apart; --cold
// leaves it to the first Protocol or Info sort.
//
//   node scripts/bench/sort.mjs FILE [--runs N] [--columns a,b] [--json OUT.json] [--cold]
//   node scripts/bench/sort.mjs --ten-million [...]   (bench-out/ten-million.pcap, written if missing)
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { benchArgs, bundleEngine, root } from './bundle.mjs';
import { tenMillionCapture } from './ten-million.mjs';

const { args, file: named, opt } = benchArgs(['--runs', '--json', '--columns']);
const file = args.includes('--ten-million') ? tenMillionCapture(path.join(root, 'bench-out')) : named;
const runs = Number(opt('--runs', '3'));
const jsonOut = opt('--json', undefined);
if (!file) {
  process.stderr.write('usage: node scripts/bench/sort.mjs FILE|--ten-million [--runs N] [--columns a,b] [--json OUT.json]\n');
  process.exit(2);
}
const { CaptureSession, MemorySource, sortFrames, prepareSorts, SORT_COLUMNS } = await bundleEngine(
  'sort',
  "export { CaptureSession, MemorySource } from './src/engine/index';\nexport { sortFrames, prepareSorts, SORT_COLUMNS } from './src/worker/sort';\n",
);
const columns = opt('--columns', undefined)?.split(',') ?? SORT_COLUMNS;

const bytes = new Uint8Array(readFileSync(file));
const s = new CaptureSession(new MemorySource(bytes, path.basename(file)));
const t0 = process.hrtime.bigint();
await s.load();
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
const n = s.frameCount;
const all = new Uint32Array(n);
for (let i = 0; i < n; i++) all[i] = i + 1;

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`sorts of ${path.basename(file)}: ${n.toLocaleString('en-US')} frames, load ${loadMs.toFixed(0)} ms; load average ${load()}`);
let prepared;
if (!args.includes('--cold')) {
  const t = process.hrtime.bigint();
  const u = process.cpuUsage();
  await prepareSorts(s);
  const du = process.cpuUsage(u);
  prepared = { ms: Number(process.hrtime.bigint() - t) / 1e6, cpu: (du.user + du.system) / 1000 };
  console.log(`side index built ahead (idle after the load, prepareSorts): ${prepared.ms.toFixed(0)} ms (CPU ${prepared.cpu.toFixed(0)} ms); load average ${load()}`);
} else console.log('--cold: the first Protocol or Info sort builds the side index');
console.log('column        first ms (CPU)      min ms asc (CPU)   min ms desc (CPU)   ms/10M frames (min CPU)');

async function timed(col, desc) {
  const t = process.hrtime.bigint();
  const u = process.cpuUsage();
  const out = await sortFrames(s, all, col, desc);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const du = process.cpuUsage(u);
  if (!out || out.length !== n) throw new Error(`${col}: no result`);
  return { ms, cpu: (du.user + du.system) / 1000 };
}

const rows = [];
for (const col of columns) {
  const first = await timed(col, false);
  const best = { asc: { ms: Infinity, cpu: Infinity }, desc: { ms: Infinity, cpu: Infinity } };
  for (let r = 0; r < runs; r++) {
    for (const dir of ['asc', 'desc']) {
      const x = await timed(col, dir === 'desc');
      best[dir].ms = Math.min(best[dir].ms, x.ms);
      best[dir].cpu = Math.min(best[dir].cpu, x.cpu);
    }
  }
  const per10M = (Math.max(best.asc.cpu, best.desc.cpu) * 1e7) / n;
  const firstPer10M = (first.cpu * 1e7) / n;
  rows.push({ column: col, first, asc: best.asc, desc: best.desc, cpuMsPer10M: per10M, firstCpuMsPer10M: firstPer10M, loadavg: loadavg() });
  const f = (x) => `${x.ms.toFixed(0).padStart(7)} (${x.cpu.toFixed(0).padStart(6)})`;
  console.log(`${col.padEnd(12)} ${f(first)}   ${f(best.asc)}    ${f(best.desc)}     ${per10M.toFixed(0).padStart(7)} (first ${firstPer10M.toFixed(0)})`);
}
console.log(`load average after: ${load()}`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ file: path.basename(file), frames: n, loadMs, prepared, rows }, null, 2));
