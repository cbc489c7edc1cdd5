/**
 * The Diagnoses panel: one card per connection with problems, evidence frames as links that
 * select the frame, a card that filters the list to its connection, the status-bar count, the
 * row badge and the detail pane's box, and the panel in the link.
 * The capture is written by test/capture/diagnoses-showcase.ts (no ../shared needed).
 */
import { writeFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { ViewerPage, REPO } from './viewer-page';
import { diagnosesShowcase } from '../test/capture/diagnoses-showcase';

test('the Diagnoses panel lists the cards and its evidence links select frames', async ({ page }, info) => {
  const file = info.outputPath('diagnoses-showcase.pcap');
  writeFileSync(file, diagnosesShowcase());
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(file);

  const count = page.locator('[data-testid=status-diagnoses]');
  await expect(count).toHaveText('Diagnoses: 4');
  await count.click();
  const panel = page.locator('[data-testid=diagnoses-panel]');
  await expect(panel).toBeVisible();
  const cards = panel.locator('[data-testid=diagnosis-card]');
  await expect(cards).toHaveCount(4);
  await expect(cards.nth(0).locator('[data-testid=diagnosis]')).toHaveAttribute('data-kind', 'connection-refused');
  const forged = panel.locator('[data-testid=diagnosis-card][data-stream="1"]');
  await expect(forged.locator('[data-testid=diagnosis]')).toHaveCount(2);
  await expect(forged.locator('[data-testid=diagnosis]').first()).toHaveAttribute('data-kind', 'reset-by-middlebox');
  await expect(forged).toContainText('arrived with TTL 64');
  await expect(panel.locator('[data-testid=diagnosis-card][data-stream="2"] [data-testid=diagnosis]')).toHaveAttribute('data-kind', 'no-response');
  await expect(panel.locator('[data-testid=diagnosis-card][data-stream="3"] [data-testid=diagnosis]')).toHaveAttribute('data-kind', 'rto-backoff');
  await expect(page).toHaveURL(/diag=open/);
  // docs/screenshots/diagnoses-panel.png is refreshed with SEQSCOPE_SCREENSHOTS=1 (a test run does not touch the tree).
  await page.screenshot({ path: process.env.SEQSCOPE_SCREENSHOTS ? `${REPO}/docs/screenshots/diagnoses-panel.png` : info.outputPath('diagnoses-panel.png') });

  // An evidence link selects its frame; the row carries the badge, the detail pane the diagnosis.
  await forged.locator('[data-testid=evidence-link][data-frame="9"]').first().click();
  await v.waitForIdle();
  expect(await v.selectedFrame()).toBe(9);
  await expect(v.packetRow(9).locator('[data-testid=evidence-badge]')).toBeVisible();
  await expect(v.packetRow(3).locator('[data-testid=evidence-badge]')).toHaveCount(0);
  await expect(page.locator('[data-testid=frame-diagnoses]')).toContainText('reset-by-middlebox');
  await expect(v.detail).toContainText('Transmission Control Protocol');
  if (process.env.SEQSCOPE_SCREENSHOTS) await page.screenshot({ path: `${REPO}/docs/screenshots/diagnoses-detail.png` });

  // A card filters the list to its connection and is kept in the link.
  await panel.locator('[data-testid=diagnosis-card][data-stream="2"] .diag-conn-btn').click();
  await v.waitForIdle();
  await expect(page.locator('[data-testid=filter-input]')).toHaveValue('tcp.stream eq 2');
  await expect(page.locator('[data-testid=status-displayed]')).toHaveAttribute('data-displayed', '3');
  await expect(page.locator('[data-testid=diagnosis-card][data-stream="2"]')).toHaveAttribute('aria-current', 'true');
  await expect(page).toHaveURL(/diag=2/);
});

test('a link with diag= reopens the panel on its card once the capture is loaded', async ({ page }, info) => {
  const file = info.outputPath('diagnoses-showcase.pcap');
  writeFileSync(file, diagnosesShowcase());
  await page.goto('./?test#filter=tcp.stream%20eq%201&diag=1');
  const v = new ViewerPage(page);
  await expect(v.loadStatus).toHaveAttribute('data-state', 'idle');
  await v.load(file);
  const card = page.locator('[data-testid=diagnoses-panel] [data-testid=diagnosis-card][data-stream="1"]');
  await expect(card).toHaveAttribute('aria-current', 'true');
  await expect(page.locator('[data-testid=filter-input]')).toHaveValue('tcp.stream eq 1');
  await expect(page.locator('[data-testid=status-displayed]')).toHaveAttribute('data-displayed', '7');
});
