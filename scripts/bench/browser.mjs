// The browser benchmark: serves dist/ with `vite preview`, opens the capture in Chromium through
// the file input (the same openCapture path as a drop) and measures, inside the page:
//   first rows  — input change → first [data-testid=packet-row] in the DOM
//   analysed    — input change → load-status data-state="done"
//   longest task— PerformanceObserver('longtask') entries during the load (≥ 50 ms are reported),
//                 plus the longest gap between animation frames as a finer figure
//   memory      — FrameTable.retainedBytes()/frames from the engine, and the worker's JS heap
//                 growth per frame (CDP Runtime.getHeapUsage after a GC, before vs after)
//   graphs      — a tcptrace graph of the largest TCP stream and an I/O graph of all frames
//                 (features/graphs): time from asking to the first draw (the worker's part —
//                 re-reading the stream or binning the capture — and the main thread's: building
//                 the series and drawing), draw time of each frame while zooming (wheel events)
//                 and panning (pointer drag), the longest gap between frame starts (rAF timestamps) meanwhile,
//                 and the longest main-thread task (longtask) from asking to the end of the panning
// Several runs (fresh page each) give the spread.
//   node scripts/bench/browser.mjs CAPTURE [RUNS]
// BENCH_ONLY=graphs: the graphs alone (after the load: no Conversations, Follow or views);
//   `BENCH_ONLY=graphs npm run bench:browser`.
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const capture = resolve(process.argv[2] ?? 'bench-out/big.pcap');
const runs = Number(process.env.BENCH_RUNS ?? process.argv[3] ?? 3);
const PORT = Number(process.env.BENCH_PORT ?? 4174);
const graphsOnly = process.env.BENCH_ONLY === 'graphs';

const server = await preview({ preview: { host: '127.0.0.1', port: PORT, strictPort: true }, logLevel: 'silent' });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-precise-memory-info',
  ],
});
const browserCdp = await browser.newBrowserCDPSession();

/** Runtime.getHeapUsage (after a GC) of the page's dedicated worker, through a raw CDP target session. */
async function workerHeap() {
  const { targetInfos } = await browserCdp.send('Target.getTargets');
  const w = targetInfos.find((t) => t.type === 'worker' && t.url.includes('engine.worker'));
  if (!w) return undefined;
  const { sessionId } = await browserCdp.send('Target.attachToTarget', { targetId: w.targetId, flatten: false });
  let id = 0;
  const call = (method, params = {}) =>
    new Promise((res) => {
      const my = ++id;
      const onMsg = (e) => {
        if (e.sessionId !== sessionId) return;
        const m = JSON.parse(e.message);
        if (m.id === my) {
          browserCdp.off('Target.receivedMessageFromTarget', onMsg);
          res(m.result ?? m.error);
        }
      };
      browserCdp.on('Target.receivedMessageFromTarget', onMsg);
      browserCdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: my, method, params }) });
    });
  await call('HeapProfiler.collectGarbage');
  const r = await call('Runtime.getHeapUsage');
  await browserCdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
  return r?.usedSize;
}

