/**
 * SMTP (TCP ports 25 and 587) and the message it carries (IMF, summary only).
 *
 * Commands and replies are whole lines (a line cut by a segment waits for the next one). Info is
 * "C: " or "S: " and the PDU's lines joined with " | " (a multi-line reply's later lines without
 * their "250-" code, as tshark writes them). After DATA and a 354 reply, each client segment is
 * "C: DATA fragment, N bytes" until the one holding the "<CR><LF>.<CR><LF>" end: that one shows
 * the message as Protocol "SMTP/IMF", Info "from: …, subject: …, " and each MIME part's type
 * " (text/plain)". A 220 reply to STARTTLS hands the connection to TLS.
 */
import type { DetailNode } from '../model/types';
import { connState, latin1, lineNode, splitLines, wholeLines } from './lines';
import { TLS } from './tls';
import type { AppDissector, AppFieldMeta, DirState, Pdu, Slice, TcpContext, TcpPduLength } from './types';

/** Bytes of a message kept for its IMF summary (headers and MIME part headers). */
const KEEP = 256 * 1024;

interface SmtpConn extends DirState {
  /** The client sent DATA: a 354 reply starts the message. */
  dataAsked?: boolean;
  /** The client sends the message now. */
  inData?: boolean;
  /** The message so far (its first KEEP bytes) and its length. */
  msg?: Uint8Array[];
  kept?: number;
  /** The last two bytes of the message so far (the end mark may straddle segments). */
  tail?: string;
  fragments?: number[];
  tlsAsked?: boolean;
  /** AUTH under way: the server's last reply was 334, so the client's next lines are credentials. */
  authStep?: boolean;
}

function length(s: Slice, ctx: TcpContext): TcpPduLength {
  // The message: each segment as it comes.
  if (!ctx.fromServer && connState<SmtpConn>(ctx, 'smtp').inData) return { len: s.end - s.off };
  return wholeLines(s);
}

/**
 * Where the message ends in [off, end): just past "<CR><LF>.<CR><LF>" (or -1). `tail`: the last
 * bytes before this segment (the mark may start there).
 */
function endOfMessage(b: Uint8Array, off: number, end: number, tail: string): number {
  const head = tail + latin1(b, off, Math.min(end, off + 4));
  for (let p = 0; p < tail.length; p++) if (head.startsWith('\r\n.\r\n', p)) return off + p + 5 - tail.length;
  for (let i = off; i + 4 < end; i++) {
    if (b[i] === 0x0d && b[i + 1] === 0x0a && b[i + 2] === 0x2e && b[i + 3] === 0x0d && b[i + 4] === 0x0a) return i + 5;
  }
  return -1;
}

function pdu(s: Slice, ctx: TcpContext): Pdu {
  const c = connState<SmtpConn>(ctx, 'smtp');
  if (!ctx.fromServer && c.inData) return dataPdu(s, ctx, c);
  // An AUTH exchange's client lines: tshark shows them as DATA fragments.
  if (!ctx.fromServer && c.authStep) return fragment(s.end - s.off);
  const lines = splitLines(s);
  const fields: [string, string][] = [['smtp', '']];
  const kids: DetailNode[] = [];
  const shown: string[] = [];
  let next: AppDissector | undefined;
  let multi = false;
  for (const l of lines) {
    const sub: DetailNode[] = [];
    if (!ctx.fromServer) {
      const sp = l.text.indexOf(' ');
      const cmd = sp < 0 ? l.text : l.text.slice(0, sp);
      fields.push(['smtp.req', '1'], ['smtp.command_line', latin1(s.b, s.off + l.start, s.off + l.start + l.length)], ['smtp.req.command', cmd]);
      sub.push({ label: `Command: ${cmd}`, field: 'smtp.req.command' });
      if (sp >= 0) {
        fields.push(['smtp.req.parameter', l.text.slice(sp + 1)]);
        sub.push({ label: `Request parameter: ${l.text.slice(sp + 1)}`, field: 'smtp.req.parameter' });
      }
      const upper = cmd.toUpperCase();
      if (upper === 'DATA') c.dataAsked = true;
      else if (upper === 'STARTTLS') c.tlsAsked = true;
      shown.push(l.text);
      const n = lineNode(l, s.b, s.off, sub);
      n.field = 'smtp.command_line';
      kids.push(n);
      continue;
    }
    const m = /^(\d{3})([ -]?)(.*)$/.exec(l.text);
    shown.push(multi && m ? l.text.slice(4) : l.text);
    // A reply's first line is its smtp.response (with its end, as tshark -e prints it) and code;
    // every line adds a parameter (ppa3 mail_receiver_server_3 frame 8: 250-mail02\r\n, 250, 9 parameters; frame 10: three replies).
    const firstLine = !multi; // the first line of a reply (pipelined replies each have one)
    if (l === lines[0]) fields.push(['smtp.rsp', '1']);
    if (firstLine) fields.push(['smtp.response', latin1(s.b, s.off + l.start, s.off + l.start + l.length)]);
    if (m) {
      if (firstLine) fields.push(['smtp.response.code', m[1]]);
      fields.push(['smtp.rsp.parameter', m[3]]);
      sub.push({ label: `Response code: ${m[1]}`, field: 'smtp.response.code' }, { label: `Response parameter: ${m[3]}`, field: 'smtp.rsp.parameter' });
      multi = m[2] === '-';
      const code = Number(m[1]);
      c.authStep = code === 334;
      if (code === 354 && c.dataAsked) {
        c.dataAsked = false;
        c.inData = true;
        c.msg = [];
        c.kept = 0;
        c.tail = '\r\n';
        c.fragments = [];
      } else if (c.dataAsked && code >= 400) c.dataAsked = false;
      if (c.tlsAsked && !multi) {
        c.tlsAsked = false;
        if (code === 220) next = TLS;
      }
    }
    const n = lineNode(l, s.b, s.off, sub);
    n.field = 'smtp.response';
    kids.push(n);
  }
  const out: Pdu = {
    proto: 'SMTP',
    info: `${ctx.fromServer ? 'S' : 'C'}: ${shown.join(' | ')}`,
    fields,
    tree: { label: 'Simple Mail Transfer Protocol', proto: 'smtp', start: 0, length: s.end - s.off, children: kids },
  };
  if (next) out.next = next;
  return out;
}

