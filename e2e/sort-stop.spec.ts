/**
 * Stopping a sort before it is applied: the list stays in frame order and the column header
 * loses its arrow (issue 10's minor note); clicking the header again sorts ascending afresh.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ViewerPage } from './viewer-page';
import { ipv4Packet, LINK, linkFrame, writePcap, type Record_ } from '../test/capture/build';

/**
 * `n` UDP datagrams between varying ports. Their Info is decoded for an Info sort (a plain TCP
 * row's Info is ordered from the frame table's columns, in no time), so the sort runs long
 * enough to be stopped.
 */
function udpDatagrams(n: number): Uint8Array {
  const recs: Record_[] = [];
  for (let i = 0; i < n; i++) {
    const sport = 1024 + ((i * 7919) % 60000);
    const udp = Uint8Array.from([sport >> 8, sport & 255, 0x80, 0xe9, 0, 12, 0, 0, 1, 2, 3, 4]); // to port 33001: no dissector
    recs.push({ ts: 1_700_000_000_000_000_000n + BigInt(i) * 1000n, data: linkFrame(LINK.ETHERNET, ipv4Packet('10.0.0.1', '10.0.0.2', 17, udp)) });
  }
  return writePcap(recs);
}

test('Stop during a sort drops the sort: frame order, no arrow on the header', async ({ page }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'seqscope-stop-'));
  const path = join(dir, 'big.pcap');
  try {
    writeFileSync(path, udpDatagrams(500_000));
    const v = new ViewerPage(page);
    await v.goto();
    await v.load(path);
    const info = page.locator('[data-testid=col-info]');
    await info.click();
    await expect(info).toHaveAttribute('aria-sort', 'ascending');
    const stop = page.locator('[data-testid=filter-stop]');
    await stop.click();
    await expect(page.locator('[data-testid=filter-progress]')).toContainText('Stopped');
    await expect(info).toHaveAttribute('aria-sort', 'none');
    await expect(info.locator('.sort-mark')).toHaveCount(0);
    // The list is in frame order again.
    await v.waitForIdle();
    const shown = await page.locator('[data-testid=packet-row]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-frame'))));
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    // Clicking the header again starts an ascending sort (not a reversed one of the dropped sort).
    await info.click();
    await expect(info).toHaveAttribute('aria-sort', 'ascending');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
