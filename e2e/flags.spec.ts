/**
 * The flag column and row colours against tshark: for every frame of the chosen captures the
 * flag cell shows exactly the words tshark's analysis fields imply, and flagged cells (and
 * Bad TCP rows) use Wireshark's Bad TCP colours. The list is read a screenful at a time.
 */
import { test, expect } from '@playwright/test';
import { basename } from 'node:path';
import { CAPTURES, HAS_SHARED, ViewerPage, capture, expectedAnalysis, expectedFlagWords, owned } from './viewer-page';

const BAD_TCP_BG = 'rgb(18, 39, 46)';
const BAD_TCP_FG = 'rgb(247, 135, 135)';

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
    for (let n = 1; n <= want.length; ) {
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
      const words = expectedFlagWords(want[n - 1]);
      expect(r, `frame ${n} rendered`).toBeDefined();
      expect(r.flags, `frame ${n}`).toBe(words);
      if (!words) continue;
      flagged++;
      expect([r.cellBg, r.cellFg], `frame ${n} flag cell colours`).toEqual([BAD_TCP_BG, BAD_TCP_FG]);
      expect(r.info.startsWith(words + ' '), `frame ${n} info ${r.info}`).toBe(true);
      if (!/\[TCP (Window Update|Keep-Alive|Keep-Alive ACK)\]/.test(words)) {
        expect([r.rule, r.rowBg, r.rowFg], `frame ${n} row colours`).toEqual(['Bad TCP', BAD_TCP_BG, BAD_TCP_FG]);
      }
    }
    // Not vacuous: every capture in the list has flagged frames, and each one was checked.
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBe(want.filter((w) => expectedFlagWords(w) !== '').length);
  });
}
