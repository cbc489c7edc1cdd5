/**
 * FTP control connections (TCP port 21) and the data connections they announce (FTP-DATA).
 *
 * FTP is not reassembled (tshark shows each segment as it comes): Info is "Request: " or
 * "Response: " and the segment's first line; the direction is the port (to 21 = request). A
 * 227 answer to PASV (or a PORT command, or a 229 answer to EPSV) announces the data connection:
 * its segments are "FTP Data: N bytes (PASV) (STOR name)", with the transfer command the client
 * sent last on the control connection.
 */
import type { DetailNode } from '../model/types';
import { connState, lineNode, splitLines } from './lines';
import type { AppDissector, AppFieldMeta, DirState, Pdu, Slice, TcpContext, TcpPduLength } from './types';

const CODES: Record<number, string> = {
  110: 'Restart marker reply', 120: 'Service ready in nnn minutes', 125: 'Data connection already open; transfer starting',
  150: 'File status okay; about to open data connection', 200: 'Command okay', 202: 'Command not implemented, superfluous at this site',
  211: 'System status, or system help reply', 212: 'Directory status', 213: 'File status', 214: 'Help message', 215: 'NAME system type',
  220: 'Service ready for new user', 221: 'Service closing control connection', 225: 'Data connection open; no transfer in progress',
  226: 'Closing data connection', 227: 'Entering Passive Mode', 228: 'Entering Long Passive Mode', 229: 'Entering Extended Passive Mode',
  230: 'User logged in, proceed', 232: 'User logged in, authorized by security data exchange', 234: 'Security data exchange complete',
  235: 'Security data exchange completed successfully', 250: 'Requested file action okay, completed', 257: 'PATHNAME created',
  331: 'User name okay, need password', 332: 'Need account for login', 334: 'Requested security mechanism is ok',
  335: 'Security data is acceptable, more is required', 336: 'Username okay, need password. Challenge is ...',
  350: 'Requested file action pending further information', 421: 'Service not available, closing control connection',
  425: "Can't open data connection", 426: 'Connection closed; transfer aborted', 431: 'Need some unavailable resource to process security',
  450: 'Requested file action not taken', 451: 'Requested action aborted: local error in processing',
  452: 'Requested action not taken. Insufficient storage space in system', 500: 'Syntax error, command unrecognized',
  501: 'Syntax error in parameters or arguments', 502: 'Command not implemented', 503: 'Bad sequence of commands',
  504: 'Command not implemented for that parameter', 530: 'Not logged in', 532: 'Need account for storing files',
  533: 'Command protection level denied for policy reasons', 534: 'Request denied for policy reasons',
  535: 'Failed security check (hash, sequence, etc)', 536: 'Requested PROT level not supported by mechanism',
  537: 'Command protection level not supported by security mechanism', 550: 'Requested action not taken: File unavailable',
  551: 'Requested action aborted: page type unknown', 552: 'Requested file action aborted: Exceeded storage allocation',
  553: 'Requested action not taken: File name not allowed', 631: 'Integrity protected reply', 632: 'Confidentiality and integrity protected reply',
  633: 'Confidentiality protected reply',
};

/** Commands that move data over the data connection. */
const TRANSFER = new Set(['RETR', 'STOR', 'STOU', 'APPE', 'LIST', 'NLST', 'MLSD']);

/** What a data connection shows of its setup (shared between the control and the data connection). */
interface DataLink extends DirState {
  setupFrame: number;
  method: string;
  command?: string;
  commandFrame?: number;
  commandTime?: number;
  cwd?: string;
  /** Top-level nodes of the PDU that announced it, and of the transfer command (filled as data flows, tshark -2). */
  setupAfter: DetailNode[];
  commandAfter?: DetailNode[];
  /** Data frames seen, their bytes, the first and last, the last one's time. */
  frames: number;
  bytes: number;
  first: number;
  last: number;
  lastTime: number;
}

