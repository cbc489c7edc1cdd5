import { describe, expect, it } from 'vitest';
import { fixed } from './printf';
import { IoStatBins, IoStatError, formatIoStat, parseFieldValue, parseIoStat, relUs } from './iostat';

describe('parseIoStat', () => {
  it('reads the interval in µs and its decimals as tshark does', () => {
    expect(parseIoStat('io,stat,1')).toMatchObject({ intervalUs: 1e6, prec: 0 });
    expect(parseIoStat('io,stat,0.10')).toMatchObject({ intervalUs: 1e5, prec: 1 });
    expect(parseIoStat('io,stat,1e-1')).toMatchObject({ intervalUs: 1e5, prec: 1 });
    expect(parseIoStat('io,stat,0.0000015')).toMatchObject({ intervalUs: 2, prec: 6 });
    expect(parseIoStat('io,stat,0')).toMatchObject({ intervalUs: 0 });
    expect(parseIoStat('conv,tcp')).toBeUndefined();
    expect(() => parseIoStat('io,stat,0.0000004')).toThrow(IoStatError);
    expect(() => parseIoStat('io,stat,x')).toThrow(IoStatError);
  });
  it('splits columns into filters and functions', () => {
    const s = parseIoStat('io,stat,0.5,AVG(tcp.analysis.ack_rtt)tcp.analysis.ack_rtt,tcp.analysis.flags')!;
    expect(s.columns).toEqual([
      { calc: 'AVG', field: 'tcp.analysis.ack_rtt', filter: 'tcp.analysis.ack_rtt', label: 'AVG(tcp.analysis.ack_rtt)tcp.analysis.ack_rtt' },
      { calc: 'FRAMES', filter: 'tcp.analysis.flags', label: 'tcp.analysis.flags' },
    ]);
    expect(parseIoStat('io,stat,1')!.columns).toEqual([{ calc: 'FRAMES', filter: '', label: 'Frames and bytes' }]);
    expect(() => parseIoStat('io,stat,1,FOO(frame.len)')).toThrow(/unknown function/);
  });
});

describe('times and numbers', () => {
  it('rounds offsets to µs and counts negative ones as 0', () => {
    expect(relUs(1, 499)).toBe(1e6);
    expect(relUs(1, 500)).toBe(1e6 + 1);
    expect(relUs(2, -1000)).toBe(1e6 + 999999);
    expect(relUs(-1, 5)).toBe(0);
  });
  it('prints %.Nf as C does (ties to even on the exact value)', () => {
    expect(fixed(0.125, 2)).toBe('0.12');
    expect(fixed(0.375, 2)).toBe('0.38');
    expect(fixed(0.35199, 1)).toBe('0.4');
    expect(fixed(2.5, 0)).toBe('2');
    expect(fixed(95.0424, 3)).toBe('95.042');
  });
  it('reads relative times to nanoseconds', () => {
    expect(parseFieldValue('0.000021000', 'reltime')).toBe(21000);
    expect(parseFieldValue('3.5', 'reltime')).toBe(3.5e9);
    expect(parseFieldValue('1460', 'int')).toBe(1460);
  });
});

describe('IoStatBins and the text', () => {
  const spec = parseIoStat('io,stat,1')!;
  it('counts a frame earlier than the latest interval in that interval', () => {
    const b = new IoStatBins(spec);
    b.add(0, 0, 60, []);
    b.add(0, 2.5e6, 60, []);
    b.add(0, 1.2e6, 70, []); // time went backwards
    expect([...b.cols[0].frames.subarray(0, b.cols[0].rows)]).toEqual([1, 0, 2]);
    expect(b.cols[0].value[2]).toBe(130);
  });
  it('prints ceil(duration / interval) rows, "Dur" ending the last, and drops a frame exactly at the end', () => {
    const b = new IoStatBins(spec);
    for (const us of [0, 1e6, 3e6]) b.add(0, us, 74, []);
    b.durationUs = 3e6;
    const text = formatIoStat(b, ['int']);
    expect(text).toBe(
      [
        '',
        '=============================',
        '| IO Statistics             |',
        '|                           |',
        '| Duration: 3.     0 secs   |',
        '| Interval: 1 secs          |',
        '|                           |',
        '| Col 1: Frames and bytes   |',
        '|---------------------------|',
        '|          |1               |',
        '| Interval | Frames | Bytes |',
        '|---------------------------|',
        '|  0 <> 1  |      1 |    74 |',
        '|  1 <> 2  |      1 |    74 |',
        '|  2 <> Dur|      0 |     0 |',
        '=============================',
        '',
      ].join('\n'),
    );
  });
  it('spans the whole capture in one row when the interval is not shorter than the capture', () => {
    const b = new IoStatBins(parseIoStat('io,stat,0,MAX(tcp.window_size)tcp.window_size')!);
    b.add(0, 0, 60, [100]);
    b.add(0, 95042400, 60, [65535]);
    b.durationUs = 95042400;
    const lines = formatIoStat(b, ['int']).split('\n');
    expect(lines[4]).toBe('| Duration: 95.0 secs                        |');
    expect(lines[10]).toBe('| Interval     |  MAX  |                     |');
    expect(lines[11]).toBe('|----------------------|                     |');
    expect(lines[12]).toBe('|  0.0 <> 95.0 | 65535 |                     |');
  });
});
