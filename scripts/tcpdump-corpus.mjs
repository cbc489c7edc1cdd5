#!/usr/bin/env node
// Runs the CLI over every capture of ../shared/captures/real/tcpdump-tests (830 files, many
// deliberately malformed) with a per-file time limit, and compares both field sets with
// tshark's expected output. Fails if any capture crashes the CLI, hangs, or prints no header;
// prints the agreement figure (frames and values) either way.
//   node scripts/tcpdump-corpus.mjs [--dir DIR] [--timeout-ms N] [--show N]
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHARED } from './corpora.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const shared = SHARED;
const dir = opt('--dir', join(shared, 'captures/real/tcpdump-tests'));
const timeoutMs = Number(opt('--timeout-ms', '20000'));
const show = Number(opt('--show', '15'));
const { SETS, PRESENCE } = await import(join(shared, 'conformance/fields.mjs'));
const cli = join(here, '..', 'bin/seqscope.mjs');

const CAPTURE = /\.(pcap|pcapng|cap|pcap\.gz|pcapng\.gz)$/i;
const files = readdirSync(dir).filter((f) => CAPTURE.test(f)).sort();

function runCli(file, fields) {
  const argv = [cli, '-r', join(dir, file), '-T', 'fields', '-E', 'header=y', '-E', 'occurrence=f', '-E', 'separator=/t'];
  for (const f of fields) argv.push('-e', f);
  return new Promise((res) => {
    execFile(process.execPath, argv, { timeout: timeoutMs, maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      res({ code: err ? (err.killed ? 'timeout' : err.code) : 0, stdout, stderr });
    });
  });
}

const norm = (f, v) => (v === undefined ? '' : PRESENCE.has(f) ? (v === '' ? '' : '1') : v);
const parse = (tsv) => tsv.split('\n').filter((l) => l.length > 0).slice(1).map((l) => l.split('\t'));

let failed = 0;
const failures = [];
const totals = {};
const worst = [];
for (const set of ['analysis', 'decode']) {
  const fields = SETS[set];
  let frames = 0, framesOk = 0, values = 0, valuesOk = 0, withExpected = 0;
  const perField = new Map();
  const queue = [...files];
  const worker = async () => {
    for (;;) {
      const file = queue.shift();
      if (!file) return;
      const r = await runCli(file, fields);
      const header = r.stdout.split('\n', 1)[0];
      const crashed = r.code === 'timeout' || (r.code !== 0 && r.code !== 2) || header !== fields.join('\t') || /internal error/.test(r.stderr);
      if (crashed) {
        failed++;
        failures.push(`${file} (${set}): ${r.code === 'timeout' ? `no result within ${timeoutMs} ms` : `exit ${r.code}: ${r.stderr.trim().split('\n')[0]}`}`);
        continue;
      }
      const exp = join(dir, 'expected', `${file}.${set}.tsv`);
      if (!existsSync(exp)) continue;
      withExpected++;
      const want = parse(readFileSync(exp, 'utf8'));
      const got = parse(r.stdout);
      let ok = 0;
      for (let i = 0; i < want.length; i++) {
        let rowOk = true;
        for (let c = 0; c < fields.length; c++) {
          values++;
          if (norm(fields[c], want[i][c]) === norm(fields[c], got[i]?.[c])) valuesOk++;
          else {
            rowOk = false;
            perField.set(fields[c], (perField.get(fields[c]) ?? 0) + 1);
          }
        }
        frames++;
        if (rowOk) { framesOk++; ok++; }
      }
      if (ok < want.length || got.length !== want.length) worst.push({ file, set, bad: want.length - ok, of: want.length, got: got.length });
    }
  };
  await Promise.all([worker(), worker()]);
  totals[set] = { frames, framesOk, values, valuesOk, withExpected, perField };
}

worst.sort((a, b) => b.bad - a.bad);
for (const w of worst.slice(0, show)) console.log(`  ${w.file} (${w.set}): ${w.bad}/${w.of} frames disagree${w.got !== w.of ? `, ${w.got} frames printed` : ''}`);
for (const f of failures) console.log(`FAILED ${f}`);
for (const [set, t] of Object.entries(totals)) {
  const fields = [...t.perField].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([f, n]) => `${f}=${n}`).join(' ');
  if (fields) console.log(`  ${set} disagreements by field: ${fields}`);
  console.log(`tcpdump-tests (${set}): ${t.framesOk}/${t.frames} frames agree (${((100 * t.framesOk) / Math.max(1, t.frames)).toFixed(2)}%), ${t.valuesOk}/${t.values} values agree, over ${t.withExpected} captures with expected output`);
}
console.log(`tcpdump-tests: ${files.length} captures, ${failed} failed to analyse`);
process.exit(failed === 0 ? 0 : 1);
