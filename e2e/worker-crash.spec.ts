/**
 * A worker that dies (a crash, an out-of-memory abort) is reported and replaced: the error
 * banner says so, the rows already shown stay, and another file can be opened.
 */
import { test, expect } from '@playwright/test';
import { ViewerPage, expectedFrameCount, owned } from './viewer-page';

test('a dead worker is reported and replaced; shown rows stay; the next file opens', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(owned('c_zero_window_probes.pcap'));
  await expect(v.packetRow(1)).toBeVisible();
  const firstRowText = (await v.packetRow(1).textContent()) ?? '';
  expect(firstRowText).toContain('[SYN]');

  await v.crashWorker();
  await expect(page.locator('[data-testid=error-banner]')).toContainText('The analysis worker died');
  await expect(v.loadStatus).toHaveAttribute('data-state', 'error');
  // The rows already on screen are still there.
  await expect(v.packetRow(1)).toHaveText(firstRowText);

  // A fresh worker takes the next file.
  const next = owned('b_retransmissions_dupacks_lost.pcap');
  await v.load(next);
  await expect(v.loadStatus).toHaveAttribute('data-state', 'done');
  expect(await v.frames()).toBe(expectedFrameCount(next));
  await expect(page.locator('[data-testid=error-banner]')).toHaveCount(0);
});

test('the engine worker starts from a blob module, so the page CSP (no eval, scripts from self) governs it', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(owned('c_zero_window_probes.pcap'));
  expect(workers.length).toBeGreaterThan(0);
  for (const url of workers) expect(url).toMatch(/^blob:/);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
});
