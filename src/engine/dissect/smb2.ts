/**
 * SMB2/SMB3 over the NetBIOS Session Service (TCP 445 and 139, as tshark): each NBSS message is one
 * PDU (4-byte header, 24-bit length), reassembled across segments; its SMB2 commands (a compound
 * chain by NextCommand) each give "<Command> Request|Response" and what tshark adds for it, joined
 * with ";" — " File: name" (Create, and by file ID on Read/Write/Close/GetInfo/…: the Create
 * response's FID names the file its request asked for), " Tree: \\host\share", " Len:N Off:N",
 * "FILE_INFO/SMB2_FILE_ALL_INFO", ", NTLMSSP_NEGOTIATE", ", Error: STATUS_…" (black-box, tshark
 * 4.0.17 on the wild corpus's SMB2 captures). An SMB3 transform header is "Encrypted SMB3"; an SMB1
 * message (the first Negotiate of many connections) is Protocol "SMB"; other NBSS messages "NBSS".
 */
import type { DetailNode } from '../model/types';
import { connState } from './lines';
import type { AppDissector, AppFieldMeta, DirState, Pdu, Slice, TcpContext, TcpPduLength } from './types';

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const hex = (v: number, w: number) => '0x' + v.toString(16).padStart(w, '0');
const hexBytesLE = (b: Uint8Array, o: number, n: number) => {
  let s = '';
  for (let i = n - 1; i >= 0; i--) s += b[o + i].toString(16).padStart(2, '0');
  return '0x' + s;
};
const u64Dec = (b: Uint8Array, o: number) => (BigInt(u32(b, o + 4)) * 0x100000000n + BigInt(u32(b, o))).toString();

function utf16(b: Uint8Array, o: number, len: number, end: number): string {
  let s = '';
  const e = Math.min(end, o + len);
  for (let i = o; i + 1 < e; i += 2) s += String.fromCharCode(u16(b, i));
  return s;
}

const COMMANDS = [
  'Negotiate Protocol', 'Session Setup', 'Session Logoff', 'Tree Connect', 'Tree Disconnect', 'Create', 'Close', 'Flush', 'Read', 'Write',
  'Lock', 'Ioctl', 'Cancel', 'KeepAlive', 'Find', 'Notify', 'GetInfo', 'SetInfo', 'Break',
];

const STATUS: Record<number, string> = {
  0x00000000: 'STATUS_SUCCESS', 0x00000103: 'STATUS_PENDING', 0x0000010b: 'STATUS_NOTIFY_CLEANUP', 0x0000010c: 'STATUS_NOTIFY_ENUM_DIR',
  0x80000005: 'STATUS_BUFFER_OVERFLOW', 0x80000006: 'STATUS_NO_MORE_FILES', 0xc0000001: 'STATUS_UNSUCCESSFUL', 0xc0000002: 'STATUS_NOT_IMPLEMENTED',
  0xc0000003: 'STATUS_INVALID_INFO_CLASS', 0xc0000008: 'STATUS_INVALID_HANDLE', 0xc000000d: 'STATUS_INVALID_PARAMETER', 0xc000000f: 'STATUS_NO_SUCH_FILE',
  0xc0000010: 'STATUS_INVALID_DEVICE_REQUEST', 0xc0000011: 'STATUS_END_OF_FILE', 0xc0000016: 'STATUS_MORE_PROCESSING_REQUIRED',
  0xc0000022: 'STATUS_ACCESS_DENIED', 0xc0000023: 'STATUS_BUFFER_TOO_SMALL', 0xc0000033: 'STATUS_OBJECT_NAME_INVALID',
  0xc0000034: 'STATUS_OBJECT_NAME_NOT_FOUND', 0xc0000035: 'STATUS_OBJECT_NAME_COLLISION', 0xc000003a: 'STATUS_OBJECT_PATH_NOT_FOUND',
  0xc0000043: 'STATUS_SHARING_VIOLATION', 0xc000004f: 'STATUS_EAS_NOT_SUPPORTED', 0xc0000054: 'STATUS_FILE_LOCK_CONFLICT',
  0xc0000055: 'STATUS_LOCK_NOT_GRANTED', 0xc0000056: 'STATUS_DELETE_PENDING', 0xc0000061: 'STATUS_PRIVILEGE_NOT_HELD',
  0xc000006d: 'STATUS_LOGON_FAILURE', 0xc000006e: 'STATUS_ACCOUNT_RESTRICTION', 0xc0000071: 'STATUS_PASSWORD_EXPIRED',
  0xc0000072: 'STATUS_ACCOUNT_DISABLED', 0xc000009a: 'STATUS_INSUFFICIENT_RESOURCES', 0xc00000b5: 'STATUS_IO_TIMEOUT',
  0xc00000ba: 'STATUS_FILE_IS_A_DIRECTORY', 0xc00000bb: 'STATUS_NOT_SUPPORTED', 0xc00000c9: 'STATUS_NETWORK_NAME_DELETED',
  0xc00000cc: 'STATUS_BAD_NETWORK_NAME', 0xc0000101: 'STATUS_DIRECTORY_NOT_EMPTY', 0xc0000103: 'STATUS_NOT_A_DIRECTORY',
  0xc0000120: 'STATUS_CANCELLED', 0xc0000128: 'STATUS_FILE_CLOSED', 0xc0000148: 'STATUS_INVALID_LEVEL', 0xc0000184: 'STATUS_INVALID_DEVICE_STATE',
  0xc000019c: 'STATUS_FS_DRIVER_REQUIRED', 0xc0000203: 'STATUS_USER_SESSION_DELETED', 0xc0000225: 'STATUS_NOT_FOUND',
  0xc0000257: 'STATUS_PATH_NOT_COVERED', 0xc000035c: 'STATUS_NETWORK_SESSION_EXPIRED', 0xc00000d0: 'STATUS_REQUEST_NOT_ACCEPTED',
};
const statusName = (s: number) => STATUS[s] ?? `Unknown (0x${s.toString(16).padStart(8, '0')})`;

