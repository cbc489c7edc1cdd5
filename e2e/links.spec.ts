/**
 * View links name their capture and restore the scroll position exactly (issue 15):
 *  - `scroll=N` puts frame N at the top of the list again (with and without a display filter,
 *    at 1600×1000 and 800×700);
 *  - `file=`/`size=`/`hash=` name the capture: a link opened before any capture says which file it
 *    waits for; another file gets a message and not the link's frame; the right file (or a renamed
 *    copy of it) gets the whole view.
 */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { REPO, ViewerPage, captureKeys, owned } from './viewer-page';
import { formatBytes } from '../src/ui/format';

const BULK = owned('bulk_loss.pcap');
const SAMPLE = owned('sample.pcap');

/** The frame of the first row wholly inside the list's scroll area. */
async function topRow(page: Page): Promise<number> {
  return page.locator('[data-testid=packet-row]').evaluateAll((rows) => {
    const box = document.querySelector('[data-testid=packet-list]')!.getBoundingClientRect();
    const inside = rows.filter((r) => r.getBoundingClientRect().top >= box.top - 0.5);
    inside.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
    return Number(inside[0]?.getAttribute('data-frame'));
  });
}

const hashParam = (page: Page, key: string) => new URLSearchParams(new URL(page.url()).hash.slice(1)).get(key);

for (const [w, h] of [
  [1600, 1000],
  [800, 700],
]) {
  test(`scroll=124 comes back as 124, with and without a display filter (${w}×${h})`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    const v = new ViewerPage(page);
    await page.goto('./?test#frame=130&scroll=124');
    await v.load(BULK);
    await expect.poll(() => topRow(page)).toBe(124);
    await expect(v.packetRow(130)).toHaveAttribute('aria-selected', 'true');
    await expect.poll(() => hashParam(page, 'scroll')).toBe('124');

    // With a filter, scroll= is still a frame number: the frame at the top of the filtered list.
    const filter = 'tcp.len > 0';
    const shown = execFileSync('node', ['bin/seqscope.mjs', '-r', BULK, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { cwd: REPO, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
    const top = shown[200];
    expect(top).toBeGreaterThan(201);
    const w2 = new ViewerPage(await page.context().newPage());
    await w2.page.setViewportSize({ width: w, height: h });
    await w2.page.goto(`./?test#scroll=${top}&filter=${encodeURIComponent(filter)}`);
    await w2.load(BULK);
    await expect.poll(() => topRow(w2.page)).toBe(top);
    await expect.poll(() => hashParam(w2.page, 'scroll')).toBe(String(top));
    // Scrolling writes the frame at the top, and a link made now restores it.
    await w2.list.evaluate((el) => {
      el.scrollTop += 22 * 37;
      el.dispatchEvent(new Event('scroll'));
    });
    const moved = shown[shown.indexOf(top) + 37];
    await expect.poll(() => hashParam(w2.page, 'scroll')).toBe(String(moved));
    const w3 = new ViewerPage(await page.context().newPage());
    await w3.page.setViewportSize({ width: w, height: h });
    await w3.page.goto(w2.page.url().replace(/^.*?#/, './?test#'));
    await w3.load(BULK);
    await expect.poll(() => topRow(w3.page)).toBe(moved);
  });
}

test('a link names its capture: waits for it, refuses another file, applies to the right one or a renamed copy', async ({ page, context }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(SAMPLE);
  await v.goToFrame(5);
  await expect.poll(() => new URL(page.url()).hash).toContain(captureKeys(SAMPLE));
  const link = page.url().replace(/^.*?#/, './?test#') + `&filter=${encodeURIComponent('tcp.len > 0')}`;
  expect(link).toContain('frame=5');

  // Before any capture: which file the view waits for.
  const w = new ViewerPage(await context.newPage());
  await w.page.goto(link);
  const size = formatBytes(readFileSync(SAMPLE).length);
  await expect(w.page.locator('[data-testid=link-waiting]')).toHaveText(`Open sample.pcap (${size}) to see this view.`);

  // Another capture: said so, frame 5 not selected; the link's display filter applies.
  await w.load(BULK);
  const mismatch = w.page.locator('[data-testid=link-mismatch]');
  await expect(mismatch).toContainText(`This link is for sample.pcap (${size}), not bulk_loss.pcap`);
  await expect(mismatch).toContainText('its display filter is');
  await expect(w.page.locator('[data-testid=link-waiting]')).toHaveCount(0);
  await expect(w.page.locator('[data-testid=filter-input]')).toHaveValue('tcp.len > 0');
  await w.waitForIdle();
  await expect(w.selectedRow()).toHaveCount(0);
  // The address now describes what is on screen: the other capture.
  await expect.poll(() => new URL(w.page.url()).hash).toContain(captureKeys(BULK));
  expect(hashParam(w.page, 'frame')).toBeNull();

  // The right capture next: the held-back view applies, the message goes.
  await w.load(SAMPLE);
  await expect(mismatch).toHaveCount(0);
  await expect(w.packetRow(5)).toHaveAttribute('aria-selected', 'true');

  // A renamed copy is the same capture (same size and first bytes).
  const copy = join(mkdtempSync(join(tmpdir(), 'seqscope-link-')), 'renamed copy.pcap');
  copyFileSync(SAMPLE, copy);
  const r = new ViewerPage(await context.newPage());
  await r.page.goto(link);
  await r.load(copy);
  await expect(r.packetRow(5)).toHaveAttribute('aria-selected', 'true');
  await expect(r.page.locator('[data-testid=link-mismatch]')).toHaveCount(0);
});
