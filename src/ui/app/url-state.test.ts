import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { captureUrlParam, formatFrameList, parseFrameList, parseFragment, resolveCaptureUrl, sameView, serializeFragment, viewLink, type ViewState } from './url-state';

describe('fragment', () => {
  it('reads every key, with or without the #', () => {
    const v = parseFragment('#frame=42&scroll=30&stream=0&filter=tcp.port%20%3D%3D%2080&url=https%3A%2F%2Fexample.org%2Fa%20b.pcap');
    expect(v).toEqual({ frame: 42, scroll: 30, stream: 0, filter: 'tcp.port == 80', url: 'https://example.org/a b.pcap' });
    expect(parseFragment('frame=7')).toEqual({ frame: 7 });
  });

  it('ignores bad numbers and unknown keys', () => {
    expect(parseFragment('#frame=0&scroll=-3&stream=x&foo=1')).toEqual({});
    expect(parseFragment('#frame=1e3&scroll=2.5')).toEqual({});
    expect(parseFragment('#frame=99999999999')).toEqual({});
    expect(parseFragment('')).toEqual({});
    expect(parseFragment('#')).toEqual({});
  });

  it('reads the Diagnoses panel: open, or the stream of its card', () => {
    expect(parseFragment('#diag=open')).toEqual({ diag: 'open' });
    expect(parseFragment('#filter=tcp.stream%20eq%203&diag=3')).toEqual({ filter: 'tcp.stream eq 3', diag: 3 });
    expect(parseFragment('#diag=0')).toEqual({ diag: 0 });
    expect(parseFragment('#diag=closed&diag2=1')).toEqual({});
    expect(serializeFragment({ diag: 2, filter: 'tcp.stream eq 2' })).toBe('#filter=tcp.stream+eq+2&diag=2');
  });

  it('reads and writes the stream shown by Follow TCP Stream (stream indexes start at 0)', () => {
    expect(parseFragment('#frame=4&stream=3')).toEqual({ frame: 4, stream: 3 });
    expect(parseFragment('#stream=0')).toEqual({ stream: 0 });
    for (const bad of ['-1', '1.5', '', 'open', '0x2', '99999999999']) expect(parseFragment(`#stream=${bad}`), bad).toEqual({});
    expect(serializeFragment({ filter: 'tcp', stream: 2, frame: 9 })).toBe('#frame=9&stream=2&filter=tcp');
    expect(sameView({ frame: 1, stream: 1 }, { frame: 1 })).toBe(false);
    expect(sameView({ stream: 1 }, { stream: 2 })).toBe(false);
  });

  it('reads and writes the graphs panel: kind, stream and direction, zoom', () => {
    expect(parseFragment('#graph=tcptrace%3A3%3A1')).toEqual({ graph: { kind: 'tcptrace', stream: 3, dir: 1 } });
    expect(parseFragment('#graph=io')).toEqual({ graph: { kind: 'io' } });
    expect(parseFragment('#graph=rtt:0:0@0.5,1.25,-3,40')).toEqual({ graph: { kind: 'rtt', stream: 0, dir: 0, zoom: { x0: 0.5, x1: 1.25, y0: -3, y1: 40 } } });
    for (const bad of ['pie', 'tcptrace:3', 'tcptrace:-1:0', 'tcptrace:1:2', 'io@1,0,0,1', 'io@0,1,2', 'io@0,1,0,x', 'TCPTRACE', 'stevens:1:0@@0,1,0,1'])
      expect(parseFragment(`#graph=${encodeURIComponent(bad)}`), bad).toEqual({});
    const v: ViewState = { frame: 7, graph: { kind: 'wscale', stream: 12, dir: 1, zoom: { x0: 0.123456789012, x1: 2, y0: 0, y1: 65535 } } };
    const back = parseFragment(serializeFragment(v));
    expect(back.graph?.zoom?.x0).toBeCloseTo(0.123456789, 9);
    expect({ ...back, graph: { ...back.graph, zoom: undefined } }).toEqual({ ...v, graph: { ...v.graph, zoom: undefined } });
    expect(sameView({ graph: { kind: 'io' } }, { graph: { kind: 'stevens', stream: 0, dir: 0 } })).toBe(false);
  });

  it('reads and writes marked and time-reference frames as ranges', () => {
    expect(parseFragment('#marks=3,7-9&refs=5')).toEqual({ marks: [3, 7, 8, 9], refs: [5] });
    const v: ViewState = { frame: 2, marks: [1, 2, 3, 10], refs: [4] };
    expect(parseFragment(serializeFragment(v))).toEqual(v);
    expect(formatFrameList([1, 2, 3, 10, 12, 13])).toBe('1-3,10,12-13');
    expect(parseFrameList('9,3,3')).toEqual([3, 9]);
    for (const bad of ['0', '5-3', '1,,2', 'a', '-4', '1-99999999', '']) expect(parseFrameList(bad), bad).toBeUndefined();
    expect(serializeFragment({ marks: [] })).toBe('');
    expect(sameView({ marks: [1, 2] }, { marks: [1, 2] })).toBe(true);
    expect(sameView({ marks: [1, 2] }, { marks: [1] })).toBe(false);
  });

  it('writes keys in a fixed order and nothing for an empty view', () => {
    expect(serializeFragment({ url: 'https://h/x.pcap', frame: 3 })).toBe('#frame=3&url=https%3A%2F%2Fh%2Fx.pcap');
    expect(serializeFragment({})).toBe('');
    expect(serializeFragment({ filter: '' })).toBe('');
    expect(serializeFragment({ stream: 0 })).toBe('#stream=0');
  });

  it('reads and writes the capture a view is for: name, size and fingerprint, all three or none', () => {
    const v = { frame: 9, file: 'my capture #2.pcap', size: 1234567, hash: '0123456789ab' };
    expect(serializeFragment(v)).toBe('#frame=9&file=my+capture+%232.pcap&size=1234567&hash=0123456789ab');
    expect(parseFragment(serializeFragment(v))).toEqual(v);
    expect(parseFragment('#frame=9&file=a.pcap&size=12')).toEqual({ frame: 9 });
    expect(parseFragment('#file=a.pcap&size=12&hash=XYZ')).toEqual({});
    expect(parseFragment('#file=a.pcap&size=-3&hash=0123456789ab')).toEqual({});
  });

  it('round-trips any view', () => {
    const pos = fc.integer({ min: 1, max: 2 ** 31 });
    const view = fc.record(
      { frame: pos, scroll: pos, stream: fc.integer({ min: 0, max: 2 ** 31 }), filter: fc.string({ minLength: 1 }), diag: fc.oneof(fc.constant('open' as const), fc.integer({ min: 0, max: 2 ** 31 })), url: fc.webUrl() },
      { requiredKeys: [] },
    );
    const capture = fc.option(fc.record({ file: fc.string({ minLength: 1, maxLength: 200 }), size: pos, hash: fc.stringMatching(/^[0-9a-f]{12}$/) }), { nil: undefined });
    fc.assert(
      fc.property(view, capture, (w: ViewState, c) => {
        const v: ViewState = c ? { ...w, ...c } : w;
        const back = parseFragment(serializeFragment(v));
        expect(back).toEqual(v);
        expect(sameView(back, v)).toBe(true);
      }),
    );
  });

  it('compares views key by key', () => {
    expect(sameView({ frame: 1 }, { frame: 1 })).toBe(true);
    expect(sameView({ frame: 1 }, { frame: 1, scroll: 1 })).toBe(false);
  });
});

