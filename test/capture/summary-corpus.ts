/**
 * Test support: conversations of the protocols seqscope dissects in summary form only (Protocol,
 * Info, a small subtree): Rlogin (handshakes whole, cut and repeated, startup answers, window
 * size, text with control characters and UTF-8, a segment longer than Info's 128 bytes); Modbus/TCP
 * (queries and responses, diagnostics and MEI sub-functions, exceptions, two PDUs in a segment, a
 * PDU over two segments, a conversation that does not start with an MBAP header); Dropbox LAN sync
 * discovery datagrams (JSON, text, broken JSON, empty); NBNS (queries, registrations, releases,
 * responses with addresses, errors, NBSTAT, cut records, scope); SSDP (requests, a response,
 * lines without an end); PostgreSQL (SSL refused then startup, several messages a segment, a
 * message over two segments, SSL accepted then TLS); DoIP over UDP and TCP (known and unknown
 * payload types, a message over two segments, two in a segment, a cut header).
 * Checked against tshark in src/engine/dissect/summary-protocols.test.ts; part of the fuzzer's corpus.
 */
import { Conn, DEFAULT_EPOCH, type Record_ } from './build';
import { udpFrame } from './app-corpus';

const hex = (h: string): Uint8Array => Uint8Array.from(h.replace(/\s+/g, '').match(/../g)!.map((x) => parseInt(x, 16)));
const bin = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** One TCP conversation on `port`: handshake, then each message in turn ('c' client, 's' server). */
export function exchange(out: Record_[], port: number, cport: number, msgs: [('c' | 's'), Uint8Array][], t0: number): number {
  const c = new Conn(out, { client: '192.0.2.1', server: '198.51.100.2', cport, sport: port, epoch: DEFAULT_EPOCH + BigInt(t0) * 1_000_000_000n });
  let t = 0;
  const at = () => `${(t++ / 1000).toFixed(3)}`;
  c.c(at(), 'S', 0, 0, 64240).s(at(), 'SA', 0, 1, 64240).c(at(), 'A', 1, 1, 64240);
  let cs = 1;
  let ss = 1;
  for (const [d, payload] of msgs) {
    if (d === 'c') {
      c.c(at(), 'PA', cs, ss, 64240, payload.length, { payload });
      cs += payload.length;
    } else {
      c.s(at(), 'PA', ss, cs, 64240, payload.length, { payload });
      ss += payload.length;
    }
  }
  return t0 + 1;
}

