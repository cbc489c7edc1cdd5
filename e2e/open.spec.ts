/** Opening captures: file input, drop, the sample, a damaged file, and replacing a load. */
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { CAPTURES, HAS_SHARED, REPO, ViewerPage, capture, expectedFrameCount, owned } from './viewer-page';

test.describe('opening captures', () => {
  let v: ViewerPage;
  test.beforeEach(async ({ page }) => {
    v = new ViewerPage(page);
    await v.goto();
  });

  const corpora = [
    ['crafted_zero_window_probes_ipv4.pcap', 'input'],
    ['real_loss_iptables_nth23_sender_view_ipv4.pcap', 'drop'],
    ['crafted_out_of_order_within_rtt_ipv6.pcapng', 'drop'],
    ['crafted_gzip_compressed.pcap.gz', 'input'],
  ] as const;
  for (const [path, how] of [
    [owned('c_zero_window_probes.pcap'), 'input'],
    [owned('bulk_loss.pcap'), 'drop'],
    [owned('a_ipv4_sll2.pcapng'), 'drop'],
    [owned('b_gzip.pcap.gz'), 'input'],
    ...corpora.map(([n, how]) => [capture(n), how] as const),
  ] as const) {
    const name = basename(path);
    test(`${name} by ${how === 'input' ? 'file input' : 'drop'}: one row per tshark frame`, async () => {
      test.skip(!HAS_SHARED && path.startsWith(CAPTURES), 'needs the corpora (../shared)');
      const want = expectedFrameCount(path);
      await v.load(path, how);
      await expect(v.loadStatus).toHaveAttribute('data-state', 'done');
      expect(await v.frames()).toBe(want);
      await expect(v.list).toHaveAttribute('aria-rowcount', String(want));
      await expect(v.packetRow(1)).toBeVisible();
      await v.press('End');
      await expect(v.packetRow(want)).toBeVisible();
      await expect(v.packetRow(want + 1)).toHaveCount(0);
      await expect(v.page.locator('[data-testid=status-file]')).toHaveText(name);
      await expect(v.page.locator('[data-testid=status-experts]')).toContainText('Chats');
    });
  }

  test('the bundled sample opens from the app itself', async () => {
    await v.page.locator('[data-testid=open-sample]').click();
    await expect(v.loadStatus).toHaveAttribute('data-state', 'done');
    await v.waitForIdle();
    expect(await v.frames()).toBeGreaterThan(40);
    await expect(v.page.locator('[data-testid=flag-cell]').filter({ hasText: '[TCP Retransmission]' })).toHaveCount(1);
    await expect(v.page.locator('[data-testid=flag-cell]').filter({ hasText: '[TCP Dup ACK' })).toHaveCount(2);
    // Expert counts in the status bar: what `seqscope -q -z expert` (= tshark) counts.
    const cli = execFileSync('node', ['bin/seqscope.mjs', '-r', 'public/sample.pcap', '-q', '-z', 'expert'], { cwd: REPO, encoding: 'utf8' });
    const count = (title: string) => /\((\d+)\)/.exec(cli.split('\n').find((l) => l.startsWith(title + ' (')) ?? '(0)')![1];
    const experts = v.page.locator('[data-testid=status-experts]');
    await expect(experts).toContainText(`Errors ${count('Errors')}`);
    await expect(experts).toContainText(`Warnings ${count('Warns')}`);
    await expect(experts).toContainText(`Notes ${count('Notes')}`);
    await expect(experts).toContainText(`Chats ${count('Chats')}`);
    expect(Number(count('Chats'))).toBeGreaterThan(0);
  });

  test('a damaged capture shows the engine error and keeps the frames read', async () => {
    const bytes = readFileSync(owned('b_retransmissions_dupacks_lost.pcap'));
    const dir = mkdtempSync(join(tmpdir(), 'seqscope-e2e-'));
    const cut = join(dir, 'cut.pcap');
    // Keep the header and a few records, then stop in the middle of a record.
    writeFileSync(cut, bytes.subarray(0, 24 + 16 + 58 + 16 + 58 + 10));
    await v.load(cut);
    await expect(v.loadStatus).toHaveAttribute('data-state', 'error');
    await expect(v.errorBanner).toBeVisible();
    const cli = spawnSync('node', ['bin/seqscope.mjs', '-r', cut], { cwd: REPO, encoding: 'utf8' });
    // The CLI prints "seqscope: FILE: MESSAGE[ (frame N, byte offset M)]".
    const message = cli.stderr.slice(cli.stderr.indexOf(`${cut}: `) + cut.length + 2).replace(/ \(frame \d+, byte offset \d+\)\s*$/, '').trim();
    expect(message.length).toBeGreaterThan(10);
    await expect(v.errorBanner).toContainText(message);
    expect(await v.frames()).toBe(2);
    await expect(v.packetRow(1)).toBeVisible();
    await expect(v.packetRow(2)).toBeVisible();
  });

  test('a file that is not a capture is refused with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqscope-e2e-'));
    const bogus = join(dir, 'notes.txt');
    writeFileSync(bogus, '<script>alert(1)</script> this is not a capture\n'.repeat(20));
    await v.load(bogus);
    await expect(v.loadStatus).toHaveAttribute('data-state', 'error');
    await expect(v.errorBanner).not.toBeEmpty();
    expect(await v.frames()).toBe(0);
  });
});
