/**
 * A capture's short fingerprint for view links: a 48-bit hash of its first bytes (the first
 * 64 KiB, `FINGERPRINT_BYTES`), as 12 hex digits. With the file's size it tells "the same
 * capture" from "another one" without the link carrying any of its bytes; it is no security
 * measure. Two multiply-xorshift lanes over the bytes, mixed at the end (the construction of
 * the public-domain cyrb53 hash).
 */
export const FINGERPRINT_BYTES = 64 * 1024;

export function fingerprint(bytes: Uint8Array): string {
  let h1 = 0xdeadbeef ^ bytes.length;
  let h2 = 0x41c6ce57 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    h1 = Math.imul(h1 ^ b, 2654435761);
    h2 = Math.imul(h2 ^ b, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return ((h2 >>> 0) & 0xffff).toString(16).padStart(4, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