const FILE_INFO: Record<number, string> = {
  0x04: 'SMB2_FILE_BASIC_INFO', 0x05: 'SMB2_FILE_STANDARD_INFO', 0x06: 'SMB2_FILE_INTERNAL_INFO', 0x07: 'SMB2_FILE_EA_INFO',
  0x08: 'SMB2_FILE_ACCESS_INFO', 0x0a: 'SMB2_FILE_RENAME_INFO', 0x0d: 'SMB2_FILE_DISPOSITION_INFO', 0x0e: 'SMB2_FILE_POSITION_INFO',
  0x0f: 'SMB2_FILE_FULL_EA_INFO', 0x10: 'SMB2_FILE_MODE_INFO', 0x11: 'SMB2_FILE_ALIGNMENT_INFO', 0x12: 'SMB2_FILE_ALL_INFO',
  0x13: 'SMB2_FILE_ALLOCATION_INFO', 0x14: 'SMB2_FILE_ENDOFFILE_INFO', 0x15: 'SMB2_FILE_ALTERNATE_NAME_INFO', 0x16: 'SMB2_FILE_STREAM_INFO',
  0x17: 'SMB2_FILE_PIPE_INFO', 0x1c: 'SMB2_FILE_COMPRESSION_INFO', 0x22: 'SMB2_FILE_NETWORK_OPEN_INFO', 0x23: 'SMB2_FILE_ATTRIBUTE_TAG_INFO',
};
const FS_INFO: Record<number, string> = {
  1: 'FileFsVolumeInformation', 2: 'FileFsLabelInformation', 3: 'FileFsSizeInformation', 4: 'FileFsDeviceInformation',
  5: 'FileFsAttributeInformation', 6: 'FileFsControlInformation', 7: 'FileFsFullSizeInformation', 8: 'FileFsObjectIdInformation',
  11: 'FileFsSectorSizeInformation',
};
const FIND_LEVELS: Record<number, string> = {
  0x01: 'SMB2_FIND_DIRECTORY_INFO', 0x02: 'SMB2_FIND_FULL_DIRECTORY_INFO', 0x03: 'SMB2_FIND_BOTH_DIRECTORY_INFO', 0x0c: 'SMB2_FIND_NAME_INFO',
  0x25: 'SMB2_FIND_ID_BOTH_DIRECTORY_INFO', 0x26: 'SMB2_FIND_ID_FULL_DIRECTORY_INFO',
};
const FSCTL: Record<number, string> = {
  0x00060194: 'FSCTL_DFS_GET_REFERRALS', 0x000601b0: 'FSCTL_DFS_GET_REFERRALS_EX', 0x0011c017: 'FSCTL_PIPE_TRANSCEIVE', 0x00110018: 'FSCTL_PIPE_WAIT',
  0x0011400c: 'FSCTL_PIPE_PEEK', 0x00144064: 'FSCTL_SRV_ENUMERATE_SNAPSHOTS', 0x00140078: 'FSCTL_SRV_REQUEST_RESUME_KEY',
  0x001440f2: 'FSCTL_SRV_COPYCHUNK', 0x001480f2: 'FSCTL_SRV_COPYCHUNK_WRITE', 0x001401d4: 'FSCTL_LMR_REQUEST_RESILIENCY',
  0x001401fc: 'FSCTL_QUERY_NETWORK_INTERFACE_INFO', 0x00140204: 'FSCTL_VALIDATE_NEGOTIATE_INFO',
};

