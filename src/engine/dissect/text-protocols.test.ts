/**
 * The line-oriented dissectors on hand-made conversations (FTP with its data connection, SMTP with
 * a message across segments and AUTH, IMAP and POP with STARTTLS/STLS handing over to TLS), fed
 * through the stream layer as the sweep feeds them. Expected texts are tshark 4.0.17's (checked on
 * the ppa3 and wild mail/FTP captures by columns.conformance.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { StreamApp } from './stream';
import { appInfo, appProtocol, prepareApp } from './app';
import { CaptureSession, MemorySource } from '../index';
import { ftpAnnounced } from '../../../test/capture/ftp-announced';
import type { AppDissector, DirState, Expected } from './types';

const enc = (s: string) => new TextEncoder().encode(s);

/** A conversation client:cport ↔ server:sport fed segment by segment (sequence numbers kept per side). */
class Talk {
  readonly st: StreamApp;
  private readonly seq = [1, 1];
  n = 0;
  constructor(cport: number, sport: number, expected?: Expected, expect?: (port: number, by: AppDissector, link: DirState) => void) {
    this.st = new StreamApp(cport, sport, expected, expect);
  }
  say(fromClient: boolean, text: string | Uint8Array): string {
    const d = fromClient ? 0 : 1;
    const b = typeof text === 'string' ? enc(text) : text;
    this.st.feed(++this.n, d, this.seq[d], b, false, this.n / 10, false, false);
    this.seq[d] += b.length;
    const f = this.st.frames.get(this.n);
    return f ? (f.segment ? '[segment]' : `${appProtocol(f)} | ${appInfo(f)}`) : '';
  }
  fields(n = this.n): Record<string, string> {
    return Object.fromEntries(this.st.frames.get(n)!.pdus.flatMap((p) => p.fields));
  }
}

describe('FTP', () => {
  it('requests and responses, and a PASV data connection named by the transfer command', () => {
    const announced: [number, Expected][] = [];
    const t = new Talk(2555, 21, undefined, (port, by, link) => announced.push([port, { by, link }]));
    expect(t.say(false, '220 FileZilla Server version 0.9.34 beta\r\n')).toBe('FTP | Response: 220 FileZilla Server version 0.9.34 beta');
    expect(t.say(true, 'USER salesxfer\r\n')).toBe('FTP | Request: USER salesxfer');
    expect(t.fields()['ftp.request.command']).toBe('USER');
    expect(t.say(false, '227 Entering Passive Mode (172,16,16,121,192,14)\r\n')).toBe('FTP | Response: 227 Entering Passive Mode (172,16,16,121,192,14)');
    expect(t.fields()['ftp.passive.port']).toBe('49166');
    expect(announced.map(([p]) => p)).toEqual([49166]);
    t.say(true, 'STOR store.csv\r\n');
    // A line without its end is shown as it is (FTP is not reassembled).
    expect(t.say(true, 'NOOP')).toBe('FTP | Request: NOOP');
    const data = new Talk(2559, 49166, announced[0][1]);
    expect(data.say(true, new Uint8Array(1460))).toBe('FTP-DATA | FTP Data: 1460 bytes (PASV) (STOR store.csv)');
    expect(data.fields()['ftp-data.setup-frame']).toBe('3');
  });
});

describe('SMTP', () => {
  it('pipelined commands, multi-line replies, a message in DATA fragments ending as SMTP/IMF', () => {
    const t = new Talk(50593, 25);
    expect(t.say(false, '220 mail01 ESMTP Postfix (Ubuntu)\r\n')).toBe('SMTP | S: 220 mail01 ESMTP Postfix (Ubuntu)');
    expect(t.say(false, '250-mail01\r\n250-PIPELINING\r\n250 DSN\r\n')).toBe('SMTP | S: 250-mail01 | PIPELINING | DSN');
    expect(t.say(true, 'MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n')).toBe('SMTP | C: MAIL FROM:<a@b> | RCPT TO:<c@d> | DATA');
    // A command cut by the segment waits for its line end.
    expect(t.say(false, '250 2.1.0 Ok\r\n354 End data')).toBe('SMTP | S: 250 2.1.0 Ok');
    expect(t.say(false, ' with <CR><LF>.<CR><LF>\r\n')).toBe('SMTP | S: 354 End data with <CR><LF>.<CR><LF>');
    const msg = 'From: Chris <c@x>\r\nTo: d@y\r\nSubject: New Coworker\r\nContent-Type: multipart/mixed;\r\n boundary="XX"\r\n\r\npre\r\n--XX\r\nContent-Type: text/plain\r\n\r\nhi\r\n--XX\r\nContent-Type: image/jpeg;\r\n name="a.jpg"\r\n\r\nAAAA\r\n--XX--\r\n';
    const b = enc(msg);
    expect(t.say(true, b.subarray(0, 40))).toBe('SMTP | C: DATA fragment, 40 bytes');
    expect(t.say(true, b.subarray(40, b.length - 1))).toBe(`SMTP | C: DATA fragment, ${b.length - 41} bytes`);
    // The end mark straddles the segments.
    expect(t.say(true, enc('\n.\r\nQUIT\r\n'))).toBe('SMTP/IMF | from: Chris <c@x>, subject: New Coworker,  (text/plain) (image/jpeg)');
    expect(t.fields()['imf.subject']).toBe('New Coworker');
    expect(t.say(false, '250 2.0.0 Ok: queued\r\n')).toBe('SMTP | S: 250 2.0.0 Ok: queued');
    expect(t.say(true, 'QUIT\r\n')).toBe('SMTP | C: QUIT');
  });

  it('AUTH: the client lines after a 334 are DATA fragments; STARTTLS then 220 hands over to TLS', () => {
    const t = new Talk(50011, 25);
    t.say(true, 'AUTH NTLM\r\n');
    t.say(false, '334 \r\n');
    expect(t.say(true, 'TlRMTVNTUAABAAAABwIAAg==\r\n')).toBe('SMTP | C: DATA fragment, 26 bytes');
    t.say(false, '235 Authentication successful\r\n');
    expect(t.say(true, 'STARTTLS\r\n')).toBe('SMTP | C: STARTTLS');
    expect(t.say(false, '220 2.0.0 Ready to start TLS\r\n')).toBe('SMTP | S: 220 2.0.0 Ready to start TLS');
    const hello = Uint8Array.from([22, 3, 1, 0, 4, 1, 0, 0, 0]);
    expect(t.say(true, hello)).toMatch(/^TLSv1 \| Client Hello/);
  });
});

