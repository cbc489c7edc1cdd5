/**
 * SSDP (UDP port 1900), summary form, as tshark 4.0.17 shows it (black-box): an HTTP-like start
 * line ended by a line end gives Info "M-SEARCH * HTTP/1.1 " / "HTTP/1.1 200 OK " (the line and
 * a space, as HTTP's Info), anything else "Continuation". Headers are not decoded.
 */
import type { AppDissector, AppFieldMeta, Pdu, Slice } from './types';
import { startKind } from './http';
import { escapedText } from './lines';

function datagram(s: Slice): Pdu {
  const b = s.b;
  const n = s.end - s.off;
  const lf = b.subarray(s.off, s.end).indexOf(0x0a);
  const kind = lf > 0 ? startKind(b, s.off, s.off + lf) : '';
  const line = kind ? escapedText(b, s.off, s.off + (b[s.off + lf - 1] === 0x0d ? lf - 1 : lf)) : '';
  const fields: [string, string][] = [['ssdp', '']];
  if (kind === 'req') fields.push(['http.request', '']);
  if (kind === 'resp') fields.push(['http.response', '']);
  const kids = kind ? [{ label: `${line}\\r\\n`, start: 0, length: lf + 1 }] : [];
  return { proto: 'SSDP', info: kind ? `${line} ` : 'Continuation', fields, tree: { label: 'Simple Service Discovery Protocol', proto: 'ssdp', start: 0, length: n, children: kids } };
}

const FIELDS: AppFieldMeta[] = [['ssdp', 'protocol', 0, 'Simple Service Discovery Protocol']];

export const SSDP: AppDissector = { name: 'ssdp', fields: FIELDS, udpPorts: [1900], udp: datagram };
