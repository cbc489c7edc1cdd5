/**
 * Back/Forward step through jumps (issue 15): a followed frame link in the detail pane, a frame of
 * the Expert Information panel, an evidence frame of a diagnosis, F8 (next flagged frame) each make
 * a history entry; Ctrl+G and arrow keys are in keys.spec.ts.
 */
import { writeFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { ViewerPage, owned } from './viewer-page';
import { diagnosesShowcase } from '../test/capture/diagnoses-showcase';

test('a followed "ACK to the segment in frame N" link and an Expert Information frame are history steps', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(owned('sample.pcap'));
  await v.selectPacket(11);
  const link = v.detail.locator('[data-testid=frame-link]').first();
  const target = Number(await link.getAttribute('data-link'));
  await link.click();
  await expect(v.packetRow(target)).toHaveAttribute('aria-selected', 'true');
  await v.waitForIdle();
  // An arrow key moves without a history entry.
  await v.press('ArrowDown');
  expect(await v.selectedFrame()).toBe(target + 1);
  await page.goBack();
  await expect(v.packetRow(11)).toHaveAttribute('aria-selected', 'true');
  await page.goForward();
  await expect(v.packetRow(target + 1)).toHaveAttribute('aria-selected', 'true');
  await v.waitForIdle();

  // Expert Information: a frame link of a group.
  await page.locator('[data-testid=status-experts] button').first().click();
  const panel = page.locator('[data-testid=expert-panel]');
  await expect(panel).toBeVisible();
  const group = panel.locator('[data-testid=expert-group]').first();
  await group.locator('[data-testid=expert-expand]').click();
  const frames = group.locator('[data-testid=expert-frame]');
  const pick = Number(await frames.last().getAttribute('data-frame'));
  expect(pick).not.toBe(target + 1);
  await frames.last().click();
  await expect(v.packetRow(pick)).toHaveAttribute('aria-selected', 'true');
  await v.waitForIdle();
  await page.goBack();
  await expect(v.packetRow(target + 1)).toHaveAttribute('aria-selected', 'true');
  await page.goForward();
  await expect(v.packetRow(pick)).toHaveAttribute('aria-selected', 'true');
});

test('an evidence frame of a diagnosis and F8 are history steps', async ({ page }, info) => {
  const file = info.outputPath('diagnoses-showcase.pcap');
  writeFileSync(file, diagnosesShowcase());
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(file);
  await v.packetRow(2).click();
  await v.waitForIdle();
  await page.locator('[data-testid=status-diagnoses]').click();
  const forged = page.locator('[data-testid=diagnoses-panel] [data-testid=diagnosis-card][data-stream="1"]');
  await forged.locator('[data-testid=evidence-link][data-frame="9"]').first().click();
  await expect(v.packetRow(9)).toHaveAttribute('aria-selected', 'true');
  await v.waitForIdle();
  await v.list.focus();
  await v.press('F8');
  const next = await v.selectedFrame();
  expect(next).toBeGreaterThan(9);
  await page.goBack();
  await expect(v.packetRow(9)).toHaveAttribute('aria-selected', 'true');
  await page.goBack();
  await expect(v.packetRow(2)).toHaveAttribute('aria-selected', 'true');
  await page.goForward();
  await page.goForward();
  await expect(v.packetRow(next)).toHaveAttribute('aria-selected', 'true');
});
