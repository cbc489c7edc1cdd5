/**
 * QUIC against tshark 4.0.17: a built capture with real Initial protection (test/capture/quic-corpus.ts,
 * tshark asked live) and the tcpdump test suite's QUIC captures (handshake, Retry, Version
 * Negotiation, a capture cut at 256 bytes; Google QUIC in two header layouts): Protocol, Info, the SNI and ALPN of the ClientHello
 * inside the Initial, the header fields, the expert messages. Then damaged input straight into the
 * dissector: every prefix of every datagram, bogus lengths, random bytes — no exception.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DetailNode } from '../model/types';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { engineColumns, tsharkColumns, writeTestCapture } from '../../../test/app-columns';
import { writePcap } from '../../../test/capture/build';
import { quicCorpus, quicSplitHello } from '../../../test/capture/quic-corpus';
import { seqscope, tshark } from '../../../test/run-cli';
import { QUIC } from './quic';

const FIELDS = ['tls.handshake.extensions_server_name', 'tls.handshake.extensions_alpn_str', 'quic.version', 'quic.dcid', 'quic.scid', 'quic.packet_number', 'quic.frame_type', 'quic.crypto.length', 'quic.padding_length', '_ws.expert.message'];

async function compare(path: string, bytes: Uint8Array): Promise<void> {
  const want = tsharkColumns(path, FIELDS).map((r) => r.map((x) => x ?? '').join(' | '));
  const got = (await engineColumns(bytes, FIELDS)).map((r) => r.join(' | '));
  expect(got).toEqual(want);
}

describe('QUIC against tshark', () => {
  it('a built capture: Initials decrypted (SNI, ALPN), Handshake/1-RTT protected, Version Negotiation, damaged packets', { timeout: 60_000 }, async () => {
    const bytes = writePcap(quicCorpus());
    const path = writeTestCapture('quic-corpus.pcap', bytes);
    await compare(path, bytes);
    // The decrypted ClientHello really is compared: its SNI is in the rows.
    const rows = await engineColumns(bytes, FIELDS);
    expect(rows[0]).toEqual(expect.arrayContaining(['QUIC', 'Initial, DCID=0001020304050607, PKN: 0, CRYPTO, PADDING', 'example.test', 'h3']));
  });
  it('a ClientHello spread over two Initials (SNI in the first part, then in the second): gathered, shown in the second as tshark', { timeout: 60_000 }, async () => {
    const bytes = writePcap(quicSplitHello());
    const path = writeTestCapture('quic-split-hello.pcap', bytes);
    const fields = [...FIELDS, 'quic.crypto.offset', 'tls.handshake.length', 'tls.handshake.type', 'tls.handshake.reassembled_in', 'tls.handshake.fragment', 'tls.handshake.fragment.count'];
    const want = tsharkColumns(path, fields).map((r) => r.map((x) => x ?? '').join(' | '));
    const rows = await engineColumns(bytes, fields);
    expect(rows.map((r) => r.join(' | '))).toEqual(want);
    // Not in the first Initial: the SNI is read from the gathered message, in the one that completes it.
    expect(rows.map((r) => r[2])).toEqual(['', 'first.example.test', '', '', 'second.example.test', '']);
    const { CaptureSession, MemorySource, readDetail } = await import('../index');
    const s = new CaptureSession(new MemorySource(bytes));
    await s.load();
    const labels = (n: DetailNode[]): string[] => n.flatMap((x) => [x.label, ...labels(x.children ?? [])]);
    expect(labels((await readDetail(s, 1))!.tree)).toContain('Reassembled Handshake Message in frame: 2');
    expect(labels((await readDetail(s, 2))!.tree)).toEqual(expect.arrayContaining(['Handshake Protocol: Client Hello (last fragment)', '[2 Reassembled Handshake Fragments (1316 bytes): #1(900), #2(416)]', 'Server Name: first.example.test']));
    // The display filter `tls` finds every Initial with a handshake record through the CLI, as tshark -Y tls (the
    // protocol is a side field like its fields: it needs the ordered pass).
    const args = ['-n', '-r', path, '-Y', 'tls', '-T', 'fields', '-e', 'frame.number'];
    const [ours, theirs] = await Promise.all([seqscope(args), tshark(args)]);
    expect(ours).toBe(theirs);
    expect(ours.split('\n').filter(Boolean)).toHaveLength(6);
  });
  it.skipIf(!HAS_SHARED)('Google QUIC (Q046 and Q025 headers) and mid-stream short headers: the rows tshark shows as GQUIC, QUIC or UDP on port 443', { timeout: 60_000 }, async () => {
    for (const f of ['tcpdump-tests/gquic.pcap', 'wild/pcpp__many_interfaces-1.pcapng']) {
      const path = join(CAPTURES, 'real', f);
      const want = tsharkColumns(path, ['udp.srcport', 'udp.dstport']);
      const got = await engineColumns(new Uint8Array(readFileSync(path)), ['udp.srcport', 'udp.dstport']);
      const rows = want.map((w, i) => [w, got[i]] as const).filter(([w, g]) => /QUIC/.test(w[0] + (g?.[0] ?? '')) || (w[0] === 'UDP' && (w[2] === '443' || w[3] === '443')));
      expect(rows.filter(([w]) => w[0] === 'GQUIC').length).toBeGreaterThan(0);
      expect(rows.filter(([w, g]) => w.slice(0, 2).join(' | ') !== g?.slice(0, 2).join(' | ')).map(([w, g]) => `${f}: ${w.join(' | ')} ≠ ${g?.join(' | ')}`)).toEqual([]);
    }
  });
  describe.skipIf(!HAS_SHARED)('tcpdump-tests QUIC captures', () => {
    for (const f of ['quic_handshake.pcap', 'quic_retry.pcap', 'quic_vn.pcap', 'quic_handshake_truncated.pcap']) {
      it(f, { timeout: 60_000 }, async () => {
        const path = join(CAPTURES, 'real/tcpdump-tests', f);
        await compare(path, new Uint8Array(readFileSync(path)));
      });
    }
  });
});

describe('QUIC on damaged input', () => {
  it('a decrypted CRYPTO frame running past its packet: "[Malformed Packet: TLS]" in the tree, Info unchanged (tshark)', async () => {
    const { CaptureSession, MemorySource, readRows, readDetail } = await import('../index');
    const s = new CaptureSession(new MemorySource(writePcap(quicCorpus())));
    await s.load();
    const rows = await readRows(s, 11, 11);
    expect(rows[0].info).toBe('Initial, DCID=0001020304050607, PKN: 0, CRYPTO');
    expect((await readDetail(s, 11))!.tree.map((n) => n.label)).toContain('[Malformed Packet: TLS]');
  });
  const datagrams = [...quicCorpus(), ...quicSplitHello()].map((r) => r.data.subarray(42));
  const ctx = { frame: 1, srcPort: 50000, dstPort: 443 };
  it('every prefix of every datagram: a PDU or nothing, no exception', () => {
    for (const d of datagrams) {
      for (let n = 0; n <= d.length; n++) {
        const pdu = QUIC.udp!({ b: d, off: 0, end: n }, ctx);
        if (pdu) expect(pdu.proto).toBe('QUIC');
      }
    }
  });
  it('bogus lengths and connection ID lengths, unknown versions, random bytes', () => {
    const b = new Uint8Array(64);
    let seed = 7;
    for (let i = 0; i < 3000; i++) {
      for (let k = 0; k < b.length; k++) b[k] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      b[0] |= 0x80;
      if (i % 2) b.set([0, 0, 0, 1], 1);
      expect(() => QUIC.udp!({ b, off: 0, end: b.length }, ctx)).not.toThrow();
      expect(() => QUIC.udpOrdered!({ b, off: 0, end: b.length }, { ...ctx, conv: {}, src: 'a' })).not.toThrow();
    }
    // A Length past the datagram: its payload is not decrypted, and no "[Malformed Packet]" (tshark).
    const pdu = QUIC.udp!({ b: datagrams[8], off: 0, end: datagrams[8].length }, ctx)!;
    expect(pdu.info).toBe('Initial, DCID=0001020304050607');
    expect(pdu.malformed).toBe(false);
    // A long header cut in its connection IDs is no QUIC (tshark shows the UDP row).
    expect(QUIC.udp!({ b: datagrams[9], off: 0, end: datagrams[9].length }, ctx)).toBeUndefined();
  });
});
