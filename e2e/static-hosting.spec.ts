/**
 * Issue 5: the production build as a static site — served from a deep subpath by a plain
 * static server (scripts/serve-static.mjs), offline after one visit, links to a view, and
 * `?url=` captures from another origin (with and without CORS). Every request the browser
 * makes is recorded; none may leave the app's origin except the capture the link names.
 *
 * Runs against `dist/` (override with SEQSCOPE_DIST), which `npm test` builds before e2e.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { serveStatic, type StaticServer } from '../scripts/serve-static.mjs';
import { REPO, ViewerPage, captureKeys, expectedAnalysis, owned } from './viewer-page';
import { ownedDir } from '../test/owned';

const DIST = resolve(REPO, process.env.SEQSCOPE_DIST ?? 'dist');
const SUBPATH = '/tools/seqscope/';
/** The project's own captures (test/owned.ts), served over HTTP from their folder. */
const SMALL = 'b_retransmissions_dupacks_lost.pcap';
/** 2400 frames: frame 900 is far below the first screen. */
const BIG = 'bulk_loss.pcap';
const CAPTURES = ownedDir();

/** A snapshot of the build, so that a rebuild of dist/ during the run changes nothing here. */
let site: string;
let app: StaticServer;
let cors: StaticServer;
let noCors: StaticServer;

test.beforeAll(async () => {
  // A bare `vite build` leaves no service worker: say so instead of timing out on it.
  if (!existsSync(join(DIST, 'sw.js'))) throw new Error(`${DIST}/sw.js is missing: build with \`npm run build:app\` (vite build && node scripts/build-sw.mjs)`);
  site = mkdtempSync(join(tmpdir(), 'seqscope-site-'));
  cpSync(DIST, site, { recursive: true });
  app = await serveStatic({ root: site, base: SUBPATH });
  cors = await serveStatic({ root: CAPTURES, base: '/caps/', cors: true });
  noCors = await serveStatic({ root: CAPTURES, base: '/caps/' });
});

test.afterAll(async () => {
  await Promise.all([app?.close(), cors?.close(), noCors?.close()]);
  if (site) rmSync(site, { recursive: true, force: true });
});

/** Every URL the browser context requests (pages, workers, service worker). */
function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (r) => urls.push(r.url()));
  return urls;
}

/** Requests outside `origin` (data: and blob: URLs are in-page, not network). */
function foreign(urls: string[], origin: string): string[] {
  return urls.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
}

async function open(page: Page, url: string): Promise<ViewerPage> {
  await page.goto(url);
  await page.waitForFunction(() => window.__viewer !== undefined);
  return new ViewerPage(page);
}

/** Wait until the service worker is active and controls the page. */
async function swControls(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise<void>((r) => navigator.serviceWorker.addEventListener('controllerchange', () => r(), { once: true }));
  });
}

/** The running service worker's version (it answers on a MessageChannel). */
function swVersion(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((r) => {
        const ch = new MessageChannel();
        ch.port1.onmessage = (e) => r((e.data as { version: string }).version);
        navigator.serviceWorker.controller!.postMessage({ type: 'version' }, [ch.port2]);
      }),
  );
}

test('from a subpath: a first visit online, then offline the app still opens and analyses a capture; nothing leaves the origin', async ({ page, context }) => {
  const urls = recordRequests(context);
  let v = await open(page, `${app.url}?test`);
  await swControls(page);

  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => window.__viewer !== undefined);
  v = new ViewerPage(page);
  await v.load(owned(BIG));
  await expect(v.loadStatus).toHaveAttribute('data-state', 'done');
  expect(await v.frames()).toBe(expectedAnalysis(owned(BIG)).length);
  await v.selectPacket(7);
  await expect(v.detail).toContainText('Transmission Control Protocol');
  await expect(v.bytes).not.toBeEmpty();
  // The shipped sample comes from the precache too.
  await page.locator('[data-testid=open-sample]').click();
  await expect(v.loadStatus).toHaveAttribute('data-state', 'done');
  await context.setOffline(false);

  expect(urls.length).toBeGreaterThan(3);
  expect(foreign(urls, app.origin)).toEqual([]);
  expect(app.requests.every((r) => r.path.startsWith(SUBPATH))).toBe(true);
});