describe('capture URL', () => {
  it('takes #url= before ?url=', () => {
    expect(captureUrlParam({ search: '?url=a.pcap', hash: '#url=b.pcap' })).toBe('b.pcap');
    expect(captureUrlParam({ search: '?url=a.pcap', hash: '#frame=2' })).toBe('a.pcap');
    expect(captureUrlParam({ search: '?test', hash: '' })).toBeUndefined();
    expect(captureUrlParam({ search: '?url=', hash: '' })).toBeUndefined();
  });

  it('resolves relative URLs against the page and drops their fragment', () => {
    expect(resolveCaptureUrl('caps/x.pcap#y', 'https://h.example/tools/seqscope/?url=z')).toEqual({ ok: true, url: 'https://h.example/tools/seqscope/caps/x.pcap' });
    expect(resolveCaptureUrl(' http://127.0.0.1:9/x.pcap ', 'https://h/')).toEqual({ ok: true, url: 'http://127.0.0.1:9/x.pcap' });
  });

  it('refuses URLs that carry the bytes or cannot be fetched', () => {
    const data = resolveCaptureUrl('data:application/octet-stream;base64,AAAA', 'https://h/');
    expect(data.ok).toBe(false);
    expect(!data.ok && data.message).toMatch(/cannot carry the capture/);
    expect(resolveCaptureUrl('blob:https://h/1234', 'https://h/').ok).toBe(false);
    const ftp = resolveCaptureUrl('ftp://h/x.pcap', 'https://h/');
    expect(!ftp.ok && ftp.message).toMatch(/Only http and https/);
    const bad = resolveCaptureUrl('http://[::1', 'https://h/');
    expect(!bad.ok && bad.message).toMatch(/not a valid URL/);
  });
});

describe('viewLink', () => {
  it('keeps path and query, moves ?url= into the fragment', () => {
    expect(viewLink('https://h/tools/seqscope/?url=https%3A%2F%2Fc%2Fx.pcap#frame=1', { frame: 9, url: 'https://c/x.pcap' })).toBe(
      'https://h/tools/seqscope/#frame=9&url=https%3A%2F%2Fc%2Fx.pcap',
    );
    expect(viewLink('https://h/index.html?lang=en#old', { frame: 2, scroll: 1 })).toBe('https://h/index.html?lang=en#frame=2&scroll=1');
    expect(viewLink('https://h/', {})).toBe('https://h/');
    expect(viewLink('https://h/?test&url=x.pcap&a=1%202', { frame: 1 })).toBe('https://h/?test&a=1%202#frame=1');
    expect(viewLink('https://h/?url=x.pcap', {})).toBe('https://h/');
  });
});

describe('colors= (Colorize Conversation)', () => {
  it('round-trips slot:stream pairs, by slot', () => {
    const v = parseFragment('#frame=2&colors=4%3A7,1%3A3');
    expect(v.colors).toEqual([
      { slot: 1, stream: 3 },
      { slot: 4, stream: 7 },
    ]);
    expect(serializeFragment(v)).toBe('#frame=2&colors=1%3A3%2C4%3A7');
    expect(parseFragment(serializeFragment(v))).toEqual(v);
  });
  it('ignores a malformed list: slot outside 1..10, a slot twice, junk', () => {
    for (const bad of ['0:1', '11:1', '1:1,1:2', '1:-1', '1:', 'a:b', '1:2,,3:4']) expect(parseFragment(`#colors=${encodeURIComponent(bad)}`).colors, bad).toBeUndefined();
  });
});
