/**
 * TCP analysis through the whole engine (CaptureSession → TcpAnalyzer → field projection),
 * on the reference scenarios of the spec's Appendix A, rebuilt by the test pcap writer.
 * Expected values are tshark 4.0.17's (`tshark -2`), as tabulated in the spec.
 */
import { describe, expect, it } from 'vitest';
import { analyseRecords, col, flagMap, sparse, type Row } from '../../../test/harness';
import * as S from '../../../test/scenarios';
import { LINK, Conn, type Record_ } from '../../../test/capture/build';

const all = (n: number, v: string) => Array.from({ length: n }, () => v);
const rows = async (recs: Record_[]) => (await analyseRecords(recs)).rows;

describe('A: clean connection with options', () => {
  it('relative numbers, window scaling, acks, RTTs, bytes in flight', async () => {
    const r = await rows(S.scenarioA());
    expect(col(r, 'tcp.stream')).toEqual(all(10, '0'));
    expect(col(r, 'tcp.seq')).toEqual(['0', '0', '1', '1', '1', '1', '101', '101', '51', '102']);
    // The SYN has no ACK flag: tcp.ack shows the raw field (0).
    expect(col(r, 'tcp.ack')).toEqual(['0', '1', '1', '1', '101', '101', '51', '51', '102', '52']);
    expect(col(r, 'tcp.nxtseq')).toEqual(['1', '1', '1', '101', '1', '51', '101', '102', '52', '102']);
    expect(col(r, 'tcp.len')).toEqual(['0', '0', '0', '100', '0', '50', '0', '0', '0', '0']);
    expect(col(r, 'tcp.window_size')).toEqual(['64240', '65160', '64256', '64256', '65152', '65152', '64256', '64256', '65152', '64256']);
    expect(col(r, 'tcp.window_size_scalefactor')).toEqual(['', '', ...all(8, '128')]);
    expect(sparse(r, 'tcp.analysis.acks_frame')).toEqual({ 2: '1', 3: '2', 5: '4', 7: '6', 9: '8', 10: '9' });
    expect(sparse(r, 'tcp.analysis.ack_rtt')).toEqual({ 2: '0.005000000', 3: '0.005000000', 5: '0.005000000', 7: '0.005000000', 9: '0.005000000', 10: '0.005000000' });
    // iRTT only on frames that have an analysis record (not the first SYN, not the bare FIN).
    const irtt = '0.010000000';
    expect(sparse(r, 'tcp.analysis.initial_rtt')).toEqual({ 2: irtt, 3: irtt, 4: irtt, 5: irtt, 6: irtt, 7: irtt, 9: irtt, 10: irtt });
    expect(sparse(r, 'tcp.analysis')).toEqual({ 2: '1', 3: '1', 4: '1', 5: '1', 6: '1', 7: '1', 9: '1', 10: '1' });
    expect(sparse(r, 'tcp.analysis.bytes_in_flight')).toEqual({ 4: '100', 6: '50' });
    expect(sparse(r, 'tcp.analysis.push_bytes_sent')).toEqual({ 4: '100', 6: '50' });
    expect(flagMap(r)).toEqual({});
    expect(sparse(r, 'tcp.analysis.flags')).toEqual({});
  });

  it('conversation timestamps', async () => {
    const r = await rows(S.scenarioA());
    expect(col(r, 'tcp.time_relative')).toEqual(
      ['0.000', '0.005', '0.010', '0.011', '0.016', '0.017', '0.022', '0.030', '0.035', '0.040'].map((t) => t + '000000'),
    );
    expect(col(r, 'tcp.time_delta')).toEqual(
      ['0.000', '0.005', '0.005', '0.001', '0.005', '0.001', '0.005', '0.008', '0.005', '0.005'].map((t) => t + '000000'),
    );
  });

  it('timestamps are per conversation when streams interleave', async () => {
    const recs: Record_[] = [];
    const a = new Conn(recs, { cport: 40001 });
    const b = new Conn(recs, { cport: 40002 });
    a.c('0.100', 'S', 0, 0, 1000);
    b.c('0.250', 'S', 0, 0, 1000);
    a.s('0.300', 'SA', 0, 1, 1000);
    b.s('0.700', 'SA', 0, 1, 1000);
    a.c('1.000000001', 'A', 1, 1, 1000);
    const r = await rows(recs);
    expect(col(r, 'tcp.stream')).toEqual(['0', '1', '0', '1', '0']);
    expect(col(r, 'tcp.time_relative')).toEqual(['0.000000000', '0.000000000', '0.200000000', '0.450000000', '0.900000001']);
    expect(col(r, 'tcp.time_delta')).toEqual(['0.000000000', '0.000000000', '0.200000000', '0.450000000', '0.700000001']);
    // iRTT from each conversation's own SYN to its first non-SYN ACK.
    expect(sparse(r, 'tcp.analysis.initial_rtt')).toEqual({ 3: '0.900000001', 5: '0.900000001' });
  });
});

