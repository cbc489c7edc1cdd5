/**
 * QUIC (IETF) over UDP, summary: UDP port 443, or found by content (tshark's heuristic `quic`,
 * on by default: a long header of a version it knows); a conversation found by content stays QUIC
 * (its short headers too). Each packet of a datagram:
 *   long header: "<Initial|0-RTT|Handshake|Retry|Version Negotiation>, DCID=…, SCID=…" (the IDs
 *     present); an Initial is decrypted with the keys RFC 9001 §5.2 derives from the client's first
 *     Destination Connection ID (HKDF-SHA256 with the version's salt, AES-128 header protection,
 *     AES-128-GCM), then ", PKN: N" and its frames (", CRYPTO, PADDING"); the ClientHello inside a
 *     CRYPTO frame gives the TLS fields (SNI, ALPN…).
 *   short header: "Protected Payload (KP0)" and ", DCID=…" when the connection's IDs give its length.
 * Connection state (which side is the client, the DCID the Initial keys come from, each side's
 * connection ID length) needs the earlier datagrams: `udpOrdered` keeps it in the tree's
 * capture-wide pass, in frame order, as tshark's connection tracking does (black-box, tcpdump-tests
 * quic_*.pcap): a direction's Initial keys are made once, from its first Initial (version and
 * the client's DCID then), and kept — a Retry makes both directions start again; Handshake and
 * 1-RTT packets cannot be decrypted without the TLS secrets ("Failed to create decryption
 * context: Secrets are not available", on every Handshake packet and the connection's first short
 * header packet).
 * Without that pass (a field asked before the tree's pass ran), a packet is dissected on its own.
 */
import type { DetailNode } from '../model/types';
import { aes128Encrypt, aes128GcmOpen, aes128Schedule } from '../crypto/aes';
import { hkdfExpandLabel, hkdfExtract } from '../crypto/sha256';
import { hello } from './tls';
import { gquicPdu, isGquic } from './gquic';
import type { AppDissector, AppExpert, AppFieldMeta, DirState, Pdu, Slice, UdpContext, UdpOrderedContext } from './types';

const hex = (b: Uint8Array, o: number, e: number): string => {
  let s = '';
  for (let i = o; i < e; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
};
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const fromHex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (x) => parseInt(x, 16));

/** Initial salts (RFC 9001 §5.2 and the drafts tshark 4.0 knows). */
function saltOf(version: number): Uint8Array | undefined {
  if (version === 1) return fromHex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a');
  if (version >= 0xff00001d && version <= 0xff000022) return fromHex('afbfec289993d24c9e9786f19c6111e04390a899'); // drafts 29–34
  if (version >= 0xff000017 && version <= 0xff00001c) return fromHex('c3eef712c72ebb5a11a7d2432bb46365bef9f502'); // drafts 23–28
  return undefined;
}

/** A version as tshark names it. */
function versionName(v: number): string {
  if (v === 0) return 'Version Negotiation';
  if (v === 1) return '1';
  if (v >= 0xff000017 && v <= 0xff000022) return `draft-${v & 0xff}`;
  return 'Unknown';
}

/** Versions the heuristic takes (v1 and the IETF drafts; Version Negotiation). */
const knownVersion = (v: number) => v === 1 || v === 0 || (v >= 0xff000017 && v <= 0xff000022) || v === 0x709a50c4 || v === 0x6b3343cf;

/** A variable-length integer at `o` (RFC 9000 §16): [value, size] or undefined past `end`. */
function varint(b: Uint8Array, o: number, end: number): [number, number] | undefined {
  if (o >= end) return undefined;
  const n = 1 << (b[o] >> 6);
  if (o + n > end) return undefined;
  let v = b[o] & 0x3f;
  for (let i = 1; i < n; i++) v = v * 256 + b[o + i];
  return [v, n];
}

interface Keys {
  key: Uint8Array;
  iv: Uint8Array;
  hp: Uint8Array;
}
const KEY_CACHE = new Map<string, Keys>();

function initialKeys(version: number, dcid: Uint8Array, server: boolean): Keys | undefined {
  const salt = saltOf(version);
  if (!salt) return undefined;
  const k = `${version}|${hex(dcid, 0, dcid.length)}|${server}`;
  let keys = KEY_CACHE.get(k);
  if (!keys) {
    const secret = hkdfExpandLabel(hkdfExtract(salt, dcid), server ? 'server in' : 'client in', 32);
    keys = { key: hkdfExpandLabel(secret, 'quic key', 16), iv: hkdfExpandLabel(secret, 'quic iv', 12), hp: aes128Schedule(hkdfExpandLabel(secret, 'quic hp', 16)) };
    if (KEY_CACHE.size > 256) KEY_CACHE.clear();
    KEY_CACHE.set(k, keys);
  }
  return keys;
}

