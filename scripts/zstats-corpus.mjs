#!/usr/bin/env node
// tshark agreement of the -z statistics over the corpora, in few process runs: per capture, ONE
// tshark run and ONE seqscope run with every statistic at once (conv and endpoints of all five
// tables, io,stat, follow ascii/hex/raw of its first streams), compared byte for byte; a capture that
// differs is run again statistic by statistic to say which one. Expert is compared on its own
// (one more run each): tshark's items of protocols seqscope does not decode (application protocols
// it does not decode, e.g. a JFIF image's) are taken out of tshark's text first, and the captures
// where that happened are listed. Same questions as ../shared/conformance/zstats-compare.mjs (which runs one process per
// statistic and stream), answered in a fraction of the runs.
//
//   node scripts/zstats-corpus.mjs [--streams N] [--jobs N] DIR|CAPTURE ...
// Last line: `zstats-corpus: S/N statistics identical …`; exit 0 only when all are, but for the
// pairs listed in KNOWN_GAPS (each with its reason; printed as KNOWN GAP, and NOW AGREES once it does).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

const args = process.argv.slice(2);
const opt = { streams: 4, jobs: 2 };
const inputs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--streams') opt.streams = Number(args[++i]);
  else if (args[i] === '--jobs') opt.jobs = Number(args[++i]);
  else inputs.push(args[i]);
}
const CAPTURE = /\.(pcap|pcapng|cap|pcap\.gz|pcapng\.gz)$/i;
const captures = inputs.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => CAPTURE.test(f))
        .sort()
        .map((f) => join(p, f))
    : [p],
);
const TABLES = [
  'conv,eth',
  'conv,ip',
  'conv,ipv6',
  'conv,tcp',
  'conv,udp',
  'endpoints,eth',
  'endpoints,ip',
  'endpoints,ipv6',
  'endpoints,tcp',
  'endpoints,udp',
];
/** -z io,stat (issue 13): the specs its "done" names. */
const IOSTAT = [
  'io,stat,1',
  'io,stat,0.01,tcp.analysis.retransmission,tcp.analysis.flags',
  'io,stat,0.1,COUNT(tcp.analysis.retransmission)tcp.analysis.retransmission',
  'io,stat,1,SUM(frame.len)frame.len',
  'io,stat,0.5,AVG(tcp.analysis.ack_rtt)tcp.analysis.ack_rtt',
  'io,stat,2,MAX(tcp.window_size)tcp.window_size',
];
const MODES = ['ascii', 'hex', 'raw'];
/**
 * Protocols whose expert items seqscope reports: TCP, the layers around it (Ethernet trailer,
 * IPv4, IPv6, ICMP, ICMPv6, UDP, ARP: src/engine/fields/expert-net.ts) and the application
 * protocols it decodes (src/engine/dissect; a JPEG body's JFIF warning). tshark's items of other protocols (SMB2, QUIC,
 * …: application protocols seqscope does not decode, as issue 11 allows) are taken out of its text
 * before comparing, and the captures where that happened are listed.
 */
const DECODED = new Set(['TCP', 'Frame', 'Comment', 'Ethertype', 'IPv4', 'IPv6', 'ICMP', 'ICMPv6', 'UDP', 'ARP', 'DNS', 'HTTP', 'TLS', 'JFIF (JPEG) image']);

function run(cmd, argv) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', () => {});
    child.on('error', () => resolve(''));
    child.on('close', () => resolve(Buffer.concat(out).toString('latin1')));
  });
}
const tshark = (f, z) => run('tshark', ['-2', '-n', '-r', f, '-q', ...z.flatMap((s) => ['-z', s])]);
const ours = (f, z) => run(process.execPath, ['bin/seqscope.mjs', '-2', '-n', '-r', f, '-q', ...z.flatMap((s) => ['-z', s])]);

