/**
 * Keys and focus in the detail tree (issue 15): Tab reaches it, arrows move, Right/Left open and
 * close, Ctrl+C copies the selected item's value, the status bar names the selected field
 * (description and filter name); a click on a byte selects the innermost item covering it; a
 * followed "ACK to the segment in frame N" link keeps the same subtree open and in view.
 */
import { test, expect, type Page } from '@playwright/test';
import { ViewerPage, cliFields, owned } from './viewer-page';

const SAMPLE = owned('sample.pcap');

async function open(page: Page, frame: number): Promise<ViewerPage> {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(SAMPLE);
  await v.selectPacket(frame);
  return v;
}

const selectedLine = (v: ViewerPage) => v.detail.locator('.tree-line.selected');

test('the detail tree: Tab reaches it, arrows move, Right/Left open and close, Ctrl+C copies the value, the status bar names the field', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const v = await open(page, 18);
  await v.list.focus();
  let reached = false;
  for (let i = 0; i < 6 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await v.detail.evaluate((el) => el === document.activeElement);
  }
  expect(reached, 'Tab reaches the detail tree').toBe(true);
  await page.keyboard.press('ArrowDown');
  await expect(selectedLine(v)).toContainText('Frame 18:');
  await page.keyboard.press('ArrowDown');
  await expect(selectedLine(v)).toContainText('Ethernet II');
  const eth = v.detail.locator('[role=treeitem][aria-expanded]').nth(1);
  await expect(eth).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect(eth).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(selectedLine(v)).toContainText('Destination:');
  await page.keyboard.press('ArrowLeft');
  await expect(selectedLine(v)).toContainText('Ethernet II');
  await page.keyboard.press('ArrowLeft');
  await expect(eth).toHaveAttribute('aria-expanded', 'false');

  // Ctrl+C on "Source Port: N" copies N; the status bar shows the field's description and filter name.
  const cli = cliFields(SAMPLE, 18, ['tcp.srcport', 'tcp.seq_raw']);
  await v.detail.getByText(`Source Port: ${cli['tcp.srcport']}`, { exact: true }).click();
  await page.keyboard.press('Control+c');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(cli['tcp.srcport']);
  await expect(page.locator('[data-testid=status-field]')).toHaveAttribute('data-field', 'tcp.srcport');
  await expect(page.locator('[data-testid=status-field]')).toContainText('(tcp.srcport)');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('[data-testid=status-field]')).toHaveAttribute('data-field', 'tcp.dstport');
  await expect(page.locator('[data-testid=status-field]')).toContainText('Destination Port (tcp.dstport)');
});

test('a click on a byte in the hex pane selects the innermost item covering it', async ({ page }) => {
  const v = await open(page, 18);
  const cli = cliFields(SAMPLE, 18, ['tcp.srcport', 'tcp.seq_raw']);
  // Byte 34 (Ethernet 14 + IPv4 20): the first byte of the TCP source port, pair 2 of line 0x0020.
  const clickByte = async (lineOffset: number, pair: number) => {
    const r = await v.bytes.locator(`.hex-line[data-offset="${lineOffset}"] .hex-bytes`).evaluate((el, p) => {
      const text = el.textContent ?? '';
      const starts = [...text.matchAll(/[0-9a-f]{2}/g)].map((m) => m.index ?? 0);
      const range = document.createRange();
      let at = starts[p];
      let node: Node | null = null;
      const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let t = w.nextNode(); t; t = w.nextNode()) {
        const n = t.textContent?.length ?? 0;
        if (at < n) {
          node = t;
          break;
        }
        at -= n;
      }
      range.setStart(node!, at);
      range.setEnd(node!, at + 1);
      const b = range.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }, pair);
    await page.mouse.click(r.x, r.y);
  };
  await clickByte(32, 2);
  await expect(selectedLine(v)).toHaveText(new RegExp(`Source Port: ${cli['tcp.srcport']}$`));
  await expect(page.locator('[data-testid=status-field]')).toHaveAttribute('data-field', 'tcp.srcport');
  // Byte 38: the first byte of the sequence number — the first item over those bytes, as Wireshark selects.
  await clickByte(32, 6);
  await expect(selectedLine(v)).toContainText('Sequence Number: ');
  await expect(page.locator('[data-testid=status-field]')).toHaveAttribute('data-field', 'tcp.seq');
  // Byte 14: IPv4's first byte — the innermost item is the version/header-length field, inside "Internet Protocol".
  await clickByte(0, 14);
  await expect(selectedLine(v)).toBeVisible();
  await expect(selectedLine(v)).not.toContainText('Ethernet II');
});

test('following "This is an ACK to the segment in frame N" keeps the same subtree open and the item in view', async ({ page }) => {
  const v = await open(page, 11);
  const link = v.detail.locator('[data-testid=frame-link]').first();
  await expect(link).toBeVisible();
  const target = Number(await link.getAttribute('data-link'));
  // Open the TCP flags subtree (closed by default) and select its SYN bit.
  const flags = v.detail.locator('[role=treeitem]:has(> .tree-line:has-text("Flags: 0x"))').first();
  await flags.locator('> .tree-line .twisty').click();
  await expect(flags).toHaveAttribute('aria-expanded', 'true');
  await v.detail.locator('.tree-line', { hasText: 'Acknowledgment: Set' }).first().click();
  await link.click();
  await expect(v.packetRow(target)).toHaveAttribute('aria-selected', 'true');
  await v.waitForIdle();
  await expect(v.detail).toContainText(`Frame ${target}:`);
  const flags2 = v.detail.locator('[role=treeitem]:has(> .tree-line:has-text("Flags: 0x"))').first();
  await expect(flags2).toHaveAttribute('aria-expanded', 'true');
  await expect(selectedLine(v)).toContainText('Acknowledgment: Set');
  await expect(selectedLine(v)).toBeInViewport();
});

test('Back and Forward step through jumps (Go to packet, a followed link), not through arrow-key moves', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(owned('bulk_loss.pcap'));
  await v.packetRow(5).click();
  await v.goToFrame(1200);
  await v.goToFrame(300);
  await v.press('ArrowDown');
  await v.press('ArrowDown');
  expect(await v.selectedFrame()).toBe(302);
  // Arrow moves rewrite the current entry (throttled to one write per 80 ms).
  await expect.poll(() => new URLSearchParams(new URL(page.url()).hash.slice(1)).get('frame')).toBe('302');
  await page.goBack();
  await expect(v.packetRow(1200)).toHaveAttribute('aria-selected', 'true');
  await expect(v.packetRow(1200)).toBeInViewport();
  await page.goBack();
  await expect(v.packetRow(5)).toHaveAttribute('aria-selected', 'true');
  await page.goForward();
  await expect(v.packetRow(1200)).toHaveAttribute('aria-selected', 'true');
  await page.goForward();
  await expect(v.packetRow(302)).toHaveAttribute('aria-selected', 'true');
  // The capture stayed open all along.
  await expect(page.locator('[data-testid=status-file]')).toHaveText('bulk_loss.pcap');
});
