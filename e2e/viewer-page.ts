/**
 * Page helper for the e2e specs: every interaction with the viewer goes through here, using
 * the automation contract (data-testid attributes) and the app's idle hook — never sleeps.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { expect, type Locator, type Page } from '@playwright/test';
// Brings in the app's `window.__viewer` declaration (the test hook).
import type {} from '../src/ui/test-hooks';
import { CAPTURES, HAS_SHARED, REPO } from '../test/corpora';
import { ANALYSIS_FIELDS } from '../test/harness';
import { owned, tsharkFields } from '../test/owned';
import { fingerprint, FINGERPRINT_BYTES } from '../src/engine/bytes/fingerprint';

export { CAPTURES, HAS_SHARED, REPO, owned };

/** A capture of the corpora (../shared); specs using it skip without them (`test.skip(!HAS_SHARED)`). */
export function capture(name: string): string {
  return join(CAPTURES, name);
}

/**
 * tshark's analysis table of a capture: header names + rows. A corpus capture (a name, or a path in
 * the corpora) reads the corpora's expected/; any other path (an owned capture) asks tshark live.
 */
export function expectedAnalysis(nameOrPath: string): Record<string, string>[] {
  if (nameOrPath.includes('/') && dirname(nameOrPath) !== CAPTURES)
    return tsharkFields(nameOrPath, ['frame.number', ...ANALYSIS_FIELDS], ['-E', 'occurrence=f']);
  const name = basename(nameOrPath);
  const [head, ...lines] = readFileSync(join(CAPTURES, 'expected', `${name}.analysis.tsv`), 'utf8').split('\n').filter((l) => l !== '');
  const names = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [names[i], v])));
}

/** How a view link names a capture file: `file=NAME&size=BYTES&hash=FINGERPRINT` (link-sync.ts). */
export function captureKeys(path: string): string {
  const bytes = readFileSync(path);
  return `file=${encodeURIComponent(basename(path)).replace(/%20/g, '+')}&size=${bytes.length}&hash=${fingerprint(bytes.subarray(0, FINGERPRINT_BYTES))}`;
}

/** Field values the CLI prints for one frame (`seqscope -r FILE -T fields -e …`). */
export function cliFields(file: string, frame: number, fields: string[]): Record<string, string> {
  const args = ['bin/seqscope.mjs', '-r', file, '-T', 'fields', '-E', 'header=n', '-c', String(frame)];
  for (const f of fields) args.push('-e', f);
  const lines = execFileSync('node', args, { cwd: REPO, encoding: 'utf8' }).split('\n').filter((l) => l !== '');
  const vals = lines[frame - 1].split('\t');
  return Object.fromEntries(fields.map((f, i) => [f, vals[i] ?? '']));
}

