/**
 * POP3 (TCP port 110), summary: whole lines, Info "C: " or "S: " and the first line. A server
 * line that is no status ("+OK", "-ERR") is data, which tshark hands to IMF: Protocol "POP/IMF",
 * Info as IMF writes it. "+OK" to STLS hands the connection to TLS.
 */
import type { DetailNode } from '../model/types';
import { connState, lineNode, splitLines, wholeLines } from './lines';
import { TLS } from './tls';
import { imfSummary } from './smtp';
import type { AppDissector, AppFieldMeta, DirState, Pdu, Slice, TcpContext } from './types';

interface PopConn extends DirState {
  tlsAsked?: boolean;
}

function pdu(s: Slice, ctx: TcpContext): Pdu {
  const c = connState<PopConn>(ctx, 'pop');
  const request = !ctx.fromServer;
  const lines = splitLines(s);
  const first = lines[0]?.text ?? '';
  const fields: [string, string][] = [['pop', '']];
  const kids: DetailNode[] = [];
  const status = /^(\+OK|-ERR)( |$)/.exec(first);
  let next: AppDissector | undefined;
  if (!request && !status) {
    return {
      proto: 'POP/IMF',
      info: imfSummary(s.b.subarray(s.off, s.end)).info,
      fields: [...fields, ['pop.response.data', first]],
      tree: { label: 'Post Office Protocol', proto: 'pop', start: 0, length: s.end - s.off, children: lines.map((l) => lineNode(l, s.b, s.off)) },
    };
  }
  const l = lines[0];
  const sp = first.indexOf(' ');
  const word = sp < 0 ? first : first.slice(0, sp);
  const rest = sp < 0 ? '' : first.slice(sp + 1);
  const sub: DetailNode[] = [];
  if (request) {
    fields.push(['pop.request', first], ['pop.request.command', word]);
    sub.push({ label: `Request command: ${word}`, field: 'pop.request.command' });
    if (sp >= 0) {
      fields.push(['pop.request.parameter', rest]);
      sub.push({ label: `Request parameter: ${rest}`, field: 'pop.request.parameter' });
    }
    if (word.toUpperCase() === 'STLS') c.tlsAsked = true;
  } else {
    fields.push(['pop.response', first], ['pop.response.indicator', word]);
    sub.push({ label: `Response indicator: ${word}`, field: 'pop.response.indicator' });
    if (sp >= 0) {
      fields.push(['pop.response.description', rest]);
      sub.push({ label: `Response description: ${rest}`, field: 'pop.response.description' });
    }
    if (c.tlsAsked) {
      c.tlsAsked = false;
      if (word === '+OK') next = TLS;
    }
  }
  if (l) {
    const n = lineNode(l, s.b, s.off, sub);
    n.field = request ? 'pop.request' : 'pop.response';
    kids.push(n, ...lines.slice(1).map((x) => lineNode(x, s.b, s.off)));
  }
  const out: Pdu = { proto: 'POP', info: `${request ? 'C' : 'S'}: ${first}`, fields, tree: { label: 'Post Office Protocol', proto: 'pop', start: 0, length: s.end - s.off, children: kids } };
  if (next) out.next = next;
  return out;
}

const FIELDS: AppFieldMeta[] = [
  ['pop', 'protocol', 0, 'Post Office Protocol'],
  ['pop.request', 'string', 0, 'Request'],
  ['pop.request.command', 'string', 0, 'Request command'],
  ['pop.request.parameter', 'string', 0, 'Request parameter'],
  ['pop.response', 'string', 0, 'Response'],
  ['pop.response.data', 'string', 0, 'Data'],
  ['pop.response.description', 'string', 0, 'Response description'],
  ['pop.response.indicator', 'string', 0, 'Response indicator'],
];

export const POP: AppDissector = { name: 'pop', fields: FIELDS, tcpPorts: [110], tcpLength: wholeLines, tcpPdu: pdu };