export function summaryCorpus(): Record_[] {
  const out: Record_[] = [];
  let t = 0;
  t = exchange(out, 513, 1023, [
    ['c', bin('\0alice\0bob\0xterm/38400\0')],
    ['s', bin('\0')],
    ['s', bin('Password: ')],
    ['c', bin('secret\r')],
    ['s', bin('\r\nLast login: x\r\n$ ')],
    ['c', bin('a\r\nb\tc\x01d\x7f\\e\x1b[0m\r\n')],
    ['c', bin('\xff\xffss\0\x18\0\x50\0\0\0\0')],
    ['c', bin('\xff\xffss\0\x18')],
    ['s', bin('\x80\0')],
    ['c', bin('\xc3\xa9'.repeat(70) + 'x'.repeat(100))],
    ['c', bin('\0late')],
    ['s', bin('\0again')],
  ], t);
  t = exchange(out, 513, 1020, [['c', bin('\0alice\0bob')], ['c', bin('\0vt100/0\0')], ['s', bin('\0welcome')]], t);
  t = exchange(out, 513, 1019, [['s', bin('\0')], ['c', bin('\0a\0b\0t\0extra')]], t);
  t = exchange(out, 513, 1018, [['c', bin('hello')], ['s', bin('\0')]], t);
  t = exchange(out, 502, 2000, [
    ['c', hex('0001 0000 0006 0a 08 000a 0000')],
    ['s', hex('0001 0000 0006 0a 08 000a 0000')],
    ['c', hex('0002 0000 0006 0a 08 0004 0000')],
    ['s', hex('0002 0000 0003 0a 88 0b')],
    ['c', hex('0003 0000 0005 0a 2b 0e 01 00')],
    ['c', hex('0004 0000 0005 0a 2b 0d 01 00')],
    ['c', hex('0005 0000 0006 0a 03 0000 0001 0006 0000 0006 0b 04 0000 0002')],
    ['s', hex('0005 0000 0005 0a 03 02 0001')],
    ['c', hex('0007 0000 0006 0a 01 00')],
    ['c', hex('0000 01')],
    ['s', hex('0007 0000 0003 01 ff 02')],
    ['s', hex('0008 0000 0003 01 2a 02')],
    ['c', hex('0010 0000 0002 01 5a')],
  ], t);
  t = exchange(out, 502, 2001, [['c', hex('0011 0001 0006 0a 03 0000 0001')], ['s', hex('00')]], t);
  const dg = (sport: number, dport: number, p: Uint8Array) => out.push({ ts: DEFAULT_EPOCH + BigInt(t++) * 1_000_000_000n, data: udpFrame('192.0.2.1', '192.0.2.255', sport, dport, p) });
  dg(17500, 17500, bin('{"host_int": 4094514483, "version": [1, 8], "displayname": "", "port": 17500, "namespaces": [20524257]}'));
  dg(50311, 17500, bin('C\x035\x01oRMrD\\Ar\x08Bus17Cmd\x112\xff{"messageType":"UPDATE"}'));
  dg(17500, 50311, bin('{"broken": '));
  dg(17500, 50311, bin(''));
  // NBNS: header (id, flags, counts), then questions and answers.
  const nb = (name: string, suffix: number): number[] => {
    const n = [...name.padEnd(15, ' ')].map((c) => c.charCodeAt(0)).concat(suffix);
    return [32, ...n.flatMap((c) => [0x41 + (c >> 4), 0x41 + (c & 15)]), 0];
  };
  const msg = (id: number, flags: number, qd: number, an: number, ar: number, rest: number[]) => new Uint8Array([0, id, flags >> 8, flags & 255, 0, qd, 0, an, 0, 0, 0, ar, ...rest]);
  const rr = (name: number[], type: number, data: number[]) => [...name, 0, type, 0, 1, 0, 0, 0x0e, 0x10, 0, data.length, ...data];
  const reg = (flags: number) => msg(2, flags, 1, 0, 1, [...nb('HOST', 0x20), 0, 0x20, 0, 1, 0xc0, 12, 0, 0x20, 0, 1, 0, 0, 0, 0, 0, 6, 0, 0, 10, 0, 0, 1]);
  for (const p of [
    msg(1, 0x0110, 1, 0, 0, [...nb('WPAD', 0), 0, 0x20, 0, 1]),
    msg(1, 0x8500, 0, 1, 0, rr(nb('WPAD', 0), 0x20, [0, 0, 10, 0, 0, 5, 0x60, 0, 10, 0, 0, 6])),
    reg(0x2910),
    reg(0x3010),
    msg(3, 0x0000, 1, 0, 0, [...nb('*', 0), 0, 0x21, 0, 1]),
    msg(3, 0x8400, 0, 1, 0, rr(nb('*', 0), 0x21, [1, ...new Array(18).fill(0x41)])),
    msg(4, 0x8503, 0, 1, 0, rr(nb('WPAD', 0), 0x20, [])),
    msg(6, 0x0110, 2, 0, 0, [...nb('WPAD', 0), 0, 0x20, 0, 1, ...nb('\x01\x02__MSBROWSE__\x02', 1), 0, 0x20, 0, 1]),
    msg(7, 0x0110, 1, 0, 0, nb('WPAD', 0).slice(0, 10)),
    msg(8, 0x0110, 1, 0, 0, [...nb('HOST', 0x1c).slice(0, -1), 3, 0x63, 0x6f, 0x6d, 0, 0, 0x20, 0, 1]),
    new Uint8Array([0, 1, 2]),
  ])
    dg(137, 137, p);
  dg(1900, 1900, bin('M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n'));
  dg(1900, 5000, bin('HTTP/1.1 200 OK\r\nST: x\r\n\r\n'));
  dg(1900, 1900, bin('NOTIFY * HTTP/1.1\n'));
  dg(1900, 1900, bin('NOTIFY * HTTP/1.1'));
  dg(1900, 1900, bin('garbage\x01\x02\r\n'));
  const pg = (type: string, body: string) => bin(`${type}${String.fromCharCode(0, 0, 0, 4 + body.length)}${body}`);
  const startup = bin('\0\0\0\x15\0\x03\0\0user\0alice\0\0\0');
  const sslReq = hex('0000 0008 04d2 162f');
  const rows = bin([pg('T', '\0\0'), pg('D', '\0\0'), pg('C', 'SELECT 1\0'), pg('Z', 'I')].map((x) => String.fromCharCode(...x)).join(''));
  t = exchange(out, 5432, 40000, [
    ['c', sslReq],
    ['s', bin('N')],
    ['c', startup],
    ['s', bin([pg('R', '\0\0\0\0'), pg('S', 'a\0b\0'), pg('K', '12345678'), pg('Z', 'I')].map((x) => String.fromCharCode(...x)).join(''))],
    ['c', pg('Q', 'select 1;\0')],
    ['s', rows.subarray(0, 9)],
    ['s', rows.subarray(9)],
    ['c', pg('p', 'pw\0')],
    ['c', pg('X', '')],
  ], t);
  t = exchange(out, 5432, 40001, [['c', sslReq], ['s', bin('S')], ['c', hex('15 0303 0002 0100')], ['s', hex('15 0303 0002 0228')]], t);
  dg(43000, 13400, hex('02fd 0001 00000000'));
  dg(13400, 43000, hex('02fd 4002 00000003 010203'));
  dg(13400, 43000, hex('02fd 7777 00000000'));
  const routing = hex('02fd 0005 00000007 0e00 00 00000000');
  t = exchange(out, 13400, 43001, [
    ['c', routing.subarray(0, 6)],
    ['c', routing.subarray(6)],
    ['s', hex('02fd 0006 00000009 0e00 1000 10 00000000')],
    ['c', hex('02fd 0007 00000000 02fd 0008 00000002 0e00')],
  ], t);
  return out;
}
