/**
 * The io,stat pass: every frame decoded again and projected (FrameCtx), each column's display
 * filter tried (filter/index.ts), its field's occurrences read through the field registry (the
 * values `-T fields -e FIELD -E occurrence=a` prints).
 */
import { Packet } from '../decode/packet';
import { frameCtx, type FrameCtx } from '../fields/project';
import { getField, type FieldDef } from '../fields/registry';
import { compileFilter, matchesCtx } from '../filter/index';
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

/** A column's display filter as a predicate ('' = every frame). Throws IoStatError with the filter's message. */
export function framePredicate(text: string): (c: FrameCtx) => boolean {
  if (text.trim() === '') return () => true;
  const r = compileFilter(text);
  if (!r.ok) throw new IoStatError(`invalid filter "${text}": ${r.error.message}`);
  const f = r.filter;
  return (c) => matchesCtx(f, c);
}

/** Check a spec's fields and filters; returns each column's value kind. */
export function prepareIoStat(spec: IoStatSpec): { kinds: IoValueKind[]; filters: ((c: FrameCtx) => boolean)[]; fields: (FieldDef | undefined)[] } {
  const fields = spec.columns.map((col) => {
    if (!col.field) return undefined;
    const f = getField(col.field);
    if (!f) throw new IoStatError(`Field "${col.field}" doesn't exist.`);
    if (col.calc !== 'COUNT' && !fieldKind(f)) throw new IoStatError(`${col.calc}(${col.field}): the field is not a number.`);
    return f;
  });
  const kinds = fields.map((f) => (f ? (fieldKind(f) ?? 'int') : 'int'));
  return { kinds, fields, filters: spec.columns.map((c) => framePredicate(c.filter)) };
}

/** Bin every frame of a loaded session into the spec's columns. */
export async function binIoStat(s: CaptureSession, spec: IoStatSpec): Promise<{ bins: IoStatBins; kinds: IoValueKind[] }> {
  const { kinds, fields, filters } = prepareIoStat(spec);
  const bins = new IoStatBins(spec);
  const p = new Packet();
  const total = s.frameCount;
  const frameLen = getField('frame.len')!.column!;
  s.decoder.replay = true;
  let n = 0;
  await s.reread(
    {
      onFrame(buf: Uint8Array, off: number, capLen: number, origLen: number, _s: number, _ns: number, linkType: number) {
        n++;
        if (n > total) return;
        s.decoder.decode(p, buf, off, capLen, origLen, linkType, n);
        const c = frameCtx(s, n, p, buf, off);
        const [sec, ns] = s.frames.secNsBetween(n, 1);
        const us = relUs(sec, ns);
        if (us > bins.durationUs) bins.durationUs = us;
        for (let j = 0; j < filters.length; j++) {
          if (!filters[j](c)) continue;
          const f = fields[j];
          bins.add(j, us, frameLen(s, n), f ? f.all(c).map((v) => parseFieldValue(v, kinds[j])) : []);
        }
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
