/**
 * Display-filter syntax (Wireshark 4.0 as tshark 4.0.17 reads it): lexer and recursive-descent
 * parser to an AST. Precedence, loosest first: `or`/`||`, `and`/`&&`, `not`/`!`, relations
 * (`== != > < >= <= eq …`, `~= === !== any_ne all_eq`, `contains`, `matches`, `in {…}`), `&`,
 * `+ -`, `* / %`, unary minus, then slices `[…]` and the layer operator `#n`. `{ }` groups
 * arithmetic; `( )` groups logic. 4.0 has no `xor`, and a set needs commas.
 *
 * Errors are FilterError(message in tshark's words, character range). Nesting is bounded
 * (MAX_DEPTH) so hostile input gets an error instead of a stack overflow.
 */

export class FilterError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

export type TokKind = 'word' | 'str' | 'char' | 'op' | 'slice' | 'eof';
export interface Tok {
  k: TokKind;
  /** Source text (word, op), decoded value (str), range text (slice). */
  v: string;
  s: number;
  e: number;
}

/** Longest operators first. */
const OPS = [
  '===',
  '!==',
  '==',
  '!=',
  '~=',
  '>=',
  '<=',
  '&&',
  '||',
  '..',
  '>',
  '<',
  '!',
  '&',
  '+',
  '-',
  '*',
  '/',
  '%',
  '(',
  ')',
  '{',
  '}',
  ',',
  '#',
];
const WORD = /[A-Za-z0-9_.:/-]/;
const WORD_START = /[A-Za-z0-9_.:]/;

export function lex(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const s = i;
    if (ch === '"') {
      const [v, end] = lexString(text, i + 1);
      out.push({ k: 'str', v, s, e: end });
      i = end;
      continue;
    }
    if (ch === "'") {
      const [v, end] = lexChar(text, i + 1);
      out.push({ k: 'char', v, s, e: end });
      i = end;
      continue;
    }
    if (ch === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) throw new FilterError('Unexpected end of filter expression.', i, n);
      out.push({ k: 'slice', v: text.slice(i + 1, close), s, e: close + 1 });
      i = close + 1;
      continue;
    }
    if (WORD_START.test(ch) && !(ch === '.' && text[i + 1] === '.')) {
      let j = i + 1;
      while (j < n && WORD.test(text[j])) {
        // "7000..8000": a range inside a set, not one word
        if (text[j] === '.' && text[j + 1] === '.') break;
        j++;
      }
      out.push({ k: 'word', v: text.slice(i, j), s, e: j });
      i = j;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ k: 'op', v: op, s, e: i + op.length });
      i += op.length;
      continue;
    }
    throw new FilterError(`"${ch}" was unexpected in this context.`, i, i + 1);
  }
  out.push({ k: 'eof', v: '', s: n, e: n });
  return out;
}

function lexString(text: string, i: number): [string, number] {
  let v = '';
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === '"') return [v, i + 1];
    if (ch !== '\\') {
      v += ch;
      i++;
      continue;
    }
    const [u, j] = escape(text, i);
    v += u;
    i = j;
  }
  throw new FilterError('The final quote was missing from a quoted string.', i, n);
}

function lexChar(text: string, i: number): [string, number] {
  let v: string;
  let j: number;
  if (text[i] === '\\') [v, j] = escape(text, i);
  else {
    v = text[i] ?? '';
    j = i + 1;
  }
  if (text[j] !== "'" || v === '') throw new FilterError(`"${text.slice(i - 1, j + 1)}" is not a valid character constant.`, i - 1, j + 1);
  return [v, j + 1];
}

/** One backslash escape at text[i] === '\\': the character(s) and the index after it. */
function escape(text: string, i: number): [string, number] {
  const c = text[i + 1];
  if (c === undefined) throw new FilterError('The final quote was missing from a quoted string.', i, text.length);
  const simple: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    a: '\x07',
    b: '\b',
    f: '\f',
    v: '\v',
    '\\': '\\',
    '"': '"',
    "'": "'",
  };
  if (simple[c] !== undefined) return [simple[c], i + 2];
  if (c === 'x') {
    const m = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2, i + 4));
    if (!m) throw new FilterError(`"\\x" is not a valid escape sequence.`, i, i + 2);
    return [String.fromCharCode(parseInt(m[0], 16)), i + 2 + m[0].length];
  }
  if (c === 'u' || c === 'U') {
    const len = c === 'u' ? 4 : 8;
    const h = text.slice(i + 2, i + 2 + len);
    if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h))
      throw new FilterError(`"\\${c}${h}" is not a valid universal character name.`, i, i + 2 + h.length);
    const cp = parseInt(h, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      throw new FilterError(`"\\${c}${h}" is not a valid universal character name.`, i, i + 2 + len);
    return [String.fromCodePoint(cp), i + 2 + len];
  }
  if (c >= '0' && c <= '7') {
    const m = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4))!;
    return [String.fromCharCode(parseInt(m[0], 8) & 0xff), i + 1 + m[0].length];
  }
  throw new FilterError(`"\\${c}" is not a valid escape sequence.`, i, i + 2);
}

