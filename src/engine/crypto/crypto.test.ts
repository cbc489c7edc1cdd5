/**
 * The engine's own SHA-256 / HMAC / HKDF / AES-128 / AES-128-GCM against published test vectors:
 * FIPS 180-2 (SHA-256), RFC 4231 (HMAC-SHA256), RFC 5869 (HKDF), FIPS 197 Appendix C.1 (AES-128),
 * the GCM specification's test cases 2–4 (McGrew & Viega), and RFC 9001 Appendix A.1 (QUIC Initial keys).
 */
import { describe, expect, it } from 'vitest';
import { hkdfExpand, hkdfExpandLabel, hkdfExtract, hmacSha256, sha256 } from './sha256';
import { aes128Encrypt, aes128GcmOpen, aes128GcmSeal, aes128Schedule } from './aes';

const hex = (s: string) => Uint8Array.from((s.replace(/\s+/g, '').match(/../g) ?? []).map((x) => parseInt(x, 16)));
const str = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('SHA-256, HMAC, HKDF', () => {
  it('FIPS 180-2 vectors', () => {
    expect(toHex(sha256(str('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256(str('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    // Split input hashes as the whole.
    expect(toHex(sha256(str('ab'), str('c')))).toBe(toHex(sha256(str('abc'))));
    // One million 'a' (several blocks, length field past one 32-bit word of bits is not needed here).
    expect(toHex(sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });
  it('RFC 4231 HMAC-SHA256 test cases 1, 2 and 6', () => {
    expect(toHex(hmacSha256(new Uint8Array(20).fill(0x0b), str('Hi There')))).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    expect(toHex(hmacSha256(str('Jefe'), str('what do ya want for nothing?')))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(toHex(hmacSha256(new Uint8Array(131).fill(0xaa), str('Test Using Larger Than Block-Size Key - Hash Key First')))).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });
  it('RFC 5869 HKDF test case 1', () => {
    const prk = hkdfExtract(hex('000102030405060708090a0b0c'), new Uint8Array(22).fill(0x0b));
    expect(toHex(prk)).toBe('077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
    expect(toHex(hkdfExpand(prk, hex('f0f1f2f3f4f5f6f7f8f9'), 42))).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });
});

describe('AES-128 and AES-128-GCM', () => {
  it('FIPS 197 Appendix C.1', () => {
    const rk = aes128Schedule(hex('000102030405060708090a0b0c0d0e0f'));
    expect(toHex(aes128Encrypt(rk, hex('00112233445566778899aabbccddeeff')))).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
  });
  it('FIPS 197 Appendix A.1 key expansion (last round key)', () => {
    const rk = aes128Schedule(hex('2b7e151628aed2a6abf7158809cf4f3c'));
    expect(toHex(rk.subarray(160))).toBe('d014f9a8c9ee2589e13f0cc8b6630ca6');
  });
  it('GCM test cases 2, 3 and 4; a wrong tag or AAD is refused', () => {
    // Test case 2: zero key, zero IV, one zero block.
    expect(toHex(aes128GcmOpen(new Uint8Array(16), new Uint8Array(12), new Uint8Array(0), hex('0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf'))!)).toBe('00000000000000000000000000000000');
    const key = hex('feffe9928665731c6d6a8f9467308308');
    const iv = hex('cafebabefacedbaddecaf888');
    const p = 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
    const c = '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985';
    expect(toHex(aes128GcmOpen(key, iv, new Uint8Array(0), hex(c + '4d5c2af327cd64a62cf35abd2ba6fab4'))!)).toBe(p);
    const aad = hex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
    const c4 = c.slice(0, 120);
    expect(toHex(aes128GcmOpen(key, iv, aad, hex(c4 + '5bc94fbc3221a5db94fae95ae7121a47'))!)).toBe(p.slice(0, 120));
    expect(aes128GcmOpen(key, iv, aad, hex(c4 + '5bc94fbc3221a5db94fae95ae7121a48'))).toBeUndefined();
    expect(aes128GcmOpen(key, iv, aad.subarray(1), hex(c4 + '5bc94fbc3221a5db94fae95ae7121a47'))).toBeUndefined();
    expect(aes128GcmOpen(key, iv, aad, hex('00'))).toBeUndefined();
    // Sealing gives the published ciphertext and tag back.
    expect(toHex(aes128GcmSeal(key, iv, aad, hex(p.slice(0, 120))))).toBe(c4 + '5bc94fbc3221a5db94fae95ae7121a47');
    expect(toHex(aes128GcmSeal(key, iv, new Uint8Array(0), hex(p)))).toBe(c + '4d5c2af327cd64a62cf35abd2ba6fab4');
  });
});

describe('RFC 9001 Appendix A.1: QUIC v1 Initial keys', () => {
  it('derives the client and server keys of DCID 8394c8f03e515708', () => {
    const initial = hkdfExtract(hex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a'), hex('8394c8f03e515708'));
    expect(toHex(initial)).toBe('7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44');
    const client = hkdfExpandLabel(initial, 'client in', 32);
    expect(toHex(client)).toBe('c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea');
    expect(toHex(hkdfExpandLabel(client, 'quic key', 16))).toBe('1f369613dd76d5467730efcbe3b1a22d');
    expect(toHex(hkdfExpandLabel(client, 'quic iv', 12))).toBe('fa044b2f42a3fd3b46fb255c');
    expect(toHex(hkdfExpandLabel(client, 'quic hp', 16))).toBe('9f50449e04a0e810283a1e9933adedd2');
    const server = hkdfExpandLabel(initial, 'server in', 32);
    expect(toHex(server)).toBe('3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b');
    expect(toHex(hkdfExpandLabel(server, 'quic key', 16))).toBe('cf3a5331653c364c88f0f379b6067e37');
    expect(toHex(hkdfExpandLabel(server, 'quic iv', 12))).toBe('0ac1493ca1905853b0bba03e');
    expect(toHex(hkdfExpandLabel(server, 'quic hp', 16))).toBe('c206b8d9b9f0f37644430b490eeaa314');
  });
  it('A.2: the header protection mask of the client Initial sample', () => {
    const hp = aes128Schedule(hex('9f50449e04a0e810283a1e9933adedd2'));
    expect(toHex(aes128Encrypt(hp, hex('d1b1c98dd7689fb8ec11d242b123dc9b'))).slice(0, 10)).toBe('437b9aec36');
  });
});
