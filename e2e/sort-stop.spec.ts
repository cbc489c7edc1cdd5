/**
 * Stopping a sort before it is applied: the list stays in frame order and the column header
 * loses its arrow (issue 10's minor note); clicking the header again sorts ascending afresh.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ViewerPage } from './viewer-page';
import { tcpFrame, utf8, writePcap, type Record_ } from '../test/capture/build';

/**
 * `n` HTTP requests on one connection (port 80). Their Info is the application's, decoded for
 * an Info sort each time (a plain TCP row's Info is ordered from the frame table's columns, and
 * the frames outside TCP from the side index built ahead, both in no time), so the sort runs
 * long enough to be stopped.
 */
function httpRequests(n: number): Uint8Array {
  const recs: Record_[] = [];
  let seq = 1000;
  for (let i = 0; i < n; i++) {
    const payload = utf8(`GET /${(i * 7919) % n} HTTP/1.1\r\n\r\n`);
    recs.push({ ts: 1_700_000_000_000_000_000n + BigInt(i) * 1000n, data: tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80, seq, ack: 1, flags: 'PA', win: 512, payload }) });
    seq += payload.length;
  }
  return writePcap(recs);
}

test('Stop during a sort drops the sort: frame order, no arrow on the header', async ({ page }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'seqscope-stop-'));
  const path = join(dir, 'big.pcap');
  try {
    writeFileSync(path, httpRequests(500_000));
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
