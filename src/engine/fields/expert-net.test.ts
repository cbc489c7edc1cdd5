/**
 * The expert items around TCP (expert-net.ts) on a built capture with one case each: a UDP
 * traceroute probe with a low TTL, an ICMP echo request without reply and one with, an ICMP
 * error quoting a TTL-1 packet with an RFC 4884 length past its end, Ethernet frames with
 * non-zero padding (TCP and UDP), zero padding, and a short frame with a trailer. The counts are
 * checked item by item (what tshark 4.0.17 prints for this capture) and, when tshark is
 * installed, against its own `-q -z expert` text for the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveTshark } from '../../../test/tshark';
import { CaptureSession, MemorySource, readDetail } from '../index';
import { concat, Conn, ipv4Packet, ns, tcpFrame, writePcap, type Record_ } from '../../../test/capture/build';
import { REPO, TSHARK } from '../../../test/corpora';
import { formatExpertSummary } from './expert-summary';
import { tallyExperts } from './expert-tally';
import { treeExperts } from './expert-net';
import { expertGroups } from '../stats/expert-groups';
import { compileFilter, filterFrames } from '../filter';

const MAC = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa];
const eth = (ip: Uint8Array, trailer: number[] = []) => concat([Uint8Array.from([...MAC, 0x08, 0x00]), ip, Uint8Array.from(trailer)]);

function sum16(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) | (i + 1 < b.length ? b[i + 1] : 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}
function icmp(bytes: number[]): Uint8Array {
  const m = Uint8Array.from(bytes);
  const c = sum16(m);
  m[2] = c >> 8;
  m[3] = c & 0xff;
  return m;
}
const udp = (sp: number, dp: number, payload: number[]) => Uint8Array.from([sp >> 8, sp & 0xff, dp >> 8, dp & 0xff, 0, 8 + payload.length, 0, 0, ...payload]);
const echo = (type: number, seq: number) => icmp([type, 0, 0, 0, 0, 7, 0, seq, ...Array.from({ length: 16 }, (_, i) => 0x61 + i)]);

function capture(): Uint8Array {
  const quoted = ipv4Packet('10.0.0.1', '10.0.0.9', 1, echo(8, 9), { ttl: 1 });
  const frames = [
    // 1: traceroute probe, hop 1 attempt 2, TTL 2
    eth(ipv4Packet('10.0.0.1', '10.0.0.9', 17, udp(40000, 33436, [1, 2, 3, 4]), { ttl: 2 })),
    // 2: echo request, never answered
    eth(ipv4Packet('10.0.0.1', '10.0.0.9', 1, echo(8, 1))),
    // 3, 4: echo request and its reply
    eth(ipv4Packet('10.0.0.1', '10.0.0.9', 1, echo(8, 2))),
    eth(ipv4Packet('10.0.0.9', '10.0.0.1', 1, echo(0, 2))),
    // 5: time exceeded quoting a TTL-1 packet of 44 bytes (its item not counted) and 100 bytes more,
    //    its length field (93 words) past the message's end
    eth(ipv4Packet('10.0.0.254', '10.0.0.1', 1, icmp([11, 0, 0, 0, 0, 93, 0, 0, ...quoted, ...new Array(100).fill(0)]), { ttl: 250 })),
    // 6: a SYN padded to 60 bytes with non-zero padding
    concat([tcpFrame({ src: '10.0.0.1', dst: '10.0.0.9', sport: 1234, dport: 80, seq: 100, ack: 0, flags: 'S', win: 1000 }), Uint8Array.from([0, 0, 0, 0, 0, 1])]),
    // 7: its SYN/ACK padded with zeros
    concat([tcpFrame({ src: '10.0.0.9', dst: '10.0.0.1', sport: 80, dport: 1234, seq: 500, ack: 101, flags: 'SA', win: 1000 }), new Uint8Array(6)]),
    // 8: a 46-byte frame with a trailer (no padding below 60 bytes: no item)
    eth(ipv4Packet('10.0.0.1', '10.0.0.9', 17, udp(5000, 5001, [])), [0x11, 0x22, 0x33, 0x44]),
    // 9: UDP padded to 60 with a non-zero byte
    eth(ipv4Packet('10.0.0.1', '10.0.0.9', 17, udp(5000, 5001, [])), [...new Array(17).fill(0), 9]),
  ];
  const records: Record_[] = frames.map((data, i) => ({ ts: ns(`1.${String(i).padStart(3, '0')}`), data }));
  return writePcap(records);
}

/** A DNS query (ID 0x80d1, www.a.com A) sent at 0, 2, 4 and 8 s, and once more from another port. */
function dnsCapture(): Uint8Array {
  const q = [0x80, 0xd1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x77, 0x77, 0x77, 1, 0x61, 3, 0x63, 0x6f, 0x6d, 0, 0, 1, 0, 1];
  const at = [['0', 5555], ['2', 5555], ['4', 5555], ['8', 5555], ['8.5', 6666]] as const;
  return writePcap(at.map(([t, port]) => ({ ts: ns(t), data: eth(ipv4Packet('10.0.0.1', '10.0.0.53', 17, udp(port, 53, q))) })));
}