/** What the capture-wide pass knows of one datagram's connection. */
interface Ordered {
  /** Sent by the client (the side of the first Initial). */
  fromClient: boolean;
  /** Where this direction's Initial keys come from: version and DCID (undefined: made by this datagram's first Initial). */
  keyVersion?: number;
  keyDcid?: Uint8Array;
  /** Length of the DCID of short header packets in this direction (the peer's SCID); -1 unknown. */
  shortDcid: number;
  /** The connection's first short header packet is in this datagram. */
  firstShort: boolean;
  /** Initials this direction sent before this datagram (their CRYPTO data starts at offset 0 too). */
  initialsBefore: number;
  /** A Google QUIC conversation. */
  gquic?: boolean;
  /** The connection was seen starting (a long header came first): its short headers are QUIC's. */
  known?: boolean;
  /** Its Initial carries a part of a handshake message completed in a later frame: that frame, and the message's type. */
  helloIn?: number;
  helloType?: number;
  /** The handshake message its Initial completes (CRYPTO data of several Initials): its bytes and fragments [frame, bytes]. */
  hello?: { bytes: Uint8Array; frags: [number, number][] };
}

/** A handshake message of one side spread over several Initials, gathered in frame order. */
interface Gather {
  buf: Uint8Array;
  got: number;
  frags: [number, number][];
  /** The datagrams holding its earlier parts (told where it completes). */
  parts: Ordered[];
}

/** A handshake message longer than this is not gathered (tshark's CRYPTO reassembly has its own limits). */
const GATHER_MAX = 1 << 16;

interface Conn extends DirState {
  client?: string;
  /** DCID of the client's Initial the keys come from (reset by a Retry). */
  dcid?: Uint8Array;
  /** Version each direction's keys were made with (client, server); undefined: not made yet. */
  kv?: [number | undefined, number | undefined];
  /** SCID length each side uses (client, server); -1 unknown. */
  scil: [number, number];
  shortSeen?: boolean;
  /** The conversation started with a Google QUIC packet: all of it is GQUIC's. */
  gquic?: boolean;
  /** Initials each side sent so far. */
  initials: [number, number];
  /** Per side: the handshake message at CRYPTO offset 0 being gathered, or true once it is whole. */
  hs?: [Gather | boolean | undefined, Gather | boolean | undefined];
}

function ordered(s: Slice, ctx: UdpOrderedContext): Ordered {
  const c = ctx.conv as Conn;
  c.scil ??= [-1, -1];
  c.kv ??= [undefined, undefined];
  c.initials ??= [0, 0];
  const b = s.b;
  if (c.client === undefined && c.gquic === undefined) c.gquic = isGquic(s);
  if (c.gquic) return { fromClient: true, shortDcid: -1, firstShort: false, initialsBefore: 0, gquic: true };
  if (c.client === undefined && s.end - s.off >= 7 && b[s.off] & 0x80 && ((b[s.off] >> 4) & 3) === 0) c.client = ctx.src;
  const fromClient = c.client === undefined || c.client === ctx.src;
  const side = fromClient ? 0 : 1;
  const out: Ordered = { fromClient, shortDcid: c.scil[1 - side], firstShort: false, initialsBefore: c.initials[side], known: c.client !== undefined };
  if (c.dcid && c.kv[side] !== undefined) {
    out.keyVersion = c.kv[side];
    out.keyDcid = c.dcid;
  }
  for (let o = s.off; o < s.end; ) {
    const first = b[o];
    if (!(first & 0x80)) {
      out.shortDcid = c.scil[1 - side];
      if (!c.shortSeen) out.firstShort = c.shortSeen = true;
      break;
    }
    if (o + 7 > s.end) break;
    const version = u32(b, o + 1);
    const dcil = b[o + 5];
    if (o + 6 + dcil >= s.end) break;
    const scil = b[o + 6 + dcil];
    if (o + 7 + dcil + scil > s.end) break;
    c.scil[side] = scil;
    const type = (first >> 4) & 3;
    if (version === 0) break;
    // The server speaking another version than the client's keys were made for: the client's are made again.
    if (!fromClient && type !== 3 && c.kv[0] !== undefined && c.kv[0] !== version) c.kv[0] = undefined;
    if (type === 3) {
      // Retry: both directions make their Initial keys again, from the client's next Initial.
      c.dcid = undefined;
      c.kv = [undefined, undefined];
      break;
    }
    if (type === 0) {
      c.initials[side]++;
      if (fromClient && !c.dcid) c.dcid = b.slice(o + 6, o + 6 + dcil);
      if (c.kv[side] === undefined && c.dcid) {
        c.kv[side] = version;
        out.keyVersion ??= version;
        out.keyDcid ??= c.dcid;
      }
    }
    const len = packetExtent(b, o, s.end);
    if (len === undefined) break;
    if (type === 0) gatherCrypto(c, side, b, o, o + len, out.keyVersion ?? c.kv[side], out.keyDcid ?? c.dcid, ctx.frame, out);
    o += len;
  }
  return out;
}

/**
 * The CRYPTO data of an Initial at [o, pe) added to its side's handshake message while that is
 * not whole: a message longer than its first Initial's CRYPTO frame is completed by the next ones
 * (a ClientHello with a large key share), as tshark reassembles it; in order only.
 */