/** A transfer command's response lines (tshark -2 shows the data connection's totals on the command). */
function responseNodes(d: DataLink | undefined): DetailNode[] {
  const out: DetailNode[] = [
    { label: `[Command response frames: ${d?.frames ?? 0}]` },
    { label: `[Command response bytes: ${d?.bytes ?? 0}]` },
    { label: `[Command response first frame: ${d?.first ?? 0}]`, link: d?.first || undefined },
    { label: `[Command response last frame: ${d?.last ?? 0}]`, link: d?.last || undefined },
  ];
  // Milliseconds from the command to the last data frame, whole (none under 1 ms).
  const ms = d && d.frames && d.commandTime !== undefined ? Math.floor((d.lastTime - d.commandTime) * 1000 + 1e-6) : 0;
  if (d && ms > 0) {
    out.push({ label: `[Response duration: ${ms}ms]` }, { label: `[Response bitrate: ${Math.floor((d.bytes * 8) / ms)}Kbps]` });
  }
  out.push({ label: `[Setup frame: ${d && d.frames ? d.setupFrame : 0}]`, link: d && d.frames ? d.setupFrame : undefined });
  return out;
}

interface FtpDir extends DirState {
  /** The data connection announced last (the next transfer command is its command). */
  data?: DataLink;
  cwd?: string;
  /** Directory a CWD/CDUP asked for, set on its 250 answer. */
  cwdAsked?: string;
}

/** The directory `arg` names from `cwd` (as the client wrote it: "/backup/" stays "/backup/"). */
function changeDir(cwd: string, arg: string): string {
  if (arg.startsWith('/')) return arg;
  if (arg === '..') {
    const t = cwd.replace(/\/+$/, '');
    const i = t.lastIndexOf('/');
    return i <= 0 ? '/' : t.slice(0, i);
  }
  return (cwd.endsWith('/') ? cwd : cwd + '/') + arg;
}

/** "h1,h2,h3,h4,p1,p2" in a 227 answer or a PORT argument: [ip, port]. */
function hostPort(t: string): [string, number] | undefined {
  const m = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(t);
  if (!m) return undefined;
  const v = m.slice(1).map(Number);
  if (v.some((x) => x > 255)) return undefined;
  return [v.slice(0, 4).join('.'), v[4] * 256 + v[5]];
}

