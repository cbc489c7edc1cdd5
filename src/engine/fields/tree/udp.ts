/** UDP as tshark's detail tree shows it. */
import type { DetailNode } from '../../model/types';
import { hexN, u16 } from './bits';
import { expert, fld, ranger } from './node';

/**
 * tshark's traceroute guess (black-box, 4.0.17): a port in 33435…33464 (30 hops × 3 probes from
 * traceroute's base port 33434) is probe `(port − 33435) % 3 + 1` of hop `(port − 33435) / 3 + 1`.
 */
function traceroute(port: number): DetailNode[] | undefined {
  const k = port - 33435;
  if (k < 0 || k >= 90) return undefined;
  return [expert('chat', 'Sequence', `Possible traceroute: hop #${Math.floor(k / 3) + 1}, attempt #${(k % 3) + 1}`)];
}

export interface UdpStreamInfo {
  stream: number;
  /** Seconds since the stream's first frame and since its previous frame, as printed. */
  sinceFirst: string;
  sincePrev: string;
}

/** `b[o..]` with `avail` captured bytes; `rlen` = bytes the IP layer reports for the UDP datagram. */
export function udpNode(b: Uint8Array, o: number, avail: number, base: number | undefined, rlen: number, s: UdpStreamInfo | undefined, quoted: boolean): DetailNode {
  const at = ranger(base, avail);
  const sp = u16(b, o);
  const dp = u16(b, o + 2);
  const kids: DetailNode[] = [
    fld(`Source Port: ${sp}`, at(0, 2), 'udp.srcport', traceroute(sp)),
    fld(`Destination Port: ${dp}`, at(2, 2), 'udp.dstport', traceroute(dp)),
  ];
  if (avail >= 6) kids.push(fld(`Length: ${u16(b, o + 4)}`, at(4, 2), 'udp.length'));
  if (avail >= 8) {
    const ck = u16(b, o + 6);
    if (ck === 0) {
      kids.push(fld(`Checksum: ${hexN(ck, 4)} [zero-value ignored]`, at(6, 2), 'udp.checksum', [fld('[Checksum Status: Not present]', {}, 'udp.checksum.status')]));
    } else {
      kids.push(fld(`Checksum: ${hexN(ck, 4)} [unverified]`, at(6, 2), 'udp.checksum'));
      kids.push(fld('[Checksum Status: Unverified]', {}, 'udp.checksum.status'));
    }
  }
  if (s) {
    kids.push(fld(`[Stream index: ${s.stream}]`, {}, 'udp.stream'));
    // tshark gives a datagram quoted in an ICMP error a stream but no timestamps.
    if (!quoted) kids.push(fld('[Timestamps]', {}, undefined, [
      fld(`[Time since first frame: ${s.sinceFirst} seconds]`, {}, 'udp.time_relative'),
      fld(`[Time since previous frame: ${s.sincePrev} seconds]`, {}, 'udp.time_delta'),
    ]));
  }
  const ulen = avail >= 6 ? u16(b, o + 4) : 0;
  const plen = Math.min(ulen, rlen) - 8;
  if (plen > 0) kids.push(fld(`UDP payload (${plen} bytes)`, at(8, plen), 'udp.payload'));
  return { label: `User Datagram Protocol, Src Port: ${sp}, Dst Port: ${dp}`, proto: 'udp', ...at(0, 8), children: kids };
}
