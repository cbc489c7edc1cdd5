/** The detail tree and hex pane: values equal the CLI's, links jump, keyboard moves. */
import { test, expect } from '@playwright/test';
import { ViewerPage, cliFields, expectedAnalysis, owned } from './viewer-page';

/** 24 interleaved bulk connections with losses (the project's own capture, test/owned.ts). */
const NAME = owned('bulk_loss.pcap');
const FIELDS = [
  'tcp.stream', 'tcp.seq', 'tcp.seq_raw', 'tcp.ack', 'tcp.ack_raw', 'tcp.nxtseq', 'tcp.len', 'tcp.window_size',
  'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt', 'tcp.analysis.initial_rtt', 'tcp.analysis.bytes_in_flight',
  'tcp.analysis.push_bytes_sent', 'tcp.analysis.duplicate_ack_num', 'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.rto', 'tcp.analysis.rto_frame', 'tcp.time_relative', 'tcp.time_delta',
];
const LABELS: Record<string, (v: string) => string> = {
  'tcp.stream': (v) => `[Stream index: ${v}]`,
  'tcp.seq': (v) => `Sequence Number: ${v}    (relative sequence number)`,
  'tcp.seq_raw': (v) => `Sequence Number (raw): ${v}`,
  'tcp.ack': (v) => `Acknowledgment Number: ${v}    (relative ack number)`,
  'tcp.ack_raw': (v) => `Acknowledgment number (raw): ${v}`,
  'tcp.nxtseq': (v) => `[Next Sequence Number: ${v}    (relative sequence number)]`,
  'tcp.len': (v) => `[TCP Segment Len: ${v}]`,
  'tcp.window_size': (v) => `[Calculated window size: ${v}]`,
  'tcp.analysis.acks_frame': (v) => `[This is an ACK to the segment in frame: ${v}]`,
  'tcp.analysis.ack_rtt': (v) => `[The RTT to ACK the segment was: ${v} seconds]`,
  'tcp.analysis.initial_rtt': (v) => `[iRTT: ${v} seconds]`,
  'tcp.analysis.bytes_in_flight': (v) => `[Bytes in flight: ${v}]`,
  'tcp.analysis.push_bytes_sent': (v) => `[Bytes sent since last PSH flag: ${v}]`,
  'tcp.analysis.duplicate_ack_num': (v) => `[Duplicate ACK #: ${v}]`,
  'tcp.analysis.duplicate_ack_frame': (v) => `[Duplicate to the ACK in frame: ${v}]`,
  'tcp.analysis.rto': (v) => `[The RTO for this segment was: ${v} seconds]`,
  'tcp.analysis.rto_frame': (v) => `[RTO based on delta from frame: ${v}]`,
  'tcp.time_relative': (v) => `[Time since first frame in this TCP stream: ${v} seconds]`,
  'tcp.time_delta': (v) => `[Time since previous frame in this TCP stream: ${v} seconds]`,
};

test.describe('packet details', () => {
  let v: ViewerPage;
  test.beforeEach(async ({ page }) => {
    v = new ViewerPage(page);
    await v.goto();
    await v.load(NAME);
  });

  test('selected frames show the SEQ/ACK values the CLI prints', async () => {
    const want = expectedAnalysis(NAME);
    // A data segment, an ACK that acks one, a dup ACK, a retransmission with RTO.
    const pick = (pred: (w: Record<string, string>) => boolean) => Number(want.find(pred)!['frame.number']);
    const frames = [
      pick((w) => w['tcp.analysis.bytes_in_flight'] !== ''),
      pick((w) => w['tcp.analysis.acks_frame'] !== '' && w['tcp.analysis.ack_rtt'] !== ''),
      pick((w) => w['tcp.analysis.duplicate_ack_num'] !== ''),
      pick((w) => w['tcp.analysis.retransmission'] === '1'),
    ];
    for (const n of frames) {
      await v.selectPacket(n);
      const cli = cliFields(NAME, n, FIELDS);
      const text = await v.detail.innerText();
      expect(text).toContain(`Frame ${n}:`);
      let shown = 0;
      for (const f of FIELDS) {
        if (cli[f] === '') continue;
        expect(text, `frame ${n} ${f}`).toContain(LABELS[f](cli[f]));
        shown++;
      }
      expect(shown).toBeGreaterThan(8);
    }
  });

  test('the acked-frame link jumps to that frame', async () => {
    const want = expectedAnalysis(NAME);
    const w = [...want].reverse().find((x) => x['tcp.analysis.acks_frame'] !== '' && Number(x['frame.number']) - Number(x['tcp.analysis.acks_frame']) > 30)!;
    const n = Number(w['frame.number']);
    const target = Number(w['tcp.analysis.acks_frame']);
    await v.selectPacket(n);
    const link = v.detail.locator(`[data-testid=frame-link][data-link="${target}"]`);
    await expect(link).toHaveText(`[This is an ACK to the segment in frame: ${target}]`);
    await link.click();
    await expect(v.packetRow(target)).toHaveAttribute('aria-selected', 'true');
    await expect(v.packetRow(target)).toBeInViewport();
    await v.waitForIdle();
    await expect(v.detail).toContainText(`Frame ${target}:`);
  });

  test('selecting a tree item highlights its bytes', async () => {
    const first = Number(expectedAnalysis(NAME).find((w) => w['tcp.stream'] !== '')!['frame.number']);
    await v.selectPacket(first);
    const cli = cliFields(NAME, first, ['tcp.srcport', 'tcp.seq_raw']);
    await v.detail.getByText(`Source Port: ${cli['tcp.srcport']}`, { exact: true }).click();
    const port = Number(cli['tcp.srcport']);
    await expect(v.bytes.locator('.hl')).toHaveText([`${(port >> 8).toString(16).padStart(2, '0')} ${(port & 255).toString(16).padStart(2, '0')}`, /^..$/]);
    await v.detail.getByText(`Sequence Number (raw): ${cli['tcp.seq_raw']}`, { exact: true }).click();
    const seq = Number(cli['tcp.seq_raw']);
    const hex = [24, 16, 8, 0].map((s) => ((seq >>> s) & 255).toString(16).padStart(2, '0')).join(' ');
    await expect(v.bytes.locator('.hex-bytes .hl')).toHaveText(hex);
  });

  test('keyboard: arrows, Page Up/Down, Home/End, Ctrl+G', async () => {
    const total = await v.frames();
    await v.packetRow(3).click();
    await v.press('ArrowDown');
    expect(await v.selectedFrame()).toBe(4);
    await v.press('ArrowUp');
    await v.press('ArrowUp');
    expect(await v.selectedFrame()).toBe(2);
    await v.press('End');
    expect(await v.selectedFrame()).toBe(total);
    await expect(v.packetRow(total)).toBeInViewport();
    await v.press('PageUp');
    const afterPageUp = await v.selectedFrame();
    expect(afterPageUp).toBeLessThan(total - 5);
    await expect(v.packetRow(afterPageUp)).toBeInViewport();
    await v.press('PageDown');
    expect(await v.selectedFrame()).toBe(total);
    await v.press('Home');
    expect(await v.selectedFrame()).toBe(1);
    await expect(v.packetRow(1)).toBeInViewport();
    await v.goToFrame(321);
    await expect(v.packetRow(321)).toBeInViewport();
    await expect(v.detail).toContainText('Frame 321:');
  });
});
