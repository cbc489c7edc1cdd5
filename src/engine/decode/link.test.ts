import { describe, expect, it } from 'vitest';
import { LINKTYPE } from './link/types';
import { LINKTYPE_NAMES, pseudoHeaderLen } from './decoder';
import { A4, A6, B4, B6, ETH, decodeHex, ipv4Hex, ipv6Hex, tcpHex } from './testing';
import type { Packet } from './packet';

const TCP4 = ipv4Hex(A4, B4, 6, tcpHex(1234, 80));
const TCP6 = ipv6Hex(A6, B6, 6, tcpHex(1234, 443));

function expectTcp4(p: Packet, at: number): void {
  expect(p.hasTcp).toBe(true);
  expect(p.tcpFull).toBe(true);
  expect(p.srcPort).toBe(1234);
  expect(p.dstPort).toBe(80);
  expect(p.family).toBe(4);
  expect(p.src[0]).toBe(0x0a000001);
  expect(p.dst[0]).toBe(0x0a000002);
  expect(p.ip4Off).toBe(at);
  expect(p.segLen).toBe(0);
}

describe('link layers', () => {
  it('Frame Relay: Cisco ethertype after a 2-octet address', () => {
    const p = decodeHex(LINKTYPE.FRELAY, `48e1 86dd ${TCP6}`);
    expect(p.hasTcp).toBe(true);
    expect(p.family).toBe(6);
    expect(p.ip6Off).toBe(4);
    expect(p.dstPort).toBe(443);
  });

  it('Frame Relay: 3-octet address, RFC 2427 NLPID for IPv4', () => {
    expectTcp4(decodeHex(LINKTYPE.FRELAY, `80ea9d 03 cc ${TCP4}`), 5);
  });

  it('Frame Relay: DLCI 0 without UI control is not an ethertype', () => {
    const p = decodeHex(LINKTYPE.FRELAY, `0001 0800 ${TCP4}`);
    expect(p.hasTcp).toBe(false);
    expect(p.ip4Count).toBe(0);
  });

  it('ARCNET (Linux): RFC 1201 adds split flag and sequence, RFC 1051 does not', () => {
    expectTcp4(decodeHex(LINKTYPE.ARCNET_LINUX, `be50 a8e7 d4 00 0166 ${TCP4}`), 8);
    expectTcp4(decodeHex(LINKTYPE.ARCNET_LINUX, `be50 ab08 f0 ${TCP4}`), 5);
    expect(decodeHex(LINKTYPE.ARCNET_LINUX, `be00 ed08 f1 0007 0800 0104 0001`).proto).toBe('ARP');
  });

  it('IP over InfiniBand: 44-byte Linux pseudo-header and the 4-byte RFC 4391 header', () => {
    const addr = '00'.repeat(20) + '80000550fe800000000000000010e000664ab451';
    expectTcp4(decodeHex(LINKTYPE.IPOIB, `${addr} 0800 0000 ${TCP4}`), 44);
    expectTcp4(decodeHex(LINKTYPE.IPOIB, `0800 0000 ${TCP4}`), 4);
  });

  it('Solaris IPNET: family byte picks the protocol', () => {
    const hdr = (af: string) => `01${af}0000 00000054 00000002 00000000 ffffffff 00000000`;
    expectTcp4(decodeHex(LINKTYPE.IPNET, `${hdr('02')} ${TCP4}`), 24);
    expect(decodeHex(LINKTYPE.IPNET, `${hdr('1a')} ${TCP6}`).family).toBe(6);
  });

  it('NFLOG: the payload TLV (type 9) after padded TLVs', () => {
    // family 2, version 0, res id; TLV prefix (len 8, type 1); TLV 5 bytes padded to 8; payload TLV.
    const len = 4 + TCP4.length / 2;
    const le16 = (n: number) => `${(n & 0xff).toString(16).padStart(2, '0')}${(n >> 8).toString(16).padStart(2, '0')}`;
    const p = decodeHex(LINKTYPE.NFLOG, `02000014 0800 0100 08000127 0500 0a00 00 000000 ${le16(len)} 0900 ${TCP4}`);
    expectTcp4(p, 24);
    expect(decodeHex(LINKTYPE.NFLOG, `02000014 0800 0100 08000127`).hasTcp).toBe(false);
  });

  it('Juniper Ethernet: magic, extension length, then Ethernet', () => {
    expectTcp4(decodeHex(LINKTYPE.JUNIPER_ETHER, `4d4743 80 0004 01020304 ${ETH} 0800 ${TCP4}`), 24);
    expect(decodeHex(LINKTYPE.JUNIPER_ETHER, `4d4744 00 ${ETH} 0800 ${TCP4}`).hasTcp).toBe(false);
  });

  it('PKTAP (and USER2): header length and inner link type', () => {
    const hdr = `0c000000 01000000 00000000`; // 12-byte header, DLT 1 (Ethernet)
    expectTcp4(decodeHex(LINKTYPE.PKTAP, `${hdr} ${ETH} 0800 ${TCP4}`), 26);
    expectTcp4(decodeHex(LINKTYPE.USER2, `${hdr} ${ETH} 0800 ${TCP4}`), 26);
    // A PKTAP header naming PKTAP again is not followed.
    expect(decodeHex(LINKTYPE.PKTAP, `0c000000 02010000 00000000 ${TCP4}`).hasTcp).toBe(false);
  });

  it('radiotap + 802.11 QoS data with HT Control, LLC/SNAP', () => {
    const rt = '0000 0c00 02000000 10 000000'; // len 12, present = Flags (FCS at end)
    const wlan = '8881 3000 3680 94c0228b b0be835b4b40 ffffffffffff 7005 161b ffffffff';
    const llc = 'aaaa03 000000 0800';
    const p = decodeHex(LINKTYPE.IEEE802_11_RADIOTAP, `${rt} ${wlan} ${llc} ${TCP4} deadbeef`);
    expectTcp4(p, 12 + 30 + 8);
    // Protected frames are not decoded.
    const prot = decodeHex(LINKTYPE.IEEE802_11_RADIOTAP, `${rt} 88c1${wlan.slice(4)} ${llc} ${TCP4} deadbeef`);
    expect(prot.hasTcp).toBe(false);
  });

  it('PPI + 802.11 data, LLC/SNAP; the 802.11-common field says whether an FCS ends the frame', () => {
    // version 0, flags 0, length 8 + 4 + 20 = 32, DLT 105; field type 2 length 20: TSF, flags (0x0001: FCS), rate, …
    const ppi = (fcs: boolean) => `0000 2000 69000000 0200 1400 0000000000000000 ${fcs ? '0100' : '0000'} 0000 0000 0000 00 00 0000`;
    const wlan = '0801 3000 94c0228bb0be 835b4b40aabb ffffffffffff 7005';
    const llc = 'aaaa03 000000 0800';
    const p = decodeHex(LINKTYPE.PPI, `${ppi(true)} ${wlan} ${llc} ${TCP4} deadbeef`);
    expectTcp4(p, 32 + 24 + 8);
    // With the FCS flag the last four bytes are not the frame's: here they cut the TCP header.
    expect(decodeHex(LINKTYPE.PPI, `${ppi(false)} ${wlan} ${llc} ${TCP4}`).tcpAvail).toBe(20);
    expect(decodeHex(LINKTYPE.PPI, `${ppi(true)} ${wlan} ${llc} ${TCP4}`).tcpAvail).toBe(16);
    expect(LINKTYPE_NAMES[LINKTYPE.PPI]).toBe('Per-Packet Information header');
  });

  it('SunATM: LLC-multiplexed PDU; the pseudo-header is not counted in the frame length', () => {
    expectTcp4(decodeHex(LINKTYPE.SUNATM, `02 00 0020 aaaa03 000000 0800 ${TCP4}`), 12);
    expect(pseudoHeaderLen(LINKTYPE.SUNATM)).toBe(4);
    expect(pseudoHeaderLen(LINKTYPE.ETHERNET)).toBe(0);
    expect(LINKTYPE_NAMES[LINKTYPE.SUNATM]).toBe('ATM PDUs');
  });

  it('PPP carrying MPLS; Linux SLL with an 802.2 LLC payload', () => {
    expectTcp4(decodeHex(LINKTYPE.PPP, `ff03 0281 00040140 ${TCP4}`), 8);
    expectTcp4(decodeHex(LINKTYPE.LINUX_SLL, `0000 0001 0006 000000000001 0000 0004 aaaa03 000000 0800 ${TCP4}`), 24);
  });

  it('raw IPv4 link type hands a version-6 packet to IPv6', () => {
    const p = decodeHex(LINKTYPE.IPV4, TCP6);
    expect(p.family).toBe(6);
    expect(p.ip4Count).toBe(0);
    expect(p.ip6Off).toBe(0);
  });

  it('unknown link types decode nothing and do not throw', () => {
    const p = decodeHex(4242, `${ETH} 0800 ${TCP4}`);
    expect(p.hasTcp).toBe(false);
    expect(p.note).not.toBe('');
  });
});