export class ViewerPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('./?test');
    await expect(this.page.locator('[data-testid=load-status]')).toHaveAttribute('data-state', 'idle');
  }

  get loadStatus(): Locator {
    return this.page.locator('[data-testid=load-status]');
  }

  /** Open a capture through the file input. */
  async openCapture(path: string): Promise<void> {
    await this.page.locator('input[type=file][data-testid=file-input]').setInputFiles(path);
  }

  /** Open a capture by a synthetic drop (DataTransfer carrying a File) on the page. */
  async dropCapture(path: string): Promise<void> {
    const bytes = readFileSync(path).toString('base64');
    const name = basename(path);
    const dt = await this.page.evaluateHandle(
      ({ b64, name }) => {
        const bin = atob(b64);
        const arr = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
        const d = new DataTransfer();
        d.items.add(new File([arr], name, { type: 'application/vnd.tcpdump.pcap' }));
        return d;
      },
      { b64: bytes, name },
    );
    await this.page.dispatchEvent('main', 'dragover', { dataTransfer: dt });
    await this.page.dispatchEvent('main', 'drop', { dataTransfer: dt });
  }

  async waitForIdle(): Promise<void> {
    await this.page.waitForFunction(() => window.__viewer !== undefined);
    await this.page.evaluate(() => window.__viewer!.waitForIdle());
  }

  /** Open and wait until fully analysed and rendered. */
  async load(path: string, how: 'input' | 'drop' = 'input'): Promise<void> {
    if (how === 'input') await this.openCapture(path);
    else await this.dropCapture(path);
    await expect(this.loadStatus).toHaveAttribute('data-state', /^(done|error)$/);
    await this.waitForIdle();
  }

  /** Kill the engine worker as a crash would (through the test hook). */
  async crashWorker(): Promise<void> {
    await this.page.waitForFunction(() => window.__viewer !== undefined);
    await this.page.evaluate(() => window.__viewer!.crashWorker());
  }

  async frames(): Promise<number> {
    return Number(await this.loadStatus.getAttribute('data-frames'));
  }

  packetRow(n: number): Locator {
    return this.page.locator(`[data-testid=packet-row][data-frame="${n}"]`);
  }

  flagCell(n: number): Locator {
    return this.packetRow(n).locator('[data-testid=flag-cell]');
  }

  get list(): Locator {
    return this.page.locator('[data-testid=packet-list]');
  }

  get detail(): Locator {
    return this.page.locator('[data-testid=packet-detail]');
  }

  get bytes(): Locator {
    return this.page.locator('[data-testid=packet-bytes]');
  }

  get errorBanner(): Locator {
    return this.page.locator('[data-testid=error-banner]');
  }

  selectedRow(): Locator {
    return this.page.locator('[data-testid=packet-row][aria-selected=true]');
  }

  /** Bring frame n on screen (Ctrl+G) and click it. */
  async selectPacket(n: number): Promise<void> {
    await this.goToFrame(n);
    await this.packetRow(n).click();
    await expect(this.packetRow(n)).toHaveAttribute('aria-selected', 'true');
    await this.waitForIdle();
  }

  async goToFrame(n: number): Promise<void> {
    await this.list.focus();
    await this.page.keyboard.press('Control+g');
    await this.page.locator('[data-testid=goto-input]').fill(String(n));
    await this.page.keyboard.press('Enter');
    await expect(this.packetRow(n)).toHaveAttribute('aria-selected', 'true');
    await this.waitForIdle();
  }

  /** Scroll the list so that frame n is the top row, without selecting it. */
  async scrollToFrame(n: number): Promise<void> {
    await this.list.evaluate((el, top) => {
      el.scrollTop = top;
      el.dispatchEvent(new Event('scroll'));
    }, (n - 1) * 22);
    await expect(this.packetRow(n)).toBeVisible();
    await this.waitForIdle();
  }

  async press(key: string): Promise<void> {
    await this.list.press(key);
    await this.waitForIdle();
  }

  async selectedFrame(): Promise<number> {
    return Number(await this.selectedRow().getAttribute('data-frame'));
  }
}

/** The bracketed words tshark's flag columns imply, in Info order (spec §6.2: reverse print order). */
export function expectedFlagWords(w: Record<string, string>): string {
  const on = (f: string) => w[`tcp.analysis.${f}`] === '1';
  const words: string[] = [];
  if (on('zero_window_probe_ack')) words.push('[TCP ZeroWindowProbeAck]');
  if (on('zero_window')) words.push('[TCP ZeroWindow]');
  if (on('zero_window_probe')) words.push('[TCP ZeroWindowProbe]');
  if (on('duplicate_ack')) words.push(`[TCP Dup ACK ${w['tcp.analysis.duplicate_ack_frame']}#${w['tcp.analysis.duplicate_ack_num']}]`);
  if (on('keep_alive_ack')) words.push('[TCP Keep-Alive ACK]');
  if (on('keep_alive')) words.push('[TCP Keep-Alive]');
  if (on('window_full')) words.push('[TCP Window Full]');
  if (on('window_update')) words.push('[TCP Window Update]');
  if (on('ack_lost_segment')) words.push('[TCP ACKed unseen segment]');
  if (on('lost_segment')) words.push('[TCP Previous segment not captured]');
  if (on('out_of_order')) words.push('[TCP Out-Of-Order]');
  if (on('spurious_retransmission')) words.push('[TCP Spurious Retransmission]');
  if (on('fast_retransmission')) words.push('[TCP Fast Retransmission]');
  if (on('retransmission') && !on('fast_retransmission') && !on('spurious_retransmission')) words.push('[TCP Retransmission]');
  if (on('reused_ports')) words.push('[TCP Port numbers reused]');
  return words.join(' ');
}

/** Frame count tshark reports for a capture (a corpus name or an owned capture's path). */
export function expectedFrameCount(nameOrPath: string): number {
  return expectedAnalysis(nameOrPath).length;
}
