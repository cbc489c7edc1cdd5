/**
 * The bits of the TCP graphs' `flags` arrays (engine/graphs/tcp-graph.ts), for the UI that draws
 * them: the analysis flags (tcp/flags.ts A_*, with their words as Info prints them) in the low
 * 16 bits and the TCP header flags from bit TCP_FLAGS_SHIFT. Re-exported here because the UI may
 * import values only from engine/fields and engine/model.
 */
export {
  A_RETRANSMISSION,
  A_FAST_RETRANSMISSION,
  A_SPURIOUS_RETRANSMISSION,
  A_OUT_OF_ORDER,
  A_LOST_SEGMENT,
  A_ACK_LOST_SEGMENT,
  A_DUPLICATE_ACK,
  A_ZERO_WINDOW,
  A_ZERO_WINDOW_PROBE,
  A_WINDOW_FULL,
  A_WINDOW_UPDATE,
  A_KEEP_ALIVE,
  A_FLAG_MASK,
  FLAG_ORDER,
} from '../tcp/flags';
export { TH_SYN, TH_FIN, TH_RST, TH_ACK } from '../decode/packet';
/** Shift of the TCP header flags in the graphs' flags arrays (TcpSegments.flags / TcpAcks.flags). */
export const TCP_FLAGS_SHIFT = 16;
