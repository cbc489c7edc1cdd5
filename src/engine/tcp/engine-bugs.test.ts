// Regression tests for engine bugs found by the unit-test work; expected values are tshark 4.0.17's.
import { describe, expect, it } from 'vitest';
import { analyse, analyseRecords, sparse } from '../../../test/harness';
import { Conn, writePcapng, tcpFrame, type Record_ } from '../../../test/capture/build';
import { scenarioA } from '../../../test/scenarios';

describe('engine regressions (tshark 4.0.17 is the reference)', () => {
  it('a SYN stamped exactly at time 0 does not start an iRTT measurement', async () => {
    const { rows } = await analyseRecords(scenarioA({ epoch: 0n }));
    expect(sparse(rows, 'tcp.analysis.initial_rtt')).toEqual({});
  });
  it('bytes in flight: the SACK subtraction wraps modulo 2^32', async () => {
    const r: Record_[] = [];
    const c = new Conn(r);
    c.s('0.000', 'A', 1, 1, 1000, 0, { options: [{ nop: true }, { nop: true }, { sack: [[c.cisn + 2000, c.cisn + 1999]] }] });
    c.c('0.001', 'A', 1, 1, 1000, 1);
    const { rows } = await analyseRecords(r);
    expect(rows[1]['tcp.analysis.bytes_in_flight']).toBe('2');
    expect(rows[1]['tcp.analysis.push_bytes_sent']).toBe('1');
  });
  it('ACK processing treats an ACK half the sequence space away like a full walk', async () => {
    const r: Record_[] = [];
    const c = new Conn(r, { cisn: 0x7fffffff - 1000, sisn: 5000 });
    c.c('0.000', 'A', 1, 1, 1000, 1000); // raw [2^31-1000, 2^31)
    c.c('0.001', 'A', 1001, 1, 1000, 1000); // raw [2^31, 2^31+1000)
    c.s('0.002', 'R', 1, 0, 0); // RST, ACK field 0
    c.s('0.003', 'A', 1, 2001, 1000); // ACKs the end of frame 2
    const { rows } = await analyseRecords(r);
    expect(rows[3]['tcp.analysis.acks_frame']).toBe('');
  });
  it('a negative iRTT is an unsigned (huge) out-of-order threshold', async () => {
    const r: Record_[] = [];
    new Conn(r)
      .c('1.000', 'S', 0, 0, 1000)
      .s('1.005', 'SA', 0, 1, 1000)
      .c('0.990', 'A', 1, 1, 1000)
      .c('1.100', 'PA', 1, 1, 1000, 100)
      .c('1.200', 'PA', 101, 1, 1000, 100)
      .c('2.000', 'PA', 1, 1, 1000, 100);
    const { rows } = await analyseRecords(r);
    expect(rows[2]['tcp.analysis.initial_rtt']).toBe('-0.010000000');
    expect(rows[5]['tcp.analysis.out_of_order']).toBe('1');
    expect(rows[5]['tcp.analysis.retransmission']).toBe('');
  });
  const syn = () => tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, seq: 1, flags: 'S' });
  it('pcapng if_tsresol 2^-30: nanoseconds exact', async () => {
    const b = writePcapng([{ interfaces: [{ linkType: 1, tsresol: 0x80 | 30 }], blocks: [{ epb: { iface: 0, ts: 1n << 21n, data: syn() } }] }]);
    expect((await analyse(b, ['frame.time_epoch'])).rows[0]['frame.time_epoch']).toBe('0.001953125');
  });
  it('pcapng if_tsresol 10^-12: the 64-bit wrap-around tshark shows', async () => {
    const b = writePcapng([{ interfaces: [{ linkType: 1, tsresol: 12 }], blocks: [{ epb: { iface: 0, ts: 1825361100814680064n, data: syn() } }] }]);
    expect((await analyse(b, ['frame.time_epoch'])).rows[0]['frame.time_epoch']).toBe('1825361.008580959');
  });
  it('a Simple Packet Block has no timestamp', async () => {
    const b = writePcapng([{ interfaces: [{ linkType: 1 }], blocks: [{ spb: { data: syn() } }] }]);
    expect((await analyse(b, ['frame.time_epoch'])).rows[0]['frame.time_epoch']).toBe('');
  });
});
