// A/B of the load's speed between git revisions, for a shared machine where wall time and
// process CPU vary by ±5 % from one run to the next: each revision's engine is bundled, the
// bundles are loaded into ONE process and load the capture alternately (the order rotates every
// round), and each load's main-thread CPU time (/proc/thread-self/schedstat; process CPU where
// that file does not exist) is compared with the first revision's load of the same round.
//
//   node --expose-gc scripts/bench/ab.mjs [--rounds N] [--file CAPTURE] REV_A REV_B [REV…]
//
// A revision is anything `git archive` takes (commit, branch, tag); `.` is the working tree.
// Prints per revision the median frames/s (wall and CPU), the median and quartiles of the
// paired CPU ratio against REV_A, the FrameTable's bytes per frame, and the load average.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  if (i < 0) return def;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const rounds = Number(opt('--rounds', '20'));
const file = opt('--file', path.join(root, 'bench-out/big.pcap'));
const revs = args;
if (revs.length < 2 || !existsSync(file)) {
  process.stderr.write('usage: node --expose-gc scripts/bench/ab.mjs [--rounds N] [--file CAPTURE] REV_A REV_B [REV…]\n');
  process.exit(2);
}

const work = mkdtempSync(path.join(tmpdir(), 'seqscope-ab-'));
const mods = [];
try {
  for (const [k, rev] of revs.entries()) {
    let src = root;
    if (rev !== '.') {
      src = path.join(work, `rev${k}`);
      execFileSync('mkdir', ['-p', src]);
      const tar = execFileSync('git', ['-C', root, 'archive', rev, 'src'], { maxBuffer: 1 << 30 });
      execFileSync('tar', ['-x', '-C', src], { input: tar });
    }
    const out = path.join(work, `engine${k}.mjs`);
    await build({
      stdin: { contents: "export { CaptureSession, MemorySource } from './src/engine/index';\n", resolveDir: src, loader: 'ts' },
      bundle: true,
      platform: 'neutral',
      format: 'esm',
      target: 'node20',
      outfile: out,
      logLevel: 'warning',
      nodePaths: [path.join(root, 'node_modules')],
    });
    mods.push(await import(pathToFileURL(out).href));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const SCHED = '/proc/thread-self/schedstat';
const cpuNs = existsSync(SCHED)
  ? () => Number(readFileSync(SCHED, 'utf8').split(' ')[0])
  : () => {
      const c = process.cpuUsage();
      return (c.user + c.system) * 1000;
    };
const bytes = new Uint8Array(readFileSync(file));

async function once(m) {
  globalThis.gc?.();
  const s = new m.CaptureSession(new m.MemorySource(bytes, path.basename(file)));
  const c0 = cpuNs();
  const t0 = process.hrtime.bigint();
  const res = await s.load();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = (cpuNs() - c0) / 1e9;
  return { wall: res.frames / wall, cpu: res.frames / cpu, bpf: s.frames.retainedBytes() / s.frames.count };
}

// Warm-up: the JIT of every bundle.
for (let w = 0; w < 3; w++) for (const m of mods) await once(m);
const res = revs.map(() => ({ wall: [], cpu: [], ratio: [], bpf: 0 }));
const la0 = loadavg()[0];
for (let r = 0; r < rounds; r++) {
  const got = [];
  for (let j = 0; j < mods.length; j++) {
    const k = (j + r) % mods.length;
    got[k] = await once(mods[k]);
  }
  got.forEach((g, k) => {
    res[k].wall.push(g.wall);
    res[k].cpu.push(g.cpu);
    res[k].ratio.push(g.cpu / got[0].cpu);
    res[k].bpf = g.bpf;
  });
}
const q = (a, f) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) * f)];
const M = (x) => (x / 1e6).toFixed(2);
process.stdout.write(`ab: ${path.basename(file)}, ${rounds} rounds, load average ${la0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}; CPU = ${existsSync(SCHED) ? 'main thread' : 'process'}\n`);
revs.forEach((rev, k) => {
  const x = res[k];
  process.stdout.write(
    `ab: ${rev.padEnd(12)} wall ${M(q(x.wall, 0.5))} M frames/s, CPU ${M(q(x.cpu, 0.5))} M frames/s; ` +
      `CPU ratio to ${revs[0]} ${q(x.ratio, 0.5).toFixed(3)} (quartiles ${q(x.ratio, 0.25).toFixed(3)}-${q(x.ratio, 0.75).toFixed(3)}); FrameTable ${x.bpf.toFixed(1)} B/frame\n`,
  );
});