function gatherCrypto(c: Conn, side: number, b: Uint8Array, o: number, pe: number, version: number | undefined, dcid: Uint8Array | undefined, frame: number, out: Ordered): void {
  c.hs ??= [undefined, undefined];
  const g = c.hs[side];
  if (g === true || version === undefined || !dcid) return;
  const keys = initialKeys(version, dcid, side === 1);
  if (!keys) return;
  let p = o + 6 + b[o + 5];
  p += 1 + b[p];
  const t = varint(b, p, pe);
  if (!t) return;
  p += t[1] + t[0];
  const l = varint(b, p, pe);
  if (!l) return;
  const opened = openInitial(b, o, p + l[1], pe, keys);
  if (!opened) return;
  for (const [off, data] of cryptoFrames(opened.pt)) {
    const cur = c.hs[side];
    if (cur === true) return;
    if (!cur) {
      if (off !== 0 || data.length < 4) continue;
      const need = 4 + ((data[1] << 16) | (data[2] << 8) | data[3]);
      if (data.length >= need || need > GATHER_MAX) {
        c.hs[side] = true;
        return;
      }
      const buf = new Uint8Array(need);
      buf.set(data);
      c.hs[side] = { buf, got: data.length, frags: [[frame, data.length]], parts: [out] };
      out.helloType = data[0];
      continue;
    }
    if (off !== cur.got) continue;
    const take = Math.min(data.length, cur.buf.length - cur.got);
    cur.buf.set(data.subarray(0, take), cur.got);
    cur.got += take;
    cur.frags.push([frame, take]);
    if (cur.got < cur.buf.length) {
      if (!cur.parts.includes(out)) cur.parts.push(out);
      out.helloType = cur.buf[0];
      continue;
    }
    for (const q of cur.parts) if (q !== out) q.helloIn = frame;
    out.hello = { bytes: cur.buf, frags: cur.frags };
    c.hs[side] = true;
  }
}

/** The CRYPTO frames of a decrypted Initial payload: [offset, data]; the walk stops at a frame type an Initial does not carry. */
function cryptoFrames(pt: Uint8Array): [number, Uint8Array][] {
  const out: [number, Uint8Array][] = [];
  const end = pt.length;
  let o = 0;
  const next = (): number | undefined => {
    const v = varint(pt, o, end);
    if (!v) return undefined;
    o += v[1];
    return v[0];
  };
  while (o < end) {
    const type = next();
    if (type === undefined) break;
    if (type === 0) {
      while (o < end && pt[o] === 0) o++;
    } else if (type === 1) {
      // PING
    } else if (type === 2 || type === 3) {
      if (next() === undefined || next() === undefined) break;
      const count = next();
      if (count === undefined || next() === undefined) break;
      let ok = true;
      for (let i = 0; ok && i < count * 2 + (type === 3 ? 3 : 0); i++) ok = next() !== undefined;
      if (!ok) break;
    } else if (type === 6) {
      const off = next();
      const len = next();
      if (off === undefined || len === undefined || o + len > end) break;
      out.push([off, pt.subarray(o, o + len)]);
      o += len;
    } else if (type === 0x1c || type === 0x1d) {
      if (next() === undefined || (type === 0x1c && next() === undefined)) break;
      const r = next();
      if (r === undefined || o + r > end) break;
      o += r;
    } else break;
  }
  return out;
}

/** Bytes of the long-header packet at `o` (header + Length), or undefined when its lengths do not fit. */
function packetExtent(b: Uint8Array, o: number, end: number): number | undefined {
  const type = (b[o] >> 4) & 3;
  let p = o + 5;
  p += 1 + b[p];
  if (p >= end) return undefined;
  p += 1 + b[p];
  if (p > end) return undefined;
  if (type === 3) return end - o;
  if (type === 0) {
    const t = varint(b, p, end);
    if (!t) return undefined;
    p += t[1] + t[0];
  }
  const l = varint(b, p, end);
  if (!l) return undefined;
  return p + l[1] + l[0] - o;
}

const TYPE_NAMES = ['Initial', '0-RTT', 'Handshake', 'Retry'];
const FRAME_NAMES: Record<number, string> = {
  0x00: 'PADDING', 0x01: 'PING', 0x02: 'ACK', 0x03: 'ACK', 0x04: 'RESET_STREAM', 0x05: 'STOP_SENDING', 0x06: 'CRYPTO', 0x07: 'NEW_TOKEN',
  0x10: 'MAX_DATA', 0x11: 'MAX_STREAM_DATA', 0x12: 'MAX_STREAMS', 0x13: 'MAX_STREAMS', 0x14: 'DATA_BLOCKED', 0x15: 'STREAM_DATA_BLOCKED',
  0x16: 'STREAMS_BLOCKED', 0x17: 'STREAMS_BLOCKED', 0x18: 'NEW_CONNECTION_ID', 0x19: 'RETIRE_CONNECTION_ID', 0x1a: 'PATH_CHALLENGE',
  0x1b: 'PATH_RESPONSE', 0x1c: 'CONNECTION_CLOSE', 0x1d: 'CONNECTION_CLOSE', 0x1e: 'HANDSHAKE_DONE',
};
const DECRYPTION = (why: string): AppExpert => ({ severity: 'warn', group: 'Decryption', protocol: 'QUIC', summary: `Failed to create decryption context: ${why}` });
const REUSED: AppExpert = { severity: 'note', group: 'Sequence', protocol: 'QUIC', summary: 'This QUIC frame has a reused stream offset (retransmission?)' };
const SEVERITY_WORD: Record<string, string> = { chat: 'Chat', note: 'Note', warn: 'Warning', error: 'Error' };
function expertNode(e: AppExpert): DetailNode {
  const sev = SEVERITY_WORD[e.severity];
  return { label: `[Expert Info (${sev}/${e.group}): ${e.summary}]`, severity: e.severity, children: [{ label: `[${e.summary}]` }, { label: `[Severity level: ${sev}]` }, { label: `[Group: ${e.group}]` }] };
}

