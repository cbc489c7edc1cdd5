/**
 * Test support: QUIC v1 datagrams built with real Initial protection (RFC 9001 §5: keys from the
 * client's DCID, AES-128-GCM, header protection), for the QUIC dissector's tests and the fuzzer:
 * a client Initial with a ClientHello (SNI, ALPN) padded to 1200 bytes, the server's Initial
 * (ACK + ServerHello), a Handshake packet, short header packets both ways, a Version
 * Negotiation, then damaged ones: a Length past the datagram, a long header cut inside its
 * connection IDs, an unknown version, an Initial whose tag does not match.
 */
import { aes128Encrypt, aes128GcmSeal, aes128Schedule } from '../../src/engine/crypto/aes';
import { hkdfExpandLabel, hkdfExtract } from '../../src/engine/crypto/sha256';
import { DEFAULT_EPOCH, utf8, type Record_ } from './build';
import { udpFrame } from './app-corpus';

const hex = (h: string) => Uint8Array.from(h.replace(/\s+/g, '').match(/../g)!.map((x) => parseInt(x, 16)));

function keys(dcid: Uint8Array, server: boolean) {
  const secret = hkdfExpandLabel(hkdfExtract(hex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a'), dcid), server ? 'server in' : 'client in', 32);
  return { key: hkdfExpandLabel(secret, 'quic key', 16), iv: hkdfExpandLabel(secret, 'quic iv', 12), hp: aes128Schedule(hkdfExpandLabel(secret, 'quic hp', 16)) };
}

/** A protected Initial (1-byte packet number) carrying `frames`, keys from `keyDcid`. */
export function initial(keyDcid: Uint8Array, server: boolean, dcid: Uint8Array, scid: Uint8Array, pn: number, frames: Uint8Array): Uint8Array {
  const k = keys(keyDcid, server);
  const len = 1 + frames.length + 16;
  const header = Uint8Array.from([0xc0, 0, 0, 0, 1, dcid.length, ...dcid, scid.length, ...scid, 0, 0x40 | (len >> 8), len & 255, pn]);
  const nonce = k.iv.slice();
  nonce[11] ^= pn;
  const ct = aes128GcmSeal(k.key, nonce, header, frames);
  const pkt = new Uint8Array(header.length + ct.length);
  pkt.set(header);
  pkt.set(ct, header.length);
  const pnAt = header.length - 1;
  const mask = aes128Encrypt(k.hp, pkt.subarray(pnAt + 4, pnAt + 20));
  pkt[0] ^= mask[0] & 0x0f;
  pkt[pnAt] ^= mask[1];
  return pkt;
}

function handshakeMessage(type: number, body: number[]): number[] {
  return [type, 0, body.length >> 8, body.length & 255, ...body];
}

function clientHello(name: string): number[] {
  const sni = utf8(name);
  const alpn = utf8('h3');
  const ext = [
    ...[0, 0, 0, sni.length + 5, 0, sni.length + 3, 0, 0, sni.length, ...sni],
    ...[0, 16, 0, alpn.length + 3, 0, alpn.length + 1, alpn.length, ...alpn],
    ...[0, 43, 0, 3, 2, 3, 4],
  ];
  return handshakeMessage(1, [3, 3, ...new Array(32).fill(5), 0, 0, 2, 0x13, 0x01, 1, 0, 0, ext.length, ...ext]);
}

/**
 * A ClientHello longer than one Initial (a large key share, as post-quantum ones are; `sniFirst`:
 * the SNI before it, else after it), its CRYPTO data split over the client's first two Initials.
 */
function bigClientHello(name: string, sniFirst: boolean): number[] {
  const sni = utf8(name);
  const alpn = utf8('h3');
  const share = new Array(1216).fill(0).map((_, i) => (i * 7) & 255);
  const sniExt = [0, 0, 0, sni.length + 5, 0, sni.length + 3, 0, 0, sni.length, ...sni];
  const keyShare = [0, 51, (share.length + 6) >> 8, (share.length + 6) & 255, (share.length + 4) >> 8, (share.length + 4) & 255, 0x11, 0xec, share.length >> 8, share.length & 255, ...share];
  const ext = [
    ...(sniFirst ? sniExt : []),
    ...[0, 16, 0, alpn.length + 3, 0, alpn.length + 1, alpn.length, ...alpn],
    ...[0, 43, 0, 3, 2, 3, 4],
    ...keyShare,
    ...(sniFirst ? [] : sniExt),
  ];
  return handshakeMessage(1, [3, 3, ...new Array(32).fill(5), 0, 0, 2, 0x13, 0x01, 1, 0, ext.length >> 8, ext.length & 255, ...ext]);
}

/** CRYPTO frame at `offset` (2-byte offset and length). */
const cryptoAt = (offset: number, data: number[]) => [6, 0x40 | (offset >> 8), offset & 255, 0x40 | (data.length >> 8), data.length & 255, ...data];

/**
 * Two connections whose ClientHello spans the client's first two Initials (two datagrams, each
 * padded to 1200 bytes), the SNI in the first part, then in the second; the server's Initial after.
 */
export function quicSplitHello(): Record_[] {
  const out: Record_[] = [];
  let t = 0;
  const at = () => DEFAULT_EPOCH + BigInt(t++) * 1_000_000n;
  [true, false].forEach((sniFirst, k) => {
    const port = 51000 + k;
    const dcid = Uint8Array.from([0x10 + k, 1, 2, 3, 4, 5, 6, 7]);
    const ch = bigClientHello(sniFirst ? 'first.example.test' : 'second.example.test', sniFirst);
    const cut = 900;
    for (const [pn, part] of [[0, cryptoAt(0, ch.slice(0, cut))], [1, cryptoAt(cut, ch.slice(cut))]] as const) {
      const padded = new Uint8Array(1200 - 26 - 16);
      padded.set(part);
      out.push({ ts: at(), data: udpFrame('192.0.2.1', '198.51.100.2', port, 443, initial(dcid, false, dcid, new Uint8Array(0), pn, padded)) });
    }
    out.push({ ts: at(), data: udpFrame('198.51.100.2', '192.0.2.1', 443, port, initial(dcid, true, new Uint8Array(0), SERVER_CID, 0, Uint8Array.from([2, 1, 0, 0, 0, ...crypto(serverHello())]))) });
  });
  return out;
}

const serverHello = () => handshakeMessage(2, [3, 3, ...new Array(32).fill(6), 0, 0x13, 0x01, 0, 0, 6, 0, 43, 0, 2, 3, 4]);

/** CRYPTO frame at offset 0 (2-byte length). */
const crypto = (data: number[]) => [6, 0, 0x40 | (data.length >> 8), data.length & 255, ...data];

export const CLIENT_DCID = hex('0001020304050607');
export const SERVER_CID = hex('a1a2a3a4a5a6a7a8');

export function quicCorpus(): Record_[] {
  const out: Record_[] = [];
  let t = 0;
  const at = () => DEFAULT_EPOCH + BigInt(t++) * 1_000_000n;
  const c2s = (p: Uint8Array, sport = 50000) => out.push({ ts: at(), data: udpFrame('192.0.2.1', '198.51.100.2', sport, 443, p) });
  const s2c = (p: Uint8Array, dport = 50000) => out.push({ ts: at(), data: udpFrame('198.51.100.2', '192.0.2.1', 443, dport, p) });
  const ch = crypto(clientHello('example.test'));
  const padded = new Uint8Array(1200 - 26 - 16);
  padded.set(ch);
  c2s(initial(CLIENT_DCID, false, CLIENT_DCID, new Uint8Array(0), 0, padded));
  s2c(initial(CLIENT_DCID, true, new Uint8Array(0), SERVER_CID, 0, Uint8Array.from([2, 0, 0, 0, 0, ...crypto(serverHello())])));
  // A Handshake packet (its keys come from TLS: not decryptable) and 1-RTT packets both ways.
  const hs = new Uint8Array(60).fill(0x33);
  s2c(Uint8Array.from([0xe0, 0, 0, 0, 1, 0, 8, ...SERVER_CID, 0x40, hs.length, ...hs]));
  c2s(Uint8Array.from([0x43, ...SERVER_CID, ...new Array(40).fill(0x44)]));
  s2c(Uint8Array.from([0x41, ...new Array(30).fill(0x55)]));
  // The client's second Initial (ACK, PADDING) after the server's: the connection's keys, not its DCID's.
  const ackPad = new Uint8Array(60);
  ackPad.set([2, 0, 0, 0, 0]);
  c2s(initial(CLIENT_DCID, false, SERVER_CID, new Uint8Array(0), 1, ackPad));
  // Another connection: a Version Negotiation answer to an unknown version.
  c2s(Uint8Array.from([0xc0, 0x1a, 0x2a, 0x3a, 0x4a, 4, 9, 9, 9, 9, 0, 0, 0x40, 30, ...new Array(30).fill(1)]), 50001);
  s2c(Uint8Array.from([0x80, 0, 0, 0, 0, 0, 4, 9, 9, 9, 9, 0, 0, 0, 1, 0xff, 0, 0, 0x1d]), 50001);
  // Damaged: a Length past the datagram, a header cut in its connection IDs, a tag that does not match.
  c2s(Uint8Array.from([0xc0, 0, 0, 0, 1, 8, ...CLIENT_DCID, 0, 0, 0x44, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]), 50002);
  c2s(Uint8Array.from([0xc0, 0, 0, 0, 1, 18, 1, 2]), 50003);
  // Decrypted, but a CRYPTO frame claims more data than the packet has.
  const longCrypto = new Uint8Array(64);
  longCrypto.set([6, 0, 0x44, 0]);
  c2s(initial(CLIENT_DCID, false, CLIENT_DCID, new Uint8Array(0), 0, longCrypto), 50005);
  const bad = initial(CLIENT_DCID, false, CLIENT_DCID, new Uint8Array(0), 0, padded);
  bad[bad.length - 1] ^= 1;
  c2s(bad, 50004);
  return out;
}
