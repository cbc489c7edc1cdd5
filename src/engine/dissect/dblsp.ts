/**
 * Dropbox LAN sync Discovery Protocol (UDP port 17500), summary form, as tshark 4.0.17 shows it
 * (black-box, wild corpus): Protocol "DB-LSP-DISC", Info "Dropbox LAN sync Discovery Protocol";
 * a payload that is JSON (as media.ts's jsonExtent reads it) is handed to JSON: "DB-LSP-DISC/JSON",
 * ", JavaScript Object Notation" after the Info; otherwise the tree shows it as one "Text" line.
 */
import type { AppDissector, AppFieldMeta, Pdu, Slice } from './types';
import { jsonExtent } from './media';
import { escapedText } from './lines';

const NAME = 'Dropbox LAN sync Discovery Protocol';

function datagram(s: Slice): Pdu {
  const n = s.end - s.off;
  const json = jsonExtent(s.b.subarray(s.off, s.end)) > 0;
  const tree = { label: NAME, proto: 'db-lsp-disc', start: 0, length: n, children: json ? [] : [{ label: `Text: ${escapedText(s.b, s.off, s.end)}`, start: 0, length: n }] };
  if (!json) return { proto: 'DB-LSP-DISC', info: NAME, fields: [['db-lsp-disc', '']], tree };
  return { proto: 'DB-LSP-DISC/JSON', info: `${NAME}, JavaScript Object Notation`, fields: [['db-lsp-disc', '']], tree, after: [{ label: 'JavaScript Object Notation', proto: 'json', start: 0, length: n }] };
}

const FIELDS: AppFieldMeta[] = [['db-lsp-disc', 'protocol', 0, NAME]];

export const DB_LSP_DISC: AppDissector = { name: 'db-lsp-disc', fields: FIELDS, udpPorts: [17500], udp: datagram };
