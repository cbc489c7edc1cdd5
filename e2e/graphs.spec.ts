/**
 * The graphs panel (issue 13) on a crafted stream with known values (test/capture/graph-stream.ts:
 * window scaling, a lost segment retransmitted, SACK blocks, a zero window): each TCP graph kind
 * opens for the stream, and its points are tshark 4.0.17's values for each frame (read from the
 * chart's data through window.__viewer.graph(), not from pixels); clicking a point selects the
 * frame; the I/O graph's bins are `tshark -z io,stat`'s; the graph is in the link. Screenshots of
 * every kind on a real capture with loss are written to docs/screenshots/ with
 * SEQSCOPE_SCREENSHOTS=1 (needs ../shared).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { test, expect, type Page } from '@playwright/test';
import { ViewerPage, REPO, capture } from './viewer-page';
import { tsharkFields } from '../test/owned';
import { graphStream } from '../test/capture/graph-stream';

const FIELDS = [
  'frame.number',
  'frame.time_relative',
  'tcp.srcport',
  'tcp.seq',
  'tcp.len',
  'tcp.ack',
  'tcp.flags.ack',
  'tcp.flags.syn',
  'tcp.flags.fin',
  'tcp.window_size',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.acks_frame',
  'tcp.analysis.bytes_in_flight',
  'tcp.analysis.retransmission',
  'tcp.analysis.zero_window',
  'tcp.options.sack_le',
  'tcp.options.sack_re',
];

type Points = { x: number[]; y: number[]; y2?: number[]; frames?: number[] };

async function points(page: Page, id: string): Promise<Points> {
  return (await page.evaluate((s) => window.__viewer!.graph()!.points(s), id))!;
}

/** Wait until the panel draws kind `kind` (for stream `stream`, direction `dir`). */
async function shown(page: Page, kind: string, stream?: number, dir?: 0 | 1): Promise<void> {
  await page.waitForFunction(
    ([k, st, d]) => {
      const g = window.__viewer?.graph();
      return !!g && g.kind === k && (st === null || (g.stream === st && g.dir === d)) && g.series.length > 0;
    },
    [kind, stream ?? null, dir ?? null] as const,
  );
}

/** Series points as frame → [x, y, y2]. */
function byFrame(p: Points): Map<number, number[]> {
  const m = new Map<number, number[]>();
  p.frames!.forEach((f, i) => m.set(f, [p.x[i], p.y[i], p.y2?.[i] ?? NaN]));
  return m;
}

function expectClose(got: number | undefined, want: number, what: string, digits = 6): void {
  expect(got, what).toBeDefined();
  expect(got!, what).toBeCloseTo(want, digits);
}

