/**
 * CaptureReader on captures written by the test pcap writer: every classic pcap and pcapng
 * variant, gzip, exact nanosecond timestamps, link types, comments, interface switching, and
 * identical results whatever the chunking.
 */
import { analyse } from '../../../test/harness';
import { describe, expect, it } from 'vitest';
import { CaptureReader, type ReaderOutcome } from './reader';
import {
  LINK,
  concat,
  gzip,
  ip4,
  ns,
  tcpFrame,
  unitsToTime,
  writePcap,
  writePcapng,
  type NgBlock,
  type NgInterface,
  type NgSection,
  type PcapOpts,
  type Record_,
} from '../../../test/capture/build';

interface Got {
  data: number[];
  capLen: number;
  origLen: number;
  /** "sec.nnnnnnnnn" */
  time: string;
  linkType: number;
  iface: number;
  dataOffset: number;
  comments: string[];
}

function read(bytes: Uint8Array, chunk = bytes.length || 1): { frames: Got[]; out: ReaderOutcome } {
  const frames: Got[] = [];
  const r = new CaptureReader({
    onFrame(buf, off, capLen, origLen, tsSec, tsNsec, linkType, dataOffset, iface) {
      frames.push({
        data: Array.from(buf.subarray(off, off + capLen)),
        capLen,
        origLen,
        // NaN seconds: the record has no timestamp (Simple Packet Block)
        time: Number.isNaN(tsSec) ? 'none' : `${tsSec}.${String(tsNsec).padStart(9, '0')}`,
        linkType,
        iface,
        dataOffset,
        comments: [],
      });
    },
    onFrameComment(text) {
      frames[frames.length - 1].comments.push(text);
    },
  });
  for (let i = 0; i < bytes.length; i += chunk) r.push(bytes.slice(i, i + chunk));
  return { frames, out: r.end() };
}

const fmt = (sec: bigint, nsec: bigint) => `${sec}.${nsec.toString().padStart(9, '0')}`;
const timeOf = (ts: bigint) => fmt(ts / 1_000_000_000n, ts % 1_000_000_000n);

function seg(n: number, len: number, v6 = false): Uint8Array {
  return tcpFrame({ src: v6 ? '2001:db8::1' : '10.0.0.1', dst: v6 ? '2001:db8::2' : '10.0.0.2', sport: 40000 + n, dport: 80, seq: 1000 * n, ack: 1, flags: 'PA', len });
}

const RECORDS: Record_[] = [
  { ts: ns('1700000000.123456789'), data: seg(1, 10) },
  { ts: ns('1700000001.000000001'), data: seg(2, 0) },
  // snapped: 60 bytes captured of 1514 on the wire
  { ts: ns('1700000002.999999999'), data: seg(3, 1460).subarray(0, 60), origLen: 1514 },
  { ts: ns('4294967295.5'), data: seg(4, 3) },
];

describe('classic pcap', () => {
  const variants: [string, PcapOpts, string][] = [
    ['µs little-endian', {}, 'pcap'],
    ['µs big-endian', { bigEndian: true }, 'pcap'],
    ['ns little-endian', { nsec: true }, 'pcap-nsec'],
    ['ns big-endian', { nsec: true, bigEndian: true }, 'pcap-nsec'],
    ['modified pcap little-endian', { modified: true }, 'pcap-modified'],
    ['modified pcap big-endian', { modified: true, bigEndian: true }, 'pcap-modified'],
  ];
  for (const [name, o, format] of variants) {
    it(name, () => {
      const bytes = writePcap(RECORDS, o);
      const { frames, out } = read(bytes);
      expect(out.error).toBeUndefined();
      expect(out.format).toBe(format);
      expect(out.byteOrder).toBe(o.bigEndian ? 'big-endian' : 'little-endian');
      expect(out.frames).toBe(RECORDS.length);
      expect(out.interfaces.map((i) => i.linkType)).toEqual([LINK.ETHERNET]);
      const hl = o.modified ? 24 : 16;
      let off = 24;
      frames.forEach((f, k) => {
        const r = RECORDS[k];
        expect(f.data).toEqual(Array.from(r.data));
        expect(f.capLen).toBe(r.data.length);
        expect(f.origLen).toBe(r.origLen ?? r.data.length);
        // µs formats keep whole microseconds only
        const t = o.nsec ? r.ts : (r.ts / 1000n) * 1000n;
        expect(f.time).toBe(timeOf(t));
        expect(f.iface).toBe(0);
        expect(f.dataOffset).toBe(off + hl);
        off += hl + r.data.length;
      });
    });
  }

  it('reports the link type of the file header', () => {
    for (const link of [LINK.RAW, LINK.LINUX_SLL, LINK.LINUX_SLL2, LINK.NULL, LINK.IPV4]) {
      const { frames, out } = read(writePcap([{ ts: 1n, data: new Uint8Array(20) }], { linkType: link, nsec: true }));
      expect(frames.map((f) => f.linkType)).toEqual([link]);
      expect(out.interfaces[0].linkType).toBe(link);
      expect(frames[0].time).toBe('0.000000001');
    }
  });

  it('keeps a fraction of a second of 1 s or more unnormalised, as a signed 32-bit count (as tshark)', async () => {
    // tshark 4.0.17 on tcpdump's timestamp_invalid_nano.pcap prints 0x80000000 ns as
    // "-1418145370.2147483648" and 10^9 ns as "…370.1000000000": no carry into the seconds.
    const bytes = writePcap([{ ts: 0n, data: seg(1, 0) }, { ts: 0n, data: seg(2, 0) }], { nsec: true });
    const dv = new DataView(bytes.buffer);
    dv.setUint32(24 + 4, 2_500_000_000, true);
    const second = 24 + 16 + dv.getUint32(24 + 8, true);
    dv.setUint32(second + 4, 1_000_000_000, true);
    const { rows } = await analyse(bytes, ['frame.time_epoch']);
    expect(rows.map((r) => r['frame.time_epoch'])).toEqual(['-0.1794967296', '0.1000000000']);
  });
});