function fragment(n: number): Pdu {
  return {
    proto: 'SMTP',
    info: `C: DATA fragment, ${n} bytes`,
    fields: [['smtp', '']],
    tree: { label: 'Simple Mail Transfer Protocol', proto: 'smtp', start: 0, length: n, children: [{ label: `DATA fragment, ${n} bytes` }] },
  };
}

function dataPdu(s: Slice, ctx: TcpContext, c: SmtpConn): Pdu {
  const end = endOfMessage(s.b, s.off, s.end, c.tail ?? '');
  const upTo = end < 0 ? s.end : end;
  const part = s.b.slice(s.off, upTo);
  if ((c.kept ?? 0) < KEEP) {
    c.msg!.push(part.subarray(0, KEEP - (c.kept ?? 0)));
    c.kept = (c.kept ?? 0) + Math.min(part.length, KEEP - (c.kept ?? 0));
  }
  c.fragments!.push(ctx.frame);
  const n = s.end - s.off;
  if (end < 0) {
    c.tail = (c.tail + latin1(s.b, Math.max(s.off, s.end - 2), s.end)).slice(-2);
    return fragment(n);
  }
  // The whole message: its bytes without the end mark.
  const all = new Uint8Array(c.kept ?? 0);
  let at = 0;
  for (const x of c.msg ?? []) {
    all.set(x, at);
    at += x.length;
  }
  const frames = c.fragments ?? [];
  c.inData = false;
  c.msg = undefined;
  c.fragments = undefined;
  const body = all.subarray(0, Math.max(0, all.length - 3));
  const imf = imfSummary(body);
  const fields: [string, string][] = [['smtp', ''], ['smtp.data.fragment.count', String(frames.length)], ['smtp.data.reassembled.length', String(body.length)], ['imf', ''], ...imf.fields];
  return {
    proto: 'SMTP/IMF',
    info: imf.info,
    fields,
    tree: {
      label: 'Simple Mail Transfer Protocol',
      proto: 'smtp',
      start: 0,
      length: n,
      children: [
        { label: 'C: .' },
        { label: `[${frames.length} DATA fragment${frames.length === 1 ? '' : 's'} (${body.length} bytes): ${frames.map((f) => `#${f}`).join(', ')}]`, children: frames.map((f) => ({ label: `[Frame: ${f}]`, link: f })) },
      ],
    },
    after: [{ label: 'Internet Message Format', proto: 'imf', children: imf.tree }],
  };
}

const IMF_FIELDS: Record<string, string> = {
  from: 'imf.from', to: 'imf.to', cc: 'imf.cc', subject: 'imf.subject', date: 'imf.date', 'message-id': 'imf.message_id',
  'user-agent': 'imf.user_agent', 'mime-version': 'imf.mime_version', 'content-type': 'imf.content.type', received: 'imf.received',
  'reply-to': 'imf.reply_to', 'return-path': 'imf.return_path', 'content-transfer-encoding': 'imf.content.transfer_encoding',
};
/** Headers tshark's IMF dissector adds to Info ("from: …, subject: …, "). */
const IN_INFO = new Set(['from', 'subject']);

/**
 * Header lines of a MIME entity: [lower-case name, name, value with folds as "\r\n"], and where
 * the body starts (after the empty line, or at the first line that is no header).
 */
function headers(t: string): { list: [string, string, string][]; body: number } {
  const list: [string, string, string][] = [];
  let i = 0;
  while (i < t.length) {
    let e = t.indexOf('\n', i);
    if (e < 0) e = t.length;
    const line = t.slice(i, e).replace(/\r$/, '');
    if (line === '') return { list, body: Math.min(t.length, e + 1) };
    if ((line[0] === ' ' || line[0] === '\t') && list.length) list[list.length - 1][2] += '\\r\\n' + line;
    else {
      const c = line.indexOf(':');
      if (c <= 0) return { list, body: i };
      list.push([line.slice(0, c).toLowerCase(), line.slice(0, c), line.slice(c + 1).replace(/^[ \t]+/, '')]);
    }
    i = e + 1;
  }
  return { list, body: t.length };
}

/** The media types of an entity's parts, as the multipart and text dissectors add them to Info. */
function mediaTypes(t: string, depth = 0): string[] {
  const h = headers(t);
  const ct = h.list.find((x) => x[0] === 'content-type')?.[2].replace(/\\r\\n/g, ' ') ?? '';
  const type = (ct.split(';')[0].trim() || 'text/plain').toLowerCase();
  if (!type.startsWith('multipart/') || depth > 4) return [type];
  const b = /boundary="?([^";]+)"?/i.exec(ct)?.[1];
  if (!b) return [];
  const parts = t.slice(h.body).split('--' + b);
  const out: string[] = [];
  for (let k = 1; k < parts.length; k++) {
    const p = parts[k];
    if (p.startsWith('--')) break;
    out.push(...mediaTypes(p.replace(/^\r?\n/, ''), depth + 1));
  }
  return out;
}

