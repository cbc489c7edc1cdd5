/**
 * The flag column and row colours against tshark: for every frame of the chosen captures the
 * flag cell shows exactly the words tshark's analysis fields imply, and flagged cells (and
 * Bad TCP rows) use Wireshark's Bad TCP colours.
 */
import { test, expect } from '@playwright/test';
import { ViewerPage, capture, expectedAnalysis, expectedFlagWords } from './viewer-page';

const BAD_TCP_BG = 'rgb(18, 39, 46)';
const BAD_TCP_FG = 'rgb(247, 135, 135)';

for (const name of ['crafted_zero_window_probes_ipv4.pcap', 'real_loss_iptables_nth23_sender_view_ipv4.pcap']) {
  test(`flag cells of ${name} match tshark`, async ({ page }) => {
    const v = new ViewerPage(page);
    await v.goto();
    await v.load(capture(name));
    const want = expectedAnalysis(name);
    let flagged = 0;
    for (let n = 1; n <= want.length; n++) {
      const words = expectedFlagWords(want[n - 1]);
      if (!(await v.packetRow(n).isVisible())) await v.scrollToFrame(n);
      const cell = v.flagCell(n);
      await expect(cell, `frame ${n}`).toHaveText(words);
      if (!words) continue;
      flagged++;
      await expect(cell).toHaveCSS('background-color', BAD_TCP_BG);
      await expect(cell).toHaveCSS('color', BAD_TCP_FG);
      const badTcp = !/\[TCP (Window Update|Keep-Alive|Keep-Alive ACK)\]/.test(words);
      if (badTcp) {
        await expect(v.packetRow(n)).toHaveAttribute('data-color-rule', 'Bad TCP');
        await expect(v.packetRow(n)).toHaveCSS('background-color', BAD_TCP_BG);
        await expect(v.packetRow(n)).toHaveCSS('color', BAD_TCP_FG);
      }
      await expect(v.packetRow(n).locator('.pl-info')).toHaveText(new RegExp(`^${words.replace(/[[\]#.*+?^${}()|\\]/g, '\\$&')} `));
    }
    expect(flagged).toBeGreaterThan(3);
  });
}
