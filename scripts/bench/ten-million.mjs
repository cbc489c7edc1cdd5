// The benchmarks' ten-million-frame capture: bench-out/ten-million.pcap (10 M small frames,
// 700 MB), written once if missing. Frames are Ethernet/IPv4/TCP in 1000 conversations (both
// directions, port 80), with frame.len varying (the records say the frames were cut to 54
// bytes), and one frame in 64 a UDP datagram between varying hosts, so that every packet-list
// column has something to sort.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

export const TEN_MILLION = 10_000_000;

/** Path of the capture in `dir`, written first if missing. */
export function tenMillionCapture(dir, n = TEN_MILLION) {
  const file = path.join(dir, n === TEN_MILLION ? 'ten-million.pcap' : `frames-${n}.pcap`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.part`;
  const fd = openSync(tmp, 'w');
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(4, 6);
  hdr.writeUInt32LE(65535, 16);
  hdr.writeUInt32LE(1, 20);
  writeSync(fd, hdr);
  const REC = 16 + 54;
  const B = 100000;
  const buf = Buffer.alloc(REC * B);
  for (let base = 0; base < n; base += B) {
    const m = Math.min(B, n - base);
    for (let j = 0; j < m; j++) {
      const i = base + j;
      const o = j * REC;
      buf.writeUInt32LE(1700000000 + Math.floor(i / 100000), o);
      buf.writeUInt32LE((i % 100000) * 10, o + 4);
      buf.writeUInt32LE(54, o + 8);
      buf.writeUInt32LE(54 + ((i * 7919) % 1447), o + 12);
      const f = o + 16;
      buf.fill(0, f, f + 54);
      buf.writeUInt16BE(0x0800, f + 12);
      buf[f + 14] = 0x45;
      buf.writeUInt16BE(40, f + 16);
      buf[f + 22] = 64;
      if (i % 64 === 63) {
        buf[f + 23] = 17;
        buf.writeUInt32BE(0x0a000003, f + 26);
        buf.writeUInt32BE(0x0a000100 + (i % 251), f + 30);
        buf.writeUInt16BE(33000, f + 34);
        buf.writeUInt16BE(33001, f + 36);
        buf.writeUInt16BE(20, f + 38);
        continue;
      }
      buf[f + 23] = 6;
      buf.writeUInt32BE(0x0a000001, f + 26);
      buf.writeUInt32BE(0x0a000002, f + 30);
      const conn = i % 1000;
      const dir = (i >> 10) & 1;
      buf.writeUInt16BE(dir ? 80 : 10000 + conn, f + 34);
      buf.writeUInt16BE(dir ? 10000 + conn : 80, f + 36);
      buf.writeUInt32BE((i * 7) >>> 0, f + 38);
      buf.writeUInt32BE((i * 3) >>> 0, f + 42);
      buf[f + 46] = 0x50;
      buf[f + 47] = 0x10;
      buf.writeUInt16BE(1000, f + 48);
    }
    writeSync(fd, buf, 0, m * REC);
  }
  closeSync(fd);
  renameSync(tmp, file);
  return file;
}
