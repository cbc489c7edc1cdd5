/**
 * View → Time Display Format, time references, marked frames and "Apply as column" in the
 * packet list, against tshark 4.0.17 run live on a capture the project owns (test/owned.ts).
 */
import { test, expect, type Page } from '@playwright/test';
import { ViewerPage, owned } from './viewer-page';
import { tsharkFields } from '../test/owned';

const NAME = owned('bulk_loss.pcap');
/** Five frames on the first screen (none is the first: each format differs there). */
const FRAMES = [2, 3, 5, 8, 13];
const TZ = 'America/New_York';

test.use({ timezoneId: TZ });

const timeCell = (v: ViewerPage, n: number) => v.packetRow(n).locator('.pl-time');
const timeFormat = (page: Page) => page.locator('[data-testid=time-format]');

async function times(v: ViewerPage, frames: number[]): Promise<string[]> {
  await v.waitForIdle();
  return Promise.all(frames.map((n) => timeCell(v, n).innerText()));
}

test('each time format shows tshark’s value of its field, and the choice is remembered', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(NAME);
  const utc = tsharkFields(NAME, ['frame.time_relative', 'frame.time_delta', 'frame.time', 'frame.time_epoch'], [], { TZ: 'UTC' });
  const local = tsharkFields(NAME, ['frame.time'], [], { TZ });
  const at = (rows: Record<string, string>[], f: string, pick: (s: string) => string = (s) => s) => FRAMES.map((n) => pick(rows[n - 1][f]));
  const timeOfDay = (s: string) => s.split(' ')[3];
  const want: Record<string, string[]> = {
    rel: at(utc, 'frame.time_relative'),
    delta: at(utc, 'frame.time_delta'),
    delta_dis: at(utc, 'frame.time_delta'),
    tod_utc: at(utc, 'frame.time', timeOfDay),
    tod: at(local, 'frame.time', timeOfDay),
    abs: at(utc, 'frame.time'),
    abs_local: at(local, 'frame.time'),
    epoch: at(utc, 'frame.time_epoch'),
  };
  expect(await times(v, FRAMES)).toEqual(want.rel);
  for (const [format, values] of Object.entries(want)) {
    await timeFormat(page).selectOption(format);
    await expect(timeCell(v, FRAMES[0])).toHaveText(values[0]);
    expect(await times(v, FRAMES), format).toEqual(values);
  }
  // Since the previous displayed frame, with a display filter: tshark -Y.
  const filter = 'tcp.len > 0';
  const shown = tsharkFields(NAME, ['frame.number', 'frame.time_delta_displayed'], ['-Y', filter]).slice(0, 5);
  await timeFormat(page).selectOption('delta_dis');
  await page.locator('[data-testid=filter-input]').fill(filter);
  await page.locator('[data-testid=filter-input]').press('Enter');
  await expect(page.locator('[data-testid=status-displayed]')).toHaveAttribute('data-done', 'true');
  const frames = shown.map((r) => Number(r['frame.number']));
  await expect(timeCell(v, frames[0])).toHaveText(shown[0]['frame.time_delta_displayed']);
  expect(await times(v, frames)).toEqual(shown.map((r) => r['frame.time_delta_displayed']));

  // Remembered across a reload (localStorage).
  await timeFormat(page).selectOption('epoch');
  await v.goto();
  await expect(timeFormat(page)).toHaveValue('epoch');
  await v.load(NAME);
  expect(await times(v, FRAMES)).toEqual(want.epoch);
  if (process.env.SEQSCOPE_SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/time-format.png' });
});

