/**
 * Test-only: a small capture with one frame of each protocol the tree expands besides TCP
 * (UDP, ICMP echo request and reply, an ICMP error quoting a UDP datagram, ARP request and
 * reply, ICMPv6 neighbour solicitation), built with the tests' capture builder.
 */
import { concat, ipv4Packet, ipv6Packet, ns, writePcap, type Record_ } from './build';

const MAC_A = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
const MAC_B = [0x02, 0x66, 0x77, 0x88, 0x99, 0xaa];
const BCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

function eth(dst: number[], src: number[], type: number, payload: Uint8Array): Uint8Array {
  return concat([Uint8Array.from([...dst, ...src, type >> 8, type & 0xff]), payload]);
}

function sum16(b: Uint8Array, init = 0): number {
  let s = init;
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) | (i + 1 < b.length ? b[i + 1] : 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

function withChecksum(m: Uint8Array, at: number, init = 0): Uint8Array {
  const c = sum16(m, init);
  m[at] = c >> 8;
  m[at + 1] = c & 0xff;
  return m;
}

const udp = (sp: number, dp: number, payload: number[]) =>
  Uint8Array.from([sp >> 8, sp & 0xff, dp >> 8, dp & 0xff, 0, 8 + payload.length, 0, 0, ...payload]);

function icmpEcho(type: number, id: number, seq: number): Uint8Array {
  const m = Uint8Array.from([type, 0, 0, 0, id >> 8, id & 0xff, seq >> 8, seq & 0xff, ...Array.from({ length: 16 }, (_, i) => 0x61 + i)]);
  return withChecksum(m, 2);
}

function arp(op: number, sha: number[], spa: number[], tha: number[], tpa: number[]): Uint8Array {
  return Uint8Array.from([0, 1, 8, 0, 6, 4, 0, op, ...sha, ...spa, ...tha, ...tpa]);
}

export function treeSample(): Uint8Array {
  const dgram = udp(33000, 33001, [0x12, 0x34, 0x81, 0x80]);
  const quotedIp = ipv4Packet('192.0.2.1', '198.51.100.7', 17, udp(40000, 33434, [1, 2, 3, 4]));
  const err = withChecksum(concat([Uint8Array.from([3, 3, 0, 0, 0, 0, 0, 0]), quotedIp]), 2);
  const ns6 = new Uint8Array(32);
  ns6[0] = 135;
  ns6.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 8);
  ns6.set([1, 1, ...MAC_A], 24);
  const src6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
  const dst6 = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 1];
  withChecksum(ns6, 2, (() => {
    let s = 0;
    for (const a of [src6, dst6]) for (let i = 0; i < 16; i += 2) s += (a[i] << 8) | a[i + 1];
    return s + 32 + 58;
  })());
  const frames = [
    eth(MAC_A, MAC_B, 0x0800, ipv4Packet('198.51.100.7', '192.0.2.1', 17, dgram)),
    eth(MAC_A, MAC_B, 0x0800, ipv4Packet('192.0.2.1', '198.51.100.7', 17, udp(33001, 33000, [0x12, 0x34, 1, 0]))),
    eth(MAC_B, MAC_A, 0x0800, ipv4Packet('192.0.2.1', '198.51.100.7', 1, icmpEcho(8, 0x0100, 7))),
    eth(MAC_A, MAC_B, 0x0800, ipv4Packet('198.51.100.7', '192.0.2.1', 1, icmpEcho(0, 0x0100, 7))),
    eth(MAC_A, MAC_B, 0x0800, ipv4Packet('198.51.100.7', '192.0.2.1', 1, err, { ttl: 3 })),
    eth(BCAST, MAC_A, 0x0806, arp(1, MAC_A, [192, 0, 2, 1], [0, 0, 0, 0, 0, 0], [192, 0, 2, 9])),
    eth(MAC_A, MAC_B, 0x0806, concat([arp(2, MAC_B, [192, 0, 2, 9], MAC_A, [192, 0, 2, 1]), new Uint8Array(18)])),
    eth([0x33, 0x33, 0xff, 0, 0, 1], MAC_A, 0x86dd, (() => {
      const p = ipv6Packet('2001:db8::2', 'ff02::1:ff00:1', 58, ns6, 255);
      return p;
    })()),
  ];
  const records: Record_[] = frames.map((data, i) => ({ ts: ns(1_700_000_000 + i * 0.25), data }));
  return writePcap(records);
}