function infoLevel(cls: number, level: number): string {
  if (cls === 1) return `FILE_INFO/${FILE_INFO[level] ?? `Unknown (0x${level.toString(16).padStart(2, '0')})`}`;
  if (cls === 2) return `FS_INFO/${FS_INFO[level] ?? `Unknown (0x${level.toString(16).padStart(2, '0')})`}`;
  if (cls === 3) return `SEC_INFO/SMB2_SEC_INFO_${level.toString(16).padStart(2, '0')}`;
  if (cls === 4) return `QUOTA_INFO/SMB2_QUOTA_INFO_${level.toString(16).padStart(2, '0')}`;
  return `Unknown (0x${cls.toString(16).padStart(2, '0')})/Unknown (0x${level.toString(16).padStart(2, '0')})`;
}

/** What a conversation remembers: Create requests by message ID, file names by file ID, shares by tree ID. */
interface SmbConn extends DirState {
  creates: Map<string, string>;
  files: Map<string, string>;
  trees: Map<string, string>;
  /** Tree Connect requests by message ID (their share path). */
  treeReqs: Map<string, string>;
  /** Find (0x100 | level) and GetInfo (class << 8 | level) requests by message ID. */
  infoReqs: Map<string, number>;
}

/** A file ID as tshark prints smb2.fid (a GUID: the 16 bytes as little-endian fields). */
function guid(b: Uint8Array, o: number): string {
  const h = (i: number, n: number, le: boolean) => {
    let s = '';
    for (let k = 0; k < n; k++) s += b[o + i + (le ? n - 1 - k : k)].toString(16).padStart(2, '0');
    return s;
  };
  return `${h(0, 4, true)}-${h(4, 2, true)}-${h(6, 2, true)}-${h(8, 2, false)}-${h(10, 6, false)}`;
}

/** The NTLMSSP message of a security blob: its Info words. */
function ntlmssp(b: Uint8Array, o: number, end: number): string {
  for (let i = o; i + 12 <= end; i++) {
    if (b[i] !== 0x4e || b[i + 1] !== 0x54 || b[i + 2] !== 0x4c || b[i + 3] !== 0x4d || b[i + 6] !== 0x50 || b[i + 7] !== 0) continue;
    if (b[i + 4] !== 0x53 || b[i + 5] !== 0x53) continue;
    const type = u32(b, i + 8);
    if (type === 1) return ', NTLMSSP_NEGOTIATE';
    if (type === 2) return ', NTLMSSP_CHALLENGE';
    if (type === 3) {
      if (i + 64 > end) return ', NTLMSSP_AUTH';
      const unicode = (u32(b, i + 60) & 1) !== 0;
      const str = (at: number) => {
        const len = u16(b, i + at);
        const off = u32(b, i + at + 4);
        if (i + off + len > end) return '';
        return unicode ? utf16(b, i + off, len, end) : String.fromCharCode(...b.subarray(i + off, i + off + len));
      };
      return `, NTLMSSP_AUTH, User: ${str(28)}\\${str(36)}`;
    }
    return '';
  }
  return '';
}

