/**
 * SSH (TCP port 22), summary: the banner line, the binary packets of the key exchange (reassembled
 * by their length), then encrypted packets (each segment as it comes, as tshark shows them).
 * Info: "Client: " or "Server: " and the PDUs' texts joined with ", " ("Protocol (SSH-2.0-…)",
 * "Key Exchange Init", "Elliptic Curve Diffie-Hellman Key Exchange Reply", "New Keys"; an
 * encrypted packet adds nothing, "Client: ", except after a group exchange: "Encrypted packet
 * (len=N)"). Protocol "SSHv2"/"SSHv1" from the client's banner (on every frame, as tshark -2), else "SSH".
 */
import type { DetailNode } from '../model/types';
import { connState, latin1 } from './lines';
import type { AppDissector, AppFieldMeta, DirState, Pdu, Slice, TcpContext, TcpPduLength } from './types';

interface SshConn extends DirState {
  /** The version the client's banner said: 'SSHv2' (2.0, 1.99) or 'SSHv1'. */
  v2?: string;
  clientKex?: string[];
  serverKex?: string[];
  /** SSH-1: the client sent its Session Key, both directions are encrypted from here. */
  v1Encrypted?: boolean;
  /** PDUs made before the version was known (tshark -2 names them with the final version). */
  early?: Pdu[];
}

interface SshDir extends DirState {
  /** The banner line was seen. */
  banner?: boolean;
  /** This side sent New Keys: its next packets are encrypted. */
  encrypted?: boolean;
}

const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

const startsBanner = (s: Slice) => s.end - s.off >= 4 && latin1(s.b, s.off, s.off + 4) === 'SSH-';

function length(s: Slice, ctx: TcpContext): TcpPduLength {
  const dir = ctx.dir as SshDir;
  const have = s.end - s.off;
  if (dir.encrypted) return { len: have };
  if (!dir.banner || startsBanner(s)) {
    // A text line (the banner, or a line the server sends before it).
    for (let i = s.scan !== undefined ? Math.max(s.off, s.scan) : s.off; i < s.end; i++) if (s.b[i] === 0x0a) return { len: i + 1 - s.off };
    return { more: 1 };
  }
  if (have < 4) return { more: 4 - have };
  const n = u32(s.b, s.off);
  // A length no packet has: the rest is taken as it is.
  if (n > 256 * 1024) return { len: have };
  // SSH-1 (the client's banner said 1.x): the length leaves out 1–8 bytes of padding.
  if (connState<SshConn>(ctx, 'ssh').v2 === 'SSHv1') return { len: 4 + n + (8 - (n % 8)) };
  return { len: 4 + n };
}

/** The key exchange algorithm both sides agree on (the client's first one the server offers). */
const agreedKex = (c: SshConn): string => c.clientKex?.find((k) => c.serverKex?.includes(k)) ?? '';

function kexName(c: SshConn, code: number): string {
  const kex = agreedKex(c);
  if (kex.startsWith('diffie-hellman-group-exchange')) {
    return ({ 30: 'Diffie-Hellman Group Exchange Request (Old)', 31: 'Diffie-Hellman Group Exchange Group', 32: 'Diffie-Hellman Group Exchange Init', 33: 'Diffie-Hellman Group Exchange Reply', 34: 'Diffie-Hellman Group Exchange Request' } as Record<number, string>)[code] ?? `Unknown (${code})`;
  }
  const ec = kex.startsWith('ecdh-') || kex.startsWith('curve25519') || kex.startsWith('curve448');
  const name = ec ? 'Elliptic Curve Diffie-Hellman Key Exchange' : 'Diffie-Hellman Key Exchange';
  return code === 30 ? `${name} Init` : code === 31 ? `${name} Reply` : `Unknown (${code})`;
}

/** SSH-1 message codes tshark names (before encryption starts). */
const SSH1_MESSAGES: Record<number, string> = { 1: 'Disconnect', 2: 'Public Key', 3: 'Session Key', 4: 'User', 5: 'Auth RSA', 6: 'Auth RSA Challenge', 7: 'Auth RSA Response', 8: 'Auth Password' };

const MESSAGES: Record<number, string> = {
  1: 'Disconnect', 2: 'Ignore', 3: 'Unimplemented', 4: 'Debug', 5: 'Service Request', 6: 'Service Accept', 7: 'Extension Info',
  20: 'Key Exchange Init', 21: 'New Keys',
};

/** The name-lists of a Key Exchange Init payload (after code and cookie): the first is kex_algorithms. */
function firstNameList(b: Uint8Array, o: number, end: number): string[] {
  if (o + 4 > end) return [];
  const n = u32(b, o);
  if (o + 4 + n > end) return [];
  return latin1(b, o + 4, o + 4 + n).split(',');
}

