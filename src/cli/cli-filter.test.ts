/**
 * seqscope -Y through the built CLI: the frames tshark -2 -n -Y prints (the conversation of
 * test/capture/build: handshake, data both ways with one retransmission, FIN both ways), a filter
 * that does not compile → tshark's message and a caret on stderr, exit 2, nothing on stdout (checked
 * before the file is even opened), -z expert counting every frame whatever -Y says (as tshark 4.0.17
 * does), and --list-fields in tshark -G fields style. Needs `npm run build:cli`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { conversation, writePcap } from '../../test/capture/build';

const cli = join(resolve(__dirname, '../..'), 'bin/seqscope.mjs');
let dir = '';
let cap = '';

function seqscope(...args: string[]): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [cli, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number }) | null;
      res({ code: e ? (e.code ?? 'error') : 0, stdout, stderr });
    });
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqscope-filter-'));
  cap = join(dir, 'conv.pcap');
  writeFileSync(cap, writePcap(conversation('hello')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('seqscope -Y', () => {
  it('prints the matching frames only, with their own numbers', async () => {
    const r = await seqscope('-r', cap, '-Y', 'tcp.analysis.retransmission || tcp.flags.fin == 1', '-T', 'fields', '-E', 'header=y', '-e', 'frame.number');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('frame.number\n5\n7\n8\n');
  });
  it('a filter that matches nothing still prints the header', async () => {
    const r = await seqscope('-r', cap, '-Y', 'udp', '-T', 'fields', '-E', 'header=y', '-e', 'frame.number');
    expect([r.code, r.stdout]).toEqual([0, 'frame.number\n']);
  });
  it("a bad filter: tshark's message and a caret under the fault on stderr, exit 2, nothing on stdout", async () => {
    const r = await seqscope('-r', join(dir, 'missing.pcap'), '-Y', 'tcp.port in {80 443}', '-T', 'fields', '-E', 'header=y', '-e', 'frame.number');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('seqscope: "443" was unexpected in this context.\n    tcp.port in {80 443}\n                    ^~~\n');
  });
  it('-z expert counts every frame whatever -Y selects (tshark 4.0.17 does the same)', async () => {
    const all = await seqscope('-r', cap, '-q', '-z', 'expert');
    const some = await seqscope('-r', cap, '-q', '-z', 'expert', '-Y', 'frame.number == 1');
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('retransmission');
    expect(some.stdout).toBe(all.stdout);
  });
  it('--list-fields lists the registry in tshark -G fields style', async () => {
    const r = await seqscope('--list-fields');
    const lines = r.stdout.split('\n');
    expect(lines).toContain('F\tThe RTT to ACK the segment was\ttcp.analysis.ack_rtt\tFT_RELATIVE_TIME\ttcp');
    expect(lines).toContain('P\tTransmission Control Protocol\ttcp');
  });
});
