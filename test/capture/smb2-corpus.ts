/**
 * Test support: SMB2 over NBSS (TCP 445) for the SMB2 dissector's tests and the fuzzer — a session
 * as a client makes it (Negotiate, NTLMSSP Session Setup with its user, Tree Connect to a share,
 * Create of a file and Read/Write/GetInfo/Close by its file ID, an error status, a compound
 * Create+Read+Close on the related file ID, a message split across two segments, an encrypted
 * SMB3 message, an NBSS keep-alive, a 1-byte segment), then damaged messages: a NextCommand
 * pointing back into the header, an SMB2 header cut short, an NBSS length past the data at the FIN.
 */
import { Conn, DEFAULT_EPOCH, concat, type Record_ } from './build';

const le16 = (v: number) => [v & 255, v >> 8];
const le32 = (v: number) => [v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255];
const le64 = (v: number) => [...le32(v), 0, 0, 0, 0];
const u16le = (s: string) => Array.from(s).flatMap((c) => le16(c.charCodeAt(0)));

const FID = [0x11, 0, 0, 0, 0, 0, 0, 0, 0x22, 0, 0, 0, 0, 0, 0, 0];
const RELATED = new Array(16).fill(0xff);

interface Msg {
  cmd: number;
  resp?: boolean;
  status?: number;
  msgId: number;
  tid?: number;
  body: number[];
  /** Chained after the previous one (related operations: flag 0x04). */
  related?: boolean;
}

/** One SMB2 message: the 64-byte header then the body (padded to 8 when another follows). */
function smb2(m: Msg, next: boolean): number[] {
  const flags = (m.resp ? 1 : 0) | (m.related ? 4 : 0);
  const body = [...m.body];
  while (next && (64 + body.length) % 8) body.push(0);
  const hdr = [
    0xfe, 0x53, 0x4d, 0x42, ...le16(64), ...le16(0), ...le32(m.status ?? 0), ...le16(m.cmd), ...le16(1), ...le32(flags),
    ...le32(next ? 64 + body.length : 0), ...le64(m.msgId), ...le32(0xfeff), ...le32(m.tid ?? 0), ...le64(0x4000000001), ...new Array(16).fill(0),
  ];
  return [...hdr, ...body];
}

/** An NBSS session message holding a chain of SMB2 messages. */
function nbss(...msgs: Msg[]): Uint8Array {
  const data = msgs.flatMap((m, i) => smb2(m, i < msgs.length - 1));
  return Uint8Array.from([0, data.length >> 16, (data.length >> 8) & 255, data.length & 255, ...data]);
}

/** A security blob holding an NTLMSSP message (no SPNEGO wrapping needed to be found). */
function ntlm(type: number, domain = '', user = ''): number[] {
  if (type !== 3) return [...Array.from('NTLMSSP\0', (c) => c.charCodeAt(0)), ...le32(type), ...new Array(type === 2 ? 52 : 24).fill(0)];
  const d = u16le(domain);
  const u = u16le(user);
  const fixed = [...Array.from('NTLMSSP\0', (c) => c.charCodeAt(0)), ...le32(3)];
  const at = 64;
  const field = (len: number, off: number) => [...le16(len), ...le16(len), ...le32(off)];
  const head = [...fixed, ...field(0, at), ...field(0, at), ...field(d.length, at), ...field(u.length, at + d.length), ...field(0, at + d.length + u.length), ...field(0, 0), ...le32(1)];
  return [...head, ...new Array(at - head.length).fill(0), ...d, ...u];
}

const sessionSetupReq = (blob: number[]) => [...le16(25), 0, 1, ...le32(0), ...le32(0), ...le16(64 + 24), ...le16(blob.length), ...le64(0), ...blob];
const sessionSetupResp = (blob: number[]) => [...le16(9), ...le16(0), ...le16(64 + 8), ...le16(blob.length), ...blob];
const create = (name: string) => {
  const n = u16le(name);
  return [...le16(57), 0, 0, ...le32(2), ...le64(0), ...le64(0), ...le32(0x80), ...le32(0), ...le32(7), ...le32(1), ...le32(0), ...le16(64 + 56), ...le16(n.length), ...le32(0), ...le32(0), ...n];
};
const createResp = (fid: number[]) => [...le16(89), 0, 0, ...le32(1), ...new Array(32).fill(0), ...le64(0), ...le64(0), ...le32(0x80), ...le32(0), ...fid, ...le32(0), ...le32(0)];
const read = (fid: number[], len: number, off: number) => [...le16(49), 0, 0, ...le32(len), ...le64(off), ...fid, ...le32(1), ...le32(0), ...le32(0), ...le16(0), ...le16(0), 0];
const write = (fid: number[], data: number[]) => [...le16(49), ...le16(64 + 48), ...le32(data.length), ...le64(0), ...fid, ...le32(0), ...le32(0), ...le16(0), ...le16(0), ...le32(0), ...data];
const close = (fid: number[]) => [...le16(24), ...le16(0), ...le32(0), ...fid];
const getInfo = (fid: number[]) => [...le16(41), 1, 0x12, ...le32(4096), ...le16(0), ...le16(0), ...le32(0), ...le32(0), ...le32(0), ...fid];
const errorBody = [...le16(9), 0, 0, ...le32(0), 0];

