/**
 * Test support: a capture of application traffic for the dissectors and the fuzzer — DNS over UDP
 * (a response with compression, a name whose pointer loops, a message cut short) and over TCP
 * (split in two segments), HTTP (a request split in its headers, a response whose body spans three
 * segments, a chunked one, headers that never end), TLS (a Client Hello split across segments,
 * server records, a record whose length runs past the data).
 */
import { Conn, DEFAULT_EPOCH, ipv4Packet, linkFrame, LINK, utf8, type Record_ } from './build';

const hex = (h: string) => Uint8Array.from(h.replace(/\s+/g, '').match(/../g)!.map((x) => parseInt(x, 16)));

export function udpFrame(src: string, dst: string, sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const u = new Uint8Array(8 + payload.length);
  u.set([sport >> 8, sport & 255, dport >> 8, dport & 255, u.length >> 8, u.length & 255, 0, 0]);
  u.set(payload, 8);
  return linkFrame(LINK.ETHERNET, ipv4Packet(src, dst, 17, u));
}

const DNS_QUERY = hex('b10b 0100 0001 0000 0000 0000 03777777 046573706e 03636f6d 00 0001 0001');
const DNS_RESPONSE = hex('b10b 8180 0001 0002 0000 0000 03777777 046573706e 03636f6d 00 0001 0001 c00c 0005 0001 0000003c 0006 03777777 c010 c02a 0001 0001 0000003c 0004 01020304');
/** The answer's name is a pointer to itself. */
export const DNS_LOOP = hex('1234 8180 0001 0001 0000 0000 0161 00 0001 0001 c012 0001 0001 0000003c 0004 01020304');

