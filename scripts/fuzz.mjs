#!/usr/bin/env node
// Fuzzes the capture readers and the whole engine with mutated captures (see
// test/capture/{mutate,check,fuzz}.ts for the mutators and the rules checked).
//
//   node scripts/fuzz.mjs [--count N | --seconds N | --long] [--seed N] [--from I]
//                         [--corpus shared|none] [--cli-every K] [--cli-max M] [--save DIR] [--json FILE]
//
// The engine runs in a worker thread; a watchdog ends the run when one mutant takes longer than
// --hang-ms (default 10000) and reports it as a hang. A sample of mutants (every K-th) also goes
// through the built CLI (dist-cli/seqscope.mjs): exit 0/1 only, one line per frame the engine
// read, the engine's message on stderr. `npm run fuzz` = --long (10 minutes, seeds from the time,
// plus the tcpdump corpus). Exit 1 when any rule was broken; --save writes each failing mutant
// to DIR as fuzz-<seed>-<index>-<kind>.<ext>.
import { build } from 'esbuild';
import { Worker } from 'node:worker_threads';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHARED } from './corpora.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const long = args.includes('--long');
const seed = Number(opt('--seed', long ? String(Date.now() % 1000000) : '1'));
const seconds = Number(opt('--seconds', long ? '600' : '0'));
const count = Number(opt('--count', seconds ? '100000000' : '2000'));
const from = Number(opt('--from', '0'));
const hangMs = Number(opt('--hang-ms', '10000'));
const cliEvery = Number(opt('--cli-every', long ? '50' : '100'));
const corpusMode = opt('--corpus', 'shared');
const saveDir = opt('--save', undefined);
const jsonOut = opt('--json', undefined);
const shared = SHARED;

// ---- corpus: the small shared captures (always, when present) and, for --long, the tcpdump tests ----
function corpus() {
  if (corpusMode === 'none') return [];
  const out = [];
  const add = (dir, maxBytes, limit) => {
    if (!existsSync(dir)) return;
    const files = readdirSync(dir).filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/i.test(f)).sort();
    for (const f of files) {
      if (out.length >= limit) break;
      const p = join(dir, f);
      if (statSync(p).size <= maxBytes) out.push({ name: f, bytes: new Uint8Array(readFileSync(p)) });
    }
  };
  add(join(shared, 'captures'), 64 * 1024, 40);
  if (long) add(join(shared, 'captures/real/tcpdump-tests'), 256 * 1024, 1000);
  return out;
}