test('each TCP graph kind opens for the stream with tshark\'s values; a point selects its frame', async ({ page }, info) => {
  const file = info.outputPath('graph-stream.pcap');
  writeFileSync(file, graphStream());
  const rows = tsharkFields(file, FIELDS);
  const sent = rows.filter((r) => r['tcp.srcport'] === '40000');
  const back = rows.filter((r) => r['tcp.srcport'] !== '40000');
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(file);
  // From the selection, with the key `s`: stream 0, the direction of frame 7 (client → server).
  await v.selectPacket(7);
  await v.press('s');
  await expect(page.locator('[data-testid=graph-panel]')).toBeVisible();
  await shown(page, 'tcptrace', 0, 0);
  await expect(page.locator('[data-testid=graph-title]')).toContainText('10.1.0.1:40000 → 10.1.0.2:80');
  await expect(page).toHaveURL(/graph=tcptrace%3A0%3A0/);

  // tcptrace: segments from tcp.seq to tcp.seq + tcp.len (SYN/FIN one more), the ACK and window
  // lines from the returning ACKs, SACK blocks, the retransmission and the zero window marked.
  const seg = byFrame(await points(page, 'seg'));
  expect([...seg.keys()]).toEqual(sent.map((r) => Number(r['frame.number'])));
  for (const r of sent) {
    const p = seg.get(Number(r['frame.number']))!;
    const end = Number(r['tcp.seq']) + Number(r['tcp.len']) + Number(r['tcp.flags.syn'] === '1' || r['tcp.flags.fin'] === '1');
    expectClose(p[0], Number(r['frame.time_relative']), `time of ${r['frame.number']}`);
    expect([p[1], p[2]], `segment ${r['frame.number']}`).toEqual([Number(r['tcp.seq']), end]);
  }
  const acks = back.filter((r) => r['tcp.flags.ack'] === '1');
  const ack = byFrame(await points(page, 'ack'));
  const win = byFrame(await points(page, 'win'));
  expect([...ack.keys()]).toEqual(acks.map((r) => Number(r['frame.number'])));
  for (const r of acks) {
    const n = Number(r['frame.number']);
    expect(ack.get(n)![1], `ack of ${n}`).toBe(Number(r['tcp.ack']));
    expect(win.get(n)![1], `window of ${n}`).toBe(Number(r['tcp.ack']) + Number(r['tcp.window_size']));
  }
  const sack = await points(page, 'sack');
  const wantSack = back.filter((r) => r['tcp.options.sack_le']).map((r) => [Number(r['frame.number']), Number(r['tcp.options.sack_le']), Number(r['tcp.options.sack_re'])]);
  expect(wantSack.length).toBe(3);
  expect(sack.frames!.map((f, i) => [f, sack.y[i], sack.y2![i]])).toEqual(wantSack);
  expect((await points(page, 'retrans')).frames).toEqual(rows.filter((r) => r['tcp.analysis.retransmission'] === '1').map((r) => Number(r['frame.number'])));
  expect((await points(page, 'zero')).frames).toEqual(rows.filter((r) => r['tcp.analysis.zero_window'] === '1').map((r) => Number(r['frame.number'])));

  // Clicking a segment's bar selects its frame (and the list shows it selected).
  const at = await page.evaluate(() => window.__viewer!.graph()!.pointOf('seg', 10));
  expect(at).toBeDefined();
  await page.locator('[data-testid=graph-canvas]').click({ position: { x: at!.px, y: at!.py } });
  await expect(v.packetRow(10)).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/frame=10/);
  // The selected frame is ringed on the graph; selecting another row in the list moves the ring.
  expect(await page.evaluate(() => window.__viewer!.graph()!.marked())).toBe(10);
  await v.selectPacket(11);
  await page.waitForFunction(() => window.__viewer!.graph()!.marked() === 11);

  // Stevens: tcp.seq over time.
  await page.locator('[data-testid=graph-kind-stevens]').click();
  await shown(page, 'stevens', 0, 0);
  const st = byFrame(await points(page, 'seq'));
  for (const r of sent) {
    const p = st.get(Number(r['frame.number']))!;
    expectClose(p[0], Number(r['frame.time_relative']), `time of ${r['frame.number']}`);
    expect(p[1]).toBe(Number(r['tcp.seq']));
  }
  const p12 = await page.evaluate(() => window.__viewer!.graph()!.pointOf('seq', 12));
  await page.locator('[data-testid=graph-canvas]').click({ position: { x: p12!.px, y: p12!.py } });
  await expect(v.packetRow(12)).toHaveAttribute('aria-selected', 'true');

  // Window scaling: tcp.window_size of the ACKs, bytes in flight of the segments.
  await page.locator('[data-testid=graph-kind-wscale]').click();
  await shown(page, 'wscale', 0, 0);
  const rwin = byFrame(await points(page, 'rwin'));
  for (const r of acks) expect(rwin.get(Number(r['frame.number']))![1]).toBe(Number(r['tcp.window_size']));
  const bif = byFrame(await points(page, 'bif'));
  for (const r of sent) expect(bif.get(Number(r['frame.number']))![1]).toBe(Number(r['tcp.analysis.bytes_in_flight'] || 0));

  // RTT, as Wireshark plots it: tcp.analysis.ack_rtt (ms) of each ACK that has one, against the
  // sequence number (tcp.seq) of the segment it acknowledges (tcp.analysis.acks_frame), in
  // sequence-number order.
  await page.locator('[data-testid=graph-kind-rtt]').click();
  await shown(page, 'rtt', 0, 0);
  const rttPts = await points(page, 'rtt');
  const rtt = byFrame(rttPts);
  const seqOf = new Map(rows.map((r) => [r['frame.number'], Number(r['tcp.seq'])]));
  const withRtt = back.filter((r) => r['tcp.analysis.ack_rtt']);
  const bySeq = [...withRtt].sort((a, b) => seqOf.get(a['tcp.analysis.acks_frame'])! - seqOf.get(b['tcp.analysis.acks_frame'])! || Number(a['frame.number']) - Number(b['frame.number']));
  expect(rttPts.frames).toEqual(bySeq.map((r) => Number(r['frame.number'])));
  for (const r of withRtt) {
    const p = rtt.get(Number(r['frame.number']))!;
    expect(p[0], `seq of ${r['frame.number']}`).toBe(seqOf.get(r['tcp.analysis.acks_frame']));
    expectClose(p[1], Number(r['tcp.analysis.ack_rtt']) * 1000, `rtt of ${r['frame.number']}`, 6);
  }
  // The point of an ACK sits where its values say on the canvas (the axes: sequence number, ms).
  const firstRtt = bySeq[0];
  const rttAt = (await page.evaluate((f) => window.__viewer!.graph()!.pointOf('rtt', f), Number(firstRtt['frame.number'])))!;
  const vw = await page.evaluate(() => window.__viewer!.graph()!.view());
  expect(rttAt.x).toBe(seqOf.get(firstRtt['tcp.analysis.acks_frame']));
  expect(rttAt.x).toBeGreaterThanOrEqual(vw.x0);
  expect(rttAt.x).toBeLessThanOrEqual(vw.x1);
  expect(vw.x1).toBeLessThan(1e6); // a sequence-number axis (bytes), not seconds
  expect(vw.x1).toBeGreaterThan(1);

  // Throughput: per segment = its bytes over the time since the previous segment; goodput 0 for a
  // retransmission alone in a 1-segment window.
  await page.locator('[data-testid=graph-kind-throughput]').click();
  await shown(page, 'throughput', 0, 0);
  const tput = byFrame(await points(page, 'tput'));
  for (let i = 1; i < sent.length; i++) {
    const dt = Number(sent[i]['frame.time_relative']) - Number(sent[i - 1]['frame.time_relative']);
    const want = dt > 0 ? (Number(sent[i]['tcp.len']) * 8) / dt : NaN;
    const got = tput.get(Number(sent[i]['frame.number']))![1];
    if (Number.isNaN(want)) expect(got).toBeNaN();
    else if (want === 0) expect(got, `throughput of ${sent[i]['frame.number']}`).toBe(0);
    else expect(got / want, `throughput of ${sent[i]['frame.number']}`).toBeCloseTo(1, 6);
  }
  await page.locator('[data-testid=graph-tput-window]').fill('1');
  await page.waitForFunction(() => window.__viewer?.graph()?.series.some((s) => s.label.includes('1-segment')) ?? false);

  // The direction button: the server's segments (its SYN/ACK and FIN carry sequence numbers).
  await page.locator('[data-testid=graph-kind-stevens]').click();
  await page.locator('[data-testid=graph-dir]').click();
  await shown(page, 'stevens', 0, 1);
  expect((await points(page, 'seq')).frames).toEqual(back.map((r) => Number(r['frame.number'])));
  await expect(page.locator('[data-testid=graph-title]')).toContainText('10.1.0.2:80 → 10.1.0.1:40000');
  await expect(page).toHaveURL(/graph=stevens%3A0%3A1/);
});