function pdu(s: Slice, ctx: TcpContext): Pdu {
  const c = connState<SshConn>(ctx, 'ssh');
  const dir = ctx.dir as SshDir;
  const who = ctx.fromServer ? 'Server' : 'Client';
  const n = s.end - s.off;
  const fields: [string, string][] = [['ssh', '']];
  const kids: DetailNode[] = [];
  let text = '';
  let malformed = false;
  if (dir.encrypted) {
    // tshark 4.0 names the packet only after a group-exchange key exchange (others leave the text empty).
    if (agreedKex(c).startsWith('diffie-hellman-group-exchange')) text = `Encrypted packet (len=${n})`;
    fields.push(['ssh.encrypted_packet', '']);
    kids.push({ label: `Encrypted Packet: ${n} bytes`, field: 'ssh.encrypted_packet', start: 0, length: n });
  } else if (!dir.banner || startsBanner(s)) {
    let e = s.end;
    while (e > s.off && (s.b[e - 1] === 0x0a || s.b[e - 1] === 0x0d)) e--;
    const line = latin1(s.b, s.off, e);
    if (line.startsWith('SSH-')) {
      dir.banner = true;
      if (!ctx.fromServer && /^SSH-\d/.test(line)) {
        c.v2 = /^SSH-(2\.0|1\.99)-/.test(line) ? 'SSHv2' : 'SSHv1';
        for (const x of c.early ?? []) x.proto = c.v2;
        c.early = undefined;
      }
      text = `Protocol (${line})`;
      fields.push(['ssh.protocol', line]);
      kids.push({ label: `Protocol: ${line}`, field: 'ssh.protocol', start: 0, length: n });
    }
  } else if (c.v2 === 'SSHv1') {
    // SSH-1: length, padding (8 - length % 8), then the message code; after the client's Session
    // Key both directions are encrypted ("Encrypted packet (len=N)", N the length field).
    const len = n >= 4 ? u32(s.b, s.off) : 0;
    const pad = 8 - (len % 8);
    malformed = n < 4 + len + pad;
    const v1: DetailNode[] = [{ label: `Packet Length: ${len}`, field: 'ssh.packet_length', start: 0, length: 4 }, { label: `Padding Length: ${pad}`, field: 'ssh.padding_length' }];
    fields.push(['ssh.packet_length', String(len)], ['ssh.padding_length', String(pad)]);
    if (c.v1Encrypted) text = `Encrypted packet (len=${len})`;
    else if (n > 4 + pad) {
      const code = s.b[s.off + 4 + pad];
      text = SSH1_MESSAGES[code] ?? `Unknown (${code})`;
      fields.push(['ssh.message_code', String(code)]);
      v1.push({ label: `Message Code: ${text} (${code})`, field: 'ssh.message_code', start: 4 + pad, length: 1 });
      if (code === 3 && !ctx.fromServer) c.v1Encrypted = true;
    }
    kids.push({ label: 'SSH Version 1', start: 0, length: n, children: v1 });
  } else {
    const len = n >= 4 ? u32(s.b, s.off) : 0;
    const pad = n >= 5 ? s.b[s.off + 4] : 0;
    const code = n >= 6 ? s.b[s.off + 5] : -1;
    malformed = n < 6 || n < 4 + len;
    fields.push(['ssh.packet_length', String(len)], ['ssh.padding_length', String(pad)]);
    kids.push({ label: `Packet Length: ${len}`, field: 'ssh.packet_length', start: 0, length: 4 }, { label: `Padding Length: ${pad}`, field: 'ssh.padding_length', start: 4, length: 1 });
    if (code >= 0) {
      if (code === 20) {
        const list = firstNameList(s.b, s.off + 6 + 16, s.end);
        if (ctx.fromServer) c.serverKex = list;
        else c.clientKex = list;
      }
      if (code === 21) dir.encrypted = true;
      text = code >= 30 && code <= 49 ? kexName(c, code) : MESSAGES[code] ?? `Unknown (${code})`;
      fields.push(['ssh.message_code', String(code)]);
      kids.push({ label: `Message Code: ${text} (${code})`, field: 'ssh.message_code', start: 5, length: 1 });
    }
  }
  const out: Pdu = {
    proto: c.v2 ?? 'SSH',
    info: `${who}: ${text}`,
    fields,
    tree: { label: 'SSH Protocol', proto: 'ssh', start: 0, length: n, children: kids },
    malformed,
  };
  if (!c.v2) (c.early ??= []).push(out);
  return out;
}

const FIELDS: AppFieldMeta[] = [
  ['ssh', 'protocol', 0, 'SSH Protocol'],
  ['ssh.encrypted_packet', 'bytes', 0, 'Encrypted Packet'],
  ['ssh.message_code', 'uint', 8, 'Message Code'],
  ['ssh.packet_length', 'uint', 32, 'Packet Length'],
  ['ssh.padding_length', 'uint', 8, 'Padding Length'],
  ['ssh.protocol', 'string', 0, 'Protocol'],
];

export const SSH: AppDissector = {
  name: 'ssh',
  fields: FIELDS,
  tcpPorts: [22],
  tcpLength: length,
  tcpPdu: pdu,
  // The side once, then each PDU's text ("Server: Elliptic … Reply, New Keys"; encrypted ones add nothing).
  joinInfo: (infos) => {
    const side = infos[0].slice(0, infos[0].indexOf(': ') + 2);
    return side + infos.map((x) => x.slice(x.indexOf(': ') + 2)).filter((x) => x).join(', ');
  },
};
