/**
 * Statistics views against tshark 4.0.17 run here: the Conversations table's TCP rows carry
 * `-z conv,tcp`'s numbers, a row's conversation filter is applied (and shows that many frames),
 * Follow TCP Stream's ASCII chunks are `-z follow,tcp,ascii,N`'s, and clicking a chunk selects
 * its frame. Needs ../shared (skipped without it).
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { test, expect } from '@playwright/test';
import { ViewerPage, REPO, capture } from './viewer-page';

const FILE = capture('real/ppa3/http_ip4and6.pcapng');
const tshark = (z: string) =>
  execFileSync('tshark', ['-2', '-n', '-r', FILE, '-q', '-z', z], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });

test.skip(!existsSync(FILE), 'needs ../shared');

test('Conversations: the TCP rows are -z conv,tcp numbers; a row filters the list to its conversation', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(FILE);
  await page.locator('[data-testid=open-conversations]').click();
  const panel = page.locator('[data-testid=conversations-panel]');
  await page.locator('[data-testid=stats-tab-tcp]').click();
  const rows = panel.locator('[data-testid=conv-row]');
  // tshark: "A:pA <-> B:pB  <-frames <-bytes  ->frames ->bytes  total …  start  duration"
  const want = tshark('conv,tcp')
    .split('\n')
    .filter((l) => l.includes('<->'))
    .map((l) => {
      const m = /^(\S+):(\d+)\s+<-> (\S+):(\d+)\s+(\d+) (\d+) bytes\s+(\d+) (\d+) bytes\s+(\d+) (\d+) bytes\s+([\d.]+)\s+([\d.]+)$/.exec(l);
      if (!m) throw new Error(`unexpected tshark line: ${l}`);
      return {
        key: `${m[1]}:${m[2]}-${m[3]}:${m[4]}`,
        ba: [m[5], m[6]],
        ab: [m[7], m[8]],
        total: [m[9], m[10]],
        start: m[11],
        duration: m[12],
      };
    });
  expect(want.length).toBeGreaterThan(0);
  await expect(rows).toHaveCount(want.length);
  for (let i = 0; i < want.length; i++) {
    const r = rows.nth(i);
    const cell = async (c: string) => (await r.locator(`[data-col=${c}]`).textContent()) ?? '';
    const key = `${await cell('addrA')}:${await cell('portA')}-${await cell('addrB')}:${await cell('portB')}`;
    const w = want.find((x) => x.key === key);
    expect(w, key).toBeDefined();
    expect([await cell('packetsBA'), await cell('bytesBA')]).toEqual(w!.ba);
    expect([await cell('packetsAB'), await cell('bytesAB')]).toEqual(w!.ab);
    expect([await cell('packets'), await cell('bytes')]).toEqual(w!.total);
    expect(await cell('start')).toBe(w!.start);
    expect(await cell('duration')).toBe(w!.duration);
  }
  // docs/screenshots/conversations.png is refreshed with SEQSCOPE_SCREENSHOTS=1 (a test run does not touch the tree).
  if (process.env.SEQSCOPE_SCREENSHOTS) await page.screenshot({ path: `${REPO}/docs/screenshots/conversations.png` });

  // The other tabs (counted after the TCP one, on the statistics pass's fast path): each row's
  // addresses and total frames/bytes are -z conv,TYPE's.
  for (const t of ['eth', 'ip', 'ipv6', 'udp'] as const) {
    await page.locator(`[data-testid=stats-tab-${t}]`).click();
    const lines = tshark(`conv,${t}`)
      .split('\n')
      .filter((l) => l.includes('<->'))
      .map((l) => {
        const m = /^(\S+)\s+<-> (\S+)\s+\d+ \d+ bytes\s+\d+ \d+ bytes\s+(\d+) (\d+) bytes/.exec(l);
        if (!m) throw new Error(`unexpected tshark line: ${l}`);
        return `${m[1]} ${m[2]} ${m[3]} ${m[4]}`;
      })
      .sort();
    await expect(rows).toHaveCount(lines.length);
    const got: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const r = rows.nth(i);
      const cell = async (c: string) => (await r.locator(`[data-col=${c}]`).textContent()) ?? '';
      const port = async (c: string) => (t === 'udp' ? `:${await cell(c)}` : '');
      got.push(`${await cell('addrA')}${await port('portA')} ${await cell('addrB')}${await port('portB')} ${await cell('packets')} ${await cell('bytes')}`);
    }
    expect(got.sort(), t).toEqual(lines);
  }
  await page.locator('[data-testid=stats-tab-tcp]').click();

  // A↔B of the IPv4 conversation: Wireshark's filter, applied; its 10 frames displayed.
  const v4 = rows.filter({ hasText: '172.16.16.140' });
  await v4.locator('[data-testid=conv-filter-both]').click();
  await expect(page.locator('[data-testid=filter-input]')).toHaveValue(
    'ip.addr==172.16.16.140 && tcp.port==53350 && ip.addr==172.16.16.139 && tcp.port==80',
  );
  await expect(page.locator('[data-testid=status-displayed]')).toHaveAttribute('data-displayed', '10');
  await v4.locator('[data-testid=conv-filter-ab]').click();
  await expect(page.locator('[data-testid=filter-input]')).toHaveValue(
    'ip.src==172.16.16.140 && tcp.srcport==53350 && ip.dst==172.16.16.139 && tcp.dstport==80',
  );
  await expect(page.locator('[data-testid=status-displayed]')).toHaveAttribute('data-displayed', '6');
});

test('Follow TCP Stream: the ASCII chunks are -z follow,tcp,ascii,N; a chunk selects its frame', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(FILE);
  await page.locator('[data-testid=open-conversations]').click();
  await page.locator('[data-testid=stats-tab-tcp]').click();
  const row = page.locator('[data-testid=conv-row]').filter({ hasText: '2001:db8:1:2::1002' });
  await row.locator('[data-testid=conv-follow]').click();
  const panel = page.locator('[data-testid=follow-panel]');
  await expect(panel).toBeVisible();
  await expect(page).toHaveURL(/[#&]stream=1(&|$)/);
  // tshark's chunks: a length line (a TAB before the server's), then exactly that many characters and a newline.
  const out = tshark('follow,tcp,ascii,1');
  const body = out.split('\n').slice(6).join('\n');
  const want: { server: boolean; text: string }[] = [];
  for (let at = 0; ;) {
    const m = /^(\t?)(\d+)\n/.exec(body.slice(at));
    if (!m) break;
    at += m[0].length;
    const n = Number(m[2]);
    want.push({ server: m[1] === '\t', text: body.slice(at, at + n) });
    at += n + 1;
  }
  expect(want.length).toBeGreaterThan(1);
  await expect(panel.locator('[data-testid=follow-nodes]')).toContainText('[2001:db8:1:2::1002]:35023');
  const chunks = panel.locator('[data-testid=follow-chunk]');
  await expect(chunks).toHaveCount(want.length);
  // The chunks' bytes are read again for the ones on screen: wait until they are all here.
  await expect(panel.locator('[data-testid=follow-chunk][data-pending]')).toHaveCount(0);
  for (let i = 0; i < want.length; i++) {
    expect(await chunks.nth(i).evaluate((e) => e.textContent)).toBe(want[i].text);
    await expect(chunks.nth(i)).toHaveAttribute('data-server', want[i].server ? '1' : '0');
  }
  // docs/screenshots/follow-stream.png is refreshed with SEQSCOPE_SCREENSHOTS=1 (a test run does not touch the tree).
  if (process.env.SEQSCOPE_SCREENSHOTS) await page.screenshot({ path: `${REPO}/docs/screenshots/follow-stream.png` });
  const frame = Number(await chunks.nth(1).getAttribute('data-frame'));
  await chunks.nth(1).click();
  await v.waitForIdle();
  expect(await v.selectedFrame()).toBe(frame);

  // Filter out this stream, then back.
  await panel.locator('[data-testid=follow-filter-out]').click();
  await expect(page.locator('[data-testid=filter-input]')).toHaveValue('!(tcp.stream eq 1)');
  await expect(page).not.toHaveURL(/[#&]stream=/);
});

test('a link with stream=N opens Follow TCP Stream of stream N once the capture is loaded; closing it drops stream=', async ({ page }) => {
  await page.goto('./?test#stream=1');
  const v = new ViewerPage(page);
  await expect(v.loadStatus).toHaveAttribute('data-state', 'idle');
  await v.load(FILE);
  const panel = page.locator('[data-testid=follow-panel]');
  await expect(panel).toContainText('tcp.stream eq 1');
  await expect(panel.locator('[data-testid=follow-nodes]')).toContainText('[2001:db8:1:2::1002]:35023');
  await expect(panel.locator('[data-testid=follow-chunk]').first()).toBeVisible();
  await expect(page).toHaveURL(/[#&]stream=1(&|$)/);
  await panel.locator('[data-testid=follow-back]').click();
  await expect(panel).toBeHidden();
  await expect(page).not.toHaveURL(/[#&]stream=/);
});

test('Expert Information: the counts are -z expert counts; a frame link selects it; Filter applies the group filter', async ({ page }) => {
  const file = capture('real_loss_iptables_nth23_sender_view_ipv4.pcap');
  test.skip(!existsSync(file), 'needs ../shared');
  const want: { sev: string; count: number; summary: string }[] = [];
  let sev = '';
  for (const l of execFileSync('tshark', ['-2', '-n', '-r', file, '-q', '-z', 'expert'], {
    encoding: 'latin1',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).split('\n')) {
    const h = /^(Errors|Warns|Notes|Chats|Comments) \(\d+\)$/.exec(l);
    if (h) sev = { Errors: 'error', Warns: 'warn', Notes: 'note', Chats: 'chat', Comments: 'comment' }[h[1]]!;
    else if (/^ +\d+ /.test(l) && l.length > 44) want.push({ sev, count: Number(l.slice(0, 12)), summary: l.slice(44) });
  }
  expect(want.length).toBeGreaterThan(3);
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(file);
  // The status bar's Notes count opens the panel at that severity.
  await page.locator('[data-testid=status-note]').click();
  const panel = page.locator('[data-testid=expert-panel]');
  await expect(panel).toBeVisible();
  const groups = panel.locator('[data-testid=expert-group]');
  await expect(groups).toHaveCount(want.length);
  for (let i = 0; i < want.length; i++) {
    await expect(groups.nth(i)).toHaveAttribute('data-summary', want[i].summary);
    await expect(groups.nth(i)).toHaveAttribute('data-count', String(want[i].count));
    await expect(groups.nth(i).locator('xpath=ancestor::section[1]')).toHaveAttribute('data-testid', `expert-severity-${want[i].sev}`);
  }
  // docs/screenshots/expert-panel.png is refreshed with SEQSCOPE_SCREENSHOTS=1 (a test run does not touch the tree).
  if (process.env.SEQSCOPE_SCREENSHOTS) await page.screenshot({ path: `${REPO}/docs/screenshots/expert-panel.png` });
  const retrans = groups.filter({ has: page.locator('text=This frame is a (suspected) retransmission') });
  await retrans.locator('[data-testid=expert-expand]').click();
  const link = retrans.locator('[data-testid=expert-frame]').nth(2);
  const frame = Number(await link.getAttribute('data-frame'));
  await link.click();
  await v.waitForIdle();
  expect(await v.selectedFrame()).toBe(frame);
  await retrans.locator('[data-testid=expert-filter]').click();
  await expect(page.locator('[data-testid=filter-input]')).toHaveValue('tcp.analysis.retransmission');
  await expect(page.locator('[data-testid=status-displayed]')).toHaveAttribute(
    'data-displayed',
    String(want.find((w) => w.summary === 'This frame is a (suspected) retransmission')!.count),
  );
});

test('Row context menu: Conversation Filter, Apply as Filter and Follow TCP Stream act on the row', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(FILE);
  await v.packetRow(4).click({ button: 'right' });
  const menu = page.locator('[data-testid=row-menu]');
  await expect(menu).toBeVisible();
  await menu.locator('[data-testid=rm-conv]').click();
  await page.locator('[data-testid=rm-conv-tcp]').click();
  await expect(page.locator('[data-testid=filter-input]')).toHaveValue('ip.addr==172.16.16.140 && tcp.port==53350 && ip.addr==172.16.16.139 && tcp.port==80');
  await expect(page.locator('[data-testid=status-displayed]')).toHaveAttribute('data-displayed', '10');

  await v.packetRow(4).click({ button: 'right' });
  await page.locator('[data-testid=rm-apply]').click();
  await expect(page.locator('[data-testid=filter-input]')).toHaveValue('tcp.stream eq 0');
  await expect(page.locator('[data-testid=status-displayed]')).toHaveAttribute('data-displayed', '10');

  await v.packetRow(4).click({ button: 'right' });
  await page.locator('[data-testid=rm-follow]').click();
  await expect(page.locator('[data-testid=follow-panel]')).toContainText('tcp.stream eq 0');
});

test('Colorize Conversation: the row menu and the Conversations table colour the rows of that TCP stream, and only those', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(FILE);
  const streamOf = new Map(
    execFileSync('tshark', ['-2', '-n', '-r', FILE, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream'], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n')
      .map((l) => l.split('\t').map(Number) as [number, number]),
  );
  const rows = page.locator('[data-testid=packet-row]');
  await expect(rows).toHaveCount(streamOf.size);
  /** Each frame's colour slot and background as shown. */
  const shown = () =>
    rows.evaluateAll((els) => els.map((e) => ({ frame: Number(e.getAttribute('data-frame')), slot: Number(e.getAttribute('data-conv-color') ?? 0), bg: getComputedStyle(e).backgroundColor })));
  const expectColours = async (want: (stream: number) => number, bg: Record<number, string>, selected: number) => {
    const got = await shown();
    for (const r of got) {
      const slot = want(streamOf.get(r.frame)!);
      expect(r.slot, `frame ${r.frame}`).toBe(slot);
      // The selected row shows the selection's colours.
      if (r.frame === selected) expect(Object.values(bg), `frame ${r.frame}`).not.toContain(r.bg);
      else if (slot) expect(r.bg, `frame ${r.frame}`).toBe(bg[slot]);
      else expect(Object.values(bg), `frame ${r.frame}`).not.toContain(r.bg);
    }
  };

  // Row 4 (stream 0) → Color 3 (Wireshark's e0c0e0); then select a row of the other stream.
  await v.packetRow(4).click({ button: 'right' });
  await page.locator('[data-testid=rm-color]').click();
  await page.locator('[data-testid=rm-color-3]').click();
  await expect(page.locator('[data-testid=row-menu]')).toBeHidden();
  await v.packetRow(12).click();
  await expect(v.packetRow(1)).toHaveAttribute('data-conv-color', '3');
  await expectColours((s) => (s === 0 ? 3 : 0), { 3: 'rgb(224, 192, 224)' }, 12);

  // The Conversations table's picker: stream 1 → Color 7 (c0ffc0).
  await page.locator('[data-testid=open-conversations]').click();
  await page.locator('[data-testid=stats-tab-tcp]').click();
  const conv = page.locator('[data-testid=conv-row]').filter({ hasText: '2001:db8:1:2::1002' });
  await conv.locator('[data-testid=conv-color]').selectOption('7');
  await v.packetRow(5).click();
  await expect(v.packetRow(12)).toHaveAttribute('data-conv-color', '7');
  await expectColours((s) => (s === 0 ? 3 : 7), { 3: 'rgb(224, 192, 224)', 7: 'rgb(192, 255, 192)' }, 5);
  // docs/screenshots/colorize-conversation.png is refreshed with SEQSCOPE_SCREENSHOTS=1 (a test run does not touch the tree).
  if (process.env.SEQSCOPE_SCREENSHOTS) await page.screenshot({ path: `${REPO}/docs/screenshots/colorize-conversation.png` });

  // The colours are in the link (Color 3 on stream 0, Color 7 on stream 1), and a page opened
  // with it paints the same rows once the capture is loaded.
  await expect(page).toHaveURL(/[#&]colors=3%3A0%2C7%3A1(&|$)/);
  const link = page.url();
  const other = await page.context().newPage();
  await other.goto(link);
  const v2 = new ViewerPage(other);
  await v2.load(FILE);
  await expect(v2.packetRow(12)).toHaveAttribute('data-conv-color', '7');
  await expect(v2.packetRow(4)).toHaveAttribute('data-conv-color', '3');
  await expect(other.locator('[data-testid=packet-row][data-conv-color]')).toHaveCount(streamOf.size);
  await other.close();

  // Reset coloring.
  await v.packetRow(4).click({ button: 'right' });
  await page.locator('[data-testid=rm-color]').click();
  await page.locator('[data-testid=rm-color-reset]').click();
  await expect(page.locator('[data-testid=packet-row][data-conv-color]')).toHaveCount(0);
  await expect(conv.locator('[data-testid=conv-color]')).toHaveValue('0');
  await expect(page).not.toHaveURL(/colors=/);
});

