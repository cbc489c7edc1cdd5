/**
 * Helpers of the line-oriented protocols (FTP, SMTP, POP, IMAP, the SSH banner): where a line
 * ends, its text without the line end, a PDU length of "every whole line at hand", and the state
 * a conversation shares between its two directions.
 */
import type { DetailNode } from '../model/types';
import type { DirState, Slice, TcpContext, TcpPduLength } from './types';

/** One state object for the whole conversation (both directions hold it under `key`). */
export function connState<T extends DirState>(ctx: TcpContext, key: string): T {
  const d = ctx.dir as Record<string, T | undefined>;
  const p = ctx.peer as Record<string, T | undefined>;
  return (d[key] ??= p[key] ??= {} as T);
}

export interface Line {
  /** Text without CR LF, byte for byte (Latin-1). */
  text: string;
  /** Offsets relative to the slice start: the line and the line with its end. */
  start: number;
  length: number;
}

/** Latin-1 text of bytes [s, e). */
export function latin1(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]);
  return out;
}

/** The lines of [off, end): a last line without LF is a line too. */
export function splitLines(s: Slice): Line[] {
  const out: Line[] = [];
  let at = s.off;
  while (at < s.end) {
    let e = at;
    while (e < s.end && s.b[e] !== 0x0a) e++;
    const next = e < s.end ? e + 1 : e;
    const textEnd = e > at && e < s.end && s.b[e - 1] === 0x0d ? e - 1 : e;
    out.push({ text: latin1(s.b, at, textEnd), start: at - s.off, length: next - at });
    at = next;
  }
  return out;
}

/** Index just past the last LF in [from, end), or -1. */
export function lastLineEnd(b: Uint8Array, from: number, end: number): number {
  for (let i = end - 1; i >= from; i--) if (b[i] === 0x0a) return i + 1;
  return -1;
}

/**
 * A PDU of every whole line at hand (a line cut by the segment waits for the next one: more
 * bytes are asked for, as the desegmenting text dissectors do).
 */
export function wholeLines(s: Slice): TcpPduLength {
  // Bytes held from before have no LF (else they would have made a PDU): search the new ones only.
  const e = lastLineEnd(s.b, s.scan !== undefined ? Math.max(s.off, s.scan) : s.off, s.end);
  return e < 0 ? { more: 1 } : { len: e - s.off };
}

/** A line as a tree node: its text with "\r\n" as tshark prints it. */
export function lineNode(l: Line, b: Uint8Array, off: number, children?: DetailNode[]): DetailNode {
  const crlf = l.length >= 2 && b[off + l.start + l.length - 2] === 0x0d && b[off + l.start + l.length - 1] === 0x0a;
  const lf = !crlf && l.length > 0 && b[off + l.start + l.length - 1] === 0x0a;
  const n: DetailNode = { label: l.text + (crlf ? '\\r\\n' : lf ? '\\n' : ''), start: l.start, length: l.length };
  if (children) n.children = children;
  return n;
}

const utf8 = new TextDecoder('utf-8');
const LETTER: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/** Bytes as tshark's format_text shows them: UTF-8 (bad sequences as U+FFFD), control characters escaped. */
export function escapedText(b: Uint8Array, s: number, e: number): string {
  // One decode and one replace: a flat string (adding a character at a time built a rope of one
  // piece per byte, 30× the text's size, kept by every PDU that holds it).
  return utf8.decode(b.subarray(s, e)).replace(CONTROL, escapeControl);
}
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;
function escapeControl(ch: string): string {
  const c = ch.charCodeAt(0);
  return LETTER[c] ?? '\\' + c.toString(8).padStart(3, '0');
}
