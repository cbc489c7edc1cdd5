/**
 * A crafted TCP stream with known values for the graph tests (unit and e2e): window scaling,
 * ten 1000-byte segments 1 ms apart from the client with the fourth lost (retransmitted later),
 * SACK blocks on the duplicate ACKs, a zero window and its update, FINs. Frame numbers:
 *   1 SYN, 2 SYN/ACK, 3 ACK, 4–12 data (seq 1, 1001, 2001, 4001 … 9001), 13–18 ACKs,
 *   19 the retransmission of seq 3001, 20 ACK 10001 window 0, 21 window update, 22–24 FIN/ACK.
 */
import { Conn, writePcap, type Record_ } from './build';

export const GRAPH_SEG = 1000;

export function graphStream(): Uint8Array {
  const r: Record_[] = [];
  const c = new Conn(r, { client: '10.1.0.1', server: '10.1.0.2', cport: 40000, sport: 80 });
  const opts = [{ mss: 1460 }, { sackPerm: true as const }, { ws: 7 }];
  c.c('0.000', 'S', 0, 0, 64240, 0, { options: opts });
  c.s('0.010', 'SA', 0, 1, 65160, 0, { options: opts });
  c.c('0.020', 'A', 1, 1, 502);
  for (let i = 0; i < 10; i++) if (i !== 3) c.c((0.021 + i * 0.001).toFixed(3), 'PA', 1 + i * GRAPH_SEG, 1, 502, GRAPH_SEG);
  // ACKs: 1001, 2001, 3001, then duplicates of 3001 with SACK blocks as 4001… arrive.
  c.s('0.031', 'A', 1, 1001, 500);
  c.s('0.032', 'A', 1, 2001, 500);
  c.s('0.033', 'A', 1, 3001, 500);
  c.s('0.035', 'A', 1, 3001, 500, 0, { options: [{ nop: true }, { nop: true }, { sack: [[1000 + 4001, 1000 + 5001]] }] });
  c.s('0.036', 'A', 1, 3001, 500, 0, { options: [{ nop: true }, { nop: true }, { sack: [[1000 + 4001, 1000 + 6001]] }] });
  c.s('0.037', 'A', 1, 3001, 500, 0, { options: [{ nop: true }, { nop: true }, { sack: [[1000 + 4001, 1000 + 7001]] }] });
  c.c('0.040', 'PA', 3001, 1, 502, GRAPH_SEG);
  c.s('0.050', 'A', 1, 10001, 0);
  c.s('0.150', 'A', 1, 10001, 500);
  c.c('0.160', 'FA', 10001, 1, 502);
  c.s('0.170', 'FA', 1, 10002, 500);
  c.c('0.180', 'A', 10002, 2, 502);
  return writePcap(r);
}
