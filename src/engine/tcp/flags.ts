/** Analysis flags of a frame (Wireshark's TCP_A_* set), one bit each, plus the "has a record" bit. */
export const A_RETRANSMISSION = 0x0001;
export const A_FAST_RETRANSMISSION = 0x0002;
export const A_SPURIOUS_RETRANSMISSION = 0x0004;
export const A_OUT_OF_ORDER = 0x0008;
export const A_LOST_SEGMENT = 0x0010;
export const A_ACK_LOST_SEGMENT = 0x0020;
export const A_DUPLICATE_ACK = 0x0040;
export const A_ZERO_WINDOW = 0x0080;
export const A_ZERO_WINDOW_PROBE = 0x0100;
export const A_ZERO_WINDOW_PROBE_ACK = 0x0200;
export const A_KEEP_ALIVE = 0x0400;
export const A_KEEP_ALIVE_ACK = 0x0800;
export const A_WINDOW_UPDATE = 0x1000;
export const A_WINDOW_FULL = 0x2000;
export const A_REUSED_PORTS = 0x4000;
/** The frame has a SEQ/ACK analysis record (tcp.analysis present), flagged or not. */
export const A_RECORD = 0x8000;
export const A_FLAG_MASK = 0x7fff;

export type Severity = 'chat' | 'note' | 'warn' | 'error';
export type ExpertGroup = 'Sequence' | 'Protocol' | 'Malformed' | 'Checksum' | 'Security' | 'Undecoded' | 'Decryption';

/**
 * The analysis flags in the order Wireshark prints them (expert items in this order; Info
 * prefixes prepended in this order, so they read in reverse). `field` is the display-filter
 * field, `prefix` the Info text, `message`/`severity` the expert item.
 */
export const FLAG_ORDER: readonly { bit: number; field: string; word: string; message: string; severity: Severity }[] = [
  { bit: A_REUSED_PORTS, field: 'tcp.analysis.reused_ports', word: 'TCP Port numbers reused', message: 'A new tcp session is started with the same ports as an earlier session in this trace', severity: 'note' },
  { bit: A_RETRANSMISSION, field: 'tcp.analysis.retransmission', word: 'TCP Retransmission', message: 'This frame is a (suspected) retransmission', severity: 'note' },
  { bit: A_FAST_RETRANSMISSION, field: 'tcp.analysis.fast_retransmission', word: 'TCP Fast Retransmission', message: 'This frame is a (suspected) fast retransmission', severity: 'note' },
  { bit: A_SPURIOUS_RETRANSMISSION, field: 'tcp.analysis.spurious_retransmission', word: 'TCP Spurious Retransmission', message: 'This frame is a (suspected) spurious retransmission', severity: 'note' },
  { bit: A_OUT_OF_ORDER, field: 'tcp.analysis.out_of_order', word: 'TCP Out-Of-Order', message: 'This frame is a (suspected) out-of-order segment', severity: 'warn' },
  { bit: A_LOST_SEGMENT, field: 'tcp.analysis.lost_segment', word: 'TCP Previous segment not captured', message: 'Previous segment(s) not captured (common at capture start)', severity: 'warn' },
  { bit: A_ACK_LOST_SEGMENT, field: 'tcp.analysis.ack_lost_segment', word: 'TCP ACKed unseen segment', message: "ACKed segment that wasn't captured (common at capture start)", severity: 'warn' },
  { bit: A_WINDOW_UPDATE, field: 'tcp.analysis.window_update', word: 'TCP Window Update', message: 'TCP window update', severity: 'chat' },
  { bit: A_WINDOW_FULL, field: 'tcp.analysis.window_full', word: 'TCP Window Full', message: 'TCP window specified by the receiver is now completely full', severity: 'warn' },
  { bit: A_KEEP_ALIVE, field: 'tcp.analysis.keep_alive', word: 'TCP Keep-Alive', message: 'TCP keep-alive segment', severity: 'note' },
  { bit: A_KEEP_ALIVE_ACK, field: 'tcp.analysis.keep_alive_ack', word: 'TCP Keep-Alive ACK', message: 'ACK to a TCP keep-alive segment', severity: 'note' },
  { bit: A_DUPLICATE_ACK, field: 'tcp.analysis.duplicate_ack', word: 'TCP Dup ACK', message: 'Duplicate ACK', severity: 'note' },
  { bit: A_ZERO_WINDOW_PROBE, field: 'tcp.analysis.zero_window_probe', word: 'TCP ZeroWindowProbe', message: 'TCP Zero Window Probe', severity: 'note' },
  { bit: A_ZERO_WINDOW, field: 'tcp.analysis.zero_window', word: 'TCP ZeroWindow', message: 'TCP Zero Window segment', severity: 'warn' },
  { bit: A_ZERO_WINDOW_PROBE_ACK, field: 'tcp.analysis.zero_window_probe_ack', word: 'TCP ZeroWindowProbeAck', message: 'ACK to a TCP Zero Window Probe', severity: 'note' },
];
