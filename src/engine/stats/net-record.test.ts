/**
 * The load's side record (net-record.ts) gives the same Conversations/Endpoints tables as the
 * decoding pass, without reading the file again: a built capture with the cases the record
 * treats apart (a flow whose MAC addresses change, times out of order inside a flow, a VLAN-tagged
 * TCP frame the fast decoder does not take, UDP, IP in IP, an ICMP error quoting a datagram, IPv6);
 * every corpus capture is compared in stats.test.ts ("the fast paths = the decoding pass"). And the
 * Source/Destination bytes it keeps of the frames outside TCP conversations (the sort's keys,
 * worker/sort.ts) give the decoded rows' texts, on every corpus frame.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_SHARED, CAPTURES as CORPUS } from '../../../test/corpora';
import { readColumnsOf } from '../fields/rows';
import { TF_QUOTED, TF_TCP } from '../tcp/frames';
import { Conn, concat, ipv4Packet, ipv6Packet, ns, writePcap, DEFAULT_EPOCH, type Record_ } from '../../../test/capture/build';
import { CaptureSession, MemorySource } from '../index';
import { CONV_TYPES, StatsPass, decodeAll } from './index';
import { allConversations } from './views';

function eth(srcLast: number, dstLast: number, ip: Uint8Array): Uint8Array {
  const v6 = ip[0] >> 4 === 6;
  return concat([Uint8Array.from([2, 0, 0, 0, 0, dstLast, 2, 0, 0, 0, 0, srcLast, v6 ? 0x86 : 0x08, v6 ? 0xdd : 0x00]), ip]);
}
const udp = (sp: number, dp: number, n: number) => Uint8Array.from([sp >> 8, sp & 255, dp >> 8, dp & 255, 0, 8 + n, 0, 0, ...new Array<number>(n).fill(0)]);
const at = (s: number, data: Uint8Array): Record_ => ({ ts: DEFAULT_EPOCH + ns(s.toFixed(6)), data });

function capture(): Uint8Array {
  const r: Record_[] = [];
  new Conn(r, { client: '10.0.0.1', server: '10.0.0.2', cport: 40000, sport: 80 })
    .c('0.000', 'S', 0, 0, 64240)
    .s('0.001', 'SA', 0, 1, 65160)
    .c('0.002', 'A', 1, 1, 502)
    .c('0.003', 'PA', 1, 1, 502, 100)
    .s('0.004', 'A', 1, 101, 509)
    .c('0.005', 'PA', 101, 1, 502, 50)
    .s('0.006', 'A', 1, 151, 509);
  new Conn(r, { client: '2001:db8::1', server: '2001:db8::2', cport: 40001, sport: 443, epoch: DEFAULT_EPOCH + ns('0.0025') })
    .c('0.000', 'S', 0, 0, 64240)
    .s('0.250', 'SA', 0, 1, 65160)
    .c('0.500', 'PA', 1, 1, 502, 200);
  r.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  // The client's fourth frame comes from another MAC (a second router); the server's third is
  // stamped before its second (times out of order inside a flow).
  r[3] = { ...r[3], data: Uint8Array.from(r[3].data) };
  r[3].data[11] ^= 0x40;
  r[6] = { ...r[6], ts: r[1].ts - 1000n };
  // A VLAN-tagged segment of the first connection: decoded in full by the load, logged.
  const v = r[5].data;
  r[5] = { ...r[5], data: concat([v.subarray(0, 12), Uint8Array.from([0x81, 0x00, 0x00, 0x07]), v.subarray(12)]) };
  r.push(at(2, eth(1, 3, ipv4Packet('10.0.0.1', '10.0.0.3', 17, udp(5353, 53, 30)))));
  // The same MAC pair and addresses again: logged as one kind byte each (EV_ETH_SAME, EV_ADDR_IP).
  r.push(at(2.05, eth(1, 3, ipv4Packet('10.0.0.1', '10.0.0.3', 17, udp(5353, 53, 20)))));
  r.push(at(2.1, eth(3, 1, ipv4Packet('10.0.0.3', '10.0.0.1', 17, udp(53, 5353, 60)))));
  r.push(at(2.3, eth(1, 4, ipv4Packet('10.0.0.1', '10.0.0.4', 4, ipv4Packet('172.16.0.1', '172.16.0.2', 17, udp(1000, 2000, 4))))));
  const quoted = ipv4Packet('10.0.0.1', '10.0.0.3', 17, udp(5353, 53, 30));
  r.push(at(2.4, eth(3, 1, ipv4Packet('10.0.0.3', '10.0.0.1', 1, concat([Uint8Array.from([3, 3, 0, 0, 0, 0, 0, 0]), quoted])))));
  r.push(at(3, eth(5, 6, ipv6Packet('2001:db8::5', '2001:db8::6', 17, udp(7, 9, 8)))));
  return writePcap(r);
}

/** A source that counts the reads made after the load. */
class CountingSource extends MemorySource {
  reads = 0;
  override read(offset: number, length: number): Promise<Uint8Array> {
    this.reads++;
    return super.read(offset, length);
  }
}

