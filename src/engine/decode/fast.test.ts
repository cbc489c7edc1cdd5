/**
 * Decoder.decodeTcpFast (the loading shortcut for Ethernet → IPv4/IPv6 → TCP) must give TCP
 * analysis exactly what decode() gives it, frame by frame, and decline everything else.
 * Checked over every frame of the captures the project owns, of the corpora when present (crafted,
 * textbook and tcpdump's malformed captures) and on hand-made edge cases.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPTURES as shared, HAS_SHARED } from '../../../test/corpora';
import { ownedDir } from '../../../test/owned';
import { CaptureReader } from '../capture/reader';
import type { FrameSink } from '../capture/types';
import { Decoder, LINKTYPE } from './decoder';
import { Packet } from './packet';

const corpora = HAS_SHARED ? [shared, join(shared, 'real/ppa3'), join(shared, 'real/tcpdump-tests')].filter((d) => existsSync(d)) : [];
const dirs = [ownedDir(), ...corpora];

/** What TCP analysis reads from a Packet. */
function analysisView(p: Packet): Record<string, unknown> {
  return {
    hasTcp: p.hasTcp,
    tcpFull: p.tcpFull,
    tcpQuoted: p.tcpQuoted,
    tcpCtx: p.tcpCtx,
    family: p.family,
    src: [...p.src],
    dst: [...p.dst],
    ttl: p.ttl,
    ipId: p.ipId,
    srcPort: p.srcPort,
    dstPort: p.dstPort,
    seq: p.seq,
    ack: p.ack,
    flags: p.flags,
    hdrLen: p.hdrLen,
    window: p.window,
    urgent: p.urgent,
    segLen: p.segLen,
    tcpAvail: p.tcpAvail,
    tcpOff: p.tcpOff,
    tcpFrameOff: p.tcpFrameOff,
    tcpBufIsFrame: p.tcpBuf.length > 0,
  };
}

/** Decode one frame both ways; returns whether the fast path took it. */
function both(buf: Uint8Array, off: number, capLen: number, origLen: number, linkType: number, frame: number): boolean {
  const slow = new Packet();
  const fast = new Packet();
  new Decoder().decode(slow, buf, off, capLen, origLen, linkType, frame);
  const took = new Decoder().decodeTcpFast(fast, buf, off, capLen, origLen, linkType);
  if (took) expect(analysisView(fast), `frame ${frame}`).toEqual(analysisView(slow));
  return took;
}

function eachFrame(
  bytes: Uint8Array,
  f: (buf: Uint8Array, off: number, capLen: number, origLen: number, linkType: number, frame: number) => void,
): void {
  let n = 0;
  const sink: FrameSink = {
    onFrame: (buf, off, capLen, origLen, _s, _ns, linkType) => f(buf, off, capLen, origLen, linkType, ++n),
    onFrameComment: () => {},
  };
  const r = new CaptureReader(sink);
  r.push(bytes);
  r.end();
}

describe('decodeTcpFast gives TCP analysis what decode() gives it', () => {
  for (const dir of dirs) {
    const files = readdirSync(dir).filter((f) => /\.(pcap|pcapng|cap|gz)$/.test(f));
    it(`every frame of ${dir.startsWith(shared) ? dir.slice(shared.length) || 'captures/' : 'the owned captures'} (${files.length} files)`, () => {
      let taken = 0;
      let frames = 0;
      for (const name of files) {
        eachFrame(new Uint8Array(readFileSync(join(dir, name))), (buf, off, capLen, origLen, linkType, frame) => {
          frames++;
          if (both(buf, off, capLen, origLen, linkType, frame)) taken++;
        });
      }
      // Not vacuous: most corpora are Ethernet TCP.
      expect(taken).toBeGreaterThan(frames / 10);
    });
  }
});