/** Byte ranges of nodes made from decrypted bytes: none (they are not the frame's bytes). */
function unranged(n: DetailNode): DetailNode {
  const out: DetailNode = { label: n.label };
  if (n.field) out.field = n.field;
  if (n.children) out.children = n.children.map(unranged);
  return out;
}

interface Out {
  info: string[];
  fields: [string, string][];
  kids: DetailNode[];
  experts: AppExpert[];
  malformed: boolean;
  /** A frame of a decrypted payload ran past it: the protocol that threw (shown after the packet, Info unchanged). */
  thrownIn?: string;
  /** Their "[Malformed Packet: …]" nodes, after the packets. */
  thrown: DetailNode[];
}

/** The frames of a decrypted payload: Info words, fields, nodes. */
function frames(pt: Uint8Array, out: Out, tree: DetailNode[], seenInitial: boolean, ord?: Ordered): void {
  const words: string[] = [];
  let o = 0;
  const end = pt.length;
  while (o < end) {
    const t = varint(pt, o, end);
    if (!t) break;
    const type = t[0];
    const at = o;
    o += t[1];
    const name = FRAME_NAMES[type] ?? `Unknown (0x${type.toString(16)})`;
    const ftype = `0x${type.toString(16).padStart(16, '0')}`;
    const typeNode: DetailNode = { label: `Frame Type: ${name} (${ftype})`, field: 'quic.frame_type' };
    out.fields.push(['quic.frame', '1'], ['quic.frame_type', String(type)]);
    if (type === 0) {
      while (o < end && pt[o] === 0) o++;
      const n = o - at;
      out.fields.push(['quic.padding_length', String(n)]);
      tree.push({ label: `PADDING Length: ${n}`, field: 'quic.frame', children: [typeNode, { label: `[Padding Length: ${n}]`, field: 'quic.padding_length' }] });
      words.push('PADDING');
      continue;
    }
    const kids: DetailNode[] = [typeNode];
    const read = (field: string, label: string): number | undefined => {
      const v = varint(pt, o, end);
      if (!v) return undefined;
      o += v[1];
      if (field) {
        out.fields.push([field, String(v[0])]);
        kids.push({ label: `${label}: ${v[0]}`, field });
      }
      return v[0];
    };
    let ok = true;
    if (type === 1 || type === 0x1e) {
      // PING, HANDSHAKE_DONE: no body.
    } else if (type === 2 || type === 3) {
      read('quic.ack.largest_acknowledged', 'Largest Acknowledged');
      read('quic.ack.ack_delay', 'ACK Delay');
      const count = read('quic.ack.ack_range_count', 'ACK Range Count');
      read('quic.ack.first_ack_range', 'First ACK Range');
      for (let i = 0; ok && i < (count ?? 0); i++) ok = read('', '') !== undefined && read('', '') !== undefined;
      if (type === 3) for (let i = 0; ok && i < 3; i++) ok = read('', '') !== undefined;
      ok &&= count !== undefined;
    } else if (type === 6) {
      const off = read('quic.crypto.offset', 'Offset');
      const len = read('quic.crypto.length', 'Length');
      if (off !== undefined && len !== undefined && o + len > end) {
        // Data past the payload: handed on all the same, the dissector under it throws (TLS for the
        // ClientHello's offset 0); tshark shows the error after the packet, Info unchanged.
        out.fields.push(['quic.crypto.crypto_data', '1']);
        kids.push({ label: 'Crypto Data' });
        out.thrownIn = off === 0 && !seenInitial ? 'TLS' : 'QUIC';
        ok = false;
      } else if (off === undefined || len === undefined) ok = false;
      else {
        out.fields.push(['quic.crypto.crypto_data', '1']);
        kids.push({ label: 'Crypto Data' });
        // Offset 0 again in a direction that sent an Initial before: a retransmission, not dissected again.
        if (off === 0 && seenInitial) {
          out.experts.push(REUSED);
          kids.push(expertNode(REUSED));
        } else if (ord?.helloIn !== undefined && ord.helloType !== undefined) handshakeFragment(ord.helloType, ord.helloIn, out, kids);
        else if (ord?.hello && off > 0 && off + len >= ord.hello.bytes.length) {
          const h = ord.hello.bytes;
          tlsHandshake(h, 0, h.length, out, kids, ord.hello.frags);
        } else if (off === 0) tlsHandshake(pt, o, o + len, out, kids);
        o += len;
      }
    } else if (type === 0x1c || type === 0x1d) {
      ok = read('', '') !== undefined && (type === 0x1d || read('', '') !== undefined);
      const r = ok ? read('', '') : undefined;
      if (r === undefined || o + r > end) ok = false;
      else o += r;
    } else if (type === 7) {
      const r = read('', '');
      if (r === undefined || o + r > end) ok = false;
      else o += r;
    } else {
      // A frame type an Initial does not carry: the rest is not read.
      words.push(name);
      tree.push({ label: name, field: 'quic.frame', children: kids });
      break;
    }
    words.push(name);
    tree.push({ label: name, field: 'quic.frame', children: kids });
    if (!ok) {
      out.thrownIn ??= 'QUIC';
      break;
    }
  }
  for (const w of words) out.info.push(w);
}

