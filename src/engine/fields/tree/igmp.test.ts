/**
 * IGMP at summary level in the detail tree: one "Internet Group Management Protocol" line after IP
 * (an IGMPv2 report, a v3 query), compared with tshark's -O text when tshark is installed.
 */
import { describe, expect, it } from 'vitest';
import { haveTshark } from '../../../../test/tshark';
import { engineTreeText, tsharkTreeText } from '../../../../test/tree-text';
import { DEFAULT_EPOCH, ipv4Packet, LINK, linkFrame, writePcap } from '../../../../test/capture/build';

function capture(): Uint8Array {
  const report = Uint8Array.from([0x16, 0, 0xfa, 0x04, 224, 0, 0, 252]);
  const query = Uint8Array.from([0x11, 100, 0xee, 0x9b, 0, 0, 0, 0, 2, 125, 0, 0]);
  return writePcap([report, query].map((igmp, k) => ({ ts: DEFAULT_EPOCH + BigInt(k) * 1000n, data: linkFrame(LINK.ETHERNET, ipv4Packet('192.0.2.1', '224.0.0.1', 2, igmp)) })));
}

describe('IGMP in the tree', () => {
  it('one summary line after IP', async () => {
    const text = await engineTreeText(capture());
    expect(text.split('\n').filter((l) => l === 'Internet Group Management Protocol').length).toBe(2);
  });

  it.skipIf(!haveTshark())('-O as tshark prints it', async () => {
    const bytes = capture();
    expect(await engineTreeText(bytes)).toBe(tsharkTreeText(bytes, 'igmp.pcap'));
  });
});