/**
 * Port 80: three segments of an HTTP header block that never ends (held for reassembly), three
 * duplicate ACKs, then the second segment sent again (a fast retransmission, frame 10) and, after
 * an ACK of everything, the third again (a spurious retransmission, frame 12).
 */
function overlapCapture(): Uint8Array {
  const r: Record_[] = [];
  const c = new Conn(r, { sport: 80 });
  const seg = (k: number) => new TextEncoder().encode(`X-H${k}: ${'v'.repeat(92)}\r\n`);
  const first = new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: a${' '.repeat(75)}\r\n`);
  c.c('0.000', 'S', 0, 0, 64240).s('0.001', 'SA', 0, 1, 65160).c('0.002', 'A', 1, 1, 64240);
  c.c('0.003', 'PA', 1, 1, 64240, 0, { payload: first }).c('0.004', 'PA', 101, 1, 64240, 0, { payload: seg(1) }).c('0.005', 'PA', 201, 1, 64240, 0, { payload: seg(2) });
  c.s('0.006', 'A', 1, 101, 65160);
  c.s('0.007', 'A', 1, 101, 65160);
  c.s('0.008', 'A', 1, 101, 65160);
  c.c('0.009', 'PA', 101, 1, 64240, 0, { payload: seg(1) });
  c.s('0.010', 'A', 1, 301, 65160);
  c.c('0.011', 'PA', 201, 1, 64240, 0, { payload: seg(2) });
  return writePcap(r);
}

/** An HTTP GET answered with a JPEG whose first segment is an Exif APP1 (no JFIF APP0). */
function jpegCapture(): Uint8Array {
  const r: Record_[] = [];
  const c = new Conn(r, { sport: 80 });
  const enc = (t: string) => new TextEncoder().encode(t);
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, 0, 22, 0x45, 0x78, 0x69, 0x66, 0, 0, 0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xd9]);
  const req = enc('GET /a.jpg HTTP/1.1\r\nHost: a\r\n\r\n');
  const head = enc(`HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
  const resp = concat([head, jpeg]);
  c.c('0.000', 'S', 0, 0, 64240).s('0.001', 'SA', 0, 1, 65160).c('0.002', 'A', 1, 1, 64240);
  c.c('0.003', 'PA', 1, 1, 64240, 0, { payload: req }).s('0.004', 'PA', 1, 1 + req.length, 65160, 0, { payload: resp });
  return writePcap(r);
}

async function loaded(): Promise<CaptureSession> {
  const s = new CaptureSession(new MemorySource(capture()));
  await s.load();
  return s;
}

