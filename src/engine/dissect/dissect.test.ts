/**
 * The application dissectors on hand-made bytes: DNS (names, compression, pointer loops, cut
 * messages, TCP framing), HTTP reassembly across segments (headers, Content-Length and chunked
 * bodies, headers that never end), the stream layer's segment marks and links.
 */
import { describe, expect, it } from 'vitest';
import { dissectDns, DNS } from './dns';
import { HTTP } from './http';
import { DHCPV6 } from './dhcpv6';
import { TELNET } from './telnet';
import { StreamApp } from './stream';
import { appInfo } from './app';

const enc = (s: string) => new TextEncoder().encode(s);
const hex = (h: string) => Uint8Array.from(h.replace(/\s+/g, '').match(/../g)!.map((x) => parseInt(x, 16)));
const name = (n: string) => n.split('.').map((l) => String.fromCharCode(l.length) + l).join('') + '\0';
const bytesOf = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function dnsMsg(id: number, flags: number, qd: string[], an: Uint8Array[] = []): Uint8Array {
  const head = [id >> 8, id & 255, flags >> 8, flags & 255, 0, qd.length, 0, an.length, 0, 0, 0, 0];
  const parts = [Uint8Array.from(head), ...qd.map((q) => Uint8Array.from([...bytesOf(name(q)), 0, 1, 0, 1])), ...an];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** An A record whose name is a pointer to offset 12 (the question's name). */
const aRecord = (ip: number[]) => Uint8Array.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...ip]);