// ---- AST ----

export type RelOp = '==' | '!=' | '>' | '<' | '>=' | '<=' | '===' | '!==' | '~=' | 'contains' | 'matches';
export type Quant = 'any' | 'all' | undefined;

export type Expr =
  | { t: 'word'; v: string; s: number; e: number }
  | { t: 'str'; v: string; s: number; e: number }
  | { t: 'char'; v: string; s: number; e: number }
  | { t: 'slice'; a: Expr; ranges: SliceRange[]; text: string; s: number; e: number }
  | { t: 'layer'; a: Expr; n: number; s: number; e: number }
  | { t: 'fn'; name: string; args: Expr[]; s: number; e: number }
  | { t: 'arith'; op: '+' | '-' | '*' | '/' | '%' | '&'; a: Expr; b: Expr; s: number; e: number }
  | { t: 'neg'; a: Expr; s: number; e: number };

/** [i:j] start i, length j; [i-j] i to j inclusive; [i] one byte; [i:] to the end. Negative = from the end. */
export interface SliceRange {
  start: number;
  /** Length, or undefined = to the end. */
  len: number | undefined;
}

export type SetElem = { lo: Expr; hi?: Expr };

export type Node =
  | { t: 'or' | 'and'; a: Node; b: Node; s: number; e: number }
  | { t: 'not'; a: Node; s: number; e: number }
  | { t: 'rel'; op: RelOp; quant: Quant; a: Expr; b: Expr; s: number; e: number }
  | { t: 'in'; a: Expr; set: SetElem[]; quant: Quant; s: number; e: number }
  | { t: 'test'; a: Expr; s: number; e: number };

export const MAX_DEPTH = 200;

const REL_WORDS: Record<string, RelOp> = {
  eq: '==',
  any_eq: '==',
  ne: '!=',
  all_ne: '!=',
  gt: '>',
  lt: '<',
  ge: '>=',
  le: '<=',
  all_eq: '===',
  any_ne: '~=',
  contains: 'contains',
  matches: 'matches',
};
const REL_OPS = new Set(['==', '!=', '>', '<', '>=', '<=', '===', '!==', '~=']);

