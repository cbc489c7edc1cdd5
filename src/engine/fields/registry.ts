/**
 * The field registry: one definition per field, used by `-e` output, display filters,
 * `--list-fields` (tshark -G fields style) and the UI's completion (CONTRACTS.md).
 *
 * A field has a name, a type (tshark's FT_ type, lower case), a description and `all(c)`, every
 * occurrence in a frame as `tshark -T fields -E occurrence=a` prints them. Optional extras let the
 * display filter go faster or further: `column` (the value straight from the FrameTable, no
 * re-read), `bytes` (raw bytes for slices, `contains`, `matches`, `len()`), `layers` (occurrences
 * by protocol layer, for `field#n`), `bits` (integer width, for literal range checks).
 *
 * Dissectors register their own fields from their own file with `registerFields`.
 */
import type { CaptureSession } from '../session';
import type { FrameCtx } from './project';
import { builtinFields } from './builtin';
import { appFieldDefs } from '../dissect/fields';
import { expertFieldDefs } from './expert-fields';
import { treeFieldDefs } from './tree-fields';

export type FieldType =
  | 'none'
  | 'protocol'
  | 'boolean'
  | 'uint'
  | 'int'
  | 'double'
  | 'reltime'
  | 'abstime'
  | 'string'
  | 'bytes'
  | 'ether'
  | 'ipv4'
  | 'ipv6'
  | 'framenum';

/**
 * The value of a single-valued field read from the frame table alone (frame index n, 1-based):
 * a number, or NaN when the frame does not have the field. Used by the filter's column fast path.
 */
export type ColumnGetter = (s: CaptureSession, n: number) => number;

export interface FieldDef {
  /** 'tcp.analysis.ack_rtt' */
  name: string;
  type: FieldType;
  /** tshark -G fields description, e.g. 'The RTT to ACK the segment was'. */
  desc: string;
  /** Every occurrence in the frame, as tshark -T fields -E occurrence=a prints them ([] = absent). */
  all(c: FrameCtx): string[];
  /** Integer fields: width in bits (8, 16, 24, 32, 64), for "too big for this field" checks. */
  bits?: number;
  /** Column fast path (single-valued fields only): see ColumnGetter. */
  column?: ColumnGetter;
  /**
   * Column fast path for multi-valued fields: writes the frame's values into `out` and returns
   * how many, or -1 when the columns cannot tell (the frame is then re-read).
   */
  columns?(s: CaptureSession, n: number, out: number[]): number;
  /** Raw bytes of every occurrence (protocols, byte fields, addresses): slices, contains, len(). */
  bytes?(c: FrameCtx): Uint8Array[];
  /**
   * Protocols only: the bytes after the protocol's header too (`tcp contains "x"` searches the
   * header and everything after it, while `tcp[i]` and len(tcp) see the header alone).
   */
  tail?(c: FrameCtx): Uint8Array[];
  /** Occurrences found in the n-th (1-based) layer of the field's protocol, for `field#n`. */
  layer?(c: FrameCtx, n: number): string[];
  /** The protocol whose layers `field#n` counts (default: the name's first part). */
  proto?: string;
  /**
   * The value needs the detail tree's capture-wide pass (fields/tree/side.ts: echo and DNS links,
   * UDP streams): hosts run `treeSide(s)` before reading it (`needsSide`).
   */
  side?: boolean;
}

const registry = new Map<string, FieldDef>();
let sorted: FieldDef[] | undefined;
let builtIn = false;

/**
 * The built-in and application fields, registered on the registry's first use rather than when
 * this module loads: the tree builders import the registry, and the projection imports them, so
 * at load time the projection's getters may not exist yet.
 */
function ensureBuiltIn(): void {
  if (builtIn) return;
  builtIn = true;
  add(builtinFields());
  // The application dissectors' fields (src/engine/dissect/).
  add(appFieldDefs());
  // _ws.expert and its message/severity/group, read from the detail tree.
  add(expertFieldDefs());
  // Fields only the detail tree shows (ICMP echo links, checksum statuses, …), read back from it.
  add(treeFieldDefs());
}

/** Register fields; a name registered twice is a programming error and throws. */
export function registerFields(defs: readonly FieldDef[]): void {
  ensureBuiltIn();
  add(defs);
}

function add(defs: readonly FieldDef[]): void {
  for (const d of defs) {
    if (registry.has(d.name)) throw new Error(`field registry: "${d.name}" is registered twice`);
    registry.set(d.name, d);
  }
  sorted = undefined;
}

export function getField(name: string): FieldDef | undefined {
  ensureBuiltIn();
  return registry.get(name);
}

/** Every field, sorted by name. */
export function listFields(): readonly FieldDef[] {
  ensureBuiltIn();
  return (sorted ??= [...registry.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
}

/** Whether any of these fields needs the tree's capture-wide pass first (FieldDef.side). */
export function needsSide(names: Iterable<string>): boolean {
  for (const n of names) if (getField(n)?.side) return true;
  return false;
}

/** The first occurrence, as `-E occurrence=f` prints it ('' when absent). */
export function firstValue(f: FieldDef, c: FrameCtx): string {
  const v = f.all(c);
  return v.length > 0 ? v[0] : '';
}

/** tshark's FT_ name of a type (for --list-fields). */
export function ftName(f: FieldDef): string {
  switch (f.type) {
    case 'none':
      return 'FT_NONE';
    case 'protocol':
      return 'FT_PROTOCOL';
    case 'boolean':
      return 'FT_BOOLEAN';
    case 'uint':
      return `FT_UINT${f.bits ?? 32}`;
    case 'int':
      return `FT_INT${f.bits ?? 32}`;
    case 'double':
      return 'FT_DOUBLE';
    case 'reltime':
      return 'FT_RELATIVE_TIME';
    case 'abstime':
      return 'FT_ABSOLUTE_TIME';
    case 'string':
      return 'FT_STRING';
    case 'bytes':
      return 'FT_BYTES';
    case 'ether':
      return 'FT_ETHER';
    case 'ipv4':
      return 'FT_IPv4';
    case 'ipv6':
      return 'FT_IPv6';
    case 'framenum':
      return 'FT_FRAMENUM';
  }
}

/** One line per field in tshark -G fields style: P/F, description, name, type, protocol. */
export function listFieldsText(): string {
  return listFields()
    .map((f) => (f.type === 'protocol' ? `P\t${f.desc}\t${f.name}` : `F\t${f.desc}\t${f.name}\t${ftName(f)}\t${f.name.split('.')[0]}`))
    .join('\n');
}
