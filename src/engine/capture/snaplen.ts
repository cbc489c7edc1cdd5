/**
 * Frames cut by the snapshot length (captured length < original length). tshark appends
 * "[Packet size limited during capture]" to Info when a dissector it runs needs bytes the
 * capture did not keep; black-box runs of tshark 4.0.17 show which ones do:
 *
 *   cut inside the IPv4/IPv6 header ............ yes     cut inside the UDP header ...... yes
 *   cut inside the TCP header or TCP payload ... yes     cut inside the UDP payload ..... no
 *   cut inside an unknown IP protocol's payload  no      cut after the IP packet ........ no
 *
 * For the packet detail the same text stands as the last line ("[Packet size limited during
 * capture: TCP truncated]" names the protocol that ran out).
 */
import type { Packet } from '../decode/packet';

export const SIZE_LIMITED = '[Packet size limited during capture]';

/**
 * Which protocol ran out of captured bytes ("IPv4", "IPv6", "UDP", "TCP"), or '' when tshark
 * would not flag the frame. `buf[off, off+capLen)` are the frame's bytes, `p` its decode.
 */
export function truncatedProtocol(p: Packet, buf: Uint8Array, off: number, capLen: number, origLen: number): string {
  if (capLen >= origLen) return '';
  // The decoder's offsets (ip4Off, ip6Off, tcpFrameOff) index `buf` directly, like `off`.
  const end = off + capLen;
  // The decoder leaves ip4Off/ip6Off unset when the header itself is cut; its note says so.
  if (p.ip4Off < 0 && p.note === 'Truncated IPv4 header') return 'IPv4';
  if (p.ip6Off < 0 && p.note === 'Truncated or bogus IPv6 header') return 'IPv6';
  if (p.ip4Off >= 0) {
    if (p.ip4Off + 20 > end) return 'IPv4';
    const ihl = (buf[p.ip4Off] & 15) * 4;
    if (p.ip4Off + ihl > end) return 'IPv4';
    const fragmented = ((buf[p.ip4Off + 6] & 0x3f) | buf[p.ip4Off + 7]) !== 0;
    if (!p.hasTcp && !fragmented && buf[p.ip4Off + 9] === 17 && p.ip4Off + ihl + 8 > end) return 'UDP';
  } else if (p.ip6Off >= 0) {
    if (p.ip6Off + 40 > end) return 'IPv6';
    if (!p.hasTcp && buf[p.ip6Off + 6] === 17 && p.ip6Off + 48 > end) return 'UDP';
  }
  if (p.hasTcp && !p.tcpQuoted && p.tcpFrameOff >= 0) {
    if (!p.tcpFull || p.tcpAvail < p.hdrLen) return 'TCP';
    if (p.segLen > 0 && p.tcpFrameOff + p.hdrLen + p.segLen > end) return 'TCP';
  }
  return '';
}

/** Info-column suffix for a frame: SIZE_LIMITED or ''. tshark writes it right after the text, without a space. */
export function sizeLimitedSuffix(p: Packet, buf: Uint8Array, off: number, capLen: number, origLen: number): string {
  return truncatedProtocol(p, buf, off, capLen, origLen) ? SIZE_LIMITED : '';
}
