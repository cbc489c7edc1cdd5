/**
 * IEEE 802.15.4 + 6LoWPAN. Every expectation was checked against tshark 4.0.17 on the same
 * frames written to a pcap (ipv6.src / ipv6.dst / tcp.srcport / udp.srcport, -T fields).
 */
import { describe, expect, it } from 'vitest';
import { LINKTYPE } from './link/types';
import { LINKTYPE_NAMES } from './decoder';
import { decodeHex, hex, tcpHex } from './testing';
import { ipv6 } from '../fields/format';
import type { Packet } from './packet';

/** The frame with its 16-bit FCS (ITU-T CRC-16, little-endian) appended, as hex. */
function withFcs(frame: string): string {
  let c = 0;
  for (const x of hex(frame)) {
    c ^= x;
    for (let i = 0; i < 8; i++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
  }
  return `${frame.replace(/\s+/g, '')}${(c & 0xff).toString(16).padStart(2, '0')}${(c >> 8).toString(16).padStart(2, '0')}`;
}

const wpan = (frame: string, origLen?: number) => decodeHex(LINKTYPE.IEEE802_15_4_WITHFCS, withFcs(frame), origLen);

const TCP = tcpHex(1234, 80);
/** 2006 data frame, PAN ID compression, short destination 0x0001, short source 0x0002. */
const SHORT = '4198 01 cdab 0100 0200';
/** 2006 data frame, PAN ID compression, extended destination and source (little-endian on the air). */
const EXT = '41dc 01 cdab 1122334455667788 0807060504030201';

const src = (p: Packet, i = 0) => ipv6(p.ip6Bufs[i], p.ip6Offs[i] + 8);
const dst = (p: Packet, i = 0) => ipv6(p.ip6Bufs[i], p.ip6Offs[i] + 24);

function expectTcp(p: Packet, s: string, d: string): void {
  expect(p.ip6Count).toBe(1);
  expect(src(p)).toBe(s);
  expect(dst(p)).toBe(d);
  expect(p.hasTcp).toBe(true);
  expect(p.family).toBe(6);
  expect(p.srcPort).toBe(1234);
  expect(p.dstPort).toBe(80);
  expect(p.segLen).toBe(0);
}

describe('IEEE 802.15.4 + 6LoWPAN IPHC', () => {
  it('elided addresses from short MAC addresses: fe80::ff:fe00:XXXX', () => {
    expectTcp(wpan(`${SHORT} 7a33 06 ${TCP}`), 'fe80::ff:fe00:2', 'fe80::ff:fe00:1');
  });

  it('elided addresses from extended MAC addresses: EUI-64 with the U/L bit flipped', () => {
    expectTcp(wpan(`${EXT} 7a33 06 ${TCP}`), 'fe80::302:304:506:708', 'fe80::8a77:6655:4433:2211');
  });

  it('inline addresses: 16-bit, 64-bit and full 128-bit', () => {
    expectTcp(wpan(`${SHORT} 7a21 06 abcd 0a0b0c0d0e0f1011 ${TCP}`), 'fe80::ff:fe00:abcd', 'fe80::a0b:c0d:e0f:1011');
    const a = '20010db8000000000000000000000001';
    const b = '20010db8000000000000000000000002';
    expectTcp(wpan(`${SHORT} 7a00 06 ${a} ${b} ${TCP}`), '2001:db8::1', '2001:db8::2');
  });

  it('context-based and multicast compression (no context configured: zero prefix)', () => {
    expectTcp(wpan(`${SHORT} 7a73 06 ${TCP}`), '::ff:fe00:2', 'fe80::ff:fe00:1');
    expectTcp(wpan(`${SHORT} 7a43 06 ${TCP}`), '::', 'fe80::ff:fe00:1');
    expectTcp(wpan(`${SHORT} 7a3b 06 01 ${TCP}`), 'fe80::ff:fe00:2', 'ff02::1');
    expectTcp(wpan(`${SHORT} 7a39 06 0e 0102030405 ${TCP}`), 'fe80::ff:fe00:2', 'ff0e::1:203:405');
    expectTcp(wpan(`${SHORT} 7a3c 06 ff0e 12345678 ${TCP}`), 'fe80::ff:fe00:2', 'ffff:e00::1234:5678');
    // A reserved destination mode (DAC=1, DAM=00): no IPv6 header at all.
    expect(wpan(`${SHORT} 7a34 06 ${TCP}`).ip6Count).toBe(0);
  });

  it('traffic class, flow label and hop limit rebuilt in the IPv6 header', () => {
    const p = wpan(`${SHORT} 6a3b c12345 06 01 ${TCP}`); // TF=01: ECN + flow label
    const h = p.ip6Bufs[0];
    expect((h[0] << 4) & 0xf0 | (h[1] >> 4)).toBe(0x03);
    expect(((h[1] & 0x0f) << 16) | (h[2] << 8) | h[3]).toBe(0x12345);
    expect(h[7]).toBe(64);
    expect(wpan(`${SHORT} 783b 06 05 01 ${TCP}`).ttl).toBe(5); // hop limit inline
  });

  it('UDP NHC: ports inline or compressed, the length from the bytes on the wire', () => {
    const p = wpan(`${SHORT} 7e33 f3 12 beef 68656c6c6f`);
    expect(p.hasTcp).toBe(false);
    expect(p.proto).toBe('UDP');
    const h = p.ip6Bufs[0];
    expect(h[6]).toBe(17);
    expect((h[40] << 8) | h[41]).toBe(61617);
    expect((h[42] << 8) | h[43]).toBe(61618);
    expect((h[44] << 8) | h[45]).toBe(13);
    // Captured short of the wire length: the UDP length counts what was on the wire (200 bytes
    // - 2 FCS - 9 MAC - 2 IPHC - 7 NHC + 8).
    const cut = decodeHex(LINKTYPE.IEEE802_15_4_WITHFCS, `${SHORT} 7e33 f0 1234 5678 beef`, 200);
    expect((cut.ip6Bufs[0][44] << 8) | cut.ip6Bufs[0][45]).toBe(188);
    expect(src(cut)).toBe('fe80::ff:fe00:2');
  });

  it('extension header NHC before an inline TCP next header', () => {
    const p = wpan(`${SHORT} 7e33 e0 06 02 0000 ${TCP}`);
    expectTcp(p, 'fe80::ff:fe00:2', 'fe80::ff:fe00:1');
    expect(p.ip6Bufs[0][6]).toBe(0); // Hop-by-Hop, padded to 8 bytes
  });

  it('an unknown NHC keeps the IPv6 header with no next header', () => {
    const p = wpan(`${SHORT} 7e33 b0 0401 2710 8ff1`);
    expect(src(p)).toBe('fe80::ff:fe00:2');
    expect(p.ip6Bufs[0][6]).toBe(59);
    expect(p.hasTcp).toBe(false);
  });

  it('TCP length from the wire length when the frame is cut', () => {
    const frame = `${SHORT} 7a33 06 ${TCP}`;
    const p = decodeHex(LINKTYPE.IEEE802_15_4_WITHFCS, frame, hex(frame).length + 102);
    expect(p.segLen).toBe(100);
  });

  it('truncated or malformed IPHC: no IPv6 header, no throw', () => {
    for (const cut of ['7a', '7a33', '7a00 06 20010db8', '7e33 f0 12', '7e33 e0 06', '7a0006']) {
      const p = wpan(`${SHORT} ${cut}`);
      expect(p.ip6Count).toBe(0);
      expect(p.hasTcp).toBe(false);
    }
    const full = hex(withFcs(`${EXT} 7a00 06 ${'00'.repeat(32)} ${TCP}`));
    for (let n = 0; n <= full.length; n++) {
      const p = decodeHex(LINKTYPE.IEEE802_15_4_WITHFCS, Array.from(full.subarray(0, n), (x) => x.toString(16).padStart(2, '0')).join(''));
      expect(p.ip6Count).toBeLessThanOrEqual(1);
    }
  });

  it('a bad FCS stops before the payload; an FCS not captured is not checked', () => {
    const frame = `${SHORT} 7a33 06 ${TCP}`;
    expect(decodeHex(LINKTYPE.IEEE802_15_4_WITHFCS, `${frame} 0000`).hasTcp).toBe(false);
    expect(decodeHex(LINKTYPE.IEEE802_15_4_WITHFCS, frame, hex(frame).length + 2).hasTcp).toBe(true);
    expect(decodeHex(LINKTYPE.IEEE802_15_4_NOFCS, frame).hasTcp).toBe(true);
  });

  it('mesh header addresses replace the MAC addresses; uncompressed IPv6 dispatch', () => {
    expectTcp(wpan(`${SHORT} b5 1111 2222 7a33 06 ${TCP}`), 'fe80::ff:fe00:1111', 'fe80::ff:fe00:2222');
    expectTcp(wpan(`${SHORT} 85 0102030405060708 1112131415161718 7a33 06 ${TCP}`), 'fe80::302:304:506:708', 'fe80::1312:1314:1516:1718');
    const a = '20010db8000000000000000000000001';
    const p = wpan(`${SHORT} 41 6000000000140640 ${a} ${a} ${TCP}`);
    expect(p.ip6Off).toBe(10);
    expect(p.srcPort).toBe(1234);
  });

  it('802.15.4-2015: PAN ID compression table, suppressed sequence number, IEs', () => {
    // Extended/extended without compression: destination PAN only (the corpus frame's layout).
    expectTcp(wpan(`01ec 01 cdab 1122334455667788 0807060504030201 7a33 06 ${TCP}`), 'fe80::302:304:506:708', 'fe80::8a77:6655:4433:2211');
    // Short/extended without compression: both PAN IDs.
    expectTcp(wpan(`01e8 01 cdab 0100 3412 0807060504030201 7a33 06 ${TCP}`), 'fe80::302:304:506:708', 'fe80::ff:fe00:1');
    // No addresses: both count as short address 0.
    expectTcp(wpan(`4120 01 cdab 7a33 06 ${TCP}`), 'fe80::ff:fe00:0', 'fe80::ff:fe00:0');
    // Sequence number suppressed, header IE then HT2, payload.
    expectTcp(wpan(`41ab cdab 0100 0200 0200 aabb 803f 7a33 06 ${TCP}`), 'fe80::ff:fe00:2', 'fe80::ff:fe00:1');
    // HT1, a payload IE, payload termination, payload.
    expectTcp(wpan(`41aa 01 cdab 0100 0200 003f 0290 1122 00f8 7a33 06 ${TCP}`), 'fe80::ff:fe00:2', 'fe80::ff:fe00:1');
    // IEs without a terminator, 2006 PAN ID compression with one address, security: not decoded.
    expect(wpan(`41aa 01 cdab 0100 0200 0200 aabb 7a33 06 ${TCP}`).ip6Count).toBe(0);
    expect(wpan(`4190 01 cdab 0200 7a33 06 ${TCP}`).ip6Count).toBe(0);
    expect(wpan(`4998 01 cdab 0100 0200 05 01000000 7a33 06 ${TCP}`).ip6Count).toBe(0);
  });

  it('non-ASK PHY and TAP pseudo-headers', () => {
    const mac = withFcs(`${SHORT} 7a33 06 ${TCP}`);
    const len = (hex(mac).length).toString(16).padStart(2, '0');
    expect(decodeHex(LINKTYPE.IEEE802_15_4_NONASK_PHY, `00000000 a7 ${len} ${mac}`).srcPort).toBe(1234);
    expect(decodeHex(LINKTYPE.IEEE802_15_4_TAP, `00 00 0c00 0000 0100 01000000 ${mac}`).srcPort).toBe(1234);
    expect(decodeHex(LINKTYPE.IEEE802_15_4_TAP, `00 00 0400 ${SHORT} 7a33 06 ${TCP}`).srcPort).toBe(1234);
    expect(decodeHex(LINKTYPE.IEEE802_15_4_TAP, `00 00 0c00 0000 0100 01000000 ${SHORT} 7a33 06 ${TCP} 0000`).hasTcp).toBe(false);
    expect(LINKTYPE_NAMES[LINKTYPE.IEEE802_15_4_WITHFCS]).toBe('IEEE 802.15.4 Wireless PAN');
  });
});
