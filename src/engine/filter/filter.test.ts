/**
 * Display filters, piece by piece: lexer, parser (precedence, sets, slices, errors with their
 * place), type check (tshark's messages), literals, the evaluator on built captures (multi-valued
 * semantics, functions, arithmetic, slices), the regex engine, and bad input in bounded time.
 */
import { describe, expect, it } from 'vitest';
import { Conn, utf8, writePcap, type Record_ } from '../../../test/capture/build';
import { CaptureSession, MemorySource } from '../index';
import { getField, listFields, registerFields } from '../fields/registry';
import { compileFilter, filterFrames, matchesColumns, type CompiledFilter } from './index';
import { lex, parse, FilterError } from './parser';
import { parseByteString, parseEther, parseInteger, parseIpv6 } from './literals';
import { compileRegex, RegexError } from './regex';

const ok = (t: string): CompiledFilter => {
  const r = compileFilter(t);
  if (!r.ok) throw new Error(`${t}: ${r.error.message}`);
  return r.filter;
};
const err = (t: string) => {
  const r = compileFilter(t);
  if (r.ok) throw new Error(`${t}: compiled`);
  return r.error;
};

describe('lexer', () => {
  it('splits words, operators, strings with escapes, slices and ranges', () => {
    const toks = lex('tcp.port in {80, 7000..8000} && eth.src[0:3] == 00:0c:29 || s == "a\\u00b7\\x41\\"\\101"');
    expect(toks.map((t) => t.v)).toEqual([
      'tcp.port',
      'in',
      '{',
      '80',
      ',',
      '7000',
      '..',
      '8000',
      '}',
      '&&',
      'eth.src',
      '0:3',
      '==',
      '00:0c:29',
      '||',
      's',
      '==',
      'a\u00b7A"A',
      '',
    ]);
    expect(toks.find((t) => t.k === 'slice')).toMatchObject({ s: 39, e: 44 });
  });
  it('refuses an unterminated string and stray characters, saying where', () => {
    expect(() => lex('frame contains "abc')).toThrow(FilterError);
    const e = (() => {
      try {
        lex('tcp @ 1');
      } catch (x) {
        return x as FilterError;
      }
    })();
    expect([e?.message, e?.start]).toEqual(['"@" was unexpected in this context.', 4]);
  });
});

describe('parser', () => {
  it('binds not tighter than and, and tighter than or', () => {
    const n = parse('a or b and not c');
    expect(n.t).toBe('or');
    if (n.t !== 'or') return;
    expect(n.b.t).toBe('and');
    if (n.b.t === 'and') expect(n.b.b.t).toBe('not');
  });
  it('arithmetic: * before +, & loosest, { } groups', () => {
    const n = parse('a + b * c & 3 == {a + b} * c');
    if (n.t !== 'rel') throw new Error();
    expect(n.a.t === 'arith' && n.a.op).toBe('&');
    expect(n.b.t === 'arith' && n.b.op).toBe('*');
  });
  it('slices: [i:j] [i-j] [i] [-n:] [i:] and lists', () => {
    const n = parse('x[1:2,3-5,7,-2:,4:] == 1');
    if (n.t !== 'rel' || n.a.t !== 'slice') throw new Error();
    expect(n.a.ranges).toEqual([
      { start: 1, len: 2 },
      { start: 3, len: 3 },
      { start: 7, len: 1 },
      { start: -2, len: undefined },
      { start: 4, len: undefined },
    ]);
  });
  it("4.0's errors: sets without commas, xor, unfinished expressions", () => {
    expect(err('tcp.port in {80 443 8080}')).toMatchObject({ message: '"443" was unexpected in this context.', start: 16, end: 19 });
    expect(err('tcp xor udp').message).toBe('"xor" was unexpected in this context.');
    expect(err('tcp.seq > 1 &&').message).toBe('Unexpected end of filter expression.');
    expect(err('(tcp.port == 80').message).toBe('Unexpected end of filter expression.');
    expect(err('').message).toBe('Unexpected end of filter expression.');
  });
});