/** Every Conversations/Endpoints table equals the decoding pass's (StatsPass reading every frame). */
async function expectDecodingPass(s: CaptureSession, all: Awaited<ReturnType<typeof allConversations>>): Promise<void> {
  const types = [...CONV_TYPES];
  const slow = new StatsPass(s, { conv: types, endpoints: types, decodeEvery: true });
  await decodeAll(s, slow);
  for (const t of types) {
    expect(all.conv[t], `conv,${t}`).toEqual(slow.conv.get(t)!.rows);
    expect(all.endpoints[t], `endpoints,${t}`).toEqual(slow.endpoints.get(t)!.rows);
  }
}

describe('the load side record = the decoding pass', () => {
  it('same Ethernet/IPv4/IPv6/UDP tables, rows in the same order, no read of the file', async () => {
    const src = new CountingSource(capture());
    const s = new CaptureSession(src);
    await s.load();
    const reads = src.reads;
    const all = await allConversations(s);
    expect(src.reads).toBe(reads);
    await expectDecodingPass(s, all);
    // The cases are there: two MAC pairs of one flow, a VLAN frame, tunnelled and IPv6 UDP.
    expect(all.conv.eth.length).toBeGreaterThanOrEqual(5);
    expect(all.conv.udp.map((c) => `${c.addrA}:${c.portA}`)).toEqual(['10.0.0.1:5353', '172.16.0.1:1000', '2001:db8::5:7']);
    expect(all.conv.ipv6.length).toBe(2);
    // The second datagram of 10.0.0.1:5353 costs its head (6), EV_ETH_SAME (1), IPv4 (9), UDP (5), EV_ADDR_IP (1).
    const sizes = new Map<number, number>();
    s.net.entries((f, a, e) => sizes.set(f, e - a + 6));
    const second = [...sizes.keys()].sort((x, y) => x - y).find((f) => all.conv.udp[0].firstFrame < f)!;
    expect(sizes.get(second)).toBe(22);
  });

  it('a TCP-only capture on one MAC pair logs nothing (only the flows\' MAC addresses); its IP tables are the TCP table\'s sums', async () => {
    const r: Record_[] = [];
    new Conn(r).c('0.000', 'S', 0, 0, 64240).s('0.001', 'SA', 0, 1, 65160).c('0.002', 'A', 1, 1, 502);
    new Conn(r, { client: '10.0.0.7', cport: 40007, epoch: DEFAULT_EPOCH + ns('0.0015') }).c('0.000', 'S', 0, 0, 64240).s('0.001', 'SA', 0, 1, 65160);
    r.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    const s = new CaptureSession(new MemorySource(writePcap(r)));
    await s.load();
    expect(s.net.len).toBe(0);
    const all = await allConversations(s);
    await expectDecodingPass(s, all);
    expect(all.conv.ip.map((c) => c.addrA)).toEqual(['10.0.0.1', '10.0.0.7']);
  });
});

describe.skipIf(!HAS_SHARED)('Source/Destination from the load side record = the decoded columns', () => {
  it('every frame outside TCP conversations of the corpora (wild and malformed ones too), and only those', async () => {
    let checked = 0;
    for (const d of ['', 'real/ppa3', 'real/wild', 'real/tcpdump-tests'].map((x) => join(CORPUS, x))) {
      for (const name of readdirSync(d).filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f))) {
        const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(join(d, name)))));
        await s.load();
        const t = s.frames;
        const untracked: number[] = [];
        for (let i = 0; i < t.count; i++) if (!(t.tflags[i] & TF_TCP) || t.tflags[i] & TF_QUOTED || t.stream[i] < 0) untracked.push(i + 1);
        const got: [number[], string[], string[]] = [[], [], []];
        s.net.eachAddress(false, (f, text) => (got[0].push(f), got[1].push(text)));
        s.net.eachAddress(true, (_f, text) => got[2].push(text));
        expect(got[0], name).toEqual(untracked);
        const [src, dst] = await readColumnsOf(s, untracked, ['source', 'destination']);
        expect(got[1], `${name} source`).toEqual(src);
        expect(got[2], `${name} destination`).toEqual(dst);
        checked += untracked.length;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  }, 120_000);
});