/** tshark's expert text without the items of protocols seqscope does not decode. */
function withoutApplication(text) {
  const sections = [];
  let cur;
  for (const line of text.split('\n')) {
    const h = /^(\w+) \((\d+)\)$/.exec(line);
    if (h) sections.push((cur = { name: h[1], items: [] }));
    else if (cur && /^ *\d+ /.test(line) && line.length >= 42) {
      // "%12u %10s %18s  %s": frequency, group, protocol, summary
      cur.items.push({ line, count: Number(line.slice(0, 12)), proto: line.slice(23, 42).trim(), summary: line.slice(44) });
    }
  }
  let dropped = false;
  let s = '';
  for (const sec of sections) {
    const keep = sec.items.filter((i) => DECODED.has(i.proto));
    if (keep.length < sec.items.length) dropped = true;
    if (!keep.length) continue;
    s += `\n${sec.name} (${keep.reduce((a, i) => a + i.count, 0)})\n=============\n   Frequency      Group           Protocol  Summary\n`;
    for (const i of keep) s += i.line + '\n';
  }
  return { text: s, dropped };
}

const stats = new Map(); // statistic -> { same, total }
const count = (k, ok) => {
  const v = stats.get(k) ?? { same: 0, total: 0 };
  v.total++;
  if (ok) v.same++;
  stats.set(k, v);
};
const failures = [];
const application = [];
/**
 * (capture, statistic) pairs known to differ for a reason outside the statistic itself, each with
 * its reason: listed and counted apart, never silently passed. A listed pair that agrees is reported
 * so the entry can go.
 */
/** @type {Record<string, string>} */
const KNOWN_GAPS = {};
const known = [];
const fail = (f, s) => {
  const k = `${basename(f)} -z ${s}`;
  if (KNOWN_GAPS[k]) known.push(`${k}: ${KNOWN_GAPS[k]}`);
  else failures.push(k);
};
const agreed = (f, s) => {
  const k = `${basename(f)} -z ${s}`;
  if (KNOWN_GAPS[k]) console.log(`NOW AGREES (remove from KNOWN_GAPS) ${k}`);
};

async function work(f) {
  const streamsText = await run(process.execPath, ['bin/seqscope.mjs', '-2', '-n', '-r', f, '-T', 'fields', '-e', 'tcp.stream']);
  const streams = [...new Set(streamsText.split('\n').filter(Boolean).map(Number))].sort((a, b) => a - b).slice(0, opt.streams);
  const specs = [...TABLES, ...IOSTAT, ...streams.flatMap((s) => MODES.map((m) => `follow,tcp,${m},${s}`))];
  const [want, got] = await Promise.all([tshark(f, specs), ours(f, specs)]);
  const key = (s) => (s.startsWith('follow,') ? s.replace(/,\d+$/, ',{stream}') : s);
  if (want === got) for (const s of specs) count(key(s), true);
  else {
    for (const s of specs) {
      const [w, g] = await Promise.all([tshark(f, [s]), ours(f, [s])]);
      count(key(s), w === g);
      if (w !== g) fail(f, s);
      else agreed(f, s);
    }
  }
  const [we, ge] = await Promise.all([tshark(f, ['expert']), ours(f, ['expert'])]);
  const { text, dropped } = withoutApplication(we);
  const ok = we === ge || text === ge;
  count('expert', ok);
  if (!ok) fail(f, 'expert');
  else {
    agreed(f, 'expert');
    if (we !== ge && dropped) application.push(basename(f));
  }
}

let next = 0;
await Promise.all(
  Array.from({ length: opt.jobs }, async () => {
    while (next < captures.length) await work(captures[next++]);
  }),
);
for (const [k, v] of [...stats].sort()) console.log(`  ${k.padEnd(26)} ${v.same}/${v.total}`);
if (application.length)
  console.log(
    `expert: tshark's items of protocols seqscope's expert does not cover left out for ${application.length} captures: ${application.join(' ')}`,
  );
for (const k of known) console.log(`KNOWN GAP ${k}`);
for (const f of failures.slice(0, 20)) console.log(`DIFFERS ${f}`);
const same = [...stats.values()].reduce((a, v) => a + v.same, 0);
const total = [...stats.values()].reduce((a, v) => a + v.total, 0);
console.log(
  `zstats-corpus: ${same}/${total} statistics identical (${total ? ((100 * same) / total).toFixed(2) : '0.00'}%) over ${captures.length} captures` +
    (known.length ? ` (${known.length} differing ones are listed known gaps)` : ''),
);
process.exit(failures.length === 0 ? 0 : 1);
