import { describe, expect, it } from 'vitest';
import { LINKTYPE } from './link/types';
import { TCP_FRAGMENT, TCP_ICMP, TCP_NORMAL } from './packet';
import { A4, A6, B4, B6, ETH, decodeHex, ipv4Hex, ipv6Hex, tcpHex } from './testing';

const E = LINKTYPE.ETHERNET;
const TCP = tcpHex(1234, 80, '020405b4 01030307'); // 28-byte header with MSS and window scale

describe('IP and TCP edge rules (as tshark shows them)', () => {
  it('a truncated IPv4 header still records the addresses that were captured', () => {
    const full = `${ETH} 0800 ${ipv4Hex(A4, B4, 17, '00350035000c0000 01020304')}`.replace(/\s+/g, '');
    const p = decodeHex(E, full.slice(0, (14 + 17) * 2), 100); // source captured, destination cut
    expect(p.ip4Count).toBe(1);
    expect(p.ip4Lens[0]).toBe(17);
    expect(p.hasTcp).toBe(false);
  });

  it('IPv4 total length below the header length stops before the addresses', () => {
    const p = decodeHex(E, `${ETH} 4500 0013 0001 0000 4011 0000 ${A4} ${B4} 0035`);
    expect(p.ip4Count).toBe(0);
  });

  it('an IPv4 ethertype carrying a version-6 header is decoded as IPv6', () => {
    const p = decodeHex(E, `${ETH} 0800 ${ipv6Hex(A6, B6, 6, TCP)}`);
    expect(p.ip4Count).toBe(0);
    expect(p.ip6Off).toBe(14);
    expect(p.hasTcp).toBe(true);
  });

  it('IPv6 extension headers are skipped to the TCP header, but a Mobility header ends the dissection', () => {
    // Destination Options (60) then TCP: decoded. Mobility (135) then TCP: tshark stops at MIPv6.
    for (const [next, tcp] of [[60, true], [135, false]] as const) {
      const ext = `06 00 ${'00'.repeat(6)}`; // next header TCP, length 0 (8 bytes)
      const p = decodeHex(E, `${ETH} 86dd ${ipv6Hex(A6, B6, next, ext + TCP)}`);
      expect(p.ip6Count, String(next)).toBe(1);
      expect(p.hasTcp, String(next)).toBe(tcp);
    }
  });

  it('IPv6 payload length 0 without a Hop-by-Hop header means an empty payload', () => {
    const b = ipv6Hex(A6, B6, 6, TCP).replace(/^(.{8})..../, '$10000');
    const p = decodeHex(E, `${ETH} 86dd ${b}`);
    expect(p.ip6Count).toBe(1);
    expect(p.hasTcp).toBe(false);
  });

  it('a first fragment that was not captured in full is dissected, without analysis', () => {
    // MF set, offset 0, total length far beyond the captured bytes.
    const ip = ipv4Hex(A4, B4, 6, TCP, 0x2000).replace(/^(.{4}).{4}/, '$10fa0');
    const p = decodeHex(E, `${ETH} 0800 ${ip}`, 14 + 4000);
    expect(p.hasTcp).toBe(true);
    expect(p.tcpCtx).toBe(TCP_FRAGMENT);
    expect(p.tcpQuoted).toBe(true);
    expect(p.segLen).toBe(-1);
    // A later fragment is not dissected.
    const later = ipv4Hex(A4, B4, 6, TCP, 0x2010).replace(/^(.{4}).{4}/, '$10fa0');
    expect(decodeHex(E, `${ETH} 0800 ${later}`, 14 + 4000).hasTcp).toBe(false);
  });

  it('a complete fragment waits for reassembly (no TCP yet)', () => {
    const p = decodeHex(E, `${ETH} 0800 ${ipv4Hex(A4, B4, 6, TCP, 0x2000)}`);
    expect(p.hasTcp).toBe(false);
    expect(p.ip4Count).toBe(1);
  });

  it('TCP needs 16 bytes for the fixed header; the urgent pointer may be missing', () => {
    const ip = ipv4Hex(A4, B4, 6, TCP).replace(/\s+/g, '');
    const cut = (n: number) => decodeHex(E, `${ETH} 0800 ${ip}`.replace(/\s+/g, '').slice(0, (34 + n) * 2), 100);
    const p12 = cut(12);
    expect(p12.hasTcp).toBe(true);
    expect(p12.tcpFull).toBe(false);
    expect(p12.srcPort).toBe(1234);
    const p16 = cut(16);
    expect(p16.tcpFull).toBe(true);
    expect(p16.hdrLen).toBe(28);
    expect(p16.window).toBe(512);
    expect(p16.urgent).toBe(0);
    expect(p16.segLen).toBe(0); // the IP total length (48) bounds the segment
    expect(p16.tcpCtx).toBe(TCP_NORMAL);
  });

  it('ICMP errors quote an IP header and TCP: recorded as a second occurrence, no analysis', () => {
    const quoted = ipv4Hex(B4, A4, 6, tcpHex(80, 1234)).replace(/\s+/g, '').slice(0, (20 + 8) * 2);
    const p = decodeHex(E, `${ETH} 0800 ${ipv4Hex('0a000003', A4, 1, `0303 0000 00000000 ${quoted}`)}`);
    expect(p.ip4Count).toBe(2);
    expect(p.ip4Offs[1]).toBe(14 + 20 + 8);
    expect(p.hasTcp).toBe(true);
    expect(p.tcpCtx).toBe(TCP_ICMP);
    expect(p.tcpFull).toBe(false);
    expect(p.icmpType).toBe(3);
    expect(p.src[0]).toBe(0x0a000002);
  });

  it('never reads past the captured bytes of any prefix of a tunnelled frame', () => {
    const inner = `${ETH} 0800 ${ipv4Hex('c0a80001', 'c0a80002', 6, TCP)}`;
    const gre = `0000 6558 ${inner}`;
    const frame = `${ETH} 8100 0064 8847 00065140 ${ipv4Hex(A4, B4, 47, gre)}`.replace(/\s+/g, '');
    for (let n = 0; n <= frame.length / 2; n++) {
      const p = decodeHex(E, frame.slice(0, n * 2), frame.length / 2);
      for (let i = 0; i < p.ip4Count; i++) expect(p.ip4Offs[i] + p.ip4Lens[i]).toBeLessThanOrEqual(n);
      if (p.hasTcp) expect(p.tcpOff + p.tcpAvail).toBeLessThanOrEqual(n);
    }
    const whole = decodeHex(E, frame);
    expect(whole.ip4Count).toBe(2);
    expect(whole.hasTcp).toBe(true);
    expect(whole.src[0]).toBe(0xc0a80001);
  });
});

