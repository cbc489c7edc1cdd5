/**
 * HTTP bodies of hundreds of KB to MB reassembled whole, as tshark 4.0.17 does by default (not
 * cut at the stream layer's 64 KiB): a Content-Length body, a chunked body past the 1 MiB held for
 * PDUs of unknown length, a body that runs to the FIN (a FIN without data ends it), and a
 * keep-alive connection with several requests. A built capture (1448-byte segments, as a real
 * download), compared with tshark asked live: Protocol, Info, lengths, links, the body as
 * http.file_data, and the reassembly lines of the detail tree.
 */
import { describe, expect, it } from 'vitest';
import { writePcap } from '../../../test/capture/build';
import { httpBodyCorpus } from '../../../test/capture/http-corpus';
import { engineColumns, tsharkColumns, writeTestCapture } from '../../../test/app-columns';
import { CaptureSession, MemorySource, readDetail } from '../index';

const FIELDS = ['http.content_length', 'http.response_in', 'http.request_in', 'http.file_data', 'http.response.code', 'http.request.full_uri', 'tcp.reassembled_in', 'tcp.segment.count', 'tcp.reassembled.length', 'tcp.segment'];

describe('HTTP bodies of several hundred KB to MB (tshark 4.0.17, live)', () => {
  const bytes = writePcap(httpBodyCorpus());
  const path = writeTestCapture('http-bodies.pcap', bytes);

  it('Protocol, Info, content length, request/response links, the whole body as http.file_data and TCP\'s reassembly fields on every frame', { timeout: 120_000 }, async () => {
    const want = tsharkColumns(path, FIELDS).map((r) => r.map((x) => x ?? ''));
    // Control characters as -T fields prints them.
    const esc: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };
    const got = (await engineColumns(bytes, FIELDS)).map((r) => r.map((x) => x.replace(/[\b\t\n\f\r]/g, (ch) => esc[ch])));
    expect(got.length).toBe(want.length);
    const bad = got.map((g, i) => [i + 1, g, want[i]] as const).filter(([, g, w]) => g.join('\t') !== w.join('\t'));
    expect(bad.map(([n, g, w]) => `frame ${n}: ${g.slice(0, 4).join(' | ').slice(0, 200)} ≠ ${w.slice(0, 4).join(' | ').slice(0, 200)}`)).toEqual([]);
    // The long bodies really are whole: the 300 000-byte one and the 1.5 MB chunked one, as text lines.
    const bodies = got.filter((r) => r[0].startsWith('HTTP') && r[1].startsWith('HTTP/1.1 200')).map((r) => r[5].replace(/\\n/g, '\n').length);
    expect(bodies).toEqual([300_000, 1_500_000, 100_000, 70_000, 10, 200_000]);
  });

  it('the detail tree of the frame ending each long body: "[N Reassembled TCP Segments (…)]" and the body line, as tshark', { timeout: 120_000 }, async () => {
    const s = new CaptureSession(new MemorySource(bytes));
    await s.load();
    const rows = tsharkColumns(path, ['frame.number', 'tcp.len', 'http.content_length']);
    // The responses of 200 whose body spans segments (all but the 10-byte one).
    const ends = rows.filter((r) => r[0].startsWith('HTTP') && r[1].startsWith('HTTP/1.1 200') && r[4] !== '10').map((r) => [Number(r[2]), Number(r[3])] as const);
    expect(ends.length).toBe(5);
    for (const [n, len] of ends) {
      const tree = (await readDetail(s, n))!.tree;
      const labels = tree.map((x) => x.label);
      const reassembled = tree.find((x) => /^\[\d+ Reassembled TCP Segments \(\d+ bytes\)/.test(x.label));
      expect(reassembled, `frame ${n}`).toBeDefined();
      const kids = reassembled!.children!.map((x) => x.label);
      const total = Number(/\((\d+) bytes\)/.exec(reassembled!.label)![1]);
      expect(kids).toContain(`[Reassembled TCP length: ${total}]`);
      expect(labels.some((l) => /^Line-based text data: text\/plain \(\d+ lines\)$/.test(l))).toBe(true);
      const tcp = tree.find((x) => x.label.startsWith('Transmission Control Protocol'))!.children!.map((x) => x.label);
      // The body ended by a FIN without data: no "TCP segment data (0 bytes)", the FIN listed as "(no data)".
      if (len === 0) {
        expect(tcp.some((l) => l.startsWith('TCP segment data'))).toBe(false);
        expect(kids).toContain(`[Frame: ${n} (no data)]`);
      } else expect(tcp).toContain(`TCP segment data (${len} bytes)`);
    }
    // Line counts against tshark's tree.
    const { execFileSync } = await import('node:child_process');
    const text = execFileSync('tshark', ['-2', '-n', '-r', path, '-Y', 'http.response.code == 200'], { maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    expect(text.split('\n').filter(Boolean).length).toBe(6);
    const tsharkLines = execFileSync('tshark', ['-2', '-n', '-r', path, '-Y', 'http.response.code == 200', '-V'], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString().split('\n').filter((l) => l.startsWith('Line-based text data'));
    const ours: string[] = [];
    const ok = rows.filter((r) => r[1].startsWith('HTTP/1.1 200')).map((r) => Number(r[2]));
    for (const n of ok) for (const x of (await readDetail(s, n))!.tree) if (x.label.startsWith('Line-based text data')) ours.push(x.label);
    expect(ours.length).toBe(6);
    expect(ours).toEqual(tsharkLines);
  });
});