describe('pcapng', () => {
  const frame = (n: number) => seg(n, n % 5);

  it('several sections, both byte orders, interfaces with different link types', () => {
    const ifA: NgInterface = { linkType: LINK.ETHERNET, name: 'eth0', description: 'first', snapLen: 262144 };
    const ifB: NgInterface = { linkType: LINK.RAW, name: 'tun0', tsresol: 9 };
    const ifC: NgInterface = { linkType: LINK.LINUX_SLL, tsresol: 3 };
    const raw = (n: number) => frame(n).subarray(14); // IP packet only
    const sll = (n: number) => concat([new Uint8Array(14), Uint8Array.of(0x08, 0x00), frame(n).subarray(14)]);
    const sections: NgSection[] = [
      {
        comments: ['section one', 'second line'],
        interfaces: [ifA, ifB],
        blocks: [
          { epb: { iface: 0, ts: 1_700_000_000_000_001n, data: frame(1), comments: ['hello'] } },
          { epb: { iface: 1, ts: 1_700_000_000_123_456_789n, data: raw(2) } },
          { unknown: { type: 0x00000bad, body: Uint8Array.of(1, 2, 3, 4, 5) } },
          { unknown: { type: 5, body: new Uint8Array(16) } }, // interface statistics
          { epb: { iface: 0, ts: 1_700_000_001_000_000n, data: frame(3), origLen: 9000, comments: ['a', 'ünïcode'] } },
        ],
      },
      {
        bigEndian: true,
        comments: ['section two (big-endian)'],
        interfaces: [ifC],
        blocks: [
          { epb: { iface: 0, ts: 1_700_000_002_001n, data: sll(4) } },
          { idb: ifA },
          { epb: { iface: 1, ts: 5n, data: frame(5) } },
          { unknown: { type: 0x40000bad, body: new Uint8Array(0) } },
          { epb: { iface: 0, ts: 1_700_000_003_000n, data: sll(6), comments: ['big-endian comment'] } },
        ],
      },
      {
        interfaces: [ifB],
        blocks: [{ epb: { iface: 0, ts: 7n, data: raw(7) } }],
      },
    ];
    const bytes = writePcapng(sections);
    const { frames, out } = read(bytes);
    expect(out.error).toBeUndefined();
    expect(out.format).toBe('pcapng');
    expect(out.frames).toBe(7);
    expect(out.sectionComments).toEqual(['section one', 'second line', 'section two (big-endian)']);
    // Interface table across sections: 2 + 2 + 1; frames refer to it.
    expect(out.interfaces.map((i) => i.linkType)).toEqual([LINK.ETHERNET, LINK.RAW, LINK.LINUX_SLL, LINK.ETHERNET, LINK.RAW]);
    expect(out.interfaces[0].name).toBe('eth0');
    expect(out.interfaces[0].description).toBe('first');
    expect(out.interfaces[1].unitsPerSecond).toBe(1e9);
    expect(frames.map((f) => f.iface)).toEqual([0, 1, 0, 2, 3, 2, 4]);
    expect(frames.map((f) => f.linkType)).toEqual([1, 101, 1, 113, 1, 113, 101]);
    expect(frames.map((f) => f.time)).toEqual([
      '1700000000.000001000',
      '1700000000.123456789', // ns interface
      '1700000001.000000000',
      '1700000002.001000000', // ms interface
      '0.000005000',
      '1700000003.000000000',
      '0.000000007',
    ]);
    expect(frames[0].comments).toEqual(['hello']);
    expect(frames[2].comments).toEqual(['a', 'ünïcode']);
    expect(frames[5].comments).toEqual(['big-endian comment']);
    expect(frames.filter((f) => f.comments.length === 0).length).toBe(4);
    expect(frames[2].origLen).toBe(9000);
    expect(frames[1].data).toEqual(Array.from(raw(2)));
    expect(frames[3].data).toEqual(Array.from(sll(4)));
    // the data offset points at the packet bytes in the file
    for (const f of frames) expect(Array.from(bytes.subarray(f.dataOffset, f.dataOffset + f.capLen))).toEqual(f.data);
  });

  it('reads the ns interface exactly', () => {
    const i: NgInterface = { linkType: 1, tsresol: 9 };
    const { frames } = read(writePcapng([{ interfaces: [i], blocks: [{ epb: { iface: 0, ts: 1_700_000_000_123_456_789n, data: frame(1) } }] }]));
    expect(frames[0].time).toBe('1700000000.123456789');
  });

  describe('timestamps: if_tsresol and if_tsoffset, exact to the nanosecond', () => {
    const cases: [string, NgInterface, bigint[]][] = [
      ['default (µs)', { linkType: 1 }, [0n, 1n, 1_700_000_000_999_999n, (1n << 32n) + 5n, (1n << 52n) + 1n]],
      ['10^-9', { linkType: 1, tsresol: 9 }, [1n, 999_999_999n, 1_000_000_000n, 4_102_444_800_000_000_001n]],
      ['10^-3', { linkType: 1, tsresol: 3 }, [1n, 999n, 1_700_000_000_001n]],
      ['10^0', { linkType: 1, tsresol: 0 }, [0n, 1n, 1_700_000_000n]],
      ['2^-10', { linkType: 1, tsresol: 0x80 | 10 }, [1n, 3n, 1023n, 1024n, 1_700_000_000n * 1024n + 7n]],
      ['2^-20', { linkType: 1, tsresol: 0x80 | 20 }, [1n, 5n, (1n << 20n) - 1n, 1_700_000_000n * (1n << 20n) + 12345n]],
      ['2^-29', { linkType: 1, tsresol: 0x80 | 29 }, [1n, 2n ** 20n, (1n << 29n) - 1n, 1_700_000_000n * (1n << 29n) + 123_456_789n]],
      ['2^-10 with a big if_tsoffset', { linkType: 1, tsresol: 0x80 | 10, tsoffset: 1n << 34n }, [0n, 1n, 1023n, 123_456_789n]],
      ['µs with if_tsoffset 1700000000', { linkType: 1, tsoffset: 1_700_000_000n }, [0n, 999_999n, 86_400_000_001n]],
      ['ns with a negative if_tsoffset', { linkType: 1, tsresol: 9, tsoffset: -5n }, [5_000_000_000n, 6_000_000_001n]],
    ];
    for (const [name, iface, units] of cases) {
      it(name, () => {
        const blocks: NgBlock[] = units.map((ts) => ({ epb: { iface: 0, ts, data: frame(1) } }));
        for (const be of [false, true]) {
          const { frames, out } = read(writePcapng([{ bigEndian: be, interfaces: [iface], blocks }]));
          expect(out.error).toBeUndefined();
          expect(frames.map((f) => f.time)).toEqual(
            units.map((u) => {
              const t = unitsToTime(u, iface);
              return fmt(t.sec, t.nsec);
            }),
          );
        }
      });
    }
  });

  it('Simple Packet Blocks (no timestamp, first interface, snap length) and obsolete Packet Blocks', () => {
    const i0: NgInterface = { linkType: LINK.ETHERNET, snapLen: 60 };
    const i1: NgInterface = { linkType: LINK.RAW, tsresol: 9 };
    const big = seg(9, 100);
    const blocks: NgBlock[] = [
      { spb: { data: frame(1) } },
      { pb: { iface: 1, ts: 1_700_000_000_000_000_042n, data: frame(2).subarray(14), comments: ['pb comment'] } },
      // longer than the 60-byte snap length: the block holds the first 60 bytes
      { spb: { data: big.subarray(0, 60), origLen: big.length } },
      { epb: { iface: 0, ts: 3n, data: frame(3) } },
    ];
    for (const be of [false, true]) {
      const { frames, out } = read(writePcapng([{ bigEndian: be, interfaces: [i0, i1], blocks }]));
      expect(out.error).toBeUndefined();
      expect(frames.map((f) => f.iface)).toEqual([0, 1, 0, 0]);
      expect(frames.map((f) => f.linkType)).toEqual([1, 101, 1, 1]);
      expect(frames.map((f) => f.time)).toEqual(['none', '1700000000.000000042', 'none', '0.000003000']);
      expect(frames[0].data).toEqual(Array.from(frame(1)));
      expect(frames[1].data).toEqual(Array.from(frame(2).subarray(14)));
      expect(frames[1].comments).toEqual(['pb comment']);
      expect(frames[2].capLen).toBe(60);
      expect(frames[2].origLen).toBe(big.length);
      expect(frames[2].data).toEqual(Array.from(big.subarray(0, 60)));
    }
  });
});