function pdu(s: Slice, ctx: TcpContext): Pdu {
  const lines = splitLines(s);
  const first = lines[0]?.text ?? '';
  const request = !ctx.fromServer;
  const state = connState<FtpDir>(ctx, 'ftp');
  // tshark adds both booleans once per packet (tickedoffdeveloper: a response is request 0, response 1).
  const fields: [string, string][] = [['ftp', ''], ['ftp.request', request ? '1' : '0'], ['ftp.response', request ? '0' : '1']];
  const kids: DetailNode[] = [];
  const after: DetailNode[] = [{ label: '' }];
  let transfer = false;
  // Only a packet's first line is parsed (tshark: the lines after it are text; a first line
  // without a reply code, inside a multi-line reply, is all argument — zeek ftp-cwd-navigation).
  for (let li = 0; li < lines.length; li++) {
    const l = lines[li];
    const sub: DetailNode[] = [];
    if (li > 0) {
      // text only
    } else if (request) {
      const sp = l.text.indexOf(' ');
      const cmd = sp < 0 ? l.text : l.text.slice(0, sp);
      const arg = sp < 0 ? '' : l.text.slice(sp + 1);
      fields.push(['ftp.request.command', cmd]);
      sub.push({ label: `Request command: ${cmd}`, field: 'ftp.request.command' });
      if (sp >= 0) {
        fields.push(['ftp.request.arg', arg]);
        sub.push({ label: `Request arg: ${arg}`, field: 'ftp.request.arg' });
      }
      const upper = cmd.toUpperCase();
      if (upper === 'CWD' || upper === 'CDUP') state.cwdAsked = changeDir(state.cwd ?? '', upper === 'CDUP' ? '..' : arg);
      if (TRANSFER.has(upper)) {
        transfer = true;
        if (state.data && !state.data.frames) {
          state.data.command = l.text;
          state.data.commandFrame = ctx.frame;
          state.data.commandTime = ctx.time;
          state.data.cwd = state.cwd ?? '';
          state.data.commandAfter = after;
        }
      } else if (upper === 'PORT') {
        const hp = hostPort(arg);
        if (hp) {
          fields.push(['ftp.active.cip', hp[0]], ['ftp.active.port', String(hp[1])]);
          sub.push({ label: `Active IP address: ${hp[0]}`, field: 'ftp.active.cip' }, { label: `Active port: ${hp[1]}`, field: 'ftp.active.port' });
          announce(ctx, state, hp[1], 'PORT', after);
        }
      } else if (upper === 'EPRT') {
        const m = /^\|(\d)\|([^|]*)\|(\d+)\|/.exec(arg);
        if (m) announce(ctx, state, Number(m[3]), 'EPRT', after);
      }
    } else {
      const m = /^(\d{3})([ -]?)(.*)$/.exec(l.text);
      if (m) {
        const code = Number(m[1]);
        fields.push(['ftp.response.code', String(code)], ['ftp.response.arg', m[3]]);
        sub.push({ label: `Response code: ${CODES[code] ?? 'Unknown'} (${code})`, field: 'ftp.response.code' }, { label: `Response arg: ${m[3]}`, field: 'ftp.response.arg' });
        if (code === 227) {
          const hp = hostPort(m[3]);
          if (hp) {
            fields.push(['ftp.passive.ip', hp[0]], ['ftp.passive.port', String(hp[1])]);
            sub.push({ label: `Passive IP address: ${hp[0]}`, field: 'ftp.passive.ip' }, { label: `Passive port: ${hp[1]}`, field: 'ftp.passive.port' });
            announce(ctx, state, hp[1], 'PASV', after);
          }
        } else if (code === 229) {
          const e = /\(\|\|\|(\d+)\|\)/.exec(m[3]);
          if (e) {
            fields.push(['ftp.epsv.port', e[1]]);
            sub.push({ label: `Extended passive port: ${e[1]}`, field: 'ftp.epsv.port' });
            announce(ctx, state, Number(e[1]), 'EPSV', after);
          }
        } else if (code === 250 && state.cwdAsked !== undefined) {
          state.cwd = state.cwdAsked;
          state.cwdAsked = undefined;
        } else if (code === 257) {
          const q = /^"([^"]*)"/.exec(m[3]);
          if (q) state.cwd = q[1];
        }
      } else {
        fields.push(['ftp.response.arg', l.text]);
        sub.push({ label: `Response arg: ${l.text}`, field: 'ftp.response.arg' });
      }
    }
    kids.push(lineNode(l, s.b, s.off, sub));
  }
  const cwd = state.cwd ?? '';
  fields.push(['ftp.current-working-directory', cwd]);
  after[0] = { label: `[Current working directory: ${cwd}]`, field: 'ftp.current-working-directory' };
  if (transfer) after.push(...responseNodes(state.data?.commandAfter === after ? state.data : undefined));
  return {
    proto: 'FTP',
    info: `${request ? 'Request' : 'Response'}: ${first}`,
    fields,
    tree: { label: 'File Transfer Protocol (FTP)', proto: 'ftp', start: 0, length: s.end - s.off, children: kids },
    after,
  };
}

function announce(ctx: TcpContext, state: FtpDir, port: number, method: string, after: DetailNode[]): void {
  if (port <= 0 || port > 65535) return;
  state.data = { setupFrame: ctx.frame, method, setupAfter: after, frames: 0, bytes: 0, first: 0, last: 0, lastTime: 0 };
  ctx.expect(port, FTP_DATA, state.data);
}

/** FTP is not reassembled: each segment is one PDU. */
const whole = (s: Slice): TcpPduLength => ({ len: s.end - s.off });

