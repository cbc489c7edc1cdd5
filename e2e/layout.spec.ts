/**
 * Layout, theme, keys and focus (issue 15): the dividers drag and are remembered, Info takes the
 * remaining width, columns hide and show (remembered), the app works at 1000×700 and 800 px wide,
 * dark mode follows the system and the toggle, focus is on the list after a load, Ctrl+G centres
 * its target, the error banner closes. With SEQSCOPE_SCREENSHOTS=1, screenshots at 1600×1000 and
 * 800×700 in light and dark are written to docs/screenshots/.
 */
import { test, expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { REPO, ViewerPage, owned } from './viewer-page';

const SHOTS = process.env.SEQSCOPE_SCREENSHOTS === '1';

async function openSample(page: Page): Promise<ViewerPage> {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(owned('sample.pcap'));
  return v;
}

const box = async (page: Page, sel: string) => (await page.locator(sel).first().boundingBox())!;

test('the list/details and details/bytes dividers drag, and the positions survive a reload', async ({ page }) => {
  const v = await openSample(page);
  const divider = page.locator('[data-testid="seqscope-list-details-divider"]');
  const before = await box(page, '[data-testid=packet-list]');
  const d = (await divider.boundingBox())!;
  await page.mouse.move(d.x + d.width / 2, d.y + d.height / 2);
  await page.mouse.down();
  await page.mouse.move(d.x + d.width / 2, d.y + 150, { steps: 8 });
  await page.mouse.up();
  const after = await box(page, '[data-testid=packet-list]');
  expect(after.height).toBeGreaterThan(before.height + 100);

  const hd = (await page.locator('[data-testid="seqscope-detail-bytes-divider"]').boundingBox())!;
  const treeBefore = await box(page, '[data-testid=packet-detail]');
  await page.mouse.move(hd.x + hd.width / 2, hd.y + hd.height / 2);
  await page.mouse.down();
  await page.mouse.move(hd.x - 200, hd.y + hd.height / 2, { steps: 8 });
  await page.mouse.up();
  const treeAfter = await box(page, '[data-testid=packet-detail]');
  expect(treeAfter.width).toBeLessThan(treeBefore.width - 150);

  await page.reload();
  await v.load(owned('sample.pcap'));
  expect(Math.abs((await box(page, '[data-testid=packet-list]')).height - after.height)).toBeLessThan(4);
  expect(Math.abs((await box(page, '[data-testid=packet-detail]')).width - treeAfter.width)).toBeLessThan(4);
});

test('Info takes the remaining width (no blank strip); a hidden column stays hidden after a reload', async ({ page }) => {
  const v = await openSample(page);
  const list = await box(page, '[data-testid=packet-list]');
  const row = await box(page, '[data-testid=packet-row]');
  const info = await v.packetRow(1).locator('.pl-info').boundingBox();
  // The row and its Info cell reach the list's right edge (a scroll bar at most is left).
  expect(row.x + row.width).toBeGreaterThanOrEqual(list.x + list.width - 20);
  expect(info!.x + info!.width).toBeGreaterThanOrEqual(list.x + list.width - 20);

  await page.locator('[data-testid=columns-button]').click();
  await page.locator('[data-testid=columns-menu] input[data-column=time]').uncheck();
  await expect(page.locator('[role=columnheader][data-testid=col-time]')).toHaveCount(0);
  await expect(v.packetRow(1).locator('.pl-time')).toHaveCount(0);
  // Info grows by what Time gave up.
  const info2 = await v.packetRow(1).locator('.pl-info').boundingBox();
  expect(info2!.width).toBeGreaterThan(info!.width + 50);
  await page.reload();
  await v.load(owned('sample.pcap'));
  await expect(v.packetRow(1).locator('.pl-time')).toHaveCount(0);
  await page.locator('[data-testid=columns-button]').click();
  await page.locator('[data-testid=columns-menu] input[data-column=time]').check();
  await expect(v.packetRow(1).locator('.pl-time')).toHaveCount(1);
});

for (const [w, h] of [
  [1000, 700],
  [800, 700],
] as const) {
  test(`usable at ${w}×${h}: one-line toolbar during a load, status counts whole, Info visible`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    const v = new ViewerPage(page);
    await v.goto();
    await v.openCapture(owned('bulk_loss.pcap'));
    const toolbar = page.locator('.toolbar');
    const oneLine = async () => (await toolbar.boundingBox())!.height < 44;
    expect(await oneLine()).toBe(true);
    await expect(v.loadStatus).toHaveAttribute('data-state', 'done');
    await v.waitForIdle();
    expect(await oneLine()).toBe(true);
    // The status bar's expert counts are whole and inside the window.
    const experts = page.locator('[data-testid=status-experts]');
    await expect(experts).toContainText('Chats');
    const eb = (await experts.boundingBox())!;
    expect(eb.x + eb.width).toBeLessThanOrEqual(w);
    expect(await experts.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    // The frame count, the Time and the addresses are whole (not cut with "…").
    const whole = (sel: string) => page.locator(sel).first().evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    for (const sel of ['[data-testid=status-frames]', '[data-testid=packet-row] .pl-time', '[data-testid=packet-row] .pl-source', '[data-testid=packet-row] .pl-destination'])
      expect(await whole(sel), sel).toBe(true);
    // Info is on screen in the first row.
    const info = (await v.packetRow(1).locator('.pl-info').boundingBox())!;
    expect(info.x).toBeLessThan(w - 100);
    await expect(v.packetRow(1).locator('.pl-info')).toBeInViewport();
  });
}

test('dark mode follows the system, the toggle overrides it and is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openSample(page);
  const bg = () => page.evaluate(() => getComputedStyle(document.querySelector('.toolbar')!).backgroundColor);
  const dark = await bg();
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await bg();
  expect(dark).not.toBe(light);
  expect(light).toBe('rgb(244, 244, 247)');
  await page.locator('[data-testid=theme-toggle]').click();
  expect(await bg()).toBe(dark);
  await page.reload();
  await expect(page.locator('[data-testid=theme-toggle]')).toHaveAttribute('data-theme-now', 'dark');
  expect(await bg()).toBe(dark);
  // Packet rows take Wireshark's dark-mode colouring rules: a rule with dark text on a pastel is
  // drawn the other way round; Bad TCP keeps its red text on dark teal, its flag cell too.
  const colours = () =>
    page.$$eval('[data-testid=packet-row][data-color-rule]:not(.selected)', (rows) =>
      Object.fromEntries(
        rows.map((r) => {
          const cs = getComputedStyle(r);
          const flag = getComputedStyle(r.querySelector('[data-testid=flag-cell]')!);
          return [r.getAttribute('data-color-rule'), { row: [cs.backgroundColor, cs.color], flag: [flag.backgroundColor, flag.color] }];
        }),
      ),
    );
  const TEAL = 'rgb(18, 39, 46)';
  await openSample(page);
  const inDark = await colours();
  expect(inDark['TCP']?.row).toEqual([TEAL, 'rgb(231, 230, 255)']);
  expect(inDark['TCP SYN/FIN']?.row).toEqual([TEAL, 'rgb(160, 160, 160)']);
  expect(inDark['Bad TCP']).toEqual({ row: [TEAL, 'rgb(247, 135, 135)'], flag: [TEAL, 'rgb(247, 135, 135)'] });
  await page.locator('[data-testid=theme-toggle]').click();
  expect(await bg()).toBe(light);
  const inLight = await colours();
  expect(inLight['TCP']?.row).toEqual(['rgb(231, 230, 255)', TEAL]);
  expect(inLight['TCP SYN/FIN']?.row).toEqual(['rgb(160, 160, 160)', TEAL]);
  expect(inLight['Bad TCP']).toEqual({ row: [TEAL, 'rgb(247, 135, 135)'], flag: [TEAL, 'rgb(247, 135, 135)'] });
});

