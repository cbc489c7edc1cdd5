/**
 * The detail tree as text against tshark 4.0.17's own -V and -O output for a built capture with
 * one frame of each non-TCP protocol the tree expands (test/capture/tree-sample.ts; the expected
 * text in test/fixtures/tree-sample.{V,O}.txt is tshark's, unedited). TCP, IPv6 extension
 * headers, padding and the rest are checked frame by frame over the corpora by
 * ../shared/conformance/tree-compare.mjs (npm test's conformance step).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureSession, MemorySource, readDetail } from '../../index';
import { treeSample } from '../../../../test/capture/tree-sample';
import { bitPattern } from './bits';
import { hexDump, treeText } from './text';

const FIXTURES = join(__dirname, '../../../../test/fixtures');
const LISTED = new Set(['eth', 'ip', 'ipv6', 'tcp', 'udp', 'arp', 'icmp', 'icmpv6']);

async function text(expand: (proto: string | undefined) => boolean): Promise<string> {
  const s = new CaptureSession(new MemorySource(treeSample()));
  await s.load();
  let out = '';
  for (let n = 1; n <= s.frameCount; n++) {
    const d = (await readDetail(s, n))!;
    out += treeText(d.tree, { expand, bytes: d.bytes }) + '\n';
  }
  return out;
}

describe('detail tree text', () => {
  it('bit patterns are drawn as Wireshark draws them', () => {
    expect(bitPattern(0x45, 0xf0, 8)).toBe('0100 ....');
    expect(bitPattern(0x4000, 0x1fff, 16)).toBe('...0 0000 0000 0000');
    expect(bitPattern(0x012, 0x010, 12)).toBe('.... ...1 ....');
    expect(bitPattern(0x60000000, 0x0ff00000, 32)).toBe('.... 0000 0000 .... .... .... .... ....');
  });

  it('hex dump lines: offset, 16 bytes, ASCII; a short last line is padded', () => {
    expect(hexDump(Uint8Array.from([0x12, 0x34, 0x41]), 0, 3)).toEqual(['0000  12 34 41' + ' '.repeat(39) + '   .4A']);
  });

  it('-O eth,ip,ipv6,tcp,udp,arp,icmp,icmpv6 prints what tshark prints', async () => {
    expect(await text((p) => p !== undefined && LISTED.has(p))).toBe(readFileSync(join(FIXTURES, 'tree-sample.O.txt'), 'latin1'));
  });

  it('-V prints what tshark prints', async () => {
    expect(await text(() => true)).toBe(readFileSync(join(FIXTURES, 'tree-sample.V.txt'), 'latin1'));
  });

  it('every node with a byte range lies inside the frame', async () => {
    const s = new CaptureSession(new MemorySource(treeSample()));
    await s.load();
    for (let n = 1; n <= s.frameCount; n++) {
      const d = (await readDetail(s, n))!;
      const walk = (nodes: typeof d.tree): void => {
        for (const x of nodes) {
          if (x.start !== undefined) {
            expect(x.start, x.label).toBeGreaterThanOrEqual(0);
            expect(x.start + (x.length ?? 0), x.label).toBeLessThanOrEqual(d.bytes.length);
          }
          if (x.children) walk(x.children);
        }
      };
      walk(d.tree);
    }
  });
});

describe('802.11 top-level nodes', () => {
  it('radiotap with the FCS flag, a protected data frame, a beacon without radiotap', async () => {
    const { wlanNodes } = await import('./wlan');
    const rt = [0, 0, 9, 0, 2, 0, 0, 0, 0x10]; // v0, length 9, present: Flags; Flags: FCS at end
    const hdr = (fc0: number, fc1: number) => [fc0, fc1, 0x3a, 1, ...Array(18).fill(1), 0x40, 6];
    const wep = [...rt, ...hdr(0x08, 0x41), 1, 2, 3, 0, ...Array(20).fill(7), 9, 9, 9, 9, 0xaa, 0xbb, 0xcc, 0xdd];
    const b = Uint8Array.from(wep);
    expect(wlanNodes(b, 0, b.length, 127).map((n) => n.label)).toEqual([
      'Radiotap Header v0, Length 9', '802.11 radio information', 'IEEE 802.11 Data, Flags: .p.....TC', 'Data (20 bytes)',
    ]);
    const beacon = Uint8Array.from([...hdr(0x80, 0), ...Array(12).fill(0)]);
    expect(wlanNodes(beacon, 0, beacon.length, 105).map((n) => n.label)).toEqual(['IEEE 802.11 Beacon frame, Flags: ........', 'IEEE 802.11 Wireless Management']);
  });
});
