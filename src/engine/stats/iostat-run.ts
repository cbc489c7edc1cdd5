/**
 * The io,stat pass, in frame order. Each column's display filter is first asked of the frame
 * table (filter/index.ts matchesColumns: 0, 1 or "needs the bytes"), and an integer field with a
 * column getter (frame.len, tcp.window_size …) is read from the table too; only the frames some
 * column cannot answer that way are decoded again and projected (FrameCtx), their filter tried on
 * the decoded frame and the field's occurrences read through the field registry (the values
 * `-T fields -e FIELD -E occurrence=a` prints). When few frames need it they are read in batches
 * of neighbours (fields/decode-again.ts decodeFrames) before the pass; else the file is read
 * through once, decoding only those frames.
 */
import { Packet } from '../decode/packet';
import { frameCtx, type FrameCtx } from '../fields/project';
import { decodeFrames } from '../fields/decode-again';
import { getField, type ColumnGetter, type FieldDef } from '../fields/registry';
import { compileFilter, matchesColumnsRange, matchesCtx, type CompiledFilter } from '../filter/index';
import type { CaptureSession } from '../session';
import { IoStatBins, IoStatError, formatIoStat, parseFieldValue, relUs, type IoStatSpec, type IoValueKind } from './iostat';

/** How io,stat adds up a field's values; undefined for a type it cannot add (COUNT only). */
export function fieldKind(f: FieldDef): IoValueKind | undefined {
  switch (f.type) {
    case 'reltime':
      return 'reltime';
    case 'double':
      return 'double';
    case 'uint':
    case 'int':
    case 'framenum':
    case 'boolean':
      return 'int';
    default:
      return undefined;
  }
}

/** A column's display filter compiled (undefined for '' = every frame). Throws IoStatError with the filter's message. */
function columnFilter(text: string): CompiledFilter | undefined {
  if (text.trim() === '') return undefined;
  const r = compileFilter(text);
  if (!r.ok) throw new IoStatError(`invalid filter "${text}": ${r.error.message}`);
  return r.filter;
}

/** Check a spec's fields and filters; returns each column's value kind and compiled filter. */
export function prepareIoStat(spec: IoStatSpec): { kinds: IoValueKind[]; filters: (CompiledFilter | undefined)[]; fields: (FieldDef | undefined)[] } {
  const fields = spec.columns.map((col) => {
    if (!col.field) return undefined;
    const f = getField(col.field);
    if (!f) throw new IoStatError(`Field "${col.field}" doesn't exist.`);
    if (col.calc !== 'COUNT' && !fieldKind(f)) throw new IoStatError(`${col.calc}(${col.field}): the field is not a number.`);
    return f;
  });
  const kinds = fields.map((f) => (f ? (fieldKind(f) ?? 'int') : 'int'));
  return { kinds, fields, filters: spec.columns.map((c) => columnFilter(c.filter)) };
}

/** Integer field types whose column getter gives the value `-e` prints. */
const COLUMN_TYPES = new Set(['uint', 'int', 'framenum']);

/** Bin every frame of a loaded session into the spec's columns. */
export async function binIoStat(s: CaptureSession, spec: IoStatSpec): Promise<{ bins: IoStatBins; kinds: IoValueKind[] }> {
  const { kinds, fields, filters } = prepareIoStat(spec);
  const bins = new IoStatBins(spec);
  const p = new Packet();
  const total = s.frameCount;
  const frameLen = getField('frame.len')!.column!;
  const ncol = spec.columns.length;
  const colValue: (ColumnGetter | undefined)[] = fields.map((f) => (f?.column && COLUMN_TYPES.has(f.type) ? f.column : undefined));
  /** Column j on the decoded frame: the field's values, or null when the filter says no. */
  const onCtx = (j: number, c: FrameCtx): number[] | null => {
    const f = filters[j];
    if (f && !matchesCtx(f, c)) return null;
    const fd = fields[j];
    return fd ? fd.all(c).map((v) => parseFieldValue(v, kinds[j])) : [];
  };
  // Each column's answer for each frame, asked of the table once (the pass below reads it again).
  const answers = spec.columns.map(() => new Uint8Array(total + 1));
  const one: number[] = [0];
  const none: number[] = [];
  const t = s.frames;
  const sec0 = total > 0 ? t.secOf(0) : 0;
  const ns0 = total > 0 ? t.tsNsec[0] | 0 : 0;
  /** Add frame n; `ctx` answers the columns that need the decoded frame. */
  const add = (n: number, ctx: ((j: number) => number[] | null) | undefined): void => {
    // FrameTable.secNsBetween(n, 1), without its pair.
    const us = relUs(t.secOf(n - 1) - sec0, ((t.tsNsec[n - 1] | 0) - ns0) | 0);
    if (us > bins.durationUs) bins.durationUs = us;
    for (let j = 0; j < ncol; j++) {
      const r = answers[j][n];
      if (r === 0) continue;
      let values: number[] | null;
      if (r === 2) values = ctx!(j);
      else if (colValue[j]) {
        const v = colValue[j]!(s, n);
        one[0] = v;
        values = v === v ? one : none;
      } else values = none;
      if (values) bins.add(j, us, frameLen(s, n), values);
    }
  };
  for (let j = 0; j < ncol; j++) {
    const a = answers[j];
    const f = filters[j];
    if (f) matchesColumnsRange(f, s, 1, total, a);
    else a.fill(1);
    // A field the table does not hold: the frames the filter keeps are decoded.
    if (fields[j] && !colValue[j]) for (let n = 1; n <= total; n++) if (a[n] === 1) a[n] = 2;
  }
  const wanted: number[] = [];
  for (let n = 1; n <= total; n++) {
    for (let j = 0; j < ncol; j++)
      if (answers[j][n] === 2) {
        wanted.push(n);
        break;
      }
  }
  if (wanted.length <= total / 8) {
    // Few frames to decode: decode them first (batched reads of neighbours), then one pass in order.
    const got = new Map<number, (number[] | null)[]>();
    await decodeFrames(s, p, wanted, (n, c) => {
      const row: (number[] | null)[] = [];
      for (let j = 0; j < ncol; j++) row.push(answers[j][n] === 2 ? onCtx(j, c) : null);
      got.set(n, row);
    });
    for (let n = 1; n <= total; n++) {
      const row = got.get(n);
      add(n, row ? (j) => row[j] : undefined);
    }
    return { bins, kinds };
  }
  s.decoder.replay = true;
  let n = 0;
  await s.reread(
    {
      onFrame(buf: Uint8Array, off: number, capLen: number, origLen: number, _s: number, _ns: number, linkType: number) {
        n++;
        if (n > total) return;
        let c: FrameCtx | undefined;
        add(n, (j) => {
          if (!c) {
            s.decoder.decode(p, buf, off, capLen, origLen, linkType, n);
            c = frameCtx(s, n, p, buf, off);
          }
          return onCtx(j, c);
        });
      },
    },
    () => n >= total,
  );
  return { bins, kinds };
}

export async function ioStatText(s: CaptureSession, spec: IoStatSpec): Promise<string> {
  const { bins, kinds } = await binIoStat(s, spec);
  return formatIoStat(bins, kinds);
}