/** Ethernet + IPv4 + TCP frame with the given tweaks. */
function eth4(opt: { ihl?: number; totLen?: number; frag?: number; proto?: number; tcpLen?: number; payload?: number } = {}): Uint8Array {
  const ihl = opt.ihl ?? 20;
  const tcpLen = opt.tcpLen ?? 20;
  const payload = opt.payload ?? 10;
  const b = new Uint8Array(14 + ihl + tcpLen + payload);
  b[12] = 0x08;
  const ip = 14;
  b[ip] = 0x40 | (ihl / 4);
  const tot = opt.totLen ?? ihl + tcpLen + payload;
  b[ip + 2] = tot >> 8;
  b[ip + 3] = tot & 0xff;
  const frag = opt.frag ?? 0x4000; // DF
  b[ip + 6] = frag >> 8;
  b[ip + 7] = frag & 0xff;
  b[ip + 8] = 64;
  b[ip + 9] = opt.proto ?? 6;
  b.set([10, 0, 0, 1, 10, 0, 0, 2], ip + 12);
  const t = ip + ihl;
  b.set([0x30, 0x39, 0x00, 0x50, 0xff, 0xff, 0xff, 0xf0, 0x80, 0, 0, 1, (tcpLen / 4) << 4, 0x18, 0xff, 0xff], t);
  return b;
}

function eth6(next = 6, payload = 10): Uint8Array {
  const b = new Uint8Array(14 + 40 + 20 + payload);
  b[12] = 0x86;
  b[13] = 0xdd;
  const ip = 14;
  b[ip] = 0x60;
  b[ip + 5] = 20 + payload;
  b[ip + 6] = next;
  b[ip + 7] = 33;
  b[ip + 8 + 15] = 1;
  b[ip + 24 + 15] = 2;
  b.set([0x30, 0x39, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0x10, 0], ip + 40);
  return b;
}

describe('decodeTcpFast on edge cases', () => {
  const E = LINKTYPE.ETHERNET;
  it('takes plain IPv4 and IPv6 TCP, IPv4 options, TCP options, cut payloads and short wire lengths, and agrees', () => {
    for (const b of [eth4(), eth4({ ihl: 24 }), eth4({ tcpLen: 32 }), eth4({ payload: 0 }), eth6()]) {
      expect(both(b, 0, b.length, b.length, E, 1)).toBe(true);
      expect(both(b, 0, b.length, b.length + 1400, E, 1)).toBe(true); // snap length cut the payload
      expect(both(b, 0, b.length, 20, E, 1)).toBe(true); // wire length below the captured one
    }
    const padded = eth4({ totLen: 40, payload: 6 }); // Ethernet padding after the IP datagram
    expect(both(padded, 0, padded.length, padded.length, E, 1)).toBe(true);
  });

  it('declines what only the full decoder handles', () => {
    const cases: [string, Uint8Array, number][] = [
      ['fragment (MF)', eth4({ frag: 0x2000 }), E],
      ['fragment (offset)', eth4({ frag: 0x0010 }), E],
      ['total length 0 (TSO)', eth4({ totLen: 0 }), E],
      ['total length below the header', eth4({ totLen: 12 }), E],
      ['UDP', eth4({ proto: 17 }), E],
      ['IPv6 extension header', eth6(0), E],
      ['not Ethernet', eth4(), LINKTYPE.RAW],
    ];
    for (const [what, b, lt] of cases) expect(both(b, 0, b.length, b.length, lt, 1), what).toBe(false);
    const short = eth4({ tcpLen: 20, payload: 0 });
    expect(both(short, 0, 14 + 20 + 19, short.length, E, 1), 'TCP header cut before 20 bytes').toBe(false);
    const vlan = new Uint8Array(4 + eth4().length);
    vlan.set(eth4().subarray(0, 12));
    vlan.set([0x81, 0x00, 0, 5], 12);
    vlan.set(eth4().subarray(12), 16);
    expect(both(vlan, 0, vlan.length, vlan.length, E, 1), 'VLAN').toBe(false);
  });
});