/** Open graph g in the page (as a link does) and time it: see the header. */
function measureGraph(page, g) {
  return page.evaluate(async (g) => {
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const m = window.__bench;
    const t0 = performance.now();
    window.__viewer.showGraph(g);
    let p;
    for (;;) {
      p = window.__viewer.graph();
      if (p && p.kind === g.kind && (g.stream === undefined || p.stream === g.stream) && p.drawnAt > t0) break;
      await frame();
    }
    const points = p.series.reduce((a, s) => a + s.points, 0);
    const canvas = document.querySelector('[data-testid=graph-canvas]');
    const r = canvas.getBoundingClientRect();
    const cx = r.left + r.width / 2;
    const cy = r.top + r.height / 2;
    const draws = [];
    const gaps = [];
    // Gaps are measured between the frames' start times (the rAF timestamp), from one frame to the
    // next: performance.now() after the await also counted where in its frame our callback ran.
    let last = await frame();
    const step = async (fire) => {
      const n = p.draws();
      fire();
      const now = await frame();
      gaps.push(now - last);
      last = now;
      if (p.draws() > n) draws.push(p.lastDrawMs());
    };
    // Zoom in 30 wheel steps around the middle, pan 30 frames, zoom out 30 steps.
    for (let i = 0; i < 30; i++)
      await step(() =>
        canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: -120, clientX: cx, clientY: cy, bubbles: true, cancelable: true })),
      );
    canvas.dispatchEvent(new PointerEvent('pointerdown', { pointerId: 1, button: 0, clientX: cx, clientY: cy, bubbles: true }));
    for (let i = 1; i <= 30; i++)
      await step(() =>
        canvas.dispatchEvent(new PointerEvent('pointermove', { pointerId: 1, clientX: cx - i * 8, clientY: cy + i * 2, bubbles: true })),
      );
    canvas.dispatchEvent(new PointerEvent('pointerup', { pointerId: 1, button: 0, clientX: cx - 240, clientY: cy + 60, bubbles: true }));
    for (let i = 0; i < 30; i++)
      await step(() =>
        canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: 120, clientX: cx, clientY: cy, bubbles: true, cancelable: true })),
      );
    await frame();
    const end = performance.now();
    const tasks = m.longTasks.filter((t) => t.start >= t0 - 1 && t.start <= end);
    draws.sort((a, b) => a - b);
    return {
      points,
      firstDraw: p.drawnAt - t0,
      worker: p.arrivedAt - t0,
      main: p.drawnAt - p.arrivedAt,
      drawMed: draws[Math.floor(draws.length / 2)] ?? 0,
      drawMax: draws[draws.length - 1] ?? 0,
      gapMax: Math.max(...gaps),
      longest: tasks.reduce((a, t) => Math.max(a, t.duration), 0),
    };
  }, g);
}

