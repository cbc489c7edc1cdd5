/**
 * Test support: 802.11 frames (link type 105) and 802.1X (EAPOL/EAP) on 802.11 and on Ethernet,
 * crafted to exercise the Info rules of fields/tree/wlan.ts and fields/tree/eapol.ts: every
 * management subtype with fixed parameters (and cut ones), SSIDs (printable, not, empty, hidden),
 * control frames, protected and fragmented data, the 4-way and group handshakes, EAP codes.
 * Plus radiotap (link type 127) frames with and without an FCS. Checked against tshark in
 * src/engine/fields/tree/wlan-info.test.ts; part of the fuzzer's corpus.
 */
import { DEFAULT_EPOCH, type Record_ } from './build';

const mac = (n: number): number[] => [0, 0x11, 0x22, 0x33, 0x44, n];
const BC = [255, 255, 255, 255, 255, 255];
const seq = (sn: number, fn = 0): number[] => [((sn << 4) | fn) & 0xff, (sn >> 4) & 0xff];
const hdr = (fc0: number, fc1: number, sn: number, fn = 0, a1 = mac(1)): number[] => [fc0, fc1, 0, 0, ...a1, ...mac(2), ...mac(3), ...seq(sn, fn)];
const bytes = (s: string): number[] => [...new TextEncoder().encode(s)];
const ssid = (s: string | number[]): number[] => {
  const v = typeof s === 'string' ? bytes(s) : s;
  return [0, v.length, ...v];
};
const FIXED12 = [0, 0, 0, 0, 0, 0, 0, 0, 0x64, 0, 0x01, 0x04];
const beacon = (sn: number, tags: number[], fc1 = 0): number[] => [...hdr(0x80, fc1, sn, 0, BC), ...FIXED12, ...tags];
const SNAP_EAPOL = [0xaa, 0xaa, 3, 0, 0, 0, 0x88, 0x8e];

/** An EAPOL-Key frame (WPA descriptor 254 or RSN 2) with key information `ki` and `dataLen` bytes of key data. */
function eapolKey(ki: number, dataLen: number, desc = 254): number[] {
  const body = [desc, ki >> 8, ki & 0xff, 0, 32, ...new Array(8 + 32 + 16 + 8 + 8 + 16).fill(0), dataLen >> 8, dataLen & 0xff, ...(dataLen ? [0x7f, dataLen - 2, ...new Array(dataLen - 2).fill(0)] : [])];
  return [1, 3, body.length >> 8, body.length & 0xff, ...body];
}
const eap = (code: number, type?: number, extra: number[] = []): number[] => {
  const e = type === undefined ? [code, 1, 0, 4] : [code, 1, 0, 5 + extra.length, type, ...extra];
  return [1, 0, e.length >> 8, e.length & 0xff, ...e];
};
const data = (sn: number, payload: number[], fc1 = 0x01): number[] => [...hdr(0x08, fc1, sn), ...SNAP_EAPOL, ...payload];