export function imfSummary(b: Uint8Array): { info: string; fields: [string, string][]; tree: DetailNode[] } {
  const t = latin1(b, 0, b.length);
  const h = headers(t);
  let info = '';
  const fields: [string, string][] = [];
  const tree: DetailNode[] = [];
  for (const [lower, name, value] of h.list) {
    if (IN_INFO.has(lower)) info += `${lower}: ${value}, `;
    const f = IMF_FIELDS[lower];
    if (f) fields.push([f, value]);
    tree.push({ label: `${name}: ${value}`, field: f });
  }
  if (h.list.some((x) => x[0] === 'content-type')) for (const m of mediaTypes(t)) info += ` (${m})`;
  else if (h.body < t.length) {
    // No MIME type: the body's text itself, line ends as spaces (as tshark's column shows them).
    info += (info ? ', ' : '') + t.slice(h.body).replace(/[\r\n\t]/g, ' ');
  }
  return { info, fields, tree };
}

const FIELDS: AppFieldMeta[] = [
  ['imf', 'protocol', 0, 'Internet Message Format'],
  ['imf.content.transfer_encoding', 'string', 0, 'Content-Transfer-Encoding'],
  ['imf.content.type', 'string', 0, 'Content-Type'],
  ['imf.cc', 'string', 0, 'Cc'],
  ['imf.date', 'string', 0, 'Date'],
  ['imf.from', 'string', 0, 'From'],
  ['imf.message_id', 'string', 0, 'Message-ID'],
  ['imf.mime_version', 'string', 0, 'MIME-Version'],
  ['imf.received', 'string', 0, 'Received'],
  ['imf.reply_to', 'string', 0, 'Reply-To'],
  ['imf.return_path', 'string', 0, 'Return-Path'],
  ['imf.subject', 'string', 0, 'Subject'],
  ['imf.to', 'string', 0, 'To'],
  ['imf.user_agent', 'string', 0, 'User-Agent'],
  ['smtp', 'protocol', 0, 'Simple Mail Transfer Protocol'],
  ['smtp.command_line', 'string', 0, 'Command Line'],
  ['smtp.data.fragment.count', 'uint', 32, 'DATA fragment count'],
  ['smtp.data.reassembled.length', 'uint', 32, 'Reassembled DATA length'],
  ['smtp.req', 'boolean', 0, 'Request'],
  ['smtp.req.command', 'string', 0, 'Command'],
  ['smtp.req.parameter', 'string', 0, 'Request parameter'],
  ['smtp.response', 'string', 0, 'Response'],
  ['smtp.response.code', 'uint', 32, 'Response code'],
  ['smtp.rsp', 'boolean', 0, 'Response'],
  ['smtp.rsp.parameter', 'string', 0, 'Response parameter'],
];

export const SMTP: AppDissector = { name: 'smtp', fields: FIELDS, tcpPorts: [25, 587], tcpLength: length, tcpPdu: pdu };
