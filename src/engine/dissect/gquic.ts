/**
 * Google QUIC on UDP 443, summary (tshark's GQUIC): the QUIC dissector hands it datagrams whose
 * version is 'Q0xx' (and the rest of a conversation that started so). Info as tshark 4.0.17 writes
 * it: "Client Hello" / "Server Hello" / "Rejection" for a handshake message in clear (its tag),
 * else "Payload (Encrypted)"; then ", PKN: N" and ", CID: N" (the connection ID as a decimal
 * number) when the header has one. Two header layouts: the old public header (public flags, CID
 * little-endian, version, packet number little-endian; Q024–Q043) and Q046's long header (CID and
 * packet number big-endian). Black-box: tcpdump-tests gquic.pcap (Q046), wild
 * pcpp__many_interfaces-1.pcapng (Q025).
 */
import type { DetailNode } from '../model/types';
import type { Pdu, Slice } from './types';

const isQVersion = (b: Uint8Array, o: number) => b[o] === 0x51 && b[o + 1] === 0x30 && b[o + 2] >= 0x30 && b[o + 2] <= 0x39 && b[o + 3] >= 0x30 && b[o + 3] <= 0x39;

/** A GQUIC packet with its version: Q046's long header, or the old public header with the version flag. */
export function isGquic(s: Slice): boolean {
  const b = s.b;
  const o = s.off;
  if (s.end - o < 14) return false;
  if (b[o] & 0x80) return isQVersion(b, o + 1);
  const cid = (b[o] & 0x0c) === 0x0c ? 8 : 0;
  return (b[o] & 0x01) !== 0 && !(b[o] & 0x02) && isQVersion(b, o + 1 + cid);
}

function num(b: Uint8Array, o: number, n: number, le: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(b[o + (le ? n - 1 - i : i)]);
  return v;
}

/** The handshake message in clear, by its tag. */
function message(b: Uint8Array, from: number, end: number): string {
  for (let i = from; i + 4 <= end; i++) {
    if (b[i] === 0x43 && b[i + 1] === 0x48 && b[i + 2] === 0x4c && b[i + 3] === 0x4f) return 'Client Hello';
    if (b[i] === 0x53 && b[i + 1] === 0x48 && b[i + 2] === 0x4c && b[i + 3] === 0x4f) return 'Server Hello';
    if (b[i] === 0x52 && b[i + 1] === 0x45 && b[i + 2] === 0x4a && b[i + 3] === 0) return 'Rejection';
  }
  return 'Payload (Encrypted)';
}

/** One GQUIC datagram (`fromClient`: its version flag and CID are the client's). */
export function gquicPdu(s: Slice): Pdu | undefined {
  const b = s.b;
  const o = s.off;
  const n = s.end - o;
  if (n < 2) return undefined;
  let cid: bigint | undefined;
  let pn: bigint;
  let p: number;
  const kids: DetailNode[] = [];
  if (b[o] & 0x80) {
    // Q046: flags, version, CID lengths, DCID (8, big-endian), packet number (1–4 bytes).
    if (n < 6 || !isQVersion(b, o + 1)) return undefined;
    const dcil = b[o + 5] >> 4 ? (b[o + 5] >> 4) + 3 : 0;
    p = o + 6;
    if (dcil === 8 && p + 8 <= s.end) cid = num(b, p, 8, false);
    p += dcil;
    const pnLen = (b[o] & 3) + 1;
    if (p + pnLen > s.end) return undefined;
    pn = num(b, p, pnLen, false);
    p += pnLen;
  } else {
    const flags = b[o];
    p = o + 1;
    if ((flags & 0x0c) === 0x0c) {
      if (p + 8 > s.end) return undefined;
      cid = num(b, p, 8, true);
      p += 8;
    }
    if (flags & 0x01 && isQVersion(b, p)) p += 4;
    const pnLen = [1, 2, 4, 6][(flags >> 4) & 3];
    if (p + pnLen > s.end) return undefined;
    pn = num(b, p, pnLen, true);
    p += pnLen;
  }
  const info = `${message(b, p, s.end)}, PKN: ${pn}${cid !== undefined ? `, CID: ${cid}` : ''}`;
  const fields: [string, string][] = [['gquic', ''], ['gquic.packet_number', String(pn)]];
  if (cid !== undefined) fields.push(['gquic.cid', String(cid)]);
  kids.push({ label: `Packet Number: ${pn}`, field: 'gquic.packet_number' });
  if (cid !== undefined) kids.push({ label: `CID: ${cid}`, field: 'gquic.cid' });
  return { proto: 'GQUIC', info, fields, tree: { label: 'GQUIC (Google Quick UDP Internet Connections)', proto: 'gquic', start: 0, length: n, children: kids } };
}
