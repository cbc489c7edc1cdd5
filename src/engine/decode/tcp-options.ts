import type { Packet } from './packet';

/**
 * Walk the captured TCP options of the frame's TCP header (the caller checks there is one): `visit(kind, offset, length)` for each
 * option with a length (NOP skipped, EOL ends; a bad length ends the walk, as tshark stops). With `onebyte`, NOP and
 * EOL are visited too, with length 1.
 */
export function forEachTcpOption(p: Packet, visit: (kind: number, o: number, len: number) => void, onebyte = false): void {
  if (p.hdrLen <= 20) return;
  const b = p.tcpBuf;
  const end = p.tcpOff + Math.min(p.hdrLen, p.tcpAvail);
  let o = p.tcpOff + 20;
  while (o < end) {
    const k = b[o];
    if (k === 0) {
      if (onebyte) visit(0, o, 1);
      break;
    }
    if (k === 1) {
      if (onebyte) visit(1, o, 1);
      o++;
      continue;
    }
    if (o + 1 >= end) break;
    const len = b[o + 1];
    if (len < 2 || o + len > end) break;
    visit(k, o, len);
    o += len;
  }
}

/** The 32-bit big-endian value at `q`. */
export const u32At = (b: Uint8Array, q: number): number => ((b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3]) >>> 0;
