/**
 * IEEE 802.11 frames (link types 105 and 127 = behind a radiotap header) as tshark's tree shows
 * them at the top level: "Radiotap Header v0, Length 20", "802.11 radio information",
 * "IEEE 802.11 <subtype>, Flags: ........C", then the body: "IEEE 802.11 Wireless Management",
 * "Logical-Link Control" (+ "802.1X Authentication"), or "Data (N bytes)" for a protected body.
 * The decoder follows only unprotected data frames into LLC/SNAP (decode/link/ieee80211.ts); the
 * layers it finds after the LLC (IP, …) are added by detail.ts as for any frame.
 */
import type { DetailNode } from '../../model/types';
import { hexN, mac, u16 } from './bits';
import { dataNode, fld } from './node';
import { radiotapFlags } from '../../decode/link/ieee80211';

const MGMT: Record<number, string> = {
  0: 'Association Request', 1: 'Association Response', 2: 'Reassociation Request', 3: 'Reassociation Response',
  4: 'Probe Request', 5: 'Probe Response', 6: 'Measurement Pilot', 8: 'Beacon frame', 9: 'ATIM', 10: 'Disassociate',
  11: 'Authentication', 12: 'Deauthentication', 13: 'Action', 14: 'Action No Ack',
};
const CTRL: Record<number, string> = {
  7: 'Control Wrapper', 8: '802.11 Block Ack Req', 9: '802.11 Block Ack', 10: 'Power-Save poll', 11: 'Request-to-send',
  12: 'Clear-to-send', 13: 'Acknowledgement', 14: 'CF-End', 15: 'CF-End + CF-Ack',
};
const DATA: Record<number, string> = {
  0: 'Data', 1: 'Data + CF-Ack', 2: 'Data + CF-Poll', 3: 'Data + CF-Ack + CF-Poll', 4: 'Null function (No data)',
  5: 'CF-Ack (No data)', 6: 'CF-Poll (No data)', 7: 'CF-Ack/Poll (No data)', 8: 'QoS Data', 9: 'QoS Data + CF-Acknowledgment',
  10: 'QoS Data + CF-Poll', 11: 'QoS Data + CF-Ack + CF-Poll', 12: 'QoS Null function (No data)', 14: 'QoS CF-Poll (No Data)',
  15: 'QoS CF-Ack + CF-Poll (No Data)',
};

/** Whether the radiotap header has a Flags field. */
const present2 = (b: Uint8Array, o: number): boolean => (b[o + 4] & 2) !== 0;
const le16 = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8);

/** The frame-control flags as tshark writes them (bit 7 first), plus 'C' when the frame keeps its FCS. */
function flagString(fc1: number, fcs: boolean): string {
  const letters = 'opmPRMFT';
  let s = '';
  for (let i = 0; i < 8; i++) s += fc1 & (0x80 >> i) ? letters[i] : '.';
  return fcs ? s + 'C' : s;
}

