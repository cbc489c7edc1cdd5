// Engine benchmark: loads a capture through CaptureSession several times and reports frames/s
// (first pass only: reading, decoding, TCP analysis, FrameTable — no output formatting) and
// the memory the loaded session retains per frame.
//
//   node --expose-gc scripts/bench/engine.mjs FILE [--runs N] [--json OUT.json] [--profile-only]
//
// The file is read into memory up front and served by the engine's MemorySource, so disk I/O
// is excluded from the timings. The engine is bundled from src/ with esbuild (like the CLI),
// so the figures are for the working tree as it is now.
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && !/^--(runs|json)$/.test(args[i - 1] ?? ''));
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const runs = Number(opt('--runs', '7'));
const jsonOut = opt('--json', undefined);
const profileOnly = args.includes('--profile-only');
if (!file) {
  process.stderr.write('usage: node --expose-gc scripts/bench/engine.mjs FILE [--runs N] [--json OUT.json] [--profile-only]\n');
  process.exit(2);
}

// Bundle just what the benchmark needs from the engine.
const outDir = path.join(root, 'bench-out');
mkdirSync(outDir, { recursive: true });
const lib = path.join(outDir, 'engine-lib.mjs');
await build({
  stdin: {
    contents: "export { CaptureSession, MemorySource } from './src/engine/index';\nexport { FrameTable } from './src/engine/tcp/frames';\n",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'neutral',
  format: 'esm',
  target: 'node20',
  outfile: lib,
  logLevel: 'warning',
});
const { CaptureSession, MemorySource } = await import(pathToFileURL(lib).href);

const bytes = new Uint8Array(readFileSync(file));
const gc = globalThis.gc;

async function loadOnce() {
  const s = new CaptureSession(new MemorySource(bytes, path.basename(file)));
  const t0 = process.hrtime.bigint();
  const res = await s.load();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (res.error) throw new Error(`load error: ${res.error.message}`);
  return { s, res, secs };
}

if (profileOnly) {
  // For `node --cpu-prof`: a few loads, nothing else.
  for (let i = 0; i < runs; i++) await loadOnce();
  process.exit(0);
}

// Warm-up: the JIT, and the memory allocator (a process's first loads get their ~42 bytes a frame
// of columns as fresh pages from the kernel; later loads reuse freed memory). The first load of
// the process is reported on its own (coldFramesPerSec): the steady state is timed after
// WARM_UP loads. (Drop the results: a top-level expression's value can stay referenced.)
const WARM_UP = 3;
let coldFramesPerSec = 0;
for (let i = 0; i < WARM_UP; i++) {
  gc?.();
  await loadOnce().then((r) => {
    if (i === 0) coldFramesPerSec = r.res.frames / r.secs;
  });
}

// Memory: heap + array buffers held by one loaded session (the file bytes are allocated before
// the baseline and stay referenced, so they are not counted).
const mem = () => {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, ab: m.arrayBuffers, total: m.heapUsed + m.arrayBuffers };
};
const before = mem();
let { s } = await loadOnce();
const after = mem();
const heldFrames = s.frameCount;
const tableBytes = s.frames.retainedBytes();
// Column widths after the load (narrow columns: lengths, seconds and stream widen only when a value needs it).
const columnBytes = s.frames.bytesPerFrame?.() ?? 0;
const deltaBytes = after.total - before.total;
const convs = s.analyzer.conversations.length;
const dupAckEntries = s.frames.dupAck.size;
s = undefined; // let it go before the timed runs

// Timed runs.
const rates = [];
let frames = 0;
let streams = 0;
for (let i = 0; i < runs; i++) {
  gc?.();
  const { res, secs } = await loadOnce();
  frames = res.frames;
  streams = res.streams;
  rates.push(res.frames / secs);
}
const sorted = [...rates].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];

// The diagnosis pass (engine/diagnose), run after a load: its time against that load's (target ≤ 10 %).
const diag = [];
let diagItems = 0;
for (let i = 0; i < runs; i++) {
  gc?.();
  const { s: ds, secs } = await loadOnce();
  const t0 = process.hrtime.bigint();
  diagItems = ds.diagnoses().length;
  const dsecs = Number(process.hrtime.bigint() - t0) / 1e9;
  diag.push({ load: secs, diagnose: dsecs, share: dsecs / secs });
}
const diagSorted = [...diag].sort((a, b) => a.share - b.share);
const diagMedian = diagSorted[Math.floor(diagSorted.length / 2)];

// Per-frame figures.
const out = {
  file: path.basename(file),
  fileBytes: bytes.length,
  frames,
  streams,
  runs,
  gcExposed: typeof gc === 'function',
  framesPerSec: { median, min: sorted[0], max: sorted[sorted.length - 1], all: rates },
  warmUpLoads: WARM_UP,
  diagnose: { medianShare: diagMedian.share, medianSecs: diagMedian.diagnose, loadSecs: diagMedian.load, items: diagItems, all: diag },
  coldFramesPerSec,
  retained: {
    tableBytesPerFrame: tableBytes / heldFrames,
    columnBytesPerFrame: columnBytes,
    heapDeltaBytes: deltaBytes,
    heapDeltaPerFrame: deltaBytes / heldFrames,
    heapDeltaHeapOnly: after.heap - before.heap,
    heapDeltaArrayBuffers: after.ab - before.ab,
    otherStatePerFrame: (deltaBytes - tableBytes) / heldFrames,
    conversations: convs,
    otherStatePerConversation: convs ? (deltaBytes - tableBytes) / convs : 0,
    dupAckEntries,
  },
};
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(out, null, 2) + '\n');
const f = (x) => Math.round(x).toLocaleString('en-US');
process.stdout.write(
  `engine: ${f(frames)} frames, ${streams} streams; ${runs} runs after ${WARM_UP} warm-up loads: median ${f(median)} frames/s (min ${f(sorted[0])}, max ${f(sorted[sorted.length - 1])}); first load of the process ${f(coldFramesPerSec)} frames/s\n` +
    `engine: FrameTable ${out.retained.tableBytesPerFrame.toFixed(1)} B/frame (columns ${columnBytes} B wide; 9da4d4f: 44.5, 46f1fa6: 54.6); heap+arrayBuffers delta ${out.retained.heapDeltaPerFrame.toFixed(1)} B/frame ` +
    `(other state ${out.retained.otherStatePerFrame.toFixed(1)} B/frame ≈ ${f(out.retained.otherStatePerConversation)} B per conversation)\n` +
    `engine: diagnosis pass ${(diagMedian.diagnose * 1000).toFixed(1)} ms after a ${(diagMedian.load * 1000).toFixed(0)} ms load = ${(diagMedian.share * 100).toFixed(1)} % (median of ${runs}; ${diagItems} items)\n`,
);
