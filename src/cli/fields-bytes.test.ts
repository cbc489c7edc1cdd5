/**
 * `seqscope -T fields` (and `-T json`) prints what `tshark -2 -n` prints, byte for byte, with every
 * field of the conformance sets at once and tshark's default occurrence (all). compare.mjs
 * compares presence fields as present/absent; this test holds the exact text, including
 * fields that occur twice in a frame (tcp.analysis.duplicate_ack prints "1,1").
 * tshark 4.0.17 runs live (installed by `npm test`'s ensure-deps).
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { CAPTURES as captures, CONFORMANCE, HAS_SHARED, REPO as root } from '../../test/corpora';
import { ANALYSIS_FIELDS } from '../../test/harness';
import { owned, TSHARK } from '../../test/owned';

const cli = join(root, 'bin/seqscope.mjs');

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((res, rej) =>
    execFile(cmd, args, { timeout: 120_000, maxBuffer: 1 << 28 }, (err, stdout, stderr) => (err ? rej(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`)) : res(stdout))),
  );
}

const SETS = HAS_SHARED ? ((await import(join(CONFORMANCE, 'fields.mjs'))) as { SETS: { all: string[] } }).SETS : { all: [] };
const fields = SETS.all.flatMap((f) => ['-e', f]);

/** The decode fields of the conformance kit, named here so the owned captures need no kit. */
const DECODE_FIELDS = ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.hdr_len', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.window_size_value', 'tcp.options.mss_val', 'tcp.options.wscale.shift'];
const ownedFields = [...DECODE_FIELDS, ...ANALYSIS_FIELDS].flatMap((f) => ['-e', f]);

describe('-T fields output equals tshark -2 -n byte for byte, on the captures the project owns', () => {
  it.each(['sample.pcap', 'b_retransmissions_dupacks_lost.pcap', 'g_out_of_order.pcap', 'a_ipv4_sll2.pcapng', 'b_gzip.pcap.gz'] as const)('%s', async (name) => {
    const f = owned(name);
    const [ours, theirs] = await Promise.all([run(process.execPath, [cli, '-r', f, '-T', 'fields', ...ownedFields]), run(TSHARK, ['-2', '-n', '-r', f, '-T', 'fields', ...ownedFields])]);
    expect(theirs.split('\n').length).toBeGreaterThan(8);
    expect(ours).toBe(theirs);
  });

  it('-T json output equals tshark -2 -n byte for byte (output larger than the CLI write buffer)', async () => {
    const f = owned('bulk_loss.pcap');
    const [ours, theirs] = await Promise.all([run(process.execPath, [cli, '-r', f, '-T', 'json', ...ownedFields]), run(TSHARK, ['-2', '-n', '-r', f, '-T', 'json', ...ownedFields])]);
    expect(theirs.length).toBeGreaterThan(256 * 1024);
    expect(ours).toBe(theirs);
  });

  it('prints both occurrences of tcp.analysis.duplicate_ack, or the first with -E occurrence=f', async () => {
    const f = owned('sample.pcap');
    const all = await run(process.execPath, [cli, '-r', f, '-T', 'fields', '-e', 'tcp.analysis.duplicate_ack']);
    expect(all.split('\n')).toContain('1,1');
    const first = await run(process.execPath, [cli, '-r', f, '-T', 'fields', '-E', 'occurrence=f', '-e', 'tcp.analysis.duplicate_ack']);
    expect(first.split('\n')).toContain('1');
    expect(first).not.toContain('1,1');
  });
});

describe.skipIf(!HAS_SHARED)('-T fields output equals tshark -2 -n byte for byte (corpora)', () => {
  it.each([
    'crafted_dupack_then_slow_retransmission_ipv4.pcap',
    'crafted_zero_window_probes_ipv4.pcap',
    'real_reorder_emulated_rtt20ms_ipv4.pcap',
  ])('%s', async (name) => {
    const f = join(captures, name);
    const [ours, theirs] = await Promise.all([run(process.execPath, [cli, '-r', f, '-T', 'fields', ...fields]), run(TSHARK, ['-2', '-n', '-r', f, '-T', 'fields', ...fields])]);
    expect(theirs.length).toBeGreaterThan(0);
    expect(ours).toBe(theirs);
  });

  it('-T json output equals tshark -2 -n byte for byte (output larger than the CLI write buffer)', async () => {
    const f = join(captures, 'real_reorder_emulated_rtt20ms_ipv4.pcap');
    const [ours, theirs] = await Promise.all([run(process.execPath, [cli, '-r', f, '-T', 'json', ...fields]), run(TSHARK, ['-2', '-n', '-r', f, '-T', 'json', ...fields])]);
    expect(theirs.length).toBeGreaterThan(256 * 1024);
    expect(ours).toBe(theirs);
  });

  it('prints both occurrences of tcp.analysis.duplicate_ack, or the first with -E occurrence=f', async () => {
    const f = join(captures, 'crafted_dupack_then_slow_retransmission_ipv4.pcap');
    const all = await run(process.execPath, [cli, '-r', f, '-T', 'fields', '-e', 'tcp.analysis.duplicate_ack']);
    expect(all.split('\n')).toContain('1,1');
    const first = await run(process.execPath, [cli, '-r', f, '-T', 'fields', '-E', 'occurrence=f', '-e', 'tcp.analysis.duplicate_ack']);
    expect(first.split('\n')).toContain('1');
    expect(first).not.toContain('1,1');
  });
});
