/**
 * rows.ts and detail.ts against tshark 4.0.17's own output (the corpora's expected/ when present,
 * and tshark run live on the captures the project owns, test/owned.ts):
 * every value field shown in the detail tree carries tshark's value, every absent field has
 * no node, the packet-list rows have one row per tshark frame with the flag words and the
 * Wireshark colouring that the analysis flags imply.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureSession, MemorySource, readDetail, readRows, expertCounts } from '../index';
import type { DetailNode } from '../model/types';
import { completenessLabel } from './detail';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { OWNED, owned, tsharkFields } from '../../../test/owned';
const FILES = [
  'crafted_zero_window_probes_ipv4.pcap',
  'crafted_dupack_then_slow_retransmission_ipv4.pcap',
  'crafted_options_timestamps_sack_dsack_ipv4.pcap',
  'crafted_ipv4_fragmented_segment.pcap',
  'crafted_out_of_order_within_rtt_ipv6.pcapng',
  'crafted_reused_ports_syn_after_rst_200ms_ipv4.pcap',
  'crafted_link_vlan_8021q.pcap',
  'crafted_truncated_snaplen64_ipv4.pcap',
  'crafted_gzip_compressed.pcap.gz',
  'real_loss_iptables_nth23_sender_view_ipv4.pcap',
  'real_normal_any_linux_sll2_ipv4.pcap',
];

/** Detail-tree fields whose label shows the tshark value. */
const VALUE_FIELDS = [
  'frame.time_epoch',
  'frame.len',
  'frame.cap_len',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.hdr_len',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.window_size_value',
  'tcp.options.mss_val',
  'tcp.options.wscale.shift',
  'tcp.stream',
  'tcp.seq',
  'tcp.ack',
  'tcp.nxtseq',
  'tcp.len',
  'tcp.window_size',
  'tcp.window_size_scalefactor',
  'tcp.time_relative',
  'tcp.time_delta',
  'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.initial_rtt',
  'tcp.analysis.bytes_in_flight',
  'tcp.analysis.push_bytes_sent',
  'tcp.analysis.rto',
  'tcp.analysis.rto_frame',
];
const FLAG_WORDS: Record<string, string> = {
  'tcp.analysis.reused_ports': 'TCP Port numbers reused',
  'tcp.analysis.out_of_order': 'TCP Out-Of-Order',
  'tcp.analysis.lost_segment': 'TCP Previous segment not captured',
  'tcp.analysis.ack_lost_segment': 'TCP ACKed unseen segment',
  'tcp.analysis.window_update': 'TCP Window Update',
  'tcp.analysis.window_full': 'TCP Window Full',
  'tcp.analysis.keep_alive': 'TCP Keep-Alive',
  'tcp.analysis.keep_alive_ack': 'TCP Keep-Alive ACK',
  'tcp.analysis.zero_window_probe': 'TCP ZeroWindowProbe',
  'tcp.analysis.zero_window': 'TCP ZeroWindow',
  'tcp.analysis.zero_window_probe_ack': 'TCP ZeroWindowProbeAck',
};

function tsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const names = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [names[i], v])));
}

function expected(name: string): Record<string, string>[] {
  const a = tsv(join(CAPTURES, 'expected', `${name}.analysis.tsv`));
  const d = tsv(join(CAPTURES, 'expected', `${name}.decode.tsv`));
  return a.map((r, i) => ({ ...d[i], ...r }));
}

function walk(nodes: DetailNode[], out: DetailNode[] = []): DetailNode[] {
  for (const n of nodes) {
    out.push(n);
    if (n.children) walk(n.children, out);
  }
  return out;
}

/** The same table from tshark itself, for an owned capture. */
function expectedLive(file: string): Record<string, string>[] {
  const flags = ['retransmission', 'fast_retransmission', 'spurious_retransmission', 'duplicate_ack'].map((f) => `tcp.analysis.${f}`);
  return tsharkFields(
    file,
    ['frame.number', 'frame.len', 'frame.cap_len', ...VALUE_FIELDS, ...Object.keys(FLAG_WORDS), ...flags],
    ['-E', 'occurrence=f'],
  );
}

async function open(name: string, path = join(CAPTURES, name)): Promise<CaptureSession> {
  const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(path)), name));
  // Small chunks: the load really interleaves with the awaits, as in the worker.
  await s.load({ chunkSize: 4096 });
  s.decoder.replay = true;
  return s;
}

const shows = (label: string, v: string) => new RegExp(`: ${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9.])`).test(label);

