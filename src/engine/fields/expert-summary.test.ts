/**
 * `seqscope -q -z expert` against tshark 4.0.17's own output, run live on captures crafted
 * here (tshark is installed by `npm test`'s ensure-deps). Each capture isolates expert items
 * whose wording, severity or order was worked out by black-box runs: D-SACK rules, header
 * padding, malformed option lengths, the tree-only "4 NOP" item, several streams whose items
 * first appear in different orders, pcapng comments, and a capture with no items at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seqscope, tshark } from '../../../test/run-cli';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conn, writePcap, writePcapng, tcpFrame, ns, DEFAULT_EPOCH, LINK, type Record_, type TcpOption } from '../../../test/capture/build';
import { ExpertTally, formatExpertSummary } from './expert-summary';

let dir = '';

function save(name: string, bytes: Uint8Array): string {
  const f = join(dir, name);
  writeFileSync(f, bytes);
  return f;
}

const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const rawSack = (isn: number, blocks: [number, number][]): TcpOption => ({ raw: [1, 1, 5, 2 + 8 * blocks.length, ...blocks.flatMap(([l, r]) => [...u32((isn + l) >>> 0), ...u32((isn + r) >>> 0)])] });

/** One short connection per case: handshake, 300 bytes, then the server's ACK of 301 carrying `opts`. */
function perCase(cases: TcpOption[][], first = 40000): Record_[] {
  const r: Record_[] = [];
  cases.forEach((opts, i) => {
    const t = (s: number) => (i * 10 + s).toFixed(3);
    new Conn(r, { cport: first + i })
      .c(t(0), 'S', 0, 0, 64240)
      .s(t(0.01), 'SA', 0, 1, 65160)
      .c(t(0.02), 'A', 1, 1, 502)
      .c(t(0.03), 'PA', 1, 1, 502, 300)
      .s(t(0.04), 'A', 1, 301, 509, 0, { options: opts });
  });
  return r;
}

/** Single segments with raw option bytes (flags 'S' or 'A'), each on its own port. */
function optionFrames(cases: [string, number[]][]): Record_[] {
  return cases.map(([flags, opt], i) => ({
    ts: DEFAULT_EPOCH + ns(i),
    data: tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 42000 + i, dport: 9999, seq: 1000, ack: flags === 'S' ? 0 : 5000, flags, win: 1000, options: [{ raw: opt }] }),
  }));
}

