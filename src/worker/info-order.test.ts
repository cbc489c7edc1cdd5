import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureSession, MemorySource, readColumnsOf } from '../engine/index';
import { HAS_SHARED, CAPTURES } from '../../test/corpora';
import { ipv4Packet, linkFrame, LINK, tcpFrame, utf8, writePcap, type Record_, type TcpOption, type TcpSpec } from '../../test/capture/build';
import { decKey, infoOrder, ranksFromOrder, RunSorter } from './info-order';
import { sortFrames } from './sort';

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The reference: every frame's Info decoded, ranked by JS string order (ties share a rank). */
async function decodedRanks(s: CaptureSession, frames: Uint32Array): Promise<{ rank: number[]; texts: string[] }> {
  const texts: string[] = [];
  for (let i = 0; i < frames.length; i += 5000) texts.push(...(await readColumnsOf(s, frames.subarray(i, i + 5000), ['info']))[0]);
  const idx = texts.map((_, i) => i).sort((a, b) => cmpStr(texts[a], texts[b]));
  const rank = new Array<number>(texts.length);
  let r = -1;
  idx.forEach((i, j) => {
    if (j === 0 || texts[i] !== texts[idx[j - 1]]) r++;
    rank[i] = r;
  });
  return { rank, texts };
}

async function expectSameOrder(s: CaptureSession, frames: Uint32Array, what: string): Promise<void> {
  const want = await decodedRanks(s, frames);
  const order = await infoOrder(s, frames);
  const got = order && ranksFromOrder(order);
  expect(got, what).toBeDefined();
  const bad = Array.from(got!).findIndex((r, i) => r !== want.rank[i]);
  if (bad >= 0) expect(`${what}: frame ${frames[bad]} rank ${got![bad]} (${want.texts[bad]})`).toBe(`rank ${want.rank[bad]}`);
}

async function open(bytes: Uint8Array, name: string): Promise<CaptureSession> {
  const s = new CaptureSession(new MemorySource(bytes, name));
  await s.load();
  return s;
}

const range = (n: number) => Uint32Array.from({ length: n }, (_, i) => i + 1);

describe('decKey', () => {
  it('orders numbers as their decimal texts followed by a space', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0);
    const xs = [0, 1, 9, 10, 11, 99, 100, 101, 4294967295, 1000000000, 999999999, 65535, 65536];
    for (let i = 0; i < 800; i++) xs.push(rnd() % [10, 1000, 100000, 4294967296][i % 4]);
    for (let i = 0; i < xs.length; i++) {
      for (let j = i + 1; j < Math.min(xs.length, i + 40); j++) {
        const [a, b] = [xs[i], xs[j]];
        expect(Math.sign(decKey(a) - decKey(b)), `${a} ${b}`).toBe(cmpStr(`${a} `, `${b} `));
      }
    }
  });
});

