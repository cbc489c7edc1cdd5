/**
 * One capture with several diagnosable connections (engine/diagnose), for the unit tests and
 * the Diagnoses panel's e2e spec:
 *   stream 0  connection-refused       SYN answered by RST/ACK (frames 1, 2)
 *   stream 1  reset-by-middlebox       server TTL 119, its "RST" TTL 64 (+ reset-during-transfer)
 *   stream 2  no-response              three SYNs, nothing back
 *   stream 3  rto-backoff              one segment sent four times, intervals 0.2/0.4/0.8 s
 */
import { Conn, writePcap, type Record_ } from './build';

export function diagnosesShowcase(): Uint8Array {
  const r: Record_[] = [];
  const t = (base: number, dt: number) => (base + dt).toFixed(3);
  // 0: refused
  const a = new Conn(r, { client: '192.0.2.10', server: '198.51.100.30', cport: 40000, sport: 9999 });
  a.c(t(0, 0), 'S', 0, 0, 64240);
  a.s(t(0, 0.001), 'RA', 0, 1, 0, 0, { rawSeq: 0 });
  // 1: forged RST in the middle of a transfer
  const b = new Conn(r, { client: '192.0.2.10', server: '198.51.100.20', cport: 40001, sport: 443 });
  const st = { ttl: 119 };
  b.c(t(1, 0), 'S', 0, 0, 64240);
  b.s(t(1, 0.01), 'SA', 0, 1, 65160, 0, st);
  b.c(t(1, 0.02), 'A', 1, 1, 502);
  b.c(t(1, 0.021), 'PA', 1, 1, 502, 100);
  b.s(t(1, 0.031), 'PA', 1, 101, 509, 300, st);
  b.c(t(1, 0.041), 'A', 101, 301, 502);
  b.s(t(1, 0.2), 'R', 301, 0, 0, 0, { ttl: 64 });
  // 2: no response
  const c = new Conn(r, { client: '192.0.2.10', server: '203.0.113.7', cport: 40002, sport: 8080 });
  c.c(t(2, 0), 'S', 0, 0, 64240);
  c.c(t(2, 1), 'S', 0, 0, 64240);
  c.c(t(2, 3), 'S', 0, 0, 64240);
  // 3: retransmission timeouts backing off
  const d = new Conn(r, { client: '192.0.2.10', server: '203.0.113.9', cport: 40003, sport: 22 });
  d.c(t(6, 0), 'S', 0, 0, 64240);
  d.s(t(6, 0.01), 'SA', 0, 1, 65160);
  d.c(t(6, 0.02), 'A', 1, 1, 502);
  for (const dt of [0.1, 0.3, 0.7, 1.5]) d.c(t(6, dt), 'PA', 1, 1, 502, 100);
  d.s(t(6, 3), 'A', 1, 101, 509);
  r.sort((x, y) => (x.ts < y.ts ? -1 : x.ts > y.ts ? 1 : 0));
  return writePcap(r);
}
