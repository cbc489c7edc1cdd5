// Display-filter benchmark: loads a capture once, then times filterFrames for the filters issue 10
// names (column-backed ones, ip.addr && tcp.port from the endpoint index, byte-level ones), and
// `tshark -2 -n -Y FILTER` on the same file beside each (wall time of the whole run, which includes
// tshark's own reading and dissection: that is what a user waits for; our load is reported apart).
// The frame counts must agree.
//
//   node scripts/bench/filter.mjs FILE [--runs N] [--no-tshark] [--json OUT.json]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { benchArgs, bundleEngine } from './bundle.mjs';

const { args, file, opt } = benchArgs();
const runs = Number(opt('--runs', '5'));
const jsonOut = opt('--json', undefined);
const withTshark = !args.includes('--no-tshark');
if (!file) {
  process.stderr.write('usage: node scripts/bench/filter.mjs FILE [--runs N] [--no-tshark] [--json OUT.json]\n');
  process.exit(2);
}
const { CaptureSession, MemorySource, compileFilter, filterFrames } = await bundleEngine(
  'filter',
  "export { CaptureSession, MemorySource } from './src/engine/index';\nexport { compileFilter, filterFrames } from './src/engine/filter/index';\n",
);

const bytes = new Uint8Array(readFileSync(file));
const s = new CaptureSession(new MemorySource(bytes, path.basename(file)));
const t0 = process.hrtime.bigint();
await s.load();
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
const frames = s.frameCount;

// A conversation of the capture for ip.addr && tcp.port (stream 17, or the last one).
const conv = s.analyzer.conversations[Math.min(17, s.analyzer.conversations.length - 1)];
const a = conv.ipv4(0);
const addr = [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');

const FILTERS = [
  ['column', 'tcp.analysis.flags'],
  ['column', 'tcp.stream == 17'],
  ['column', 'tcp.window_size == 0'],
  ['column', 'tcp.analysis.ack_rtt > 0.1'],
  ['column', 'frame.len > 1000 && tcp.flags.push == 1'],
  ['endpoints', `ip.addr == ${addr} && tcp.port == ${conv.portB}`],
  ['bytes', 'tcp.payload contains "GET"'],
  ['bytes', 'frame matches "(?i)user-agent"'],
];

/** tshark -2 -n -Y on the file: wall time, CPU time (user + system, from /usr/bin/time) and frames printed. */
function tsharkRun(filter) {
  const timeFile = path.join(mkdtempSync(path.join(tmpdir(), 'seqscope-bench-')), 'time');
  const t = process.hrtime.bigint();
  const out = execFileSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, 'tshark', '-2', '-n', '-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], {
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const [user, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  rmSync(path.dirname(timeFile), { recursive: true, force: true });
  return { ms, cpuMs: (user + sys) * 1000, count: out.split('\n').filter((l) => l !== '').length };
}

const rows = [];
console.log(
  `filters on ${path.basename(file)}: ${frames.toLocaleString('en-US')} frames, load ${loadMs.toFixed(0)} ms (not counted below); load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
);
console.log(
  'kind       filter                                            matches   seqscope ms (median; first run)  ms/M frames  CPU ms/M   tshark -2 -Y ms (CPU)   ×faster (CPU)',
);
for (const [kind, text] of FILTERS) {
  const c = compileFilter(text);
  if (!c.ok) throw new Error(`${text}: ${c.error.message}`);
  const times = [];
  const cpus = [];
  let count = 0;
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    const u = process.cpuUsage();
    const m = await filterFrames(s, c.filter, 1, frames);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    const du = process.cpuUsage(u);
    cpus.push((du.user + du.system) / 1000);
    count = m.length;
  }
  const first = times[0];
  times.sort((x, y) => x - y);
  cpus.sort((x, y) => x - y);
  const ms = times[Math.floor(times.length / 2)];
  const cpuMs = cpus[Math.floor(cpus.length / 2)];
  const ts = withTshark ? tsharkRun(text) : undefined;
  if (ts && ts.count !== count) console.log(`  !! ${text}: seqscope ${count} frames, tshark ${ts.count}`);
  const row = {
    kind,
    filter: text,
    columnOnly: c.filter.columnOnly,
    matches: count,
    ms,
    firstMs: first,
    cpuMs,
    msPerMillion: (ms * 1e6) / frames,
    cpuMsPerMillion: (cpuMs * 1e6) / frames,
    tsharkMs: ts?.ms,
    tsharkCpuMs: ts?.cpuMs,
    tsharkCount: ts?.count,
  };
  rows.push(row);
  console.log(
    `${kind.padEnd(10)} ${text.padEnd(49)} ${String(count).padStart(8)} ${ms.toFixed(1).padStart(12)} (${first.toFixed(0).padStart(5)}) ${row.msPerMillion.toFixed(1).padStart(12)} ${row.cpuMsPerMillion.toFixed(1).padStart(9)} ${ts ? `${ts.ms.toFixed(0)} (${ts.cpuMs.toFixed(0)})`.padStart(23) : '-'.padStart(23)} ${ts ? `${(ts.ms / ms).toFixed(0)} (${(ts.cpuMs / cpuMs).toFixed(0)})`.padStart(13) : ''}`,
  );
}
console.log(`load average after: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ file: path.basename(file), frames, loadMs, rows }, null, 2));
