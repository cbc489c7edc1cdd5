/**
 * Field-name completion for the filter bar: the field name being typed at the caret and the
 * registry's fields that extend it.
 */
export interface FieldInfo {
  name: string;
  type: string;
  desc: string;
}

/** The word at the caret that completion would replace: [start, caret). */
export function wordAt(text: string, caret: number): { start: number; word: string } {
  let i = caret;
  while (i > 0 && /[A-Za-z0-9_.-]/.test(text[i - 1])) i--;
  return { start: i, word: text.slice(i, caret) };
}

/**
 * Fields for `word`: names starting with it first (alphabetical, as Wireshark lists them), then
 * names containing it; at most `max`. A word that starts with a digit is a value, not a field.
 */
export function completions(fields: readonly FieldInfo[], word: string, max = 12): FieldInfo[] {
  if (!word || /^[0-9]/.test(word)) return [];
  const w = word.toLowerCase();
  const starts: FieldInfo[] = [];
  const contains: FieldInfo[] = [];
  for (const f of fields) {
    const n = f.name.toLowerCase();
    if (n === w) continue;
    if (n.startsWith(w)) starts.push(f);
    else if (w.length >= 3 && n.includes(w)) contains.push(f);
  }
  starts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...starts, ...contains].slice(0, max);
}

/** Replace the word at the caret by `name`; returns the new text and caret. */
export function accept(text: string, caret: number, name: string): { text: string; caret: number } {
  const { start } = wordAt(text, caret);
  let end = caret;
  while (end < text.length && /[A-Za-z0-9_.-]/.test(text[end])) end++;
  const out = text.slice(0, start) + name + text.slice(end);
  return { text: out, caret: start + name.length };
}

/** A display-filter string literal: backslash and quote escaped, control characters as \xhh. */
export function quote(value: string): string {
  // eslint-disable-next-line no-control-regex
  const body = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `"${body}"`;
}

/** A field's value as a display-filter literal (strings quoted, byte strings with colons). */
export function literal(type: string | undefined, value: string): string {
  if (type === 'string' || (type === undefined && !/^[\w.:/-]+$/.test(value))) return quote(value);
  if (type === 'bytes' && /^([0-9a-f]{2})+$/i.test(value) && value.length > 2) return value.match(/../g)!.join(':');
  return value;
}

export type PrepareKind = 'selected' | 'not' | 'and' | 'or' | 'andNot' | 'orNot';

export const PREPARE_LABELS: [PrepareKind, string][] = [
  ['selected', 'Selected'],
  ['not', 'Not Selected'],
  ['and', '…and Selected'],
  ['or', '…or Selected'],
  ['andNot', '…and not Selected'],
  ['orNot', '…or not Selected'],
];

/** Wireshark's "Apply/Prepare as Filter" combinations of the current filter and `expr`. */
export function combine(kind: PrepareKind, current: string, expr: string): string {
  const cur = current.trim();
  const not = `!(${expr})`;
  if (kind === 'selected') return expr;
  if (kind === 'not') return not;
  if (!cur) return kind === 'and' || kind === 'or' ? expr : not;
  const c = `(${cur})`;
  if (kind === 'and') return `${c} && ${expr}`;
  if (kind === 'or') return `${c} || ${expr}`;
  if (kind === 'andNot') return `${c} && ${not}`;
  return `${c} || ${not}`;
}

/** The filter expression that selects a detail node's field value ("tcp.srcport == 80", "tcp.analysis.lost_segment"). */
export function nodeExpression(node: { field?: string; value?: string }, type: string | undefined): string | undefined {
  if (!node.field) return undefined;
  const v = node.value;
  if (v === undefined || v === '' || type === 'none' || type === 'protocol') return node.field;
  return `${node.field} == ${literal(type, v)}`;
}
