/**
 * AES-128 encryption of one block (FIPS 197) and AES-128-GCM decryption with tag check
 * (NIST SP 800-38D), pure synchronous TS. QUIC needs only the forward cipher: header protection
 * is AES-ECB of a sample, GCM is counter mode plus GHASH. Small inputs only: table-free, clear code.
 */

const SBOX = new Uint8Array(256);
{
  // The S-box from its definition: the inverse in GF(2^8) followed by the affine map.
  let p = 1;
  let q = 1;
  do {
    p = p ^ ((p << 1) & 0xff) ^ (p & 0x80 ? 0x1b : 0);
    q ^= q << 1;
    q ^= q << 2;
    q ^= q << 4;
    q &= 0xff;
    if (q & 0x80) q ^= 0x09;
    const x = q ^ ((q << 1) | (q >> 7)) ^ ((q << 2) | (q >> 6)) ^ ((q << 3) | (q >> 5)) ^ ((q << 4) | (q >> 4));
    SBOX[p] = (x ^ 0x63) & 0xff;
  } while (p !== 1);
  SBOX[0] = 0x63;
}

const xtime = (x: number) => ((x << 1) ^ (x & 0x80 ? 0x1b : 0)) & 0xff;

/** The 11 round keys of an AES-128 key (176 bytes). */
export function aes128Schedule(key: Uint8Array): Uint8Array {
  if (key.length !== 16) throw new Error('AES-128 needs a 16-byte key');
  const w = new Uint8Array(176);
  w.set(key);
  let rcon = 1;
  for (let i = 16; i < 176; i += 4) {
    let t0 = w[i - 4];
    let t1 = w[i - 3];
    let t2 = w[i - 2];
    let t3 = w[i - 1];
    if (i % 16 === 0) {
      const r = t0;
      t0 = SBOX[t1] ^ rcon;
      t1 = SBOX[t2];
      t2 = SBOX[t3];
      t3 = SBOX[r];
      rcon = xtime(rcon);
    }
    w[i] = w[i - 16] ^ t0;
    w[i + 1] = w[i - 15] ^ t1;
    w[i + 2] = w[i - 14] ^ t2;
    w[i + 3] = w[i - 13] ^ t3;
  }
  return w;
}

/** AES-128 encryption of the 16 bytes `input` with round keys `rk` into `out`. */
export function aes128Encrypt(rk: Uint8Array, input: Uint8Array, out = new Uint8Array(16)): Uint8Array {
  const s = new Uint8Array(16);
  for (let i = 0; i < 16; i++) s[i] = input[i] ^ rk[i];
  const t = new Uint8Array(16);
  for (let round = 1; round <= 10; round++) {
    // SubBytes + ShiftRows (column-major state: byte r + 4c).
    for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) t[r + 4 * c] = SBOX[s[r + 4 * ((c + r) & 3)]];
    if (round < 10) {
      for (let c = 0; c < 4; c++) {
        const a0 = t[4 * c];
        const a1 = t[4 * c + 1];
        const a2 = t[4 * c + 2];
        const a3 = t[4 * c + 3];
        const all = a0 ^ a1 ^ a2 ^ a3;
        s[4 * c] = a0 ^ all ^ xtime(a0 ^ a1);
        s[4 * c + 1] = a1 ^ all ^ xtime(a1 ^ a2);
        s[4 * c + 2] = a2 ^ all ^ xtime(a2 ^ a3);
        s[4 * c + 3] = a3 ^ all ^ xtime(a3 ^ a0);
      }
    } else s.set(t);
    for (let i = 0; i < 16; i++) s[i] ^= rk[16 * round + i];
  }
  out.set(s);
  return out;
}

/** X · Y in GF(2^128) with GCM's bit order (SP 800-38D §6.3), on 16-byte blocks. */
function gfMul(x: Uint8Array, y: Uint8Array): Uint8Array {
  const z = new Uint8Array(16);
  const v = y.slice();
  for (let i = 0; i < 128; i++) {
    if (x[i >> 3] & (0x80 >> (i & 7))) for (let j = 0; j < 16; j++) z[j] ^= v[j];
    const lsb = v[15] & 1;
    for (let j = 15; j > 0; j--) v[j] = (v[j] >> 1) | ((v[j - 1] & 1) << 7);
    v[0] >>= 1;
    if (lsb) v[0] ^= 0xe1;
  }
  return z;
}

function ghash(h: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array {
  let y: Uint8Array = new Uint8Array(16);
  const absorb = (d: Uint8Array) => {
    for (let o = 0; o < d.length; o += 16) {
      for (let j = 0; j < 16 && o + j < d.length; j++) y[j] ^= d[o + j];
      y = gfMul(y, h);
    }
  };
  absorb(aad);
  absorb(ct);
  const lens = new Uint8Array(16);
  const dv = new DataView(lens.buffer);
  dv.setUint32(0, Math.floor((aad.length * 8) / 0x100000000));
  dv.setUint32(4, (aad.length * 8) >>> 0);
  dv.setUint32(8, Math.floor((ct.length * 8) / 0x100000000));
  dv.setUint32(12, (ct.length * 8) >>> 0);
  absorb(lens);
  return y;
}

/** AES-128-GCM encryption (tests build protected packets with it): ciphertext followed by the 16-byte tag. */
export function aes128GcmSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): Uint8Array {
  const rk = aes128Schedule(key);
  const h = aes128Encrypt(rk, new Uint8Array(16));
  const counter = new Uint8Array(16);
  counter.set(nonce);
  counter[15] = 1;
  const ek0 = aes128Encrypt(rk, counter);
  const out = new Uint8Array(pt.length + 16);
  ctr(rk, counter, pt, out);
  const s = ghash(h, aad, out.subarray(0, pt.length));
  for (let i = 0; i < 16; i++) out[pt.length + i] = s[i] ^ ek0[i];
  return out;
}

/** Counter mode from block 2 (GCM's first data block) of `counter`'s nonce: out = input XOR keystream. */
function ctr(rk: Uint8Array, counter: Uint8Array, input: Uint8Array, out: Uint8Array): void {
  const ks = new Uint8Array(16);
  for (let o = 0, c = 2; o < input.length; o += 16, c++) {
    counter[12] = c >>> 24;
    counter[13] = (c >>> 16) & 0xff;
    counter[14] = (c >>> 8) & 0xff;
    counter[15] = c & 0xff;
    aes128Encrypt(rk, counter, ks);
    for (let j = 0; j < 16 && o + j < input.length; j++) out[o + j] = input[o + j] ^ ks[j];
  }
}

/**
 * AES-128-GCM decryption of `ct` (ciphertext followed by its 16-byte tag) with a 12-byte nonce.
 * Returns the plaintext, or undefined when the tag does not match.
 */
export function aes128GcmOpen(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array | undefined {
  if (nonce.length !== 12 || ct.length < 16) return undefined;
  const rk = aes128Schedule(key);
  const h = aes128Encrypt(rk, new Uint8Array(16));
  const body = ct.subarray(0, ct.length - 16);
  const tag = ct.subarray(ct.length - 16);
  const counter = new Uint8Array(16);
  counter.set(nonce);
  counter[15] = 1;
  const s = ghash(h, aad, body);
  const ek0 = aes128Encrypt(rk, counter);
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= (s[i] ^ ek0[i]) ^ tag[i];
  if (diff !== 0) return undefined;
  const out = new Uint8Array(body.length);
  ctr(rk, counter, body, out);
  return out;
}