describe('B: retransmission family, duplicate ACKs, lost / ACKed-unseen segments', () => {
  let r: Row[];
  it('flags', async () => {
    r = await rows(S.scenarioB());
    expect(flagMap(r)).toEqual({
      8: 'dup',
      9: 'dup',
      10: 'fast retrans',
      12: 'retrans spurious',
      13: 'lost',
      14: 'ooo',
      15: 'retrans',
      16: 'ackLost',
    });
    expect(sparse(r, 'tcp.analysis.flags')).toEqual({ 8: '1', 9: '1', 10: '1', 12: '1', 13: '1', 14: '1', 15: '1', 16: '1' });
  });
  it('duplicate ACK number and frame', () => {
    expect(sparse(r, 'tcp.analysis.duplicate_ack_num')).toEqual({ 8: '1', 9: '2' });
    expect(sparse(r, 'tcp.analysis.duplicate_ack_frame')).toEqual({ 8: '7', 9: '7' });
  });
  it('RTO from the oldest un-ACKed segment', () => {
    expect(sparse(r, 'tcp.analysis.rto')).toEqual({ 15: '0.500000000' });
    expect(sparse(r, 'tcp.analysis.rto_frame')).toEqual({ 15: '12' });
  });
  it('acks, bytes in flight, push bytes', () => {
    expect(sparse(r, 'tcp.analysis.acks_frame')).toEqual({ 2: '1', 3: '2', 7: '4', 11: '6' });
    expect(sparse(r, 'tcp.analysis.bytes_in_flight')).toEqual({ 4: '100', 5: '200', 6: '300', 10: '200', 12: '100' });
    expect(sparse(r, 'tcp.analysis.push_bytes_sent')).toEqual({ 4: '100', 5: '100', 6: '100', 10: '100', 12: '100' });
    expect(col(r, 'tcp.window_size_scalefactor')).toEqual(['', '', ...all(14, '-2')]);
  });
  it('gives the same results over IPv6 and over other link types', async () => {
    const base = await rows(S.scenarioB());
    const v6 = await rows(S.scenarioB({ client: '2001:db8::1', server: '2001:db8::2' }));
    expect(v6).toEqual(base);
    for (const link of [LINK.LINUX_SLL, LINK.LINUX_SLL2, LINK.RAW, LINK.NULL]) {
      const { rows: other } = await analyseRecords(S.scenarioB({}, link), undefined, { nsec: true, linkType: link });
      expect(other).toEqual(base);
    }
    const { rows: v6raw } = await analyseRecords(S.scenarioB({ client: 'fe80::1', server: 'fe80::2' }, LINK.IPV6), undefined, { nsec: true, linkType: LINK.IPV6 });
    expect(v6raw).toEqual(base);
  });
});

describe('C: zero window, probes, window update / full, keep-alive', () => {
  it('flags and bytes in flight', async () => {
    const r = await rows(S.scenarioC());
    expect(flagMap(r)).toEqual({
      5: 'zw',
      6: 'zwp',
      7: 'zw zwpAck',
      8: 'winUpd',
      10: 'winFull',
      12: 'ka',
      13: 'kaAck',
      14: 'ka',
      15: 'kaAck',
      16: 'kaAck',
      17: 'winUpd',
    });
    expect(sparse(r, 'tcp.analysis.bytes_in_flight')).toEqual({ 4: '100', 6: '1', 9: '100', 10: '1000', 14: '1' });
    expect(col(r, 'tcp.len')).toEqual(['0', '0', '0', '100', '0', '1', '0', '0', '100', '900', '0', '0', '0', '1', '0', '0', '0']);
    expect(col(r, 'tcp.window_size')).toEqual(
      ['64240', '65160', '64240', '64240', '0', '64240', '0', '1000', '64240', '64240', '1000', '64240', '1000', '64240', '1000', '1000', '2000'],
    );
    expect(col(r, 'tcp.seq')).toEqual(['0', '0', '1', '1', '1', '101', '1', '1', '101', '201', '1', '1100', '1', '1100', '1', '1', '1']);
  });
});