describe('expert items around TCP', () => {
  it('-z expert counts them as tshark does', async () => {
    const s = await loaded();
    const text = formatExpertSummary((await tallyExperts(s, { tree: false }))!);
    const line = (n: number, group: string, proto: string, summary: string) => `${String(n).padStart(12)} ${group.padStart(10)} ${proto.padStart(18)}  ${summary}\n`;
    expect(text).toContain('\nErrors (1)\n');
    expect(text).toContain(line(1, 'Malformed', 'ICMP', 'Malformed Packet (Exception occurred)'));
    expect(text).toContain(line(1, 'Sequence', 'ICMP', 'No response seen to ICMP request'));
    expect(text).toContain(line(1, 'Sequence', 'IPv4', '"Time To Live" only 2'));
    expect(text).not.toContain('only 1'); // the quoted packet's TTL is shown, not counted
    expect(text).toContain(line(2, 'Protocol', 'Ethertype', "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros."));
    expect(text).toContain(line(1, 'Sequence', 'UDP', 'Possible traceroute: hop #1, attempt #2'));
    // Without -2 (one pass) nothing is known yet of a reply to come.
    const onePass = formatExpertSummary((await tallyExperts(s, { tree: false, twoPass: false }))!);
    expect(onePass).not.toContain('No response seen');
    expect(onePass).toContain('Possible traceroute');
    if (haveTshark()) {
      const dir = join(REPO, '.test-out');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'expert-net.pcap');
      writeFileSync(file, capture());
      expect(text).toBe(execFileSync(TSHARK, ['-2', '-n', '-r', file, '-q', '-z', 'expert'], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] }));
    }
  });

  it('a DNS query sent again within 5 s is a retransmission of the original', async () => {
    const s = new CaptureSession(new MemorySource(dnsCapture()));
    await s.load();
    const text = formatExpertSummary((await tallyExperts(s))!);
    expect(text).toContain('\nWarns (2)\n');
    expect(text).toContain(`${'2'.padStart(12)}   Protocol                DNS  DNS query retransmission. Original request in frame 1\n`);
    const d = (await readDetail(s, 3))!;
    expect(treeExperts(d.tree).pre).toEqual([]); // the DNS subtree's item comes with the application's
    const dns = d.tree.find((n) => n.label.startsWith('Domain Name System'))!;
    expect(dns.children!.map((k) => k.label)).toContain('[Retransmitted request. Original request in: 1]');
    expect(expertGroups(s).find((g) => g.protocol === 'DNS')!.frames).toEqual([2, 3]);
    if (haveTshark()) {
      const file = join(REPO, '.test-out', 'expert-net-dns.pcap');
      mkdirSync(join(REPO, '.test-out'), { recursive: true });
      writeFileSync(file, dnsCapture());
      expect(text).toBe(execFileSync(TSHARK, ['-2', '-n', '-r', file, '-q', '-z', 'expert'], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] }));
    }
  });

  it('bytes after a DNS message\'s last record are "Extraneous data"', async () => {
    const q = [0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1, 0x4d, 0x53];
    const bytes = writePcap([{ ts: ns('1'), data: eth(ipv4Packet('10.0.0.1', '10.0.0.53', 17, udp(5555, 53, q))) }]);
    const s = new CaptureSession(new MemorySource(bytes));
    await s.load();
    const text = formatExpertSummary((await tallyExperts(s))!);
    expect(text).toContain(`${'1'.padStart(12)}  Undecoded                DNS  Extraneous data\n`);
    const dns = (await readDetail(s, 1))!.tree.find((n) => n.label.startsWith('Domain Name System'))!;
    expect(dns.children!.at(-1)!.label).toBe('Extraneous Data (2 bytes)');
    if (haveTshark()) {
      const file = join(REPO, '.test-out', 'expert-net-dns-extra.pcap');
      mkdirSync(join(REPO, '.test-out'), { recursive: true });
      writeFileSync(file, bytes);
      expect(text).toBe(execFileSync(TSHARK, ['-2', '-n', '-r', file, '-q', '-z', 'expert'], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] }));
    }
  });

  it('a fast retransmission into a PDU held for reassembly is a reassembly error', async () => {
    const bytes = overlapCapture();
    const s = new CaptureSession(new MemorySource(bytes));
    await s.load();
    const text = formatExpertSummary((await tallyExperts(s))!);
    expect(text).toContain(`\nErrors (1)\n=============\n   Frequency      Group           Protocol  Summary\n${'1'.padStart(12)}  Malformed                TCP  New fragment overlaps old data (retransmission?)\n`);
    const d = (await readDetail(s, 10))!;
    expect(d.tree.at(-1)!.label).toBe('[Reassembly error, protocol TCP: New fragment overlaps old data (retransmission?)]');
    expect(expertGroups(s).find((g) => g.severity === 'error')!.frames).toEqual([10]);
    const info = compileFilter('_ws.col.Info contains "Len=100[Reassembly error, protocol TCP: New fragment overlaps old data (retransmission?)]"');
    expect(info.ok && [...(await filterFrames(s, info.filter, 1, s.frameCount))]).toEqual([10]);
    if (haveTshark()) {
      const file = join(REPO, '.test-out', 'expert-net-overlap.pcap');
      mkdirSync(join(REPO, '.test-out'), { recursive: true });
      writeFileSync(file, bytes);
      expect(text).toBe(execFileSync(TSHARK, ['-2', '-n', '-r', file, '-q', '-z', 'expert'], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] }));
    }
  });

  it('_ws.expert filters see the tree\'s items, the quoted packet\'s too', async () => {
    const s = await loaded();
    const frames = async (text: string) => {
      const r = compileFilter(text);
      if (!r.ok) throw new Error(r.error.message);
      return [...(await filterFrames(s, r.filter, 1, s.frameCount))];
    };
    expect(await frames('_ws.expert.severity == 0x600000')).toEqual([2]);
    expect(await frames('_ws.expert.group == 0x07000000')).toEqual([5]);
    // "Time To Live" only 1 of frame 5's quoted packet: shown (and filtered on), not counted by -z expert.
    expect(await frames('_ws.expert.message contains "only 1"')).toEqual([5]);
    expect(await frames('_ws.expert')).toEqual([1, 2, 5, 6, 7, 9]);
    expect(await frames('_ws.col.Info contains "in transit)[Malformed Packet]"')).toEqual([5]);
  });

  it('a JPEG body starting with Exif instead of JFIF gets the JFIF dissector\'s warning', async () => {
    const bytes = jpegCapture();
    const s = new CaptureSession(new MemorySource(bytes));
    await s.load();
    const text = formatExpertSummary((await tallyExperts(s))!);
    expect(text).toContain(`${'1'.padStart(12)}   Protocol  JFIF (JPEG) image  Initial App0 segment with "JFIF" Identifier not found\n`);
    if (haveTshark()) {
      const file = join(REPO, '.test-out', 'expert-net-jpeg.pcap');
      mkdirSync(join(REPO, '.test-out'), { recursive: true });
      writeFileSync(file, bytes);
      expect(text).toBe(execFileSync(TSHARK, ['-2', '-n', '-r', file, '-q', '-z', 'expert'], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] }));
    }
  });

  it('the detail pane shows the items the tally counts, and the panel groups them', async () => {
    const s = await loaded();
    const d = (await readDetail(s, 6))!;
    const items = treeExperts(d.tree);
    expect(items.pre).toEqual([]);
    expect(items.post.map((e) => `${e.protocol}: ${e.summary}`)).toEqual(["Ethertype: Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros."]);
    const q = treeExperts((await readDetail(s, 5))!.tree);
    expect(q.pre.map((e) => e.summary)).toEqual(['Malformed Packet (Exception occurred)']);
    await tallyExperts(s);
    const groups = expertGroups(s);
    const trailer = groups.find((g) => g.protocol === 'Ethertype')!;
    expect(trailer.frames).toEqual([6, 9]);
    expect(groups.find((g) => g.protocol === 'UDP')!.frames).toEqual([1]);
  });
});
