/**
 * tshark's TLS on its ports refuses a segment whose first four bytes (of five or more) are
 * printable, at the start of every PDU, and takes anything else (black-box, 4.0.17): a plaintext
 * protocol on 443 is data, except a line such as 'PWD\r\n' (ppa3 wrongdissector frame 30, SSL
 * 'Continuation Data'); bytes that are no record are 'Ignored Unknown Record' once the session has
 * a version. tshark 4.0.17 runs live on the corpus captures.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { seqscope, tshark } from '../../../test/run-cli';
import { TLS } from './tls';

const takes = (text: string): boolean => {
  const b = Uint8Array.from(text, (ch) => ch.charCodeAt(0));
  return TLS.acceptsTcp!({ b, off: 0, end: b.length });
};

describe('TLS refuses plaintext on its ports as tshark does', () => {
  it('four printable bytes first (of five or more): refused', () => {
    for (const t of ['SYST\r\n', 'PWDX\r\n', 'ABCD\r', 'ABCDE', 'USER admin\r\n']) expect(takes(t), t).toBe(false);
  });
  it('anything else: taken', () => {
    for (const t of ['PWD\r\n', 'SYS\r\n', 'AB\r\nXYZ', 'PW\x01\r\n', 'ABCD', '\x16\x03\x01\x00\x05']) expect(takes(t), t).toBe(true);
  });
});

describe.skipIf(!HAS_SHARED)('Protocol/Info and tls on plaintext over 443 equal tshark -2', () => {
  it.each([
    ['real/ppa3/wrongdissector.pcapng', 'frame.number >= 28 && frame.number <= 36'],
    ['real/wild/pcpp__pcap_examples-tls2.pcap', 'frame.number >= 1019 && frame.number <= 1022'],
  ])('%s', async (name, filter) => {
    const args = ['-r', join(CAPTURES, name), '-Y', `(${filter}) && (tls || tcp.len > 0)`, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.protocols', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info'];
    const [ours, theirs] = await Promise.all([seqscope(args), tshark(['-2', '-n', ...args])]);
    expect(theirs).toMatch(/Continuation Data|Ignored Unknown Record/);
    expect(ours).toBe(theirs);
  });
});
