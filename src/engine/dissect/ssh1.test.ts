/**
 * SSH-1 after the banners (the client's banner says SSH-1.x): packets framed by their length plus
 * 8 - length % 8 bytes of padding, "Public Key" / "Session Key" by message code, then every packet
 * "Encrypted packet (len=N)" in both directions once the client sent its Session Key (tshark 4.0.17
 * on the wild corpus's zeek ssh.pcap, compared here too). Damaged lengths throw nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { engineColumns, tsharkColumns } from '../../../test/app-columns';
import { StreamApp } from './stream';
import { appInfo, appProtocol } from './app';

const enc = (s: string) => new TextEncoder().encode(s);

/** An SSH-1 packet: length, padding to 8, the code, its data, a 4-byte CRC (counted in the length). */
function packet1(code: number, data: number[]): Uint8Array {
  const len = 1 + data.length + 4;
  const pad = 8 - (len % 8);
  return Uint8Array.from([len >>> 24, (len >> 16) & 255, (len >> 8) & 255, len & 255, ...new Array(pad).fill(0), code, ...data, 0, 0, 0, 0]);
}

describe('SSH-1', () => {
  it('banners, Public Key, Session Key, then encrypted packets both ways (several in one segment)', () => {
    const st = new StreamApp(57191, 22);
    const seq = [1, 1];
    let n = 0;
    const say = (fromClient: boolean, b: Uint8Array): string => {
      const d = fromClient ? 0 : 1;
      st.feed(++n, d, seq[d], b, false, n / 10, false, false);
      seq[d] += b.length;
      const f = st.frames.get(n);
      return f ? (f.segment ? '[segment]' : `${appProtocol(f)} | ${appInfo(f)}`) : '';
    };
    // The server's banner is named by the client's version once it is known (tshark -2).
    expect(say(false, enc('SSH-1.99-OpenSSH_5.8\n'))).toBe('SSH | Server: Protocol (SSH-1.99-OpenSSH_5.8)');
    expect(say(true, enc('SSH-1.5-OpenSSH_6.2\n'))).toBe('SSHv1 | Client: Protocol (SSH-1.5-OpenSSH_6.2)');
    expect(appProtocol(st.frames.get(1)!)).toBe('SSHv1');
    const pk = packet1(2, new Array(300).fill(3));
    expect(say(false, pk.subarray(0, 100))).toBe('[segment]');
    expect(say(false, pk.subarray(100))).toBe('SSHv1 | Server: Public Key');
    expect(say(true, packet1(3, new Array(270).fill(4)))).toBe('SSHv1 | Client: Session Key');
    const e1 = packet1(0x55, []);
    expect(say(false, e1)).toBe('SSHv1 | Server: Encrypted packet (len=5)');
    expect(say(true, Uint8Array.from([...packet1(9, [1, 2, 3, 4, 5, 6, 7, 8, 9]), ...e1]))).toBe('SSHv1 | Client: Encrypted packet (len=14), Encrypted packet (len=5)');
  });
  it('damaged lengths and cut packets: no exception', () => {
    for (const len of [0, 1, 7, 8, 0xffffffff, 0x40000]) {
      const st = new StreamApp(40000, 22);
      st.feed(1, 1, 1, enc('SSH-1.5-x\n'), false, 0, false, false);
      st.feed(2, 0, 1, enc('SSH-1.5-y\n'), false, 0, false, false);
      st.feed(3, 1, 11, Uint8Array.from([len >>> 24, (len >> 16) & 255, (len >> 8) & 255, len & 255, 9, 9, 9]), false, 0, true, false);
      for (const f of st.frames.values()) expect(() => appInfo(f)).not.toThrow();
    }
  });
  it.skipIf(!HAS_SHARED)('zeek ssh.pcap (SSHv1 and SSHv2 connections): every SSH row as tshark', { timeout: 120_000 }, async () => {
    const path = join(CAPTURES, 'real/wild/zeek__ssh-ssh.pcap');
    const want = tsharkColumns(path);
    const got = await engineColumns(new Uint8Array(readFileSync(path)));
    const rows = want.map((w, i) => [w, got[i]] as const).filter(([w]) => /^SSH/.test(w[0]));
    expect(rows.filter(([w]) => w[0] === 'SSHv1').length).toBeGreaterThan(100);
    expect(rows.filter(([w, g]) => w[0] !== g?.[0] || (w[1] ?? '') !== g?.[1]).map(([w, g]) => `${w.join(' | ')} ≠ ${g?.join(' | ')}`)).toEqual([]);
  });
});
