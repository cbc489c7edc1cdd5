#!/usr/bin/env node
// Ten million rows in the web app (issue 3: "scrolling stays smooth with ten million rows"):
// writes bench-out/ten-million.pcap (10 M small frames, 700 MB: scripts/bench/ten-million.mjs) if missing, opens it in the
// production build (vite preview must be built: npm run build:app), then jumps to 1/4, 1/2, 3/4
// and the end of the list and wheels through it, reporting load time, the rows shown at each
// position, the time to show them, and every main-thread long task (≥ 50 ms) during scrolling.
//   node scripts/bench/browser-ten-million.mjs [--skip-info]
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { tenMillionCapture } from './ten-million.mjs';

const FILE = tenMillionCapture('bench-out');

const PORT = Number(process.env.E2E_PORT ?? 4182);
// Run Vite's own script with node (not through npx), so that kill() stops the server itself.
const srv = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore' });
try {
  for (let i = 0; i < 100; i++) {
    if (await fetch(`http://127.0.0.1:${PORT}/`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await page.addInitScript(() => {
    window.__lt = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__lt.push(Math.round(e.duration));
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`http://127.0.0.1:${PORT}/?test`);
  await page.waitForFunction(() => window.__viewer !== undefined);
  // Long tasks of the page's own start-up (script compile, first render) are not the load's.
  await page.evaluate(() => window.__lt.splice(0));
  const t0 = Date.now();
  await page.locator('input[type=file][data-testid=file-input]').setInputFiles(FILE);
  await page.waitForSelector('[data-testid=load-status][data-state=done]', { timeout: 300_000 });
  const frames = await page.getAttribute('[data-testid=load-status]', 'data-frames');
  console.log(`ten million rows: loaded ${frames} frames in ${Date.now() - t0} ms; long tasks during the load: [${await page.evaluate(() => window.__lt.splice(0))}] ms`);
  await page.evaluate(() => window.__viewer.waitForIdle());
  await page.locator('[data-testid=packet-row]').first().click();
  for (const f of [0.25, 0.5, 0.75, 1]) {
    const t = Date.now();
    await page.evaluate((f) => {
      const s = [...document.querySelectorAll('div')].find((d) => d.scrollHeight > d.clientHeight * 10);
      s.scrollTop = (s.scrollHeight - s.clientHeight) * f;
    }, f);
    await page.evaluate(() => window.__viewer.waitForIdle());
    const rows = await page.locator('[data-testid=packet-row]:not(.pending)').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-frame'))));
    console.log(`  jump to ${f * 100}%: rows ${Math.min(...rows)}..${Math.max(...rows)} shown in ${Date.now() - t} ms`);
  }
  await page.keyboard.press('End');
  await page.evaluate(() => window.__viewer.waitForIdle());
  console.log(`  End key selects frame ${await page.evaluate(() => window.__viewer.state().selected)}`);
  for (let i = 0; i < 30; i++) await page.mouse.wheel(0, -4000);
  await page.evaluate(() => window.__viewer.waitForIdle());
  console.log(`  long tasks while jumping and wheeling: [${await page.evaluate(() => window.__lt)}] ms (target: none over 50 ms)`);
  // Sorted views of all ten million frames (issue 10: ready within 1 s), in the worker: every
  // column both ways (the side index of non-TCP frames is built when the worker is idle after the
  // load and the expert tally — a Protocol/Info sort before it is done waits for it —, the first
  // Info sort keeps its order for the next), then two filters.
  const runs = [];
  // (No. ascending is the unsorted view itself.)
  runs.push(['', { column: 'no', desc: true }]);
  // --skip-info: leaves Info out (its first sort decodes only the rows it cannot order from the columns).
  const skipInfo = process.argv.includes('--skip-info');
  for (const column of ['time', 'length', 'flags', 'source', 'destination', 'protocol', 'info'].filter((c) => !(skipInfo && c === 'info'))) {
    for (const desc of [false, true]) runs.push(['', { column, desc }]);
  }
  runs.push(['tcp.analysis.flags', undefined], ['tcp.stream == 17', undefined], ['tcp.stream == 17', { column: skipInfo ? 'source' : 'info', desc: false }]);
  for (const [filter, sort] of runs) {
    const r = await page.evaluate(([f, s]) => window.__viewer.view(f, s), [filter, sort]);
    const what = `${filter ? `filter ${filter}` : 'every frame'}${sort ? `, sorted by ${sort.column}${sort.desc ? ' descending' : ''}` : ''}`;
    console.log(`  ${what}: ready in ${r.ms.toFixed(0)} ms (worker ${r.workerMs.toFixed(0)} ms), ${r.displayed} frames displayed; load average ${loadavg()[0].toFixed(1)}`);
  }
  await page.evaluate(() => window.__viewer.view('', undefined));
  await browser.close();
} finally {
  srv.kill();
}
