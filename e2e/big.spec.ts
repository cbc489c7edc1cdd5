/**
 * A large capture: rows appear while it is still loading; Cancel stops it with the rows read so
 * far; opening another file replaces the load. The capture is written here (pcap bytes built in
 * Node from one recorded connection repeated with new ports and later timestamps).
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ViewerPage, capture, expectedFrameCount } from './viewer-page';

const SEED = 'real_normal_handshake_data_fin_ipv4.pcap';

/** Repeat SEED's records `times` times (Ethernet/IPv4, little-endian µs pcap), one new client port each. */
function bigCapture(times: number): { path: string; frames: number } {
  const src = readFileSync(capture(SEED));
  if (src.readUInt32LE(0) !== 0xa1b2c3d4 || src.readUInt32LE(20) !== 1) throw new Error('seed must be LE µs Ethernet pcap');
  const records: Buffer[] = [];
  for (let o = 24; o + 16 <= src.length; ) {
    const len = src.readUInt32LE(o + 8);
    records.push(src.subarray(o, o + 16 + len));
    o += 16 + len;
  }
  const clientPort = records[0].readUInt16BE(16 + 14 + 20);
  const out = Buffer.alloc(24 + records.reduce((a, r) => a + r.length, 0) * times);
  src.copy(out, 0, 0, 24);
  let pos = 24;
  for (let k = 0; k < times; k++) {
    const port = 1024 + (k % 60000);
    for (const r of records) {
      r.copy(out, pos);
      out.writeUInt32LE(r.readUInt32LE(0) + k, pos); // one second later per copy
      const tcp = pos + 16 + 14 + (r[16 + 14] & 15) * 4;
      if (out.readUInt16BE(tcp) === clientPort) out.writeUInt16BE(port, tcp);
      if (out.readUInt16BE(tcp + 2) === clientPort) out.writeUInt16BE(port, tcp + 2);
      pos += r.length;
    }
  }
  const path = join(mkdtempSync(join(tmpdir(), 'seqscope-big-')), 'big.pcap');
  writeFileSync(path, out);
  return { path, frames: records.length * times };
}

test.describe('large capture', () => {
  // ~1.5 M frames, ~100 MB: several seconds of loading on a small machine.
  const big = bigCapture(Math.ceil(1_500_000 / expectedFrameCount(SEED)));

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
    const small = 'crafted_zero_window_probes_ipv4.pcap';
    await v.load(capture(small));
    expect(await v.frames()).toBe(expectedFrameCount(small));
    await expect(v.page.locator('[data-testid=status-file]')).toHaveText(small);
  });
});
