/**
 * "Retransmitted TCP segment data (N bytes)" at the end of the TCP subtree: tshark 4.0.17 adds it to
 * a retransmission (RTO) whose payload was captured whole, whether or not an application dissector
 * has the conversation, and leaves it out when the snap length cut the payload. Compared with
 * tshark's -O text when tshark is installed.
 */
import { describe, expect, it } from 'vitest';
import { haveTshark } from '../../../../test/tshark';
import { engineTreeText, LISTED, tsharkTreeText } from '../../../../test/tree-text';
import { Conn, writePcap, type Record_ } from '../../../../test/capture/build';
import { CaptureSession, MemorySource, readDetail } from '../../index';
import { prepareApp } from '../../dissect/app';

function capture(): Uint8Array {
  const out: Record_[] = [];
  for (const [k, sport] of [[0, 1043], [1, 80]] as const) {
    const c = new Conn(out, { cport: 41000 + k, sport });
    const t = (x: number) => (k * 10 + x).toFixed(3);
    c.c(t(0.001), 'S', 0, 0, 64240).s(t(0.002), 'SA', 0, 1, 64240).c(t(0.003), 'A', 1, 1, 64240);
    c.c(t(0.004), 'PA', 1, 1, 64240, 300);
    c.c(t(0.5), 'PA', 1, 1, 64240, 300); // RTO retransmission, whole
    c.c(t(1.5), 'PA', 1, 1, 64240, 300); // again, cut by the snap length below
  }
  // Frames 6 and 12 keep only their first 80 bytes.
  for (const n of [6, 12]) out[n - 1] = { ...out[n - 1], origLen: out[n - 1].data.length, data: out[n - 1].data.subarray(0, 80) };
  return writePcap(out);
}

describe('Retransmitted TCP segment data', () => {
  it('on a whole retransmission, with or without a dissector; not when cut', async () => {
    const s = new CaptureSession(new MemorySource(capture()));
    await s.load();
    await prepareApp(s, s.frameCount);
    const last = async (n: number) => {
      const tcp = (await readDetail(s, n))!.tree.find((x) => x.proto === 'tcp')!;
      return tcp.children![tcp.children!.length - 1].label;
    };
    expect(await last(5)).toBe('Retransmitted TCP segment data (300 bytes)');
    expect(await last(11)).toBe('Retransmitted TCP segment data (300 bytes)');
    expect(await last(6)).not.toContain('Retransmitted');
    expect(await last(12)).not.toContain('Retransmitted');
  });

  it.skipIf(!haveTshark())(`-O ${LISTED} as tshark prints it`, async () => {
    const bytes = capture();
    expect(await engineTreeText(bytes)).toBe(tsharkTreeText(bytes, 'retransmitted-data.pcap'));
  });
});