test('zoom, pan and reset with mouse and keys; the zoom is in the link and a link restores the graph', async ({ page }, info) => {
  const file = info.outputPath('graph-stream.pcap');
  writeFileSync(file, graphStream());
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(file);
  await page.locator('[data-testid=open-graphs]').click();
  await shown(page, 'tcptrace', 0, 0);
  const view = () => page.evaluate(() => window.__viewer!.graph()!.view());
  const full = await view();
  const box = page.locator('[data-testid=graph-focus]');
  await box.focus();
  await page.keyboard.press('+');
  const zoomed = await view();
  expect(zoomed.x1 - zoomed.x0).toBeLessThan(full.x1 - full.x0);
  await page.keyboard.press('ArrowRight');
  const panned = await view();
  expect(panned.x0).toBeGreaterThan(zoomed.x0);
  await expect(page).toHaveURL(/graph=tcptrace%3A0%3A0%40/);
  // Zoom to a rectangle (Shift+drag).
  const c = page.locator('[data-testid=graph-canvas]');
  const b = (await c.boundingBox())!;
  await page.keyboard.press('0');
  await page.keyboard.down('Shift');
  await page.mouse.move(b.x + 150, b.y + 40);
  await page.mouse.down();
  await page.mouse.move(b.x + 250, b.y + 80, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const rect = await view();
  expect(rect.x1 - rect.x0).toBeLessThan((full.x1 - full.x0) / 3);
  // Wheel over the graph zooms out again.
  await page.mouse.move(b.x + 300, b.y + 100);
  await page.mouse.wheel(0, 400);
  expect((await view()).x1 - (await view()).x0).toBeGreaterThan(rect.x1 - rect.x0);
  await page.locator('[data-testid=graph-reset]').click();
  await expect.poll(view).toEqual(full);
  await expect(page).not.toHaveURL(/%40/);

  // A link with a graph opens it once the capture is loaded, zoom included.
  await page.goto('./?test#graph=rtt%3A0%3A1%400%2C5000%2C0%2C20');
  await v.load(file);
  await shown(page, 'rtt', 0, 1);
  expect(await view()).toEqual({ x0: 0, x1: 5000, y0: 0, y1: 20 });
  // Closing removes it from the link.
  await page.locator('[data-testid=graph-close]').click();
  await expect(page.locator('[data-testid=graph-panel]')).toHaveCount(0);
  await expect(page).not.toHaveURL(/graph=/);
});

test('the row menu and the help overlay; the I/O graph\'s bins are -z io,stat\'s', async ({ page }, info) => {
  const file = info.outputPath('graph-stream.pcap');
  writeFileSync(file, graphStream());
  const v = new ViewerPage(page);
  await v.goto();
  await v.load(file);
  await v.selectPacket(15);
  await v.packetRow(15).click({ button: 'right' });
  await page.locator('[data-testid=rm-graph]').click();
  // Frame 15 is an ACK from the server: its direction is B→A.
  await shown(page, 'tcptrace', 0, 1);
  await page.keyboard.press('Escape');
  await v.list.focus();
  await page.keyboard.press('?');
  await expect(page.locator('[data-testid=help-overlay]')).toContainText("TCP stream graph of the selected frame's stream");
  await page.keyboard.press('Escape');

  await page.locator('[data-testid=graph-kind-io]').click();
  await shown(page, 'io');
  await page.locator('[data-testid=graph-interval]').selectOption('10000');
  await page.waitForFunction(() => {
    const p = window.__viewer!.graph()!.points('io0');
    return !!p && p.x.length > 1 && Math.abs(p.x[1] - 0.01) < 1e-9;
  });
  // tshark's frame counts per 10 ms: all frames, and the TCP errors line's filter.
  const out = execFileSync('tshark', ['-2', '-n', '-r', file, '-q', '-z', 'io,stat,0.01,,tcp.analysis.flags && !tcp.analysis.window_update'], { encoding: 'utf8' });
  const bins = out
    .split('\n')
    .map((l) => /^\|\s*[\d.]+\s*<>\s*[\d.]+\s*\|\s*(\d+)\s*\|\s*\d+\s*\|\s*(\d+)\s*\|\s*\d+\s*\|/.exec(l))
    .filter((m) => m)
    .map((m) => [Number(m![1]), Number(m![2])]);
  expect(bins.length).toBeGreaterThan(10);
  const all = await points(page, 'io0');
  const errs = await points(page, 'io1');
  // Lines are per second: frames = value × interval.
  expect(all.y.slice(0, bins.length).map((y) => Math.round(y * 0.01))).toEqual(bins.map((b) => b[0]));
  expect(errs.y.slice(0, bins.length).map((y) => Math.round(y * 0.01))).toEqual(bins.map((b) => b[1]));
  await page.locator('[data-testid=graph-log]').check();
  await page.waitForFunction(() => window.__viewer!.graph()!.view().y0 > 0);

  // Export: the CSV holds every point of the lines shown, the PNG is a PNG of the canvas's size.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=graph-csv]').click()]);
  expect(csv.suggestedFilename()).toBe('io-graph.csv');
  const text = readFileSync(await csv.path(), 'utf8').split('\n').filter((l) => l);
  expect(text[0]).toBe('series,frame,time_s,value,value2');
  expect(text.length - 1).toBe(all.x.length + errs.x.length);
  expect(text[1]).toBe(`All packets (frames/s),,0,${all.y[0]},`);
  const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=graph-png]').click()]);
  expect(png.suggestedFilename()).toBe('io-graph.png');
  const bytes = readFileSync(await png.path());
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  const box = (await page.locator('[data-testid=graph-canvas]').boundingBox())!;
  expect(bytes.readUInt32BE(16)).toBe(Math.round(box.width));
});

