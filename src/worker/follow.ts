/**
 * Follow TCP Stream's whole-stream actions in the worker, on the chunk index the view follows
 * (engine/stats/views.ts: no bytes held): Find (the next chunk whose text contains the query)
 * and Save as… (the chunks' bytes as one Blob), each reading the stream again in batches.
 */
import type { CaptureSession } from '../engine/index';
import { followChunks, type FollowIndex } from '../engine/stats/views';
import type { FollowNode } from '../engine/stats/follow';
import { chunkText, type FollowTextMode } from '../engine/fields/follow-text';

export type { FollowTextMode };
export type FollowDir = 'both' | 'ab' | 'ba';

/** What `follow()` resolves with: the nodes, payload bytes per direction, the number of chunks. */
export interface FollowInfo {
  stream: number;
  client: FollowNode | undefined;
  server: FollowNode | undefined;
  bytes: [number, number];
  count: number;
}

/** Chunks read again per batch (their frames are read in 4 MiB spans). */
const BATCH = 2048;
const utf8 = new TextDecoder('utf-8');
const decode = (d: Uint8Array) => utf8.decode(d);

const inDir = (server: boolean, dir: FollowDir) => dir === 'both' || (dir === 'ab') === !server;

/** Each chunk's offset in its direction's bytes and its number among its direction's chunks. */
function positions(index: FollowIndex): { pos: Float64Array; nth: Uint32Array } {
  const pos = new Float64Array(index.count);
  const nth = new Uint32Array(index.count);
  const p = [0, 0];
  const k = [0, 0];
  for (let i = 0; i < index.count; i++) {
    const d = index.flags[i] & 1;
    pos[i] = p[d];
    nth[i] = k[d]++;
    p[d] += index.len[i];
  }
  return { pos, nth };
}

/** The first chunk after `after` (wrapping round to it) of direction `dir` whose text contains `query`, or -1. */
export async function findInFollow(
  s: CaptureSession,
  index: FollowIndex,
  query: string,
  mode: FollowTextMode,
  dir: FollowDir,
  after: number,
): Promise<number> {
  const q = query.toLowerCase();
  const { pos, nth } = positions(index);
  const n = index.count;
  const start = Math.max(0, Math.min(n, after + 1));
  for (const [a, b] of [
    [start, n],
    [0, start],
  ]) {
    for (let lo = a; lo < b; lo += BATCH) {
      const hi = Math.min(b, lo + BATCH);
      const data = await followChunks(s, index, lo, hi);
      for (let i = lo; i < hi; i++) {
        const server = (index.flags[i] & 1) !== 0;
        if (inDir(server, dir) && chunkText(data[i - lo], server, mode, pos[i], nth[i], decode).toLowerCase().includes(q)) return i;
      }
    }
  }
  return -1;
}

/** The payload of direction `dir` (markers of missing bytes included, as the view shows them) as a Blob. */
export async function followBlob(s: CaptureSession, index: FollowIndex, dir: FollowDir): Promise<Blob> {
  const parts: BlobPart[] = [];
  for (let lo = 0; lo < index.count; lo += BATCH) {
    const hi = Math.min(index.count, lo + BATCH);
    const data = await followChunks(s, index, lo, hi);
    for (let i = lo; i < hi; i++) if (inDir((index.flags[i] & 1) !== 0, dir)) parts.push(data[i - lo].slice());
  }
  return new Blob(parts, { type: 'application/octet-stream' });
}