test('time reference (t) shows *REF* and relative times count from it; marks (m) are black rows restored by a link', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await page.evaluate(() => localStorage.clear());
  await v.load(NAME);
  const epoch = tsharkFields(NAME, ['frame.time_epoch']).map((r) => BigInt(r['frame.time_epoch'].replace('.', '')));
  const rel = (n: number, from: number) => {
    const d = epoch[n - 1] - epoch[from - 1];
    return `${d / 1_000_000_000n}.${String(d % 1_000_000_000n).padStart(9, '0')}`;
  };
  await timeFormat(page).selectOption('rel');
  await v.selectPacket(5);
  await v.press('t');
  await expect(timeCell(v, 5)).toHaveText('*REF*');
  expect(await times(v, [3, 4, 8, 13])).toEqual([rel(3, 1), rel(4, 1), rel(8, 5), rel(13, 5)]);
  // A second reference later on: frames after it count from it.
  await v.selectPacket(10);
  await v.press('t');
  await expect(timeCell(v, 10)).toHaveText('*REF*');
  expect(await times(v, [8, 13])).toEqual([rel(8, 5), rel(13, 10)]);
  // Unset the first: frames before the second count from frame 1 again.
  await v.selectPacket(5);
  await v.press('t');
  await expect(timeCell(v, 5)).toHaveText(rel(5, 1));
  expect(await times(v, [8, 13])).toEqual([rel(8, 1), rel(13, 10)]);

  // Marks: black background, white text.
  await v.selectPacket(3);
  await v.press('m');
  await v.selectPacket(7);
  await v.press('m');
  await v.selectPacket(8);
  await v.press('m');
  await v.press('m'); // unmark 8 again
  for (const n of [3, 7]) {
    await expect(v.packetRow(n)).toHaveAttribute('data-marked', 'true');
    await expect(v.packetRow(n)).toHaveCSS('background-color', 'rgb(0, 0, 0)');
    await expect(v.packetRow(n)).toHaveCSS('color', 'rgb(255, 255, 255)');
  }
  await expect(v.packetRow(8)).not.toHaveAttribute('data-marked', 'true');
  // The row menu does the same as the keys.
  await v.packetRow(8).click({ button: 'right' });
  await page.locator('[data-testid=rm-mark]').click();
  await expect(v.packetRow(8)).toHaveAttribute('data-marked', 'true');
  await v.packetRow(8).click({ button: 'right' });
  await page.locator('[data-testid=rm-mark]').click();
  await expect(v.packetRow(8)).not.toHaveAttribute('data-marked', 'true');
  await v.packetRow(12).click({ button: 'right' });
  await page.locator('[data-testid=rm-ref]').click();
  await expect(timeCell(v, 12)).toHaveText('*REF*');
  await v.packetRow(12).click({ button: 'right' });
  await page.locator('[data-testid=rm-ref]').click();
  await expect(timeCell(v, 12)).toHaveText(rel(12, 10));
  await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toContain('marks=3,7');
  expect(decodeURIComponent(await page.evaluate(() => location.hash))).toContain('refs=10');

  // The link restores marks and references on the same capture.
  const link = await page.evaluate(() => location.href);
  const page2 = await page.context().newPage();
  const v2 = new ViewerPage(page2);
  await page2.goto(link);
  await v2.load(NAME);
  await expect(v2.packetRow(3)).toHaveAttribute('data-marked', 'true');
  await expect(v2.packetRow(7)).toHaveAttribute('data-marked', 'true');
  await expect(v2.packetRow(5)).not.toHaveAttribute('data-marked', 'true');
  await expect(timeCell(v2, 10)).toHaveText('*REF*');
  await expect(timeCell(v2, 13)).toHaveText(rel(13, 10));
  if (process.env.SEQSCOPE_SCREENSHOTS) {
    await v2.selectPacket(9);
    await page2.screenshot({ path: 'docs/screenshots/marks-time-reference.png' });
  }
  // The keys are in the help overlay.
  await page2.locator('[data-testid=packet-list]').press('?');
  await expect(page2.locator('[data-testid=help-overlay]')).toContainText('Mark / unmark the selected frame');
  await expect(page2.locator('[data-testid=help-overlay]')).toContainText('time reference');
});

test('Apply as column adds the field’s values to every row, kept after a reload, and removable', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await page.evaluate(() => localStorage.clear());
  await v.load(NAME);
  const field = 'tcp.seq';
  const want = tsharkFields(NAME, [field]);
  await v.selectPacket(4);
  await v.detail.locator(`[data-field="${field}"]`).first().click({ button: 'right' });
  await page.locator('[data-testid=apply-as-column]').click();
  const header = page.locator('[data-testid=col-x0]');
  await expect(header).toContainText(field);
  const cell = (p: Page, n: number) => p.locator(`[data-testid=packet-row][data-frame="${n}"] .pl-x0`);
  await expect(cell(page, FRAMES[0])).toHaveText(want[FRAMES[0] - 1][field]);
  await v.waitForIdle();
  for (const n of FRAMES) await expect(cell(page, n)).toHaveText(want[n - 1][field]);
  await v.goto();
  await v.load(NAME);
  await expect(header).toContainText(field);
  for (const n of FRAMES) await expect(cell(page, n)).toHaveText(want[n - 1][field]);
  if (process.env.SEQSCOPE_SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/apply-as-column.png' });
  await header.locator('[data-testid=remove-column]').click();
  await expect(header).toHaveCount(0);
});

test.describe('in another time zone', () => {
  for (const zone of ['UTC', 'Europe/Paris']) {
    test.describe(zone, () => {
      test.use({ timezoneId: zone });
      test(`local date and time is tshark's frame.time with TZ=${zone}`, async ({ page }) => {
        const v = new ViewerPage(page);
        await v.goto();
        await v.load(NAME);
        const local = tsharkFields(NAME, ['frame.time'], [], { TZ: zone });
        await timeFormat(page).selectOption('abs_local');
        await expect(timeCell(v, FRAMES[0])).toHaveText(local[FRAMES[0] - 1]['frame.time']);
        expect(await times(v, FRAMES)).toEqual(FRAMES.map((n) => local[n - 1]['frame.time']));
      });
    });
  }
});
