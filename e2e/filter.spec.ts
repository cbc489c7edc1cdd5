/**
 * The display-filter bar and the displayed view, against tshark: typing a filter shows exactly
 * the frames `tshark -2 -n -Y FILTER` prints (from ../shared's expected answers, else tshark
 * itself); invalid filters turn the bar red with the message; Apply as Filter from the detail
 * tree; `filter=` in a link; sorting; next/previous flagged frame; find; Ctrl+G on a hidden
 * frame; a filter typed during a large load shows matches before the load ends; bad filter
 * strings get an answer in bounded time and the worker survives.
 */
import { test, expect, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, CAPTURES, HAS_SHARED, ViewerPage, capture, expectedAnalysis, expectedFrameCount } from './viewer-page';
import { TSHARK } from '../test/owned';

// These run on the corpora's captures (and tshark's recorded answers): a clone without them skips them.
test.skip(!HAS_SHARED, 'needs the corpora (../shared or SEQSCOPE_SHARED)');

const EXPECTED = join(CAPTURES, '../conformance/expected-filters/captures.json');

/** tshark's frames for FILTER on a shared capture: the recorded answer when there is one, else tshark. */
function tsharkFrames(name: string, filter: string): number[] {
  if (existsSync(EXPECTED)) {
    const e = JSON.parse(readFileSync(EXPECTED, 'utf8')) as { filters: string[]; captures: Record<string, { match: (string | null)[] }> };
    const i = e.filters.indexOf(filter);
    const m = e.captures[name]?.match[i];
    if (i >= 0 && typeof m === 'string') {
      const out: number[] = [];
      for (const part of m.split(',').filter(Boolean)) {
        const [a, b] = part.split('-').map(Number);
        for (let n = a; n <= (b ?? a); n++) out.push(n);
      }
      return out;
    }
  }
  const out = execFileSync(TSHARK, ['-2', '-n', '-r', capture(name), '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map(Number);
}

const filterInput = (page: Page) => page.locator('[data-testid=filter-input]');
const displayed = (page: Page) => page.locator('[data-testid=status-displayed]');

async function applyFilter(v: ViewerPage, text: string): Promise<void> {
  await filterInput(v.page).fill(text);
  await filterInput(v.page).press('Enter');
  await expect(displayed(v.page)).toHaveAttribute('data-done', 'true');
  await v.waitForIdle();
}

/** Every frame number the list shows, in list order (read a screenful at a time). */
async function listedFrames(v: ViewerPage): Promise<number[]> {
  const count = Number(await v.list.getAttribute('aria-rowcount'));
  const seen = new Map<number, number>();
  for (let p = 1; p <= count; ) {
    await v.list.evaluate((el, top) => {
      el.scrollTop = top;
      el.dispatchEvent(new Event('scroll'));
    }, (p - 1) * 22);
    await v.waitForIdle();
    await expect(v.page.locator(`[data-testid=packet-row][aria-rowindex="${p}"]:not(.pending)`)).toHaveCount(1);
    const rows = await v.page.$$eval('[data-testid=packet-row]:not(.pending)', (els) => els.map((el) => [Number(el.getAttribute('aria-rowindex')), Number(el.getAttribute('data-frame'))]));
    for (const [pos, frame] of rows) seen.set(pos, frame);
    const next = Math.max(...rows.map((r) => r[0])) + 1;
    expect(next).toBeGreaterThan(p);
    p = next;
  }
  return [...Array(count).keys()].map((i) => seen.get(i + 1)!);
}

const CASES: [string, string[]][] = [
  ['real_loss_iptables_nth23_sender_view_ipv4.pcap', ['tcp.analysis.flags', 'tcp.analysis.retransmission', 'tcp.srcport == 80']],
  ['crafted_zero_window_probes_ipv4.pcap', ['tcp.analysis.flags', 'tcp.analysis.zero_window', 'ip.addr == 192.0.2.1']],
];

for (const [name, filters] of CASES) {
  test(`filters on ${name} show tshark's frames`, async ({ page }) => {
    const v = new ViewerPage(page);
    await v.goto();
    await v.load(capture(name));
    const total = expectedFrameCount(name);
    for (const f of filters) {
      const want = tsharkFrames(name, f);
      await applyFilter(v, f);
      await expect(filterInput(page)).toHaveAttribute('data-state', 'valid');
      await expect(displayed(page)).toHaveAttribute('data-displayed', String(want.length));
      await expect(displayed(page)).toContainText(`Displayed: ${want.length} (`);
      expect(await listedFrames(v), f).toEqual(want);
      if (want.length && want.length < total) {
        // Ctrl+G to a hidden frame says so; to a shown one selects it.
        const hidden = [...Array(total).keys()].map((i) => i + 1).find((n) => !want.includes(n))!;
        await v.list.focus();
        await page.keyboard.press('Control+g');
        await page.locator('[data-testid=goto-input]').fill(String(hidden));
        await page.keyboard.press('Enter');
        await expect(page.locator('[data-testid=goto-message]')).toContainText(`Frame ${hidden} is hidden by the display filter`);
        await page.keyboard.press('Escape');
        await v.goToFrame(want[want.length - 1]);
        await expect(v.detail).toContainText(`Frame ${want[want.length - 1]}:`);
      }
    }
    // Clearing shows every frame again.
    await page.locator('[data-testid=filter-clear]').click();
    await expect(displayed(page)).toHaveCount(0);
    await v.waitForIdle();
    expect(Number(await v.list.getAttribute('aria-rowcount'))).toBe(total);
  });
}

test('an invalid filter turns the bar red with the message; Escape restores; a warning is yellow', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(capture(CASES[0][0]));
  await applyFilter(v, 'tcp.analysis.flags');
  await filterInput(page).fill('tcp.port == ');
  await expect(filterInput(page)).toHaveAttribute('data-state', 'invalid');
  await expect(page.locator('[data-testid=filter-message]')).not.toBeEmpty();
  await filterInput(page).press('Enter');
  // Not applied: the list still shows the previous filter's frames.
  await expect(displayed(page)).toHaveAttribute('data-displayed', String(tsharkFrames(CASES[0][0], 'tcp.analysis.flags').length));
  const bar = { x: 0, y: 0, width: 1280, height: 120 };
  await page.screenshot({ path: test.info().outputPath('filter-bar-invalid.png'), clip: bar });
  await filterInput(page).press('Escape');
  await expect(filterInput(page)).toHaveValue('tcp.analysis.flags');
  await expect(filterInput(page)).toHaveAttribute('data-state', 'valid');
  await page.screenshot({ path: test.info().outputPath('filter-bar-valid.png'), clip: bar });
  // "!=" on a multi-valued field is valid but questionable in 4.0: yellow, with the reason.
  await filterInput(page).fill('ip.addr != 192.0.2.1');
  await expect(filterInput(page)).toHaveAttribute('data-state', 'warning');
  await expect(page.locator('[data-testid=filter-message]')).toContainText('ambiguous');
  await page.screenshot({ path: test.info().outputPath('filter-bar-warning.png'), clip: bar });
  await filterInput(page).press('Escape');
  // Completion lists field names with their descriptions.
  await filterInput(page).fill('tcp.analysis.ret');
  await expect(page.locator('[data-testid=filter-completions] li').first()).toContainText('tcp.analysis.retransmission');
  await filterInput(page).press('Tab');
  await expect(filterInput(page)).toHaveValue('tcp.analysis.retransmission');
});

test('Apply as Filter from the detail tree', async ({ page }) => {
  const name = CASES[0][0];
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(capture(name));
  await v.selectPacket(8);
  const line = v.detail.locator('.tree-line[data-field="tcp.srcport"]').first();
  const port = (await line.textContent())!.match(/Source Port: (\d+)/)![1];
  await line.click({ button: 'right' });
  await page.locator('[data-testid=apply-as-filter]').hover();
  await page.locator('[data-testid=apply-selected]').click();
  const f = `tcp.srcport == ${port}`;
  await expect(filterInput(page)).toHaveValue(f);
  await expect(displayed(page)).toHaveAttribute('data-done', 'true');
  await v.waitForIdle();
  expect(await listedFrames(v)).toEqual(tsharkFrames(name, f));
  // Prepare as Filter …and not Selected: combined in the bar, not applied yet.
  await v.selectPacket(tsharkFrames(name, f)[0]);
  const flagLine = v.detail.locator('.tree-line[data-field="tcp.dstport"]').first();
  const dport = (await flagLine.textContent())!.match(/Destination Port: (\d+)/)![1];
  await flagLine.click({ button: 'right' });
  await page.locator('[data-testid=prepare-as-filter]').hover();
  await page.locator('[data-testid=prepare-andNot]').click();
  await expect(filterInput(page)).toHaveValue(`(${f}) && !(tcp.dstport == ${dport})`);
  await expect(filterInput(page)).toHaveAttribute('data-state', 'valid');
});

test('a link with filter= opens with the filter applied, and applying a filter writes it', async ({ page }) => {
  const name = CASES[1][0];
  const v = new ViewerPage(page);
  await page.goto('./?test#filter=' + encodeURIComponent('tcp.analysis.flags'));
  await expect(filterInput(page)).toHaveValue('tcp.analysis.flags');
  await v.load(capture(name));
  await expect(displayed(page)).toHaveAttribute('data-done', 'true');
  await v.waitForIdle();
  expect(await listedFrames(v)).toEqual(tsharkFrames(name, 'tcp.analysis.flags'));
  await applyFilter(v, 'tcp.analysis.zero_window');
  await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toContain('filter=tcp.analysis.zero_window');
});

test('sorting by a column, again reversed, over the filtered view; next/previous flagged frame', async ({ page }) => {
  const name = CASES[0][0];
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(capture(name));
  const rows = expectedAnalysis(name);
  const flagged = rows.map((r, i) => (/[1-9]/.test(Object.entries(r).filter(([k]) => /^tcp\.analysis\.(retransmission|fast_retransmission|spurious_retransmission|out_of_order|lost_segment|ack_lost_segment|duplicate_ack|zero_window|zero_window_probe|zero_window_probe_ack|keep_alive|keep_alive_ack|window_update|window_full|reused_ports)$/.test(k)).map(([, x]) => x).join('')) ? i + 1 : 0)).filter(Boolean);
  expect(flagged.length).toBeGreaterThan(3);

  // F8 / Shift+F8 from the top walk the flagged frames.
  await v.list.focus();
  await page.keyboard.press('F8');
  await expect(v.selectedRow()).toHaveAttribute('data-frame', String(flagged[0]));
  await page.keyboard.press('F8');
  await expect(v.selectedRow()).toHaveAttribute('data-frame', String(flagged[1]));
  await page.keyboard.press('Shift+F8');
  await expect(v.selectedRow()).toHaveAttribute('data-frame', String(flagged[0]));
  await page.keyboard.press('.');
  await expect(v.selectedRow()).toHaveAttribute('data-frame', String(flagged[1]));

  // Sorting by length: ascending, then descending; ties in frame order.
  const want = tsharkFrames(name, 'tcp.len > 0');
  await applyFilter(v, 'tcp.len > 0');
  await page.locator('[data-testid=col-length]').click();
  await expect(page.locator('[data-testid=col-length]')).toHaveAttribute('aria-sort', 'ascending');
  await expect(displayed(page)).toHaveAttribute('data-done', 'true');
  await v.waitForIdle();
  const lenOf = async () => new Map(await page.$$eval('[data-testid=packet-row]:not(.pending)', (els) => els.map((el) => [Number(el.getAttribute('data-frame')), Number(el.querySelector('.pl-length')!.textContent)] as [number, number])));
  const asc = await listedFrames(v);
  expect([...asc].sort((a, b) => a - b)).toEqual(want);
  const lens = await lenOf();
  await page.locator('[data-testid=col-length]').click();
  await expect(page.locator('[data-testid=col-length]')).toHaveAttribute('aria-sort', 'descending');
  await expect(displayed(page)).toHaveAttribute('data-done', 'true');
  await v.waitForIdle();
  const desc = await listedFrames(v);
  expect([...desc].sort((a, b) => a - b)).toEqual(want);
  // Spot-check the order on the last screenful read (lengths non-increasing down the list).
  const shown = await lenOf();
  const order = desc.filter((n) => shown.has(n)).map((n) => shown.get(n)!);
  for (let i = 1; i < order.length; i++) expect(order[i]).toBeLessThanOrEqual(order[i - 1]);
  expect(lens.size).toBeGreaterThan(0);
  // Sort by No. descending: the filtered frames backwards.
  await page.locator('[data-testid=col-no]').click();
  await page.locator('[data-testid=col-no]').click();
  await expect(page.locator('[data-testid=col-no]')).toHaveAttribute('aria-sort', 'descending');
  await v.waitForIdle();
  expect(await listedFrames(v)).toEqual([...want].reverse());
});

test('help overlay and find packet', async ({ page }) => {
  const name = CASES[0][0];
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(capture(name));
  await v.list.focus();
  await page.keyboard.press('?');
  await expect(page.locator('[data-testid=help-overlay]')).toContainText('Next frame with TCP analysis flags');
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-testid=help-overlay]')).toHaveCount(0);
  const retrans = tsharkFrames(name, 'tcp.analysis.retransmission');
  await v.selectPacket(1);
  await page.keyboard.press('Control+f');
  await page.locator('[data-testid=find-input]').fill('tcp.analysis.retransmission');
  await page.keyboard.press('Enter');
  await expect(v.selectedRow()).toHaveAttribute('data-frame', String(retrans[0]));
  await page.keyboard.press('Enter');
  await expect(v.selectedRow()).toHaveAttribute('data-frame', String(retrans[1]));
  await page.locator('[data-testid=find-kind]').selectOption('hex');
  await page.locator('[data-testid=find-input]').fill('zz');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid=find-message]')).toContainText('not a byte sequence');
});