describe('D: window-scale bookkeeping', () => {
  it('calculated window and scale factor (-1 unknown, -2 none, shift, clamp at 14)', async () => {
    const r = await rows(S.scenarioD());
    expect(col(r, 'tcp.stream')).toEqual(['0', '0', '0', '0', '1', '1', '1', '1', '2', '2', '3', '3', '3', '4', '4', '4', '4']);
    expect(col(r, 'tcp.window_size')).toEqual(
      ['1000', '2000', '100', '200', '1000', '2000', '100', '200', '100', '200', '2000', '100', '51200', '1000', '2000', '1638400', '800'],
    );
    expect(col(r, 'tcp.window_size_scalefactor')).toEqual(['', '', '-2', '-2', '', '', '-2', '-2', '-1', '-1', '', '-1', '256', '', '', '16384', '4']);
    expect(flagMap(r)).toEqual({ 4: 'winUpd', 8: 'winUpd', 13: 'winUpd', 17: 'winUpd' });
  });
});

describe('E: stream identification and port reuse', () => {
  let r: Row[];
  it('stream numbers', async () => {
    r = await rows(S.scenarioE());
    expect(col(r, 'tcp.stream')).toEqual([...all(8, '0'), ...all(4, '1'), ...all(7, '2'), ...all(8, '3'), ...all(4, '4')]);
  });
  it('flags, including the two-pass re-flagging of an earlier SYN/ACK', () => {
    expect(flagMap(r)).toEqual({ 9: 'reused', 17: 'retrans', 18: 'retrans', 21: 'reused', 25: 'ackLost lost reused', 26: 'ackLost lost', 29: 'retrans' });
  });
  it('RTO of retransmitted SYNs and SYN/ACKs', () => {
    expect(sparse(r, 'tcp.analysis.rto')).toEqual({ 17: '0.500000000', 18: '0.505000000', 29: '1.000000000' });
    expect(sparse(r, 'tcp.analysis.rto_frame')).toEqual({ 17: '13', 18: '14', 29: '28' });
  });
  it('relative numbers follow the base overrides', () => {
    expect(col(r, 'tcp.seq').slice(19)).toEqual(['0', '0', '1', '1', '1', '0', '2001', '2001', '0', '0', '0', '1']);
    expect(col(r, 'tcp.ack').slice(20, 27)).toEqual(['1', '1', '1', '11', '2001', '1', '1']);
    expect(col(r, 'tcp.time_relative').slice(8, 12)).toEqual(['0.000000000', '0.005000000', '0.010000000', '0.020000000']);
  });
});

describe('F: 4.0 ACKed-unseen suppression', () => {
  it('suppresses repeated ACKed-unseen flags and fakes a fast retransmission', async () => {
    const r = await rows(S.scenarioF());
    expect(flagMap(r)).toEqual({ 5: 'ackLost', 6: 'dup', 8: 'retrans spurious', 10: 'retrans spurious', 12: 'fast retrans' });
    expect(sparse(r, 'tcp.analysis.duplicate_ack_num')).toEqual({ 6: '1' });
    expect(sparse(r, 'tcp.analysis.duplicate_ack_frame')).toEqual({ 6: '5' });
    // Step 11 always creates a record, even when the flag is suppressed.
    expect(r[6]['tcp.analysis']).toBe('1');
    expect(r[8]['tcp.analysis']).toBe('1');
  });
});

describe('G: out-of-order thresholds and precedence', () => {
  let r: Row[];
  it('flags', async () => {
    r = await rows(S.scenarioG());
    expect(flagMap(r)).toEqual({
      2: 'lost',
      3: 'ooo',
      4: 'retrans',
      6: 'ooo',
      12: 'lost',
      13: 'ooo',
      15: 'dup',
      16: 'dup',
      17: 'retrans',
      19: 'retrans',
      26: 'dup',
      27: 'dup',
      28: 'fast retrans',
      31: 'dup',
      32: 'dup',
      33: 'ooo',
    });
    expect(sparse(r, 'tcp.analysis.duplicate_ack_num')).toEqual({ 15: '1', 16: '2', 26: '1', 27: '2', 31: '3', 32: '4' });
    expect(sparse(r, 'tcp.analysis.duplicate_ack_frame')).toEqual({ 15: '14', 16: '14', 26: '25', 27: '25', 31: '25', 32: '25' });
  });
  it('RTO and iRTT', () => {
    expect(sparse(r, 'tcp.analysis.rto')).toEqual({ 4: '0.010000000', 17: '0.054000000', 19: '0.259000000' });
    expect(sparse(r, 'tcp.analysis.rto_frame')).toEqual({ 4: '1', 17: '12', 19: '12' });
    const irtt = sparse(r, 'tcp.analysis.initial_rtt');
    const want: Record<number, string> = {};
    for (let n = 9; n <= 19; n++) if (n !== 18) want[n] = '0.030000000';
    for (let n = 21; n <= 33; n++) want[n] = '0.010000000';
    expect(irtt).toEqual(want);
  });
});

