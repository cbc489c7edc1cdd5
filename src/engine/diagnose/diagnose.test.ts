/**
 * The diagnoses, kind by kind, on captures written packet by packet (test/capture/build.ts):
 * each case, and the near misses that must not be reported (a TTL one hop off, port reuse at
 * exactly the quick-reuse threshold, a genuine keep-alive with a higher IP ID, …).
 */
import { describe, expect, it } from 'vitest';
import { CaptureSession, MemorySource } from '../index';
import type { Diagnosis } from '../model/types';
import { Conn, writePcap, type Record_ } from '../../../test/capture/build';
import { QUICK_REUSE_S } from './thresholds';

async function diagnoseRecords(recs: Record_[]): Promise<Diagnosis[]> {
  const sorted = [...recs].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  const s = new CaptureSession(new MemorySource(writePcap(sorted), 'test.pcap'));
  const res = await s.load();
  expect(res.error).toBeUndefined();
  return s.diagnoses();
}

const kinds = (d: Diagnosis[]) => d.map((x) => `${x.stream}:${x.kind}`);

/** Handshake (client SYN at 0), 100 bytes each way. Returns the Conn for more packets. */
function established(recs: Record_[], o: { sttl?: number; cttl?: number; cport?: number; cisn?: number } = {}): Conn {
  const c = new Conn(recs, { client: '192.0.2.10', server: '198.51.100.20', cport: o.cport ?? 50000, sport: 443, cisn: o.cisn ?? 1000 });
  const ct = { ttl: o.cttl ?? 64 };
  const st = { ttl: o.sttl ?? 119 };
  c.c('0.000', 'S', 0, 0, 64240, 0, ct);
  c.s('0.010', 'SA', 0, 1, 65160, 0, st);
  c.c('0.020', 'A', 1, 1, 502, 0, ct);
  c.c('0.021', 'PA', 1, 1, 502, 100, ct);
  c.s('0.031', 'A', 1, 101, 509, 0, st);
  c.s('0.032', 'PA', 1, 101, 509, 100, st);
  c.c('0.042', 'A', 101, 101, 502, 0, ct);
  return c;
}

/** FIN both ways after `established`, starting at `t` seconds. */
function closeBoth(c: Conn, t: number, o: { sttl?: number; cttl?: number } = {}): void {
  c.c((t).toFixed(3), 'FA', 101, 101, 502, 0, { ttl: o.cttl ?? 64 });
  c.s((t + 0.01).toFixed(3), 'FA', 101, 102, 509, 0, { ttl: o.sttl ?? 119 });
  c.c((t + 0.02).toFixed(3), 'A', 102, 102, 502, 0, { ttl: o.cttl ?? 64 });
}

describe('clean connections get no item', () => {
  it('handshake, data, FIN both ways', async () => {
    const recs: Record_[] = [];
    closeBoth(established(recs), 0.1);
    expect(await diagnoseRecords(recs)).toEqual([]);
  });

  it('a capture that starts after the SYN and ends before the FIN', async () => {
    const recs: Record_[] = [];
    const c = new Conn(recs, { client: '192.0.2.10', server: '198.51.100.20' });
    c.c('0.000', 'PA', 1, 1, 502, 100);
    c.s('0.010', 'A', 1, 101, 509);
    c.s('0.011', 'PA', 1, 101, 509, 200);
    c.c('0.020', 'A', 101, 201, 502);
    expect(await diagnoseRecords(recs)).toEqual([]);
  });

  it("a one-sided capture (only the client's packets)", async () => {
    const recs: Record_[] = [];
    const c = new Conn(recs, { client: '192.0.2.10', server: '198.51.100.20' });
    c.c('0.000', 'S', 0, 0, 64240);
    c.c('0.020', 'A', 1, 1, 502);
    c.c('0.021', 'PA', 1, 1, 502, 100);
    c.c('0.050', 'A', 101, 201, 502);
    c.c('0.100', 'FA', 101, 201, 502);
    expect(await diagnoseRecords(recs)).toEqual([]);
  });
});

