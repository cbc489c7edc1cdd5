/**
 * JXTA's TCP heuristic on payloads the capture cut (jxta.ts): "[Packet size limited during capture:
 * JXTA truncated]" instead of Data when it reads a name length or a value length past the captured
 * bytes, Data when a name or value is not all captured. Payloads of 1428 bytes counting up from
 * 0x70, as real_capture_starts_midstream_ipv6 frames 32 and 192, cut at 112..115 bytes; compared
 * with tshark's -O text when tshark is installed.
 */
import { describe, expect, it } from 'vitest';
import { haveTshark } from '../../../test/tshark';
import { engineTreeText, LISTED, tsharkTreeText } from '../../../test/tree-text';
import { Conn, writePcap, type Record_ } from '../../../test/capture/build';
import { CaptureSession, MemorySource, readDetail, readRows } from '../index';
import { prepareApp } from './app';
import { JXTA } from './jxta';

const counting = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 255);
const CUTS = [112, 113, 114, 115];

function capture(): Uint8Array {
  const out: Record_[] = [];
  const c = new Conn(out, { sport: 7701 });
  c.c('0.000', 'S', 0, 0, 64240).s('0.001', 'SA', 0, 1, 64240).c('0.002', 'A', 1, 1, 64240);
  CUTS.forEach((_, i) => c.c((0.003 + i / 1000).toFixed(3), 'A', 1 + i * 1428, 1, 64240, 0, { payload: counting(0x70, 1428) }));
  // Ethernet + IPv4 + TCP headers: 54 bytes before the payload.
  CUTS.forEach((cut, i) => {
    const r = out[3 + i];
    out[3 + i] = { ...r, origLen: r.data.length, data: r.data.subarray(0, 54 + cut) };
  });
  return writePcap(out);
}

describe('JXTA truncated', () => {
  it('the rule on its own', () => {
    const p = counting(0x70, 1428);
    const cut = (n: number, total = 1428) => JXTA.truncatesTcp!({ b: p, off: 0, end: n }, total);
    expect(CUTS.map((n) => cut(n))).toEqual([false, true, true, false]);
    expect(cut(1428)).toBe(false); // not cut
    expect(cut(113, 114)).toBe(false); // the value length field runs past the reported bytes
    // Framing headers read to the end of the captured bytes, the next name length past them.
    const h = Uint8Array.from([3, 97, 98, 99, 0, 2, 120, 121, 9, 9, 9, 9]);
    expect(JXTA.truncatesTcp!({ b: h, off: 0, end: 8 }, 12)).toBe(true);
    expect(JXTA.truncatesTcp!({ b: h, off: 0, end: 8 }, 8)).toBe(false);
    expect(JXTA.truncatesTcp!({ b: h, off: 0, end: 7 }, 12)).toBe(false); // the value not all there
  });

  it('a frame whose cut payload JXTA reads past: its line instead of Data, TCP Info + "[Packet size limited during capture]"', async () => {
    const s = new CaptureSession(new MemorySource(capture()));
    await s.load();
    await prepareApp(s, s.frameCount);
    const rows = await readRows(s, 4, 7);
    const last = async (n: number) => (await readDetail(s, n))!.tree.at(-1)!.label;
    expect(await last(4)).toBe('Data (112 bytes)');
    expect(await last(5)).toBe('[Packet size limited during capture: JXTA truncated]');
    expect(await last(6)).toBe('[Packet size limited during capture: JXTA truncated]');
    expect(await last(7)).toBe('Data (115 bytes)');
    expect(rows.map((r) => r.protocol)).toEqual(['TCP', 'TCP', 'TCP', 'TCP']);
    expect(rows.map((r) => r.info.endsWith('[Packet size limited during capture]'))).toEqual([false, true, true, false]);
  });

  it.skipIf(!haveTshark())(`-O ${LISTED} as tshark prints it`, async () => {
    const bytes = capture();
    expect(await engineTreeText(bytes)).toBe(tsharkTreeText(bytes, 'jxta-truncated.pcap'));
  });
});