describe('DNS', () => {
  it('a query and its response, as tshark writes Info', () => {
    const q = dnsMsg(0xb10b, 0x0100, ['www.espn.com']);
    expect(dissectDns({ b: q, off: 0, end: q.length }, false).info).toBe('Standard query 0xb10b A www.espn.com');
    const r = dnsMsg(0xb10b, 0x8180, ['www.espn.com'], [aRecord([1, 2, 3, 4]), aRecord([5, 6, 7, 8])]);
    const pdu = dissectDns({ b: r, off: 0, end: r.length }, false);
    expect(pdu.info).toBe('Standard query response 0xb10b A www.espn.com A 1.2.3.4 A 5.6.7.8');
    expect(pdu.fields.filter(([k]) => k === 'dns.a').map(([, v]) => v)).toEqual(['1.2.3.4', '5.6.7.8']);
    expect(pdu.fields.find(([k]) => k === 'dns.flags.response')?.[1]).toBe('1');
    expect(pdu.malformed).toBeFalsy();
  });

  it('rcode names, unknown types and the root name', () => {
    const r = dnsMsg(0x0003, 0x8183, ['x.test']);
    expect(dissectDns({ b: r, off: 0, end: r.length }, false).info).toBe('Standard query response 0x0003 No such name A x.test');
    const root = Uint8Array.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xfb, 0, 1]);
    expect(dissectDns({ b: root, off: 0, end: root.length }, false).info).toBe('Standard query 0x0001 Unknown (507) <Root>');
  });

  it('a compression pointer loop ends (no hang) and the message is malformed', () => {
    // The question's name points at itself; the answer's name points forwards into a loop.
    const m = hex('1234 0100 0001 0001 0000 0000  c00c 0001 0001  c01e 0001 0001 0000003c 0004 01020304');
    const pdu = dissectDns({ b: m, off: 0, end: m.length }, false);
    expect(pdu.info).toContain('<Name too long>');
    const loop = hex('1234 8180 0001 0000 0000 0000 03 616263 c00c');
    expect(() => dissectDns({ b: loop, off: 0, end: loop.length }, false)).not.toThrow();
    expect(dissectDns({ b: loop, off: 0, end: loop.length }, false).malformed).toBe(true);
  });

  it('a message cut short is malformed, what was read stays in Info', () => {
    const r = dnsMsg(0x5934, 0x8180, ['a.org'], [aRecord([1, 2, 3, 4]), aRecord([5, 6, 7, 8])]);
    // As tshark 4.0.17: the cut record is named once its 10-byte fixed part is whole, not before.
    const pdu = dissectDns({ b: r, off: 0, end: r.length - 6 }, false);
    expect(pdu.malformed).toBe(true);
    expect(pdu.info).toBe('Standard query response 0x5934 A a.org A 1.2.3.4');
    expect(dissectDns({ b: r, off: 0, end: r.length - 4 }, false).info).toBe('Standard query response 0x5934 A a.org A 1.2.3.4 A');
  });

  it('over TCP: a 2-byte length before each message, reassembled across segments', () => {
    const m = dnsMsg(0x0007, 0x0000, ['contoso.local']);
    const framed = new Uint8Array(m.length + 2);
    framed.set([m.length >> 8, m.length & 255]);
    framed.set(m, 2);
    const st = new StreamApp(40000, 53);
    st.feed(4, 0, 1, framed.subarray(0, 1), false, 0, false, false);
    st.feed(5, 0, 2, framed.subarray(1, 10), false, 0, false, false);
    st.feed(6, 0, 11, framed.subarray(10), false, 0, false, false);
    expect(st.frames.get(4)?.segment).toBe(true);
    expect(st.frames.get(5)?.segment).toBe(true);
    expect(st.frames.get(4)?.reassembledIn).toBe(6);
    const f = st.frames.get(6)!;
    expect(appInfo(f)).toBe('Standard query 0x0007 A contoso.local');
    expect(f.from).toEqual([4, 5, 6]);
    // tshark's "[3 Reassembled TCP Segments (N bytes): #4(1), #5(9), #6(…)]"
    expect(f.fromBytes).toEqual([1, 9, framed.length - 10]);
    expect(DNS.tcpLength!({ b: framed, off: 0, end: 1 }, {} as never)).toEqual({ more: 1 });
  });

  it('over TCP: a response is linked to its query (dns.response_in / response_to / time, as tshark)', () => {
    const frame = (m: Uint8Array) => Uint8Array.from([m.length >> 8, m.length & 255, ...m]);
    const st = new StreamApp(40000, 53);
    const q = frame(dnsMsg(0xb4c3, 0x0100, ['a.org']));
    const r = frame(dnsMsg(0xb4c3, 0x8180, ['a.org'], [aRecord([1, 2, 3, 4])]));
    st.feed(6, 0, 1, q, false, 1.0, false, false);
    st.feed(10, 1, 1, r, false, 1.051436, false, false);
    const fq = Object.fromEntries(st.frames.get(6)!.pdus[0].fields);
    const fr = Object.fromEntries(st.frames.get(10)!.pdus[0].fields);
    expect(fq['dns.response_in']).toBe('10');
    expect(fr['dns.response_to']).toBe('6');
    expect(fr['dns.time']).toBe('0.051436000');
    expect(st.frames.get(10)!.pdus[0].tree.children!.map((n) => n.label)).toContain('[Request In: 6]');
  });

  it('a PDU whose length stays unknown: its first segment points to the latest one (tshark)', () => {
    const st = new StreamApp(40100, 80);
    const blob = enc('x'.repeat(300));
    st.feed(4, 0, 1, blob.subarray(0, 100), false, 0, false, false);
    st.feed(5, 0, 101, blob.subarray(100, 200), false, 0, false, false);
    st.feed(6, 0, 201, blob.subarray(200), false, 0, false, false);
    expect([4, 5, 6].map((n) => st.frames.get(n)?.segment)).toEqual([true, true, true]);
    expect([4, 5, 6].map((n) => st.frames.get(n)?.reassembledIn)).toEqual([6, undefined, undefined]);
  });
});