/** One SMB2 message at [o, e) (header at o): its Info part, fields and node. */
function message(b: Uint8Array, o: number, e: number, c: SmbConn, fields: [string, string][], kids: DetailNode[], base: number): string {
  const flags = u32(b, o + 16);
  const resp = (flags & 1) !== 0;
  const async = (flags & 2) !== 0;
  const cmd = u16(b, o + 12);
  const status = u32(b, o + 8);
  const msgId = u64Dec(b, o + 24);
  const tid = async ? 0 : u32(b, o + 36);
  const sesid = hexBytesLE(b, o + 40, 8);
  const name = COMMANDS[cmd] ?? `Unknown (${cmd})`;
  const key = `${msgId}`;
  fields.push(['smb2.cmd', String(cmd)], ['smb2.flags.response', resp ? '1' : '0']);
  if (resp) fields.push(['smb2.nt_status', hex(status, 8)]);
  fields.push(['smb2.msg_id', msgId], ['smb2.sesid', sesid]);
  if (!async) fields.push(['smb2.tid', hex(tid, 8)]);
  const tree = c.trees.get(`${tid}`);
  if (tree !== undefined && !async) fields.push(['smb2.tree', tree]);
  const hdr: DetailNode[] = [
    { label: 'ProtocolId: 0xfe534d42', start: o - base, length: 4 },
    { label: `Header Length: ${u16(b, o + 4)}`, start: o + 4 - base, length: 2 },
    { label: `Command: ${name} (${cmd})`, field: 'smb2.cmd', start: o + 12 - base, length: 2 },
  ];
  if (resp) hdr.splice(2, 0, { label: `NT Status: ${statusName(status)} (${hex(status, 8)})`, field: 'smb2.nt_status', start: o + 8 - base, length: 4 });
  hdr.push(
    { label: `Flags: ${hex(flags, 8)}`, start: o + 16 - base, length: 4, children: [{ label: `.... .... .... .... .... .... .... ...${resp ? 1 : 0} = Response: ${resp ? 'This is a RESPONSE' : 'This is a REQUEST'}`, field: 'smb2.flags.response' }] },
    { label: `Message ID: ${msgId}`, field: 'smb2.msg_id', start: o + 24 - base, length: 8 },
  );
  if (!async) hdr.push({ label: `Tree Id: ${hex(tid, 8)}${tree !== undefined ? `  ${tree}` : ''}`, field: 'smb2.tid', start: o + 36 - base, length: 4 });
  hdr.push({ label: `Session Id: ${sesid}`, field: 'smb2.sesid', start: o + 40 - base, length: 8 });
  const body = o + 64;
  const sz = body + 2 <= e ? u16(b, body) : 0;
  // An error answer has the 9-byte error body, except the statuses that carry the normal one.
  const error = resp && status !== 0 && !(cmd === 1 && status === 0xc0000016) && !(cmd === 11 && status === 0x80000005) && !(cmd === 16 && status === 0x80000005) && !(cmd === 8 && status === 0x80000005);
  let text = `${name} ${resp ? 'Response' : 'Request'}`;
  // Break with a lease (not an oplock): the server's notification, the client's acknowledgment, its answer.
  if (cmd === 18 && resp && sz === 44) text = 'Lease Break Notification';
  else if (cmd === 18 && sz === 36) text = resp ? 'Lease Break Response' : 'Lease Break Acknowledgment';
  let extra = '';
  const fidAt = (at: number) => (body + at + 16 <= e ? guid(b, body + at) : undefined);
  const file = (at: number) => {
    const fid = fidAt(at);
    if (fid === undefined) return '';
    fields.push(['smb2.fid', fid]);
    const n = c.files.get(fid);
    return n === undefined ? '' : ` File: ${n}`;
  };
  if (!error && body + 2 <= e) {
    if (cmd === 1) {
      // Session Setup: the security blob (request at body+12, response at body+4).
      const at = resp ? 4 : 12;
      if (body + at + 4 <= e) {
        const off = u16(b, body + at);
        const len = u16(b, body + at + 2);
        extra = ntlmssp(b, o + off, Math.min(e, o + off + len));
      }
    } else if (cmd === 3 && !resp && body + 8 <= e) {
      const path = utf16(b, o + u16(b, body + 4), u16(b, body + 6), e);
      fields.push(['smb2.tree', path]);
      c.treeReqs.set(key, path);
      extra = ` Tree: ${path}`;
    } else if (cmd === 3 && resp) {
      const path = c.treeReqs.get(key);
      if (path !== undefined) {
        c.trees.set(`${tid}`, path);
        if (tree === undefined) fields.push(['smb2.tree', path]);
      }
    } else if (cmd === 5 && !resp && body + 48 <= e) {
      const n = utf16(b, o + u16(b, body + 44), u16(b, body + 46), e);
      c.creates.set(key, n);
      fields.push(['smb2.filename', n]);
      extra = ` File: ${n}`;
      // Create contexts: a durable handle request or reconnect carries a file ID (tshark's smb2.fid).
      if (body + 56 <= e) createContexts(b, o, o + u32(b, body + 48), e, false, fields);
    } else if (cmd === 5 && resp) {
      const n = c.creates.get(key);
      const fid = fidAt(64);
      if (fid !== undefined) {
        fields.push(['smb2.fid', fid]);
        if (n !== undefined) c.files.set(fid, n);
      }
      // Its contexts (an Apple Resolve ID answer carries a status: tshark's smb2.nt_status).
      if (body + 88 <= e) createContexts(b, o, o + u32(b, body + 80), e, true, fields);
      if (n !== undefined) extra = ` File: ${n}`;
    } else if ((cmd === 6 || cmd === 7 || cmd === 15) && !resp) {
      extra = file(8);
    } else if ((cmd === 10 && !resp) || (cmd === 18 && sz === 24)) {
      // Lock request, oplock break: the file ID only.
      file(8);
    } else if ((cmd === 8 || cmd === 9) && !resp && body + 48 <= e) {
      const len = u32(b, body + 4);
      const off = u64Dec(b, body + 8);
      extra = ` Len:${len} Off:${off}` + file(16);
    } else if (cmd === 11 && body + 8 <= e) {
      const code = u32(b, body + 4);
      extra = ` ${FSCTL[code] ?? hex(code, 8)}`;
      const f = file(8);
      if (!resp && f) extra += ',' + f;
    } else if (cmd === 14 && !resp && body + 32 <= e) {
      const level = b[body + 2];
      c.infoReqs.set(key, 0x100 | level);
      const f = file(8);
      const pattern = utf16(b, o + u16(b, body + 24), u16(b, body + 26), e);
      extra = `${f} ${FIND_LEVELS[level] ?? `Unknown (0x${level.toString(16).padStart(2, '0')})`} Pattern: ${pattern}`;
    } else if ((cmd === 14 || cmd === 16) && resp && body + 8 <= e) {
      // The names a Find or GetInfo answer lists (by the request's level): tshark's smb2.filename.
      const req = c.infoReqs.get(key);
      const buf = o + u16(b, body + 2);
      const bufEnd = Math.min(e, buf + u32(b, body + 4));
      if (req !== undefined && buf >= body + 8) for (const x of answerNames(b, buf, bufEnd, req)) fields.push(['smb2.filename', x]);
    } else if ((cmd === 16 || cmd === 17) && !resp && body + 4 <= e) {
      if (cmd === 16) c.infoReqs.set(key, (b[body + 2] << 8) | b[body + 3]);
      const fAt = cmd === 16 ? 24 : 16;
      extra = ` ${infoLevel(b[body + 2], b[body + 3])}` + file(fAt);
    }
  }
  if (error) extra = `, Error: ${statusName(status)}`;
  else if (resp && status !== 0) extra = `, Error: ${statusName(status)}` + extra;
  kids.push({ label: 'SMB2 Header', start: o - base, length: 64, children: hdr }, { label: `${name} ${resp ? 'Response' : 'Request'} (${hex(cmd, 2)})`, start: body - base, length: Math.max(0, e - body) });
  return text + extra;
}