export function smb2Corpus(): Record_[] {
  const out: Record_[] = [];
  let t = 0;
  const c = new Conn(out, { client: '192.0.2.1', server: '198.51.100.5', cport: 49500, sport: 445, epoch: DEFAULT_EPOCH + 50_000_000_000n });
  const at = () => `${(t++ / 1000).toFixed(3)}`;
  c.c(at(), 'S', 0, 0, 64240).s(at(), 'SA', 0, 1, 64240).c(at(), 'A', 1, 1, 64240);
  const next = [1, 1];
  const say = (fromClient: boolean, b: Uint8Array, flags = 'PA') => {
    const d = fromClient ? 0 : 1;
    if (fromClient) c.c(at(), flags, next[0], next[1], 64240, b.length, { payload: b });
    else c.s(at(), flags, next[1], next[0], 64240, b.length, { payload: b });
    next[d] += b.length;
  };
  say(true, nbss({ cmd: 0, msgId: 0, body: [...le16(36), ...le16(1), ...le16(1), ...le16(0), ...le32(0), ...new Array(16).fill(1), ...le32(0), ...le16(0), ...le16(0), ...le16(0x0210)] }));
  say(false, nbss({ cmd: 0, resp: true, msgId: 0, body: [...le16(65), ...le16(1), ...le16(0x0210), ...le16(0), ...new Array(56).fill(0)] }));
  say(true, nbss({ cmd: 1, msgId: 1, body: sessionSetupReq(ntlm(1)) }));
  say(false, nbss({ cmd: 1, resp: true, status: 0xc0000016, msgId: 1, body: sessionSetupResp(ntlm(2)) }));
  say(true, nbss({ cmd: 1, msgId: 2, body: sessionSetupReq(ntlm(3, 'EXAMPLE', 'alice')) }));
  say(false, nbss({ cmd: 1, resp: true, msgId: 2, body: sessionSetupResp([]) }));
  const share = u16le('\\\\server\\share');
  say(true, nbss({ cmd: 3, msgId: 3, body: [...le16(9), ...le16(0), ...le16(64 + 8), ...le16(share.length), ...share] }));
  say(false, nbss({ cmd: 3, resp: true, msgId: 3, tid: 5, body: [...le16(16), 1, 0, ...le32(0), ...le32(0), ...le32(0x1f01ff)] }));
  say(true, nbss({ cmd: 5, msgId: 4, tid: 5, body: create('docs\\report.txt') }));
  say(false, nbss({ cmd: 5, resp: true, msgId: 4, tid: 5, body: createResp(FID) }));
  say(true, nbss({ cmd: 8, msgId: 5, tid: 5, body: read(FID, 4096, 0) }));
  say(false, nbss({ cmd: 8, resp: true, msgId: 5, tid: 5, body: [...le16(17), 80, 0, ...le32(5), ...le32(0), ...le32(0), 104, 101, 108, 108, 111] }));
  say(true, nbss({ cmd: 9, msgId: 6, tid: 5, body: write(FID, [1, 2, 3]) }));
  say(false, nbss({ cmd: 9, resp: true, msgId: 6, tid: 5, body: [...le16(17), ...le16(0), ...le32(3), ...le32(0), ...le16(0), ...le16(0)] }));
  say(true, nbss({ cmd: 16, msgId: 7, tid: 5, body: getInfo(FID) }));
  say(false, nbss({ cmd: 16, resp: true, status: 0xc0000022, msgId: 7, tid: 5, body: errorBody }));
  say(true, nbss({ cmd: 6, msgId: 8, tid: 5, body: close(FID) }));
  say(false, nbss({ cmd: 6, resp: true, msgId: 8, tid: 5, body: [...le16(60), ...new Array(58).fill(0)] }));
  // A compound: Create, then Read and Close of the file it opens (related).
  say(true, nbss({ cmd: 5, msgId: 9, tid: 5, body: create('notes.txt') }, { cmd: 8, msgId: 10, tid: 5, body: read(RELATED, 60, 0), related: true }, { cmd: 6, msgId: 11, tid: 5, body: close(RELATED), related: true }));
  say(false, nbss({ cmd: 5, resp: true, status: 0xc0000034, msgId: 9, tid: 5, body: errorBody }, { cmd: 8, resp: true, status: 0xc0000128, msgId: 10, tid: 5, body: errorBody }, { cmd: 6, resp: true, status: 0xc0000128, msgId: 11, tid: 5, body: errorBody }));
  // A Create request split across two segments.
  const split = nbss({ cmd: 5, msgId: 12, tid: 5, body: create('a-rather-long-directory-name\\and-a-file-name.txt') });
  say(true, split.subarray(0, 40));
  say(true, split.subarray(40));
  // An encrypted SMB3 message (transform header), a keep-alive, a lone byte.
  const enc = [0xfd, 0x53, 0x4d, 0x42, ...new Array(32).fill(7), ...le32(80), ...le16(0), ...le16(1), ...le64(0x4000000001), ...new Array(80).fill(9)];
  say(false, Uint8Array.from([0, 0, 0, enc.length, ...enc]));
  say(true, Uint8Array.from([0x85, 0, 0, 0]));
  say(false, Uint8Array.from([0]));
  // Damaged: a NextCommand that points back into the header; a header cut short; a length past the data, then FIN.
  const loop = nbss({ cmd: 13, msgId: 13, body: [...le16(4), 0, 0] });
  loop.set(le32(8), 4 + 20);
  say(true, loop);
  say(true, Uint8Array.from([0, 0, 0, 20, 0xfe, 0x53, 0x4d, 0x42, ...new Array(16).fill(0)]));
  say(false, concat([Uint8Array.from([0, 0, 0x10, 0]), Uint8Array.from(smb2({ cmd: 13, resp: true, msgId: 13, body: [...le16(4), 0, 0] }, false))]), 'FPA');
  return out;
}
