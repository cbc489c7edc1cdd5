/**
 * A SOCKS connection takes two tcp.stream indexes, as tshark's (tcp/socks.ts): the handshake
 * states, and the streams of a capture with three SOCKS 4 connections equal tshark -2's.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { seqscope, tshark } from '../../../test/run-cli';
import { SOCKS_REQUEST, SOCKS_RESERVE, socksStep } from './socks';

const step = (state: number, fromClient: boolean, bytes: number[]): number => socksStep(state, fromClient, Uint8Array.from(bytes), 0, bytes.length);

describe('SOCKS handshake', () => {
  it('SOCKS 4: CONNECT, granted, then the first payload reserves an index', () => {
    let s = step(SOCKS_REQUEST, true, [4, 1, 0, 80, 10, 0, 0, 1, 0]);
    s = step(s, false, [0, 0x5a, 0, 0, 0, 0, 0, 0]);
    expect(step(s, true, [0x47, 0x45, 0x54])).toBe(SOCKS_RESERVE);
  });
  it('SOCKS 4: a refused CONNECT or a BIND reserves nothing', () => {
    const s = step(SOCKS_REQUEST, true, [4, 1, 0, 80, 10, 0, 0, 1, 0]);
    expect(step(s, false, [0, 0x5b, 0, 0, 0, 0, 0, 0])).toBe(0);
    expect(step(SOCKS_REQUEST, true, [4, 2, 0, 80, 10, 0, 0, 1, 0])).toBe(0);
  });
  it('SOCKS 5: greeting, method, CONNECT, reply 0, then payload', () => {
    let s = step(SOCKS_REQUEST, true, [5, 1, 0]);
    s = step(s, false, [5, 0]);
    s = step(s, true, [5, 1, 0, 1, 10, 0, 0, 1, 0, 80]);
    s = step(s, false, [5, 0, 0, 1, 10, 0, 0, 1, 0, 80]);
    expect(step(s, false, [1])).toBe(SOCKS_RESERVE);
  });
  it('other traffic on port 1080 is not followed', () => {
    expect(step(SOCKS_REQUEST, true, [0x47, 0x45, 0x54])).toBe(0);
  });
});

describe.skipIf(!HAS_SHARED)('tcp.stream after SOCKS connections equals tshark -2', () => {
  it('ndpi socks.pcapng', async () => {
    const args = ['-r', join(CAPTURES, 'real/wild/ndpi__socks.pcapng'), '-T', 'fields', '-e', 'tcp.stream'];
    const [ours, theirs] = await Promise.all([seqscope(args), tshark(['-2', '-n', ...args])]);
    expect(theirs).toContain('\n5\n');
    expect(ours).toBe(theirs);
  });
});
