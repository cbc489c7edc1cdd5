/**
 * IP fragment reassembly, as tshark does by default (ip.defragment / ipv6.defragment on):
 * fragments are collected per (addresses, identification, protocol); when the last missing
 * piece arrives, the reassembled payload is decoded on that frame. Fragments whose bytes
 * were not captured in full cannot be reassembled. Memory is bounded: at most MAX_PENDING
 * datagrams wait at once (the oldest is dropped).
 */
const MAX_PENDING = 4096;
const MAX_DATAGRAM = 65535 + 8;

interface Pending {
  pieces: { off: number; data: Uint8Array; frame: number }[];
  total: number;
  done: Uint8Array | undefined;
  doneFrame: number;
}

export class Defragmenter {
  private pending = new Map<string, Pending>();
  /** Reassembled datagrams by the frame that completed them (a second pass decodes the same frame again). */
  private completed = new Map<number, Uint8Array>();
  /** When set, only previously completed datagrams are returned and nothing is recorded. */
  replay = false;
  /** Frame that completed the datagram each fragment belongs to (fragments only: the detail tree's links). */
  readonly reassembledIn = new Map<number, number>();
  /** The fragments of each completed datagram, by completing frame: frame, offset and length. */
  readonly pieces = new Map<number, { frame: number; off: number; len: number }[]>();

  add4(frame: number, src: number, dst: number, id: number, proto: number, off: number, mf: boolean,
    b: Uint8Array, start: number, capEnd: number, repEnd: number): Uint8Array | undefined {
    return this.add(`4:${src}:${dst}:${id}:${proto}`, frame, off, mf, b, start, capEnd, repEnd);
  }

  add6(frame: number, b: Uint8Array, ipOff: number, id: number, next: number, off: number, mf: boolean,
    start: number, capEnd: number, repEnd: number): Uint8Array | undefined {
    let key = `6:${id}:${next}:`;
    for (let i = 8; i < 40; i++) key += b[ipOff + i].toString(16) + '.';
    return this.add(key, frame, off, mf, b, start, capEnd, repEnd);
  }

  private add(key: string, frame: number, off: number, mf: boolean, b: Uint8Array, start: number, capEnd: number, repEnd: number): Uint8Array | undefined {
    const again = this.completed.get(frame);
    if (again || this.replay) return again;
    if (capEnd < repEnd) return undefined; // not captured in full: cannot take part in reassembly
    let e = this.pending.get(key);
    if (!e || e.done) {
      if (this.pending.size >= MAX_PENDING) {
        const first = this.pending.keys().next().value;
        if (first !== undefined) this.pending.delete(first);
      }
      e = { pieces: [], total: -1, done: undefined, doneFrame: 0 };
      this.pending.set(key, e);
    }
    const len = repEnd - start;
    if (off + len > MAX_DATAGRAM) return undefined;
    e.pieces.push({ off, data: b.slice(start, repEnd), frame });
    if (!mf) e.total = off + len;
    if (e.total < 0) return undefined;
    // Complete when the pieces cover [0, total) without a gap.
    const sorted = [...e.pieces].sort((x, y) => x.off - y.off);
    let covered = 0;
    for (const pc of sorted) {
      if (pc.off > covered) return undefined;
      covered = Math.max(covered, pc.off + pc.data.length);
    }
    if (covered < e.total) return undefined;
    const out = new Uint8Array(e.total);
    // A piece may lie wholly past the end a later last fragment declared (damaged or hostile input): skip it.
    for (const pc of sorted) if (pc.off < e.total) out.set(pc.data.subarray(0, Math.min(pc.data.length, e.total - pc.off)), pc.off);
    this.pending.delete(key);
    this.completed.set(frame, out);
    for (const pc of e.pieces) this.reassembledIn.set(pc.frame, frame);
    this.pieces.set(frame, e.pieces.map((pc) => ({ frame: pc.frame, off: pc.off, len: pc.data.length })));
    return out;
  }

  /** The datagram frame `frame` completed, if any. */
  completedBy(frame: number): Uint8Array | undefined {
    return this.completed.get(frame);
  }

  /** Forget reassembled datagrams (call between load and a fresh session). */
  clear(): void {
    this.pending.clear();
    this.completed.clear();
    this.reassembledIn.clear();
    this.pieces.clear();
  }
}
