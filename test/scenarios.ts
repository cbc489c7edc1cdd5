/**
 * The reference scenarios of the spec's Appendix A (tcp-analysis.md), rebuilt with the test
 * pcap writer: client 10.0.0.1:5000x, server 10.0.0.2:33333, client ISN 1000, server ISN 5000
 * unless a row gives a raw number. Each builder returns the records of one capture; the
 * expected tshark 4.0.17 values live in the tests.
 */
import { Conn, type ConnOpts, type Record_, type TcpOption } from '../test/capture/build';

const SYN_OPTS = (tsval: number, tsecr: number): TcpOption[] => [{ mss: 1460 }, { sackPerm: true }, { ts: [tsval, tsecr] }, { nop: true }, { ws: 7 }];
const TS = (tsval: number, tsecr: number): TcpOption[] => [{ nop: true }, { nop: true }, { ts: [tsval, tsecr] }];

/** A. Clean connection with options (MSS, SACK_PERM, TS, WS=7 on both sides). */
export function scenarioA(o: ConnOpts = {}, linkType?: number): Record_[] {
  const r: Record_[] = [];
  const x = (options?: TcpOption[]) => ({ options, linkType });
  new Conn(r, o)
    .c('0.000', 'S', 0, 0, 64240, 0, x(SYN_OPTS(100, 0)))
    .s('0.005', 'SA', 0, 1, 65160, 0, x(SYN_OPTS(200, 100)))
    .c('0.010', 'A', 1, 1, 502, 0, x(TS(101, 200)))
    .c('0.011', 'PA', 1, 1, 502, 100, x(TS(102, 200)))
    .s('0.016', 'A', 1, 101, 509, 0, x(TS(201, 102)))
    .s('0.017', 'PA', 1, 101, 509, 50, x(TS(202, 102)))
    .c('0.022', 'A', 101, 51, 502, 0, x(TS(103, 202)))
    .c('0.030', 'FA', 101, 51, 502, 0, x())
    .s('0.035', 'FA', 51, 102, 509, 0, x())
    .c('0.040', 'A', 102, 52, 502, 0, x());
  return r;
}

/** B. Retransmission family, duplicate ACKs, lost / ACKed-unseen segments. */
export function scenarioB(o: ConnOpts = {}, linkType?: number): Record_[] {
  const r: Record_[] = [];
  const x = { linkType };
  new Conn(r, o)
    .c('0.000', 'S', 0, 0, 64240, 0, x)
    .s('0.005', 'SA', 0, 1, 65160, 0, x)
    .c('0.010', 'A', 1, 1, 64240, 0, x)
    .c('0.011', 'PA', 1, 1, 502, 100, x)
    .c('0.012', 'PA', 101, 1, 502, 100, x)
    .c('0.013', 'PA', 201, 1, 502, 100, x)
    .s('0.020', 'A', 1, 101, 509, 0, x)
    .s('0.021', 'A', 1, 101, 509, 0, x)
    .s('0.022', 'A', 1, 101, 509, 0, x)
    .c('0.025', 'PA', 101, 1, 502, 100, x)
    .s('0.035', 'A', 1, 301, 509, 0, x)
    .c('0.500', 'PA', 101, 1, 502, 100, x)
    .c('0.600', 'PA', 401, 1, 502, 100, x)
    .c('0.602', 'PA', 301, 1, 502, 100, x)
    .c('1.000', 'PA', 301, 1, 502, 100, x)
    .s('1.100', 'A', 1, 601, 509, 0, x);
  return r;
}

/** C. Zero window, probes, window update / full, keep-alive. */
export function scenarioC(): Record_[] {
  const r: Record_[] = [];
  new Conn(r)
    .c('0.000', 'S', 0, 0, 64240)
    .s('0.005', 'SA', 0, 1, 65160)
    .c('0.010', 'A', 1, 1, 64240)
    .c('0.020', 'PA', 1, 1, 64240, 100)
    .s('0.030', 'A', 1, 101, 0)
    .c('0.500', 'A', 101, 1, 64240, 1)
    .s('0.510', 'A', 1, 101, 0)
    .s('1.000', 'A', 1, 101, 1000)
    .c('1.010', 'A', 101, 1, 64240, 100)
    .c('1.020', 'A', 201, 1, 64240, 900)
    .s('1.100', 'A', 1, 1101, 1000)
    .c('59.000', 'A', 1100, 1, 64240, 0)
    .s('59.010', 'A', 1, 1101, 1000)
    .c('119.000', 'A', 1100, 1, 64240, 1)
    .s('119.010', 'A', 1, 1101, 1000)
    .s('119.020', 'A', 1, 1101, 1000)
    .s('119.030', 'A', 1, 1101, 2000);
  return r;
}

