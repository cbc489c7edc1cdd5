/**
 * PostgreSQL (TCP port 5432), summary form, as tshark 4.0.17 shows it (black-box, wild corpus):
 * messages reassembled by their length; the client's first message has no type byte (startup,
 * SSLRequest, GSSENCRequest, CancelRequest); after an SSLRequest/GSSENCRequest the server answers
 * one byte, 'S' handing the connection to TLS. Info: ">" for the client, "<" for the server, then
 * the type letters of the frame's messages joined by "/" (">Q", "<T/D/C/Z", ">" for a startup).
 */
import type { DetailNode } from '../model/types';
import { connState } from './lines';
import { TLS } from './tls';
import type { AppDissector, AppFieldMeta, DirState, Pdu, Slice, TcpContext, TcpPduLength } from './types';

interface State extends DirState {
  /** The client has sent its startup message (typed messages from then on). */
  started?: boolean;
  /** An SSLRequest/GSSENCRequest waits for the server's one-byte answer. */
  negotiating?: boolean;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const u32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

function length(s: Slice, ctx: TcpContext): TcpPduLength {
  const st = connState<State>(ctx, 'pgsql');
  const have = s.end - s.off;
  if (ctx.fromServer && st.negotiating) return { len: 1 };
  if (!ctx.fromServer && !st.started) return have < 4 ? { more: 4 - have } : { len: Math.max(4, u32(s.b, s.off)) };
  return have < 5 ? { more: 5 - have } : { len: 1 + Math.max(4, u32(s.b, s.off + 1)) };
}

function pdu(s: Slice, ctx: TcpContext): Pdu {
  const st = connState<State>(ctx, 'pgsql');
  const b = s.b;
  const o = s.off;
  const n = s.end - o;
  const arrow = ctx.fromServer ? '<' : '>';
  const tree: DetailNode = { label: 'PostgreSQL', proto: 'pgsql', start: 0, length: n, children: [] };
  const fields: [string, string][] = [['pgsql', '']];
  let next: AppDissector | undefined;
  let type = '';
  if (ctx.fromServer && st.negotiating) {
    st.negotiating = false;
    if (n > 0 && b[o] === 0x53) next = TLS;
  } else if (!ctx.fromServer && !st.started) {
    const code = n >= 8 ? u32(b, o + 4) : 0;
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) st.negotiating = true;
    else st.started = true;
    fields.push(['pgsql.length', `${n >= 4 ? u32(b, o) : 0}`]);
  } else {
    type = n > 0 ? String.fromCharCode(b[o]) : '';
    fields.push(['pgsql.type', type], ['pgsql.length', `${n >= 5 ? u32(b, o + 1) : 0}`]);
    tree.children!.push({ label: `Type: ${type}`, field: 'pgsql.type', start: 0, length: 1 });
  }
  const out: Pdu = { proto: 'PGSQL', info: arrow + type, fields, tree, malformed: n < (type ? 5 : 1) };
  if (next) out.next = next;
  return out;
}

const FIELDS: AppFieldMeta[] = [
  ['pgsql', 'protocol', 0, 'PostgreSQL'],
  ['pgsql.type', 'string', 0, 'Type'],
  ['pgsql.length', 'uint', 32, 'Length'],
];

export const PGSQL: AppDissector = {
  name: 'pgsql',
  fields: FIELDS,
  tcpPorts: [5432],
  tcpLength: length,
  tcpPdu: pdu,
  // One direction letter, then every message's type letter joined by "/".
  joinInfo: (infos) => infos[0].slice(0, 1) + infos.map((x) => x.slice(1)).filter((x) => x).join('/'),
};