describe('type check (tshark 4.0.17 messages)', () => {
  it.each([
    ['ip.addr == "abc"', 'IPv4 address cannot be converted from a string ("abc").'],
    ['tcp.port == 70000', '"70000" too big for this field, maximum 65535.'],
    ['tcp.flags.syn == true', '"true" cannot be found among the possible values for tcp.flags.syn.'],
    ['tcp.analysis.retransmission == 1', 'tcp.analysis.retransmission (type=Label) cannot participate in == comparison.'],
    ['tcp.foo', 'tcp.foo is neither a field nor a protocol name.'],
    ['ip.addr == 1.2.3.4/33', 'Netmask bits in a CIDR IPv4 address should be <= 32, not 33'],
    ['eth.src == 00:11:22:33:44', '"00:11:22:33:44" contains too few bytes to be a valid Ethernet address.'],
    ['tcp.len contains 5', 'tcp.len (type=Unsigned integer (4 bytes)) cannot participate in contains comparison.'],
    ['upper(tcp.port) == 80', 'Only string type fields can be used as parameter for upper()'],
    ['frame.time_relative > 1s', '"1s" is not a valid time.'],
    ['frame[12:2] == 0x0800', '"0x0800" is not a valid byte string.'],
    ['ip[2:2] == ip.len', '"ip.len" is a Unsigned integer (2 bytes) and cannot be converted into a sequence of bytes.'],
    ['frame.time > 1700000000', '"1700000000" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"'],
  ])('%s', (t, m) => expect(err(t).message).toBe(m));
  it("types that do not meet: tshark's words, the caret under the right side", () => {
    const e = err('frame.protocols contains eth');
    expect([e.message, e.start]).toEqual(['frame.protocols and eth are not of compatible types.', 25]);
  });
  it('places the fault: the caret range covers the bad literal', () => {
    const e = err('tcp.port == 70000');
    expect('tcp.port == 70000'.slice(e.start, e.end)).toBe('70000');
  });
  it('knows which filters need no re-read', () => {
    expect(ok('tcp.analysis.flags && tcp.stream == 17').columnOnly).toBe(true);
    expect(ok('frame.len > 1000 && tcp.flags.push == 1').columnOnly).toBe(true);
    expect(ok('tcp.payload contains "GET"').columnOnly).toBe(false);
  });
  it('flags != as questionable (the filter bar turns yellow)', () => {
    expect(ok('ip.addr != 10.0.0.1').warnings.length).toBe(1);
    expect(ok('ip.addr == 10.0.0.1').warnings).toEqual([]);
  });
});

