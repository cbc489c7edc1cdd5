/**
 * Follow TCP Stream: a stream's payload in sequence order, the way Wireshark 4.0 puts it
 * together (behaviour derived from tshark's `-z follow,tcp,MODE,N` output):
 *   - the client (node 0) is the sender of the stream's first packet;
 *   - each direction keeps the next sequence number it expects (relative numbers, a SYN counts
 *     one); data before it is dropped, data straddling it is cut, data past it waits in a list of
 *     out-of-order pieces until the gap before it is filled;
 *   - when a packet of one direction ACKs beyond the lowest waiting piece of the other, the
 *     bytes in between were seen by the receiver but not captured: a marker chunk
 *     "[N bytes missing in capture file]" (with its terminating NUL) stands for them.
 * Chunks are kept as the packets give them (one per packet, or the new part of one).
 */
import { seqGt, seqLt } from '../tcp/seq';
import { asciiText, hexLines, rawHex } from '../fields/follow-text';

export type FollowMode = 'ascii' | 'hex' | 'raw';
export const FOLLOW_MODES: readonly FollowMode[] = ['ascii', 'hex', 'raw'];

export interface FollowChunk {
  /** Sent by node 1 (the server: the receiver of the stream's first packet). */
  server: boolean;
  frame: number;
  data: Uint8Array;
  /**
   * Where `data` starts in the frame's captured TCP payload (a follower's view can re-read it
   * from there); for a missing-bytes marker, the number of bytes missing.
   */
  at: number;
  /** A "[N bytes missing in capture file]" marker, not payload. */
  missing?: boolean;
}

export interface FollowNode {
  addr: string;
  v6: boolean;
  port: number;
}

/** One TCP packet of the followed stream, as the follower needs it. */
export interface FollowPacket {
  frame: number;
  src: FollowNode;
  dst: FollowNode;
  /** Relative sequence and acknowledgment numbers (uint32). */
  seq: number;
  ack: number;
  syn: boolean;
  /** TCP segment length from the IP lengths (0 when unknown). */
  segLen: number;
  /** The captured payload bytes (may be fewer than segLen when the capture was cut short). */
  payload: Uint8Array;
}

interface Piece {
  frame: number;
  seq: number;
  data: Uint8Array;
  /** Where `data` starts in the frame's payload. */
  at: number;
}

const sameNode = (a: FollowNode, b: FollowNode) => a.addr === b.addr && a.port === b.port;

export class TcpFollower {
  client: FollowNode | undefined;
  server: FollowNode | undefined;
  /** Every chunk delivered, in order (unless made with keep = false: then only onChunk sees them). */
  readonly chunks: FollowChunk[] = [];
  /** Bytes of payload delivered per direction (client, server). */
  readonly bytes = [0, 0];
  private readonly next = [0, 0];
  private readonly pieces: Piece[][] = [[], []];
  /** Called for each chunk as it is delivered (a UI streams them). */
  onChunk: ((c: FollowChunk) => void) | undefined;

  constructor(private readonly keep = true) {}

  private deliver(c: FollowChunk): void {
    if (this.keep) this.chunks.push(c);
    if (!c.missing) this.bytes[c.server ? 1 : 0] += c.data.length;
    this.onChunk?.(c);
  }

