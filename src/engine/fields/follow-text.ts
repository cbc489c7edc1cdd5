/**
 * Follow TCP Stream's text forms of a chunk of payload (shared by the CLI's `-z follow` and the
 * web app's Follow view): tshark's ASCII and hex-dump layouts, the raw hex string, and C arrays.
 */
const HEX = '0123456789ABCDEF';
const hex2 = (v: number) => HEX[v >> 4].toLowerCase() + HEX[v & 15].toLowerCase();

/** Text of one chunk in ASCII mode: printable bytes, CR and LF as they are, others '.'. */
export function asciiText(data: Uint8Array): string {
  let s = '';
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    s += (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d ? String.fromCharCode(b) : '.';
  }
  return s;
}

/** Hex-dump lines of one chunk starting at stream offset `offset` (tshark's follow hex layout). */
export function hexLines(data: Uint8Array, offset: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += 16) {
    let hex = '';
    let asc = '';
    const n = Math.min(16, data.length - i);
    for (let k = 0; k < n; k++) {
      const b = data[i + k];
      hex += hex2(b) + ' ';
      asc += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      if (k === 7) {
        hex += ' ';
        asc += ' ';
      }
    }
    // tshark ends the line one character early when its last one is a space (the column gap or data).
    if (asc.endsWith(' ')) asc = asc.slice(0, -1);
    const off = (offset + i).toString(16).toUpperCase().padStart(8, '0');
    lines.push(`${off}  ${hex.padEnd(49)} ${asc}`);
  }
  return lines;
}

/** The chunk as one lowercase hex string (tshark's raw mode). */
export function rawHex(data: Uint8Array): string {
  let h = '';
  for (let i = 0; i < data.length; i++) h += hex2(data[i]);
  return h;
}

/** The chunk as a C array (Wireshark's "C Arrays" view): `char peerP_N[] = { 0x.., … };`. */
export function cArray(data: Uint8Array, peer: number, index: number): string {
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += 8) {
    const row: string[] = [];
    for (let k = i; k < Math.min(i + 8, data.length); k++) row.push('0x' + hex2(data[k]));
    lines.push(row.join(', '));
  }
  return `char peer${peer}_${index}[] = { /* Packet ${index} */\n${lines.join(',\n')} };`;
}

/** The Follow view's text forms: tshark's ASCII and hex dump, Wireshark's C Arrays, Raw, UTF-8. */
export type FollowTextMode = 'ascii' | 'hex' | 'carray' | 'raw' | 'utf8';

/**
 * One chunk's text in `mode`: `offset` is where it starts in its direction's bytes (the hex
 * dump counts each direction from 0), `index` its number among its direction's chunks (C
 * arrays), `utf8` the host's UTF-8 decoder (the engine has none of its own).
 */
export function chunkText(data: Uint8Array, server: boolean, mode: FollowTextMode, offset: number, index: number, utf8: (d: Uint8Array) => string): string {
  switch (mode) {
    case 'ascii':
      return asciiText(data);
    case 'hex':
      return hexLines(data, offset).join('\n');
    case 'carray':
      return cArray(data, server ? 1 : 0, index);
    case 'raw':
      return rawHex(data);
    case 'utf8':
      return utf8(data);
  }
}
