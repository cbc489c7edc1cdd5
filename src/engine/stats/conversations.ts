/**
 * Conversations and endpoints (Statistics → Conversations / Endpoints; `tshark -z conv,TYPE`
 * and `-z endpoints,TYPE`). A table is filled one tapped header at a time, in frame order, as
 * Wireshark's conversation table is: a conversation's address A is the source of its first
 * packet, "A→B" counts packets sent from A (tshark's "->"), and rows keep first-seen order
 * until printed (most frames first, ties in first-seen order).
 */
import { fixed, formatBytes, left, right } from './printf';

export type ConvType = 'eth' | 'ip' | 'ipv6' | 'tcp' | 'udp';
export const CONV_TYPES: readonly ConvType[] = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];
/** Table names as tshark prints them. */
export const CONV_TABLE_NAME: Record<ConvType, string> = { eth: 'Ethernet', ip: 'IPv4', ipv6: 'IPv6', tcp: 'TCP', udp: 'UDP' };
export const hasPorts = (t: ConvType): boolean => t === 'tcp' || t === 'udp';

/** A time relative to the first frame, as Wireshark's nstime (seconds and nanoseconds, same sign). */
export interface RelTime {
  sec: number;
  ns: number;
}

export const relCmp = (a: RelTime, b: RelTime): number => (a.sec !== b.sec ? a.sec - b.sec : a.ns - b.ns);
/** nstime_to_sec: the double tshark prints. */
export const relToSec = (t: RelTime): number => t.sec + t.ns / 1e9;

export interface ConvRow {
  addrA: string;
  addrB: string;
  portA: number;
  portB: number;
  /** tcp.stream for TCP conversations (a reused port pair is a new conversation), else -1. */
  stream: number;
  /** Frames and bytes sent by A (A→B) and by B (B→A). */
  framesAB: number;
  bytesAB: number;
  framesBA: number;
  bytesBA: number;
  start: RelTime;
  stop: RelTime;
  /** First frame number of the conversation (for a UI's "go to"). */
  firstFrame: number;
}

export interface EndpointRow {
  addr: string;
  port: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

/**
 * Addresses as small integers: a table keys its rows by ids, not by text, and a pass that reads
 * headers straight from the bytes (collect.ts's fast path) finds an address's id from its bytes
 * without making its text again. One instance is shared by the tables of a pass.
 */
export class AddressIds {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string): number {
    let i = this.ids.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.ids.set(name, i);
      this.names.push(name);
    }
    return i;
  }
}

/** Ids below 2^26 pair into one exact double key. */
const PAIR = 0x4000000;

export class ConversationTable {
  readonly rows: ConvRow[] = [];
  /** Address ids of each row's A and B. */
  private readonly idA: number[] = [];
  private readonly idB: number[] = [];
  private readonly index = new Map<number | string, number>();
  private lastKey: number | string = -1;
  private lastIndex = 0;

  constructor(
    readonly type: ConvType,
    readonly ids = new AddressIds(),
  ) {}

  /** One tapped packet from src to dst; `rel` is its time since the first frame. */
  add(src: string, dst: string, sport: number, dport: number, stream: number, bytes: number, rel: RelTime, frame: number): ConvRow {
    return this.addIds(this.ids.id(src), this.ids.id(dst), sport, dport, stream, bytes, rel, frame);
  }

  /**
   * The same with the addresses as ids of `this.ids`. `frames` packets at once (of the same
   * direction, the first of them `frame`), sent between times `rel` and `relHi`.
   */
  addIds(a: number, b: number, sport: number, dport: number, stream: number, bytes: number, rel: RelTime, frame: number, frames = 1, relHi = rel): ConvRow {
    // Either direction finds the conversation.
    const fwd = a < b || (a === b && sport <= dport);
    const key =
      stream < 0 && sport === 0 && dport === 0 && a < PAIR && b < PAIR
        ? fwd
          ? a * PAIR + b
          : b * PAIR + a
        : fwd
          ? `${stream}|${a}|${sport}|${b}|${dport}`
          : `${stream}|${b}|${dport}|${a}|${sport}`;
    // Neighbouring frames are mostly of one conversation: the last key found is checked first.
    let i = key === this.lastKey ? this.lastIndex : this.index.get(key);
    let r: ConvRow;
    if (i === undefined) {
      i = this.rows.length;
      this.index.set(key, i);
      r = {
        addrA: this.ids.names[a],
        addrB: this.ids.names[b],
        portA: sport,
        portB: dport,
        stream,
        framesAB: 0,
        bytesAB: 0,
        framesBA: 0,
        bytesBA: 0,
        start: rel,
        stop: relHi,
        firstFrame: frame,
      };
      this.rows.push(r);
      this.idA.push(a);
      this.idB.push(b);
    } else r = this.rows[i];
    this.lastKey = key;
    this.lastIndex = i;
    if (a === this.idA[i] && b === this.idB[i] && sport === r.portA && dport === r.portB) {
      r.framesAB += frames;
      r.bytesAB += bytes;
    } else {
      r.framesBA += frames;
      r.bytesBA += bytes;
    }
    // As Wireshark: a later time moves the end, else an earlier one moves the start (the start
    // is never after the end, so: the latest and the earliest time, whatever the order).
    if (relCmp(relHi, r.stop) > 0) r.stop = relHi;
    if (relCmp(rel, r.start) < 0) r.start = rel;
    return r;
  }
}

