import { describe, expect, it } from 'vitest';
import { LINKTYPE } from './link/types';
import { TCP_NORMAL, TCP_SAMPLED } from './packet';
import { A4, A6, B4, B6, ETH, decodeHex, ipv4Hex, ipv6Hex, tcpHex } from './testing';

const TCP4 = ipv4Hex(A4, B4, 6, tcpHex(1234, 80));
const E = LINKTYPE.ETHERNET;

describe('encapsulations', () => {
  it('MPLS: label stack to the bottom-of-stack bit, then IP by version nibble', () => {
    const p = decodeHex(E, `${ETH} 8847 00064000 00065140 ${TCP4}`);
    expect(p.hasTcp).toBe(true);
    expect(p.ip4Off).toBe(22);
    // Not IPv4/IPv6 after the stack: nothing is guessed.
    expect(decodeHex(E, `${ETH} 8847 00065140 00112233445566`).ip4Count).toBe(0);
  });

  it('Arista timestamp: 64-bit and 48-bit versions carry an ethertype; unknown versions stop', () => {
    expect(decodeHex(E, `${ETH} d28b 0001 0010 5ceeed57384f59c8 0800 ${TCP4}`).ip4Off).toBe(28);
    expect(decodeHex(E, `${ETH} d28b 0001 0120 ed95181524 74 0800 ${TCP4}`).ip4Off).toBe(26);
    expect(decodeHex(E, `${ETH} d28b 0001 0011 5ceeed57384f59c8 0800 ${TCP4}`).ip4Count).toBe(0);
  });

  it('MACsec: integrity-only frames show their payload, encrypted ones do not', () => {
    const icv = 'ff'.repeat(16);
    const p = decodeHex(E, `${ETH} 88e5 20 00 00000044 2eb73f3995c30001 0800 ${TCP4} ${icv}`);
    expect(p.hasTcp).toBe(true);
    expect(p.ip4Off).toBe(30);
    expect(p.segLen).toBe(0); // the ICV is not TCP payload
    expect(decodeHex(E, `${ETH} 88e5 2c 00 00000048 2eb73f3995c30001 0800 ${TCP4} ${icv}`).hasTcp).toBe(false);
  });

  it('NSH: header length in 4-byte words, next protocol IPv4', () => {
    const p = decodeHex(E, `${ETH} 894f 0006 0101 00030907 00000001 00000002 00000003 00000004 ${TCP4}`);
    expect(p.ip4Off).toBe(14 + 24);
    expect(p.hasTcp).toBe(true);
  });

  it('PPPoE session: PPP protocol after the 6-byte header', () => {
    const len = (2 + TCP4.length / 2).toString(16).padStart(4, '0');
    expect(decodeHex(E, `${ETH} 8864 1100 0001 ${len} 0021 ${TCP4}`).ip4Off).toBe(22);
  });

  it('VXLAN and Geneve carry Ethernet; the outer header stays the first occurrence', () => {
    const inner = `${ETH} 0800 ${ipv4Hex('c0a80001', 'c0a80002', 6, tcpHex(5555, 22))}`;
    const vx = `c00012b5 ${(16 + inner.replace(/\s+/g, '').length / 2).toString(16).padStart(4, '0')} 0000 08000000 00000100 ${inner}`;
    const p = decodeHex(E, `${ETH} 0800 ${ipv4Hex(A4, B4, 17, vx)}`);
    expect(p.ip4Count).toBe(2);
    expect(p.ip4Off).toBe(14);
    expect(p.hasTcp).toBe(true);
    expect(p.dstPort).toBe(22);
    expect(p.src[0]).toBe(0xc0a80001); // conversation address = the header carrying TCP
  });

  it('UDP with a bogus length (< 8) is not followed into a tunnel', () => {
    const inner = `${ETH} 0800 ${TCP4}`;
    const vx = `0000 12b5 0000 0000 08000000 00000100 ${inner}`;
    expect(decodeHex(E, `${ETH} 0800 ${ipv4Hex(A4, B4, 17, vx)}`).hasTcp).toBe(false);
  });

  it('WCCP in GRE: redirect header before IPv4', () => {
    const p = decodeHex(E, `${ETH} 0800 ${ipv4Hex(A4, B4, 47, `0000 883e 05590048 ${TCP4}`)}`);
    expect(p.ip4Count).toBe(2);
    expect(p.hasTcp).toBe(true);
  });

  it('sFlow v5: TCP in an expanded flow sample is shown but not analysed', () => {
    const hdr = `${ETH} 0800 ${TCP4}`;
    const hlen = hdr.replace(/\s+/g, '').length / 2;
    const pad = (4 - (hlen % 4)) % 4;
    const u32 = (n: number) => n.toString(16).padStart(8, '0');
    const rec = `${u32(1)} ${u32(16 + hlen)} ${u32(1)} ${u32(hlen + 4)} ${u32(4)} ${u32(hlen)} ${hdr} ${'00'.repeat(pad)}`;
    const sample = `${u32(1)} ${u32(11001)} ${u32(0)} ${u32(1000)} ${u32(5)} ${u32(0)} ${u32(0)} ${u32(1)} ${u32(0)} ${u32(2)} ${u32(1)} ${rec}`;
    const sLen = sample.replace(/\s+/g, '').length / 2;
    const dgram = `${u32(5)} ${u32(2)} ${A6} ${u32(0)} ${u32(7)} ${u32(1000)} ${u32(1)} ${u32(3)} ${u32(sLen)} ${sample}`;
    const dLen = dgram.replace(/\s+/g, '').length / 2;
    const udp = `c000 18c7 ${(8 + dLen).toString(16).padStart(4, '0')} 0000 ${dgram}`;
    const p = decodeHex(E, `${ETH} 86dd ${ipv6Hex(A6, B6, 17, udp)}`);
    expect(p.ip6Count).toBe(1);
    expect(p.ip4Count).toBe(1);
    expect(p.hasTcp).toBe(true);
    expect(p.tcpCtx).toBe(TCP_SAMPLED);
    expect(p.tcpQuoted).toBe(true);
    expect(p.segLen).toBe(-1);
    expect(p.family).toBe(4);
  });

  it('802.3 length + LLC/SNAP carries an ethertype', () => {
    const body = `aaaa03 000000 0800 ${TCP4}`;
    const len = (body.replace(/\s+/g, '').length / 2).toString(16).padStart(4, '0');
    const p = decodeHex(E, `${ETH} ${len} ${body}`);
    expect(p.ip4Off).toBe(22);
    expect(p.tcpCtx).toBe(TCP_NORMAL);
  });
});