describe('connection-refused', () => {
  it('a SYN answered by RST/ACK', async () => {
    const recs: Record_[] = [];
    const c = new Conn(recs, { client: '192.0.2.10', server: '198.51.100.20', sport: 9999 });
    c.c('0.000', 'S', 0, 0, 64240);
    c.s('0.001', 'RA', 0, 1, 0, 0, { rawSeq: 0 });
    const d = await diagnoseRecords(recs);
    expect(kinds(d)).toEqual(['0:connection-refused']);
    expect(d[0].frames).toEqual([1, 2]);
    expect(d[0].endpoints).toEqual(['192.0.2.10:50000', '198.51.100.20:9999']);
    expect(d[0].summary).toContain('port 9999');
  });
});

describe('reset-by-middlebox', () => {
  it('a RST with TTL 64 from a server whose packets arrive with 119', async () => {
    const recs: Record_[] = [];
    const c = established(recs, { sttl: 119 });
    c.s('0.100', 'R', 101, 0, 0, 0, { ttl: 64 });
    const d = await diagnoseRecords(recs);
    expect(kinds(d)).toEqual(['0:reset-by-middlebox', '0:reset-during-transfer']);
    const m = d[0];
    expect(m.frames).toContain(8);
    expect(m.frames).toContain(2); // the server's SYN/ACK carries its usual TTL
    expect(m.facts.find((f) => f.name === 'rstTtl')?.value).toBe(64);
    expect(m.facts.find((f) => f.name === 'usualTtl')?.value).toBe(119);
    expect(m.severity).toBe('error');
  });

  it('near miss: a RST one hop off the usual TTL is the host itself', async () => {
    const recs: Record_[] = [];
    const c = established(recs, { sttl: 119 });
    c.s('0.100', 'R', 101, 0, 0, 0, { ttl: 118 });
    expect(kinds(await diagnoseRecords(recs))).toEqual(['0:reset-during-transfer']);
  });

  it('the usual TTL comes from other connections when the RST is all the address sent in this one', async () => {
    const recs: Record_[] = [];
    closeBoth(established(recs, { sttl: 127 }), 0.1, { sttl: 127 });
    const c = new Conn(recs, { client: '192.0.2.10', server: '198.51.100.20', cport: 50001, sport: 8443 });
    c.c('0.500', 'S', 0, 0, 64240);
    c.s('0.501', 'RA', 0, 1, 0, 0, { rawSeq: 0, ttl: 64 });
    const d = await diagnoseRecords(recs);
    expect(kinds(d)).toEqual(['1:reset-by-middlebox', '1:connection-refused']);
    expect(d[0].frames).toEqual([2, 12]);
  });
});

describe('no-response', () => {
  it('three SYNs, nothing back', async () => {
    const recs: Record_[] = [];
    const c = new Conn(recs, { client: '192.0.2.10', server: '198.51.100.20' });
    c.c('0.000', 'S', 0, 0, 64240);
    c.c('1.000', 'S', 0, 0, 64240);
    c.c('3.000', 'S', 0, 0, 64240);
    const d = await diagnoseRecords(recs);
    expect(kinds(d)).toEqual(['0:no-response']);
    expect(d[0].frames).toEqual([1, 2, 3]);
    expect(d[0].facts.find((f) => f.name === 'intervals')?.value).toEqual([1, 2]);
  });

  it('near misses: one SYN (the capture may just end), or the same SYN captured twice', async () => {
    const one: Record_[] = [];
    new Conn(one).c('0.000', 'S', 0, 0, 64240);
    expect(await diagnoseRecords(one)).toEqual([]);
    const twice: Record_[] = [];
    new Conn(twice).c('0.000', 'S', 0, 0, 64240).c('0.0001', 'S', 0, 0, 64240);
    expect(await diagnoseRecords(twice)).toEqual([]);
  });
});

