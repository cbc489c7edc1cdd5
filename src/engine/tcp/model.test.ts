/**
 * Model-based test of the sequence tracker: random traffic for one or two connections goes
 * through the real engine (pcap bytes → CaptureSession → TcpAnalyzer → field projection) and
 * through the slow, obviously correct model in test/model/slow-tracker.ts; every frame's
 * analysis must agree.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyseRecords, type Row } from '../../../test/harness';
import { fmtNs } from '../../../test/capture/build';
import { FLAG_NAMES, runModel, type ModelFrame, type ModelPacket } from '../../../test/model/slow-tracker';
import { bulk, interpret, scenarioArb, toRecords } from '../../../test/model/generate';

const COMPARED = [
  'tcp.stream',
  'tcp.analysis',
  ...FLAG_NAMES.map((f) => `tcp.analysis.${f}`),
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.initial_rtt',
  'tcp.analysis.bytes_in_flight',
  'tcp.analysis.push_bytes_sent',
  'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.rto',
  'tcp.analysis.rto_frame',
];

/** The model's frames as tshark field values. */
function modelRows(frames: ModelFrame[]): Row[] {
  return frames.map(({ stream, rec, iRtt }) => {
    const r: Row = { 'tcp.stream': String(stream), 'tcp.analysis': rec.exists ? '1' : '' };
    for (const f of FLAG_NAMES) r[`tcp.analysis.${f}`] = rec.flags.has(f) ? '1' : '';
    if (rec.flags.has('fast_retransmission') || rec.flags.has('spurious_retransmission')) r['tcp.analysis.retransmission'] = '1';
    r['tcp.analysis.acks_frame'] = rec.frameAcked ? String(rec.frameAcked) : '';
    r['tcp.analysis.ack_rtt'] = rec.frameAcked && rec.ackRtt !== 0n ? fmtNs(rec.ackRtt) : '';
    r['tcp.analysis.initial_rtt'] = rec.exists && iRtt !== 0n ? fmtNs(iRtt) : '';
    r['tcp.analysis.bytes_in_flight'] = rec.bytesInFlight ? String(rec.bytesInFlight) : '';
    r['tcp.analysis.push_bytes_sent'] = rec.bytesInFlight ? String(rec.pushBytesSent) : '';
    const dup = rec.flags.has('duplicate_ack') && rec.dupAckNum !== 0;
    r['tcp.analysis.duplicate_ack_num'] = dup ? String(rec.dupAckNum) : '';
    r['tcp.analysis.duplicate_ack_frame'] = dup ? String(rec.dupAckFrame) : '';
    const rto = rec.flags.has('retransmission') && rec.rto !== 0n;
    r['tcp.analysis.rto'] = rto ? fmtNs(rec.rto) : '';
    r['tcp.analysis.rto_frame'] = rto ? String(rec.rtoFrame) : '';
    return r;
  });
}

/** Compare engine and model on the packets; on a mismatch, say where with some context. */
async function check(packets: ModelPacket[]): Promise<void> {
  const model = runModel(packets);
  const want = modelRows(model);
  const { rows } = await analyseRecords(toRecords(packets), COMPARED);
  expect(rows.length).toBe(want.length);
  for (let i = 0; i < rows.length; i++) {
    if (JSON.stringify(rows[i]) !== JSON.stringify(want[i])) {
      const ctx = packets
        .slice(Math.max(0, i - 6), i + 1)
        .map((p, j) => `  #${Math.max(0, i - 6) + j + 1} ${p.src}>${p.dst} seq=${p.seq} ack=${p.ack} flags=0x${p.flags.toString(16)} win=${p.win} len=${p.len}${p.ws !== undefined ? ` ws=${p.ws}` : ''}${p.sack ? ` sack=${JSON.stringify(p.sack)}` : ''} t=${p.ts}`)
        .join('\n');
      const diff = COMPARED.filter((f) => rows[i][f] !== want[i][f]).map((f) => `${f}: engine=${JSON.stringify(rows[i][f])} model=${JSON.stringify(want[i][f])}`);
      expect.fail(`frame ${i + 1} differs:\n  ${diff.join('\n  ')}\npackets:\n${ctx}`);
    }
  }
}

describe('sequence tracker vs the slow model', () => {
  it('one connection, short random runs', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(1, 80), async (s) => check(interpret(s))),
      { seed: 0x5eed0001, numRuns: 200 },
    );
  });

  it('two interleaved connections', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(2, 150), async (s) => check(interpret(s))),
      { seed: 0x5eed0002, numRuns: 120 },
    );
  });

  it('long runs with many segments in flight (list compaction, early exit, span shortcut)', async () => {
    const arb = fc.record({
      isn: fc.oneof(fc.constant(0xfffff000), fc.nat({ max: 0xffffffff })),
      inflight: fc.integer({ min: 200, max: 1600 }),
      segments: fc.integer({ min: 2000, max: 3500 }),
      events: fc.array(fc.record({ at: fc.nat({ max: 3500 }), kind: fc.nat({ max: 5 }), x: fc.nat({ max: 1000 }) }), { maxLength: 60 }),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (s) => check(bulk(s.isn, s.inflight, s.segments, s.events))),
      { seed: 0x5eed0003, numRuns: 5 },
    );
  });

  it('stops remembering segments at 10000 un-ACKed ones', async () => {
    await check(bulk(0xffffff00, 10050, 10100, []));
  });
});