const LOSS = capture('real_loss_iptables_nth23_sender_view_ipv4.pcap');

test('screenshots of every graph on a real capture with loss', async ({ page }) => {
  test.skip(!existsSync(LOSS), 'needs ../shared');
  const v = new ViewerPage(page);
  await page.setViewportSize({ width: 1400, height: 900 });
  await v.goto();
  await v.load(LOSS);
  // The client's upload (frame 1 is its SYN).
  await v.selectPacket(1);
  await v.press('s');
  for (const k of ['tcptrace', 'stevens', 'throughput', 'rtt', 'wscale', 'io']) {
    await page.locator(`[data-testid=graph-kind-${k}]`).click();
    await shown(page, k);
    const g = await page.evaluate(() => window.__viewer!.graph()!.series.map((s) => s.points));
    expect(g.some((n) => n > 0), k).toBe(true);
    await v.waitForIdle();
    if (process.env.SEQSCOPE_SCREENSHOTS) await page.locator('[data-testid=graph-panel]').screenshot({ path: `${REPO}/docs/screenshots/graph-${k}.png` });
  }
  // tcptrace zoomed on the first retransmission, where the SACK blocks and marks show.
  await page.locator('[data-testid=graph-kind-tcptrace]').click();
  await shown(page, 'tcptrace');
  const r = await points(page, 'retrans');
  expect(r.x.length).toBeGreaterThan(0);
  const t = r.x[0];
  const y = r.y[0];
  await page.evaluate(([t, y]) => {
    location.hash = location.hash.replace(/graph=[^&]*/, `graph=tcptrace%3A0%3A0%40${t - 0.0006}%2C${t + 0.0009}%2C${y - 12000}%2C${y + 25000}`);
  }, [t, y]);
  await page.waitForFunction(([t]) => Math.abs(window.__viewer!.graph()!.view().x0 - (t - 0.0006)) < 1e-6, [t]);
  await v.waitForIdle();
  if (process.env.SEQSCOPE_SCREENSHOTS) await page.locator('[data-testid=graph-panel]').screenshot({ path: `${REPO}/docs/screenshots/graph-tcptrace-zoom.png` });
});
