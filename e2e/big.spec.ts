/**
 * A large capture: rows appear while it is still loading; Cancel stops it with the rows read so
 * far; opening another file replaces the load. The capture is written to a temp dir by the
 * bench's stand-in writer (one recorded connection repeated with new ports and later times).
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, ViewerPage, expectedFrameCount, owned } from './viewer-page';

/** One connection (handshake, data both ways, FIN), µs pcap: the project's own capture. */
const SEED = owned('a_clean_usec.pcap');

/** Write a capture of about `frames` frames: SEED repeated with new ports and later times. */
function bigCapture(frames: number): { path: string; frames: number } {
  const path = join(mkdtempSync(join(tmpdir(), 'seqscope-big-')), 'big.pcap');
  execFileSync('node', ['scripts/bench/browser-standin.mjs', path, String(frames), SEED], { cwd: REPO });
  const perCopy = expectedFrameCount(SEED);
  return { path, frames: Math.ceil(frames / perCopy) * perCopy };
}

test.describe('large capture', () => {
  // ~1.5 M frames, ~100 MB: several seconds of loading on a small machine.
  let big: { path: string; frames: number };
  test.beforeAll(() => {
    big = bigCapture(1_500_000);
  });

  test('shows rows before it finishes loading, then all of them', async ({ page }) => {
    test.setTimeout(180_000);
    const v = new ViewerPage(page);
    await v.goto();
    await v.openCapture(big.path);
    await expect(v.packetRow(1)).toBeVisible();
    await expect(v.loadStatus).toHaveAttribute('data-state', 'loading');
    expect(await v.frames()).toBeLessThan(big.frames);
    await expect(v.loadStatus).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
    await v.waitForIdle();
    expect(await v.frames()).toBe(big.frames);
    await v.press('End');
    await expect(v.packetRow(big.frames)).toBeInViewport();
    await v.goToFrame(Math.floor(big.frames / 2));
    await expect(v.detail).toContainText(`Frame ${Math.floor(big.frames / 2)}:`);
  });

  test('Cancel keeps the rows read so far; another file replaces the load', async ({ page }) => {
    const v = new ViewerPage(page);
    await v.goto();
    await v.openCapture(big.path);
    await expect(v.packetRow(1)).toBeVisible();
    await v.page.locator('[data-testid=cancel-load]').click();
    await expect(v.loadStatus).toHaveAttribute('data-state', 'done');
    await v.waitForIdle();
    const kept = await v.frames();
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(big.frames);
    await expect(v.list).toHaveAttribute('aria-rowcount', String(kept));

    await v.openCapture(big.path);
    await expect(v.packetRow(1)).toBeVisible();
    const small = owned('c_zero_window_probes.pcap');
    await v.load(small);
    expect(await v.frames()).toBe(expectedFrameCount(small));
    await expect(v.page.locator('[data-testid=status-file]')).toHaveText('c_zero_window_probes.pcap');
  });
});
