/**
 * `seqscope -q -z conv|endpoints|follow` against tshark 4.0.17's own output, run live on
 * captures crafted here (tshark is installed by `npm test`'s ensure-deps). Each capture isolates
 * a rule worked out by black-box runs: first-seen order and ties, reused ports (one TCP
 * conversation per stream), UDP and tunnelled IP, a TCP header cut inside its options (no TCP
 * tap), Follow's reassembly (retransmitted and overlapping data once, out-of-order data in
 * place, a gap ACKed by the receiver as "[N bytes missing in capture file]"), its ASCII/hex/raw
 * layouts, the ADDR:PORT form, and several -z printed last first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seqscope as runSeqscope, tshark as runTshark } from '../../../test/run-cli';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conn, concat, ipv4Packet, ipv6Packet, ns, writePcap, DEFAULT_EPOCH, type Record_ } from '../../../test/capture/build';
import { fixed, formatBytes } from './printf';
import { CONV_TYPES, StatsPass, canonicalIpv6, decodeAll, formatConversations, formatEndpoints, formatFollow } from './index';
import { allConversations, followChunks, followStream, tcpConversationsFromColumns } from './views';
import { readdirSync, readFileSync } from 'node:fs';
import { HAS_SHARED, CAPTURES as CORPUS } from '../../../test/corpora';
import { CaptureSession, MemorySource } from '../index';
import { parseStatSpec } from './spec';

let dir = '';

const seqscope = (args: string[]) => runSeqscope(['-2', '-n', ...args]);
const tshark = (args: string[]) => runTshark(['-2', '-n', ...args]);

function save(name: string, bytes: Uint8Array): string {
  const f = join(dir, name);
  writeFileSync(f, bytes);
  return f;
}

/** An Ethernet frame with the given MACs (last byte) around an IP packet. */
function eth(srcLast: number, dstLast: number, ip: Uint8Array): Uint8Array {
  const v6 = ip[0] >> 4 === 6;
  return concat([Uint8Array.from([2, 0, 0, 0, 0, dstLast, 2, 0, 0, 0, 0, srcLast, v6 ? 0x86 : 0x08, v6 ? 0xdd : 0x00]), ip]);
}

function udp(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const n = 8 + payload.length;
  return concat([Uint8Array.from([sport >> 8, sport & 255, dport >> 8, dport & 255, n >> 8, n & 255, 0, 0]), payload]);
}

const at = (s: number, data: Uint8Array, origLen?: number): Record_ => ({ ts: DEFAULT_EPOCH + ns(s.toFixed(6)), data, origLen });
const bytes = (...v: number[]) => Uint8Array.from(v);