/** D. Window-scale bookkeeping (five streams). */
export function scenarioD(): Record_[] {
  const r: Record_[] = [];
  const ws = (shift: number) => ({ options: [{ nop: true }, { ws: shift }] as TcpOption[] });
  new Conn(r, { cport: 50001 })
    .c('0.000', 'S', 0, 0, 1000)
    .s('0.010', 'SA', 0, 1, 2000, 0, ws(3))
    .c('0.020', 'A', 1, 1, 100)
    .s('0.030', 'A', 1, 1, 200);
  new Conn(r, { cport: 50002 })
    .c('1.000', 'S', 0, 0, 1000, 0, ws(3))
    .s('1.010', 'SA', 0, 1, 2000)
    .c('1.020', 'A', 1, 1, 100)
    .s('1.030', 'A', 1, 1, 200);
  new Conn(r, { cport: 50003 }).c('2.000', 'A', 1, 1, 100, 10).s('2.010', 'A', 1, 11, 200);
  new Conn(r, { cport: 50004 })
    .s('3.010', 'SA', 0, 1, 2000, 0, ws(8))
    .c('3.020', 'A', 1, 1, 100)
    .s('3.030', 'A', 1, 1, 200);
  new Conn(r, { cport: 50005 })
    .c('4.000', 'S', 0, 0, 1000, 0, ws(15))
    .s('4.010', 'SA', 0, 1, 2000, 0, ws(2))
    .c('4.020', 'A', 1, 1, 100)
    .s('4.030', 'A', 1, 1, 200);
  return r;
}

/** E. Stream identification and port reuse. */
export function scenarioE(): Record_[] {
  const r: Record_[] = [];
  new Conn(r, { cport: 50001 })
    .c('0.000', 'S', 0, 0, 64240)
    .s('0.005', 'SA', 0, 1, 65160)
    .c('0.010', 'A', 1, 1, 64240)
    .c('0.020', 'PA', 1, 1, 100, 10)
    .s('0.030', 'A', 1, 11, 200)
    .c('0.040', 'FA', 11, 1, 100)
    .s('0.050', 'FA', 1, 12, 200)
    .c('0.060', 'A', 12, 2, 100);
  new Conn(r, { cport: 50001, cisn: 9000, sisn: 7000 })
    .c('1.000', 'S', 0, 0, 64240)
    .s('1.005', 'SA', 0, 1, 65160)
    .c('1.010', 'A', 1, 1, 64240)
    .c('1.020', 'PA', 1, 1, 100, 10);
  new Conn(r, { cport: 50002 })
    .c('2.000', 'S', 0, 0, 64240)
    .s('2.005', 'SA', 0, 1, 65160)
    .c('2.010', 'A', 1, 1, 64240)
    .c('2.020', 'R', 1, 0, 0)
    .c('2.500', 'S', 0, 0, 1000)
    .s('2.510', 'SA', 0, 1, 2000)
    .c('2.520', 'A', 1, 1, 100);
  new Conn(r, { cport: 50003 })
    .c('3.000', 'S', 0, 0, 64240)
    .s('3.005', 'SA', 0, 1, 65160)
    .c('3.010', 'A', 1, 1, 64240)
    .c('3.020', 'PA', 1, 1, 100, 10)
    .s('3.030', 'A', 1, 11, 200)
    .s('4.010', 'SA', 0, 2001, 2000, 0, { rawSeq: 8000 })
    .c('4.020', 'A', 2001, 0, 100, 0, { rawAck: 8001 })
    .c('4.030', 'PA', 2001, 0, 100, 10, { rawAck: 8001 });
  new Conn(r, { cport: 50004 })
    .c('5.000', 'S', 0, 0, 1000)
    .c('6.000', 'S', 0, 0, 1000)
    .s('6.010', 'SA', 0, 1, 2000)
    .c('6.020', 'A', 1, 1, 100);
  return r;
}

