/**
 * Fuzzing in `npm test` (issue 4): a bounded, deterministic run of scripts/fuzz.mjs — a few
 * thousand mutants of the built-in and shared captures (bit flips, corrupted length fields,
 * truncation at and inside every kind of record, gigabyte lengths, zero-length blocks, interface
 * ids out of range, byte-order flips, duplicated/removed IDBs, gzip damage), each checked against
 * every bad-input rule in the engine (in a worker thread with a hang watchdog) and a sample
 * through the built CLI. Then every named fixture in test/fixtures/malformed.
 * The long run is `npm run fuzz`.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkCapture } from '../../test/capture/check';
import { MUTATORS } from '../../test/capture/mutate';

const root = resolve(__dirname, '../..');
const cli = join(root, 'bin/seqscope.mjs');
const fixtures = join(root, 'test/fixtures/malformed');

function run(file: string, args: string[], timeout: number): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [file, ...args], { timeout, maxBuffer: 1 << 26, cwd: root }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number; killed?: boolean }) | null;
      res({ code: e ? (e.killed ? 'timeout' : (e.code ?? 'error')) : 0, stdout, stderr });
    });
  });
}

describe('fuzz (bounded run)', () => {
  it('3000 mutants, seed 20240: every bad-input rule holds for every mutant', { timeout: 240_000 }, async () => {
    expect(existsSync(join(root, 'dist-cli/seqscope.mjs')), 'build the CLI first (npm run build:cli)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'seqscope-fuzz-test-'));
    try {
      const json = join(dir, 'summary.json');
      const r = await run(join(root, 'scripts/fuzz.mjs'), ['--count', '3000', '--seed', '20240', '--cli-every', '60', '--json', json, '--save', join(dir, 'failures')], 230_000);
      const s = JSON.parse(readFileSync(json, 'utf8')) as {
        mutants: number;
        cliRuns: number;
        kinds: Record<string, { tried: number; errors: number; frames: number }>;
        failures: { index: number; kind: string; seed: string; problems: string[] }[];
      };
      expect(s.failures.map((f) => `mutant ${f.index} (${f.kind} of ${f.seed}): ${f.problems.join('; ')}`)).toEqual([]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(s.mutants).toBeGreaterThan(2000);
      expect(s.cliRuns).toBeGreaterThan(20);
      for (const k of MUTATORS) expect(s.kinds[k]?.tried ?? 0, k).toBeGreaterThan(50);
      // The mutators that always damage a capture are all reported as damage.
      for (const k of ['huge-length', 'truncate-inside', 'iface-out-of-range', 'idb-remove'] as const) expect(s.kinds[k].errors, k).toBe(s.kinds[k].tried);
      for (const k of ['truncate-boundary', 'idb-duplicate', 'pcap-orig-len'] as const) expect(s.kinds[k].errors, k).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('named fixtures (test/fixtures/malformed)', () => {
  const readme = readFileSync(join(fixtures, 'README.md'), 'utf8');
  const listed = [...readme.matchAll(/^- `([^`]+)` — .*Expect: (\d+) frames, (no error|error "([^"]+)")\.$/gm)].map((m) => ({ file: m[1], frames: Number(m[2]), error: m[4] }));
  const files = readdirSync(fixtures).filter((f) => f !== 'README.md');

  it('every fixture has a README line saying what it is and what to expect', () => {
    expect(listed.map((l) => l.file).sort()).toEqual(files.sort());
  });

  for (const f of listed) {
    it(`${f.file}: ${f.frames} frames, ${f.error ? `"${f.error}"` : 'no error'} — engine and CLI`, async () => {
      const bytes = new Uint8Array(readFileSync(join(fixtures, f.file)));
      const c = await checkCapture(bytes, { smallChunk: 7 });
      expect(c.problems).toEqual([]);
      expect(c.frames).toBe(f.frames);
      if (f.error) expect(c.result!.error?.message).toContain(f.error);
      else expect(c.result!.error).toBeUndefined();
      const r = await run(cli, ['-r', join(fixtures, f.file), '-T', 'fields', '-e', 'frame.number'], 30_000);
      expect(r.code).toBe(f.error ? 2 : 0); // tshark's status for a damaged file
      expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(f.frames);
      if (f.error) expect(r.stderr).toContain(f.error);
    });
  }
});
