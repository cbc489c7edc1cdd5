/**
 * `seqscope -T fields` (and `-T json`) prints what `tshark -2 -n` prints, byte for byte, with every
 * field of the conformance sets at once and tshark's default occurrence (all). compare.mjs
 * compares presence fields as present/absent; this test holds the exact text, including
 * fields that occur twice in a frame (tcp.analysis.duplicate_ack prints "1,1").
 * tshark 4.0.17 runs live (installed by `npm test`'s ensure-deps).
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
// @ts-expect-error plain JavaScript module from the shared conformance kit
import { SETS } from '../../../shared/conformance/fields.mjs';

const root = resolve(__dirname, '../..');
const cli = join(root, 'bin/seqscope.mjs');
const captures = resolve(root, '../shared/captures');

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((res, rej) =>
    execFile(cmd, args, { timeout: 120_000, maxBuffer: 1 << 28 }, (err, stdout, stderr) => (err ? rej(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`)) : res(stdout))),
  );
}

const fields = (SETS.all as string[]).flatMap((f) => ['-e', f]);

describe('-T fields output equals tshark -2 -n byte for byte', () => {
  it.each([
    'crafted_dupack_then_slow_retransmission_ipv4.pcap',
    'crafted_zero_window_probes_ipv4.pcap',
    'real_reorder_emulated_rtt20ms_ipv4.pcap',
  ])('%s', async (name) => {
    const f = join(captures, name);
    const [ours, theirs] = await Promise.all([run(process.execPath, [cli, '-r', f, '-T', 'fields', ...fields]), run('tshark', ['-2', '-n', '-r', f, '-T', 'fields', ...fields])]);
    expect(theirs.length).toBeGreaterThan(0);
    expect(ours).toBe(theirs);
  });

  it('-T json output equals tshark -2 -n byte for byte (output larger than the CLI write buffer)', async () => {
    const f = join(captures, 'real_reorder_emulated_rtt20ms_ipv4.pcap');
    const [ours, theirs] = await Promise.all([run(process.execPath, [cli, '-r', f, '-T', 'json', ...fields]), run('tshark', ['-2', '-n', '-r', f, '-T', 'json', ...fields])]);
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