const CAPTURES: Record<string, () => Uint8Array> = {
  /** TCP over IPv4 and IPv6, UDP both ways, IP-in-IP, reused ports, an ICMP error quoting UDP, tied frame counts. */
  'mixed.pcap': () => {
    const r: Record_[] = [];
    const t0 = DEFAULT_EPOCH;
    // Two connections on the same port pair (the second after the first closed): two TCP conversations, one IP conversation.
    new Conn(r, { client: '10.0.0.1', server: '10.0.0.2', cport: 40000, sport: 80, epoch: t0 })
      .c('0.000', 'S', 0, 0, 64240)
      .s('0.001', 'SA', 0, 1, 65160)
      .c('0.002', 'A', 1, 1, 502)
      .c('0.003', 'PA', 1, 1, 502, 100)
      .s('0.004', 'FA', 1, 101, 509)
      .c('0.005', 'FA', 101, 2, 502)
      .s('0.006', 'A', 2, 102, 509);
    new Conn(r, { client: '10.0.0.1', server: '10.0.0.2', cport: 40000, sport: 80, cisn: 900000, epoch: t0 + ns('5') })
      .c('0.000', 'S', 0, 0, 64240)
      .s('0.001', 'SA', 0, 1, 65160)
      .c('0.002', 'A', 1, 1, 502);
    new Conn(r, { client: '2001:db8::1', server: '2001:db8::2', cport: 40001, sport: 443, epoch: t0 + ns('1.5') })
      .c('0.000', 'S', 0, 0, 64240)
      .s('0.250', 'SA', 0, 1, 65160)
      .c('0.500', 'PA', 1, 1, 502, 20000);
    r.push(at(2, eth(1, 3, ipv4Packet('10.0.0.1', '10.0.0.3', 17, udp(5353, 53, new Uint8Array(30))))));
    r.push(at(2.1, eth(3, 1, ipv4Packet('10.0.0.3', '10.0.0.1', 17, udp(53, 5353, new Uint8Array(60))))));
    r.push(at(2.2, eth(3, 1, ipv4Packet('10.0.0.3', '10.0.0.1', 17, udp(53, 5354, new Uint8Array(10))))));
    // IPv4 in IPv4 carrying UDP: two IP conversations and the UDP one between the inner addresses.
    r.push(
      at(
        2.3,
        eth(1, 4, ipv4Packet('10.0.0.1', '10.0.0.4', 4, ipv4Packet('172.16.0.1', '172.16.0.2', 17, udp(1000, 2000, new Uint8Array(4))))),
      ),
    );
    // ICMP port unreachable quoting the first UDP datagram: IP 10.0.0.3 → 10.0.0.1 only.
    const quoted = ipv4Packet('10.0.0.1', '10.0.0.3', 17, udp(5353, 53, new Uint8Array(30)));
    r.push(at(2.4, eth(3, 1, ipv4Packet('10.0.0.3', '10.0.0.1', 1, concat([bytes(3, 3, 0, 0, 0, 0, 0, 0), quoted])))));
    // Frames whose wire length exceeds the capture: bytes count the wire length (kB units).
    r.push(at(3, eth(5, 6, ipv6Packet('2001:db8::5', '2001:db8::6', 17, udp(7, 9, new Uint8Array(8)))), 9000));
    r.push(at(3.5, eth(6, 5, ipv6Packet('2001:db8::6', '2001:db8::5', 17, udp(9, 7, new Uint8Array(8)))), 1500));
    r.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    return writePcap(r);
  },

  /** A SYN whose options are cut by the snapshot length: not tapped for TCP (IP still is). */
  'truncated.pcap': () => {
    const r: Record_[] = [];
    new Conn(r)
      .c('0.000', 'S', 0, 0, 64240, 0, { options: [{ mss: 1460 }, { sackPerm: true }, { ws: 7 }] })
      .s('0.010', 'SA', 0, 1, 65160)
      .c('0.020', 'A', 1, 1, 502);
    r[0] = { ...r[0], data: r[0].data.subarray(0, 14 + 20 + 24), origLen: r[0].data.length };
    return writePcap(r, { snapLen: 58 });
  },

  /**
   * Follow: handshake, in-order data, a retransmission, an overlapping resend with new bytes,
   * out-of-order data filled later, a lost segment the receiver ACKs (the capture never saw it),
   * binary bytes (TAB, CR, NUL, ≥0x80, a space at a line's end) and a second direction.
   */
  'follow.pcap': () => {
    const r: Record_[] = [];
    const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    const bin = Uint8Array.from({ length: 40 }, (_, i) => [0x09, 0x0d, 0x0a, 0x00, 0x80, 0xff, 0x20, 0x41][i % 8]);
    new Conn(r, { client: '192.0.2.1', server: '198.51.100.2', cport: 40000, sport: 8080 })
      .c('0.000', 'S', 0, 0, 64240)
      .s('0.001', 'SA', 0, 1, 65160)
      .c('0.002', 'A', 1, 1, 502)
      .c('0.003', 'PA', 1, 1, 502, 24, { payload: text('GET / HTTP/1.0\r\nA: b\r\n\r\n') })
      .c('0.004', 'PA', 1, 1, 502, 24, { payload: text('GET / HTTP/1.0\r\nA: b\r\n\r\n') })
      .s('0.005', 'PA', 1, 25, 509, 40, { payload: bin })
      // out of order: bytes 81..100 before 41..80
      .s('0.006', 'PA', 81, 25, 509, 20, { payload: text('ZYXWVUTSRQPONMLKJIHG') })
      .s('0.007', 'PA', 41, 25, 509, 40, { payload: text('0123456789abcdefghijklmnopqrstuvwxyz++++') })
      // resend of 61..100 plus 10 new bytes 101..110
      .s('0.008', 'PA', 61, 25, 509, 50, { payload: text('klmnopqrstuvwxyz++++ZYXWVUTSRQPONMLKJIHG0000000000') })
      .c('0.009', 'A', 25, 111, 502)
      // 111..130 lost; 131..140 seen; the client ACKs 141
      .s('0.010', 'PA', 131, 25, 509, 10, { payload: text('after-gap!') })
      .c('0.011', 'A', 25, 141, 502)
      .c('0.012', 'FA', 25, 141, 502)
      .s('0.013', 'FA', 141, 26, 509)
      .c('0.014', 'A', 26, 142, 502);
    // A second stream over IPv6 (follow by address form with brackets).
    new Conn(r, { client: '2001:db8::a', server: '2001:db8::b', cport: 50000, sport: 22, epoch: DEFAULT_EPOCH + ns('1') })
      .c('0.000', 'S', 0, 0, 64240)
      .s('0.001', 'SA', 0, 1, 65160)
      .c('0.002', 'PA', 1, 1, 502, 17)
      .s('0.003', 'PA', 1, 18, 509, 33);
    return writePcap(r);
  },
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqscope-stats-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TABLES = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];

