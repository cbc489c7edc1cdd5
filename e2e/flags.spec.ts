/**
 * The flag column and row colours against tshark: for every frame of the chosen captures the
 * flag cell shows exactly the words tshark's analysis fields imply; a flag cell (and its row) wears
 * Wireshark's Bad TCP colours exactly when the frame matches the Bad TCP rule
 * (tcp.analysis.flags && !window_update && !keep_alive && !keep_alive_ack), and the benign words
 * keep the row's own colours. Together the captures hold every kind of flag, each checked. The list
 * is read a screenful at a time.
 */
import { test, expect } from '@playwright/test';
import { basename } from 'node:path';
import { FLAG_NAMES } from '../test/model/slow-tracker';
import { CAPTURES, HAS_SHARED, ViewerPage, capture, expectedAnalysis, expectedFlagWords, owned } from './viewer-page';

const BAD_TCP_BG = 'rgb(18, 39, 46)';
const BAD_TCP_FG = 'rgb(247, 135, 135)';

/** Every tcp.analysis flag that shows a word in the flag column (the model tracker's list). */
const FLAG_KINDS = FLAG_NAMES;
const kindsSeen = new Set<string>();

interface Seen {
  frame: number;
  flags: string;
  cellBg: string;
  cellFg: string;
  rowBg: string;
  rowFg: string;
  rule: string;
  info: string;
}

const CAPS = [
  owned('sample.pcap'),
  owned('c_zero_window_probes.pcap'),
  owned('d_keepalive_window.pcap'),
  owned('g_out_of_order.pcap'),
  owned('b_retransmissions_dupacks_lost.pcap'),
  owned('e_streams_port_reuse.pcap'),
  owned('f_acked_unseen.pcap'),
  owned('r1_syn_retrans_window_full.pcap'),
  // From the corpora: skipped without them.
  ...['crafted_zero_window_probes_ipv4.pcap', 'real_loss_iptables_nth23_sender_view_ipv4.pcap'].map(capture),
];

for (const path of CAPS) {
  test(`flag cells of ${basename(path)} match tshark`, async ({ page }) => {
    test.skip(!HAS_SHARED && path.startsWith(CAPTURES), 'needs the corpora (../shared)');
    const v = new ViewerPage(page);
    await v.goto();
    await v.load(path);
    const want = expectedAnalysis(path);
    const seen = new Map<number, Seen>();
    for (let n = 1; n <= want.length;) {
      await v.scrollToFrame(n);
      const rows = await v.page.$$eval('[data-testid=packet-row]:not(.pending)', (els) =>
        els.map((el) => {
          const cell = el.querySelector('[data-testid=flag-cell]')!;
          const cs = getComputedStyle(cell);
          const rs = getComputedStyle(el);
          return {
            frame: Number(el.getAttribute('data-frame')),
            flags: cell.textContent ?? '',
            cellBg: cs.backgroundColor,
            cellFg: cs.color,
            rowBg: rs.backgroundColor,
            rowFg: rs.color,
            rule: el.getAttribute('data-color-rule') ?? '',
            info: el.querySelector('.pl-info')?.textContent ?? '',
          };
        }),
      );
      for (const r of rows) seen.set(r.frame, r);
      const next = Math.max(...rows.map((r) => r.frame)) + 1;
      expect(next).toBeGreaterThan(n);
      n = next;
    }
    let flagged = 0;
    for (let n = 1; n <= want.length; n++) {
      const r = seen.get(n)!;
      const w = want[n - 1];
      const words = expectedFlagWords(w);
      expect(r, `frame ${n} rendered`).toBeDefined();
      expect(r.flags, `frame ${n}`).toBe(words);
      if (!words) continue;
      flagged++;
      for (const k of FLAG_KINDS) if (w[`tcp.analysis.${k}`] === '1') kindsSeen.add(k);
      const badTcp = ['window_update', 'keep_alive', 'keep_alive_ack'].every((k) => w[`tcp.analysis.${k}`] !== '1');
      expect(r.info.startsWith(words + ' '), `frame ${n} info ${r.info}`).toBe(true);
      if (badTcp) {
        expect([r.cellBg, r.cellFg], `frame ${n} flag cell colours`).toEqual([BAD_TCP_BG, BAD_TCP_FG]);
        expect([r.rule, r.rowBg, r.rowFg], `frame ${n} row colours`).toEqual(['Bad TCP', BAD_TCP_BG, BAD_TCP_FG]);
      } else {
        // A benign word: the cell takes the row's colours (transparent over the row), never Bad TCP's.
        expect(r.rule, `frame ${n} rule`).not.toBe('Bad TCP');
        expect([r.cellBg, r.cellFg], `frame ${n} benign flag cell`).toEqual(['rgba(0, 0, 0, 0)', r.rowFg]);
        expect(r.rowBg).not.toBe(BAD_TCP_BG);
      }
    }
    // Not vacuous: every capture in the list has flagged frames, and each one was checked.
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBe(want.filter((w) => expectedFlagWords(w) !== '').length);
  });
}

test('every kind of flag was among the frames checked above', () => {
  expect([...kindsSeen].sort()).toEqual([...FLAG_KINDS].sort());
});

test('the selected row: its flag cell takes the selection colours, Bad TCP or not', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  const path = owned('c_zero_window_probes.pcap');
  await v.load(path);
  const want = expectedAnalysis(path);
  const bad = want.find((w) => expectedFlagWords(w) && w['tcp.analysis.zero_window'] === '1')!;
  const benign = want.find((w) => w['tcp.analysis.keep_alive'] === '1' || w['tcp.analysis.window_update'] === '1')!;
  for (const w of [bad, benign]) {
    const n = Number(w['frame.number']);
    await v.selectPacket(n);
    const [cell, row] = await v.packetRow(n).evaluate((el) => {
      const c = getComputedStyle(el.querySelector('[data-testid=flag-cell]')!);
      const r = getComputedStyle(el);
      return [
        [c.backgroundColor, c.color],
        [r.backgroundColor, r.color],
      ];
    });
    expect(row[0], `frame ${n} selected row`).not.toBe(BAD_TCP_BG);
    expect(cell, `frame ${n} selected flag cell`).toEqual(['rgba(0, 0, 0, 0)', row[1]]);
  }
});