export function parse(text: string): Node {
  const toks = lex(text);
  let i = 0;
  let depth = 0;
  const peek = (): Tok => toks[i];
  const next = (): Tok => toks[i++];
  const isOp = (v: string): boolean => toks[i].k === 'op' && toks[i].v === v;
  const isWord = (v: string): boolean => toks[i].k === 'word' && toks[i].v === v;
  const unexpected = (t: Tok): FilterError =>
    t.k === 'eof'
      ? new FilterError('Unexpected end of filter expression.', t.s, t.e)
      : new FilterError(`"${text.slice(t.s, t.e)}" was unexpected in this context.`, t.s, t.e);
  const enter = (t: Tok): void => {
    if (++depth > MAX_DEPTH) throw new FilterError(`Filter is nested too deeply (more than ${MAX_DEPTH} levels).`, t.s, t.e);
  };

  function orExpr(): Node {
    let a = andExpr();
    while (isOp('||') || isWord('or')) {
      next();
      const b = andExpr();
      a = { t: 'or', a, b, s: a.s, e: b.e };
    }
    return a;
  }
  function andExpr(): Node {
    let a = notExpr();
    while (isOp('&&') || isWord('and')) {
      next();
      const b = notExpr();
      a = { t: 'and', a, b, s: a.s, e: b.e };
    }
    return a;
  }
  function notExpr(): Node {
    const t = peek();
    if (isOp('!') || isWord('not')) {
      next();
      enter(t);
      const a = notExpr();
      depth--;
      return { t: 'not', a, s: t.s, e: a.e };
    }
    return relation();
  }
  function relation(): Node {
    const t = peek();
    if (isOp('(')) {
      next();
      enter(t);
      const a = orExpr();
      depth--;
      if (!isOp(')')) throw unexpected(peek());
      next();
      return a;
    }
    let quant: Quant;
    if (
      (isWord('any') || isWord('all')) &&
      toks[i + 1].k !== 'eof' &&
      !(toks[i + 1].k === 'op' && toks[i + 1].v !== '{' && toks[i + 1].v !== '-')
    ) {
      quant = next().v as Quant;
    }
    const a = bitExpr();
    const r = peek();
    let op: RelOp | undefined;
    if (r.k === 'op' && REL_OPS.has(r.v)) op = r.v as RelOp;
    else if (r.k === 'word' && REL_WORDS[r.v]) op = REL_WORDS[r.v];
    if (op) {
      next();
      const b = bitExpr();
      return { t: 'rel', op, quant, a, b, s: t.s, e: b.e };
    }
    if (isWord('in') || (isWord('not') && toks[i + 1].k === 'word' && toks[i + 1].v === 'in')) {
      const neg = next().v === 'not';
      if (neg) next();
      const set = parseSet();
      const node: Node = { t: 'in', a, set, quant, s: t.s, e: toks[i - 1].e };
      return neg ? { t: 'not', a: node, s: t.s, e: node.e } : node;
    }
    if (quant) throw unexpected(r);
    return { t: 'test', a, s: a.s, e: a.e };
  }
  function parseSet(): SetElem[] {
    if (!isOp('{')) throw unexpected(peek());
    next();
    const out: SetElem[] = [];
    for (;;) {
      const lo = bitExpr();
      let hi: Expr | undefined;
      if (isOp('..')) {
        next();
        hi = bitExpr();
      }
      out.push({ lo, hi });
      if (isOp(',')) {
        next();
        continue;
      }
      if (isOp('}')) {
        next();
        return out;
      }
      throw unexpected(peek());
    }
  }
  function bitExpr(): Expr {
    let a = addExpr();
    while (isOp('&') || isWord('bitwise_and')) {
      next();
      const b = addExpr();
      a = { t: 'arith', op: '&', a, b, s: a.s, e: b.e };
    }
    return a;
  }
  function addExpr(): Expr {
    let a = mulExpr();
    while (isOp('+') || isOp('-')) {
      const op = next().v as '+' | '-';
      const b = mulExpr();
      a = { t: 'arith', op, a, b, s: a.s, e: b.e };
    }
    return a;
  }
  function mulExpr(): Expr {
    let a = unary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = next().v as '*' | '/' | '%';
      const b = unary();
      a = { t: 'arith', op, a, b, s: a.s, e: b.e };
    }
    return a;
  }
  function unary(): Expr {
    const t = peek();
    if (isOp('-')) {
      next();
      enter(t);
      const a = unary();
      depth--;
      // A negative literal stays a literal ("-1"): the type check converts it.
      if (a.t === 'word' && a.s === t.e && /^[0-9.]/.test(a.v)) return { t: 'word', v: '-' + a.v, s: t.s, e: a.e };
      return { t: 'neg', a, s: t.s, e: a.e };
    }
    if (isOp('+')) {
      next();
      return unary();
    }
    return postfix(primary());
  }
  function postfix(a: Expr): Expr {
    for (;;) {
      const t = peek();
      if (t.k === 'slice') {
        next();
        a = { t: 'slice', a, ranges: parseRanges(t), text: t.v, s: a.s, e: t.e };
      } else if (isOp('#')) {
        next();
        const w = next();
        if (w.k !== 'word' || !/^\d+$/.test(w.v)) throw unexpected(w);
        a = { t: 'layer', a, n: Number(w.v), s: a.s, e: w.e };
      } else return a;
    }
  }
  function primary(): Expr {
    const t = next();
    if (t.k === 'str') return { t: 'str', v: t.v, s: t.s, e: t.e };
    if (t.k === 'char') return { t: 'char', v: t.v, s: t.s, e: t.e };
    if (t.k === 'op' && t.v === '{') {
      enter(t);
      const a = bitExpr();
      depth--;
      if (!isOp('}')) throw unexpected(peek());
      next();
      return a;
    }
    if (t.k === 'word') {
      if (isOp('(')) {
        next();
        enter(t);
        const args: Expr[] = [];
        if (!isOp(')')) {
          for (;;) {
            args.push(bitExpr());
            if (isOp(',')) {
              next();
              continue;
            }
            break;
          }
        }
        depth--;
        if (!isOp(')')) throw unexpected(peek());
        const close = next();
        return { t: 'fn', name: t.v, args, s: t.s, e: close.e };
      }
      if (KEYWORDS.has(t.v)) throw unexpected(t);
      return { t: 'word', v: t.v, s: t.s, e: t.e };
    }
    throw unexpected(t);
  }
  function parseRanges(t: Tok): SliceRange[] {
    const out: SliceRange[] = [];
    for (const part of t.v.split(',')) {
      const p = part.trim();
      let m: RegExpExecArray | null;
      const bad = (): FilterError => new FilterError(`"${p}" is not a valid range.`, t.s, t.e);
      if ((m = /^(-?\d+)\s*:\s*(\d*)$/.exec(p))) out.push({ start: Number(m[1]), len: m[2] === '' ? undefined : Number(m[2]) });
      else if ((m = /^:\s*(\d+)$/.exec(p))) out.push({ start: 0, len: Number(m[1]) });
      else if ((m = /^(-?\d+)\s*-\s*(-?\d+)$/.exec(p))) {
        const a = Number(m[1]);
        const b = Number(m[2]);
        if (a >= 0 !== b >= 0 || b < a) throw bad();
        out.push({ start: a, len: b - a + 1 });
      } else if ((m = /^(-?\d+)$/.exec(p))) out.push({ start: Number(m[1]), len: 1 });
      else throw bad();
      if (out[out.length - 1].len === 0) throw bad();
    }
    return out;
  }

  if (toks.length === 1) throw new FilterError('Unexpected end of filter expression.', 0, 0);
  const root = orExpr();
  if (peek().k !== 'eof') throw unexpected(peek());
  return root;
}

const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'eq',
  'ne',
  'gt',
  'lt',
  'ge',
  'le',
  'any_eq',
  'all_ne',
  'all_eq',
  'any_ne',
  'contains',
  'matches',
  'bitwise_and',
]);
