/**
 * Bad and hostile input in the browser (issue 4): a truncated capture keeps its rows and shows
 * the engine's message; a file that is not a capture says what it looks like; a capture whose
 * payloads, comments and interface names carry HTML and script renders them as text and runs
 * nothing; no request leaves the app's origin; the Content-Security-Policy forbids inline
 * script and eval.
 */
import { test, expect, type Page, type Request } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ViewerPage, REPO } from './viewer-page';
import { DEFAULT_EPOCH, conversation, layout, tcpFrame, utf8, writePcap, writePcapng, type NgBlock } from '../test/capture/build';

const dir = mkdtempSync(join(tmpdir(), 'seqscope-bad-input-'));
function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Everything a hostile capture might smuggle in: script, event handlers, markup, javascript: URLs. */
const PAYLOADS = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '"><svg onload="window.__pwned = \'svg\'">',
  '<a href="javascript:window.__pwned=1">evil.example.com</a>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
];

function hostileCapture(): Uint8Array {
  const frames: NgBlock[] = PAYLOADS.map((text, i) => ({
    epb: {
      iface: 0,
      ts: DEFAULT_EPOCH / 1000n + BigInt(i * 1000),
      data: tcpFrame({ src: '192.0.2.1', dst: '198.51.100.2', sport: 40000, dport: 80, seq: 1000 + i * 100, ack: 1, flags: 0x18, payload: utf8(text) }),
      comments: [`comment ${i}: ${PAYLOADS[(i + 1) % PAYLOADS.length]}`],
    },
  }));
  return writePcapng([
    {
      comments: [PAYLOADS[0]],
      interfaces: [{ linkType: 1, name: '<img src=x onerror="window.__pwned=\'ifname\'">' }],
      // A name resolution and an interface statistics block (skipped by readers), then the packets.
      blocks: [{ nrb: [{ ip: '192.0.2.1', names: ['h.x'] }] }, { isb: { iface: 0 } }, ...frames],
    },
  ]);
}

/** Record every request the page (and its worker) makes. */
function recordRequests(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (r) => seen.push(r));
  return seen;
}

function offOrigin(requests: Request[], origin: string): string[] {
  return requests
    .map((r) => r.url())
    .filter((u) => !u.startsWith('data:'))
    .filter((u) => new URL(u).origin !== origin);
}

