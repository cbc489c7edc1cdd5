/** The decoder's layer log (Packet.layerNames …) as records, for the tree builders. */
import type { Packet } from '../../decode/packet';

export interface LayerRec {
  /** tshark's protocol name ('eth', 'ethertype', 'vlan', 'ip', 'ipv6.fraghdr', 'tcp', …). */
  name: string;
  buf: Uint8Array;
  off: number;
  /** Captured end and reported (wire) end of this layer's bytes in `buf`. */
  end: number;
  rend: number;
  /** TCP_NORMAL, or TCP_ICMP inside an ICMP error's quoted packet. */
  ctx: number;
  /** `buf` is the frame's own bytes (not a reassembled datagram). */
  inFrame: boolean;
}

export function layersOf(p: Packet, frameBuf: Uint8Array): LayerRec[] {
  const out: LayerRec[] = [];
  for (let i = 0; i < p.layerCount; i++) {
    out.push({ name: p.layerNames[i], buf: p.layerBufs[i], off: p.layerOffs[i], end: p.layerEnds[i], rend: p.layerRends[i], ctx: p.layerCtx[i], inFrame: p.layerBufs[i] === frameBuf });
  }
  return out;
}