/** F. 4.0 ACKed-unseen suppression and its side effect on fast retransmission. */
export function scenarioF(): Record_[] {
  const r: Record_[] = [];
  new Conn(r)
    .c('0.000', 'S', 0, 0, 64240)
    .s('0.005', 'SA', 0, 1, 65160)
    .c('0.010', 'A', 1, 1, 64240)
    .c('0.020', 'PA', 1, 1, 500, 100)
    .s('0.030', 'A', 1, 301, 500)
    .s('0.031', 'A', 1, 301, 500)
    .s('0.032', 'A', 1, 401, 500)
    .c('0.040', 'PA', 101, 1, 500, 100)
    .s('0.050', 'A', 1, 501, 500)
    .c('0.060', 'PA', 201, 1, 500, 100)
    .s('0.070', 'A', 1, 601, 500, 100)
    .s('0.075', 'A', 1, 601, 500, 100);
  return r;
}

/** G. Out-of-order thresholds and precedence (three streams). */
export function scenarioG(): Record_[] {
  const r: Record_[] = [];
  new Conn(r, { cport: 50010 })
    .c('0.000', 'PA', 1, 1, 500, 100)
    .c('0.001', 'PA', 201, 1, 500, 100)
    .c('0.0025', 'PA', 101, 1, 500, 100)
    .c('0.010', 'PA', 101, 1, 500, 100)
    .c('0.011', 'PA', 300, 1, 500, 100)
    .c('0.0115', 'PA', 350, 1, 500, 100)
    .c('0.012', 'R', 800, 0, 0);
  new Conn(r, { cport: 50011 })
    .c('1.000', 'S', 0, 0, 64240)
    .s('1.015', 'SA', 0, 1, 65160)
    .c('1.030', 'A', 1, 1, 64240)
    .c('1.040', 'PA', 1, 1, 500, 100)
    .c('1.041', 'PA', 201, 1, 500, 100)
    .c('1.060', 'PA', 101, 1, 500, 100)
    .s('1.070', 'A', 1, 101, 500)
    .s('1.071', 'A', 1, 101, 500)
    .s('1.072', 'A', 1, 101, 500)
    .c('1.095', 'PA', 101, 1, 500, 100)
    .c('1.100', 'FA', 301, 1, 500)
    .c('1.300', 'FA', 301, 1, 500);
  new Conn(r, { cport: 50012 })
    .c('2.000', 'S', 0, 0, 64240)
    .s('2.005', 'SA', 0, 1, 65160)
    .c('2.010', 'A', 1, 1, 64240)
    .c('2.011', 'PA', 1, 1, 500, 100)
    .c('2.012', 'PA', 101, 1, 500, 100)
    .s('2.013', 'A', 1, 101, 500)
    .s('2.014', 'A', 1, 101, 500)
    .s('2.015', 'A', 1, 101, 500)
    .c('2.016', 'PA', 101, 1, 500, 100)
    .c('2.017', 'PA', 201, 1, 500, 100)
    .c('2.018', 'PA', 301, 1, 500, 100)
    .s('2.019', 'A', 1, 101, 500)
    .s('2.020', 'A', 1, 101, 500)
    .c('2.021', 'PA', 201, 1, 500, 100);
  return r;
}

/** H. Bytes in flight, push bytes, SACK. */
export function scenarioH(): Record_[] {
  const r: Record_[] = [];
  const c = new Conn(r);
  const sack: TcpOption[] = [{ nop: true }, { nop: true }, { sack: [[c.cisn + 201, c.cisn + 301], [c.cisn + 401, c.cisn + 501]] }];
  c.c('0.000', 'S', 0, 0, 64240, 0, { options: [{ sackPerm: true }] })
    .s('0.005', 'SA', 0, 1, 65160, 0, { options: [{ sackPerm: true }] })
    .c('0.010', 'A', 1, 1, 64240)
    .c('0.011', 'PA', 1, 1, 500, 100)
    .c('0.012', 'A', 101, 1, 500, 100)
    .c('0.013', 'A', 201, 1, 500, 100)
    .c('0.014', 'PA', 301, 1, 500, 100)
    .c('0.015', 'PA', 401, 1, 500, 100)
    .s('0.020', 'A', 1, 101, 500, 0, { options: sack })
    .c('0.021', 'PA', 501, 1, 500, 100)
    .s('0.022', 'A', 1, 101, 500)
    .c('0.023', 'FPA', 601, 1, 500, 50)
    .s('0.030', 'A', 1, 652, 500);
  return r;
}

