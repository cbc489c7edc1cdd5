/**
 * Display filters (Wireshark 4.0's language, as tshark 4.0.17 reads it): compile once, then run
 * over a session's frames. See CONTRACTS.md for the API other parts code against.
 *
 *   text ─lex/parse (parser.ts)─▶ AST ─type check against the field registry (compile.ts)─▶ predicate
 *
 * The predicate answers first from the frame table's columns (0 no, 1 yes, 2 cannot tell);
 * only frames left at 2 are re-read and re-decoded (in batches of neighbouring frames).
 */
import type { CaptureSession } from '../session';
import { Packet } from '../decode/packet';
import { prepareApp } from '../dissect/app';
import { treeSide } from '../fields/tree/side';
import { needsSide } from '../fields/registry';
import { decodeAgain } from '../fields/decode-again';
import type { FrameCtx } from '../fields/project';
import { compileAst, type Pred } from './compile';
import { FilterError, parse } from './parser';

export interface FilterDiagnostic {
  message: string;
  start: number;
  end: number;
}

export interface CompiledFilter {
  readonly text: string;
  /** questionable but valid (deprecated/ambiguous operator): the filter bar turns yellow */
  readonly warnings: FilterDiagnostic[];
  /** true when every field it reads lives in the frame table's columns (no re-read needed) */
  readonly columnOnly: boolean;
}

interface Impl extends CompiledFilter {
  readonly pred: Pred;
  readonly fields: ReadonlySet<string>;
}

export type CompileResult = { ok: true; filter: CompiledFilter } | { ok: false; error: FilterDiagnostic };

/** Longest filter text accepted (a filter bar never needs more; 100 KB of garbage is refused at once). */
export const MAX_FILTER_LENGTH = 64 * 1024;

export function compileFilter(text: string): CompileResult {
  try {
    if (text.length > MAX_FILTER_LENGTH)
      throw new FilterError(
        `Filter is too long (${text.length} characters; at most ${MAX_FILTER_LENGTH}).`,
        MAX_FILTER_LENGTH,
        text.length,
      );
    const ast = parse(text);
    const c = compileAst(ast);
    const warnings: FilterDiagnostic[] = [];
    deprecatedWarnings(text, warnings);
    const filter: Impl = { text, warnings, columnOnly: c.columnOnly, pred: c.pred, fields: c.fields };
    return { ok: true, filter };
  } catch (e) {
    if (e instanceof FilterError) return { ok: false, error: { message: e.message, start: e.start, end: Math.max(e.end, e.start) } };
    if (e instanceof RangeError) return { ok: false, error: { message: 'Filter is nested too deeply.', start: 0, end: text.length } };
    throw e;
  }
}

/**
 * Wireshark 4.0 marks `!=` on a multi-valued field as questionable in its filter bar (yellow):
 * it means "all not equal". Flag `!=`/`ne` so the UI can say so.
 */
function deprecatedWarnings(text: string, out: FilterDiagnostic[]): void {
  const re = /!=(?!=)|\bne\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    out.push({
      message: `"${m[0]}" is ambiguous on fields with several values: it means "all not equal"; "~=" means "any not equal".`,
      start: m.index,
      end: m.index + m[0].length,
    });
  }
}

const impl = (f: CompiledFilter): Impl => f as Impl;

/** One frame already decoded (used where a FrameCtx is at hand, e.g. -z with -Y, io,stat lines). */
export function matchesCtx(f: CompiledFilter, c: FrameCtx): boolean {
  return impl(f).pred({ s: c.s, n: c.n, c }) === 1;
}

/** The fields the filter reads (hosts check FieldDef.side with `needsSide`). */
export function filterFields(f: CompiledFilter): ReadonlySet<string> {
  return impl(f).fields;
}

/**
 * The column pass alone for frame n: 0 (no), 1 (yes) or 2 (needs the frame's bytes: call
 * matchesCtx on its decoded context). Hosts that decode frames anyway (the CLI) use this.
 */
