/**
 * Whether an Ethernet frame goes on past its IP packet (padding or a trailer: the Ethertype
 * trailer's expert items, fields/expert-net.ts). VLAN tags are skipped; a frame whose payload is
 * neither IPv4 nor IPv6 after them (MPLS, PPPoE, …) answers true (its tree is looked at).
 * The load sets X_PAST_IP (tcp/frames.ts) from it on tracked TCP frames the fast decoder did not
 * take (that one finds it on its way: Decoder.fastPastIp).
 */
export function ethernetPastIp(b: Uint8Array, off: number, capLen: number): boolean {
  const end = off + capLen;
  let o = off + 12;
  let type = o + 2 <= end ? (b[o] << 8) | b[o + 1] : 0;
  while ((type === 0x8100 || type === 0x88a8) && o + 6 <= end) {
    o += 4;
    type = (b[o] << 8) | b[o + 1];
  }
  o += 2;
  if (type === 0x0800 && o + 4 <= end) return o + Math.max((b[o + 2] << 8) | b[o + 3], (b[o] & 15) * 4) < end;
  if (type === 0x86dd && o + 6 <= end) return o + 40 + ((b[o + 4] << 8) | b[o + 5]) < end;
  return true;
}