const FIELDS: AppFieldMeta[] = [
  ['ftp', 'protocol', 0, 'File Transfer Protocol (FTP)'],
  ['ftp.active.cip', 'ipv4', 0, 'Active IP address'],
  ['ftp.active.port', 'uint', 16, 'Active port'],
  ['ftp.current-working-directory', 'string', 0, 'Current working directory'],
  ['ftp.epsv.port', 'uint', 16, 'Extended passive port'],
  ['ftp.passive.ip', 'ipv4', 0, 'Passive IP address'],
  ['ftp.passive.port', 'uint', 16, 'Passive port'],
  ['ftp.request', 'boolean', 0, 'Request'],
  ['ftp.request.arg', 'string', 0, 'Request arg'],
  ['ftp.request.command', 'string', 0, 'Request command'],
  ['ftp.response', 'boolean', 0, 'Response'],
  ['ftp.response.arg', 'string', 0, 'Response arg'],
  ['ftp.response.code', 'uint', 32, 'Response code'],
];

export const FTP: AppDissector = { name: 'ftp', fields: FIELDS, tcpPorts: [21], tcpLength: whole, tcpPdu: pdu };

function dataPdu(s: Slice, ctx: TcpContext): Pdu {
  const link = ctx.link as DataLink | undefined;
  const n = s.end - s.off;
  const fields: [string, string][] = [['ftp-data', '']];
  const after: DetailNode[] = [];
  let info = `FTP Data: ${n} bytes`;
  if (link) {
    // The control connection's nodes learn about the transfer (tshark -2 shows the totals).
    if (!link.frames++ && link.command !== undefined) link.setupAfter.push({ label: `[Command: ${link.command}]` }, { label: `[Command frame: ${link.commandFrame}]`, link: link.commandFrame });
    link.bytes += n;
    link.first ||= ctx.frame;
    link.last = ctx.frame;
    link.lastTime = ctx.time;
    if (link.commandAfter) link.commandAfter.splice(1, link.commandAfter.length - 1, ...responseNodes(link));
    info += ` (${link.method})`;
    fields.push(['ftp-data.setup-frame', String(link.setupFrame)], ['ftp-data.setup-method', link.method]);
    after.push({ label: `[Setup frame: ${link.setupFrame}]`, field: 'ftp-data.setup-frame', link: link.setupFrame }, { label: `[Setup method: ${link.method}]`, field: 'ftp-data.setup-method' });
    if (link.command !== undefined) {
      info += ` (${link.command})`;
      fields.push(['ftp-data.command', link.command], ['ftp-data.command-frame', String(link.commandFrame)]);
      after.push({ label: `[Command: ${link.command}]`, field: 'ftp-data.command' }, { label: `Command frame: ${link.commandFrame}`, field: 'ftp-data.command-frame', link: link.commandFrame });
    }
    fields.push(['ftp-data.current-working-directory', link.cwd ?? '']);
    after.push({ label: `[Current working directory: ${link.cwd ?? ''}]`, field: 'ftp-data.current-working-directory' });
  }
  // Printable text goes on to tshark's text dissector.
  let text = n > 0;
  let lines = 0;
  for (let i = s.off; i < s.end && text; i++) {
    const c = s.b[i];
    if (c === 0x0a) lines++;
    else if ((c < 0x20 && c !== 0x0d && c !== 0x09) || c > 0x7e) text = false;
  }
  if (text) {
    if (s.b[s.end - 1] !== 0x0a) lines++;
    after.push({ label: `Line-based text data (${lines} lines)`, proto: 'data-text-lines', start: 0, length: n });
  }
  return { proto: 'FTP-DATA', info, fields, tree: { label: `FTP Data (${n} bytes data)`, proto: 'ftp-data', start: 0, length: n }, after };
}

const DATA_FIELDS: AppFieldMeta[] = [
  ['ftp-data', 'protocol', 0, 'FTP Data'],
  ['ftp-data.command', 'string', 0, 'Command'],
  ['ftp-data.command-frame', 'framenum', 0, 'Command frame'],
  ['ftp-data.current-working-directory', 'string', 0, 'Current working directory'],
  ['ftp-data.setup-frame', 'framenum', 0, 'Setup frame'],
  ['ftp-data.setup-method', 'string', 0, 'Setup method'],
];

/** Port 20 (active mode's server side), and the data connections an FTP control connection announces. */
export const FTP_DATA: AppDissector = { name: 'ftp-data', fields: DATA_FIELDS, tcpPorts: [20], tcpLength: whole, tcpPdu: dataPdu };
