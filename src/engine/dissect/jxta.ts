/**
 * JXTA, as far as tshark 4.0.17 shows it on the captures seqscope meets: never a dissected PDU, but
 * its TCP heuristic (on by default) reads past the bytes of a payload the capture cut, and tshark
 * then ends the frame with "[Packet size limited during capture: JXTA truncated]" instead of Data
 * (frame.protocols …:tcp:jxta; Protocol and Info stay TCP's, Info ending "[Packet size limited
 * during capture]"). The heuristic gives up on a conversation's segment without claiming it.
 *
 * The rule, black-box (crafted segments on a port without a dissector, cut by the snap length; no
 * source read): the payload is read as a list of framing headers — a name length byte (0 ends the
 * list), the name, a 2-byte big-endian value length, the value — and
 * - a name or a value not all captured: not JXTA (Data);
 * - a value length that the segment's reported length cannot hold: not JXTA;
 * - a name length byte, or a value length, past the captured bytes but inside the reported ones:
 *   "JXTA truncated";
 * - the end of the reported bytes or a 0 name length: not JXTA.
 * E.g. 0x70 then the bytes counting up (real_capture_starts_midstream_ipv6 frames 32 and 192:
 * 114 of 1428 bytes captured) is truncated at 113 or 114 captured bytes, Data at 112 or 115.
 * Below 8 captured bytes other heuristics tried before (Spice, RTPS, OpenWire) read past them
 * first, in ways not modelled: left as Data.
 */
import type { AppDissector, Slice } from './types';

export const JXTA: AppDissector = {
  name: 'jxta',
  fields: [],
  truncatesTcp(s: Slice, total: number): boolean {
    const b = s.b;
    const cap = s.end - s.off;
    if (cap >= total || cap < 8) return false;
    let o = 0;
    while (o < total) {
      if (o >= cap) return true;
      const name = b[s.off + o];
      if (name === 0 || o + 1 + name > cap || o + 3 + name > total) return false;
      if (o + 3 + name > cap) return true;
      const value = (b[s.off + o + 1 + name] << 8) | b[s.off + o + 2 + name];
      if (o + 3 + name + value > cap) return false;
      o += 3 + name + value;
    }
    return false;
  },
};
