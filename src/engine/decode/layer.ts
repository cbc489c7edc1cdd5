/**
 * The shape of a pluggable layer. A layer decodes its header in `d.buf[o, end)` (`rend` is
 * the reported end: the bytes on the wire, used for length fields; `end` bounds every read)
 * and hands its payload back to the Decoder (`d.ethernet`, `d.ethertype`, `d.ipv4`, …).
 * Layers keep no per-frame state and allocate nothing.
 *
 * Adding a link type = one file exporting a LinkLayer + one line in link/registry.ts.
 * Adding an ethertype or UDP-port encapsulation = one file + one line in encap/registry.ts.
 */
import type { Decoder } from './decoder';

export type LayerFn = (d: Decoder, o: number, end: number, rend: number) => void;

export interface LinkLayer {
  /** pcap/pcapng LINKTYPE_ values this layer decodes. */
  readonly linkTypes: readonly number[];
  /** Encapsulation name, as capinfos/tshark show it. */
  readonly name: string;
  /** Bytes of pseudo-header that tshark strips from the frame (frame.len/cap_len exclude them). */
  readonly pseudoHeader?: number;
  readonly decode: LayerFn;
}

export interface Encapsulation {
  readonly name: string;
  /** Ethertypes (also PPP/GRE protocol types mapped to ethertypes) carrying this layer. */
  readonly ethertypes?: readonly number[];
  /** UDP ports (either side; the lower port is tried first, as tshark does). */
  readonly udpPorts?: readonly number[];
  readonly decode: LayerFn;
}
