// Statistics benchmark (issue 11): after a load, how long until the Conversations/Endpoints
// tables are ready (every table: TCP from the columns, the others in one pass over the file on
// StatsPass's fast path — what the worker's conversations() does), the
// Expert Information groups (columns only), the TCP tab alone (from the columns: what the UI
// shows first), and Follow TCP Stream of the largest stream: its
// first batch of chunks plus the bytes of the first 40 (the first screen) and all of it. Median of --runs runs after one warm-up.
//
//   node scripts/bench/stats.mjs FILE [--runs N] [--json OUT.json]
//
// The file is served from memory (MemorySource), as engine.mjs does; a browser reads a Blob,
// which adds its reads. Targets: the conversations table (the TCP tab, shown first) ≤ 300 ms after the load, follow's first screen ≤ 200 ms.
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
const runs = Number(opt('--runs', '5'));
const jsonOut = opt('--json', undefined);
if (!file) {
  process.stderr.write('usage: node scripts/bench/stats.mjs FILE [--runs N] [--json OUT.json]\n');
  process.exit(2);
}
const outDir = path.join(root, 'bench-out');
mkdirSync(outDir, { recursive: true });
const lib = path.join(outDir, 'stats-lib.mjs');
await build({
  stdin: {
    contents:
      "export { CaptureSession, MemorySource } from './src/engine/index';\nexport { allConversations, followChunks, followStream, tcpConversationsFromColumns } from './src/engine/stats/views';\nexport { expertGroups } from './src/engine/stats/expert-groups';\n",
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
const { CaptureSession, MemorySource, allConversations, followChunks, followStream, tcpConversationsFromColumns, expertGroups } = await import(
  pathToFileURL(lib).href
);
const bytes = new Uint8Array(readFileSync(file));
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const res = { tcpConversations: [], conversations: [], expert: [], followFirst: [], followAll: [] };
let info = {};
for (let r = 0; r <= runs; r++) {
  const s = new CaptureSession(new MemorySource(bytes, path.basename(file)));
  await s.load();
  let t0 = process.hrtime.bigint();
  tcpConversationsFromColumns(s);
  const tcpConv = ms(t0);
  t0 = process.hrtime.bigint();
  const all = await allConversations(s);
  const conv = ms(t0);
  t0 = process.hrtime.bigint();
  const groups = expertGroups(s);
  const expert = ms(t0);
  // The largest stream by bytes.
  const tcp = all.conv.tcp;
  const big = tcp.reduce((a, b) => (b.bytesAB + b.bytesBA > a.bytesAB + a.bytesBA ? b : a), tcp[0]);
  let first = -1;
  t0 = process.hrtime.bigint();
  const f = await followStream(s, big.stream, () => {
    if (first < 0) first = ms(t0);
  });
  const fall = ms(t0);
  // The first screen also needs its chunks' bytes (read again: the index holds none): ~40 chunks.
  t0 = process.hrtime.bigint();
  await followChunks(s, f.index, 0, 40);
  first += ms(t0);
  info = {
    frames: s.frameCount,
    conversations: Object.fromEntries(Object.entries(all.conv).map(([k, v]) => [k, v.length])),
    expertGroups: groups.length,
    stream: big.stream,
    streamFrames: big.framesAB + big.framesBA,
    chunks: f.index.count,
    payload: f.bytes[0] + f.bytes[1],
  };
  if (r === 0) continue; // warm-up
  res.tcpConversations.push(tcpConv);
  res.conversations.push(conv);
  res.expert.push(expert);
  res.followFirst.push(first);
  res.followAll.push(fall);
}
const out = {
  file: path.basename(file),
  ...info,
  medianMs: Object.fromEntries(Object.entries(res).map(([k, v]) => [k, Math.round(median(v) * 10) / 10])),
};
console.log(JSON.stringify(out, null, 2));
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(out, null, 2));
