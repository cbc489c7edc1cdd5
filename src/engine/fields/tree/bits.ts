/**
 * Wireshark's bit-field notation: the bits of a `width`-bit field, most significant first,
 * in groups of four; bits outside `mask` are dots (`0100 .... = Version: 4`).
 */
export function bitPattern(value: number, mask: number, width: number): string {
  let s = '';
  for (let i = width - 1; i >= 0; i--) {
    const m = 2 ** i;
    const inMask = Math.floor(mask / m) % 2 === 1;
    s += inMask ? (Math.floor(value / m) % 2 === 1 ? '1' : '0') : '.';
    if (i % 4 === 0 && i) s += ' ';
  }
  return s;
}

/** `<pattern> = Name: value` */
export const bitLine = (value: number, mask: number, width: number, text: string): string => `${bitPattern(value, mask, width)} = ${text}`;

export const setNot = (v: number | boolean): string => (v ? 'Set' : 'Not set');

export const u16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
export const u32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/** `0x` and `digits` lower-case hex digits. */
export const hexN = (v: number, digits: number): string => '0x' + v.toString(16).padStart(digits, '0');

/** Bytes as tshark prints an FT_BYTES value: plain lower-case hex, cut with `…` past 36 bytes. */
export function bytesHex(b: Uint8Array, o: number, n: number): string {
  let s = '';
  const m = Math.min(n, 36);
  for (let i = 0; i < m; i++) s += b[o + i].toString(16).padStart(2, '0');
  return n > 36 ? s + '…' : s;
}

export function mac(b: Uint8Array, o: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(b[o + i].toString(16).padStart(2, '0'));
  return parts.join(':');
}
