/**
 * Sequence-number arithmetic: unsigned 32-bit values that wrap modulo 2^32.
 * Ordered comparisons are wrap-aware (RFC 1982 style, as Wireshark's GT_SEQ/LT_SEQ):
 * a < b  ⇔  the signed 32-bit value of (a − b) is negative.
 * Every comparison of sequence or acknowledgement numbers in the engine goes through these.
 */
export type SeqNum = number;

/** (a + b) mod 2^32 */
export const seqAdd = (a: SeqNum, b: number): SeqNum => (a + b) >>> 0;
/** (a − b) mod 2^32, as an unsigned value */
export const seqSub = (a: SeqNum, b: SeqNum): number => (a - b) >>> 0;
/** a <s b */
export const seqLt = (a: SeqNum, b: SeqNum): boolean => ((a - b) | 0) < 0;
/** a >s b */
export const seqGt = (a: SeqNum, b: SeqNum): boolean => ((b - a) | 0) < 0;
/** a <=s b */
export const seqLe = (a: SeqNum, b: SeqNum): boolean => ((a - b) | 0) <= 0;
/** a >=s b */
export const seqGe = (a: SeqNum, b: SeqNum): boolean => ((b - a) | 0) <= 0;