const results = [];
/** Views timed after each load: [key, filter, sort]. */
const VIEWS = [
  ['colFilter', 'tcp.analysis.flags', undefined],
  ['byteFilter', 'tcp.payload contains "GET"', undefined],
  ['sortTime', '', { column: 'time', desc: true }],
  ['sortLength', '', { column: 'length', desc: false }],
  ['sortSource', '', { column: 'source', desc: false }],
  ['sortInfo', '', { column: 'info', desc: false }],
];
let shot = false;
for (let i = 0; i < runs; i++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await page.addInitScript(() => {
    const m = (window.__bench = { t0: 0, firstRows: 0, done: 0, longTasks: [], maxGap: 0 });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) m.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    document.addEventListener(
      'change',
      (e) => {
        if (!(e.target instanceof HTMLInputElement) || e.target.type !== 'file') return;
        m.t0 = performance.now();
        let last = m.t0;
        const tick = (t) => {
          if (m.done) return;
          m.maxGap = Math.max(m.maxGap, t - last);
          last = t;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        const mo = new MutationObserver(() => {
          const now = performance.now();
          if (!m.firstRows && document.querySelector('[data-testid=packet-row]:not(.pending)')) m.firstRows = now;
          const st = document.querySelector('[data-testid=load-status]');
          if (!m.done && st && st.getAttribute('data-state') === 'done') {
            m.done = now;
            // Statistics → Conversations opened the moment the load ends: the TCP tab's rows
            // (from the columns), then every table (the eth tab gets its count).
            document.querySelector('[data-testid=open-conversations]')?.click();
          }
          if (m.done && !m.convTcp && document.querySelector('[data-testid=conv-row]')) m.convTcp = now;
          if (m.done && !m.convAll && /·/.test(document.querySelector('[data-testid=stats-tab-eth]')?.textContent ?? '')) m.convAll = now;
          if (m.firstRows && m.done && m.convTcp && m.convAll) mo.disconnect();
        });
        mo.observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
          attributeFilter: ['data-state', 'class'],
        });
      },
      true,
    );
  });
  await page.goto(`http://127.0.0.1:${PORT}/?test`);
  await page.waitForFunction(() => window.__viewer !== undefined);
  await page.evaluate(() => window.__viewer.memory()); // starts the worker
  const heap0 = await workerHeap();
  await page.locator('input[type=file][data-testid=file-input]').setInputFiles(capture);
  await page.waitForFunction(() => window.__bench.done > 0 && window.__bench.firstRows > 0, undefined, { timeout: 300_000 });
  if (!graphsOnly) await page.waitForFunction(() => window.__bench.convTcp > 0 && window.__bench.convAll > 0, undefined, { timeout: 120_000 });
  await page.evaluate(() => window.__viewer.waitForIdle());
  const m = await page.evaluate(() => window.__bench);
  let followFirst;
  let mem1;
  let heap1;
  let during = [];
  const views = {};
  if (!graphsOnly) {
    // Follow TCP Stream of the largest stream (the Conversations table sorted by Bytes, its first
    // row's Follow): click → the first chunk on screen.
    await page.locator('[data-testid=conversations-panel] .stats-th', { hasText: /^Bytes$/ }).click();
    followFirst = await page.evaluate(
      () =>
        new Promise((res) => {
          const t0 = performance.now();
          const mo = new MutationObserver(() => {
            if (document.querySelector('[data-testid=follow-chunk]')) {
              mo.disconnect();
              res(performance.now() - t0);
            }
          });
          mo.observe(document.body, { subtree: true, childList: true });
          document.querySelector('[data-testid=conv-row] [data-testid=conv-follow]').click();
        }),
    );
    await page.evaluate(() => window.__viewer.waitForIdle());
    await page
      .locator('[data-testid=follow-panel] [aria-label=Close]')
      .click()
      .catch(() => undefined);
    mem1 = await page.evaluate(() => window.__viewer.memory());
    heap1 = await workerHeap();
    during = m.longTasks.filter((t) => t.start >= m.t0 - 1 && t.start <= m.done);
    // The displayed view: display filters (a column one, a byte one) and sorted views, applied
    // as the UI applies them, timed until the worker's job is finished (wall, main thread).
    for (const [key, filter, sort] of VIEWS) {
      views[key] = await page.evaluate(([f, s]) => window.__viewer.view(f, s), [filter, sort]);
      const vm = await page.evaluate(() => window.__viewer.memory());
      views[key].bytesPerShown = views[key].displayed ? vm.viewBytes / views[key].displayed : 0;
      await page.evaluate(() => window.__viewer.view('', undefined));
    }
  }
  const mem = graphsOnly ? await page.evaluate(() => window.__viewer.memory()) : mem1;
  const graphs = {};
  const big = await page.evaluate(() => window.__viewer.largestStream());
  for (const [key, g] of [
    ['tcptrace', { kind: 'tcptrace', stream: big?.stream ?? 0, dir: big?.dir ?? 0 }],
    ['io', { kind: 'io' }],
  ]) {
    graphs[key] = await measureGraph(page, g);
  }
  const r = {
    ...Object.fromEntries(Object.entries(graphs).flatMap(([k, v]) => Object.entries(v).map(([f, x]) => [`g_${k}_${f}`, x]))),
    ...Object.fromEntries(Object.entries(views).map(([k, v]) => [k, v.ms])),
    ...Object.fromEntries(Object.entries(views).map(([k, v]) => [`${k}N`, v.displayed])),
    ...Object.fromEntries(Object.entries(views).map(([k, v]) => [`${k}B`, v.bytesPerShown])),
    ...Object.fromEntries(Object.entries(views).map(([k, v]) => [`${k}W`, v.workerMs])),
    frames: mem.frames,
    convTcpMs: m.convTcp - m.done,
    convAllMs: m.convAll - m.done,
    followFirstMs: followFirst,
    firstRowsMs: m.firstRows - m.t0,
    analysedMs: m.done - m.t0,
    longestTaskMs: during.reduce((a, t) => Math.max(a, t.duration), 0),
    longTasks: during.length,
    maxFrameGapMs: m.maxGap,
    tableBytesPerFrame: mem.retainedBytes / mem.frames,
    heapBytesPerFrame: heap0 !== undefined && heap1 !== undefined ? (heap1 - heap0) / mem.frames : undefined,
  };
  results.push(r);
  if (!shot) {
    await page.screenshot({ path: 'bench-out/browser-bench.png' });
    shot = true;
  }
  await page.close();
}