describe('handshake-incomplete', () => {
  it('SYN/ACK resent, the client never ACKs', async () => {
    const recs: Record_[] = [];
    const c = new Conn(recs, { client: '192.0.2.10', server: '198.51.100.20' });
    c.c('0.000', 'S', 0, 0, 64240);
    c.s('0.001', 'SA', 0, 1, 65160);
    c.s('1.001', 'SA', 0, 1, 65160);
    c.s('3.001', 'SA', 0, 1, 65160);
    const d = await diagnoseRecords(recs);
    expect(kinds(d)).toEqual(['0:handshake-incomplete']);
    expect(d[0].frames).toEqual([1, 2, 3, 4]);
  });

  it('near miss: the SYN/ACK resent once, then the ACK arrives', async () => {
    const recs: Record_[] = [];
    const c = new Conn(recs, { client: '192.0.2.10', server: '198.51.100.20' });
    c.c('0.000', 'S', 0, 0, 64240);
    c.s('0.001', 'SA', 0, 1, 65160);
    c.s('1.001', 'SA', 0, 1, 65160);
    c.c('1.002', 'A', 1, 1, 502);
    expect(await diagnoseRecords(recs)).toEqual([]);
  });
});

describe('port-reuse', () => {
  async function reuseAfter(gap: number): Promise<Diagnosis[]> {
    const recs: Record_[] = [];
    closeBoth(established(recs), 0.1); // last frame at 0.12 s
    const c = new Conn(recs, { client: '192.0.2.10', server: '198.51.100.20', cport: 50000, sport: 443, cisn: 900000 });
    const t = 0.12 + gap;
    c.c(t.toFixed(3), 'S', 0, 0, 64240);
    c.s((t + 0.01).toFixed(3), 'SA', 0, 1, 65160);
    c.c((t + 0.02).toFixed(3), 'A', 1, 1, 502);
    return diagnoseRecords(recs);
  }

  it('quick reuse 0.3 s after the previous connection', async () => {
    const d = await reuseAfter(0.3);
    expect(kinds(d)).toEqual(['1:port-reuse']);
    expect(d[0].gap).toBeCloseTo(0.3, 6);
    expect(d[0].frames).toEqual([10, 11]);
    expect(d[0].severity).toBe('warn');
    expect(d[0].summary).toContain('quick');
  });

  it('at exactly the threshold the reuse is benign', async () => {
    const d = await reuseAfter(QUICK_REUSE_S);
    expect(kinds(d)).toEqual(['1:port-reuse']);
    expect(d[0].gap).toBeCloseTo(QUICK_REUSE_S, 6);
    expect(d[0].severity).toBe('note');
    expect(d[0].summary).toContain('benign');
  });

  it('just under the threshold it is quick', async () => {
    const d = await reuseAfter(QUICK_REUSE_S - 0.001);
    expect(d[0].severity).toBe('warn');
  });
});

