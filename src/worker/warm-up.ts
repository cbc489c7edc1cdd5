/**
 * Warm-up: the first capture a fresh worker reads runs in V8's interpreter (the first 512 KiB
 * took ~90 ms cold against ~25 ms warm in bench:browser). Loading a small synthetic capture
 * — one TCP connection with a handshake, data, ACKs, a duplicate ACK, a retransmission and a
 * close — while the page is idle moves that cost out of the user's first drop.
 */
import { CaptureSession, MemorySource, readDetail, readRows } from '../engine/index';

/** ~10 000 frames: enough calls for V8 to optimise the per-frame paths (~100 ms, off the main thread). */
const SEGMENTS = 6000;

/** A little-endian µs Ethernet pcap of one made-up connection between 192.0.2.1 and 192.0.2.2. */
export function warmUpCapture(): Uint8Array {
  const frames: Uint8Array[] = [];
  let t = 0;
  const frame = (fromClient: boolean, flags: number, seq: number, ack: number, len: number) => {
    const f = new Uint8Array(16 + 54 + len);
    const v = new DataView(f.buffer);
    t += 100;
    v.setUint32(0, 1_700_000_000 + Math.floor(t / 1e6), true);
    v.setUint32(4, t % 1e6, true);
    v.setUint32(8, 54 + len, true);
    v.setUint32(12, 54 + len, true);
    const e = 16;
    f.set([2, 0, 0, 0, 0, fromClient ? 2 : 1, 2, 0, 0, 0, 0, fromClient ? 1 : 2, 8, 0], e);
    const ip = e + 14;
    v.setUint8(ip, 0x45);
    v.setUint16(ip + 2, 40 + len);
    v.setUint8(ip + 8, 64);
    v.setUint8(ip + 9, 6);
    f.set([192, 0, 2, fromClient ? 1 : 2, 192, 0, 2, fromClient ? 2 : 1], ip + 12);
    const tcp = ip + 20;
    v.setUint16(tcp, fromClient ? 40000 : 80);
    v.setUint16(tcp + 2, fromClient ? 80 : 40000);
    v.setUint32(tcp + 4, seq);
    v.setUint32(tcp + 8, ack);
    v.setUint8(tcp + 12, 0x50);
    v.setUint8(tcp + 13, flags);
    v.setUint16(tcp + 14, 65535);
    frames.push(f);
  };
  const SYN = 2, ACK = 16, PSH = 8, FIN = 1;
  frame(true, SYN, 1000, 0, 0);
  frame(false, SYN | ACK, 5000, 1001, 0);
  frame(true, ACK, 1001, 5001, 0);
  let seq = 1001;
  for (let i = 0; i < SEGMENTS; i++) {
    frame(true, ACK | (i % 4 === 3 ? PSH : 0), seq, 5001, 100);
    seq += 100;
    if (i % 2 === 1) frame(false, ACK, 5001, i % 50 === 49 ? seq - 100 : seq, 0);
    if (i % 50 === 49) {
      frame(false, ACK, 5001, seq - 100, 0);
      frame(true, ACK, seq - 100, 5001, 100);
    }
  }
  frame(true, FIN | ACK, seq, 5001, 0);
  frame(false, FIN | ACK, 5001, seq + 1, 0);
  frame(true, ACK, seq + 1, 5002, 0);
  const header = new Uint8Array(24);
  const h = new DataView(header.buffer);
  h.setUint32(0, 0xa1b2c3d4, true);
  h.setUint16(4, 2, true);
  h.setUint16(6, 4, true);
  h.setUint32(16, 262144, true);
  h.setUint32(20, 1, true);
  const out = new Uint8Array(24 + frames.reduce((a, f) => a + f.length, 0));
  out.set(header, 0);
  let pos = 24;
  for (const f of frames) {
    out.set(f, pos);
    pos += f.length;
  }
  return out;
}

/** Run the load, row and detail paths once on the synthetic capture; returns its frame count. */
export async function warmUp(): Promise<number> {
  const s = new CaptureSession(new MemorySource(warmUpCapture(), 'warm-up'));
  const r = await s.load({ chunkSize: 256 * 1024 });
  for (let n = 1; n + 40 <= r.frames; n += 97) await readRows(s, n, n + 40);
  for (let n = 1; n <= r.frames; n += 61) await readDetail(s, n);
  return r.frames;
}
