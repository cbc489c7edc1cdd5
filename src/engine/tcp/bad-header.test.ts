/**
 * TCP headers tshark gives up on, as it does (ndpi reasm_crash_anon.pcapng): a data offset below 5
 * (frame 95: ports, stream, relative seq, header length 0 and the IP layer's segment length, no
 * ack/flags/window/times, yet analysed — later frames' bytes in flight count it), and a header
 * longer than the segment (frame 87: seq/ack unrelativised). tshark 4.0.17 runs live.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { seqscope, tshark } from '../../../test/run-cli';

const FIELDS = ['frame.number', 'tcp.stream', 'tcp.srcport', 'tcp.flags', 'tcp.hdr_len', 'tcp.seq', 'tcp.seq_raw', 'tcp.ack', 'tcp.ack_raw', 'tcp.len', 'tcp.nxtseq',
  'tcp.window_size_value', 'tcp.window_size', 'tcp.window_size_scalefactor', 'tcp.time_relative', 'tcp.time_delta', 'tcp.analysis.flags', 'tcp.analysis.bytes_in_flight'];

describe.skipIf(!HAS_SHARED)('bogus and short TCP headers equal tshark -2', () => {
  it('ndpi reasm_crash_anon.pcapng', async () => {
    const args = ['-r', join(CAPTURES, 'real/wild/ndpi__reasm_crash_anon.pcapng'), '-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f])];
    const [ours, theirs] = await Promise.all([seqscope(args), tshark(['-2', '-n', ...args])]);
    expect(theirs).toContain('\n95\t0\t51218\t\t0\t261\t1006331139\t\t\t77\t');
    expect(ours).toBe(theirs);
  });
});

describe.skipIf(!HAS_SHARED)('past 10000 un-ACKed segments, maxSeqToBeAcked stops as tshark -2', () => {
  it('zeek contentline-rlogin: the peer FIN/ACK is "ACKed segment that was not captured", with iRTT', async () => {
    const args = ['-r', join(CAPTURES, 'real/wild/zeek__contentline-rlogin-long-client-user-no-nul.pcapng.gz'), '-Y', 'frame.number > 13980', '-T', 'fields',
      ...['frame.number', 'tcp.analysis', 'tcp.analysis.flags', 'tcp.analysis.ack_lost_segment', 'tcp.analysis.initial_rtt', 'tcp.analysis.bytes_in_flight'].flatMap((f) => ['-e', f])];
    const [ours, theirs] = await Promise.all([seqscope(args), tshark(['-2', '-n', ...args])]);
    expect(theirs).toContain('13987\t1\t1\t1\t0.000321000');
    expect(ours).toBe(theirs);
  });
});