// ---- the engine side, bundled for a worker thread ----
const bundleDir = join(root, 'node_modules/.cache/seqscope-fuzz');
mkdirSync(bundleDir, { recursive: true });
const bundle = join(bundleDir, 'fuzz-worker.mjs');
await build({
  stdin: {
    contents: `
      import { parentPort, workerData } from 'node:worker_threads';
      import { runFuzz, mutantBytes } from './test/capture/fuzz.ts';
      const d = workerData;
      if (d.emit !== undefined) {
        const m = mutantBytes(d.seed, d.emit, d.corpus);
        parentPort.postMessage({ type: 'mutant', mutant: m });
      } else {
        const deadline = d.seconds ? Date.now() + d.seconds * 1000 : Infinity;
        const s = await runFuzz({
          seed: d.seed, count: d.count, from: d.from, corpus: d.corpus, sampleEvery: d.cliEvery,
          stop: () => Date.now() > deadline,
          onStart: (i, kind, seed) => parentPort.postMessage({ type: 'start', i, kind, seed }),
        });
        parentPort.postMessage({ type: 'done', summary: s });
      }`,
    resolveDir: root,
    sourcefile: 'fuzz-worker-entry.ts',
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: bundle,
  logLevel: 'warning',
});

const corpusFiles = corpus();

function runWorker(data, onMessage) {
  return new Promise((res) => {
    const w = new Worker(bundle, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    let last = Date.now();
    let current;
    let finished = false;
    const dog = setInterval(() => {
      if (Date.now() - last > hangMs) {
        finished = true;
        clearInterval(dog);
        void w.terminate();
        res({ hang: current });
      }
    }, 250);
    w.on('message', (m) => {
      last = Date.now();
      if (m.type === 'start') current = m;
      const r = onMessage(m);
      if (r !== undefined && !finished) {
        finished = true;
        clearInterval(dog);
        void w.terminate();
        res(r);
      }
    });
    w.on('error', (e) => {
      if (finished) return;
      finished = true;
      clearInterval(dog);
      res({ crash: { current, message: String(e?.stack ?? e) } });
    });
    w.on('exit', () => {
      if (finished) return;
      finished = true;
      clearInterval(dog);
      res({ crash: { current, message: 'worker exited early' } });
    });
  });
}

const started = Date.now();
let lastPrint = started;
const out = await runWorker({ seed, count, from, seconds, corpus: corpusFiles, cliEvery }, (m) => {
  if (m.type === 'done') return { summary: m.summary };
  if (m.type === 'start' && long && Date.now() - lastPrint > 10000) {
    lastPrint = Date.now();
    process.stderr.write(`fuzz: mutant ${m.i} (${m.kind} of ${m.seed})\n`);
  }
  return undefined;
});

const summary = out.summary ?? { seed, mutants: 0, seeds: [], kinds: {}, failures: [], samples: [] };
if (out.hang || out.crash) {
  const cur = out.hang ?? out.crash.current;
  const what = out.hang ? `hang: no result within ${hangMs} ms` : `worker crashed: ${out.crash.message}`;
  let bytes = new Uint8Array(0);
  if (cur) {
    const m = await runWorker({ seed, emit: cur.i, corpus: corpusFiles }, (msg) => (msg.type === 'mutant' ? msg.mutant : undefined));
    if (m && m.bytes) bytes = m.bytes;
  }
  summary.failures.push({ index: cur?.i ?? -1, kind: cur?.kind ?? '?', seed: cur?.seed ?? '?', problems: [what], bytes });
}

// ---- a sample through the built CLI ----
const cli = join(root, 'bin/seqscope.mjs');
let cliRuns = 0;
if (existsSync(join(root, 'dist-cli/seqscope.mjs')) && summary.samples.length) {
  const tmp = mkdtempSync(join(tmpdir(), 'seqscope-fuzz-'));
  const runCli = (file) =>
    new Promise((res) => {
      execFile(process.execPath, [cli, '-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.analysis.flags', '-e', 'tcp.stream'], { timeout: hangMs * 2, maxBuffer: 1 << 28 }, (err, stdout, stderr) =>
        res({ code: err ? (err.killed ? 'timeout' : err.code) : 0, stdout, stderr }),
      );
    });
  // At most --cli-max runs (default 300), spread evenly over the sample.
  const max = Number(opt('--cli-max', '300'));
  const step = Math.max(1, summary.samples.length / max);
  const queue = [];
  for (let k = 0; k < summary.samples.length && queue.length < max; k += step) queue.push(summary.samples[Math.floor(k)]);
  const work = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      const file = join(tmp, `m${s.index}.bin`);
      writeFileSync(file, s.bytes);
      const r = await runCli(file);
      cliRuns++;
      const lines = r.stdout.split('\n').filter((l) => l.length).length;
      const p = [];
      if (r.code !== s.status) p.push(`CLI exit ${r.code}, expected ${s.status}`);
      if (lines !== s.frames) p.push(`CLI printed ${lines} lines, the engine read ${s.frames} frames`);
      if (s.error && !r.stderr.includes(s.error)) p.push(`CLI stderr lacks the engine's message: ${r.stderr.trim()}`);
      if (/internal error/.test(r.stderr)) p.push(`CLI internal error: ${r.stderr.trim()}`);
      if (p.length) summary.failures.push({ index: s.index, kind: s.kind, seed: s.seed, problems: p, bytes: s.bytes });
    }
  };
  await Promise.all([work(), work()]);
  rmSync(tmp, { recursive: true, force: true });
}

// ---- report ----
const ext = (b) => (b[0] === 0x1f && b[1] === 0x8b ? 'pcap.gz' : b[0] === 0x0a && b[1] === 0x0d ? 'pcapng' : 'pcap');
if (saveDir && summary.failures.length) {
  mkdirSync(saveDir, { recursive: true });
  for (const f of summary.failures) writeFileSync(join(saveDir, `fuzz-${seed}-${f.index}-${f.kind}.${ext(f.bytes)}`), f.bytes);
}
const secs = ((Date.now() - started) / 1000).toFixed(1);
const lines = [`fuzz: seed ${seed}, ${summary.mutants} mutants of ${summary.seeds.length} captures in ${secs} s, ${cliRuns} through the CLI, ${summary.failures.length} failure(s)`];
for (const [k, v] of Object.entries(summary.kinds).sort()) lines.push(`  ${k.padEnd(20)} ${String(v.tried).padStart(7)} tried  ${String(v.errors).padStart(7)} reported damaged  ${String(v.frames).padStart(9)} frames read`);
for (const f of summary.failures.slice(0, 20)) lines.push(`  FAIL mutant ${f.index} (${f.kind} of ${f.seed}; rerun: --seed ${seed} --from ${f.index} --count 1): ${f.problems.join('; ')}`);
process.stdout.write(lines.join('\n') + '\n');
if (jsonOut) {
  const slim = { ...summary, cliRuns, samples: undefined, failures: summary.failures.map((f) => ({ ...f, bytes: f.bytes.length })) };
  writeFileSync(jsonOut, JSON.stringify(slim, null, 2));
}
process.exitCode = summary.failures.length ? 1 : 0;
