/**
 * The built CLI on bad input (issue 4): every frame before the damage is printed, then the
 * engine's message on stderr and exit 2 as tshark's; files that are not captures say what they look like;
 * nothing ever ends in an internal error. Needs `npm run build:cli` (npm test builds it first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'fflate';
import { conversation, layout, packetBlocks, utf8, writePcap, writePcapng } from '../../test/capture/build';
import { TSHARK } from '../../test/owned';

const root = resolve(__dirname, '../..');
const cli = join(root, 'bin/seqscope.mjs');
let dir = '';

function seqscope(...args: string[]): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [cli, ...args], { timeout: 30_000, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number; killed?: boolean }) | null;
      res({ code: e ? (e.killed ? 'timeout' : (e.code ?? 'error')) : 0, stdout, stderr });
    });
  });
}

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** tshark's exit status for the same arguments (tshark runs live). */
function tsharkStatus(...args: string[]): number | null {
  return spawnSync(TSHARK, args, { stdio: 'ignore' }).status;
}

const lines = (s: string) => s.split('\n').filter((l) => l.length > 0);
const conv = conversation('hello');
const pcap = writePcap(conv);
const recs = layout(pcap).filter((s) => s.frame);
const ng = writePcapng([{ interfaces: [{ linkType: 1 }], blocks: packetBlocks(conv) }]);
const FIELDS = ['-T', 'fields', '-E', 'header=y', '-e', 'frame.number', '-e', 'tcp.seq', '-e', 'tcp.analysis.flags'];

beforeAll(() => {
  expect(existsSync(join(root, 'dist-cli/seqscope.mjs')), 'build the CLI first (npm run build:cli)').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'seqscope-cli-errors-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('damaged captures: frames before the damage, then the message, exit 2 as tshark', () => {
  it('a pcap cut in the middle of frame 6 prints frames 1-5 exactly as the intact file does', async () => {
    const whole = await seqscope('-r', file('whole.pcap', pcap), ...FIELDS);
    expect(whole.code).toBe(0);
    expect(whole.stderr).toBe('');
    const f = file('cut.pcap', pcap.subarray(0, recs[5].start + 30));
    const r = await seqscope('-r', f, ...FIELDS);
    expect(r.code).toBe(2);
    expect(r.code).toBe(tsharkStatus('-r', f));
    expect(lines(r.stdout)).toEqual(lines(whole.stdout).slice(0, 6)); // header + frames 1-5
    expect(r.stderr).toBe(
      `seqscope: ${f}: The file appears to have been cut short in the middle of a packet: frame 6 (the record at byte offset ${recs[5].start}) is incomplete, only 30 of its ${recs[5].end - recs[5].start} bytes are present.\n`,
    );
  });

  it('the default summary output and -q -z expert also keep what came before the damage', async () => {
    const f = file('cut2.pcap', pcap.subarray(0, recs[5].start + 30));
    const r = await seqscope('-r', f);
    expect(r.code).toBe(2);
    expect(lines(r.stdout)).toHaveLength(5);
    expect(r.stderr).toContain('cut short in the middle of a packet: frame 6');
    const z = await seqscope('-r', f, '-q', '-z', 'expert');
    expect(z.code).toBe(2);
    expect(z.stdout).toMatch(/Expert Information|Errors|Warns|Notes|Chats/);
    expect(z.stderr).toContain('frame 6');
  });

  it('a record declaring a gigabyte packet', async () => {
    const b = pcap.slice();
    new DataView(b.buffer).setUint32(recs[3].start + 8, 0x40000000, true);
    const r = await seqscope('-r', file('huge.pcap', b), ...FIELDS);
    expect(r.code).toBe(2);
    expect(lines(r.stdout)).toHaveLength(4);
    expect(r.stderr).toContain(`The file appears to be damaged or corrupt at frame 4 (the record at byte offset ${recs[3].start}): pcap: File has 1073741824-byte packet, bigger than maximum of 262144.`);
  });

  it('pcapng with an interface id out of range, and a gzip file cut short', async () => {
    const b = ng.slice();
    const epb = layout(ng).filter((s) => s.type === 6)[2];
    new DataView(b.buffer).setUint32(epb.start + 8, 9, true);
    const r = await seqscope('-r', file('ifid.pcapng', b), ...FIELDS);
    expect(r.code).toBe(2);
    expect(lines(r.stdout)).toHaveLength(3);
    expect(r.stderr).toContain('frame 3 (the record at byte offset');
    expect(r.stderr).toContain('pcapng: interface index 9 is not less than section interface count 1');
    const z = gzipSync(pcap);
    const gf = file('cut.pcap.gz', z.subarray(0, z.length - 30));
    const g = await seqscope('-r', gf, ...FIELDS);
    expect(g.code).toBe(2);
    expect(g.code).toBe(tsharkStatus('-r', gf));
    expect(g.stderr).toMatch(/of the uncompressed data/);
    expect(g.stderr).not.toMatch(/internal error/);
  });
});