describe('H: bytes in flight, push bytes, SACK', () => {
  it('counts the span minus SACKed blocks; push bytes since the last PSH', async () => {
    const r = await rows(S.scenarioH());
    expect(sparse(r, 'tcp.analysis.bytes_in_flight')).toEqual({ 4: '100', 5: '200', 6: '300', 7: '400', 8: '500', 10: '300', 12: '550' });
    expect(sparse(r, 'tcp.analysis.push_bytes_sent')).toEqual({ 4: '100', 5: '100', 6: '200', 7: '300', 8: '100', 10: '100', 12: '50' });
    expect(sparse(r, 'tcp.analysis.acks_frame')).toEqual({ 2: '1', 3: '2', 9: '4', 13: '12' });
    expect(sparse(r, 'tcp.analysis.ack_rtt')).toEqual({ 2: '0.005000000', 3: '0.005000000', 9: '0.009000000', 13: '0.007000000' });
    expect(flagMap(r)).toEqual({ 10: 'winFull', 11: 'dup' });
    expect(sparse(r, 'tcp.analysis.duplicate_ack_frame')).toEqual({ 11: '9' });
    expect(col(r, 'tcp.nxtseq')[11]).toBe('652');
  });
});

describe('I: ACK matching, partial ACK, RTO reference, TCP Fast Open', () => {
  it('acks the oldest exact match; a partial ACK gives no record', async () => {
    const r = await rows(S.scenarioI());
    expect(col(r, 'tcp.stream')).toEqual([...all(12, '0'), '1', '1', '1', '2', '2', '2', '3']);
    expect(col(r, 'tcp.nxtseq')).toEqual(['1', '1', '1', '101', '201', '301', '1', '1', '101', '401', '401', '1', '21', '1', '21', '21', '1', '1', '1']);
    expect(sparse(r, 'tcp.analysis.acks_frame')).toEqual({ 2: '1', 3: '2', 7: '5', 12: '10', 14: '13', 15: '14', 18: '17' });
    expect(sparse(r, 'tcp.analysis.ack_rtt')).toEqual({
      2: '0.005000000',
      3: '0.005000000',
      7: '0.008000000',
      12: '0.309000000',
      14: '0.010000000',
      15: '0.010000000',
      18: '0.010000000',
    });
    expect(r[7]['tcp.analysis']).toBe('');
    expect(sparse(r, 'tcp.analysis.bytes_in_flight')).toEqual({ 4: '100', 5: '200', 6: '300', 9: '300', 10: '400', 11: '400', 13: '20', 16: '20' });
    expect(flagMap(r)).toEqual({ 9: 'retrans spurious', 11: 'retrans' });
    expect(sparse(r, 'tcp.analysis.rto_frame')).toEqual({ 11: '6' });
    expect(sparse(r, 'tcp.analysis.rto')).toEqual({ 11: '0.387000000' });
  });
});

describe('J: zero-window probe whose byte is accepted', () => {
  it('4.0 never learns the probe byte was accepted', async () => {
    const r = await rows(S.scenarioJ());
    expect(flagMap(r)).toEqual({
      5: 'zw',
      6: 'zwp',
      7: 'ackLost zw',
      8: 'retrans spurious zwp',
      9: 'winUpd',
      10: 'lost',
      15: 'zw',
      16: 'zwp',
      17: 'ackLost',
      18: 'lost',
    });
  });
});

describe('K: two-pass artefacts of the SYN/ACK base override', () => {
  it('relative numbers from the final base, final window scale', async () => {
    const r = await rows(S.scenarioK());
    expect(col(r, 'tcp.seq')).toEqual(['4294963297', '1', '0', '2001', '1', '0', '1', '0', '1']);
    expect(col(r, 'tcp.ack')).toEqual(['1', '4294963307', '2001', '1', '2001', '0', '0', '1', '1']);
    expect(col(r, 'tcp.window_size')).toEqual(['500', '500', '500', '500', '500', '1000', '100', '1000', '100']);
    expect(col(r, 'tcp.window_size_scalefactor')).toEqual(['-2', '-2', '', '-2', '-2', '', '-2', '', '-2']);
    expect(flagMap(r)).toEqual({ 3: 'ackLost lost reused', 4: 'ackLost lost', 5: 'ackLost', 8: 'reused' });
  });
});

