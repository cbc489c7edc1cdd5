/**
 * Follow TCP Stream of a 100 MB stream (issue 11): the chunks stream into the virtualized view
 * without freezing the tab, the first screen shows the stream's first bytes while the rest is
 * still being read, the last chunk and Find reach the end, and neither side holds the stream's
 * bytes (the worker keeps a chunk index and reads the bytes of the chunks on screen again).
 * The capture is written by the test's capture builder: one connection, the server sending
 * 100 MB of numbered text lines in 1448-byte segments, the client ACKing every second one.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conn, writePcap, type Record_ } from '../test/capture/build';
import { ViewerPage } from './viewer-page';

const MSS = 1448;
const STREAM_BYTES = 100 * 1024 * 1024;
const SEGMENTS = Math.ceil(STREAM_BYTES / MSS);

/** Segment k's payload: "segment k" then letters, ending in a newline (every byte printable). */
function segment(k: number): Uint8Array {
  const b = new Uint8Array(MSS).fill(0x61 + (k % 26));
  const head = `segment ${k} `;
  for (let i = 0; i < head.length; i++) b[i] = head.charCodeAt(i);
  b[MSS - 1] = 0x0a;
  return b;
}

function largeStream(): string {
  const r: Record_[] = [];
  const c = new Conn(r, { client: '10.1.0.1', server: '10.1.0.2', cport: 40000, sport: 8080 });
  const t = (us: number) => (us / 1e6).toFixed(6);
  c.c(t(0), 'S', 0, 0, 65535).s(t(10), 'SA', 0, 1, 65535).c(t(20), 'A', 1, 1, 65535).c(t(30), 'PA', 1, 1, 65535, 20);
  let us = 40;
  for (let k = 0; k < SEGMENTS; k++) {
    c.s(t(us), 'A', 1 + k * MSS, 21, 65535, MSS, { payload: segment(k) });
    us += 10;
    if (k % 2 === 1 || k === SEGMENTS - 1) c.c(t(us), 'A', 21, 1 + (k + 1) * MSS, 65535);
  }
  const path = join(mkdtempSync(join(tmpdir(), 'seqscope-follow-')), 'large-stream.pcap');
  writeFileSync(path, writePcap(r));
  return path;
}

test('Follow TCP Stream of a 100 MB stream: first screen while reading, no freeze, the end reachable, Find', async ({ page }) => {
  test.setTimeout(300_000);
  const file = largeStream();
  const v = new ViewerPage(page);
  await v.goto();
  await v.openCapture(file);
  await expect(v.loadStatus).toHaveAttribute('data-state', 'done', { timeout: 200_000 });
  await v.waitForIdle();

  // Long main-thread tasks and the longest gap between animation frames from here on.
  await page.evaluate(() => {
    const w = window as unknown as { __freeze: { longest: number; gap: number; stop: boolean } };
    const m = (w.__freeze = { longest: 0, gap: 0, stop: false });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) m.longest = Math.max(m.longest, e.duration);
    }).observe({ type: 'longtask' });
    let last = performance.now();
    const tick = (now: number) => {
      m.gap = Math.max(m.gap, now - last);
      last = now;
      if (!m.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });

  await page.locator('[data-testid=open-conversations]').click();
  await page.locator('[data-testid=conv-row] [data-testid=conv-follow]').first().click();
  const panel = page.locator('[data-testid=follow-panel]');
  const chunks = panel.locator('[data-testid=follow-chunk]');
  // The first screen: the request, then the stream's first segment, in full, while the worker is
  // still reading the stream's frames.
  await expect(chunks.nth(1)).not.toHaveAttribute('data-pending', '');
  const reading = await panel.getByText('reading…').count();
  expect(await chunks.nth(1).evaluate((e) => e.textContent)).toBe(new TextDecoder().decode(segment(0)));
  await expect(panel.getByText('reading…')).toHaveCount(0, { timeout: 200_000 });
  await expect(panel.locator('.follow-foot')).toContainText(`${SEGMENTS + 1} chunks`);
  await expect(panel.locator('.follow-foot')).toContainText(`server ${(SEGMENTS * MSS).toLocaleString('en-US')} bytes`);

  // The end: scrolled to the bottom, the last segment's bytes are read again and shown.
  await panel.locator('[data-testid=follow-body]').evaluate((e) => (e.scrollTop = e.scrollHeight));
  const lastChunk = chunks.filter({ hasText: `segment ${SEGMENTS - 1} ` });
  await expect(lastChunk).toHaveCount(1, { timeout: 30_000 });
  expect(await lastChunk.evaluate((e) => e.textContent)).toBe(new TextDecoder().decode(segment(SEGMENTS - 1)));

  // Find searches the whole stream in the worker: back at the top, it finds a segment in the middle.
  await panel.locator('[data-testid=follow-body]').evaluate((e) => (e.scrollTop = 0));
  const mid = Math.floor(SEGMENTS / 2);
  await panel.locator('[data-testid=follow-find]').fill(`segment ${mid} `);
  await panel.locator('[data-testid=follow-find]').press('Enter');
  await expect(chunks.filter({ hasText: `segment ${mid} ` })).toHaveClass(/\bhit\b/, { timeout: 60_000 });

  const f = await page.evaluate(() => {
    const w = window as unknown as { __freeze: { longest: number; gap: number; stop: boolean } };
    w.__freeze.stop = true;
    return w.__freeze;
  });
  console.log(`follow 100 MB: first screen while reading: ${reading > 0}; longest main-thread task ${f.longest.toFixed(0)} ms, longest frame gap ${f.gap.toFixed(0)} ms`);
  // A freeze is seconds (every chunk's text made again per batch was); this bound leaves room for a loaded machine.
  expect(f.longest).toBeLessThan(1500);
});