/** I. ACK matching, partial ACK, RTO reference frame, TCP Fast Open. */
export function scenarioI(): Record_[] {
  const r: Record_[] = [];
  new Conn(r)
    .c('0.000', 'S', 0, 0, 64240)
    .s('0.005', 'SA', 0, 1, 65160)
    .c('0.010', 'A', 1, 1, 64240)
    .c('0.011', 'PA', 1, 1, 500, 100)
    .c('0.012', 'PA', 101, 1, 500, 100)
    .c('0.013', 'PA', 201, 1, 500, 100)
    .s('0.020', 'A', 1, 201, 500)
    .s('0.021', 'A', 1, 251, 600)
    .c('0.100', 'PA', 1, 1, 500, 100)
    .c('0.101', 'PA', 301, 1, 500, 100)
    .c('0.400', 'PA', 301, 1, 500, 100)
    .s('0.410', 'A', 1, 401, 600);
  const cookie: TcpOption = { tfo: [1, 2, 3, 4, 5, 6, 7, 8] };
  new Conn(r, { cport: 50020 })
    .c('1.000', 'S', 0, 0, 1000, 20, { options: [{ mss: 1460 }, cookie] })
    .s('1.010', 'SA', 0, 21, 1000, 0, { options: [{ mss: 1460 }] })
    .c('1.020', 'A', 21, 1, 1000);
  new Conn(r, { cport: 50021 })
    .c('2.000', 'S', 0, 0, 1000, 20, { options: [cookie] })
    .s('2.010', 'SA', 0, 1, 1000)
    .c('2.020', 'A', 1, 1, 1000);
  new Conn(r, { cport: 50022 }).c('3.000', 'S', 0, 0, 1000, 0, { options: [{ tfo: [] }] });
  return r;
}

/** J. Zero-window probe whose byte is accepted (4.0 behaviour). */
export function scenarioJ(): Record_[] {
  const r: Record_[] = [];
  new Conn(r)
    .c('0.000', 'S', 0, 0, 64240)
    .s('0.005', 'SA', 0, 1, 65160)
    .c('0.010', 'A', 1, 1, 64240)
    .c('0.020', 'PA', 1, 1, 500, 100)
    .s('0.030', 'A', 1, 101, 0)
    .c('0.500', 'A', 101, 1, 500, 1)
    .s('0.510', 'A', 1, 102, 0)
    .c('1.000', 'A', 101, 1, 500, 1)
    .s('1.010', 'A', 1, 102, 1000)
    .c('1.020', 'PA', 102, 1, 500, 100);
  new Conn(r, { cport: 50001 })
    .c('2.000', 'S', 0, 0, 64240)
    .s('2.005', 'SA', 0, 1, 65160)
    .c('2.010', 'A', 1, 1, 64240)
    .c('2.020', 'PA', 1, 1, 500, 100)
    .s('2.030', 'A', 1, 101, 0)
    .c('2.500', 'A', 101, 1, 500, 1)
    .s('2.510', 'A', 1, 102, 1000)
    .c('2.520', 'PA', 102, 1, 500, 100);
  return r;
}

/** K. Two-pass artefacts of the 4.0 SYN/ACK handling. */
export function scenarioK(): Record_[] {
  const r: Record_[] = [];
  new Conn(r)
    .s('0.000', 'PA', 0, 0, 500, 10, { rawSeq: 5001, rawAck: 1001 })
    .c('0.010', 'A', 0, 0, 500, 0, { rawSeq: 1001, rawAck: 5011 })
    .s('1.000', 'SA', 0, 0, 500, 0, { rawSeq: 9000, rawAck: 3001 })
    .c('1.010', 'A', 0, 0, 500, 0, { rawSeq: 3001, rawAck: 9001 })
    .s('1.020', 'PA', 0, 0, 500, 10, { rawSeq: 9001, rawAck: 3001 });
  new Conn(r, { cport: 50001 })
    .c('2.000', 'S', 0, 0, 1000, 0, { options: [{ nop: true }, { ws: 7 }] })
    .c('2.010', 'A', 1, 0, 100, 0, { rawAck: 5000 })
    .s('2.020', 'SA', 0, 1, 1000)
    .c('2.030', 'A', 1, 1, 100);
  return r;
}

