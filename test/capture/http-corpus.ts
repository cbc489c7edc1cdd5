/**
 * Test support: HTTP over TCP with long bodies, in 1448-byte segments as a real download (each
 * acknowledged): Content-Length, chunked, up to the end of the connection (a FIN without data),
 * keep-alive with several requests and a POST body.
 */
import { Conn, utf8, type Record_ } from './build';

const MSS = 1448;

/** Text of `n` bytes in lines of varying length (so line counts and file_data say whether all of it was read). */
export function lines(n: number, tag: string): string {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `${tag} line ${i} ${'z'.repeat(i % 70)}\n`;
  return s.slice(0, n - 1) + '\n';
}

function chunkedBody(total: number): string {
  let out = '';
  let left = total;
  for (let i = 0; left > 0; i++) {
    const k = Math.min(left, 1000 + ((i * 977) % 7000));
    out += `${k.toString(16)}\r\n${lines(k, `c${i}`)}\r\n`;
    left -= k;
  }
  return `${out}0\r\n\r\n`;
}

/**
 * A 300 000-byte Content-Length body, a 1.5 MB chunked one, one up to a bare FIN, then keep-alive:
 * responses of 70 000, 10 and 200 000 bytes and a 90 000-byte POST; a Content-Length of 999 999 999
 * with 20 000 bytes after it; every size times `scale`
 * (the fuzzer's seed is a small one).
 */
export function httpBodyCorpus(scale = 1): Record_[] {
  const size = (n: number) => Math.max(10, Math.round(n * scale));
  const out: Record_[] = [];
  let t = 0;
  const time = () => `${(t++ / 10000).toFixed(4)}`;
  const open = (cport: number) => {
    const c = new Conn(out, { client: '192.0.2.1', server: '198.51.100.2', cport, sport: 80 });
    c.c(time(), 'S', 0, 0, 64240).s(time(), 'SA', 0, 1, 64240).c(time(), 'A', 1, 1, 64240);
    return { c, next: [1, 1] };
  };
  /** Sends `text` from one side in MSS-sized segments (each acknowledged by the other side); `fin`: a FIN without data after it. */
  const send = (x: ReturnType<typeof open>, fromClient: boolean, text: string, fin = false) => {
    const b = utf8(text);
    const [me, peer] = fromClient ? [0, 1] : [1, 0];
    for (let o = 0; o < b.length; o += MSS) {
      const payload = b.subarray(o, o + MSS);
      const args = [time(), o + MSS >= b.length ? 'PA' : 'A', x.next[me], x.next[peer], 64240, payload.length, { payload }] as const;
      if (fromClient) x.c.c(...args);
      else x.c.s(...args);
      x.next[me] += payload.length;
      if (fromClient) x.c.s(time(), 'A', x.next[peer], x.next[me], 64240);
      else x.c.c(time(), 'A', x.next[peer], x.next[me], 64240);
    }
    if (fin) {
      if (fromClient) x.c.c(time(), 'FA', x.next[me], x.next[peer], 64240);
      else x.c.s(time(), 'FA', x.next[me], x.next[peer], 64240);
      x.next[me]++;
    }
  };
  const get = (uri: string) => `GET ${uri} HTTP/1.1\r\nHost: example.test\r\n\r\n`;
  // A Content-Length body of 300 000 bytes.
  const a = open(42001);
  send(a, true, get('/big.txt'));
  const big = lines(size(300_000), 'a');
  send(a, false, `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${big.length}\r\n\r\n${big}`);
  // A chunked body of 1.5 MB (past the 1 MiB kept of a PDU whose length is unknown).
  const b = open(42002);
  send(b, true, get('/chunked'));
  send(b, false, `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n${chunkedBody(size(1_500_000))}`);
  // A body up to the end of the connection, ended by a FIN without data.
  const c = open(42003);
  send(c, true, get('/close'));
  send(c, false, `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${lines(size(100_000), 'e')}`, true);
  // Keep-alive: three requests, bodies of 70 000, 10 and 200 000 bytes; a POST with a 90 000-byte body.
  const d = open(42004);
  for (const n of [70_000, 10, 200_000].map((x) => (x === 10 ? x : size(x)))) {
    send(d, true, get(`/k${n}`));
    const body = lines(n, `k${n}`);
    send(d, false, `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  }
  const form = lines(size(90_000), 'p');
  send(d, true, `POST /up HTTP/1.1\r\nHost: example.test\r\nContent-Type: text/plain\r\nContent-Length: ${form.length}\r\n\r\n${form}`);
  send(d, false, 'HTTP/1.1 204 No Content\r\n\r\n');
  // A Content-Length far past what follows (the body never completes), then the connection closes.
  const e = open(42005);
  send(e, true, get('/lie'));
  send(e, false, `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 999999999\r\n\r\n${lines(size(20_000), 'l')}`, true);
  return out;
}