test('Expert Information docks as a tab of the lower pane or beside the list, with the same groups; the dock is remembered', async ({ page }) => {
  const file = capture('real_loss_iptables_nth23_sender_view_ipv4.pcap');
  test.skip(!existsSync(file), 'needs ../shared');
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(file);
  await page.locator('[data-testid=status-note]').click();
  const panel = page.locator('[data-testid=expert-panel]');
  await expect(panel).toHaveAttribute('data-dock', 'drawer');
  const groups = panel.locator('[data-testid=expert-group]');
  await expect(groups.first()).toBeVisible();
  const summaries = await groups.evaluateAll((es) => es.map((e) => `${e.getAttribute('data-summary')} ${e.getAttribute('data-count')}`));
  expect(summaries.length).toBeGreaterThan(3);

  // A tab of the lower pane, beside the packet details.
  await panel.locator('[data-testid=expert-dock]').selectOption('lower');
  await expect(page.locator('[data-testid=lower-dock] [data-testid=expert-panel]')).toHaveAttribute('data-dock', 'lower');
  await expect(groups).toHaveCount(summaries.length);
  expect(await groups.evaluateAll((es) => es.map((e) => `${e.getAttribute('data-summary')} ${e.getAttribute('data-count')}`))).toEqual(summaries);
  // A frame of a group selects it; the details tab then shows it.
  await groups.first().locator('[data-testid=expert-expand]').click();
  const link = groups.first().locator('[data-testid=expert-frame]').first();
  const frame = Number(await link.getAttribute('data-frame'));
  await link.click();
  await v.waitForIdle();
  expect(await v.selectedFrame()).toBe(frame);
  await page.locator('[data-testid=lower-tab-details]').click();
  await expect(panel).toHaveCount(0);
  await expect(page.locator('[data-testid=packet-detail]')).toContainText(`Frame ${frame}:`);
  await page.locator('[data-testid=lower-tab-expert]').click();
  await expect(panel).toBeVisible();

  // Beside the list: the list stays, the lower pane is the details again.
  await panel.locator('[data-testid=expert-dock]').selectOption('side');
  await expect(panel).toHaveAttribute('data-dock', 'side');
  await expect(page.locator('[data-testid=lower-dock]')).toHaveCount(0);
  await expect(page.locator('[data-testid=packet-detail]')).toBeVisible();
  await expect(v.packetRow(frame)).toBeVisible();
  await expect(groups).toHaveCount(summaries.length);

  // Remembered: a new page opens it beside the list.
  await v.goto();
  await v.load(file);
  await page.locator('[data-testid=status-note]').click();
  await expect(panel).toHaveAttribute('data-dock', 'side');
  await panel.locator('[aria-label=Close]').click();
  await expect(panel).toHaveCount(0);
});