async function check(s: CaptureSession, want: Record<string, string>[]): Promise<void> {
  expect(s.frameCount).toBe(want.length);
  const rows = await readRows(s, 1, s.frameCount);
  expect(rows.map((r) => r.number)).toEqual(want.map((w) => Number(w['frame.number'])));
  for (let n = 1; n <= s.frameCount; n++) {
    const w = want[n - 1];
    const d = (await readDetail(s, n))!;
    expect(d.bytes.length).toBe(Number(w['frame.cap_len']));
    const nodes = walk(d.tree);
    for (const field of VALUE_FIELDS) {
      const v = w[field];
      if (v === undefined) continue;
      const hits = nodes.filter((x) => x.field === field);
      if (v === '') expect(hits, `frame ${n} ${field} absent`).toEqual([]);
      else
        expect(
          hits.some((h) => shows(h.label, v)),
          `frame ${n} ${field}=${v} in ${hits.map((h) => h.label)}`,
        ).toBe(true);
    }
    for (const node of nodes) {
      if (node.start === undefined) continue;
      expect(node.start).toBeGreaterThanOrEqual(0);
      expect(node.start + (node.length ?? 0)).toBeLessThanOrEqual(d.bytes.length);
    }
    const acks = nodes.find((x) => x.field === 'tcp.analysis.acks_frame');
    if (acks) expect(acks.link).toBe(Number(w['tcp.analysis.acks_frame']));
    // Rows: the flag words tshark's flags imply, and the Bad TCP colours.
    const row = rows[n - 1];
    expect(row.length).toBe(Number(w['frame.len']));
    const words = row.flags.join(' ');
    for (const [field, word] of Object.entries(FLAG_WORDS))
      expect(words.includes(`[${word}]`), `frame ${n} ${field}`).toBe(w[field] === '1');
    if (w['tcp.analysis.duplicate_ack'] === '1')
      expect(words).toContain(`[TCP Dup ACK ${w['tcp.analysis.duplicate_ack_frame']}#${w['tcp.analysis.duplicate_ack_num']}]`);
    const retrans =
      w['tcp.analysis.retransmission'] === '1' && !w['tcp.analysis.fast_retransmission'] && !w['tcp.analysis.spurious_retransmission'];
    expect(words.includes('[TCP Retransmission]')).toBe(retrans);
    const flagged =
      Object.keys(w).some((k) => k.startsWith('tcp.analysis.') && k in FLAG_WORDS && w[k] === '1') ||
      w['tcp.analysis.retransmission'] === '1' ||
      w['tcp.analysis.duplicate_ack'] === '1';
    const excluded =
      w['tcp.analysis.window_update'] === '1' || w['tcp.analysis.keep_alive'] === '1' || w['tcp.analysis.keep_alive_ack'] === '1';
    expect(row.colorRule === 'Bad TCP', `frame ${n} colour ${row.colorRule}`).toBe(flagged && !excluded);
    if (row.colorRule === 'Bad TCP') expect([row.background, row.foreground]).toEqual(['#12272e', '#f78787']);
    expect(row.info.startsWith(row.flags.join(' '))).toBe(true);
  }
}

describe('packet detail and rows match tshark, on the captures the project owns', () => {
  for (const name of Object.keys(OWNED).filter((n) => !n.startsWith('bulk_'))) {
    it(name, async () => {
      const path = owned(name);
      await check(await open(name, path), expectedLive(path));
    });
  }

  it('rows requested during a load contain only frames read so far', async () => {
    const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(owned('bulk_loss.pcap'))), 'bulk_loss.pcap'));
    const seen: number[] = [];
    const pending: Promise<void>[] = [];
    await s.load({
      chunkSize: 8192,
      onProgress: (p) => {
        if (!p.done) pending.push(readRows(s, 1, 1e9).then((r) => void seen.push(r.length)));
      },
    });
    await Promise.all(pending);
    expect(seen.length).toBeGreaterThan(1);
    expect(Math.max(...seen)).toBeLessThanOrEqual(s.frameCount);
    expect((await readRows(s, s.frameCount - 2, s.frameCount + 50)).map((r) => r.number)).toEqual([
      s.frameCount - 2,
      s.frameCount - 1,
      s.frameCount,
    ]);
    expect(await readRows(s, 0, 0)).toEqual([]);
    expect(await readDetail(s, s.frameCount + 1)).toBeUndefined();
  });

  it('expert tally counts every frame item by severity', async () => {
    const s = await open('sample.pcap', owned('sample.pcap'));
    const counts = (await expertCounts(s))!;
    // SYNs and SYN/ACKs (chat), dup ACKs and a retransmission (notes).
    expect(counts.chat).toBeGreaterThanOrEqual(2);
    expect(counts.note).toBeGreaterThanOrEqual(3);
    expect(await expertCounts(s, { isCancelled: () => true })).toBeUndefined();
  });

  it('completeness labels follow spec §5.2', () => {
    expect([1, 3, 7, 15, 31, 23, 5].map(completenessLabel)).toEqual([
      'Incomplete, SYN_SENT (1)',
      'Incomplete, CLIENT_ESTABLISHED (3)',
      'Incomplete, ESTABLISHED (7)',
      'Incomplete, DATA (15)',
      'Complete, WITH_DATA (31)',
      'Complete, NO_DATA (23)',
      'Incomplete (5)',
    ]);
  });
});

describe.skipIf(!HAS_SHARED)('packet detail and rows match tshark (corpora)', () => {
  for (const name of FILES) {
    it(name, async () => {
      await check(await open(name), expected(name));
    });
  }
});

describe.skipIf(!HAS_SHARED)('packet-list addresses of a rebuilt IPv6 header (corpora)', () => {
  it('a 6LoWPAN frame without TCP shows the IPv6 addresses tshark rebuilds from IPHC and the MAC addresses', async () => {
    const f = join(CAPTURES, 'real/tcpdump-tests/802_15_4-data.pcap');
    const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(f)), f));
    await s.load();
    const [row] = await readRows(s, 1, 1);
    // tshark -r 802_15_4-data.pcap -T fields -e _ws.col.Source -e _ws.col.Destination
    expect([row.source, row.destination]).toEqual(['fe80::202:2:4002:1002', 'fe80::1205:81:1:1']);
  });
});
