/**
 * The protocols dissected in summary form (rlogin.ts …): Protocol and Info against tshark 4.0.17,
 * asked live on the crafted conversations of test/capture/summary-corpus.ts; then every cut of
 * every PDU straight into the dissector: no exception.
 */
import { describe, expect, it } from 'vitest';
import { engineColumns, tsharkColumns, writeTestCapture } from '../../../test/app-columns';
import { writePcap } from '../../../test/capture/build';
import { summaryCorpus } from '../../../test/capture/summary-corpus';
import { RLOGIN } from './rlogin';
import { MODBUS } from './modbus';
import { NBNS } from './nbns';
import { SSDP } from './ssdp';
import type { TcpContext } from './types';

describe('summary-form protocols against tshark', () => {
  it('every frame agrees', { timeout: 60_000 }, async () => {
    const bytes = writePcap(summaryCorpus());
    const path = writeTestCapture('summary-corpus.pcap', bytes);
    const want = tsharkColumns(path).map((r) => r.join(' | '));
    const got = (await engineColumns(bytes)).map((r) => r.join(' | '));
    expect(got).toEqual(want);
    for (const row of ['DoIP | Routing activation response', 'DoIP | 0x7777 Unknown Payload', 'PGSQL | <D/C/Z', 'PGSQL | <R/S/K/Z', 'NBNS | Name query response NB 10.0.0.5', 'NBNS | Registration NB HOST<20>', 'SSDP | M-SEARCH * HTTP/1.1 ', 'DB-LSP-DISC/JSON | Dropbox LAN sync Discovery Protocol, JavaScript Object Notation', 'Modbus/TCP |    Query: Trans:     1; Unit:  10, Func:   8/  1: Clear Counters and Diagnostic Register', 'Modbus/TCP | Response: Trans:     2; Unit:  10, Func:   8: Diagnostics. Exception returned ', 'Rlogin | Start Handshake[Malformed Packet]', 'Rlogin | Terminal Info (rows=24, cols=80)', 'Rlogin | Startup info received'])
      expect(got).toContain(row);
  });
});

describe('summary-form protocols on damaged bytes', () => {
  const ctx = (fromServer: boolean): TcpContext => ({ dir: {}, peer: {}, fromServer, ports: [1023, 513], frame: 1, time: 0, expect() {} });
  it('Rlogin: every cut of every PDU, both directions', () => {
    const seeds = ['\0alice\0bob\0xterm/38400\0', '\xff\xffss\0\x18\0\x50\0\0\0\0', '\0', 'text\r\n\x01\xc3'].map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0)));
    for (const b of seeds)
      for (let e = 0; e <= b.length; e++)
        for (const fromServer of [false, true]) {
          const p = RLOGIN.tcpPdu!({ b, off: 0, end: e }, ctx(fromServer));
          expect(p.proto).toBe('Rlogin');
          expect(typeof p.info).toBe('string');
        }
  });
  it('NBNS and SSDP: every cut of every datagram, and a name pointer that loops', () => {
    const nbns = Uint8Array.from([0, 1, 0x85, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0xc0, 12, 0, 0x20, 0, 1, 0xc0, 12, 0, 0x20, 0, 1, 0, 0, 0, 0, 0, 6, 0, 0, 10, 0, 0, 1]);
    const ssdp = Uint8Array.from('NOTIFY * HTTP/1.1\r\n', (c) => c.charCodeAt(0));
    for (const [d, b] of [[NBNS, nbns], [SSDP, ssdp]] as const)
      for (let e = 0; e <= b.length; e++) {
        const p = d.udp!({ b, off: 0, end: e }, { frame: 1, srcPort: 137, dstPort: 137 });
        expect(typeof p?.info).toBe('string');
      }
    expect(NBNS.udp!({ b: nbns, off: 0, end: nbns.length }, { frame: 1, srcPort: 137, dstPort: 137 })!.malformed).toBe(true);
  });
  it('Modbus/TCP: every cut of every PDU, both directions; lengths only from whole headers', () => {
    const b = Uint8Array.from([0, 1, 0, 0, 0, 6, 10, 8, 0, 10, 0, 0]);
    for (let e = 0; e <= b.length; e++) {
      const r = MODBUS.tcpLength!({ b, off: 0, end: e }, ctx(false));
      expect(r).toEqual(e >= 8 ? { len: 12 } : undefined);
      for (const fromServer of [false, true]) {
        const p = MODBUS.tcpPdu!({ b, off: 0, end: e }, ctx(fromServer));
        expect(p.info).not.toContain('undefined');
        expect(p.malformed).toBe(e < 8);
      }
    }
  });
});