describe('-q -z conv / endpoints / follow match tshark 4.0.17 byte for byte', () => {
  for (const name of ['mixed.pcap', 'truncated.pcap']) {
    for (const kind of ['conv', 'endpoints']) {
      it(`${name} ${kind}`, async () => {
        const f = save(name, CAPTURES[name]());
        for (const t of TABLES) {
          const args = ['-r', f, '-q', '-z', `${kind},${t}`];
          const [ours, theirs] = await Promise.all([seqscope(args), tshark(args)]);
          expect(ours, `${kind},${t}`).toBe(theirs);
        }
      });
    }
  }

  it('mixed.pcap: the tables hold what the capture has (not empty)', async () => {
    const f = save('mixed2.pcap', CAPTURES['mixed.pcap']());
    const out = await seqscope(['-r', f, '-q', '-z', 'conv,tcp', '-z', 'conv,udp']);
    expect(out).toMatch(/10\.0\.0\.1:40000 +<-> 10\.0\.0\.2:80 /);
    expect(out.match(/10\.0\.0\.1:40000 +<->/g)).toHaveLength(2);
    expect(out).toContain('172.16.0.1:1000');
  });

  it("several -z print last first; a table's own filter taps only matching frames and is shown as given", async () => {
    const f = save('multi.pcap', CAPTURES['mixed.pcap']());
    const args = [
      '-r',
      f,
      '-q',
      '-z',
      'conv,ip',
      '-z',
      'endpoints,udp,udp.port==53',
      '-z',
      'follow,tcp,ascii,0',
      '-z',
      'conv,tcp,tcp.port==80',
    ];
    const [ours, theirs] = await Promise.all([seqscope(args), tshark(args)]);
    expect(ours).toBe(theirs);
    expect(ours.indexOf('TCP Conversations')).toBeLessThan(ours.indexOf('IPv4 Conversations'));
    expect(ours).toContain('Filter:tcp.port==80');
    expect(ours).not.toContain('2001:db8::1:40001');
  });

  for (const mode of ['ascii', 'hex', 'raw']) {
    it(`follow.pcap follow,tcp,${mode} (both streams, and the address forms)`, async () => {
      const f = save(`follow-${mode}.pcap`, CAPTURES['follow.pcap']());
      for (const target of ['0', '1', '2', '198.51.100.2:8080,192.0.2.1:40000', '[2001:db8::b]:22,[2001:db8:0:0::a]:50000']) {
        const args = ['-r', f, '-q', '-z', `follow,tcp,${mode},${target}`];
        const [ours, theirs] = await Promise.all([seqscope(args), tshark(args)]);
        expect(ours, target).toBe(theirs);
      }
    });
  }

  it('follow.pcap: the reassembled text has each byte once and marks the gap', async () => {
    const f = save('follow-check.pcap', CAPTURES['follow.pcap']());
    const out = await seqscope(['-r', f, '-q', '-z', 'follow,tcp,ascii,0']);
    expect(out.match(/GET \/ HTTP/g)).toHaveLength(1);
    expect(out).toContain('[20 bytes missing in capture file]');
    expect(out).toMatch(
      /0123456789abcdefghij\nklmnopqrstuvwxyz\+\+\+\+ZYXWVUTSRQPONMLKJIHG\n|0123456789abcdefghijklmnopqrstuvwxyz\+\+\+\+\n/,
    );
  });

  it('-Y does not change the statistics (tshark 4.0 taps every frame)', async () => {
    const f = save('with-y.pcap', CAPTURES['mixed.pcap']());
    for (const z of ['conv,ip', 'endpoints,tcp', 'follow,tcp,raw,0']) {
      const withY = await tshark(['-r', f, '-q', '-Y', 'udp', '-z', z]);
      expect(await seqscope(['-r', f, '-q', '-z', z])).toBe(withY);
    }
  });
});