describe('gzip', () => {
  it('reads gzip-compressed pcap and pcapng to the same frames', () => {
    const pcap = writePcap(RECORDS, { nsec: true, bigEndian: true });
    const ng = writePcapng([{ interfaces: [{ linkType: 1, tsresol: 9 }], blocks: RECORDS.map((r) => ({ epb: { iface: 0, ts: r.ts, data: r.data, origLen: r.origLen } })) }]);
    for (const [plain, format] of [
      [pcap, 'pcap-nsec'],
      [ng, 'pcapng'],
    ] as const) {
      const a = read(plain);
      const z = read(gzip(plain));
      expect(z.out.error).toBeUndefined();
      expect(z.out.format).toBe(`gzip ${format}`);
      expect(z.out.compressed).toBe(true);
      expect(z.frames).toEqual(a.frames);
      expect(z.frames.map((f) => f.time)).toEqual(RECORDS.map((r) => timeOf(r.ts)));
    }
  });
});

describe('chunking', () => {
  const pcap = writePcap(RECORDS, { modified: true, bigEndian: true });
  const ng = writePcapng([
    {
      comments: ['c'],
      interfaces: [{ linkType: 1, tsresol: 0x80 | 20 }, { linkType: 101 }],
      blocks: [
        { epb: { iface: 0, ts: 1_700_000_000n << 20n, data: seg(1, 100), comments: ['x'] } },
        { unknown: { type: 0x0bad, body: new Uint8Array(9) } },
        { epb: { iface: 1, ts: 7n, data: seg(2, 3000).subarray(14) } },
        { spb: { data: seg(3, 1) } },
      ],
    },
    { bigEndian: true, interfaces: [{ linkType: 1 }], blocks: [{ pb: { iface: 0, ts: 9n, data: seg(4, 5000), comments: ['y'] } }] },
  ]);
  const inputs: [string, Uint8Array][] = [
    ['modified pcap', pcap],
    ['pcapng', ng],
    ['gzip pcap', gzip(pcap)],
    ['gzip pcapng', gzip(ng)],
  ];
  for (const [name, bytes] of inputs) {
    it(`${name}: chunks of 1, 7 and 4096 bytes give identical results`, () => {
      const whole = read(bytes);
      expect(whole.out.error).toBeUndefined();
      expect(whole.frames.length).toBeGreaterThanOrEqual(4);
      for (const chunk of [1, 7, 4096]) {
        const r = read(bytes, chunk);
        expect(r.frames).toEqual(whole.frames);
        expect(r.out).toEqual(whole.out);
      }
    });
  }
});

describe('format detection is by content', () => {
  it('recognises each format from its first bytes', () => {
    const cases: [Uint8Array, string][] = [
      [writePcap(RECORDS), 'pcap'],
      [writePcap(RECORDS, { nsec: true, bigEndian: true }), 'pcap-nsec'],
      [writePcapng([{ interfaces: [{ linkType: 1 }], blocks: [] }]), 'pcapng'],
      [gzip(writePcap(RECORDS, { modified: true })), 'gzip pcap-modified'],
    ];
    for (const [bytes, format] of cases) expect(read(bytes).out.format).toBe(format);
  });

  it('an IPv4 address helper sanity check for the writer', () => {
    expect(ip4('192.168.0.255')).toEqual([192, 168, 0, 255]);
  });
});