test('Header context menu: sort ascending/descending, hide and show columns, reset widths', async ({ page }) => {
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(FILE);
  const menu = page.locator('[data-testid=header-menu]');
  const header = (id: string) => page.locator(`[data-testid=col-${id}]`);
  const lengths = () =>
    page
      .locator('[data-testid=packet-row]')
      .evaluateAll((rs) =>
        rs
          .map((r) => [Number(r.getAttribute('aria-rowindex')), Number(r.querySelector('.pl-length')?.textContent)])
          .sort((a, b) => a[0] - b[0])
          .map((x) => x[1]),
      );

  await header('length').click({ button: 'right' });
  await expect(menu).toBeVisible();
  await menu.locator('[data-testid=hm-sort-desc]').click();
  await expect(header('length')).toHaveAttribute('aria-sort', 'descending');
  await v.waitForIdle();
  let got = await lengths();
  expect(got.length).toBeGreaterThan(3);
  expect(got).toEqual([...got].sort((a, b) => b - a));
  await header('length').click({ button: 'right' });
  await menu.locator('[data-testid=hm-sort-asc]').click();
  await expect(header('length')).toHaveAttribute('aria-sort', 'ascending');
  await v.waitForIdle();
  got = await lengths();
  expect(got).toEqual([...got].sort((a, b) => a - b));
  await header('time').click({ button: 'right' });
  await menu.locator('[data-testid=hm-sort-none]').click();
  await expect(header('length')).toHaveAttribute('aria-sort', 'none');

  // Hide this column, then show it again from the Columns submenu (the ☰ menu agrees).
  await header('protocol').click({ button: 'right' });
  await menu.locator('[data-testid=hm-hide]').click();
  await expect(header('protocol')).toHaveCount(0);
  await page.locator('[data-testid=columns-button]').click();
  await expect(page.locator('[data-testid=columns-menu] input[data-column=protocol]')).not.toBeChecked();
  await page.locator('[data-testid=columns-button]').click();
  await header('no').click({ button: 'right' });
  await menu.locator('[data-testid=hm-columns]').click();
  await page.locator('[data-testid=hm-col-protocol]').click();
  await expect(header('protocol')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  // Reset widths after a resize.
  const width = async () => (await header('time').boundingBox())!.width;
  const before = await width();
  const grip = header('time').locator('.pl-resizer');
  const box = (await grip.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 80, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  expect(await width()).toBeGreaterThan(before + 40);
  await header('source').click({ button: 'right' });
  await menu.locator('[data-testid=hm-reset-widths]').click();
  await expect.poll(width).toBe(before);
});