test('bad filter strings get an answer in bounded time and the worker survives', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(capture(CASES[0][0]));
  let seed = 1;
  const garbage = Array.from({ length: 100_000 }, () => String.fromCharCode(33 + ((seed = (seed * 48271) % 2147483647) % 94))).join('');
  const bad = [garbage, '('.repeat(10_000) + 'tcp' + ')'.repeat(10_000), '('.repeat(10_000), 'frame matches "(a+)+$"', 'tcp.payload matches "(.*a){20}"'];
  for (const text of bad) {
    const t0 = Date.now();
    await filterInput(page).fill(text);
    await filterInput(page).press('Enter');
    await expect(filterInput(page)).toHaveAttribute('data-state', /^(invalid|valid|warning)$/, { timeout: 20_000 });
    await v.waitForIdle();
    expect(Date.now() - t0, text.slice(0, 40)).toBeLessThan(20_000);
  }
  await expect(v.errorBanner).toHaveCount(0);
  const want = tsharkFrames(CASES[0][0], 'tcp.analysis.flags');
  await applyFilter(v, 'tcp.analysis.flags');
  await expect(displayed(page)).toHaveAttribute('data-displayed', String(want.length));
});

test('a filter typed during the load of a large capture shows matches before the load ends', async ({ page }) => {
  test.setTimeout(180_000);
  const seed = 'real_normal_handshake_data_fin_ipv4.pcap';
  const dir = mkdtempSync(join(tmpdir(), 'seqscope-filter-'));
  const path = join(dir, 'big.pcap');
  try {
    execFileSync('node', ['scripts/bench/browser-standin.mjs', path, '1000000', capture(seed)], { cwd: REPO });
    // The answer, from the CLI's field output (tshark takes minutes on a file this size).
    const streams = execFileSync('node', ['bin/seqscope.mjs', '-r', path, '-T', 'fields', '-e', 'tcp.stream'], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 });
    const want = streams.split('\n').filter((l) => l === '0').length;
    const v = new ViewerPage(page);
    await v.goto();
    await v.openCapture(path);
    await expect(v.packetRow(1)).toBeVisible();
    await filterInput(page).fill('tcp.stream == 0');
    await filterInput(page).press('Enter');
    // Matches are listed while the load is still running.
    await expect(page.locator('[data-testid=packet-row]:not(.pending)').first()).toBeVisible();
    await expect(v.loadStatus).toHaveAttribute('data-state', 'loading');
    expect(Number(await displayed(page).getAttribute('data-displayed'))).toBeGreaterThan(0);
    await expect(v.loadStatus).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
    await expect(displayed(page)).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
    await v.waitForIdle();
    expect(want).toBeGreaterThan(1000);
    expect(Number(await displayed(page).getAttribute('data-displayed'))).toBe(want);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