export class EndpointTable {
  readonly rows: EndpointRow[] = [];
  private readonly index = new Map<number, number>();

  constructor(
    readonly type: ConvType,
    readonly ids = new AddressIds(),
  ) {}

  add(addr: string, port: number, tx: boolean, bytes: number): void {
    this.addId(this.ids.id(addr), port, tx, bytes);
  }

  /** The same with the address as an id of `this.ids` (`frames` packets at once). */
  addId(a: number, port: number, tx: boolean, bytes: number, frames = 1): void {
    const key = a * 65536 + port;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.rows.length;
      this.index.set(key, i);
      this.rows.push({ addr: this.ids.names[a], port, txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0 });
    }
    const r = this.rows[i];
    if (tx) {
      r.txFrames += frames;
      r.txBytes += bytes;
    } else {
      r.rxFrames += frames;
      r.rxBytes += bytes;
    }
  }
}

/** Rows by total frames, most first; equal totals keep their first-seen order (tshark's print loop). */
function byFrames<T>(rows: readonly T[], total: (r: T) => number): T[] {
  return rows
    .map((r, i) => ({ r, i, t: total(r) }))
    .sort((a, b) => b.t - a.t || a.i - b.i)
    .map((x) => x.r);
}

const RULE = '================================================================================\n';

/** `-z conv,TYPE` text. */
export function formatConversations(t: Pick<ConversationTable, 'type' | 'rows'>, filter?: string): string {
  const ports = hasPorts(t.type);
  const pre = ports ? '            ' : '';
  let s = RULE + `${CONV_TABLE_NAME[t.type]} Conversations\n` + `Filter:${filter ?? '<No Filter>'}\n`;
  s +=
    pre +
    '                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n';
  s +=
    pre +
    '                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n';
  for (const r of byFrames(t.rows, (r) => r.framesAB + r.framesBA)) {
    if (r.framesAB + r.framesBA === 0) continue;
    s += ports
      ? `${left(`${r.addrA}:${r.portA}`, 26)} <-> ${left(`${r.addrB}:${r.portB}`, 26)}`
      : `${left(r.addrA, 20)} <-> ${left(r.addrB, 20)}`;
    s += `  ${right(r.framesBA, 6)} ${left(formatBytes(r.bytesBA), 9)}`;
    s += `  ${right(r.framesAB, 6)} ${left(formatBytes(r.bytesAB), 9)}`;
    s += `  ${right(r.framesAB + r.framesBA, 6)} ${left(formatBytes(r.bytesAB + r.bytesBA), 9)}  `;
    s += right(fixed(relToSec(r.start), 9), 14);
    s += `   ${right(fixed(relToSec(r.stop) - relToSec(r.start), 4), 12)}\n`;
  }
  return s + RULE;
}

/** `-z endpoints,TYPE` text. */
export function formatEndpoints(t: Pick<EndpointTable, 'type' | 'rows'>, filter?: string): string {
  const ports = hasPorts(t.type);
  let s = RULE + `${CONV_TABLE_NAME[t.type]} Endpoints\n` + `Filter:${filter ?? '<No Filter>'}\n`;
  s +=
    '                       |' +
    (ports ? '  Port  ||' : '') +
    '  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n';
  for (const r of byFrames(t.rows, (r) => r.txFrames + r.rxFrames)) {
    s += left(r.addr, 20);
    s += ports ? `      ${right(r.port, 5)}     ${right(r.txFrames + r.rxFrames, 6)}` : `      ${right(r.txFrames + r.rxFrames, 6)}`;
    s += `     ${right(r.txBytes + r.rxBytes, 9)}`;
    s += `     ${right(r.txFrames, 6)}       ${right(r.txBytes, 9)}`;
    s += `      ${right(r.rxFrames, 6)}       ${right(r.rxBytes, 9)}   \n`;
  }
  return s + RULE;
}
