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

/**
 * Where the 802.11 header starts (after a radiotap header for link type 127), whether the frame
 * ends with its FCS, and radiotap's Flags when present; undefined when the radiotap header is unreadable.
 */
function macStart(b: Uint8Array, o: number, end: number, linkType: number): { q: number; fcs: boolean; flags?: number } | undefined {
  if (linkType !== 127) return { q: o, fcs: false };
  if (end - o < 8) return undefined;
  const len = le16(b, o + 2);
  if (len < 8 || len > end - o) return undefined;
  const flags = present2(b, o) ? radiotapFlags(b, o, len) : undefined;
  return { q: o + len, fcs: flags !== undefined && (flags & 0x10) !== 0, flags };
}

/** Top-level nodes of an 802.11 frame `b[o, end)` (link type 105 or 127), up to its LLC. */
export function wlanNodes(b: Uint8Array, o: number, end: number, linkType: number): DetailNode[] {
  const out: DetailNode[] = [];
  const m = macStart(b, o, end, linkType);
  if (!m) return out;
  const { q, fcs, flags } = m;
  if (linkType === 127) {
    const len = q - o;
    const r = { start: 0, length: len };
    const kids = [fld(`Header revision: ${b[o]}`, { start: 0, length: 1 }), fld(`Header pad: ${b[o + 1]}`, { start: 1, length: 1 }), fld(`Header length: ${len}`, { start: 2, length: 2 })];
    if (flags !== undefined) kids.push(fld(`Flags: ${hexN(flags, 2)}`, {}));
    out.push({ label: `Radiotap Header v${b[o]}, Length ${len}`, proto: 'radiotap', ...r, children: kids });
    out.push({ label: '802.11 radio information', proto: 'wlan_radio' });
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

/** Fixed-parameter bytes of the management subtypes whose body tshark reads, and whether tagged parameters must follow. */
const MGMT_FIXED: Record<number, [number, boolean]> = {
  0: [4, true], 1: [6, true], 2: [10, true], 3: [6, true], 4: [0, false], 5: [12, true], 8: [12, true], 9: [0, false],
  10: [2, false], 11: [6, false], 12: [2, false],
};
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** An SSID as tshark's Info writes it: quoted when printable UTF-8, else hex; empty = the wildcard. */
function ssidText(b: Uint8Array): string {
  if (b.length === 0) return 'Wildcard (Broadcast)';
  let s: string | undefined;
  try {
    s = utf8.decode(b);
  } catch {
    s = undefined;
  }
  // eslint-disable-next-line no-control-regex
  if (s !== undefined && !/[\x00-\x1f\x7f]/.test(s)) return `"${s}"`;
  let h = '';
  for (const x of b) h += x.toString(16).padStart(2, '0');
  return h;
}

/**
 * The Info column of an 802.11 frame (link type 105, or 127 behind radiotap) that the decoder did
 * not follow past its header (management, control, protected or null data, fragments), as
 * `tshark -2 -n` writes it: "Beacon frame, SN=209, FN=0, Flags=........C, BI=100, SSID="x"".
 * `limited` is the text for bytes missing from a frame cut by the snap length; undefined when the
 * radiotap header itself is unreadable (the decoder's note stands).
 */
export function wlanInfo(b: Uint8Array, o: number, end: number, linkType: number, limited: string): string | undefined {
  const m = macStart(b, o, end, linkType);
  if (!m) return undefined;
  const { q, fcs } = m;
  const bodyEnd = fcs ? end - 4 : end;
  const bad = limited || '[Malformed Packet]';
  if (bodyEnd - q < 2) return undefined;
  const fc0 = b[q];
  const fc1 = b[q + 1];
  const type = (fc0 >> 2) & 3;
  const subtype = fc0 >> 4;
  // Protocol versions 2 and 3 do not exist (1 is 802.11ah's PV1, not decoded here).
  if ((fc0 & 3) >= 2) return `Unknown protocol version: ${fc0 & 3}${bad}`;
  if (type === 3 || fc0 & 3) return undefined;
  let name = (type === 0 ? MGMT : type === 1 ? CTRL : DATA)[subtype];
  if (name === undefined) return undefined;
  if (type === 1 && (subtype === 14 || subtype === 15)) name += ' (Control-frame)';
  const flags = flagString(fc1, fcs);
  if (type === 1) {
    if (subtype === 7) return undefined; // Control Wrapper: not decoded
    return bodyEnd - q < (subtype === 12 || subtype === 13 ? 10 : 16) ? name + bad : `${name}, Flags=${flags}`;
  }
  let h = 24;
  if (type === 2) {
    if ((fc1 & 3) === 3) h += 6;
    if (subtype & 8) h += 2 + (fc1 & 0x80 ? 4 : 0);
  } else if (fc1 & 0x80) h += 4;
  if (bodyEnd - q < 24) return name + bad;
  const sc = le16(b, q + 22);
  if (type === 2 && (fc1 & 0x04 || sc & 0x0f)) return 'Fragmented IEEE 802.11 frame';
  let s = `${name}, SN=${sc >> 4}, FN=${sc & 15}, Flags=${flags}`;
  if (bodyEnd - q < h) return s + bad;
  if (type !== 0 || fc1 & 0x40) return s;
  const fixed = MGMT_FIXED[subtype];
  if (!fixed) return s;
  const body = q + h;
  if (bodyEnd - body < fixed[0]) return s + bad;
  if (subtype === 5 || subtype === 8) s += `, BI=${le16(b, body + 8)}`;
  let t = body + fixed[0];
  if (t === bodyEnd) return fixed[1] ? s + bad : s;
  // The SSID element (0) and a mesh ID (114) add to the Info, each once.
  let ssid: string | undefined;
  let mesh: string | undefined;
  const tail = (): string => (ssid ?? '') + (mesh ?? '');
  for (; t < bodyEnd; t += 2 + b[t + 1]) {
    if (bodyEnd - t < 2) return s + tail() + bad;
    if (t + 2 + b[t + 1] > bodyEnd) return s + tail() + (limited || '[Malformed Packet: length of contained item exceeds length of containing item]');
    const v = b.subarray(t + 2, t + 2 + b[t + 1]);
    if (b[t] === 0 && ssid === undefined && subtype !== 1 && subtype !== 3) ssid = `, SSID=${ssidText(v)}`;
    if (b[t] === 114 && mesh === undefined && v.length) mesh = `, MESHID=${String.fromCharCode(...v)}`;
  }
  return s + tail();
}