describe('L: duplicate-ACK counting across a data segment', () => {
  it('keeps counting across own data; one dup ACK is not enough for a fast retransmission', async () => {
    const r = await rows(S.scenarioL());
    expect(flagMap(r)).toEqual({ 7: 'dup', 9: 'dup', 10: 'fast retrans', 17: 'dup', 18: 'retrans' });
    expect(sparse(r, 'tcp.analysis.duplicate_ack_num')).toEqual({ 7: '1', 9: '2', 17: '1' });
    expect(sparse(r, 'tcp.analysis.duplicate_ack_frame')).toEqual({ 7: '6', 9: '6', 17: '16' });
  });
});

describe('M: late packet of an old connection after a port-reusing SYN', () => {
  it('belongs to the new stream', async () => {
    const r = await rows(S.scenarioM());
    expect(col(r, 'tcp.stream')).toEqual(['0', '0', '0', '0', '1', '1', '1', '1']);
    expect(col(r, 'tcp.seq').slice(4)).toEqual(['0', '4294965297', '0', '1']);
    expect(col(r, 'tcp.ack').slice(4)).toEqual(['0', '4294959307', '1', '1']);
    expect(flagMap(r)).toEqual({ 5: 'reused', 7: 'lost reused', 8: 'ackLost' });
  });
});

describe('R1: retransmitted SYN and window full', () => {
  it('RTO from the first SYN, iRTT from the retransmitted one, window full unscaled then scaled', async () => {
    const r = await rows(S.scenarioR1());
    expect(flagMap(r)).toEqual({ 2: 'retrans', 5: 'winFull', 7: 'winFull' });
    expect(sparse(r, 'tcp.analysis.rto')).toEqual({ 2: '0.500000000' });
    expect(sparse(r, 'tcp.analysis.rto_frame')).toEqual({ 2: '1' });
    // the SYN/ACK acknowledges the oldest of the two SYNs
    expect(sparse(r, 'tcp.analysis.acks_frame')).toEqual({ 3: '1', 4: '3', 6: '5' });
    expect(sparse(r, 'tcp.analysis.initial_rtt')).toEqual({ 2: '0.010000000', 3: '0.010000000', 4: '0.010000000', 5: '0.010000000', 6: '0.010000000', 7: '0.010000000' });
    expect(col(r, 'tcp.window_size')).toEqual(['64240', '64240', '1000', '64256', '64256', '1280', '64256', '100', '100']);
    // mid-stream: the peer's scale is unknown, so filling its window exactly is not flagged
    expect(col(r, 'tcp.window_size_scalefactor').slice(7)).toEqual(['-1', '-1']);
  });
});

describe('R2: window exceeded, keep-alive below lastAck, old pure ACK', () => {
  it('flags only the keep-alive', async () => {
    const r = await rows(S.scenarioR2());
    expect(flagMap(r)).toEqual({ 7: 'ka' });
    expect(sparse(r, 'tcp.analysis.bytes_in_flight')).toEqual({ 4: '400', 5: '500', 7: '1' });
  });
});

describe('completeness of a conversation first seen mid-stream (tshark -2)', () => {
  // 4.0 counts nothing for a conversation's first packet; tshark -2's second pass runs the update
  // again, so the first frame shows the first pass's final value and every later frame adds the
  // first packet's bits (as tshark prints ppa3's sessionhijacking and tcp_zerowindowdead).
  it('a FIN/ACK first: 4 on it, 20 after', async () => {
    const r: Record_[] = [];
    new Conn(r).c('0.000', 'FA', 1, 1, 502).s('0.010', 'A', 1, 2, 509);
    const conv = (await analyseRecords(r)).session.analyzer.conversations[0];
    expect([1, 2].map((n) => conv.completenessAt(n))).toEqual([4, 20]);
  });
  it('data first: 4 on it, 12 after', async () => {
    const r: Record_[] = [];
    new Conn(r).s('0.000', 'PA', 1, 1, 108, 100).c('0.010', 'A', 1, 101, 0).s('0.020', 'A', 100, 1, 108);
    const conv = (await analyseRecords(r)).session.analyzer.conversations[0];
    expect([1, 2, 3].map((n) => conv.completenessAt(n))).toEqual([4, 12, 12]);
  });
});
