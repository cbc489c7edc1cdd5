/** Format detection from the first bytes of a file — never from its name. */
export type Sniffed =
  | { kind: 'pcap' | 'pcapng' | 'gzip' }
  | { kind: 'unknown'; looksLike: string };

export const READABLE_FORMATS = 'pcap (microsecond or nanosecond, either byte order), pcapng, and either of them gzip-compressed';

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34, 0xd4c3b2a1, 0x4d3cb2a1, 0x34cdb2a1]);

/** The message for a file that is not a capture (what it looks like, and what seqscope reads). */
export function notCaptureMessage(looksLike: string, compressed = false): string {
  const what = compressed ? `gzip-compressed, and the uncompressed data looks like ${looksLike}` : `it looks like ${looksLike}`;
  return `This is not a capture file: ${what}. seqscope reads ${READABLE_FORMATS}.`;
}

/** Needs at most the first 8 bytes; fewer is fine (then it may say "too short"). */
export function sniff(head: Uint8Array): Sniffed {
  if (head.length === 0) return { kind: 'unknown', looksLike: 'an empty file' };
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { kind: 'gzip' };
  if (head.length >= 4) {
    const m = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
    if (PCAP_MAGICS.has(m)) return { kind: 'pcap' };
    if (m === 0x0a0d0d0a) return { kind: 'pcapng' };
  }
  return { kind: 'unknown', looksLike: describe(head) };
}

function startsWith(h: Uint8Array, bytes: number[]): boolean {
  return h.length >= bytes.length && bytes.every((b, i) => h[i] === b);
}

function describe(h: Uint8Array): string {
  if (startsWith(h, [0x89, 0x50, 0x4e, 0x47])) return 'a PNG image';
  if (startsWith(h, [0xff, 0xd8, 0xff])) return 'a JPEG image';
  if (startsWith(h, [0x47, 0x49, 0x46, 0x38])) return 'a GIF image';
  if (startsWith(h, [0x25, 0x50, 0x44, 0x46])) return 'a PDF document';
  if (startsWith(h, [0x50, 0x4b, 0x03, 0x04]) || startsWith(h, [0x50, 0x4b, 0x05, 0x06])) return 'a ZIP archive';
  if (startsWith(h, [0x7f, 0x45, 0x4c, 0x46])) return 'an ELF executable';
  if (startsWith(h, [0x42, 0x5a, 0x68])) return 'a bzip2-compressed file';
  if (startsWith(h, [0xfd, 0x37, 0x7a, 0x58, 0x5a])) return 'an xz-compressed file';
  if (startsWith(h, [0x28, 0xb5, 0x2f, 0xfd])) return 'a zstd-compressed file';
  if (startsWith(h, [0x52, 0x49, 0x46, 0x46])) return 'a RIFF (audio/video) file';
  if (startsWith(h, [0x0d, 0x0a, 0x0d, 0x0a])) return 'a damaged pcapng file (line endings converted)';
  if (h.length < 4) return 'a file too short to be a capture';
  let text = 0;
  for (const b of h) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)) text++;
  if (text === h.length) {
    if (h[0] === 0x3c) return 'an HTML or XML text file';
    if (h[0] === 0x7b || h[0] === 0x5b) return 'a JSON text file';
    return 'a text file';
  }
  return 'a file of an unknown format';
}