describe("the web app's views give the same tables and streams as -z", () => {
  it('allConversations = -z conv/endpoints; followStream = -z follow (chunks streamed in batches)', async () => {
    const bytes = CAPTURES['mixed.pcap']();
    const f = save('views.pcap', bytes);
    const s = new CaptureSession(new MemorySource(bytes));
    await s.load();
    const all = await allConversations(s);
    for (const t of ['eth', 'ip', 'ipv6', 'tcp', 'udp'] as const) {
      expect(formatConversations({ type: t, rows: all.conv[t] })).toBe(await tshark(['-r', f, '-q', '-z', `conv,${t}`]));
      expect(formatEndpoints({ type: t, rows: all.endpoints[t] })).toBe(await tshark(['-r', f, '-q', '-z', `endpoints,${t}`]));
    }
    expect(all.tcp[0].completeness).toBe(31);
    const fb = CAPTURES['follow.pcap']();
    const ff = save('views-follow.pcap', fb);
    const fs = new CaptureSession(new MemorySource(fb));
    await fs.load();
    const batches: number[] = [];
    const r = await followStream(fs, 0, (c) => batches.push(c.length));
    expect(batches.reduce((a, b) => a + b, 0)).toBe(r.index.count);
    // The index holds no bytes: they are read again from the chunks' frames.
    const data = await followChunks(fs, r.index, 0, r.index.count);
    const chunks = data.map((d, i) => ({ ...r.index.meta(i), data: d, at: r.index.at[i] }));
    expect(chunks.some((c) => c.missing)).toBe(true);
    for (const mode of ['hex', 'ascii'] as const)
      expect(formatFollow({ ...r, chunks }, mode, 'tcp.stream eq 0')).toBe(await tshark(['-r', ff, '-q', '-z', `follow,tcp,${mode},0`]));
    // A window of chunks reads the same bytes as the whole.
    const mid = await followChunks(fs, r.index, 1, r.index.count - 1);
    expect(mid).toEqual(data.slice(1, -1));
  });
});