test('after a load the packet list has the focus: arrows and Ctrl+G work without a click', async ({ page }) => {
  const v = await openSample(page);
  await expect(v.list).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(v.packetRow(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+g');
  await expect(page.locator('[data-testid=goto-input]')).toBeFocused();
});

test('Ctrl+G puts its target in the middle of the list', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(owned('bulk_loss.pcap'));
  for (const n of [1200, 300]) {
    await v.goToFrame(n);
    const list = await box(page, '[data-testid=packet-list]');
    const row = (await v.packetRow(n).boundingBox())!;
    const mid = row.y + row.height / 2 - (list.y + list.height / 2);
    expect(Math.abs(mid), `frame ${n} off the middle by ${mid}px`).toBeLessThan(23);
  }
});

test('the error banner can be closed', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await page.locator('input[type=file][data-testid=file-input]').setInputFiles({ name: 'empty.pcap', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) });
  await expect(v.errorBanner).toBeVisible();
  await page.locator('[data-testid=error-close]').click();
  await expect(v.errorBanner).toHaveCount(0);
});

test('screenshots: 1600×1000 and 800×700, light and dark', async ({ page }) => {
  test.skip(!SHOTS, 'SEQSCOPE_SCREENSHOTS=1 writes them to docs/screenshots/');
  for (const scheme of ['light', 'dark'] as const) {
    for (const [w, h] of [
      [1600, 1000],
      [800, 700],
    ] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: w, height: h });
      const v = await openSample(page);
      await v.selectPacket(17);
      await page.screenshot({ path: join(REPO, 'docs/screenshots', `app-${w}x${h}-${scheme}.png`) });
    }
  }
});

test('a file that is not a capture (a PNG, an empty file) keeps the open capture and says so', async ({ page }) => {
  const v = await openSample(page);
  const frames = await v.frames();
  await v.selectPacket(10);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(40).fill(0)]);
  for (const [name, buffer, looks] of [
    ['picture.png', png, 'it looks like a PNG image'],
    ['empty.pcap', Buffer.alloc(0), 'it looks like an empty file'],
  ] as const) {
    await page.locator('input[type=file][data-testid=file-input]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
    await expect(v.errorBanner).toContainText(`${name}: This is not a capture file: ${looks}.`);
    await expect(v.errorBanner).toContainText('sample.pcap stays open');
    await expect(page.locator('[data-testid=status-file]')).toHaveText('sample.pcap');
    expect(await v.frames()).toBe(frames);
    await expect(v.packetRow(10)).toHaveAttribute('aria-selected', 'true');
    await expect(v.detail).toContainText('Frame 10:');
    await page.locator('[data-testid=error-close]').click();
    await expect(v.errorBanner).toHaveCount(0);
  }
});
