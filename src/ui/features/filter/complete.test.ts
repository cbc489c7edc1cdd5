import { describe, expect, it } from 'vitest';
import { accept, combine, completions, literal, wordAt } from './complete';

const F = [
  { name: 'tcp', type: 'protocol', desc: 'Transmission Control Protocol' },
  { name: 'tcp.analysis.retransmission', type: 'none', desc: 'Retransmission' },
  { name: 'tcp.analysis.flags', type: 'none', desc: 'TCP Analysis Flags' },
  { name: 'tcp.port', type: 'uint', desc: 'Source or Destination Port' },
  { name: 'ip.addr', type: 'ipv4', desc: 'Source or Destination Address' },
];

describe('filter-bar completion', () => {
  it('finds the field name being typed at the caret', () => {
    expect(wordAt('ip.addr == 1 && tcp.an', 22)).toEqual({ start: 16, word: 'tcp.an' });
    expect(wordAt('(tcp', 4)).toEqual({ start: 1, word: 'tcp' });
    expect(wordAt('', 0)).toEqual({ start: 0, word: '' });
  });
  it('offers names that extend the word (alphabetical), then names containing it; none for values', () => {
    expect(completions(F, 'tcp.a').map((f) => f.name)).toEqual(['tcp.analysis.flags', 'tcp.analysis.retransmission']);
    expect(completions(F, 'addr').map((f) => f.name)).toEqual(['ip.addr']);
    expect(completions(F, '10')).toEqual([]);
    expect(completions(F, 'tcp').map((f) => f.name)).toEqual(['tcp.analysis.flags', 'tcp.analysis.retransmission', 'tcp.port']);
  });
  it('replaces the whole word under the caret', () => {
    expect(accept('ip.addr == 1 && tcp.an', 22, 'tcp.analysis.flags')).toEqual({ text: 'ip.addr == 1 && tcp.analysis.flags', caret: 34 });
    expect(accept('tcp.an == 1', 3, 'tcp.port')).toEqual({ text: 'tcp.port == 1', caret: 8 });
  });
});

describe('Apply/Prepare as Filter', () => {
  it('writes values as literals of their type', () => {
    expect(literal('uint', '80')).toBe('80');
    expect(literal('string', 'a "b"')).toBe('"a \\"b\\""');
    expect(literal('bytes', '474554')).toBe('47:45:54');
    expect(literal('ether', '00:11:22:33:44:55')).toBe('00:11:22:33:44:55');
    expect(literal(undefined, 'two words')).toBe('"two words"');
    expect(literal('string', 'a\tb\\c\u0001')).toBe('"a\\x09b\\\\c\\x01"');
  });
  it("combines with the current filter as Wireshark's six items do", () => {
    const e = 'tcp.port == 80';
    expect(combine('selected', 'tcp', e)).toBe(e);
    expect(combine('not', 'tcp', e)).toBe('!(tcp.port == 80)');
    expect(combine('and', 'tcp', e)).toBe('(tcp) && tcp.port == 80');
    expect(combine('or', 'tcp', e)).toBe('(tcp) || tcp.port == 80');
    expect(combine('andNot', 'tcp', e)).toBe('(tcp) && !(tcp.port == 80)');
    expect(combine('orNot', 'tcp', e)).toBe('(tcp) || !(tcp.port == 80)');
    expect(combine('and', '  ', e)).toBe(e);
    expect(combine('orNot', '', e)).toBe('!(tcp.port == 80)');
  });
});