describe.skipIf(!HAS_SHARED)('the fast paths = the decoding pass (every corpus capture)', () => {
  it('same rows, same order: StatsPass.fast, the TCP tables from the columns, the views', async () => {
    const dirs = [CORPUS, join(CORPUS, 'real/ppa3')];
    let n = 0;
    let fastFrames = 0;
    for (const d of dirs) {
      for (const name of readdirSync(d).filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f))) {
        const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(join(d, name)))));
        await s.load();
        const types = [...CONV_TYPES];
        const slow = new StatsPass(s, { conv: types, endpoints: types, decodeEvery: true });
        await decodeAll(s, slow);
        const fast = new StatsPass(s, { conv: types, endpoints: types });
        const seen = { n: 0 };
        const count = fast.fast.bind(fast);
        fast.fast = (...a) => count(...a) && ++seen.n > 0;
        await decodeAll(s, fast);
        fastFrames += seen.n;
        const all = await allConversations(s);
        for (const t of types) {
          const conv = slow.conv.get(t)!.rows;
          const ends = slow.endpoints.get(t)!.rows;
          expect(fast.conv.get(t)!.rows, `${name} conv,${t}`).toEqual(conv);
          expect(fast.endpoints.get(t)!.rows, `${name} endpoints,${t}`).toEqual(ends);
          expect(all.conv[t], `${name} view conv,${t}`).toEqual(conv);
          expect(all.endpoints[t], `${name} view endpoints,${t}`).toEqual(ends);
        }
        expect(tcpConversationsFromColumns(s), name).toEqual(slow.conv.get('tcp')!.rows);
        n++;
      }
    }
    expect(n).toBeGreaterThan(100);
    expect(fastFrames).toBeGreaterThan(1000);
  });
});

describe('printf and spec helpers', () => {
  it('%.Nf rounds the exact binary value, ties to even (glibc)', () => {
    expect(fixed(0.03125, 4)).toBe('0.0312');
    expect(fixed(0.09375, 4)).toBe('0.0938');
    expect(fixed(2.5, 0)).toBe('2');
    expect(fixed(1.0005, 3)).toBe((1.0005).toFixed(3)); // not a tie in binary
    expect(fixed(-0.03125, 4)).toBe('-0.0312');
    expect(fixed(12.34567, 9)).toBe('12.345670000');
  });

  it('format_size: plain bytes below 10 kB, then truncated SI units', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(9999)).toBe('9999 bytes');
    expect(formatBytes(10000)).toBe('10 kB');
    expect(formatBytes(9_999_999)).toBe('9999 kB');
    expect(formatBytes(10_000_000)).toBe('10 MB');
    expect(formatBytes(100_009_499_950)).toBe('100 GB');
  });

  it('canonical IPv6 text', () => {
    expect(canonicalIpv6('2001:0db8:0:0::a')).toBe('2001:db8::a');
    expect(canonicalIpv6('::ffff:1.2.3.4')).toBe('::ffff:1.2.3.4');
    expect(canonicalIpv6('1:2:3:4:5:6:7:8')).toBe('1:2:3:4:5:6:7:8');
    expect(canonicalIpv6('1::2::3')).toBeUndefined();
    expect(canonicalIpv6('1:2:3')).toBeUndefined();
  });

  it('parses the -z specs it knows and names what it does not', () => {
    expect(parseStatSpec('conv,tcp')).toMatchObject({ kind: 'conv', type: 'tcp' });
    expect(parseStatSpec('endpoints,udp,udp.port==53')).toMatchObject({ kind: 'endpoints', type: 'udp', filter: 'udp.port==53' });
    expect(parseStatSpec('follow,tcp,hex,3')).toMatchObject({ kind: 'follow', mode: 'hex', stream: 3 });
    expect(parseStatSpec('follow,tcp,raw,[::1]:80,[::1]:81')).toMatchObject({
      a: { addr: '[::1]', port: 80 },
      b: { addr: '[::1]', port: 81 },
    });
    expect(() => parseStatSpec('conv,sctp')).toThrow(/sctp/);
    expect(() => parseStatSpec('follow,tcp,yaml,0')).toThrow(/yaml/);
    expect(() => parseStatSpec('io,phs')).toThrow(/unsupported/);
    expect(parseStatSpec('io,stat,1')).toMatchObject({ kind: 'io', io: { intervalUs: 1e6 } });
  });
});