/** L. Duplicate-ACK counting across a data segment; one dup ACK is not enough. */
export function scenarioL(): Record_[] {
  const r: Record_[] = [];
  new Conn(r)
    .c('0.000', 'S', 0, 0, 64240)
    .s('0.005', 'SA', 0, 1, 65160)
    .c('0.010', 'A', 1, 1, 64240)
    .c('0.011', 'PA', 1, 1, 500, 100)
    .c('0.012', 'PA', 101, 1, 500, 100)
    .s('0.020', 'A', 1, 101, 500)
    .s('0.021', 'A', 1, 101, 500)
    .s('0.022', 'PA', 1, 101, 500, 50)
    .s('0.023', 'A', 51, 101, 500)
    .c('0.030', 'PA', 101, 1, 500, 100);
  new Conn(r, { cport: 50001 })
    .c('1.000', 'S', 0, 0, 64240)
    .s('1.005', 'SA', 0, 1, 65160)
    .c('1.010', 'A', 1, 1, 64240)
    .c('1.011', 'PA', 1, 1, 500, 100)
    .c('1.012', 'PA', 101, 1, 500, 100)
    .s('1.020', 'A', 1, 101, 500)
    .s('1.021', 'A', 1, 101, 500)
    .c('1.025', 'PA', 101, 1, 500, 100);
  return r;
}

/** M. Late packet of an old connection after a port-reusing SYN. */
export function scenarioM(): Record_[] {
  const r: Record_[] = [];
  new Conn(r, { cport: 50001 })
    .c('0.000', 'S', 0, 0, 64240)
    .s('0.005', 'SA', 0, 1, 65160)
    .c('0.010', 'A', 1, 1, 64240)
    .c('0.020', 'PA', 1, 1, 100, 10);
  new Conn(r, { cport: 50001, cisn: 9000, sisn: 7000 })
    .c('1.000', 'S', 0, 0, 1000)
    .s('1.001', 'A', 0, 0, 200, 0, { rawSeq: 5001, rawAck: 1011 })
    .s('1.005', 'SA', 0, 1, 1000)
    .c('1.010', 'A', 1, 1, 1000);
  return r;
}

/** R1. Retransmitted SYN, iRTT from it, window full with the SYN/ACK's unscaled and a later scaled window. */
export function scenarioR1(): Record_[] {
  const r: Record_[] = [];
  const ws: TcpOption[] = [{ nop: true }, { ws: 7 }];
  new Conn(r)
    .c('1.000', 'S', 0, 0, 64240, 0, { options: ws })
    .c('1.500', 'S', 0, 0, 64240, 0, { options: ws })
    .s('1.505', 'SA', 0, 1, 1000, 0, { options: ws })
    .c('1.510', 'A', 1, 1, 502)
    .c('1.520', 'PA', 1, 1, 502, 1000)
    .s('1.530', 'A', 1, 1001, 10)
    .c('1.540', 'PA', 1001, 1, 502, 1280);
  new Conn(r, { cport: 50001 }).s('2.000', 'A', 1, 1, 100).c('2.010', 'PA', 1, 1, 100, 100);
  return r;
}

/** R2. A segment exceeding the window; a 1-byte keep-alive below lastAck; a pure ACK with an old seq. */
export function scenarioR2(): Record_[] {
  const r: Record_[] = [];
  new Conn(r)
    .c('0.000', 'S', 0, 0, 64240)
    .s('0.005', 'SA', 0, 1, 300)
    .c('0.010', 'A', 1, 1, 1000)
    .c('0.011', 'PA', 1, 1, 1000, 400)
    .c('0.012', 'PA', 401, 1, 1000, 100)
    .s('0.020', 'A', 1, 501, 300)
    .c('5.000', 'A', 500, 1, 1000, 1)
    .c('5.100', 'A', 200, 1, 1000);
  return r;
}
