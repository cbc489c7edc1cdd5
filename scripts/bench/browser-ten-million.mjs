#!/usr/bin/env node
// Ten million rows in the web app (issue 3: "scrolling stays smooth with ten million rows"):
// writes bench-out/ten-million.pcap (10 M small TCP frames, 700 MB) if missing, opens it in the
// production build (vite preview must be built: npm run build:app), then jumps to 1/4, 1/2, 3/4
// and the end of the list and wheels through it, reporting load time, the rows shown at each
// position, the time to show them, and every main-thread long task (≥ 50 ms) during scrolling.
//   node scripts/bench/browser-ten-million.mjs
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';

const FILE = 'bench-out/ten-million.pcap';
const N = 10_000_000;
if (!existsSync(FILE)) {
  mkdirSync('bench-out', { recursive: true });
  const fd = openSync(FILE, 'w');
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(4, 6);
  hdr.writeUInt32LE(65535, 16);
  hdr.writeUInt32LE(1, 20);
  writeSync(fd, hdr);
  const REC = 16 + 54;
  const B = 100000;
  const buf = Buffer.alloc(REC * B);
  for (let base = 0; base < N; base += B) {
    for (let j = 0; j < B; j++) {
      const i = base + j;
      const o = j * REC;
      buf.writeUInt32LE(1700000000 + Math.floor(i / 100000), o);
      buf.writeUInt32LE((i % 100000) * 10, o + 4);
      buf.writeUInt32LE(54, o + 8);
      buf.writeUInt32LE(54, o + 12);
      const f = o + 16;
      buf.fill(0, f, f + 54);
      buf.writeUInt16BE(0x0800, f + 12);
      buf[f + 14] = 0x45;
      buf.writeUInt16BE(40, f + 16);
      buf[f + 22] = 64;
      buf[f + 23] = 6;
      buf.writeUInt32BE(0x0a000001, f + 26);
      buf.writeUInt32BE(0x0a000002, f + 30);
      const conn = i % 1000;
      const dir = (i >> 10) & 1;
      buf.writeUInt16BE(dir ? 80 : 10000 + conn, f + 34);
      buf.writeUInt16BE(dir ? 10000 + conn : 80, f + 36);
      buf.writeUInt32BE((i * 7) >>> 0, f + 38);
      buf.writeUInt32BE((i * 3) >>> 0, f + 42);
      buf[f + 46] = 0x50;
      buf[f + 47] = 0x10;
      buf.writeUInt16BE(1000, f + 48);
    }
    writeSync(fd, buf);
  }
  closeSync(fd);
}

const PORT = 4182;
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
  // Sorted views of all ten million frames (issue 10: ready within 1 s), in the worker; the
  // column-backed keys (no re-read), then a filter.
  for (const [filter, sort] of [['', { column: 'time', desc: true }], ['', { column: 'length', desc: false }], ['', { column: 'no', desc: true }], ['', { column: 'source', desc: false }], ['tcp.analysis.flags', undefined], ['tcp.stream == 17', undefined]]) {
    const r = await page.evaluate(([f, s]) => window.__viewer.view(f, s), [filter, sort]);
    const what = filter ? `filter ${filter}` : `sorted by ${sort.column}${sort.desc ? ' descending' : ''}`;
    console.log(`  ${what}: ready in ${r.ms.toFixed(0)} ms (worker ${r.workerMs.toFixed(0)} ms), ${r.displayed} frames displayed`);
    await page.evaluate(() => window.__viewer.view('', undefined));
  }
  await browser.close();
} finally {
  srv.kill();
}
