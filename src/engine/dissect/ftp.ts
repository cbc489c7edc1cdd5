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
}

interface FtpDir extends DirState {
  /** The data connection announced last (the next transfer command is its command). */
  data?: DataLink;
  cwd?: string;
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
  const fields: [string, string][] = [['ftp', '']];
  const kids: DetailNode[] = [];
  for (const l of lines) {
    const sub: DetailNode[] = [];
    if (request) {
      const sp = l.text.indexOf(' ');
      const cmd = sp < 0 ? l.text : l.text.slice(0, sp);
      const arg = sp < 0 ? '' : l.text.slice(sp + 1);
      fields.push(['ftp.request', '1'], ['ftp.request.command', cmd]);
      sub.push({ label: `Request command: ${cmd}`, field: 'ftp.request.command' });
      if (sp >= 0) {
        fields.push(['ftp.request.arg', arg]);
        sub.push({ label: `Request arg: ${arg}`, field: 'ftp.request.arg' });
      }
      const upper = cmd.toUpperCase();
      if (TRANSFER.has(upper) && state.data) {
        state.data.command = l.text;
        state.data.commandFrame = ctx.frame;
      } else if (upper === 'PORT') {
        const hp = hostPort(arg);
        if (hp) {
          fields.push(['ftp.active.cip', hp[0]], ['ftp.active.port', String(hp[1])]);
          sub.push({ label: `Active IP address: ${hp[0]}`, field: 'ftp.active.cip' }, { label: `Active port: ${hp[1]}`, field: 'ftp.active.port' });
          announce(ctx, state, hp[1], 'PORT');
        }
      } else if (upper === 'EPRT') {
        const m = /^\|(\d)\|([^|]*)\|(\d+)\|/.exec(arg);
        if (m) announce(ctx, state, Number(m[3]), 'EPRT');
      }
    } else {
      const m = /^(\d{3})([ -]?)(.*)$/.exec(l.text);
      if (m) {
        const code = Number(m[1]);
        fields.push(['ftp.response', '1'], ['ftp.response.code', String(code)], ['ftp.response.arg', m[3]]);
        sub.push({ label: `Response code: ${CODES[code] ?? 'Unknown'} (${code})`, field: 'ftp.response.code' }, { label: `Response arg: ${m[3]}`, field: 'ftp.response.arg' });
        if (code === 227) {
          const hp = hostPort(m[3]);
          if (hp) {
            fields.push(['ftp.passive.ip', hp[0]], ['ftp.passive.port', String(hp[1])]);
            sub.push({ label: `Passive IP address: ${hp[0]}`, field: 'ftp.passive.ip' }, { label: `Passive port: ${hp[1]}`, field: 'ftp.passive.port' });
            announce(ctx, state, hp[1], 'PASV');
          }
        } else if (code === 229) {
          const e = /\(\|\|\|(\d+)\|\)/.exec(m[3]);
          if (e) {
            fields.push(['ftp.epsv.port', e[1]]);
            sub.push({ label: `Extended passive port: ${e[1]}`, field: 'ftp.epsv.port' });
            announce(ctx, state, Number(e[1]), 'EPSV');
          }
        } else if (code === 257) {
          const q = /^"([^"]*)"/.exec(m[3]);
          if (q) state.cwd = q[1];
        }
      } else fields.push(['ftp.response', '1']);
    }
    kids.push(lineNode(l, s.b, s.off, sub));
  }
  const cwd = state.cwd ?? '';
  fields.push(['ftp.current-working-directory', cwd]);
  return {
    proto: 'FTP',
    info: `${request ? 'Request' : 'Response'}: ${first}`,
    fields,
    tree: { label: 'File Transfer Protocol (FTP)', proto: 'ftp', start: 0, length: s.end - s.off, children: [...kids, { label: `[Current working directory: ${cwd}]`, field: 'ftp.current-working-directory' }] },
  };
}

function announce(ctx: TcpContext, state: FtpDir, port: number, method: string): void {
  if (port <= 0 || port > 65535) return;
  state.data = { setupFrame: ctx.frame, method };
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
  const kids: DetailNode[] = [];
  let info = `FTP Data: ${n} bytes`;
  if (link) {
    info += ` (${link.method})`;
    fields.push(['ftp-data.setup-frame', String(link.setupFrame)], ['ftp-data.setup-method', link.method]);
    kids.push({ label: `[Setup frame: ${link.setupFrame}]`, field: 'ftp-data.setup-frame', link: link.setupFrame }, { label: `[Setup method: ${link.method}]`, field: 'ftp-data.setup-method' });
    if (link.command !== undefined) {
      info += ` (${link.command})`;
      fields.push(['ftp-data.command', link.command], ['ftp-data.command-frame', String(link.commandFrame)]);
      kids.push({ label: `[Command: ${link.command}]`, field: 'ftp-data.command' }, { label: `Command frame: ${link.commandFrame}`, field: 'ftp-data.command-frame', link: link.commandFrame });
    }
  }
  return { proto: 'FTP-DATA', info, fields, tree: { label: `FTP Data (${n} bytes data)`, proto: 'ftp-data', start: 0, length: n, children: kids } };
}

const DATA_FIELDS: AppFieldMeta[] = [
  ['ftp-data', 'protocol', 0, 'FTP Data'],
  ['ftp-data.command', 'string', 0, 'Command'],
  ['ftp-data.command-frame', 'framenum', 0, 'Command frame'],
  ['ftp-data.setup-frame', 'framenum', 0, 'Setup frame'],
  ['ftp-data.setup-method', 'string', 0, 'Setup method'],
];

/** Port 20 (active mode's server side), and the data connections an FTP control connection announces. */
export const FTP_DATA: AppDissector = { name: 'ftp-data', fields: DATA_FIELDS, tcpPorts: [20], tcpLength: whole, tcpPdu: dataPdu };
