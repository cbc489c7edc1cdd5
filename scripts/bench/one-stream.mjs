// A capture of ONE long TCP connection for the graph benchmark (bench:browser): N full-size data
// segments (default 300 000) from 10.0.0.1:40000 to 10.0.0.2:80, 10 µs apart, headers only
// (snaplen 54: frame lengths say 1502), an ACK every second segment for the data sent 20
// segments earlier (window scale 7), and every 5000th segment lost: duplicate ACKs with SACK
// blocks follow until the sender retransmits it after the third. About N × 1.5 frames.
//   node scripts/bench/one-stream.mjs OUT.pcap [SEGMENTS]
import { writeFileSync } from 'node:fs';

const out = process.argv[2] ?? 'bench-out/one-stream.pcap';
const N = Number(process.argv[3] ?? 300_000);
const MSS = 1448;
const recs = [];
let tUs = 0;
const C = [10, 0, 0, 1];
const S = [10, 0, 0, 2];

function frame(fromClient, seq, ack, flags, win, len, opts = [], sack = []) {
  const o = [...opts];
  if (sack.length) {
    o.push(1, 1, 5, 2 + 8 * sack.length);
    for (const [l, r] of sack) for (const v of [l, r]) o.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  }
  while (o.length % 4) o.push(0);
  const tcpLen = 20 + o.length;
  const b = Buffer.alloc(14 + 20 + tcpLen);
  b.writeUInt16BE(0x0800, 12);
  b[14] = 0x45;
  b.writeUInt16BE(20 + tcpLen + len, 16);
  b[22] = 64;
  b[23] = 6;
  Buffer.from(fromClient ? C : S).copy(b, 26);
  Buffer.from(fromClient ? S : C).copy(b, 30);
  const t = 34;
  b.writeUInt16BE(fromClient ? 40000 : 80, t);
  b.writeUInt16BE(fromClient ? 80 : 40000, t + 2);
  b.writeUInt32BE(seq >>> 0, t + 4);
  b.writeUInt32BE(ack >>> 0, t + 8);
  b[t + 12] = (tcpLen / 4) << 4;
  b[t + 13] = flags;
  b.writeUInt16BE(win, t + 14);
  Buffer.from(o).copy(b, t + 20);
  const h = Buffer.alloc(16);
  h.writeUInt32LE(Math.floor(tUs / 1e6), 0);
  h.writeUInt32LE(Math.round(tUs % 1e6), 4);
  h.writeUInt32LE(b.length, 8);
  h.writeUInt32LE(b.length + len, 12);
  recs.push(h, b);
}

const ISN_C = 1000;
const ISN_S = 5000;
const SYN_OPTS = [2, 4, MSS >> 8, MSS & 255, 1, 1, 4, 2, 1, 3, 3, 7];
frame(true, ISN_C, 0, 0x02, 64240, 0, SYN_OPTS);
tUs += 100;
frame(false, ISN_S, ISN_C + 1, 0x12, 65160, 0, SYN_OPTS);
tUs += 100;
frame(true, ISN_C + 1, ISN_S + 1, 0x10, 502, 0);
const seqOf = (i) => ISN_C + 1 + i * MSS;
const LOSS = 5000;
let lost = -1; // the segment waiting for its retransmission
let dups = 0;
let acked = 0; // segments acknowledged (all below it)
for (let i = 0; i < N; i++) {
  tUs += 10;
  const drop = i % LOSS === LOSS - 1 && lost < 0;
  if (drop) lost = i;
  else frame(true, seqOf(i), ISN_S + 1, 0x18, 502, MSS);
  if (i % 2 === 1 && i >= 20) {
    tUs += 1;
    const upTo = i - 19; // segments [0, upTo) have arrived at the receiver
    if (lost >= 0 && upTo > lost) {
      // Duplicate ACK for the hole, SACKing what came after it.
      frame(false, ISN_S + 1, seqOf(lost), 0x10, 2048, 0, [], [[seqOf(lost + 1), seqOf(upTo)]]);
      if (++dups === 3) {
        tUs += 5;
        frame(true, seqOf(lost), ISN_S + 1, 0x18, 502, MSS);
        lost = -1;
        dups = 0;
      }
    } else if (upTo > acked) {
      acked = upTo;
      frame(false, ISN_S + 1, seqOf(upTo), 0x10, 2048, 0);
    }
  }
}
const head = Buffer.alloc(24);
head.writeUInt32LE(0xa1b2c3d4, 0);
head.writeUInt16LE(2, 4);
head.writeUInt16LE(4, 6);
head.writeUInt32LE(65535, 16);
head.writeUInt32LE(1, 20);
writeFileSync(out, Buffer.concat([head, ...recs]));
console.log(`one-stream: ${out}, ${recs.length / 2} frames`);
