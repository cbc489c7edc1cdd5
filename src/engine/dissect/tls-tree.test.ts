/**
 * TLS records in the detail tree: the records one segment carries are children of one "Transport
 * Layer Security" node, as tshark shows them (one call of its dissector per segment); a record
 * completed by reassembly is a call, and a node, of its own. Compared with tshark's -O text when
 * tshark is installed.
 */
import { describe, expect, it } from 'vitest';
import { haveTshark } from '../../../test/tshark';
import { engineTreeText, LISTED, tsharkTreeText } from '../../../test/tree-text';
import { Conn, concat, writePcap, type Record_ } from '../../../test/capture/build';
import { CaptureSession, MemorySource, readDetail } from '../index';

const done = Uint8Array.from([0x16, 3, 3, 0, 4, 0x0e, 0, 0, 0]); // a record holding a ServerHelloDone

function capture(): Uint8Array {
  const out: Record_[] = [];
  const c = new Conn(out, { cport: 40000, sport: 443 });
  c.c('0.001', 'S', 0, 0, 64240).s('0.002', 'SA', 0, 1, 64240).c('0.003', 'A', 1, 1, 64240);
  const three = concat([done, done, done]);
  c.s('0.004', 'PA', 1, 1, 64240, 0, { payload: three });
  // A record split after its header (its length known), the second segment also carrying two whole
  // records. (Split inside the header, tshark takes the whole next segment into the reassembly.)
  const rest = concat([done.subarray(7), done, done]);
  c.s('0.005', 'PA', 1 + three.length, 1, 64240, 0, { payload: done.subarray(0, 7) });
  c.s('0.006', 'PA', 1 + three.length + 7, 1, 64240, 0, { payload: rest });
  return writePcap(out);
}

describe('TLS records in the tree', () => {
  it('one node per call: the records of a segment together, a reassembled record apart', async () => {
    const s = new CaptureSession(new MemorySource(capture()));
    await s.load();
    const top = async (n: number) => (await readDetail(s, n))!.tree.filter((x) => x.label === 'Transport Layer Security');
    const four = await top(4);
    expect(four.length).toBe(1);
    expect(four[0].children?.length).toBe(3);
    expect(four[0].start! + four[0].length!).toBe((await readDetail(s, 4))!.bytes.length);
    const six = await top(6);
    expect(six.map((x) => x.children?.length)).toEqual([1, 2]);
  });

  it.skipIf(!haveTshark())(`-O ${LISTED} as tshark prints it`, async () => {
    const bytes = capture();
    expect(await engineTreeText(bytes)).toBe(tsharkTreeText(bytes, 'tls-records.pcap'));
  });
});