export function matchesColumns(f: CompiledFilter, s: CaptureSession, n: number): 0 | 1 | 2 {
  return impl(f).pred({ s, n, c: undefined });
}

/** matchesColumns for every frame from..to (1-based, inclusive): out[n] = 0, 1 or 2 (one context object for them all). */
export function matchesColumnsRange(f: CompiledFilter, s: CaptureSession, from: number, to: number, out: Uint8Array): void {
  const pred = impl(f).pred;
  const x = { s, n: 0, c: undefined as FrameCtx | undefined };
  for (let n = from; n <= to; n++) {
    x.n = n;
    out[n] = pred(x);
  }
}

/** Frames re-read at once: at most this many, spanning at most BATCH_BYTES of the file. */
const BATCH_FRAMES = 2048;
const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Frames from..to (1-based, inclusive) of the session that match, ascending. Re-reads bytes only for
 * frames the column part has not ruled out. Calls onProgress(doneUpTo) between batches; stops early
 * (resolving with what it found so far) when signal.aborted becomes true.
 */
export async function filterFrames(
  s: CaptureSession,
  f: CompiledFilter,
  from: number,
  to: number,
  opts?: { signal?: { aborted: boolean }; onProgress?: (doneUpTo: number, matches: Uint32Array) => void },
): Promise<Uint32Array> {
  const pred = impl(f).pred;
  const side = needsSide(impl(f).fields);
  const first = Math.max(1, from);
  const last = Math.min(to, s.frameCount);
  let out = new Uint32Array(1024);
  let count = 0;
  const push = (n: number): void => {
    if (count === out.length) {
      const b = new Uint32Array(out.length * 2);
      b.set(out);
      out = b;
    }
    out[count++] = n;
  };
  const x = { s, n: 0, c: undefined as FrameCtx | undefined };
  const p = new Packet();
  const pending: number[] = [];
  const t = s.frames;
  let pendLo = Infinity;
  let pendHi = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const a = pending[0];
    const b = pending[pending.length - 1];
    await prepareApp(s, b);
    // Fields read from the capture-wide pass (echo and DNS links, UDP streams, _ws.expert's tree), once loaded.
    if (s.isLoaded && side) await treeSide(s);
    const { bytes, offsets } = await s.readFrames(a, b);
    for (const n of pending) {
      const off = offsets[n - a];
      const c = decodeAgain(s, p, n, bytes, off);
      x.n = n;
      x.c = c;
      if (pred(x) === 1) push(n);
    }
    x.c = undefined;
    pending.length = 0;
    pendLo = Infinity;
    pendHi = 0;
  };
  const STEP = 65536;
  for (let lo = first; lo <= last; lo += STEP) {
    const hi = Math.min(last, lo + STEP - 1);
    for (let n = lo; n <= hi; n++) {
      x.n = n;
      const r = pred(x);
      if (r === 1) {
        // Keep the order: frames waiting for a re-read come first.
        if (pending.length) await flush();
        push(n);
      } else if (r === 2) {
        const o = t.offsetOf(n - 1);
        const e = o + t.capLen[n - 1];
        if (pending.length && (pending.length >= BATCH_FRAMES || Math.max(pendHi, e) - Math.min(pendLo, o) > BATCH_BYTES)) {
          await flush();
          if (opts?.signal?.aborted) return out.slice(0, count);
        }
        pending.push(n);
        pendLo = Math.min(pendLo, o);
        pendHi = Math.max(pendHi, e);
      }
    }
    if (pending.length && hi === last) await flush();
    opts?.onProgress?.(pending.length ? pending[0] - 1 : hi, out.subarray(0, count));
    if (opts?.signal?.aborted) break;
    // Let other messages through between steps (the worker stays responsive).
    if (hi < last) await Promise.resolve();
  }
  await flush();
  return out.slice(0, count);
}

export { FilterError } from './parser';
