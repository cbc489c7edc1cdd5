/**
 * IGMP at summary level in the detail tree: one "Internet Group Management Protocol" line after IP
 * (an IGMPv2 report, a v3 query), compared with tshark's -O text when tshark is installed; the Info
 * column of IGMPv3 reports (net-info.ts) against tshark.
 */
import { describe, expect, it } from 'vitest';
import { haveTshark } from '../../../../test/tshark';
import { engineTreeText, tsharkTreeText } from '../../../../test/tree-text';
import { DEFAULT_EPOCH, ipv4Packet, LINK, linkFrame, writePcap } from '../../../../test/capture/build';
import { engineColumns, tsharkColumns, writeTestCapture } from '../../../../test/app-columns';

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

/** IGMPv3 Membership Reports: every record type, 0, 1 and 2 sources, two records, none, one cut short. */
function reports(): Uint8Array {
  const G = [239, 1, 2, 3];
  const H = [239, 9, 9, 9];
  const S1 = [[10, 0, 0, 9]];
  const S2 = [[10, 0, 0, 9], [10, 0, 0, 8]];
  const rec = (type: number, group: number[], srcs: number[][]) => [type, 0, 0, srcs.length, ...group, ...srcs.flat()];
  const rep = (...recs: number[][]) => Uint8Array.from([0x22, 0, 0, 0, 0, 0, 0, recs.length, ...recs.flat()]);
  const bodies = [
    ...[1, 2, 3, 4, 5, 6, 7].flatMap((t) => [rep(rec(t, G, [])), rep(rec(t, G, S1)), rep(rec(t, G, S2))]),
    rep(rec(4, G, []), rec(3, H, [])),
    rep(),
    Uint8Array.from([0x22, 0, 0, 0, 0, 0, 0, 1, 4, 0]),
  ];
  return writePcap(bodies.map((igmp, k) => ({ ts: DEFAULT_EPOCH + BigInt(k) * 1000n, data: linkFrame(LINK.ETHERNET, ipv4Packet('192.0.2.1', '224.0.0.22', 2, igmp)) })));
}

describe('IGMPv3 reports in the Info column', () => {
  it.skipIf(!haveTshark())('every group record as tshark lists it', async () => {
    const bytes = reports();
    const want = tsharkColumns(writeTestCapture('igmpv3-reports.pcap', bytes)).map((r) => r.join(' | '));
    const got = (await engineColumns(bytes)).map((r) => r.join(' | '));
    expect(got).toEqual(want);
    expect(got).toContain('IGMPv3 | Membership Report / Join group 239.1.2.3 for any sources / Leave group 239.9.9.9');
  });
});