describe('files that are not captures', () => {
  // Exit statuses as tshark 4.0.17's: 2 for "isn't a capture file in a format TShark understands",
  // 0 for data under 8 bytes (tshark reads no frames). tshark reads a PNG as a one-frame MIME "capture"
  // (exit 0): seqscope does not read that format, so it says what the file is and exits 2.
  const cases: [string, Uint8Array, string, number, boolean][] = [
    ['empty.pcap', new Uint8Array(0), 'it looks like an empty file', 0, true],
    ['abc.txt', utf8('abc'), 'it looks like a file too short to be a capture', 0, true],
    ['notes.txt', utf8('tcpdump -w out.pcap\nthen open it\n'), 'it looks like a text file', 2, true],
    ['screenshot.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(40).fill(0)]), 'it looks like a PNG image', 2, false],
    ['captures.zip', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...new Array(40).fill(0)]), 'it looks like a ZIP archive', 2, true],
  ];
  for (const [name, bytes, looks, status, asTshark] of cases) {
    it(`${name}: what it looks like and the formats seqscope reads, exit ${status}, nothing on stdout`, async () => {
      const f = file(name, bytes);
      const r = await seqscope('-r', f);
      expect(r.code).toBe(status);
      if (asTshark) expect(r.code).toBe(tsharkStatus('-r', f));
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`seqscope: ${f}: This is not a capture file: ${looks}. seqscope reads pcap (microsecond or nanosecond, either byte order), pcapng, and either of them gzip-compressed.\n`);
    });
  }

  it('a file that does not exist, and a directory: a clear message and the exit status tshark gives', async () => {
    const missing = await seqscope('-r', join(dir, 'nope.pcap'));
    expect(missing.code).toBe(tsharkStatus('-r', join(dir, 'nope.pcap')));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('could not be opened: The file does not exist.');
    const sub = join(dir, 'adir');
    mkdirSync(sub);
    const d = await seqscope('-r', sub);
    expect(d.code).toBe(tsharkStatus('-r', sub));
    expect(d.stderr).toContain('is a directory, not a capture file');
  });

  it('an unknown link type lists every frame, exit 0', async () => {
    const r = await seqscope('-r', file('lt147.pcap', writePcap(conv, { linkType: 147 })));
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(conv.length);
    expect(r.stderr).toBe('');
  });

  it('frames cut by the snapshot length are decoded as far as they go, exit 0', async () => {
    const cut = conv.map((f) => ({ ...f, data: f.data.subarray(0, 40), origLen: f.data.length }));
    const r = await seqscope('-r', file('snap40.pcap', writePcap(cut, { snapLen: 40 })), ...FIELDS);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(conv.length + 1);
  });
});

describe('CLI manners', () => {
  it('--version (and -v) names the version in package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = await seqscope(flag);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`seqscope ${version} (TCP analysis as tshark 4.0.17 reports it)\n`);
    }
  });

  it('an unknown field: one line with the closest names, exit 1 as tshark', async () => {
    const f = file('ok.pcap', pcap);
    const r = await seqscope('-r', f, '-T', 'fields', '-e', 'tcp.analysis.ack_rt', '-e', 'ip.sorc', '-e', 'nothing.like.it');
    expect(r.code).toBe(tsharkStatus('-r', f, '-T', 'fields', '-e', 'tcp.analysis.ack_rt'));
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('"tcp.analysis.ack_rt" (did you mean tcp.analysis.ack_rtt');
    expect(r.stderr).toContain('"ip.sorc" (did you mean ip.src');
    expect(r.stderr).toContain('"nothing.like.it";');
    expect(r.stderr).not.toContain('tcp.window_size_scalefactor');
  });

  it('the help lists every -T value the parser accepts', async () => {
    const r = await seqscope('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-T fields|json|text');
    const f = file('ok2.pcap', pcap);
    for (const t of ['fields', 'json', 'text']) expect((await seqscope('-r', f, '-T', t, '-e', 'frame.number')).code, t).toBe(0);
    expect((await seqscope('-r', f, '-T', 'pdml')).code).toBe(2);
  });
});
