/**
 * X_PAST_IP, set by the load (Decoder.fastPastIp on the fast path, ethernetPastIp otherwise), is
 * the byte rule of decode/past-ip.ts read back from the frame's bytes, on every tracked TCP frame
 * of the corpora (the expert pass picks its TCP candidates from it: fields/tree/side.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureSession, MemorySource } from '../index';
import { HAS_SHARED, CAPTURES as CORPUS } from '../../../test/corpora';
import { LINKTYPE } from './decoder';
import { ethernetPastIp } from './past-ip';
import { TF_TCP, X_PAST_IP } from '../tcp/frames';
import { concat, tcpFrame, writePcap } from '../../../test/capture/build';

async function check(bytes: Uint8Array, name: string): Promise<{ set: number; tcp: number }> {
  const s = new CaptureSession(new MemorySource(bytes));
  await s.load();
  const t = s.frames;
  let set = 0;
  let tcp = 0;
  for (let lo = 1; lo <= t.count; lo += 512) {
    const hi = Math.min(t.count, lo + 511);
    const { bytes: b, offsets } = await s.readFrames(lo, hi);
    for (let n = lo; n <= hi; n++) {
      const bit = (t.xflags[n - 1] & X_PAST_IP) !== 0;
      if (bit) set++;
      if (t.stream[n - 1] < 0 || !(t.tflags[n - 1] & TF_TCP)) {
        expect(bit, `${name} #${n} not tracked TCP`).toBe(false);
        continue;
      }
      tcp++;
      const want = s.linkType(n) === LINKTYPE.ETHERNET && ethernetPastIp(b, offsets[n - lo], t.capLen[n - 1]);
      expect(bit, `${name} #${n}`).toBe(want);
    }
  }
  return { set, tcp };
}

describe('X_PAST_IP (load) = ethernetPastIp (bytes)', () => {
  it('a padded SYN, a SYN/ACK without padding', async () => {
    const syn = concat([tcpFrame({ src: '10.0.0.1', dst: '10.0.0.9', sport: 1234, dport: 80, seq: 1, ack: 0, flags: 'S', win: 1000 }), new Uint8Array(6)]);
    const synAck = tcpFrame({ src: '10.0.0.9', dst: '10.0.0.1', sport: 80, dport: 1234, seq: 9, ack: 2, flags: 'SA', win: 1000 });
    const r = await check(writePcap([{ ts: 1n, data: syn }, { ts: 2n, data: synAck }]), 'built');
    expect(r).toEqual({ set: 1, tcp: 2 });
  });

  it.skipIf(!HAS_SHARED)('every tracked TCP frame of the corpora', async () => {
    let set = 0;
    let tcp = 0;
    for (const d of [CORPUS, join(CORPUS, 'real/ppa3')]) {
      for (const name of readdirSync(d).filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f))) {
        const r = await check(new Uint8Array(readFileSync(join(d, name))), name);
        set += r.set;
        tcp += r.tcp;
      }
    }
    expect(set).toBeGreaterThan(100);
    expect(tcp).toBeGreaterThan(set);
  });
});