// The tcptrace graph of one long connection (scripts/bench/one-stream.mjs: hundreds of thousands of
// segments; the bench capture's streams are short).
let one;
const oneFile = resolve(process.env.BENCH_ONE_STREAM ?? 'bench-out/one-stream.pcap');
if (existsSync(oneFile)) {
  const rs = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    await page.addInitScript(() => {
      const m = (window.__bench = { longTasks: [] });
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) m.longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`http://127.0.0.1:${PORT}/?test`);
    await page.locator('input[type=file][data-testid=file-input]').setInputFiles(oneFile);
    await page.waitForFunction(
      () => document.querySelector('[data-testid=load-status]')?.getAttribute('data-state') === 'done',
      undefined,
      { timeout: 300_000 },
    );
    await page.evaluate(() => window.__viewer.waitForIdle());
    const big = await page.evaluate(() => window.__viewer.largestStream());
    const frames = await page.evaluate(() => window.__viewer.state().frames);
    rs.push({ frames, ...(await measureGraph(page, { kind: 'tcptrace', stream: big.stream, dir: big.dir })) });
    await page.close();
  }
  one = rs;
}

const fmt = (x, d = 0) => (x === undefined ? 'n/a' : x.toFixed(d));
const stat = (k, d = 0) => {
  const v = results
    .map((r) => r[k])
    .filter((x) => x !== undefined)
    .sort((a, b) => a - b);
  if (!v.length) return 'n/a';
  return `${fmt(v[Math.floor(v.length / 2)], d)} (min ${fmt(v[0], d)}, max ${fmt(v[v.length - 1], d)})`;
};
const size = statSync(capture).size;
console.log(`bench:browser  ${capture}  ${(size / 1e6).toFixed(1)} MB, ${results[0].frames} frames, ${runs} runs (median, min, max)`);
console.log(`  first rows        ${stat('firstRowsMs')} ms      target ≤ 100 ms`);
console.log(`  fully analysed    ${stat('analysedMs')} ms      target ≤ 1000 ms`);
console.log(`  longest main-thread task during load  ${stat('longestTaskMs')} ms (longtask entries ≥ 50 ms; 0 = none)   target ≤ 50 ms`);
console.log(`  longest gap between animation frames  ${stat('maxFrameGapMs')} ms`);
console.log(`  engine FrameTable  ${stat('tableBytesPerFrame', 1)} bytes/frame      target ≤ 64`);
console.log(`  worker heap growth ${stat('heapBytesPerFrame', 1)} bytes/frame (CDP Runtime.getHeapUsage after GC)`);
console.log(
  `  Conversations opened at load end: TCP tab rows ${stat('convTcpMs')} ms, every table ${stat('convAllMs')} ms after the load      target ≤ 300 ms`,
);
console.log(`  Follow TCP Stream of the largest stream: first screen ${stat('followFirstMs')} ms after the click      target ≤ 200 ms`);
for (const [key, filter, sort] of graphsOnly ? [] : VIEWS) {
  const what = filter ? `filter ${JSON.stringify(filter)}` : `sorted view by ${sort.column}${sort.desc ? ' (descending)' : ''}`;
  console.log(
    `  ${what.padEnd(44)} ${stat(key)} ms on screen (worker ${stat(`${key}W`)} ms), ${results[0][`${key}N`]} frames displayed, view ${stat(`${key}B`, 1)} bytes/displayed frame`,
  );
}
if (one) {
  for (const r of one) for (const [k, v] of Object.entries(r)) results[one.indexOf(r)][`g_one_${k}`] = v;
}
for (const [k, what] of [
  ...(one ? [['one', `tcptrace graph of ${oneFile.split('/').pop()} (${one[0].frames} frames, one stream)`]] : []),
  ['tcptrace', 'tcptrace graph of the largest stream'],
  ['io', 'I/O graph of all frames (default lines)'],
]) {
  console.log(`  ${what}: ${results[0][`g_${k}_points`]} points`);
  console.log(
    `    first draw        ${stat(`g_${k}_firstDraw`)} ms (worker ${stat(`g_${k}_worker`)} ms, main thread ${stat(`g_${k}_main`)} ms)   target ≤ 200 ms`,
  );
  console.log(
    `    zoom/pan draw     median ${stat(`g_${k}_drawMed`, 1)} ms, max ${stat(`g_${k}_drawMax`, 1)} ms per frame; longest gap between frame starts ${stat(`g_${k}_gapMax`, 1)} ms   target one frame at 60 fps (16.7 ms)`,
  );
  console.log(`    longest main-thread task ${stat(`g_${k}_longest`)} ms (longtask entries ≥ 50 ms; 0 = none)   target ≤ 50 ms`);
}
console.log(`  screenshot: bench-out/browser-bench.png`);

await browser.close();
await new Promise((r) => server.httpServer.close(r));
