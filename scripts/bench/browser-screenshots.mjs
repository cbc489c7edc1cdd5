// Screenshots of the production build for the README (docs/screenshots/): the sample capture
// with a duplicate ACK selected, and a retransmission with its SEQ/ACK analysis and bytes.
//   npm run build:app && node scripts/bench/browser-screenshots.mjs
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { mkdirSync } from 'node:fs';

const PORT = 4176;
const server = await preview({ preview: { host: '127.0.0.1', port: PORT, strictPort: true }, logLevel: 'silent' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
mkdirSync('docs/screenshots', { recursive: true });
await page.goto(`http://127.0.0.1:${PORT}/?test`);
await page.locator('[data-testid=open-sample]').click();
await page.waitForFunction(() => document.querySelector('[data-testid=load-status]')?.getAttribute('data-state') === 'done');
await page.evaluate(() => window.__viewer.waitForIdle());

async function select(n, node) {
  const list = page.locator('[data-testid=packet-list]');
  await list.focus();
  await page.keyboard.press('Control+g');
  await page.locator('[data-testid=goto-input]').fill(String(n));
  await page.keyboard.press('Enter');
  await page.evaluate(() => window.__viewer.waitForIdle());
  if (node) await page.locator('[data-testid=packet-detail]').getByText(node).first().click();
  await page.evaluate(() => window.__viewer.waitForIdle());
}

await select(10, '[The RTO for this segment was');
await page.screenshot({ path: 'docs/screenshots/retransmission.png' });
await select(24, 'Window: 0');
await page.screenshot({ path: 'docs/screenshots/zero-window.png' });
await browser.close();
await new Promise((r) => server.httpServer.close(r));
console.log('docs/screenshots/retransmission.png, docs/screenshots/zero-window.png');