  push(pk: FollowPacket): void {
    if (!this.client) {
      this.client = pk.src;
      this.server = pk.dst;
    }
    const d = sameNode(this.client, pk.src) ? 0 : 1;
    const o = d ^ 1;
    // This packet may ACK data of the other direction that the capture never saw.
    if (this.pieces[o].length) while (this.settle(o, pk.ack, pk.frame, true));
    let seq = pk.syn ? (pk.seq + 1) >>> 0 : pk.seq;
    let len = pk.segLen;
    let data = pk.payload;
    let at = 0;
    if (this.written[d] === 0 && this.next[d] === 0) this.next[d] = seq;
    const exp = this.next[d];
    if (seqLt(seq, exp)) {
      const end = (seq + len) >>> 0;
      if (seqGt(end, exp)) {
        // Partly new: keep the part past what was delivered.
        const skip = (exp - seq) >>> 0;
        data = data.length <= skip ? data.subarray(0, 0) : data.subarray(skip);
        at = skip;
        seq = exp;
        len = (end - exp) >>> 0;
      }
    }
    if (data.length === 0 || seqLt(seq, this.next[d])) return;
    if (seq === this.next[d]) {
      this.next[d] = (this.next[d] + len) >>> 0;
      this.written[d] += data.length;
      this.deliver({ server: d === 1, frame: pk.frame, data, at });
      while (this.settle(d, 0, pk.frame, false));
    } else this.pieces[d].push({ frame: pk.frame, seq, data, at });
  }

  private readonly written = [0, 0];

  /** Deliver or drop one waiting piece of direction d if it now fits; else mark the gap an ACK proves. */
  private settle(d: number, acked: number, frame: number, useAck: boolean): boolean {
    const list = this.pieces[d];
    if (list.length === 0) return false;
    let lowest = list[0].seq;
    for (let i = 0; i < list.length; i++) {
      const f = list[i];
      if (seqGt(lowest, f.seq)) lowest = f.seq;
      if (seqLt(f.seq, this.next[d])) {
        const end = (f.seq + f.data.length) >>> 0;
        if (seqGt(end, this.next[d])) {
          const from = (this.next[d] - f.seq) >>> 0;
          if (f.data.length > from) this.deliver({ server: d === 1, frame: f.frame, data: f.data.subarray(from), at: f.at + from });
          this.next[d] = (this.next[d] + f.data.length - from) >>> 0;
        }
        list.splice(i, 1);
        return true;
      }
      if (f.seq === this.next[d]) {
        if (f.data.length > 0) this.deliver({ server: d === 1, frame: f.frame, data: f.data, at: f.at });
        this.next[d] = (this.next[d] + f.data.length) >>> 0;
        list.splice(i, 1);
        return true;
      }
    }
    if (useAck && seqLt(lowest, acked)) {
      const n = (lowest - this.next[d]) | 0;
      this.deliver({ server: d === 1, frame, data: missingMarker(n), at: n, missing: true });
      this.next[d] = lowest;
      return true;
    }
    return false;
  }
}

/** The chunk standing for `n` bytes the receiver ACKed but the capture never had (with its NUL, as tshark). */
export function missingMarker(n: number): Uint8Array {
  const text = `[${n} bytes missing in capture file]`;
  const data = new Uint8Array(text.length + 1);
  for (let i = 0; i < text.length; i++) data[i] = text.charCodeAt(i);
  return data;
}

/** Node text as tshark prints it: IPv6 addresses in brackets. */
export const nodeText = (n: FollowNode | undefined): string => (n ? (n.v6 ? `[${n.addr}]:${n.port}` : `${n.addr}:${n.port}`) : ':0');

const SEP = '===================================================================\n';

/** `-z follow,tcp,MODE,…` text. `filter` is the stream's filter as tshark shows it. */
export function formatFollow(f: Pick<TcpFollower, 'client' | 'server' | 'chunks'>, mode: FollowMode, filter: string): string {
  let s = `\n${SEP}Follow: tcp,${mode}\nFilter: ${filter}\nNode 0: ${nodeText(f.client)}\nNode 1: ${nodeText(f.server)}\n`;
  const pos = [0, 0];
  for (const c of f.chunks) {
    const tab = c.server ? '\t' : '';
    const d = c.server ? 1 : 0;
    if (mode === 'ascii') s += `${tab}${c.data.length}\n${asciiText(c.data)}\n`;
    else if (mode === 'raw') {
      s += `${tab}${rawHex(c.data)}\n`;
    } else for (const l of hexLines(c.data, pos[d])) s += `${tab}${l}\n`;
    pos[d] += c.data.length;
  }
  return s + SEP;
}
