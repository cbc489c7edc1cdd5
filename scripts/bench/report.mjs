// Second half of `npm run bench` (scripts/bench/run.sh): times `seqscope -r F -q -z expert`
// against `tshark -r F -q -z expert` (wall time and peak RSS via /usr/bin/time), diffs their
// output, measures dist/'s gzipped JavaScript + CSS, and prints the whole table together
// with the engine figures from scripts/bench/engine.mjs (--engine JSON). Also the wall time
// of `node -e 0` (what every run of the CLI pays before any of our code runs) and, with
// `--large FILE` (BENCH_LARGE=1), one run of each tool on a ten-times-larger capture.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const pcap = args[0];
const opt = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const runs = Number(opt('--runs', '3'));
const engineJson = opt('--engine', 'bench-out/engine.json');
const large = opt('--large', undefined);
const tmp = mkdtempSync(path.join(tmpdir(), 'seqscope-bench-'));

/** Run a command under /usr/bin/time; returns wall seconds, peak RSS (KiB) and stdout. */
function timed(cmd, argv) {
  const rssFile = path.join(tmp, 'rss');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, cmd, ...argv], { maxBuffer: 1 << 28, encoding: 'utf8' });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  return { secs, rssKiB: Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()), out: r.stdout };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};

// Interleave the two tools so machine noise hits both alike.
const ours = [];
const theirs = [];
for (let i = 0; i < runs; i++) {
  ours.push(timed('node', ['bin/seqscope.mjs', '-r', pcap, '-q', '-z', 'expert']));
  theirs.push(timed('tshark', ['-r', pcap, '-q', '-z', 'expert']));
}
// The floor: starting and stopping Node with nothing to do.
const nodeFloor = stats(Array.from({ length: 5 }, () => timed('node', ['-e', '0']).secs));
// One run each on the large capture (tshark takes minutes there).
const big = large ? { ours: timed('node', ['bin/seqscope.mjs', '-r', large, '-q', '-z', 'expert']), theirs: timed('tshark', ['-r', large, '-q', '-z', 'expert']) } : undefined;
writeFileSync('bench-out/expert.seqscope.txt', ours[0].out);
writeFileSync('bench-out/expert.tshark.txt', theirs[0].out);
const same = ours[0].out === theirs[0].out;
const diff = same ? '' : spawnSync('diff', ['bench-out/expert.tshark.txt', 'bench-out/expert.seqscope.txt'], { encoding: 'utf8' }).stdout;

const oT = stats(ours.map((r) => r.secs));
const tT = stats(theirs.map((r) => r.secs));
const oM = stats(ours.map((r) => r.rssKiB));
const tM = stats(theirs.map((r) => r.rssKiB));

// First-load bundle: every .js and .css under dist/ (the service worker precaches them all).
let bundle;
if (existsSync('dist')) {
  let raw = 0;
  let gz = 0;
  const walk = (d) => {
    for (const e of readdirSync(d)) {
      const f = path.join(d, e);
      if (statSync(f).isDirectory()) walk(f);
      else if (/\.(m?js|css)$/.test(e)) {
        const b = readFileSync(f);
        raw += b.length;
        gz += gzipSync(b, { level: 9 }).length;
      }
    }
  };
  walk('dist');
  bundle = { raw, gz };
}

const e = existsSync(engineJson) ? JSON.parse(readFileSync(engineJson, 'utf8')) : undefined;
const n = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rows = [];
const row = (what, value, target, ok) => rows.push([what, value, target, ok === undefined ? '' : ok ? 'yes' : 'NO']);
if (e) {
  const fps = e.framesPerSec;
  row('capture', `${path.basename(pcap)}: ${n(e.frames)} frames, ${n(e.streams)} TCP streams, ${n(e.fileBytes / 1048576, 1)} MiB`, '', undefined);
  row('engine throughput (load from memory)', `${n(fps.median)} frames/s (min ${n(fps.min)}, max ${n(fps.max)}, ${e.runs} runs after ${e.warmUpLoads} warm-up loads)`, '≥ 5,000,000', fps.median >= 5e6);
  row('engine, first load of a process (cold)', `${n(e.coldFramesPerSec)} frames/s (JIT warming up, columns in fresh pages)`, '', undefined);
  if (e.diagnose) row('diagnosis pass (--diagnose) / load time', `${n(e.diagnose.medianShare * 100, 1)} % (${n(e.diagnose.medianSecs * 1000, 1)} ms after a ${n(e.diagnose.loadSecs * 1000)} ms load; ${e.diagnose.items} items)`, '≤ 10 %', e.diagnose.medianShare <= 0.1);
  row('retained: FrameTable columns', `${n(e.retained.tableBytesPerFrame, 1)} B/frame`, '', undefined);
  row('retained: heap + ArrayBuffers delta', `${n(e.retained.heapDeltaPerFrame, 1)} B/frame (other state ≈ ${n(e.retained.otherStatePerConversation)} B per conversation)`, '≤ 64', e.retained.heapDeltaPerFrame <= 64);
}
row('seqscope -q -z expert wall', `median ${n(oT.median, 3)} s (min ${n(oT.min, 3)}, max ${n(oT.max, 3)})`, '', undefined);
row('tshark -q -z expert wall', `median ${n(tT.median, 3)} s (min ${n(tT.min, 3)}, max ${n(tT.max, 3)})`, '', undefined);
row('speed-up (tshark / seqscope, medians)', `${n(tT.median / oT.median, 1)}× (worst pair ${n(tT.min / oT.max, 1)}×, best ${n(tT.max / oT.min, 1)}×)`, '≥ 30×', tT.median / oT.median >= 30);
row('node -e 0 wall (start-up floor of every CLI run)', `median ${n(nodeFloor.median, 3)} s (min ${n(nodeFloor.min, 3)})`, '', undefined);
if (big) {
  const same = big.ours.out === big.theirs.out;
  row('large capture: seqscope / tshark wall', `${path.basename(large)} (${n(statSync(large).size / 1048576, 1)} MiB): ${n(big.ours.secs, 2)} s / ${n(big.theirs.secs, 2)} s = ${n(big.theirs.secs / big.ours.secs, 1)}× (1 run each)`, '', undefined);
  row('large capture: peak RSS, identical output', `${n(big.ours.rssKiB / 1024, 1)} MiB / ${n(big.theirs.rssKiB / 1024, 1)} MiB; ${same ? 'identical' : 'OUTPUT DIFFERS'}`, '', undefined);
}
row('peak RSS seqscope / tshark', `${n(oM.median / 1024, 1)} MiB / ${n(tM.median / 1024, 1)} MiB`, '', undefined);
row('-z expert output identical to tshark', same ? 'yes' : 'NO (diff below)', 'identical', same);
if (bundle) row('web app first load (dist/ JS+CSS)', `${n(bundle.gz / 1024, 1)} KiB gzipped (${n(bundle.raw / 1024, 1)} KiB raw)`, '< 300 KB gz', bundle.gz < 300_000);
else row('web app first load (dist/ JS+CSS)', 'dist/ not built (npm run build:app)', '< 300 KB gz', undefined);
row('machine', `${n(loadavg()[0], 2)} load average (1 min) at the end, node ${process.version}`, '', undefined);

const head = ['measure', 'value', 'target', 'met'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => '| ' + r.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
let out = '\n' + line(head) + '\n|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|\n' + rows.map(line).join('\n') + '\n';
if (!same) out += `\n-z expert differences (< tshark, > seqscope):\n${diff}`;
process.stdout.write(out);
writeFileSync('bench-out/report.md', out);