describe('literals', () => {
  it('integers in every base', () => {
    expect([parseInteger('0x1F'), parseInteger('0b101'), parseInteger('0100'), parseInteger('-12'), parseInteger('1.5')]).toEqual([
      31,
      5,
      64,
      -12,
      undefined,
    ]);
  });
  it('MAC addresses with : - . separators', () => {
    const want = [0, 0x26, 0x0b, 0x31, 0x07, 0x33];
    for (const t of ['00:26:0b:31:07:33', '00-26-0b-31-07-33', '0026.0b31.0733'])
      expect(Array.from(parseEther(t) as Uint8Array)).toEqual(want);
    expect(parseEther('00:11:22')).toBe('short');
  });
  it('IPv6 in full, compressed and with an IPv4 tail', () => {
    expect(Array.from(parseIpv6('2001:db8::1')!)).toEqual([0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(parseIpv6('::ffff:1.2.3.4')!.subarray(10))).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(parseIpv6('1::2::3')).toBeUndefined();
  });
  it('byte strings: separated bytes, runs of hex digits, 0x with two digits (as tshark 4.0.17)', () => {
    expect(Array.from(parseByteString('47:45:54')!)).toEqual([0x47, 0x45, 0x54]);
    expect(Array.from(parseByteString('8-0.a')!)).toEqual([8, 0, 10]);
    expect(Array.from(parseByteString('11')!)).toEqual([0x11]);
    expect(Array.from(parseByteString('0800')!)).toEqual([8, 0]);
    expect(Array.from(parseByteString('8')!)).toEqual([8]);
    expect(Array.from(parseByteString('0xc0')!)).toEqual([0xc0]);
    expect(parseByteString('0x0800')).toBeUndefined();
    expect(parseByteString('0x8')).toBeUndefined();
  });
});

describe('regex (linear time, PCRE-like)', () => {
  const m = (re: string, s: string) => compileRegex(re).testString(s);
  it('classes, quantifiers, alternation, anchors; case-insensitive unless (?-i)', () => {
    expect(m('content-type', 'Content-Type: x')).toBe(true);
    expect(m('(?-i)Content-Type', 'content-type')).toBe(false);
    expect(m('(?-i)Content-Type', 'a Content-Type')).toBe(true);
    expect(m('^GET /[a-z]+ HTTP/1\\.[01]$', 'GET /index HTTP/1.1')).toBe(true);
    expect(m('^GET', 'xGET')).toBe(false);
    expect(m('[13579]$', '1235')).toBe(true);
    expect(m('[13579]$', '1234')).toBe(false);
    expect(m('a{2,3}b', 'caab')).toBe(true);
    expect(m('a{2,3}b', 'cab')).toBe(false);
    expect(m('(foo|ba[rz])+\\d', 'xbazfoo7')).toBe(true);
    expect(m('\\x41\\s\\w', 'A z')).toBe(true);
    expect(m('x$', 'abx\n')).toBe(true);
  });
  it('refuses what needs backtracking, with a reason', () => {
    expect(() => compileRegex('(a)\\1')).toThrow(RegexError);
    expect(() => compileRegex('a(?=b)')).toThrow(/look-around/);
  });
  it('agrees with RegExp when the DFA cache overflows and is rebuilt (2^13 states)', () => {
    const re = compileRegex('(?-i)[ab]*a[ab]{12}c');
    let x = 12345;
    for (let k = 0; k < 40; k++) {
      let str = '';
      for (let i = 0; i < 3000; i++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        str += x % 50 === 0 ? 'c' : x & 1 ? 'a' : 'b';
      }
      expect(re.testString(str)).toBe(/[ab]*a[ab]{12}c/.test(str));
    }
  });
  it('a catastrophic pattern for a backtracking engine runs in linear time', () => {
    const re = compileRegex('(a+)+$');
    const s = new Uint8Array(200_000).fill(0x61);
    s[s.length - 1] = 0x21;
    expect(re.test(s)).toBe(false);
  });
});

describe('bad input gets an error, quickly', () => {
  it('10,000 nested parentheses', () => {
    const e = err('('.repeat(10_000) + 'tcp' + ')'.repeat(10_000));
    expect(e.message).toMatch(/nested too deeply/);
  });
  it('100 KB of garbage', () => {
    let x = 7;
    let s = '';
    for (let i = 0; i < 100_000; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      s += String.fromCharCode(32 + (x % 95));
    }
    expect(err(s).message.length).toBeGreaterThan(0);
  });
  it('a bad regex is a filter error, not an exception', () => {
    expect(err('frame matches "(a"').message).toMatch(/missing closing parenthesis/);
  });
});

/**
 * Two conversations: 10.0.0.1:40000 → 10.0.0.2:80 (frames 1-5, "GET / HTTP/1.1…" in frame 4) and
 * 10.0.0.3:50000 → 10.0.0.2:443 (frames 6-10, 1200 bytes in frame 9).
 */
function capture(): Uint8Array {
  const out: Record_[] = [];
  const get = utf8('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  new Conn(out, { client: '10.0.0.1', server: '10.0.0.2', cport: 40000, sport: 80 })
    .c('0.000', 'S', 0, 0, 64240)
    .s('0.001', 'SA', 0, 1, 64240)
    .c('0.002', 'A', 1, 1, 64240)
    .c('0.003', 'PA', 1, 1, 64240, get.length, { payload: get })
    .s('0.004', 'A', 1, 1 + get.length, 64240);
  new Conn(out, { client: '10.0.0.3', server: '10.0.0.2', cport: 50000, sport: 443, epoch: 1_700_000_001n * 1_000_000_000n })
    .c('0.000', 'S', 0, 0, 64240)
    .s('0.001', 'SA', 0, 1, 64240)
    .c('0.002', 'A', 1, 1, 64240)
    .c('0.003', 'A', 1, 1, 64240, 1200)
    .s('0.004', 'A', 1, 1201, 64240);
  return writePcap(out);
}

async function run(t: string): Promise<number[]> {
  const s = new CaptureSession(new MemorySource(capture()));
  await s.load();
  return Array.from(await filterFrames(s, ok(t), 1, s.frameCount));
}

describe('evaluator', () => {
  it.each([
    ['tcp', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ['tcp.port == 80', [1, 2, 3, 4, 5]],
    ['ip.addr == 10.0.0.1', [1, 2, 3, 4, 5]],
    ['ip.addr != 10.0.0.1', [6, 7, 8, 9, 10]],
    ['ip.addr ~= 10.0.0.1', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ['ip.addr === 10.0.0.2/31', [6, 7, 8, 9, 10]],
    ['ip.addr === 10.0.0.0/30', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ['all tcp.port > 1000', []],
    ['tcp.port in {443, 7000..8000}', [6, 7, 8, 9, 10]],
    ['tcp.port not in {80, 443}', []],
    ['tcp.flags.syn == 1 && tcp.flags.ack == 0', [1, 6]],
    ['tcp.flags.syn', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ['tcp.flags & 0x12 == 0x12', [2, 7]],
    ['tcp.payload contains "GET"', [4]],
    ['tcp.payload[0:3] == "GET"', [4]],
    ['tcp.payload[0-2] == 47:45:54', [4]],
    ['tcp.payload[-2:] == 0d:0a', [4]],
    ['frame matches "(?i)host: X"', [4]],
    ['frame matches "(?-i)host: X"', []],
    ['tcp contains "Host:"', [4]],
    ['len(tcp.payload) > 1000', [9]],
    ['tcp.seq + tcp.len == tcp.nxtseq', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((n) => n !== 1 && n !== 2 && n !== 6 && n !== 7)],
    ['string(frame.number) matches "^1"', [1, 10]],
    ['min(tcp.srcport, tcp.dstport) == 443', [6, 7, 8, 9, 10]],
    ['ip.src#1 == 10.0.0.3', [6, 8, 9]],
    ['tcp.dstport >= 4 * {tcp.srcport + 3}', [2, 5, 7, 10]],
    ['count(ip.addr) == 2', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ['eth.src[0] & 1', []],
    ['not tcp.port == 80 and tcp.len == 0', [6, 7, 8, 10]],
    ['-tcp.srcport < -40000', [6, 8, 9]],
    ['ip[12:4] == ip.src && frame[6:6] == eth.src', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ['ip.src[0] == 0x0a && frame[12:2] == 0800', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ['frame.time >= "2023-11-14 22:13:21"', [6, 7, 8, 9, 10]],
    ['frame.time == "Nov 14, 2023 22:13:20.003"', [4]],
  ])('%s', async (t, want) => {
    expect(await run(t)).toEqual(want);
  });

  it('the column pass rules frames out without the bytes, and defers the rest', async () => {
    const s = new CaptureSession(new MemorySource(capture()));
    await s.load();
    const f = ok('tcp.stream == 1 && tcp.payload contains "x"');
    expect(matchesColumns(f, s, 1)).toBe(0);
    expect(matchesColumns(f, s, 9)).toBe(2);
    expect(matchesColumns(ok('tcp.stream == 1'), s, 9)).toBe(1);
  });

  it('filterFrames stops when aborted and reports progress', async () => {
    const s = new CaptureSession(new MemorySource(capture()));
    await s.load();
    const seen: number[] = [];
    const got = await filterFrames(s, ok('tcp'), 1, s.frameCount, { onProgress: (d) => seen.push(d) });
    expect(got.length).toBe(10);
    expect(seen[seen.length - 1]).toBe(10);
    const none = await filterFrames(s, ok('tcp.payload contains "GET"'), 1, s.frameCount, { signal: { aborted: true } });
    expect(none.length).toBeLessThanOrEqual(1);
  });
});

describe('field registry', () => {
  it('lists fields sorted, with tshark types and descriptions', () => {
    const names = listFields().map((f) => f.name);
    expect(names).toEqual([...names].sort());
    expect(getField('tcp.analysis.ack_rtt')).toMatchObject({ type: 'reltime', desc: 'The RTT to ACK the segment was' });
    expect(getField('tcp.port')).toMatchObject({ type: 'uint', bits: 16 });
  });
  it('refuses a field registered twice', () => {
    expect(() => registerFields([{ name: 'tcp.port', type: 'uint', desc: '', all: () => [] }])).toThrow(/twice/);
  });
});