export function appCorpus(): Record_[] {
  const out: Record_[] = [];
  let t = 0;
  const at = () => DEFAULT_EPOCH + BigInt(t++) * 1_000_000n;
  out.push({ ts: at(), data: udpFrame('192.0.2.1', '192.0.2.53', 40000, 53, DNS_QUERY) });
  out.push({ ts: at(), data: udpFrame('192.0.2.53', '192.0.2.1', 53, 40000, DNS_RESPONSE) });
  out.push({ ts: at(), data: udpFrame('192.0.2.53', '192.0.2.1', 53, 40001, DNS_LOOP) });
  out.push({ ts: at(), data: udpFrame('192.0.2.53', '192.0.2.1', 53, 40002, DNS_RESPONSE.subarray(0, DNS_RESPONSE.length - 7)) });
  const seq = (c: Conn, fromClient: boolean, s: number, a: number, payload: Uint8Array, flags = 'PA') =>
    fromClient ? c.c(`${t++ / 1000}`, flags, s, a, 64240, payload.length, { payload }) : c.s(`${t++ / 1000}`, flags, s, a, 64240, payload.length, { payload });
  const open = (sport: number, cport: number) => {
    const c = new Conn(out, { client: '192.0.2.1', server: '198.51.100.2', cport, sport });
    c.c(`${t++ / 1000}`, 'S', 0, 0, 64240).s(`${t++ / 1000}`, 'SA', 0, 1, 64240).c(`${t++ / 1000}`, 'A', 1, 1, 64240);
    return c;
  };
  // DNS over TCP, the message split after its length.
  const dnsTcp = new Uint8Array(2 + DNS_QUERY.length);
  dnsTcp.set([0, DNS_QUERY.length]);
  dnsTcp.set(DNS_QUERY, 2);
  const d = open(53, 41000);
  seq(d, true, 1, 1, dnsTcp.subarray(0, 2));
  seq(d, true, 3, 1, dnsTcp.subarray(2));
  // HTTP: request split in its headers, response body over three segments, then a chunked one.
  const req = utf8('GET /a HTTP/1.1\r\nHost: example.test\r\n\r\n');
  const body = 'x'.repeat(2000);
  const resp = utf8(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  const chunked = utf8('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n');
  const h = open(80, 42000);
  seq(h, true, 1, 1, req.subarray(0, 10));
  seq(h, true, 11, 1, req.subarray(10));
  seq(h, false, 1, 1 + req.length, resp.subarray(0, 700));
  seq(h, false, 701, 1 + req.length, resp.subarray(700, 1400));
  seq(h, false, 1401, 1 + req.length, resp.subarray(1400));
  seq(h, true, 1 + req.length, 1 + resp.length, req);
  seq(h, false, 1 + resp.length, 1 + 2 * req.length, chunked);
  // Headers that never end.
  const n = open(8080, 43000);
  const line = utf8('GET / HTTP/1.1\r\nX: ' + 'y'.repeat(600));
  seq(n, true, 1, 1, line);
  seq(n, true, 1 + line.length, 1, utf8('z'.repeat(600)));
  // TLS: a Client Hello with SNI split in two, server records, a record longer than the data.
  const sni = utf8('example.test');
  const ext = [0, 0, 0, sni.length + 5, 0, sni.length + 3, 0, 0, sni.length, ...sni];
  const chBody = [3, 3, ...new Array(32).fill(7), 0, 0, 2, 0xc0, 0x2f, 1, 0, 0, ext.length, ...ext];
  const ch = Uint8Array.from([22, 3, 1, 0, chBody.length + 4, 1, 0, 0, chBody.length, ...chBody]);
  const shBody = [3, 3, ...new Array(32).fill(9), 0, 0xc0, 0x2f, 0, 0, 0];
  const sh = Uint8Array.from([22, 3, 3, 0, shBody.length + 4, 2, 0, 0, shBody.length, ...shBody, 20, 3, 3, 0, 1, 1, 23, 3, 3, 0, 3, 1, 2, 3]);
  const s = open(443, 44000);
  seq(s, true, 1, 1, ch.subarray(0, 7));
  seq(s, true, 8, 1, ch.subarray(7));
  seq(s, false, 1, 1 + ch.length, sh);
  seq(s, true, 1 + ch.length, 1 + sh.length, Uint8Array.from([23, 3, 3, 0x40, 0x00, 1, 2, 3, 4]), 'FPA');
  // Line protocols: each conversation a script of (from client?, text) turns.
  const talk = (sport: number, cport: number, turns: [boolean, string | Uint8Array][], server = '198.51.100.2') => {
    const c = new Conn(out, { client: '192.0.2.1', server, cport, sport });
    c.c(`${t++ / 1000}`, 'S', 0, 0, 64240).s(`${t++ / 1000}`, 'SA', 0, 1, 64240).c(`${t++ / 1000}`, 'A', 1, 1, 64240);
    const next = [1, 1];
    for (const [fromClient, x] of turns) {
      const b = typeof x === 'string' ? utf8(x) : x;
      seq(c, fromClient, next[fromClient ? 0 : 1], next[fromClient ? 1 : 0], b);
      next[fromClient ? 0 : 1] += b.length;
    }
  };
  talk(21, 45000, [
    [false, '220 FTP ready\r\n'], [true, 'USER anonymous\r\n'], [false, '331 Password required\r\n'], [true, 'PASV\r\n'],
    [false, '227 Entering Passive Mode (198,51,100,2,195,80)\r\n'], [true, 'RETR file.txt\r\n'], [false, '150 Opening\r\n'],
    [true, 'NOOP'],
  ]);
  talk(50000, 45001, [[false, 'file contents\n'.repeat(20)]]);
  const mail = 'From: A <a@example.test>\r\nTo: b@example.test\r\nSubject: Hello\r\n\r\nBody line\r\n.\r\n';
  talk(25, 46000, [
    [false, '220 mx ESMTP\r\n'], [true, 'EHLO client\r\n'], [false, '250-mx\r\n250-PIPELINING\r\n250 STARTTLS\r\n'],
    [true, 'MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n'], [false, '250 Ok\r\n250 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n'],
    [true, mail.slice(0, 30)], [true, mail.slice(30)], [false, '250 queued\r\n'], [true, 'STARTTLS\r\n'], [false, '220 Ready to start TLS\r\n'],
    [true, ch],
  ]);
  talk(143, 47000, [[false, '* OK IMAP4rev1 ready\r\n'], [true, 'a1 CAPABILITY\r\n'], [false, '* CAPABILITY IMAP4rev1\r\na1 OK done\r\n']]);
  talk(110, 48000, [[false, '+OK POP3 ready\r\n'], [true, 'USER u\r\n'], [false, '+OK\r\n'], [true, 'RETR 1\r\n'], [false, '-ERR no such message\r\n']]);
  // SSH: banners, a key exchange (ECDH: encrypted packets then name nothing), a New Keys, encrypted bytes.
  const str = (x: number[] | Uint8Array) => [0, 0, 0, x.length, ...x];
  const sshPacket = (code: number, body: number[]) => {
    const pad = 8 - ((5 + 1 + body.length) % 8) + 4;
    const len = 1 + 1 + body.length + pad;
    return Uint8Array.from([0, 0, len >> 8, len & 255, pad, code, ...body, ...new Array(pad).fill(0)]);
  };
  const lists = (algs: string) => [algs, 'ssh-ed25519', 'aes128-ctr', 'aes128-ctr', 'hmac-sha2-256', 'hmac-sha2-256', 'none', 'none', '', ''].flatMap((x) => str(utf8(x)));
  const kex = (algs: string) => sshPacket(20, [...new Array(16).fill(1), ...lists(algs), 0, 0, 0, 0, 0]);
  const blob = (n: number) => str(new Array(n).fill(7));
  talk(22, 49000, [
    [false, 'SSH-2.0-OpenSSH_8.9\r\n'], [true, 'SSH-2.0-OpenSSH_9.0\r\n'], [true, kex('curve25519-sha256')], [false, kex('curve25519-sha256,ecdh-sha2-nistp256')],
    [true, sshPacket(30, blob(32))], [false, Uint8Array.from([...sshPacket(31, [...str([...str(utf8('ssh-ed25519')), ...blob(32)]), ...blob(32), ...str([...str(utf8('ssh-ed25519')), ...blob(64)])]), ...sshPacket(21, [])])], [true, sshPacket(21, [])],
    [true, new Uint8Array(80).fill(0x5a)], [false, new Uint8Array(96).fill(0xa5)],
  ]);
  // DHCP: a Discover (option 53 = 1) and an ACK (5) of transaction 0x06e32864.
  const dhcp = (op: number, type: number) => {
    const m = new Uint8Array(240 + 4);
    m.set([op, 1, 6, 0, 0x06, 0xe3, 0x28, 0x64]);
    m.set([0x00, 0x0c, 0x29, 0x1f, 0x74, 0x06], 28);
    m.set([0x63, 0x82, 0x53, 0x63, 53, 1, type, 255], 236);
    return m;
  };
  out.push({ ts: at(), data: udpFrame('0.0.0.0', '255.255.255.255', 68, 67, dhcp(1, 1)) });
  out.push({ ts: at(), data: udpFrame('192.0.2.53', '192.0.2.1', 67, 68, dhcp(2, 5)) });
  return out;
}
