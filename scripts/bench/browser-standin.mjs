// Writes a large capture by repeating one recorded connection: each copy gets a new client port
// and starts one second later, until about FRAMES frames (little-endian µs Ethernet pcap).
// Used by bench:browser when scripts/bench/make-capture.sh cannot record the benchmark capture,
// and by the e2e large-capture test.
//   node scripts/bench/browser-standin.mjs OUT.pcap [FRAMES=600000] [SEED=../shared/captures/real_bulk_tso_gso_off_ipv4.pcap]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const out = process.argv[2] ?? 'bench-out/big.pcap';
const want = Number(process.argv[3] ?? 600_000);
const seed = process.argv[4] ?? '../shared/captures/real_bulk_tso_gso_off_ipv4.pcap';
const src = readFileSync(seed);
if (src.readUInt32LE(0) !== 0xa1b2c3d4 || src.readUInt32LE(20) !== 1) throw new Error(`${seed}: need a little-endian µs Ethernet pcap`);
const records = [];
for (let o = 24; o + 16 <= src.length; ) {
  const len = src.readUInt32LE(o + 8);
  records.push(src.subarray(o, o + 16 + len));
  o += 16 + len;
}
const tcpAt = (r) => 16 + 14 + (r[16 + 14] & 15) * 4;
const client = records[0].readUInt16BE(tcpAt(records[0]));
const times = Math.ceil(want / records.length);
const size = 24 + records.reduce((a, r) => a + r.length, 0) * times;
const buf = Buffer.alloc(size);
src.copy(buf, 0, 0, 24);
let pos = 24;
for (let k = 0; k < times; k++) {
  const port = 1024 + (k % 60000);
  for (const r of records) {
    r.copy(buf, pos);
    buf.writeUInt32LE(r.readUInt32LE(0) + k, pos);
    const t = pos + tcpAt(r);
    if (buf.readUInt16BE(t) === client) buf.writeUInt16BE(port, t);
    if (buf.readUInt16BE(t + 2) === client) buf.writeUInt16BE(port, t + 2);
    pos += r.length;
  }
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, buf);
console.log(`${out}: ${records.length * times} frames, ${(size / 1e6).toFixed(1)} MB (${times} copies of ${seed})`);