describe('keepalive-is-reordering', () => {
  /** The server closes first; the client's last ACK (IP ID `ackId`) arrives after its FIN (IP ID 501). */
  async function lateAck(ackId: number): Promise<Diagnosis[]> {
    const recs: Record_[] = [];
    const c = established(recs, { sttl: 64 });
    c.s('0.100', 'FA', 101, 101, 509, 0, { ttl: 64, ipId: 9000 });
    c.c('0.110', 'FA', 101, 102, 502, 0, { ipId: 501 });
    c.s('0.111', 'A', 102, 102, 509, 0, { ttl: 64, ipId: 9001 });
    c.c('0.112', 'A', 101, 102, 502, 0, { ipId: ackId });
    return diagnoseRecords(recs);
  }

  it('a "keep-alive" with a lower IP ID than the FIN before it', async () => {
    const d = await lateAck(500);
    expect(kinds(d)).toEqual(['0:keepalive-is-reordering']);
    expect(d[0].frames).toEqual([9, 11]);
    expect(d[0].facts.find((f) => f.name === 'ipIds')?.value).toEqual([500, 501]);
  });

  it('IP IDs compare as serial numbers: 65535 comes before 0', async () => {
    const recs: Record_[] = [];
    const c = established(recs, { sttl: 64 });
    c.s('0.100', 'FA', 101, 101, 509, 0, { ttl: 64 });
    c.c('0.110', 'FA', 101, 102, 502, 0, { ipId: 0 });
    c.s('0.111', 'A', 102, 102, 509, 0, { ttl: 64 });
    c.c('0.112', 'A', 101, 102, 502, 0, { ipId: 65535 });
    expect(kinds(await diagnoseRecords(recs))).toEqual(['0:keepalive-is-reordering']);
  });

  it('near miss: a real keep-alive has a higher IP ID', async () => {
    expect(await diagnoseRecords((await lateAckRecords(502)))).toEqual([]);
  });

  async function lateAckRecords(ackId: number): Promise<Record_[]> {
    const recs: Record_[] = [];
    const c = established(recs, { sttl: 64 });
    c.c('0.100', 'A', 101, 101, 502, 0, { ipId: 501 }); // then idle, and a genuine keep-alive
    c.c('75.100', 'A', 100, 101, 502, 0, { ipId: ackId });
    c.s('75.110', 'A', 101, 101, 509, 0, { ttl: 64 });
    return recs;
  }
});

describe('zero-window-stall', () => {
  it('the receiver shuts its window while the sender has data; probes; window update', async () => {
    const recs: Record_[] = [];
    const c = new Conn(recs, { client: '192.0.2.10', server: '198.51.100.20' });
    c.c('0.000', 'S', 0, 0, 64240);
    c.s('0.001', 'SA', 0, 1, 2000);
    c.c('0.002', 'A', 1, 1, 502);
    c.c('0.003', 'A', 1, 1, 502, 1000);
    c.c('0.004', 'A', 1001, 1, 502, 1000); // fills the 2000-byte window: Window Full
    c.s('0.050', 'A', 1, 2001, 0); // 6: zero window
    c.c('0.300', 'A', 2000, 1, 502); // Linux probe (keep-alive-like)
    c.s('0.301', 'A', 1, 2001, 0);
    c.c('0.800', 'A', 2000, 1, 502);
    c.s('1.550', 'A', 1, 2001, 2000); // 10: window update
    c.c('1.551', 'A', 2001, 1, 502, 1000);
    const d = await diagnoseRecords(recs);
    expect(kinds(d)).toEqual(['0:zero-window-stall']);
    expect(d[0].frames).toEqual([6, 10]);
    expect(d[0].facts.find((f) => f.name === 'stall')?.value).toBeCloseTo(1.5, 6);
    expect(d[0].summary).toContain('198.51.100.20:33333');
  });

  it('near miss: a zero window when nothing waits (a TIME_WAIT answer)', async () => {
    const recs: Record_[] = [];
    const c = established(recs, { sttl: 64 });
    closeBoth(c, 0.1, { sttl: 64 });
    c.s('0.500', 'A', 102, 102, 0, 0, { ttl: 64 });
    c.c('0.900', 'A', 102, 102, 502);
    expect(await diagnoseRecords(recs)).toEqual([]);
  });
});