/** Plain 802.11 frames (link type 105). */
export function wlanFrames(): number[][] {
  return [
    beacon(1, [...ssid('DENVEROFFICE'), 1, 1, 0x82]),
    beacon(2, ssid([0x41, 0x01, 0x42])), // not printable: hex
    beacon(3, ssid([0, 0, 0, 0])), // hidden
    beacon(4, ssid('a"b\\c é')),
    beacon(5, [1, 1, 0x82]), // no SSID tag
    beacon(6, []), // tagged parameters missing
    beacon(7, [...ssid('x'), 5]), // a stray byte
    beacon(8, [...ssid('x'), 5, 4, 0]), // a tag past the end
    beacon(9, ssid('protected'), 0x40),
    [...hdr(0x80, 0, 10), 0, 0, 0], // fixed parameters cut
    [0x80, 0, 0, 0, ...mac(1)], // header cut
    [...hdr(0x40, 0, 11, 0, BC), ...ssid(''), 1, 1, 0x82], // wildcard probe
    [...hdr(0x40, 0, 12, 0, BC)],
    [...hdr(0x50, 0, 13), ...FIXED12, ...ssid('net')],
    [...hdr(0x50, 0, 14), ...FIXED12],
    [...hdr(0x00, 0, 15), 1, 0, 10, 0, ...ssid('net')],
    [...hdr(0x00, 0, 16), 1, 0, 10, 0, 0, 10, 0x61], // SSID tag past the end
    [...hdr(0x10, 0, 17), 1, 0, 0, 0, 1, 0xc0, 1, 1, 0x82],
    [...hdr(0x10, 0, 18), 1, 0, 0, 0, 1, 0xc0],
    [...hdr(0x20, 0, 19), 1, 0, 10, 0, ...mac(9), ...ssid('ab')],
    [...hdr(0xb0, 0, 20), 0, 0, 1, 0, 0, 0],
    [...hdr(0xb0, 0x40, 21), 1, 2, 3, 4, 5, 6, 7, 8],
    [...hdr(0xc0, 0, 22), 3, 0],
    [...hdr(0xc0, 0, 23), 3],
    [...hdr(0xa0, 0, 24), 3, 0],
    [...hdr(0xd0, 0, 25), 4, 0],
    [...hdr(0xe0, 0, 26), 4, 0],
    [...hdr(0x90, 0, 27)],
    [0xb4, 0, 0, 0, ...mac(1), ...mac(2)], // RTS
    [0xc4, 0x10, 0, 0, ...mac(1)], // CTS
    [0xd4, 0, 0, 0, ...mac(1)], // ACK
    [0xd4, 0, 0, 0, 0, 0], // ACK cut
    [0x84, 0, 0, 0, ...mac(1), ...mac(2), 4, 0, 0x10, 0],
    [0x94, 0, 0, 0, ...mac(1), ...mac(2), 4, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0xa4, 0, 1, 0xc0, ...mac(1), ...mac(2)],
    [0xe4, 0, 0, 0, ...mac(1), ...mac(2)],
    [0xf4, 0, 0, 0, ...mac(1), ...mac(2)],
    [...hdr(0x08, 0x0c, 28, 1), 1, 2, 3, 4], // a fragment
    [...hdr(0x08, 0x42, 29), ...new Array(16).fill(7)], // protected data
    [...hdr(0x88, 0x42, 30), 0, 0, ...new Array(16).fill(7)],
    [...hdr(0x48, 0x11, 31)], // null function
    [...hdr(0xc8, 0x11, 32), 0, 0],
    data(33, eapolKey(0x0089, 0)),
    data(34, eapolKey(0x0109, 26)),
    data(35, eapolKey(0x01c9, 24)),
    data(36, eapolKey(0x0109, 0)),
    data(37, eapolKey(0x0382, 24, 2)), // group message 1
    data(38, eapolKey(0x0302, 0, 2)), // group message 2
    data(39, eapolKey(0x0089, 0).slice(0, 40)), // key cut
    data(40, [1, 3, 0, 4, 1, 0, 0, 0]), // RC4 descriptor, cut
    data(40, [1, 3, 0, 44, 1, ...new Array(43).fill(0)]), // RC4 descriptor
    data(41, [1, 1, 0, 0]),
    data(42, [1, 2, 0, 0]),
    data(43, eap(1, 1)),
    data(44, eap(2, 1, bytes('user'))),
    data(45, eap(1, 18, [10, 0, 0])),
    data(46, eap(2, 4, [1, 0])),
    data(47, eap(3)),
    data(48, eap(4)),
    data(49, [1, 0, 0, 5, 1]), // EAP cut
    beacon(53, [...ssid(''), 114, 4, ...bytes('mesh')]), // a mesh ID
    [...hdr(0x40, 0, 54, 0, BC), ...ssid(''), 114, 0], // an empty mesh ID
    [0x83, 0, 0, 0, ...mac(1), ...mac(2), ...mac(3), 0x10, 0, 1, 2, 3, 4], // protocol version 3
    [0x82, 0], // protocol version 2, cut
  ];
}

/** A radiotap header of 8 bytes + Flags (1 byte, padded to 10): 0x10 = the frame ends with its FCS. */
const radiotap = (flags: number): number[] => [0, 0, 10, 0, 2, 0, 0, 0, flags, 0];

/** Records of link type 105 (`wlanFrames`), then Ethernet EAPOL, then radiotap (in three captures). */
export function wlanCorpus(): { linkType: number; records: Record_[] }[] {
  const rec = (frames: number[][]): Record_[] => frames.map((d, i) => ({ ts: DEFAULT_EPOCH + BigInt(i) * 1_000_000n, data: new Uint8Array(d) }));
  const eth = (payload: number[]): number[] => [...mac(1), ...mac(2), 0x88, 0x8e, ...payload];
  return [
    { linkType: 105, records: rec(wlanFrames()) },
    { linkType: 1, records: rec([eth([1, 1, 0, 0]), eth(eap(1, 1)), eth(eap(2, 1, bytes('bob'))), eth(eap(3)), eth([1, 2, 0, 0]), eth(eapolKey(0x0089, 0, 2)), eth([1])]) },
    {
      linkType: 127,
      records: rec([
        [...radiotap(0x10), ...beacon(50, ssid('fcs')), 1, 2, 3, 4],
        [...radiotap(0), ...beacon(51, ssid('nofcs'))],
        [...radiotap(0x10), 0xd4, 0, 0, 0, ...mac(1), 1, 2, 3, 4],
        [...radiotap(0x10), ...data(52, eapolKey(0x0089, 0)), 1, 2, 3, 4],
      ]),
    },
  ];
}