describe('IMAP and POP', () => {
  it('IMAP: the last line of a PDU in Info; tagged OK to STARTTLS hands over to TLS', () => {
    const t = new Talk(51147, 143);
    expect(t.say(false, '* OK IMAP4rev1 server ready\r\n')).toBe('IMAP | Response: * OK IMAP4rev1 server ready');
    expect(t.say(true, 'a002 LOGOUT\r\n')).toBe('IMAP | Request: a002 LOGOUT');
    expect(t.say(false, '* BYE\r\na002 OK LOGOUT completed\r\n')).toBe('IMAP | Response: a002 OK LOGOUT completed');
    expect(t.say(true, '1 STARTTLS\r\n')).toBe('IMAP | Request: 1 STARTTLS');
    expect(t.say(false, '1 OK Begin TLS negotiation now.\r\n')).toBe('IMAP | Response: 1 OK Begin TLS negotiation now.');
    expect(t.say(true, Uint8Array.from([22, 3, 1, 0, 4, 1, 0, 0, 0]))).toMatch(/^TLSv1 \| Client Hello/);
  });

  it('POP: status lines, commands, and a continuation line as POP/IMF', () => {
    const t = new Talk(50013, 110);
    expect(t.say(false, '+OK POP3 server ready\r\n')).toBe('POP | S: +OK POP3 server ready');
    expect(t.say(true, 'AUTH NTLM\r\n')).toBe('POP | C: AUTH NTLM');
    expect(t.fields()['pop.request.command']).toBe('AUTH');
    expect(t.say(false, '+ \r\n')).toBe('POP/IMF | +   ');
  });
});

describe('SSH', () => {
  const str = (x: string) => [0, 0, 0, x.length, ...enc(x)];
  const packet = (code: number, body: number[]) => {
    const pad = 8 - ((6 + body.length) % 8) + 4;
    const len = 2 + body.length + pad;
    return Uint8Array.from([0, 0, len >> 8, len & 255, pad, code, ...body, ...new Array(pad).fill(0)]);
  };
  const kexInit = (algs: string) => packet(20, [...new Array(16).fill(1), ...str(algs), ...new Array(9).fill(0).flatMap(() => str('x')), 0, 0, 0, 0, 0]);

  it('banners, the key exchange named after the agreed algorithm, then encrypted packets', () => {
    const t = new Talk(51880, 22);
    // The server speaks first: its row gets the version the client's banner says (tshark -2).
    t.say(false, 'SSH-2.0-OpenSSH_5.8\r\n');
    expect(t.say(true, 'SSH-2.0-OpenSSH_5.9\r\n')).toBe('SSHv2 | Client: Protocol (SSH-2.0-OpenSSH_5.9)');
    expect(appProtocol(t.st.frames.get(1)!)).toBe('SSHv2');
    const k = kexInit('diffie-hellman-group-exchange-sha256');
    // A packet split over two segments is reassembled.
    expect(t.say(true, k.subarray(0, 10))).toBe('[segment]');
    expect(t.say(true, k.subarray(10))).toBe('SSHv2 | Client: Key Exchange Init');
    t.say(false, kexInit('diffie-hellman-group-exchange-sha256,ecdh-sha2-nistp256'));
    expect(t.say(true, packet(34, [0, 0, 8, 0]))).toBe('SSHv2 | Client: Diffie-Hellman Group Exchange Request');
    expect(t.say(false, Uint8Array.from([...packet(33, [1, 2]), ...packet(21, [])]))).toBe('SSHv2 | Server: Diffie-Hellman Group Exchange Reply, New Keys');
    expect(t.say(false, new Uint8Array(52))).toBe('SSHv2 | Server: Encrypted packet (len=52)');
    // The client has not sent New Keys yet; a truncated packet is malformed, without an exception.
    expect(t.say(true, Uint8Array.from([0, 0]))).toBe('[segment]');
  });
});

describe('FTP data connections', () => {
  // tshark: the conversation FTP announced takes over after the data connection's SYN, so the SYN
  // bit never shows in tcp.completeness (30 on every frame, not 31).
  for (const mode of ['pasv', 'port'] as const) {
    it(`announced by ${mode.toUpperCase()}: tcp.completeness without the SYN (as tshark -2)`, async () => {
      const s = new CaptureSession(new MemorySource(ftpAnnounced(mode)));
      await s.load();
      await prepareApp(s, s.frameCount);
      const values = s.analyzer.conversations.map((cv, k) => `${k}:${cv.completenessAt(s.frameCount)}`);
      expect(values).toEqual(['0:15', '1:30']);
      // Without the announcement (the control connection left out) the same SYN counts.
      const t = new CaptureSession(new MemorySource(ftpAnnounced(mode, false)));
      await t.load();
      await prepareApp(t, t.frameCount);
      expect(t.analyzer.conversations.map((cv) => cv.completenessAt(t.frameCount))).toEqual([31]);
    });
  }
});