describe('HTTP over TCP', () => {
  const req = 'GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n';
  const body = '<html>' + 'x'.repeat(3000) + '</html>';
  const resp = `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

  it('a request split inside its headers, a response body over three segments; response time and links', () => {
    const st = new StreamApp(1606, 80);
    const r = enc(req);
    st.feed(4, 0, 1, r.subarray(0, 20), false, 1.0, false, false);
    st.feed(5, 0, 21, r.subarray(20), false, 1.1, false, false);
    const b = enc(resp);
    st.feed(6, 1, 1, b.subarray(0, 1400), false, 1.25, false, false);
    st.feed(7, 1, 1401, b.subarray(1400, 2800), false, 1.3, false, false);
    st.feed(8, 1, 2801, b.subarray(2800), false, 1.35, false, false);
    expect(st.frames.get(4)?.segment).toBe(true);
    expect(appInfo(st.frames.get(5)!)).toBe('GET /index.html HTTP/1.1 ');
    expect(st.frames.get(6)?.segment).toBe(true);
    expect(st.frames.get(7)?.reassembledIn).toBe(8);
    const r8 = st.frames.get(8)!;
    expect(appInfo(r8)).toBe('HTTP/1.1 200 OK  (text/html)');
    const f = Object.fromEntries(r8.pdus[0].fields);
    expect(f['http.response.code']).toBe('200');
    expect(f['http.request_in']).toBe('5');
    expect(f['http.time']).toBe('0.250000000');
    expect(Object.fromEntries(st.frames.get(5)!.pdus[0].fields)['http.response_in']).toBe('8');
    expect(r8.pdus[0].experts?.[0].summary).toBe('HTTP/1.1 200 OK\\r\\n');
  });

  it('a request line cut by the capture: Continuation, with the method, URI and version it has (as tshark)', () => {
    const st = new StreamApp(40100, 80);
    st.feed(4, 0, 1, enc('GET / HTTP'), false, 0, true, false);
    const f = st.frames.get(4)!;
    expect(appInfo(f, true)).toBe('Continuation');
    const v = Object.fromEntries(f.pdus[0].fields);
    expect([v['http.request'], v['http.request.method'], v['http.request.uri'], v['http.request.version']]).toEqual(['1', 'GET', '/', 'HTTP']);
  });

  it('a retransmitted segment is not dissected again', () => {
    const st = new StreamApp(1606, 80);
    const r = enc(req);
    st.feed(4, 0, 1, r, false, 0, false, false);
    st.feed(5, 0, 1, r, true, 0, false, false);
    expect(st.frames.get(4)?.pdus.length).toBe(1);
    // Marked, without PDUs: tshark's "Retransmitted TCP segment data", no payload dissected.
    expect(st.frames.get(5)).toMatchObject({ pdus: [], segment: false, retransmitted: true });
  });

  it('a chunked body ends with its last chunk; pipelined requests in one segment', () => {
    const st = new StreamApp(1606, 8080);
    st.feed(4, 0, 1, enc(req + req.replace('index', 'two')), false, 0, false, false);
    expect(appInfo(st.frames.get(4)!)).toBe('GET /index.html HTTP/1.1  , GET /two.html HTTP/1.1 ');
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n5\r\n{"a":\r\n2\r\n1}\r\n0\r\n\r\n';
    const b = enc(chunked);
    st.feed(6, 1, 1, b.subarray(0, 90), false, 0, false, false);
    expect(st.frames.get(6)?.segment).toBe(true);
    st.feed(7, 1, 91, b.subarray(90), false, 0, false, false);
    const f = st.frames.get(7)!;
    expect(f.pdus[0].proto).toBe('HTTP/JSON');
    expect(appInfo(f)).toBe('HTTP/1.1 200 OK , JavaScript Object Notation (application/json)');
  });

  it('headers that never end stay pending, without an exception', () => {
    const st = new StreamApp(1606, 80);
    let seq = 1;
    const line = enc('X-Long: ' + 'y'.repeat(1000) + '\r\n');
    st.feed(3, 0, seq, enc('GET / HTTP/1.1\r\n'), false, 0, false, false);
    seq += 16;
    for (let n = 4; n < 200; n++) {
      expect(() => st.feed(n, 0, seq, line, false, 0, false, false)).not.toThrow();
      seq += line.length;
    }
    expect(st.frames.get(199)?.segment).toBe(true);
  });

  it('the heuristic finds HTTP on other ports; illegal header names are an expert item', () => {
    expect(HTTP.heuristicTcp!({ b: enc(req), off: 0, end: req.length })).toBe(true);
    expect(HTTP.heuristicTcp!({ b: enc('HELLO world\r\n'), off: 0, end: 13 })).toBe(false);
    const st = new StreamApp(50000, 5000);
    st.feed(4, 0, 1, enc('GET / HTTP/1.1\r\nBad Name: x\r\n\r\n'), false, 0, false, false);
    const e = st.frames.get(4)!.pdus[0].experts!.map((x) => x.summary);
    expect(e).toContain('Illegal characters found in header name');
  });
});

describe('TLS over TCP', () => {
  const rec = (ct: number, ver: number, body: number[]) => [ct, ver >> 8, ver & 255, body.length >> 8, body.length & 255, ...body];
  const hs = (t: number, body: number[]) => [t, 0, body.length >> 8, body.length & 255, ...body];
  const sni = (name: string) => {
    const n = [...name].map((c) => c.charCodeAt(0));
    const list = [0, n.length >> 8, n.length & 255, ...n];
    const ext = [list.length >> 8, list.length & 255, ...list];
    return [0, 0, ext.length >> 8, ext.length & 255, ...ext];
  };
  const clientHello = (name: string) => {
    const exts = sni(name);
    return hs(1, [3, 3, ...new Array(32).fill(7), 0, 0, 4, 0xc0, 0x2f, 0x13, 0x01, 1, 0, exts.length >> 8, exts.length & 255, ...exts]);
  };
  const serverHello = hs(2, [3, 3, ...new Array(32).fill(9), 0, 0xc0, 0x2f, 0, 0, 0]);

  it('hello records split across segments, several records in one segment, the session version on every frame', () => {
    const st = new StreamApp(50000, 443);
    const ch = Uint8Array.from(rec(22, 0x0301, clientHello('example.org')));
    st.feed(4, 0, 1, ch.subarray(0, 10), false, 0, false, false);
    st.feed(5, 0, 11, ch.subarray(10), false, 0, false, false);
    const sh = Uint8Array.from([...rec(22, 0x0303, [...serverHello, ...hs(14, [])]), ...rec(20, 0x0303, [1]), ...rec(22, 0x0303, [1, 2, 3, 4, 5, 6])]);
    st.feed(6, 1, 1, sh, false, 0, false, false);
    st.feed(7, 0, ch.length + 1, Uint8Array.from([...rec(23, 0x0303, [1, 2, 3]), ...rec(21, 0x0303, [2, 40])]), false, 0, false, false);
    expect(st.frames.get(4)?.segment).toBe(true);
    const f5 = st.frames.get(5)!;
    expect(appInfo(f5)).toBe('Client Hello');
    expect(f5.pdus[0].proto).toBe('TLSv1.2');
    const fields = Object.fromEntries(f5.pdus[0].fields);
    expect(fields['tls.handshake.extensions_server_name']).toBe('example.org');
    expect(fields['tls.handshake.type']).toBe('1');
    expect(appInfo(st.frames.get(6)!)).toBe('Server Hello, Server Hello Done, Change Cipher Spec, Encrypted Handshake Message');
    expect(appInfo(st.frames.get(7)!)).toBe('Application Data, Alert (Level: Fatal, Description: Handshake Failure)');
  });

  it('port 443 bytes that are no TLS record go to the heuristics (HTTP here); a record length past the data stays pending', () => {
    const st = new StreamApp(50000, 443);
    st.feed(4, 0, 1, enc('GET / HTTP/1.1\r\nHost: a\r\n\r\n'), false, 0, false, false);
    expect(st.frames.get(4)!.pdus[0].proto).toBe('HTTP');
    const t = new StreamApp(50001, 443);
    t.feed(4, 0, 1, Uint8Array.from([23, 3, 3, 0xff, 0xff, 1, 2, 3]), false, 0, false, false);
    expect(t.frames.get(4)?.segment).toBe(true);
    // Cut by the capture: shown with what is there, no exception.
    t.feed(5, 1, 1, Uint8Array.from([22, 3, 3, 0x40, 0x00, 2, 0, 0xff, 0xff]), false, 0, true, false);
    expect(() => appInfo(t.frames.get(5)!)).not.toThrow();
  });
});

describe('the application corpus through a session (rows, details, fields)', () => {
  it('every frame projects; malformed DNS shows tshark\'s "[Malformed Packet]" in Info and the tree', async () => {
    const { CaptureSession, MemorySource, readRows, readDetail } = await import('../index');
    const { writePcap } = await import('../../../test/capture/build');
    const { appCorpus } = await import('../../../test/capture/app-corpus');
    const s = new CaptureSession(new MemorySource(writePcap(appCorpus())));
    await s.load();
    const rows = await readRows(s, 1, s.frameCount);
    const info = rows.map((r) => `${r.protocol} ${r.info}`);
    expect(info[0]).toBe('DNS Standard query 0xb10b A www.espn.com');
    expect(info[1]).toBe('DNS Standard query response 0xb10b A www.espn.com CNAME www.espn.com A 1.2.3.4');
    expect(info[2]).toMatch(/^DNS .*\[Malformed Packet\]$/);
    expect(info[3]).toMatch(/^DNS .*\[Malformed Packet\]$/);
    expect(info).toContain('HTTP GET /a HTTP/1.1 ');
    expect(info).toContain('HTTP HTTP/1.1 200 OK  (text/html)');
    expect(info).toContain('TLSv1.2 Client Hello');
    expect(info).toContain('TLSv1.2 Server Hello, Change Cipher Spec, Application Data');
    expect(info.filter((x) => x.endsWith('[TCP segment of a reassembled PDU]')).length).toBeGreaterThanOrEqual(5);
    const loop = await readDetail(s, 3);
    expect(loop!.tree.map((n) => n.label)).toContain('[Malformed Packet: DNS]');
    for (let n = 1; n <= s.frameCount; n++) expect((await readDetail(s, n))!.tree.length).toBeGreaterThan(0);
  });
});

describe('DHCPv6', () => {
  const msg = (h: string) => {
    const b = hex(h);
    return DHCPV6.udp!({ b, off: 0, end: b.length }, { frame: 1, srcPort: 546, dstPort: 547 });
  };
  it('Info as tshark writes it: type, XID (6 hex digits), CID, each IA address', () => {
    // ppa3 dhcp6_outlease_acquisition frame 2 (Advertise), shortened: client id, server id, IA_NA with one address.
    const p = msg('02 9de03f 0001000e 000100011def69bd000c295e7744 0002000e 000100011de4b858000c291fa755 ' +
      '00030028 295e7744 00000708 00000b40 00050018 20010db8000100020000000000001002 00000e10 00000e10');
    expect(p?.proto).toBe('DHCPv6');
    expect(p?.info).toBe('Advertise XID: 0x9de03f CID: 000100011def69bd000c295e7744 IAA: 2001:db8:1:2::1002 ');
    expect(p?.fields.filter(([k]) => k === 'dhcpv6.duid.bytes').map(([, v]) => v)).toEqual(['000100011def69bd000c295e7744', '000100011de4b858000c291fa755']);
  });
  it('options running past the data end the walk quietly, as tshark (no Malformed Packet)', () => {
    expect(msg('07 000001 00010020 aabb')?.info).toBe('Reply XID: 0x000001 ');
    const cut = msg('01 123456 00010004 aabbccdd 00030028 00000001 0000000000000000 00050018 20010db8000000000000000000000001');
    expect(cut?.info).toBe('Solicit XID: 0x123456 CID: aabbccdd ');
    expect(cut?.malformed).toBeFalsy();
    expect(msg('01 12')).toBeUndefined();
  });
});

describe('Telnet', () => {
  const seg = (bytes: Uint8Array) => TELNET.tcpPdu!({ b: bytes, off: 0, end: bytes.length }, { dir: {}, peer: {}, fromServer: false, ports: [42036, 23], frame: 1, time: 0, expect: () => {} });
  it('every segment a PDU: "Telnet Data ...", one Data line per line (crafted_options_odd_mss_nop_eol frames 4-5)', () => {
    const b = enc('login\r\nx');
    expect(TELNET.tcpLength!({ b, off: 0, end: b.length }, undefined as never)).toEqual({ len: 8 });
    const p = seg(b);
    expect([p.proto, p.info]).toEqual(['TELNET', 'Telnet Data ...']);
    expect(p.fields.filter(([k]) => k === 'telnet.data').map(([, v]) => v)).toEqual(['login\r\n', 'x']);
    expect(p.tree.children?.map((n) => n.label)).toEqual(['Data: login\\r\\n', 'Data: x']);
  });
  it('commands (IAC) are not read as text, and a long segment is no problem', () => {
    expect(seg(Uint8Array.from([0xff, 0xfb, 0x01])).fields).toEqual([['telnet', '']]);
    expect(seg(new Uint8Array(200000).fill(0x61)).fields.length).toBe(2);
  });
});