/** A capture built to tie and cross Info texts: ports 9/10/99/100, Len=0/10, options, retransmissions, dup ACKs, URG, HTTP, UDP. */
function crafted(): Uint8Array {
  let seed = 12345;
  const rnd = (k: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % k;
  const recs: Record_[] = [];
  let ts = 1_700_000_000_000_000_000n;
  const push = (data: Uint8Array) => recs.push({ ts: (ts += 1_000_000n), data });
  const ports: [number, number][] = [[9, 80], [10, 80], [99, 8080], [100, 8080], [1000, 9], [10, 800]];
  // Handshakes with options (SYN Seq=0 … MSS/WS/SACK_PERM/TS).
  ports.forEach(([a, b], i) => {
    const cli = '10.0.0.1';
    const srv = `10.0.1.${i + 1}`;
    push(tcpFrame({ src: cli, dst: srv, sport: a, dport: b, seq: 1000 * i, flags: 'S', win: 64240, options: [{ mss: 1460 }, { sackPerm: true }, { ts: [i, 0] }, { nop: true }, { ws: 7 }] }));
    push(tcpFrame({ src: srv, dst: cli, sport: b, dport: a, seq: 5000 * i, ack: 1000 * i + 1, flags: 'SA', win: 65160, options: [{ mss: 1400 }, { ws: 9 }] }));
  });
  for (let k = 0; k < 600; k++) {
    const i = rnd(ports.length);
    const [a, b] = ports[i];
    const back = rnd(2) === 1;
    const cli = '10.0.0.1';
    const srv = `10.0.1.${i + 1}`;
    const seqBase = back ? 5000 * i + 1 : 1000 * i + 1;
    const ackBase = back ? 1000 * i + 1 : 5000 * i + 1;
    const opts: TcpOption[] | undefined = rnd(3) === 0 ? undefined : rnd(4) === 0 ? [{ nop: true }, { nop: true }] : [{ nop: true }, { nop: true }, { ts: [rnd(20), rnd(20)] }];
    const spec: TcpSpec = {
      src: back ? srv : cli, dst: back ? cli : srv, sport: back ? b : a, dport: back ? a : b,
      seq: seqBase + [0, 1, 10, 100, 9, 11][rnd(6)], ack: ackBase + [0, 1, 10, 100][rnd(4)],
      flags: ['A', 'A', 'PA', 'FA', 'AU', 'RA'][rnd(6)], win: [0, 9, 10, 100, 501][rnd(5)], len: [0, 0, 10, 1, 9][rnd(5)], options: opts,
    };
    if (spec.flags === 'AU') spec.urg = rnd(11);
    if ((a === 9 || b === 9) && spec.len && rnd(2)) spec.payload = utf8('GET / HTTP/1.1\r\n\r\n');
    push(tcpFrame(spec));
    if (rnd(8) === 0) push(tcpFrame(spec)); // the same again: a retransmission or dup ACK
    if (rnd(16) === 0) push(linkFrame(LINK.ETHERNET, ipv4Packet('10.0.0.9', '10.0.0.10', 17, Uint8Array.from([0, 9, 0, 80, 0, 12, 0, 0, 1, 2, 3, 4])))); // UDP 9 → 80
  }
  return writePcap(recs);
}

describe('Info order from the header numbers', () => {
  it('equals sorting the decoded Info texts on a capture built to cross them', async () => {
    const s = await open(crafted(), 'crafted.pcap');
    const all = range(s.frameCount);
    await expectSameOrder(s, all, 'all frames');
    await expectSameOrder(s, all.filter((f) => f % 3 !== 0), 'two frames in three');
    // And the view's sort follows the ranks, ties in frame order.
    const { texts } = await decodedRanks(s, all);
    const asc = Array.from(all).sort((a, b) => cmpStr(texts[a - 1], texts[b - 1]) || a - b);
    const desc = Array.from(all).sort((a, b) => cmpStr(texts[b - 1], texts[a - 1]) || a - b);
    expect(asc.length).toBeGreaterThan(new Set(texts).size); // some texts tie
    // First sorts (the order itself), then sorts again from the kept ranks.
    expect(Array.from((await sortFrames(s, all, 'info', false))!)).toEqual(asc);
    expect(Array.from((await sortFrames(s, all, 'info', true))!)).toEqual(desc);
    expect(Array.from((await sortFrames(s, all, 'info', false))!)).toEqual(asc);
    const s2 = await open(crafted(), 'crafted.pcap');
    expect(Array.from((await sortFrames(s2, all, 'info', true))!)).toEqual(desc);
  });

  it('stops when aborted', async () => {
    const s = await open(crafted(), 'crafted.pcap');
    expect(await infoOrder(s, range(s.frameCount), { signal: { aborted: true } })).toBeUndefined();
  });
});

const captures = (dir: string) => (HAS_SHARED ? readdirSync(dir).filter((f) => /\.(pcap|pcapng|gz)$/.test(f)).sort().map((f) => join(dir, f)) : []);

describe.skipIf(!HAS_SHARED)('Info order from the header numbers, over the corpora', () => {
  it('equals sorting the decoded Info texts on every capture (all frames, and every other frame)', async () => {
    const files = [...captures(CAPTURES), ...captures(join(CAPTURES, 'real/ppa3'))];
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const s = await open(new Uint8Array(readFileSync(f)), f);
      const all = range(s.frameCount);
      await expectSameOrder(s, all, f);
      await expectSameOrder(s, all.filter((x) => x % 2 === 1), `${f} (odd frames)`);
    }
  }, 600_000);
});

describe('RunSorter', () => {
  /** Reference: items by the decimal keys of each level in turn, then item order; tie = equal on every level. */
  function reference(items: number[], levels: Uint32Array[]): { order: number[]; tie: number[] } {
    const order = [...items].sort((a, b) => {
      for (const L of levels) if (L[a] !== L[b]) return decKey(L[a]) - decKey(L[b]);
      return a - b;
    });
    const tie = order.map((x, j) => (j > 0 && levels.every((L) => L[x] === L[order[j - 1]]) ? 1 : 0));
    return { order, tie };
  }

  it('sorts runs by level after level as decimal texts (in order, few runs, many runs, long runs), marking rows tied on every level', () => {
    let seed = 99;
    const rnd = (k: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % k;
    // Sizes and shapes reach each path: insertion (≤ 16), natural merge (growing numbers: a run
    // per digit count), native sort of packed keys (≤ 32768), radix sort (longer).
    const shapes: [number, string][] = [[5, 'random'], [16, 'random'], [3000, 'growing'], [3000, 'random'], [3000, 'sorted'], [40000, 'random'], [40000, 'growing'], [2000, 'few']];
    for (const [n, shape] of shapes) {
      const seq = new Uint32Array(n);
      const ack = new Uint32Array(n);
      const win = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        seq[i] = shape === 'growing' ? i * 7919 : shape === 'sorted' ? i : shape === 'few' ? rnd(4) : rnd(4) === 0 ? rnd(4294967295) : rnd(200);
        ack[i] = shape === 'few' ? rnd(3) : rnd(50) * 13;
        win[i] = rnd(3) * 100;
      }
      if (shape === 'growing') for (let i = 0; i < n; i += 97) seq[i] = rnd(1000); // a few steps back
      const order = Uint32Array.from({ length: n }, (_, i) => i);
      const ties: number[] = [];
      new RunSorter(order, ties, [seq, ack, (i) => win[i]]).sort(0, n, 0);
      const tie = new Uint8Array(n);
      for (let q = 0; q < ties.length; q += 2) tie.fill(1, ties[q] + 1, ties[q + 1]);
      const want = reference(Array.from({ length: n }, (_, i) => i), [seq, ack, win]);
      expect(Array.from(order), `${n} ${shape}`).toEqual(want.order);
      expect(Array.from(tie), `${n} ${shape} ties`).toEqual(want.tie);
    }
  });
});