/**
 * The create contexts from `cc` (a Create request's or response's): the fields tshark reads from
 * them — a durable handle's file ID ("DHnQ", "DHnC"), an Apple Resolve ID answer's status ("AAPL").
 */
function createContexts(b: Uint8Array, o: number, cc: number, e: number, resp: boolean, fields: [string, string][]): void {
  for (let k = 0; k < 32 && cc > o && cc + 16 <= e; k++) {
    const nameAt = cc + u16(b, cc + 4);
    const dataAt = cc + u16(b, cc + 10);
    const dataLen = u32(b, cc + 12);
    if (u16(b, cc + 6) === 4 && nameAt + 4 <= e) {
      const tag = String.fromCharCode(b[nameAt], b[nameAt + 1], b[nameAt + 2], b[nameAt + 3]);
      if ((tag === 'DHnQ' || tag === 'DHnC') && dataLen >= 16 && dataAt + 16 <= e) fields.push(['smb2.fid', guid(b, dataAt)]);
      // Apple's "Resolve ID" answer (command 2) has an NT status of its own.
      if (resp && tag === 'AAPL' && dataLen >= 12 && dataAt + 12 <= e && u32(b, dataAt) === 2) fields.push(['smb2.nt_status', hex(u32(b, dataAt + 8), 8)]);
    }
    const step = u32(b, cc);
    if (!step) break;
    cc += step;
  }
}

