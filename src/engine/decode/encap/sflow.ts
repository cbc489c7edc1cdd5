/**
 * sFlow v5 (UDP 6343). tshark decodes the sampled packet headers of flow samples (format 1)
 * and expanded flow samples (format 3): raw-packet-header records (format 1) whose header
 * protocol is Ethernet (1), IPv4 (11) or IPv6 (12). A TCP header found there is shown but
 * not analysed (TCP_SAMPLED). Everything is 4-byte aligned, big-endian.
 */
import type { Decoder } from '../decoder';
import type { Encapsulation } from '../layer';
import { TCP_SAMPLED } from '../packet';

const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

function sampledHeader(d: Decoder, proto: number, o: number, end: number, rend: number): void {
  const saved = d.ctx;
  d.ctx = TCP_SAMPLED;
  if (proto === 1) d.ethernet(o, end, rend);
  else if (proto === 11) d.ipv4(o, end, rend);
  else if (proto === 12) d.ipv6(o, end, rend);
  d.ctx = saved;
}

function flowRecords(d: Decoder, q: number, count: number, end: number): void {
  const b = d.buf;
  for (let i = 0; i < count && end - q >= 8; i++) {
    const fmt = u32(b, q);
    const len = u32(b, q + 4);
    const r = q + 8;
    if (len > end - r && fmt !== 1) return;
    if (fmt === 1 && end - r >= 16) {
      const proto = u32(b, r);
      const hlen = u32(b, r + 12);
      const h = r + 16;
      sampledHeader(d, proto, h, Math.min(end, h + hlen), h + hlen);
    }
    q = r + ((len + 3) & ~3);
  }
}

export const sflow: Encapsulation = {
  name: 'sFlow',
  udpPorts: [6343],
  decode(d, o, end) {
    const b = d.buf;
    d.p.proto = 'sFlow';
    if (end - o < 8 || u32(b, o) !== 5) return d.note('sFlow', 'sFlow');
    const at = u32(b, o + 4);
    let q = o + 8 + (at === 2 ? 16 : 4);
    if (end - q < 16) return d.note('sFlow', 'sFlow');
    const n = u32(b, q + 12);
    q += 16;
    for (let i = 0; i < n && end - q >= 8; i++) {
      const type = u32(b, q) & 0xfff;
      const enterprise = u32(b, q) >>> 12;
      const len = u32(b, q + 4);
      const s = q + 8;
      const se = Math.min(end, s + len);
      if (enterprise === 0 && type === 1 && se - s >= 32) flowRecords(d, s + 32, u32(b, s + 28), se);
      else if (enterprise === 0 && type === 3 && se - s >= 44) flowRecords(d, s + 44, u32(b, s + 40), se);
      q = s + ((len + 3) & ~3);
      if (q < s) return;
    }
  },
};
