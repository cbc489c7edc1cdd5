/**
 * Rlogin (TCP port 513), summary form, as tshark 4.0.17 shows it (black-box): every segment is one
 * PDU. A client segment starting with NUL is "Start Handshake" (the client user, server user and
 * terminal/speed after it, each NUL-terminated: "[Malformed Packet]" when they do not all end; read
 * in the client's first such segment only); a
 * server segment starting with NUL is "Startup info received"; a client segment starting with the
 * window-size cookie (ff ff 's' 's') is "Terminal Info (rows=R, cols=C)"; anything else is
 * "Data: " and its first 128 bytes as text. Not modelled: the "User name: …, " prefix tshark adds
 * to every row when the NUL came alone and the names in a later segment.
 */
import type { DetailNode } from '../model/types';
import type { AppDissector, AppFieldMeta, Pdu, Slice, TcpContext, TcpPduLength } from './types';
import { escapedText } from './lines';

const length = (s: Slice): TcpPduLength => ({ len: s.end - s.off });
/** The three NUL-terminated strings after the start flag, or undefined when one does not end. */
function userInfo(b: Uint8Array, o: number, e: number): [string, string, string, number] | undefined {
  const out: string[] = [];
  let p = o;
  for (let k = 0; k < 3; k++) {
    const z = b.subarray(p, e).indexOf(0);
    if (z < 0) return undefined;
    out.push(escapedText(b, p, p + z));
    p += z + 1;
  }
  return [out[0], out[1], out[2], p];
}

function pdu(s: Slice, ctx: TcpContext): Pdu {
  const b = s.b;
  const o = s.off;
  const n = s.end - o;
  const fields: [string, string][] = [['rlogin', '']];
  const kids: DetailNode[] = [];
  let info: string;
  let malformed = false;
  if (n > 0 && b[o] === 0 && !ctx.fromServer) {
    info = 'Start Handshake';
    fields.push(['rlogin.client_startup_flag', '0']);
    kids.push({ label: 'Client startup flag: 0x00', field: 'rlogin.client_startup_flag', start: 0, length: 1 });
    // Only the client's first handshake is read for its user info; a later one shows only its flag.
    const first = !ctx.dir.started;
    ctx.dir.started = true;
    if (n > 1 && first) {
      const u = userInfo(b, o + 1, s.end);
      if (!u) malformed = true;
      else {
        const [cu, su, term, end] = u;
        const slash = term.indexOf('/');
        fields.push(['rlogin.user_info', ''], ['rlogin.client_user_name', cu], ['rlogin.server_user_name', su], ['rlogin.terminal_type', slash < 0 ? term : term.slice(0, slash)]);
        const uk: DetailNode[] = [
          { label: `Client-user-name: ${cu}`, field: 'rlogin.client_user_name' },
          { label: `Server-user-name: ${su}`, field: 'rlogin.server_user_name' },
          { label: `Terminal-type: ${slash < 0 ? term : term.slice(0, slash)}`, field: 'rlogin.terminal_type' },
        ];
        if (slash >= 0) {
          fields.push(['rlogin.terminal_speed', term.slice(slash + 1)]);
          uk.push({ label: `Terminal-speed: ${term.slice(slash + 1)}`, field: 'rlogin.terminal_speed' });
        }
        kids.push({ label: `User info (${escapedText(b, o + 1, end)})`, field: 'rlogin.user_info', start: 1, length: end - o - 1, children: uk });
      }
    }
  } else if (n > 0 && b[o] === 0) {
    info = 'Startup info received';
    fields.push(['rlogin.startup_info_received_flag', '0']);
    kids.push({ label: 'Startup info received flag: 0x00', field: 'rlogin.startup_info_received_flag', start: 0, length: 1 });
  } else if (!ctx.fromServer && n >= 4 && b[o] === 0xff && b[o + 1] === 0xff && b[o + 2] === 0x73 && b[o + 3] === 0x73) {
    info = 'Terminal Info';
    if (n < 12) malformed = true;
    else {
      const v = (k: number) => (b[o + 4 + 2 * k] << 8) | b[o + 5 + 2 * k];
      info += ` (rows=${v(0)}, cols=${v(1)})`;
      fields.push(['rlogin.window_size', ''], ['rlogin.magic_cookie', '0xffff'], ['rlogin.window_size.ss', 'ss'], ['rlogin.window_size.rows', `${v(0)}`], ['rlogin.window_size.cols', `${v(1)}`]);
      kids.push({ label: 'Window Info', field: 'rlogin.window_size', start: 0, length: 12, children: [{ label: `Rows: ${v(0)}` }, { label: `Columns: ${v(1)}` }, { label: `X Pixels: ${v(2)}` }, { label: `Y Pixels: ${v(3)}` }] });
    }
  } else {
    const text = escapedText(b, o, o + Math.min(n, 128));
    info = `Data: ${text}`;
    fields.push(['rlogin.data', escapedText(b, o, s.end)]);
    kids.push({ label: `Data: ${escapedText(b, o, s.end)}`, field: 'rlogin.data', start: 0, length: n });
  }
  return { proto: 'Rlogin', info, fields, tree: { label: 'Rlogin Protocol', proto: 'rlogin', start: 0, length: n, children: kids }, malformed };
}

const FIELDS: AppFieldMeta[] = [
  ['rlogin', 'protocol', 0, 'Rlogin Protocol'],
  ['rlogin.user_info', 'string', 0, 'User Info'],
  ['rlogin.client_startup_flag', 'uint', 8, 'Client startup flag'],
  ['rlogin.startup_info_received_flag', 'uint', 8, 'Startup info received flag'],
  ['rlogin.client_user_name', 'string', 0, 'Client-user-name'],
  ['rlogin.server_user_name', 'string', 0, 'Server-user-name'],
  ['rlogin.terminal_type', 'string', 0, 'Terminal-type'],
  ['rlogin.terminal_speed', 'uint', 32, 'Terminal-speed'],
  ['rlogin.magic_cookie', 'uint', 16, 'Magic Cookie'],
  ['rlogin.window_size', 'none', 0, 'Window Info'],
  ['rlogin.window_size.ss', 'string', 0, 'Window size marker'],
  ['rlogin.window_size.rows', 'uint', 16, 'Rows'],
  ['rlogin.window_size.cols', 'uint', 16, 'Columns'],
  ['rlogin.data', 'string', 0, 'Data'],
];

export const RLOGIN: AppDissector = { name: 'rlogin', fields: FIELDS, tcpPorts: [513], tcpLength: length, tcpPdu: pdu };