/** Where the name's length and the name sit in an entry of each Find level. */
const FIND_NAME: Record<number, [number, number]> = { 0x01: [60, 64], 0x02: [60, 68], 0x03: [60, 94], 0x0c: [8, 12], 0x25: [60, 104], 0x26: [60, 80] };

/** File names in a Find answer's entries, or a FILE_INFO/SMB2_FILE_ALL_INFO answer's name. */
function answerNames(b: Uint8Array, o: number, end: number, req: number): string[] {
  const out: string[] = [];
  if (req === 0x0112) {
    if (o + 100 <= end) out.push(utf16(b, o + 100, u32(b, o + 96), end));
    return out;
  }
  const at = req >> 8 === 1 ? FIND_NAME[req & 0xff] : undefined;
  if (!at) return out;
  for (let k = 0; k < 65536 && o + at[1] <= end; k++) {
    out.push(utf16(b, o + at[1], u32(b, o + at[0]), end));
    const next = u32(b, o);
    // The next entry starts past this one's fixed part (bounds the walk on bogus offsets).
    if (next < at[1]) break;
    o += next;
  }
  return out;
}

const NBSS_TYPES: Record<number, string> = { 0x00: 'Session message', 0x81: 'Session request', 0x82: 'Positive session response', 0x83: 'Negative session response', 0x84: 'Retarget session response', 0x85: 'Session keep-alive' };

function length(s: Slice): TcpPduLength {
  const have = s.end - s.off;
  const b = s.b;
  // Too short for a header, or no header here: continuation data (tshark does not wait for more).
  if (have < 4 || !(b[s.off] in NBSS_TYPES)) return { len: have };
  return { len: 4 + ((b[s.off + 1] << 16) | (b[s.off + 2] << 8) | b[s.off + 3]) };
}

const SMB1_COMMANDS: Record<number, string> = {
  0x72: 'Negotiate Protocol', 0x73: 'Session Setup AndX', 0x75: 'Tree Connect AndX', 0x2b: 'Echo', 0x74: 'Logoff AndX', 0x71: 'Tree Disconnect',
  0x04: 'Close', 0x24: 'Locking AndX', 0x25: 'Trans', 0x2e: 'Read AndX', 0x2f: 'Write AndX', 0x32: 'Trans2', 0xa0: 'NT Trans', 0xa2: 'NT Create AndX',
};