const CAPTURES: Record<string, () => Uint8Array> = {
  // D-SACK: first block at/below the ACK (incl. wrapped and inverted edges), or its right edge inside the second block.
  'dsack.pcap': () =>
    writePcap(
      perCase([
        [rawSack(1000, [[101, 201]])],
        [rawSack(1000, [[201, 301]])],
        [rawSack(1000, [[251, 351]])],
        [rawSack(1000, [[401, 201]])],
        [rawSack(1000, [[401, 501], [351, 601]])],
        [rawSack(1000, [[401, 451], [401, 501]])],
        [rawSack(1000, [[401, 501], [451, 501]])],
        [rawSack(1000, [[401, 501], [451, 551]])],
        [rawSack(1000, [[401, 501], [351, 451]])],
        [rawSack(1000, [[401, 501], [501, 601]])],
        [rawSack(1000, [[401, 501], [402, 403]])],
        [rawSack(1000, [[401, 501], [601, 701], [451, 471]])],
      ]),
    ),
  // Header padding, option lengths, NOP runs, option names.
  'options.pcap': () =>
    writePcap(
      optionFrames([
        ['S', [3, 3, 7, 0, 0x55, 0, 0, 0]],
        ['S', [2, 4, 5, 0xb4, 0, 0, 0, 0]],
        ['A', [0, 1, 0, 0]],
        ['S', [2, 5, 5, 0xb4, 0, 0, 0, 0]],
        ['S', [2, 4, 5, 0xb4, 3, 2, 7, 0]],
        ['A', [1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2]],
        ['A', [1, 1, 5, 11, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0]],
        ['A', [1, 1, 8, 9, 0, 0, 0, 1, 0, 0, 0, 2]],
        ['A', [1, 1, 1, 1, 1, 1, 1, 1]],
        ['A', [1, 1, 1, 2, 4, 5, 0xb4, 1, 1, 1, 0, 0]],
        ['S', [3, 3, 7, 1, 1, 1, 1, 0]],
        ['A', [3, 3, 15, 0]],
        ['A', [2, 0, 0, 0]],
        ['A', [9, 1, 0, 0]],
        ['A', [28, 7, 0, 0, 0, 0, 0, 0]],
        ['A', [1, 1, 2, 8, 0, 0, 0, 0]],
        ['A', [1, 1, 1, 5]],
        ['A', [172, 7, 0, 0, 0, 0, 0, 0]],
        ['S', [34, 2, 0, 0]],
      ]),
    ),
  // Items first appear in a different order in each stream: the summary keeps first-seen order.
  'order.pcap': () => {
    const r: Record_[] = [];
    new Conn(r, { cport: 50001 }).c('0.000', 'S', 0, 0, 64240).s('0.005', 'SA', 0, 1, 65160).c('0.010', 'A', 1, 1, 502).s('0.020', 'FA', 1, 1, 509).c('0.030', 'FA', 1, 2, 502).s('0.040', 'A', 2, 2, 509);
    new Conn(r, { cport: 50002, epoch: DEFAULT_EPOCH + ns(1) })
      .c('0.000', 'S', 0, 0, 64240)
      .s('0.005', 'SA', 0, 1, 65160)
      .c('0.010', 'A', 1, 1, 502)
      .c('0.011', 'PA', 1, 1, 502, 100)
      .s('0.020', 'A', 1, 101, 509)
      .s('0.021', 'A', 1, 101, 509)
      .s('0.022', 'A', 1, 101, 509)
      .c('0.500', 'PA', 1, 1, 502, 100)
      .c('0.600', 'R', 101, 0, 0);
    new Conn(r, { cport: 50003, epoch: DEFAULT_EPOCH + ns(2) }).c('0.000', 'S', 0, 0, 64240).s('0.005', 'SA', 0, 1, 65160).c('0.010', 'FA', 1, 1, 502).s('0.020', 'A', 1, 2, 509).s('0.030', 'R', 1, 0, 0);
    return writePcap(r);
  },
  'comments.pcapng': () => {
    const r: Record_[] = [];
    new Conn(r).c('0.000', 'S', 0, 0, 64240).s('0.005', 'SA', 0, 1, 65160).c('0.010', 'A', 1, 1, 502);
    const notes = ['first\tcomment', 'second', 'first\tcomment'];
    return writePcapng([{ interfaces: [{ linkType: LINK.ETHERNET, tsresol: 9 }], blocks: r.map((x, i) => ({ epb: { iface: 0, ts: x.ts, data: x.data, comments: [notes[i]] } })) }]);
  },
  'none.pcap': () => {
    const r: Record_[] = [];
    new Conn(r).c('0.000', 'A', 1, 1, 502).s('0.005', 'A', 1, 1, 509);
    return writePcap(r);
  },
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqscope-expert-'));
});
afterAll(() => (process.env.KEEP_EXPERT_CAPTURES ? undefined : rmSync(dir, { recursive: true, force: true })));

describe('-q -z expert matches tshark 4.0.17 byte for byte', () => {
  for (const [name, make] of Object.entries(CAPTURES)) {
    it(name, async () => {
      const f = save(name, make());
      const [ours, theirs] = await Promise.all([seqscope(['-r', f, '-q', '-z', 'expert']), tshark(['-r', f, '-q', '-z', 'expert'])]);
      expect(ours).toBe(theirs);
    });
  }

  it('with -T fields (tshark builds a tree: the 4-NOP items appear)', async () => {
    const f = save('options-tree.pcap', CAPTURES['options.pcap']());
    const args = ['-r', f, '-T', 'fields', '-e', 'frame.number', '-z', 'expert'];
    const [ours, theirs] = await Promise.all([seqscope(args), tshark(args)]);
    expect(ours).toContain('4 NOP in a row');
    expect(ours).toBe(theirs);
  });
});

describe('formatExpertSummary', () => {
  it('prints nothing without items', () => {
    expect(formatExpertSummary(new ExpertTally())).toBe('');
  });

  it('lays out sections, totals and columns like tshark, in first-seen order', () => {
    const t = new ExpertTally();
    t.addAll([
      { severity: 'note', group: 'Sequence', protocol: 'TCP', summary: 'b' },
      { severity: 'warn', group: 'Malformed', protocol: 'TCP', summary: 'w' },
      { severity: 'note', group: 'Protocol', protocol: 'TCP', summary: 'a' },
      { severity: 'note', group: 'Sequence', protocol: 'TCP', summary: 'b' },
    ]);
    t.addComments(['c']);
    expect(formatExpertSummary(t)).toBe(
      '\nWarns (1)\n=============\n   Frequency      Group           Protocol  Summary\n' +
        '           1  Malformed                TCP  w\n' +
        '\nNotes (3)\n=============\n   Frequency      Group           Protocol  Summary\n' +
        '           2   Sequence                TCP  b\n' +
        '           1   Protocol                TCP  a\n' +
        '\nComments (1)\n=============\n   Frequency      Group           Protocol  Summary\n' +
        '           1    Comment              Frame  c\n',
    );
  });
});