describe('UDP header in the Packet (ports and payload for the application dissectors)', () => {
  const UDP = '0035c822 000c 0000 01020304'; // 53 → 51234, length 12, 4 payload bytes
  it('records the first UDP header: ports, length, payload bounds, frame offset', () => {
    const p = decodeHex(E, `${ETH} 0800 ${ipv4Hex(A4, B4, 17, UDP)}`);
    expect([p.udpOff, p.udpBufOff, p.udpSrc, p.udpDst, p.udpLen, p.udpEnd, p.udpQuoted]).toEqual([34, 34, 53, 51234, 12, 46, false]);
  });
  it('the payload end stops at the captured bytes and at the UDP length', () => {
    const p = decodeHex(E, `${ETH} 0800 ${ipv4Hex(A4, B4, 17, UDP)}`.replace(/\s+/g, '').slice(0, (14 + 20 + 10) * 2), 46);
    expect(p.udpEnd).toBe(44);
    const long = decodeHex(E, `${ETH} 0800 ${ipv4Hex(A4, B4, 17, UDP.replace('000c', '000a'))}`);
    expect(long.udpEnd).toBe(44);
  });
  it('no UDP header: udpOff -1; quoted in an ICMP error: marked quoted', () => {
    expect(decodeHex(E, `${ETH} 0800 ${ipv4Hex(A4, B4, 6, TCP)}`).udpOff).toBe(-1);
    const quoted = ipv4Hex(B4, A4, 17, UDP);
    const p = decodeHex(E, `${ETH} 0800 ${ipv4Hex(A4, B4, 1, `0303 0000 00000000 ${quoted}`)}`);
    expect(p.udpQuoted).toBe(true);
    expect(p.udpOff).toBe(14 + 20 + 8 + 20);
  });
});