function pdu(s: Slice, ctx: TcpContext): Pdu {
  const b = s.b;
  const c = connState<SmbConn>(ctx, 'smb2');
  c.creates ??= new Map();
  c.files ??= new Map();
  c.trees ??= new Map();
  c.treeReqs ??= new Map();
  c.infoReqs ??= new Map();
  const n = s.end - s.off;
  const type = b[s.off];
  const len = n >= 4 ? (b[s.off + 1] << 16) | (b[s.off + 2] << 8) | b[s.off + 3] : 0;
  const fields: [string, string][] = [['nbss', ''], ['nbss.type', hex(type, 2)], ['nbss.length', String(len)]];
  const nbss: DetailNode = {
    label: 'NetBIOS Session Service',
    proto: 'nbss',
    start: 0,
    length: Math.min(n, 4),
    children: [
      { label: `Message Type: ${NBSS_TYPES[type] ?? 'Unknown'} (${hex(type, 2)})`, field: 'nbss.type', start: 0, length: 1 },
      { label: `Length: ${len}`, field: 'nbss.length', start: 1, length: 3 },
    ],
  };
  const o = s.off + 4;
  const total = s.total ?? n;
  const malformed = total < 4 + len;
  if (n < 4 || !(type in NBSS_TYPES)) {
    const data = Array.from(b.subarray(s.off, s.end), (x) => x.toString(16).padStart(2, '0')).join('');
    return { proto: 'NBSS', info: 'NBSS Continuation Message', fields: [['nbss', ''], ['nbss.continuation_data', data]], tree: { label: 'NetBIOS Session Service', proto: 'nbss', start: 0, length: n, children: [{ label: `Continuation data: ${data}`, field: 'nbss.continuation_data', start: 0, length: n }] } };
  }
  if (type !== 0 || n < 8) return { proto: 'NBSS', info: NBSS_TYPES[type], fields, tree: nbss, malformed: total < 4 + len };
  const magic = (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
  if (magic !== 0x534d42 || (b[o] !== 0xfe && b[o] !== 0xfd && b[o] !== 0xff)) {
    return { proto: 'NBSS', info: 'Session message', fields, tree: nbss, malformed };
  }
  if (b[o] === 0xff) {
    const cmd = n >= 9 ? b[o + 4] : -1;
    const resp = n >= 14 && (b[o + 9] & 0x80) !== 0;
    const info = `${SMB1_COMMANDS[cmd] ?? `Unknown (0x${cmd.toString(16)})`} ${resp ? 'Response' : 'Request'}`;
    return { proto: 'SMB', info, fields: [...fields, ['smb', ''], ['smb.cmd', hex(cmd, 2)]], tree: nbss, after: [{ label: 'SMB (Server Message Block Protocol)', proto: 'smb', start: 4, length: n - 4 }], malformed };
  }
  fields.push(['smb2', '']);
  const kids: DetailNode[] = [];
  if (b[o] === 0xfd) {
    fields.push(['smb2.protocol_id', '0xfd534d42']);
    if (o + 52 <= s.end) fields.push(['smb2.sesid', hexBytesLE(b, o + 44, 8)]);
    kids.push({ label: 'SMB2 Transform Header', start: 4, length: Math.min(52, n - 4) });
    return { proto: 'SMB2', info: 'Encrypted SMB3', fields, tree: nbss, after: [{ label: 'SMB2 (Server Message Block Protocol version 2)', proto: 'smb2', start: 4, length: n - 4, children: kids }], malformed };
  }
  const parts: string[] = [];
  let bad = malformed;
  const end = s.end;
  // The chain by NextCommand (each step moves forward; a step to bytes that are no header ends it
  // with tshark's "Invalid header", a header cut short is malformed).
  for (let m = o, guard = 0; guard < 512; guard++) {
    if (m + 4 > end || u32(b, m) !== 0x424d53fe) {
      parts.push('Invalid header');
      break;
    }
    if (m + 64 > end) {
      // What tshark reads of a cut header before it runs out: the command and the flags.
      if (m + 14 <= end) fields.push(['smb2.cmd', String(u16(b, m + 12))]);
      if (m + 20 <= end) fields.push(['smb2.flags.response', b[m + 16] & 1 ? '1' : '0']);
      bad = true;
      break;
    }
    const next = u32(b, m + 20);
    const e = next && m + next < end ? m + next : end;
    parts.push(message(b, m, e, c, fields, kids, s.off));
    if (!next) break;
    if (m + next >= end) {
      bad = true;
      break;
    }
    m += next;
  }
  return {
    proto: 'SMB2',
    info: parts.join(';'),
    fields,
    tree: nbss,
    after: [{ label: 'SMB2 (Server Message Block Protocol version 2)', proto: 'smb2', start: 4, length: n - 4, children: kids }],
    malformed: bad,
  };
}

const FIELDS: AppFieldMeta[] = [
  ['nbss', 'protocol', 0, 'NetBIOS Session Service'],
  ['nbss.continuation_data', 'bytes', 0, 'Continuation data'],
  ['nbss.length', 'uint', 24, 'Length'],
  ['nbss.type', 'uint', 8, 'Message Type'],
  ['smb', 'protocol', 0, 'SMB (Server Message Block Protocol)'],
  ['smb.cmd', 'uint', 8, 'SMB Command'],
  ['smb2', 'protocol', 0, 'SMB2 (Server Message Block Protocol version 2)'],
  ['smb2.cmd', 'uint', 16, 'Command'],
  ['smb2.fid', 'string', 0, 'File Id'],
  ['smb2.filename', 'string', 0, 'Filename'],
  ['smb2.flags.response', 'boolean', 32, 'Response'],
  ['smb2.msg_id', 'uint', 64, 'Message ID'],
  ['smb2.nt_status', 'uint', 32, 'NT Status'],
  ['smb2.protocol_id', 'uint', 32, 'ProtocolId'],
  ['smb2.sesid', 'uint', 64, 'Session Id'],
  ['smb2.tid', 'uint', 32, 'Tree Id'],
  ['smb2.tree', 'string', 0, 'Tree'],
];

export const SMB2: AppDissector = {
  name: 'smb2',
  fields: FIELDS,
  tcpPorts: [139, 445],
  tcpLength: length,
  tcpPdu: pdu,
  // Several NBSS messages in one segment: tshark's column shows the last one's text.
  joinInfo: (infos) => infos[infos.length - 1],
};