test('installable: the manifest and its icons load from the subpath', async ({ page, request }) => {
  await open(page, `${app.url}?test`);
  const href = await page.locator('link[rel=manifest]').evaluate((l) => (l as HTMLLinkElement).href);
  expect(href).toBe(`${app.url}manifest.webmanifest`);
  const manifest = (await (await request.get(href)).json()) as { start_url: string; scope: string; display: string; icons: { src: string; sizes: string; type: string }[] };
  expect(manifest).toMatchObject({ start_url: './', scope: './', display: 'standalone' });
  const sizes = manifest.icons.map((i) => i.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of manifest.icons) {
    const res = await request.get(new URL(icon.src, href).href);
    expect(res.status(), icon.src).toBe(200);
    expect(res.headers()['content-type']).toBe(icon.type);
  }
});

test('a new version is picked up on the next visit, without breaking the open session', async ({ page, context }) => {
  const dir = mkdtempSync(join(tmpdir(), 'seqscope-dist-'));
  cpSync(site, dir, { recursive: true });
  const deployed = await serveStatic({ root: dir, base: SUBPATH });
  try {
    const v = await open(page, `${deployed.url}?test`);
    await swControls(page);
    const v1 = await swVersion(page);
    await v.load(owned(SMALL));

    // Deploy a new build: a changed index.html, sw.js regenerated.
    const index = join(dir, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace('<title>', '<meta name="seqscope-build" content="2" /><title>'));
    execFileSync('node', ['scripts/build-sw.mjs', dir], { cwd: REPO });
    await page.evaluate(async () => {
      const reg = (await navigator.serviceWorker.getRegistration())!;
      await reg.update();
      const w = reg.installing ?? reg.waiting;
      if (w && w.state !== 'installed') await new Promise<void>((r) => w.addEventListener('statechange', () => w.state === 'installed' && r()));
    });

    // The open tab keeps its version and keeps working.
    expect(await swVersion(page)).toBe(v1);
    await v.selectPacket(5);
    await expect(v.detail).toContainText('Transmission Control Protocol');
    await v.load(owned(BIG));
    expect(await v.frames()).toBe(expectedAnalysis(owned(BIG)).length);
    await expect(page.locator('meta[name=seqscope-build]')).toHaveCount(0);

    // Next visit: the tab is closed, a new one opens on the new version; the old cache is gone.
    await page.close();
    const next = await context.newPage();
    await open(next, `${deployed.url}?test`);
    await expect(next.locator('meta[name=seqscope-build]')).toHaveCount(1);
    await swControls(next);
    const v2 = await swVersion(next);
    expect(v2).not.toBe(v1);
    const cacheNames = await next.evaluate(() => caches.keys());
    expect(cacheNames.filter((k) => k.includes(SUBPATH))).toEqual([expect.stringContaining(v2)]);
  } finally {
    await deployed.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('?url= opens a capture from a CORS-enabled server; that capture is the only request to another origin', async ({ page, context }) => {
  const urls = recordRequests(context);
  const captureUrl = `${cors.url}${BIG}`;
  const v = await open(page, `${app.url}?test&url=${encodeURIComponent(captureUrl)}`);
  await expect(v.loadStatus).toHaveAttribute('data-state', 'done');
  await v.waitForIdle();
  expect(await v.frames()).toBe(expectedAnalysis(owned(BIG)).length);
  await v.selectPacket(7);
  await expect(v.detail).toContainText('Transmission Control Protocol');
  // The capture's address moved into the fragment (never sent to the app's host again).
  await expect.poll(() => new URL(page.url()).hash).toContain(`url=${encodeURIComponent(captureUrl)}`);
  expect(new URL(page.url()).searchParams.has('url')).toBe(false);

  expect(foreign(urls, app.origin)).toEqual([captureUrl]);
  expect(cors.requests.map((r) => r.path)).toEqual([`/caps/${BIG}`]);
});

test('#url= without CORS, or a missing capture: a clear message', async ({ page }) => {
  let v = await open(page, `${app.url}?test#url=${encodeURIComponent(`${noCors.url}${SMALL}`)}`);
  await expect(v.errorBanner).toContainText('does not allow cross-origin requests');
  await expect(v.errorBanner).toContainText('Access-Control-Allow-Origin');
  await expect(v.loadStatus).toHaveAttribute('data-state', 'error');
  expect(noCors.requests.map((r) => r.path)).toContain(`/caps/${SMALL}`);

  v = await open(page, `${app.url}?test&url=${encodeURIComponent(`${cors.url}no-such-file.pcap`)}`);
  await expect(v.errorBanner).toContainText(`HTTP 404 Not Found for ${cors.url}no-such-file.pcap`);

  v = await open(page, `${app.url}?test&url=${encodeURIComponent('data:application/octet-stream;base64,1MOyoQ==')}`);
  await expect(v.errorBanner).toContainText('A link cannot carry the capture itself');
});

test('a link with a frame in its fragment opens with that frame selected and in view; selection and Copy link write the view', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
  const captureUrl = `${cors.url}${BIG}`;
  const v = await open(page, `${app.url}?test#frame=900&url=${encodeURIComponent(captureUrl)}`);
  await expect(v.packetRow(900)).toHaveAttribute('aria-selected', 'true');
  await expect(v.packetRow(900)).toBeInViewport();
  await expect(v.selectedRow()).toHaveCount(1);
  await v.waitForIdle();
  await expect(v.detail).toContainText('Transmission Control Protocol');

  // Selecting a row rewrites the fragment as it happens.
  await v.press('ArrowDown');
  await expect(v.packetRow(901)).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => new URL(page.url()).hash).toMatch(/^#frame=901&scroll=\d+&url=/);

  await page.locator('[data-testid=copy-link]').click();
  await expect(page.locator('[data-testid=copy-link]')).toHaveAttribute('data-link-copied', 'yes');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(page.url());
  const u = new URL(link);
  expect(u.hash).toContain('frame=901');
  expect(u.hash).toContain(`url=${encodeURIComponent(captureUrl)}`);

  // A colleague opens the link.
  const other = await context.newPage();
  const w = await open(other, link);
  await expect(w.packetRow(901)).toHaveAttribute('aria-selected', 'true');
  await expect(w.packetRow(901)).toBeInViewport();
  const top = Number(u.hash.match(/scroll=(\d+)/)![1]);
  await expect(w.packetRow(top)).toBeInViewport();
});

test('a link to a view of a local file restores it once that file is opened', async ({ page }) => {
  const v = await open(page, `${app.url}?test#frame=640&scroll=630`);
  await expect(v.loadStatus).toHaveAttribute('data-state', 'idle');
  await v.load(owned(BIG));
  await expect(v.packetRow(640)).toHaveAttribute('aria-selected', 'true');
  await expect(v.packetRow(640)).toBeInViewport();
  await expect(v.packetRow(630)).toBeInViewport();
  await expect(v.packetRow(629)).not.toBeInViewport();
  await v.press('ArrowUp');
  // No capture URL: the fragment names the view and the capture it is for (name, size, fingerprint).
  await expect.poll(() => new URL(page.url()).hash).toBe(`#frame=639&scroll=630&${captureKeys(owned(BIG))}`);
  // A fragment edited by hand moves the view at once.
  await page.evaluate(() => (location.hash = '#frame=12'));
  await expect(v.packetRow(12)).toHaveAttribute('aria-selected', 'true');
  await expect(v.packetRow(12)).toBeInViewport();
});

test('from the root path too: loads and analyses, service worker scoped to /', async ({ page, context }) => {
  const root = await serveStatic({ root: site, base: '/' });
  try {
    const urls = recordRequests(context);
    const v = await open(page, `${root.url}?test`);
    await swControls(page);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.scope)).toBe(root.url);
    await v.load(owned(SMALL));
    expect(await v.frames()).toBe(expectedAnalysis(owned(SMALL)).length);
    expect(foreign(urls, root.origin)).toEqual([]);
  } finally {
    await root.close();
  }
});