test.describe('bad and hostile input', () => {
  let v: ViewerPage;
  let requests: Request[];
  let dialogs: string[];
  let violations: string[];
  test.beforeEach(async ({ page }) => {
    requests = recordRequests(page);
    dialogs = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    v = new ViewerPage(page);
    await v.goto();
    violations = [];
    await page.exposeFunction('__cspViolation', (s: string) => violations.push(s));
    await page.evaluate(() => {
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __cspViolation: (s: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`));
    });
  });

  test('a capture cut short: banner with frame number and byte offset, the rows before it kept, nothing sent anywhere', async ({ page }) => {
    const whole = writePcap(conversation('GET / HTTP/1.1\r\n\r\n'));
    const recs = layout(whole).filter((s) => s.frame);
    const cut = file('cut-short.pcap', whole.subarray(0, recs[5].start + 25));
    await v.load(cut);
    await expect(v.loadStatus).toHaveAttribute('data-state', 'error');
    await expect(v.errorBanner).toContainText('The file appears to have been cut short in the middle of a packet');
    await expect(v.errorBanner).toContainText(`frame 6 (the record at byte offset ${recs[5].start})`);
    expect(await v.frames()).toBe(5);
    for (let n = 1; n <= 5; n++) await expect(v.packetRow(n)).toBeVisible();
    await expect(v.packetRow(6)).toHaveCount(0);
    await v.selectPacket(4);
    await expect(v.detail).toContainText('Transmission Control Protocol');
    expect(offOrigin(requests, new URL(page.url()).origin)).toEqual([]);
  });

  const notCaptures: [string, Uint8Array, string][] = [
    ['holiday.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, ...new Array(40).fill(0)]), 'a PNG image'],
    ['captures.zip', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 20, 0, ...new Array(40).fill(0)]), 'a ZIP archive'],
    ['empty.pcap', new Uint8Array(0), 'an empty file'],
  ];
  for (const [name, bytes, looks] of notCaptures) {
    test(`${name}: the banner names what it looks like and the formats seqscope reads`, async () => {
      await v.load(file(name, bytes));
      await expect(v.loadStatus).toHaveAttribute('data-state', 'error');
      await expect(v.errorBanner).toContainText(`This is not a capture file: it looks like ${looks}.`);
      await expect(v.errorBanner).toContainText('seqscope reads pcap');
      expect(await v.frames()).toBe(0);
    });
  }

  test('after a bad file, a good one opens normally', async () => {
    await v.load(file('notes.txt', utf8('not a capture\n')));
    await expect(v.loadStatus).toHaveAttribute('data-state', 'error');
    await v.load(file('good.pcap', writePcap(conversation())));
    await expect(v.loadStatus).toHaveAttribute('data-state', 'done');
    await expect(v.errorBanner).toHaveCount(0);
    expect(await v.frames()).toBe(conversation().length);
  });

  test('a hostile capture: payloads, comments and interface names render as text, nothing runs, nothing leaves the origin', async ({ page }) => {
    const scriptsBefore = await page.locator('script').count();
    await v.load(file('hostile.pcapng', hostileCapture()));
    await expect(v.loadStatus).toHaveAttribute('data-state', 'done');
    expect(await v.frames()).toBe(PAYLOADS.length);
    for (let n = 1; n <= PAYLOADS.length; n++) {
      await v.selectPacket(n);
      // The comment is shown under the Frame node, as text, markup and all.
      const frameNode = v.detail.locator('[role=treeitem]').first();
      if ((await frameNode.getAttribute('aria-expanded')) === 'false') await frameNode.locator('.twisty').first().click();
      await expect(frameNode).toHaveAttribute('aria-expanded', 'true');
      await expect(v.detail).toContainText(`comment ${n - 1}: ${PAYLOADS[n % PAYLOADS.length]}`);
      // The payload bytes are there in the hex pane's text column (its first line holds 10 payload bytes).
      await expect(v.bytes).toContainText(PAYLOADS[n - 1].slice(0, 8));
    }
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await expect(page.locator('script')).toHaveCount(scriptsBefore);
    await expect(page.locator('#root img[src="x"], #root svg[onload], #root iframe, #root a[href^="javascript:"]')).toHaveCount(0);
    expect(offOrigin(requests, new URL(page.url()).origin)).toEqual([]);
  });

  test('the Content-Security-Policy: no inline script, no eval, scripts only from the app', async ({ page }) => {
    const html = readFileSync(join(REPO, 'dist/index.html'), 'utf8');
    const csp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/s.exec(html)?.[1] ?? '';
    const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? /default-src ([^;]+)/.exec(csp)?.[1] ?? '';
    expect(scriptSrc.trim()).toBe("'self'");
    expect(csp).not.toContain("unsafe-eval");
    // The built page has no inline script at all.
    expect([...html.matchAll(/<script\b([^>]*)>/g)].every((m) => /\bsrc=/.test(m[1]))).toBe(true);

    // eval is refused: a blob worker inherits the page's policy, and its eval throws EvalError.
    const evalResult = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const src = "try { eval('1 + 1'); postMessage('eval ran') } catch (e) { postMessage(e.name) }";
          const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
          w.onmessage = (e) => resolve(String(e.data));
          w.onerror = (e) => resolve(`worker error: ${e.message}`);
        }),
    );
    expect(evalResult).toBe('EvalError');
    // An injected inline script does not run, and the browser reports the violation.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__pwned = "inline"';
      document.body.appendChild(s);
    });
    await expect.poll(() => violations.some((x) => x.startsWith('script-src'))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });
});
