/**
 * IMAP (TCP port 143), summary: whole lines, Info "Request: " or "Response: " and the PDU's last
 * line (tshark writes each line over the previous one); the tag and command of each line in the
 * tree and fields. A tagged OK to STARTTLS hands the connection to TLS.
 */
import type { DetailNode } from '../model/types';
import { connState, latin1, lineNode, splitLines, wholeLines } from './lines';
import { TLS } from './tls';
import type { AppDissector, AppFieldMeta, DirState, Pdu, Slice, TcpContext } from './types';

interface ImapConn extends DirState {
  /** Tag of a STARTTLS request waiting for its answer. */
  tlsTag?: string;
}

function pdu(s: Slice, ctx: TcpContext): Pdu {
  const c = connState<ImapConn>(ctx, 'imap');
  const request = !ctx.fromServer;
  const fields: [string, string][] = [['imap', ''], ['imap.isrequest', request ? '1' : '0']];
  const kids: DetailNode[] = [];
  let last = '';
  let next: AppDissector | undefined;
  for (const l of splitLines(s)) {
    last = l.text;
    const words = l.text.split(' ');
    const tag = words[0] ?? '';
    const cmd = words[1] ?? '';
    const sub: DetailNode[] = [];
    // imap.line holds the line with its end (tshark -e: '1 STARTTLS\r\n'), request/response without.
    fields.push(['imap.line', latin1(s.b, s.off + l.start, s.off + l.start + l.length)], [request ? 'imap.request' : 'imap.response', l.text]);
    if (tag) {
      fields.push([request ? 'imap.request_tag' : 'imap.response_tag', tag], ['imap.tag', tag]);
      sub.push({ label: `${request ? 'Request' : 'Response'} Tag: ${tag}`, field: request ? 'imap.request_tag' : 'imap.response_tag' });
    }
    if (cmd) {
      fields.push([request ? 'imap.request.command' : 'imap.response.status', cmd]);
      sub.push({ label: `${request ? 'Request Command' : 'Response Status'}: ${cmd}`, field: request ? 'imap.request.command' : 'imap.response.status' });
    }
    if (request && cmd.toUpperCase() === 'STARTTLS') c.tlsTag = tag;
    else if (!request && c.tlsTag !== undefined && tag === c.tlsTag) {
      if (cmd.toUpperCase() === 'OK') next = TLS;
      c.tlsTag = undefined;
    }
    const n = lineNode(l, s.b, s.off, sub);
    n.field = 'imap.line';
    kids.push(n);
  }
  const out: Pdu = {
    proto: 'IMAP',
    info: `${request ? 'Request' : 'Response'}: ${last}`,
    fields,
    tree: { label: 'Internet Message Access Protocol', proto: 'imap', start: 0, length: s.end - s.off, children: kids },
  };
  if (next) out.next = next;
  return out;
}

const FIELDS: AppFieldMeta[] = [
  ['imap', 'protocol', 0, 'Internet Message Access Protocol'],
  ['imap.isrequest', 'boolean', 0, 'Request'],
  ['imap.line', 'string', 0, 'Line'],
  ['imap.request', 'string', 0, 'Request'],
  ['imap.request.command', 'string', 0, 'Request Command'],
  ['imap.request_tag', 'string', 0, 'Request Tag'],
  ['imap.response', 'string', 0, 'Response'],
  ['imap.response.status', 'string', 0, 'Response Status'],
  ['imap.response_tag', 'string', 0, 'Response Tag'],
  ['imap.tag', 'string', 0, 'Tag'],
];

export const IMAP: AppDissector = { name: 'imap', fields: FIELDS, tcpPorts: [143], tcpLength: wholeLines, tcpPdu: pdu };