describe('rto-backoff', () => {
  function lossy(times: string[], answer: boolean): Record_[] {
    const recs: Record_[] = [];
    const c = established(recs, { sttl: 64 });
    c.c('0.100', 'PA', 101, 101, 502, 100);
    for (const t of times) c.c(t, 'PA', 101, 101, 502, 100);
    if (answer) c.s('9.000', 'A', 101, 201, 509, 0, { ttl: 64 });
    return recs;
  }

  it('one segment sent four times with doubling intervals, the peer gone', async () => {
    const d = await diagnoseRecords(lossy(['0.300', '0.700', '1.500'], false));
    expect(kinds(d)).toEqual(['0:rto-backoff']);
    expect(d[0].frames).toEqual([8, 9, 10, 11]);
    expect(d[0].facts.find((f) => f.name === 'intervals')?.value).toEqual([0.2, 0.4, 0.8]);
    expect(d[0].severity).toBe('error');
  });

  it('the path came back: a warning', async () => {
    const d = await diagnoseRecords(lossy(['0.300', '0.700', '1.500'], true));
    expect(kinds(d)).toEqual(['0:rto-backoff']);
    expect(d[0].severity).toBe('warn');
  });

  it('near miss: retransmissions at a steady interval are not a backoff', async () => {
    expect(await diagnoseRecords(lossy(['1.100', '2.100', '3.100'], true))).toEqual([]);
  });
});

describe('reset-during-transfer', () => {
  it('the server resets after data', async () => {
    const recs: Record_[] = [];
    const c = established(recs, { sttl: 64 });
    c.s('0.100', 'RA', 101, 101, 0, 0, { ttl: 64 });
    const d = await diagnoseRecords(recs);
    expect(kinds(d)).toEqual(['0:reset-during-transfer']);
    expect(d[0].frames).toEqual([8]);
    expect(d[0].facts.find((f) => f.name === 'resetBy')?.value).toBe('198.51.100.20:443');
  });

  it('a host giving up after unanswered keep-alives says so', async () => {
    const recs: Record_[] = [];
    const c = established(recs, { sttl: 64 });
    c.c('10.000', 'A', 100, 101, 502);
    c.c('11.000', 'A', 100, 101, 502);
    c.c('12.000', 'A', 100, 101, 502);
    c.c('13.000', 'RA', 101, 101, 502);
    const d = await diagnoseRecords(recs);
    expect(kinds(d)).toEqual(['0:reset-during-transfer']);
    expect(d[0].frames).toEqual([8, 9, 10, 11]);
    expect(d[0].facts.find((f) => f.name === 'unansweredKeepAlives')?.value).toBe(3);
    expect(d[0].summary).toContain('keep-alive probes went unanswered');
  });

  it('near miss: a RST after FIN both ways (a closed socket answering a late packet)', async () => {
    const recs: Record_[] = [];
    const c = established(recs, { sttl: 64 });
    closeBoth(c, 0.1, { sttl: 64 });
    c.c('0.200', 'R', 102, 0, 0);
    expect(await diagnoseRecords(recs)).toEqual([]);
  });
});

describe('a capture with several kinds (the Diagnoses panel e2e capture)', () => {
  it('gives each connection its items', async () => {
    const { diagnosesShowcase } = await import('../../../test/capture/diagnoses-showcase');
    const s = new CaptureSession(new MemorySource(diagnosesShowcase(), 'showcase.pcap'));
    await s.load();
    expect(kinds(s.diagnoses())).toEqual(['0:connection-refused', '1:reset-by-middlebox', '1:reset-during-transfer', '2:no-response', '3:rto-backoff']);
  });
});

describe('reset-by-middlebox: a TTL the application chose', () => {
  it('eBGP packets sent with TTL 1 and the kernel refusing with 64 is the host itself', async () => {
    const recs: Record_[] = [];
    closeBoth(established(recs, { sttl: 1 }), 0.1, { sttl: 1 });
    const c = new Conn(recs, { client: '192.0.2.10', server: '198.51.100.20', cport: 50001, sport: 179 });
    c.c('0.500', 'S', 0, 0, 64240);
    c.s('0.501', 'RA', 0, 1, 0, 0, { rawSeq: 0, ttl: 64 });
    expect(kinds(await diagnoseRecords(recs))).toEqual(['1:connection-refused']);
  });
});