const HELLO_NAMES: Record<number, string> = { 1: 'Client Hello', 2: 'Server Hello' };

/**
 * A handshake message (Client/Server Hello) at the start of CRYPTO data: tshark's TLS subtree and
 * fields. `frags`: it was gathered from the CRYPTO data of several Initials ([frame, bytes] each).
 */
function tlsHandshake(b: Uint8Array, o: number, e: number, out: Out, kids: DetailNode[], frags?: [number, number][]): void {
  if (e - o < 4) return;
  const type = b[o];
  const len = (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
  if (type !== 1 && type !== 2) return;
  const body = o + 4;
  const be = Math.min(e, body + len);
  const name = HELLO_NAMES[type];
  const hs: DetailNode[] = [{ label: `Handshake Type: ${name} (${type})`, field: 'tls.handshake.type' }, { label: `Length: ${len}`, field: 'tls.handshake.length' }];
  out.fields.push(['tls', '']);
  const record: DetailNode[] = [];
  if (frags) {
    // tshark: the last part, then the fragments' list, then the message.
    const total = frags.reduce((x, f) => x + f[1], 0);
    let at = 0;
    const list: DetailNode[] = frags.map(([f, n]) => {
      const node = { label: `[Frame: ${f}, payload: ${at}-${at + n - 1} (${n} bytes)]`, field: 'tls.handshake.fragment', link: f };
      at += n;
      return node;
    });
    list.push({ label: `[Handshake Fragment count: ${frags.length}]`, field: 'tls.handshake.fragment.count' });
    out.fields.push(['tls.handshake', ''], ['tls.handshake.fragments', ''], ...frags.map(([f]): [string, string] => ['tls.handshake.fragment', String(f)]), ['tls.handshake.fragment.count', String(frags.length)]);
    record.push({ label: `Handshake Protocol: ${name} (last fragment)`, field: 'tls.handshake' }, { label: `[${frags.length} Reassembled Handshake Fragments (${total} bytes): ${frags.map(([f, n]) => `#${f}(${n})`).join(', ')}]`, field: 'tls.handshake.fragments', children: list });
  }
  out.fields.push(['tls.handshake', ''], ['tls.handshake.type', String(type)], ['tls.handshake.length', String(len)]);
  hello(b, body, be, type, out.fields, hs, () => 0);
  record.push({ label: `Handshake Protocol: ${name}`, field: 'tls.handshake', children: hs.map(unranged) });
  kids.push({ label: `TLSv1.3 Record Layer: Handshake Protocol: ${name}`, proto: 'tls', children: record });
}

/** The first parts of a handshake message completed in a later Initial: tshark's "(fragment)" record and its link. */
function handshakeFragment(type: number, inFrame: number, out: Out, kids: DetailNode[]): void {
  const name = HELLO_NAMES[type] ?? `Unknown (${type})`;
  out.fields.push(['tls', ''], ['tls.handshake', ''], ['tls.handshake.reassembled_in', String(inFrame)]);
  kids.push({
    label: `TLSv1.3 Record Layer: Handshake Protocol: ${name} (fragment)`,
    proto: 'tls',
    children: [{ label: `Handshake Protocol: ${name} (fragment)`, field: 'tls.handshake' }, { label: `Reassembled Handshake Message in frame: ${inFrame}`, field: 'tls.handshake.reassembled_in', link: inFrame }],
  });
}

/** Removes header protection and decrypts the long-header packet at [o, pe); PKN and plaintext, or why it failed. */
function openInitial(b: Uint8Array, o: number, pnAt: number, pe: number, keys: Keys): { pn: number; pt: Uint8Array; first: number } | undefined {
  if (pnAt + 4 + 16 > pe) return undefined;
  const mask = aes128Encrypt(keys.hp, b.subarray(pnAt + 4, pnAt + 20));
  const first = b[o] ^ (mask[0] & 0x0f);
  const pnLen = (first & 3) + 1;
  const header = b.slice(o, pnAt + pnLen);
  header[0] = first;
  let pn = 0;
  for (let i = 0; i < pnLen; i++) {
    header[pnAt - o + i] ^= mask[1 + i];
    pn = pn * 256 + header[pnAt - o + i];
  }
  const nonce = keys.iv.slice();
  for (let i = 0; i < 8; i++) nonce[11 - i] ^= Math.floor(pn / 2 ** (8 * i)) & 0xff;
  const pt = aes128GcmOpen(keys.key, nonce, header, b.subarray(pnAt + pnLen, pe));
  return pt ? { pn, pt, first } : undefined;
}

/** One long-header packet at `o`; returns its end. */
function longPacket(b: Uint8Array, o: number, end: number, rend: number, ord: Ordered | undefined, fromServerPort: boolean, out: Out): number {
  const kids: DetailNode[] = [];
  const h = b[o];
  const version = u32(b, o + 1);
  const dcil = b[o + 5];
  const dcid = b.subarray(o + 6, Math.min(end, o + 6 + dcil));
  let p = o + 6 + dcil;
  const scil = p < end ? b[p] : 0;
  const scid = b.subarray(Math.min(end, p + 1), Math.min(end, p + 1 + scil));
  p += 1 + scil;
  const type = version === 0 ? -1 : (h >> 4) & 3;
  const ext = version === 0 ? end - o : packetExtent(b, o, end);
  const pe = ext === undefined ? end : o + ext;
  const plen = Math.min(pe, rend) - o;
  const words = [type < 0 ? 'Version Negotiation' : TYPE_NAMES[type]];
  if (dcil) words.push(`DCID=${hex(dcid, 0, dcid.length)}`);
  if (scil) words.push(`SCID=${hex(scid, 0, scid.length)}`);
  out.fields.push(['quic.packet_length', String(plen)], ['quic.header_form', '1']);
  kids.push({ label: `[Packet Length: ${plen}]`, field: 'quic.packet_length' }, { label: '1... .... = Header Form: Long Header (1)', field: 'quic.header_form', start: o, length: 1 });
  if (type >= 0 && type !== 3) {
    out.fields.push(['quic.fixed_bit', h & 0x40 ? '1' : '0']);
    kids.push({ label: `.${(h >> 6) & 1}.. .... = Fixed Bit: ${h & 0x40 ? 'True' : 'False'}`, field: 'quic.fixed_bit', start: o, length: 1 });
  }
  if (type >= 0) {
    out.fields.push(['quic.long.packet_type', String(type)]);
    kids.push({ label: `..${(type >> 1) & 1}${type & 1} .... = Packet Type: ${TYPE_NAMES[type]} (${type})`, field: 'quic.long.packet_type', start: o, length: 1 });
  }
  const vhex = `0x${version.toString(16).padStart(8, '0')}`;
  out.fields.push(['quic.version', vhex], ['quic.dcil', String(dcil)]);
  if (type < 0) kids.push({ label: `.${(h & 0x7f).toString(2).padStart(7, '0').replace(/^(...)/, '$1 ')} = Unused: 0x${(h & 0x7f).toString(16).padStart(2, '0')}`, start: o, length: 1 });
  kids.push({ label: `Version: ${versionName(version)} (${vhex})`, field: 'quic.version', start: o + 1, length: 4 });
  kids.push({ label: `Destination Connection ID Length: ${dcil}`, field: 'quic.dcil', start: o + 5, length: 1 });
  if (dcil) {
    out.fields.push(['quic.dcid', hex(dcid, 0, dcid.length)]);
    kids.push({ label: `Destination Connection ID: ${hex(dcid, 0, dcid.length)}`, field: 'quic.dcid', start: o + 6, length: dcid.length });
  }
  out.fields.push(['quic.scil', String(scil)]);
  kids.push({ label: `Source Connection ID Length: ${scil}`, field: 'quic.scil', start: o + 6 + dcil, length: 1 });
  if (scil) {
    out.fields.push(['quic.scid', hex(scid, 0, scid.length)]);
    kids.push({ label: `Source Connection ID: ${hex(scid, 0, scid.length)}`, field: 'quic.scid', start: o + 7 + dcil, length: scid.length });
  }
  // A packet cut by the capture is not malformed for tshark: its payload just cannot be decrypted.
  if (ext === undefined && p + 2 < end) out.malformed = true;
  else if (type === -1) {
    for (let q = p; q + 4 <= pe; q += 4) {
      const v = `0x${u32(b, q).toString(16).padStart(8, '0')}`;
      out.fields.push(['quic.supported_version', v]);
      kids.push({ label: `Supported Version: ${versionName(u32(b, q))} (${v})`, field: 'quic.supported_version', start: q, length: 4 });
    }
  } else if (type === 3) {
    if (pe - p >= 16) {
      out.fields.push(['quic.retry_token', hex(b, p, pe - 16)], ['quic.retry_integrity_tag', hex(b, pe - 16, pe)]);
      kids.push({ label: `Retry Token: ${hex(b, p, pe - 16)}`, field: 'quic.retry_token', start: p, length: pe - 16 - p }, { label: `Retry Integrity Tag: ${hex(b, pe - 16, pe)}`, field: 'quic.retry_integrity_tag', start: pe - 16, length: 16 });
    } else out.malformed = true;
  } else {
    if (type === 0) {
      const t = varint(b, p, end) ?? [0, 0];
      out.fields.push(['quic.token_length', String(t[0])]);
      kids.push({ label: `Token Length: ${t[0]}`, field: 'quic.token_length', start: p, length: t[1] });
      p += t[1] + t[0];
    }
    const l = varint(b, p, end);
    if (!l) {
      out.info.push(words.join(', '));
      out.kids.push({ label: 'QUIC IETF', proto: 'quic', start: o, length: pe - o, children: kids });
      return Math.max(pe, o + 1);
    }
    out.fields.push(['quic.length', String(l[0])]);
    kids.push({ label: `Length: ${l[0]}`, field: 'quic.length', start: p, length: l[1] });
    const pnAt = p + l[1];
    let failed: AppExpert | undefined;
    if (type === 0) {
      // Initial: this direction's keys (made by its first Initial, from the client's DCID then).
      const fromClient = ord ? ord.fromClient : !fromServerPort;
      const kv = ord?.keyVersion ?? version;
      const kd = ord?.keyDcid ?? (fromClient ? dcid.slice() : undefined);
      const keys = kd ? initialKeys(kv, kd, !fromClient) : undefined;
      const opened = keys && pe <= end ? openInitial(b, o, pnAt, pe, keys) : undefined;
      if (opened) {
        const f = opened.first;
        kids.push({ label: `.... ${(f >> 3) & 1}${(f >> 2) & 1}.. = Reserved: ${(f >> 2) & 3}`, field: 'quic.long.reserved', start: o, length: 1 }, { label: `.... ..${(f >> 1) & 1}${f & 1} = Packet Number Length: ${(f & 3) + 1} bytes (${f & 3})`, field: 'quic.packet_number_length', start: o, length: 1 });
        out.fields.push(['quic.long.reserved', String((f >> 2) & 3)], ['quic.packet_number_length', String(f & 3)]);
        words.push(`PKN: ${opened.pn}`);
        out.fields.push(['quic.packet_number', String(opened.pn)]);
        kids.push({ label: `Packet Number: ${opened.pn}` , field: 'quic.packet_number' });
        out.fields.push(['quic.payload', hex(b, pnAt, pe)]);
        kids.push({ label: `Payload: ${hex(b, pnAt, Math.min(pe, pnAt + 36))}${pe - pnAt > 36 ? '…' : ''}`, field: 'quic.payload', start: pnAt, length: pe - pnAt });
        const sub: Out = { info: [], fields: out.fields, kids: [], experts: out.experts, malformed: false, thrown: [] };
        frames(opened.pt, sub, kids, (ord?.initialsBefore ?? 0) > 0, ord);
        words.push(...sub.info);
        out.malformed ||= sub.malformed;
        if (sub.thrownIn) {
          const e: AppExpert = { severity: 'error', group: 'Malformed', protocol: sub.thrownIn, summary: 'Malformed Packet (Exception occurred)' };
          out.experts.push(e);
          out.thrown.push({ label: `[Malformed Packet: ${sub.thrownIn}]`, proto: '_ws.malformed', severity: 'error', children: [expertNode(e)] });
        }
      } else failed = DECRYPTION(kd ? 'Decryption (checktag) failed: Checksum error' : 'Secrets are not available');
    } else failed = DECRYPTION('Secrets are not available');
    if (failed) {
      out.experts.push(failed);
      kids.push(expertNode(failed));
      out.fields.push(['quic.remaining_payload', hex(b, pnAt, Math.min(end, pe))]);
      kids.push({ label: `Remaining Payload: ${hex(b, pnAt, Math.min(end, pe, pnAt + 36))}${Math.min(end, pe) - pnAt > 36 ? '…' : ''}`, field: 'quic.remaining_payload', start: pnAt, length: Math.max(0, Math.min(end, pe) - pnAt) });
    }
  }
  out.info.push(words.join(', '));
  out.kids.push({ label: 'QUIC IETF', proto: 'quic', start: o, length: pe - o, children: kids });
  return Math.max(pe, o + 1);
}

function dissect(s: Slice, ctx: UdpContext): Pdu | undefined {
  const b = s.b;
  const ord = ctx.ordered as Ordered | undefined;
  const out: Out = { info: [], fields: [['quic', '']], kids: [], experts: [], malformed: false, thrown: [] };
  const fromServerPort = ctx.srcPort === 443 && ctx.dstPort !== 443;
  // The datagram's reported end (past the captured bytes when the capture cut it).
  const rend = s.total !== undefined ? s.off + s.total : s.end;
  if (ord?.gquic || isGquic(s)) return gquicPdu(s);
  // A short header of a connection not seen starting is no QUIC for tshark (mid-stream: a UDP row).
  if (s.end > s.off && !(b[s.off] & 0x80) && !ord?.known) return undefined;
  for (let o = s.off; o < s.end; ) {
    if (b[o] & 0x80) {
      // A long header whose connection IDs do not fit is no QUIC for tshark (the datagram stays UDP's).
      // So is Google QUIC (versions 'Q0xx'/'T0xx': tshark's GQUIC dissector takes it).
      if (s.end - o < 7 || o + 6 + b[o + 5] >= s.end || (o === s.off && (b[o + 1] === 0x51 || b[o + 1] === 0x54) && b[o + 2] === 0x30)) {
        if (o === s.off) return undefined;
        out.malformed = true;
        break;
      }
      o = longPacket(b, o, s.end, rend, ord, fromServerPort, out);
    } else {
      // Short header: its DCID length is the connection's (the peer's SCID length).
      const n = Math.max(0, Math.min(ord?.shortDcid ?? 0, s.end - o - 1));
      const dcid = hex(b, o + 1, o + 1 + n);
      const kids: DetailNode[] = [
        { label: '0... .... = Header Form: Short Header (0)', field: 'quic.header_form', start: o, length: 1 },
        { label: `.${(b[o] >> 6) & 1}.. .... = Fixed Bit: ${b[o] & 0x40 ? 'True' : 'False'}`, field: 'quic.fixed_bit', start: o, length: 1 },
        { label: `..${(b[o] >> 5) & 1}. .... = Spin Bit: ${b[o] & 0x20 ? 'True' : 'False'}`, field: 'quic.spin_bit', start: o, length: 1 },
      ];
      out.fields.push(['quic.packet_length', String(rend - o)], ['quic.header_form', '0'], ['quic.short', '1'], ['quic.fixed_bit', b[o] & 0x40 ? '1' : '0'], ['quic.spin_bit', b[o] & 0x20 ? '1' : '0']);
      if (n) {
        out.fields.push(['quic.dcid', dcid]);
        kids.push({ label: `Destination Connection ID: ${dcid}`, field: 'quic.dcid', start: o + 1, length: n });
      }
      const top: DetailNode[] = [{ label: `[Packet Length: ${rend - o}]`, field: 'quic.packet_length' }, { label: `QUIC Short Header${n ? ` DCID=${dcid}` : ''}`, field: 'quic.short', start: o, length: 1 + n, children: kids }];
      if (!ord || ord.firstShort) {
        const e = DECRYPTION('Secrets are not available');
        out.experts.push(e);
        top.push(expertNode(e));
      }
      out.fields.push(['quic.remaining_payload', hex(b, o + 1 + n, s.end)]);
      top.push({ label: `Remaining Payload: ${hex(b, o + 1 + n, Math.min(s.end, o + 1 + n + 36))}${s.end - o - 1 - n > 36 ? '…' : ''}`, field: 'quic.remaining_payload', start: o + 1 + n, length: s.end - o - 1 - n });
      out.info.push(`Protected Payload (KP0)${n ? `, DCID=${dcid}` : ''}`);
      out.kids.push({ label: 'QUIC IETF', proto: 'quic', start: o, length: s.end - o, children: top });
      o = s.end;
    }
  }
  if (!out.kids.length) return undefined;
  // Byte ranges relative to the payload's first byte.
  const rebase = (n: DetailNode): DetailNode => ({ ...n, ...(n.start !== undefined ? { start: n.start - s.off } : {}), ...(n.children ? { children: n.children.map(rebase) } : {}) });
  const trees = [...out.kids.map(rebase), ...out.thrown];
  return { proto: 'QUIC', info: out.info.join(', '), fields: out.fields, tree: trees[0], after: trees.slice(1), experts: out.experts, malformed: out.malformed, cutQuiet: true };
}

/** tshark's heuristic: a long header (fixed bit set) of a version it knows, with connection ID lengths that fit. */
function heuristic(s: Slice): boolean {
  const b = s.b;
  const o = s.off;
  if (s.end - o < 7 || !(b[o] & 0x80)) return false;
  const v = u32(b, o + 1);
  if (!knownVersion(v) || (v !== 0 && !(b[o] & 0x40))) return false;
  const dcil = b[o + 5];
  if (dcil > 20 || o + 6 + dcil >= s.end) return false;
  return b[o + 6 + dcil] <= 20;
}

const FIELDS: AppFieldMeta[] = [
  ['quic', 'protocol', 0, 'QUIC IETF'],
  ['gquic', 'protocol', 0, 'GQUIC (Google Quick UDP Internet Connections)'],
  ['gquic.cid', 'uint', 64, 'CID'],
  ['gquic.packet_number', 'uint', 64, 'Packet Number'],
  ['quic.ack.ack_delay', 'uint', 64, 'ACK Delay'],
  ['quic.ack.ack_range_count', 'uint', 64, 'ACK Range Count'],
  ['quic.ack.first_ack_range', 'uint', 64, 'First ACK Range'],
  ['quic.ack.largest_acknowledged', 'uint', 64, 'Largest Acknowledged'],
  ['quic.crypto.crypto_data', 'none', 0, 'Crypto Data'],
  ['quic.crypto.length', 'uint', 64, 'Length'],
  ['quic.crypto.offset', 'uint', 64, 'Offset'],
  ['quic.dcid', 'bytes', 0, 'Destination Connection ID'],
  ['quic.dcil', 'uint', 8, 'Destination Connection ID Length'],
  ['quic.fixed_bit', 'boolean', 0, 'Fixed Bit'],
  ['quic.frame', 'none', 0, 'Frame'],
  ['quic.frame_type', 'uint', 64, 'Frame Type'],
  ['quic.header_form', 'uint', 8, 'Header Form'],
  ['quic.length', 'uint', 64, 'Length'],
  ['quic.long.packet_type', 'uint', 8, 'Packet Type'],
  ['quic.long.reserved', 'uint', 8, 'Reserved'],
  ['quic.packet_number_length', 'uint', 8, 'Packet Number Length'],
  ['quic.packet_length', 'uint', 32, 'Packet Length'],
  ['quic.packet_number', 'uint', 64, 'Packet Number'],
  ['quic.padding_length', 'uint', 32, 'Padding Length'],
  ['quic.payload', 'bytes', 0, 'Payload'],
  ['quic.remaining_payload', 'bytes', 0, 'Remaining Payload'],
  ['quic.retry_integrity_tag', 'bytes', 0, 'Retry Integrity Tag'],
  ['quic.retry_token', 'bytes', 0, 'Retry Token'],
  ['quic.scid', 'bytes', 0, 'Source Connection ID'],
  ['quic.scil', 'uint', 8, 'Source Connection ID Length'],
  ['quic.short', 'none', 0, 'QUIC Short Header'],
  ['quic.spin_bit', 'boolean', 0, 'Spin Bit'],
  ['quic.supported_version', 'uint', 32, 'Supported Version'],
  ['quic.token_length', 'uint', 64, 'Token Length'],
  ['quic.version', 'uint', 32, 'Version'],
];

export const QUIC: AppDissector = {
  name: 'quic',
  fields: FIELDS,
  udpPorts: [443],
  heuristicUdp: heuristic,
  udp: dissect,
  udpOrdered: ordered,
  carries: ['tls.'],
};
