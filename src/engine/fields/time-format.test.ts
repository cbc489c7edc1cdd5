/**
 * The Time column's formats (time-format.ts) against tshark 4.0.17 run live on the bundled
 * sample: each format is the text of the tshark field it names, frame by frame.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaptureSession, MemorySource, readRows, readRowsOf } from '../index';
import { SAMPLE, tsharkFields } from '../../../test/owned';
import { seqscope, tshark } from '../../../test/run-cli';
import { fmtAbsTime, fmtTimeOfDay } from './format';
import { refBefore, TIME_FORMATS, type TimeFormat } from './time-format';

async function session(): Promise<CaptureSession> {
  const s = new CaptureSession(new MemorySource(readFileSync(SAMPLE), 'sample.pcap'));
  await s.load();
  return s;
}

const texts = async (s: CaptureSession, format: TimeFormat, refs: number[] = []) =>
  (await readRows(s, 1, s.frames.count, { time: { format, refs }, columns: [] })).map((r) => r.timeText);

/** Nanoseconds since the epoch of tshark's frame.time_epoch text. */
const epochNs = (t: string) => BigInt(t.replace('.', ''));
const relText = (ns: bigint) => (ns < 0n ? '-' : '') + (ns < 0n ? -ns : ns).toString().padStart(10, '0').replace(/(\d{9})$/, '.$1');

describe('time display formats equal tshark fields', () => {
  const want = tsharkFields(SAMPLE, ['frame.number', 'frame.time_relative', 'frame.time_delta', 'frame.time', 'frame.time_epoch'], [], { TZ: 'UTC' });

  it('seconds since the beginning, since the previous captured frame, epoch, UTC date and time', async () => {
    const s = await session();
    expect(want.length).toBe(s.frames.count);
    expect(await texts(s, 'rel')).toEqual(want.map((r) => r['frame.time_relative']));
    expect(await texts(s, 'delta')).toEqual(want.map((r) => r['frame.time_delta']));
    expect(await texts(s, 'epoch')).toEqual(want.map((r) => r['frame.time_epoch']));
    expect(await texts(s, 'abs')).toEqual(want.map((r) => r['frame.time']));
    // tshark's frame.time in UTC: "Jan 15, 2024 10:08:20.005000000 UTC" → its time of day.
    expect(await texts(s, 'tod_utc')).toEqual(want.map((r) => r['frame.time'].split(' ')[3]));
  });

  it('local time of day is the time part of frame.time in the local time zone', async () => {
    const s = await session();
    const tz = 'America/New_York';
    const local = tsharkFields(SAMPLE, ['frame.time'], [], { TZ: tz });
    const saved = process.env.TZ;
    process.env.TZ = tz;
    try {
      expect(await texts(s, 'tod')).toEqual(local.map((r) => r['frame.time'].split(' ')[3]));
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('local date and time is frame.time in the local time zone, with its abbreviation (several zones)', async () => {
    const s = await session();
    const saved = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/New_York', 'Europe/Paris', 'Asia/Kolkata', 'America/Sao_Paulo', 'Australia/Adelaide', 'Asia/Tokyo']) {
        const local = tsharkFields(SAMPLE, ['frame.time'], [], { TZ: tz });
        process.env.TZ = tz;
        expect(await texts(s, 'abs_local'), tz).toEqual(local.map((r) => r['frame.time']));
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('since the previous displayed frame (tshark -Y)', async () => {
    const s = await session();
    const shown = tsharkFields(SAMPLE, ['frame.number', 'frame.time_delta_displayed'], ['-Y', 'tcp.len > 0']);
    expect(shown.length).toBeGreaterThan(5);
    const frames = shown.map((r) => Number(r['frame.number']));
    const prev = new Map(frames.map((n, i) => [n, i ? frames[i - 1] : 0]));
    const rows = await readRowsOf(s, frames, { time: { format: 'delta_dis', refs: [] }, columns: [] }, (n) => prev.get(n) ?? 0);
    expect(rows.map((r) => r.timeText)).toEqual(shown.map((r) => r['frame.time_delta_displayed']));
    // Without a filter every frame is displayed: the previous captured one.
    expect(await texts(s, 'delta_dis')).toEqual(want.map((r) => r['frame.time_delta']));
  });

  it('the CLI prints the same time fields as tshark, with and without -Y (needs npm run build:cli)', async () => {
    const fields = ['frame.number', 'frame.time_relative', 'frame.time_delta', 'frame.time_delta_displayed', 'frame.time_epoch'].flatMap((f) => ['-e', f]);
    for (const y of [[], ['-Y', 'tcp.len > 0'], ['-Y', 'frame.number > 3 && tcp.flags.syn == 1']]) {
      const args = ['-r', SAMPLE, '-T', 'fields', ...y, ...fields];
      expect(await seqscope(args), y.join(' ')).toBe(await tshark(['-2', '-n', ...args]));
    }
  });

  it('a time reference shows *REF* in every format, and relative times count from the latest one', async () => {
    const s = await session();
    const refs = [3, 7];
    for (const f of TIME_FORMATS) {
      const got = await texts(s, f.id, refs);
      expect(got[2], f.id).toBe('*REF*');
      expect(got[6], f.id).toBe('*REF*');
      if (f.id !== 'rel') expect(got[4], f.id).toBe((await texts(s, f.id))[4]);
    }
    const got = await texts(s, 'rel', refs);
    want.forEach((r, i) => {
      const n = i + 1;
      if (refs.includes(n)) return;
      const from = refBefore(refs, n) || 1;
      expect(got[i], `frame ${n}`).toBe(relText(epochNs(r['frame.time_epoch']) - epochNs(want[from - 1]['frame.time_epoch'])));
    });
  });

  it('absolute formats of times before 1970 and with unnormalised nanoseconds', () => {
    expect(fmtAbsTime(0, 0)).toBe('Jan  1, 1970 00:00:00.000000000 UTC');
    expect(fmtTimeOfDay(-1, 500_000_000, true)).toBe('23:59:59.500000000');
    expect(fmtTimeOfDay(10, 1_500_000_000, true)).toBe('00:00:11.500000000');
  });
});
