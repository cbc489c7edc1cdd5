/**
 * Find packet (Wireshark's Ctrl+F): the next displayed frame, in view order from a position,
 * that matches a display filter, contains a byte sequence (hex) or a string (UTF-8 bytes,
 * optionally ASCII case-insensitive). Wraps around once. Works in batches of positions,
 * yielding between them, and stops when aborted (a new find).
 */
import type { CaptureSession } from '../engine/index';
import type { DisplayView, FilterEngine } from './view';
import { yieldNow } from './yield';

export interface FindQuery {
  kind: 'filter' | 'hex' | 'string';
  text: string;
  /** string: ASCII letters match either case. */
  caseInsensitive?: boolean;
}

export type FindResult = { ok: true; position: number; frame: number } | { ok: false; message: string };

const BATCH = 1024;

/** "de ad be ef", "de:ad:be:ef", "deadbeef", "0xde 0xad" → bytes; undefined when not hex. */
export function parseHex(text: string): Uint8Array | undefined {
  const t = text.trim().replace(/0x/gi, '').replace(/[\s:.-]/g, '');
  if (!t || t.length % 2 || !/^[0-9a-f]+$/i.test(t)) return undefined;
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const lowerAscii = (b: number) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b);

/** Whether `hay[from, to)` contains `needle`. */
export function containsBytes(hay: Uint8Array, from: number, to: number, needle: Uint8Array, fold: boolean): boolean {
  const m = needle.length;
  const first = needle[0];
  for (let i = from; i + m <= to; i++) {
    if ((fold ? lowerAscii(hay[i]) : hay[i]) !== first) continue;
    let k = 1;
    if (fold) while (k < m && lowerAscii(hay[i + k]) === needle[k]) k++;
    else while (k < m && hay[i + k] === needle[k]) k++;
    if (k === m) return true;
  }
  return false;
}


export async function findFrame<F>(s: CaptureSession, view: DisplayView<F>, engine: FilterEngine<F>, q: FindQuery, from: number, dir: 1 | -1, signal: { aborted: boolean }): Promise<FindResult> {
  let matchBatch: (frames: number[]) => Promise<Set<number>>;
  if (q.kind === 'filter') {
    const c = engine.compile(q.text);
    if (!c.ok) return { ok: false, message: c.error.message };
    const f = c.filter;
    matchBatch = async (frames) => {
      const sorted = [...frames].sort((a, b) => a - b);
      const lo = sorted[0];
      const hi = sorted[sorted.length - 1];
      const hit = new Set<number>();
      if (hi - lo < frames.length * 4) {
        for (const n of await engine.run(s, f, lo, hi, signal)) hit.add(n);
      } else {
        for (const n of sorted) if ((await engine.run(s, f, n, n, signal)).length) hit.add(n);
      }
      return hit;
    };
  } else {
    let needle = q.kind === 'hex' ? parseHex(q.text) : new TextEncoder().encode(q.text);
    if (!needle || !needle.length) return { ok: false, message: q.kind === 'hex' ? `"${q.text}" is not a byte sequence (write hex pairs, e.g. "de ad be ef").` : 'Type the text to find.' };
    const fold = q.kind === 'string' && !!q.caseInsensitive;
    if (fold) needle = needle.map(lowerAscii);
    const nd = needle;
    matchBatch = async (frames) => {
      const t = s.frames;
      const sorted = [...frames].sort((a, b) => a - b);
      const hit = new Set<number>();
      for (let i = 0; i < sorted.length; ) {
        // Neighbours (under 64 KiB apart, 1 MiB per read) are read together.
        const start = t.offsetOf(sorted[i] - 1);
        let end = start + t.capLen[sorted[i] - 1];
        let j = i + 1;
        while (j < sorted.length && t.offsetOf(sorted[j] - 1) - end < 65536 && end - start < 1 << 20) {
          end = Math.max(end, t.offsetOf(sorted[j] - 1) + t.capLen[sorted[j] - 1]);
          j++;
        }
        const lo = sorted[i];
        const { bytes, offsets } = await s.readFrames(lo, sorted[j - 1]);
        for (let k = i; k < j; k++) {
          const n = sorted[k];
          const off = offsets[n - lo];
          if (off === undefined) continue;
          const e = Math.min(bytes.length, off + t.capLen[n - 1]);
          if (containsBytes(bytes, off, e, nd, fold)) hit.add(n);
        }
        i = j;
      }
      return hit;
    };
  }
  const len = view.length;
  if (!len) return { ok: false, message: 'No packets are displayed.' };
  const start = from >= 1 && from <= len ? from : dir > 0 ? 0 : len + 1;
  // Positions start+dir, start+2·dir, … wrapping around, `len` of them (the start itself last).
  for (let k = 0; k < len; k += BATCH) {
    if (signal.aborted) return { ok: false, message: 'Cancelled.' };
    const positions: number[] = [];
    for (let i = k + 1; i <= Math.min(len, k + BATCH); i++) positions.push((((start - 1 + dir * i) % len) + len) % len + 1);
    const frames = positions.map((p) => view.frameAt(p));
    const hit = await matchBatch(frames.filter((n) => n > 0));
    if (signal.aborted) return { ok: false, message: 'Cancelled.' };
    for (let i = 0; i < positions.length; i++) if (hit.has(frames[i])) return { ok: true, position: positions[i], frame: frames[i] };
    await yieldNow();
  }
  return { ok: false, message: 'No packet matches.' };
}