/** Top-level nodes of an 802.11 frame `b[o, end)` (link type 105 or 127), up to its LLC. */
export function wlanNodes(b: Uint8Array, o: number, end: number, linkType: number): DetailNode[] {
  const out: DetailNode[] = [];
  let fcs = false;
  let q = o;
  if (linkType === 127) {
    if (end - o < 8) return out;
    const len = le16(b, o + 2);
    if (len < 8 || len > end - o) return out;
    const flags = present2(b, o) ? radiotapFlags(b, o, len) : undefined;
    fcs = flags !== undefined && (flags & 0x10) !== 0;
    const r = { start: 0, length: len };
    const kids = [fld(`Header revision: ${b[o]}`, { start: 0, length: 1 }), fld(`Header pad: ${b[o + 1]}`, { start: 1, length: 1 }), fld(`Header length: ${len}`, { start: 2, length: 2 })];
    if (flags !== undefined) kids.push(fld(`Flags: ${hexN(flags, 2)}`, {}));
    out.push({ label: `Radiotap Header v${b[o]}, Length ${len}`, proto: 'radiotap', ...r, children: kids });
    out.push({ label: '802.11 radio information', proto: 'wlan_radio' });
    q = o + len;
  }
  const bodyEnd = fcs ? end - 4 : end;
  if (bodyEnd - q < 10) return out;
  const fc0 = b[q];
  const fc1 = b[q + 1];
  const type = (fc0 >> 2) & 3;
  const subtype = fc0 >> 4;
  const name = (type === 0 ? MGMT : type === 1 ? CTRL : type === 2 ? DATA : {})[subtype] ?? `Unrecognized (Reserved frame) (0x${((type << 4) | subtype).toString(16).padStart(4, '0')})`;
  const base = q - o;
  const kids: DetailNode[] = [
    fld(`Type/Subtype: ${name} (${hexN((type << 4) | subtype, 4)})`, { start: base, length: 1 }, 'wlan.fc.type_subtype'),
    fld(`Frame Control Field: ${hexN((fc0 << 8) | fc1, 4)}`, { start: base, length: 2 }, 'wlan.fc'),
    fld(`Duration: ${le16(b, q + 2) & 0x7fff} microseconds`, { start: base + 2, length: 2 }, 'wlan.duration'),
    fld(`Receiver address: ${mac(b, q + 4)}`, { start: base + 4, length: 6 }, 'wlan.ra'),
  ];
  // Header length: 24 for management and data frames (+6 with both DS bits, +2 QoS, +4 HT control).
  let h = type === 1 ? (subtype === 12 || subtype === 13 ? 10 : 16) : 24;
  if (type === 2) {
    if ((fc1 & 3) === 3) h += 6;
    if (subtype & 8) h += 2 + (fc1 & 0x80 ? 4 : 0);
  } else if (type === 0 && fc1 & 0x80) h += 4;
  if (type !== 1 && bodyEnd - q >= 16) kids.push(fld(`Transmitter address: ${mac(b, q + 10)}`, { start: base + 10, length: 6 }, 'wlan.ta'));
  if (fcs) {
    const v = ((b[end - 4] | (b[end - 3] << 8) | (b[end - 2] << 16) | (b[end - 1] << 24)) >>> 0);
    kids.push(fld(`Frame check sequence: ${hexN(v, 8)} [unverified]`, { start: end - 4 - o, length: 4 }, 'wlan.fcs'), fld('[FCS Status: Unverified]', {}, 'wlan.fcs.status'));
  }
  out.push({ label: `IEEE 802.11 ${name}, Flags: ${flagString(fc1, fcs)}`, proto: 'wlan', start: base, length: Math.min(h, bodyEnd - q), children: kids });
  const body = q + h;
  if (body >= bodyEnd || type === 1) return out;
  if (fc1 & 0x40) {
    // Protected: WEP (IV 4 + ICV 4), or with the ExtIV bit TKIP/CCMP (header 8; tshark counts the MIC as data).
    if (bodyEnd - body < 4) return out;
    const ext = (b[body + 3] & 0x20) !== 0;
    const n = bodyEnd - body - 8;
    if (n > 0) out.push(dataNode(b, body + (ext ? 8 : 4), n, { start: body + (ext ? 8 : 4) - o, length: n }));
    return out;
  }
  if (type === 0) {
    out.push({ label: 'IEEE 802.11 Wireless Management', proto: 'wlan.mgt', start: body - o, length: bodyEnd - body });
    return out;
  }
  if (subtype & 4) return out; // no data
  out.push({ label: 'Logical-Link Control', proto: 'llc', start: body - o, length: Math.min(8, bodyEnd - body) });
  if (bodyEnd - body >= 8 && b[body] === 0xaa && b[body + 1] === 0xaa && u16(b, body + 6) === 0x888e) {
    out.push({ label: '802.1X Authentication', proto: 'eapol', start: body + 8 - o, length: bodyEnd - body - 8 });
  }
  return out;
}
