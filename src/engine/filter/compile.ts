/**
 * Type check and compile a parsed display filter against the field registry, into a predicate
 * that runs in two passes (see index.ts): first on the frame table's columns alone (fields with
 * a `column`/`columns` getter), answering 0 (no), 1 (yes) or 2 (cannot tell without the bytes);
 * then, for the frames left at 2, on the re-decoded frame.
 *
 * Multi-valued fields (ip.addr, tcp.port, eth.addr, …) follow Wireshark 4.0: `==` is "any
 * equal", `!=` is "all not equal" (= !(a == b) when the field exists), `~=`/`!==`/any_ne "any not
 * equal", `===`/all_eq "all equal"; the `any`/`all` prefixes choose for the other operators.
 */
import type { CaptureSession } from '../session';
import type { FrameCtx } from '../fields/project';
import { getField, type FieldDef, type FieldType } from '../fields/registry';
import {
  convertLiteral,
  parseAbsTime,
  parseIpv4,
  parseIpv6,
  parseEther,
  repOf,
  toBytes,
  typeName,
  type Lit,
  type LitSource,
  type Rep,
  type Val,
} from './literals';
import { FilterError, type Expr, type Node, type RelOp, type SetElem } from './parser';
import { compileRegex, RegexError } from './regex';

/** One frame being tested: the context is there in the second pass only. */
export interface X {
  s: CaptureSession;
  n: number;
  c: FrameCtx | undefined;
}
/** Values of an expression on a frame; null = unknown without the frame's bytes. */
type Vals = Val[] | null;
/** 0 = false, 1 = true, 2 = unknown without the frame's bytes. */
export type Tri = 0 | 1 | 2;
export type Pred = (x: X) => Tri;

interface CE {
  rep: Rep;
  /** The type literals met by this expression are converted to (a field, or a synthetic one). */
  def: FieldDef;
  get(x: X): Vals;
  /** Whether the column pass can always answer (no null). */
  col: boolean;
  /** A bare field (for count(), string(), messages). */
  field?: FieldDef;
  /** An unconverted literal (converted when it meets the other side). */
  lit?: LitSource;
  s: number;
  e: number;
}

export interface Compiled {
  pred: Pred;
  columnOnly: boolean;
  /** Names of the fields read. */
  fields: Set<string>;
}

const synth = (type: FieldType, bits = 64, name = type): FieldDef => ({ name, type, desc: '', all: () => [], bits });
const U32 = synth('uint', 32);

const enc = new TextEncoder();

function toNum(t: FieldType, v: string): number {
  if (t === 'ipv4') return parseIpv4(v) ?? NaN;
  if (t === 'double' || t === 'reltime' || t === 'abstime') return parseFloat(v);
  return Number(v);
}

function hexToBytes(v: string): Uint8Array {
  const h = v.replace(/[:.-]/g, '');
  const out = new Uint8Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(i * 2, 2), 16);
  return out;
}

/** Typed values of a field from its printed values (or raw bytes when the field has them). */
export function fieldVals(def: FieldDef, c: FrameCtx, tail = false): Val[] {
  if (tail && def.tail) return def.tail(c);
  if (def.type === 'abstime') return def.all(c).map((v) => parseAbsTime(v) ?? '');
  if (def.bytes) return def.bytes(c);
  const all = def.all(c);
  switch (repOf(def.type)) {
    case 'num':
      return all.map((v) => toNum(def.type, v));
    case 'str':
      return all;
    case 'bytes':
      return all.map((v) =>
        def.type === 'ipv6'
          ? (parseIpv6(v) ?? new Uint8Array(0))
          : def.type === 'ether'
            ? ((parseEther(v) as Uint8Array | undefined) ?? new Uint8Array(0))
            : hexToBytes(v),
      );
  }
}

function bytesCmp(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
function bytesEq(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
function bytesIndexOf(h: Uint8Array, n: Uint8Array): number {
  if (n.length === 0) return 0;
  const first = n[0];
  const last = h.length - n.length;
  outer: for (let i = h.indexOf(first); i >= 0 && i <= last; i = h.indexOf(first, i + 1)) {
    for (let k = 1; k < n.length; k++) if (h[i + k] !== n[k]) continue outer;
    return i;
  }
  return -1;
}

type Cmp2 = (x: Val, y: Val) => number;
const numCmp: Cmp2 = (x, y) => (x as number) - (y as number);
const strCmp: Cmp2 = (x, y) => ((x as string) < (y as string) ? -1 : (x as string) > (y as string) ? 1 : 0);
const bytesCmp2: Cmp2 = (x, y) => bytesCmp(x as Uint8Array, y as Uint8Array);
const cmpOf = (r: Rep): Cmp2 => (r === 'num' ? numCmp : r === 'str' ? strCmp : bytesCmp2);

/** Equality, honouring a CIDR prefix on the literal side. */
function eqFor(rep: Rep, lit?: Lit): (x: Val, y: Val) => boolean {
  if (lit?.prefix !== undefined) {
    const p = lit.prefix;
    if (typeof lit.v === 'number') {
      const mask = p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0;
      const want = ((lit.v & mask) >>> 0) as number;
      return (x) => ((((x as number) & mask) >>> 0) as number) === want;
    }
    const want = lit.v as Uint8Array;
    return (x) => {
      const a = x as Uint8Array;
      if (a.length !== want.length) return false;
      let bits = p;
      for (let i = 0; bits > 0; i++, bits -= 8) {
        const m = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
        if ((a[i] & m) !== (want[i] & m)) return false;
      }
      return true;
    };
  }
  if (rep === 'bytes') return (x, y) => bytesEq(x as Uint8Array, y as Uint8Array);
  return (x, y) => x === y;
}

export function compileAst(root: Node): Compiled {
  const fields = new Set<string>();
  let columnOnly = true;

  function fieldCE(def: FieldDef, s: number, e: number): CE {
    fields.add(def.name);
    const rep = repOf(def.type);
    if (def.column) {
      const col = def.column;
      return {
        rep,
        def,
        field: def,
        col: true,
        s,
        e,
        get: (x) => {
          const v = col(x.s, x.n);
          return v === v ? [v] : [];
        },
      };
    }
    if (def.columns) {
      const cols = def.columns;
      const buf: number[] = [];
      return {
        rep,
        def,
        field: def,
        col: false,
        s,
        e,
        get: (x) => {
          const k = cols(x.s, x.n, buf);
          if (k >= 0) return buf.slice(0, k);
          return x.c ? fieldVals(def, x.c) : null;
        },
      };
    }
    columnOnly = false;
    return { rep, def, field: def, col: false, s, e, get: (x) => (x.c ? fieldVals(def, x.c) : null) };
  }

  function unknownField(name: string, s: number, e: number): never {
    throw new FilterError(`${name} is neither a field nor a protocol name.`, s, e);
  }

  /** Compile an expression; a literal stays unconverted (lit) until it meets a typed side. */
  function expr(a: Expr): CE {
    switch (a.t) {
      case 'word': {
        const def = getField(a.v);
        if (def) return fieldCE(def, a.s, a.e);
        return {
          rep: 'str',
          def: synth('string'),
          col: true,
          lit: { text: a.v, quoted: false, s: a.s, e: a.e },
          s: a.s,
          e: a.e,
          get: () => [],
        };
      }
      case 'str':
        return {
          rep: 'str',
          def: synth('string'),
          col: true,
          lit: { text: a.v, quoted: true, s: a.s, e: a.e },
          s: a.s,
          e: a.e,
          get: () => [],
        };
      case 'char':
        return {
          rep: 'num',
          def: synth('uint', 8),
          col: true,
          lit: { text: a.v, quoted: false, char: true, s: a.s, e: a.e },
          s: a.s,
          e: a.e,
          get: () => [],
        };
      case 'layer': {
        if (a.a.t !== 'word' || !getField(a.a.v)) {
          if (a.a.t === 'word') unknownField(a.a.v, a.a.s, a.a.e);
          throw new FilterError('Layer operator (#) only applies to a field.', a.s, a.e);
        }
        const def = getField(a.a.v)!;
        fields.add(def.name);
        columnOnly = false;
        const n = a.n;
        const rep = repOf(def.type);
        const one: FieldDef = {
          ...def,
          all: (c) => (def.layer ? def.layer(c, n) : n === 1 ? def.all(c) : []),
          bytes: undefined,
          column: undefined,
          columns: undefined,
        };
        if (def.bytes && !def.layer) one.bytes = (c) => def.bytes!(c).slice(n - 1, n);
        return { rep, def, field: one, col: false, s: a.s, e: a.e, get: (x) => (x.c ? fieldVals(one, x.c) : null) };
      }
      case 'slice': {
        const inner = expr(a.a);
        if (inner.lit) {
          if (a.a.t === 'word') unknownField(a.a.v, a.a.s, a.a.e);
          throw new FilterError(`"${a.text}" cannot be sliced.`, a.s, a.e);
        }
        const t = inner.def.type;
        if (inner.rep === 'num' && t !== 'ipv4')
          throw new FilterError(`${inner.field?.name ?? 'This expression'} cannot be sliced.`, a.s, a.e);
        const ranges = a.ranges;
        const toB = (v: Val): Uint8Array =>
          typeof v === 'string'
            ? enc.encode(v)
            : typeof v === 'number'
              ? Uint8Array.of(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255)
              : v;
        const cut = (v: Uint8Array): Uint8Array | undefined => {
          const parts: Uint8Array[] = [];
          let total = 0;
          for (const r of ranges) {
            const st = r.start < 0 ? v.length + r.start : r.start;
            const len = r.len === undefined ? v.length - st : r.len;
            if (st < 0 || len <= 0 || st + len > v.length) return undefined;
            parts.push(v.subarray(st, st + len));
            total += len;
          }
          if (parts.length === 1) return parts[0];
          const out = new Uint8Array(total);
          let o = 0;
          for (const p of parts) {
            out.set(p, o);
            o += p.length;
          }
          return out;
        };
        return {
          rep: 'bytes',
          def: synth('bytes'),
          col: inner.col,
          s: a.s,
          e: a.e,
          get: (x) => {
            const vs = inner.get(x);
            if (vs === null) return null;
            const out: Val[] = [];
            for (const v of vs) {
              const c = cut(toB(v));
              if (c) out.push(c);
            }
            return out;
          },
        };
      }
      case 'neg': {
        const inner = typed(expr(a.a), undefined);
        if (inner.rep !== 'num') throw new FilterError('Unary minus applies to numbers only.', a.s, a.e);
        return {
          ...inner,
          field: undefined,
          lit: undefined,
          def: { ...inner.def, type: inner.def.type === 'uint' ? 'int' : inner.def.type, bits: 64 },
          get: (x) => inner.get(x)?.map((v) => -(v as number)) ?? null,
        };
      }
      case 'arith':
        return arith(a);
      case 'fn':
        return fn(a);
    }
  }

  /** A CE whose literal (if any) is converted with `def`'s type; no def and a literal = error. */
  function typed(ce: CE, def: FieldDef | undefined): CE {
    if (!ce.lit) return ce;
    if (!def) {
      const l = ce.lit;
      if (!l.quoted && !l.char) {
        // A word alone that is no field: tshark's message.
        if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(l.text)) unknownField(l.text, l.s, l.e);
      }
      throw new FilterError('Constant expression is invalid.', l.s, l.e);
    }
    const lit = convertLiteral(ce.lit, def);
    const v = [lit.v];
    return { rep: repOf(def.type), def, col: true, s: ce.s, e: ce.e, get: () => v, litValue: lit } as CE & { litValue: Lit };
  }
  const litOf = (ce: CE): Lit | undefined => (ce as CE & { litValue?: Lit }).litValue;

  function arith(a: Extract<Expr, { t: 'arith' }>): CE {
    let l = expr(a.a);
    let r = expr(a.b);
    if (l.lit && r.lit) throw new FilterError('Constant arithmetic expression is not supported.', a.s, a.e);
    const wide = (d: FieldDef): FieldDef =>
      d.type === 'uint' || d.type === 'int' || d.type === 'framenum' ? { ...d, bits: 64, type: 'int' } : d;
    if (l.lit) l = typed(l, wide(r.def));
    if (r.lit) r = typed(r, wide(l.def));
    if (a.op === '&') {
      if (l.rep !== r.rep || (l.rep !== 'num' && l.rep !== 'bytes'))
        throw new FilterError(
          `${l.field?.name ?? 'This expression'} (type=${typeName(l.def)}) cannot participate in bitwise and.`,
          a.s,
          a.e,
        );
      if (l.rep === 'num' && l.def.type !== 'uint' && l.def.type !== 'int' && l.def.type !== 'boolean' && l.def.type !== 'framenum')
        throw new FilterError(
          `${l.field?.name ?? 'This expression'} (type=${typeName(l.def)}) cannot participate in bitwise and.`,
          a.s,
          a.e,
        );
    } else if (l.rep !== 'num' || r.rep !== 'num') {
      throw new FilterError(
        `${(l.rep !== 'num' ? l : r).field?.name ?? 'This expression'} (type=${typeName((l.rep !== 'num' ? l : r).def)}) does not support arithmetic.`,
        a.s,
        a.e,
      );
    }
    const op = a.op;
    const f = (x: number, y: number): number | undefined => {
      switch (op) {
        case '+':
          return x + y;
        case '-':
          return x - y;
        case '*':
          return x * y;
        case '/':
          return y === 0 ? undefined : l.def.type === 'double' || l.def.type === 'reltime' ? x / y : Math.trunc(x / y);
        case '%':
          return y === 0 ? undefined : x % y;
        case '&':
          return Number(BigInt.asUintN(64, BigInt(Math.trunc(x))) & BigInt.asUintN(64, BigInt(Math.trunc(y))));
      }
    };
    const band = (x: Uint8Array, y: Uint8Array): Uint8Array => {
      const out = new Uint8Array(Math.min(x.length, y.length));
      for (let i = 0; i < out.length; i++) out[i] = x[i] & y[i];
      return out;
    };
    const def = l.rep === 'bytes' ? synth('bytes') : wide(l.field || !r.field ? l.def : r.def);
    return {
      rep: l.rep,
      def,
      col: l.col && r.col,
      s: a.s,
      e: a.e,
      get: (x) => {
        const A = l.get(x);
        const B = r.get(x);
        if (A === null || B === null) return null;
        const out: Val[] = [];
        for (const u of A)
          for (const v of B) {
            if (typeof u === 'number') {
              const z = f(u, v as number);
              if (z !== undefined) out.push(op === '&' ? z : z);
            } else out.push(band(u as Uint8Array, v as Uint8Array));
          }
        return out;
      },
    };
  }

  /** The values of a field as bytes, as the packet holds them (integers big-endian in the field's width). */
  function asBytes(ce: CE): CE {
    const t = ce.def.type;
    if (t !== 'ipv4' && t !== 'string') {
      const name = ce.field?.name ?? 'This expression';
      const tn = typeName(ce.def);
      throw new FilterError(
        `"${name}" is a ${tn} and cannot be converted into a sequence of bytes.`,
        ce.s,
        ce.e,
      );
    }
    const width = t === 'ipv4' ? 4 : Math.max(1, Math.ceil((ce.def.bits ?? 32) / 8));
    const conv = (v: Val): Val => {
      if (typeof v === 'string') return enc.encode(v);
      if (typeof v !== 'number') return v;
      const out = new Uint8Array(width);
      let x = BigInt.asUintN(width * 8, BigInt(Math.trunc(v)));
      for (let i = width - 1; i >= 0; i--) {
        out[i] = Number(x & 0xffn);
        x >>= 8n;
      }
      return out;
    };
    return { ...ce, rep: 'bytes', def: synth('bytes'), get: (x) => ce.get(x)?.map(conv) ?? null };
  }

  function fn(a: Extract<Expr, { t: 'fn' }>): CE {
    const name = a.name;
    const args = a.args.map(expr);
    const need = (n: number): void => {
      if (args.length !== n) throw new FilterError(`Function ${name}() takes exactly ${n} argument${n > 1 ? 's' : ''}.`, a.s, a.e);
    };
    const base = { s: a.s, e: a.e };
    if (name === 'len' || name === 'count' || name === 'string') columnOnly = false;
    const colAll = args.every((x) => x.col);
    switch (name) {
      case 'len': {
        need(1);
        const x0 = typed(args[0], undefined);
        if (x0.rep === 'num') throw new FilterError(`Only string and byte types can be used with len()`, x0.s, x0.e);
        const tail = false;
        return {
          ...base,
          rep: 'num',
          def: U32,
          col: false,
          get: (x) => {
            if (x0.field && x.c)
              return fieldVals(x0.field, x.c, tail).map((v) => (typeof v === 'string' ? enc.encode(v).length : (v as Uint8Array).length));
            const vs = x0.get(x);
            return vs === null ? null : vs.map((v) => (typeof v === 'string' ? enc.encode(v).length : (v as Uint8Array).length));
          },
        };
      }
      case 'count': {
        need(1);
        const x0 = args[0];
        if (!x0.field) {
          if (x0.lit && !x0.lit.quoted) unknownField(x0.lit.text, x0.s, x0.e);
          throw new FilterError('Only fields can be used as parameter for count()', x0.s, x0.e);
        }
        const f0 = x0.field;
        return { ...base, rep: 'num', def: U32, col: false, get: (x) => (x.c ? [f0.all(x.c).length] : null) };
      }
      case 'upper':
      case 'lower': {
        need(1);
        const x0 = args[0];
        if (x0.lit || x0.rep !== 'str') throw new FilterError(`Only string type fields can be used as parameter for ${name}()`, x0.s, x0.e);
        const up = name === 'upper';
        return {
          ...base,
          rep: 'str',
          def: synth('string'),
          col: x0.col,
          get: (x) => x0.get(x)?.map((v) => (up ? (v as string).toUpperCase() : (v as string).toLowerCase())) ?? null,
        };
      }
      case 'string': {
        need(1);
        const x0 = args[0];
        if (x0.lit) throw new FilterError('Only fields can be used as parameter for string()', x0.s, x0.e);
        const f0 = x0.field;
        return {
          ...base,
          rep: 'str',
          def: synth('string'),
          col: false,
          get: (x) => {
            if (!x.c) return null;
            if (f0) return f0.all(x.c);
            return (
              x0
                .get(x)
                ?.map((v) =>
                  typeof v === 'string'
                    ? v
                    : typeof v === 'number'
                      ? String(v)
                      : Array.from(v, (b) => b.toString(16).padStart(2, '0')).join(':'),
                ) ?? null
            );
          },
        };
      }
      case 'min':
      case 'max': {
        if (args.length < 1) throw new FilterError(`Function ${name}() needs at least one argument.`, a.s, a.e);
        const typedArgs = args.map((x) => typed(x, args.find((y) => !y.lit)?.def));
        const rep = typedArgs[0].rep;
        if (typedArgs.some((x) => x.rep !== rep)) throw new FilterError(`Arguments to ${name}() must all have the same type.`, a.s, a.e);
        const cmp = cmpOf(rep);
        const isMax = name === 'max';
        return {
          ...base,
          rep,
          def: typedArgs[0].def,
          col: colAll,
          get: (x) => {
            let best: Val | undefined;
            for (const t of typedArgs) {
              const vs = t.get(x);
              if (vs === null) return null;
              for (const v of vs) if (best === undefined || (isMax ? cmp(v, best) > 0 : cmp(v, best) < 0)) best = v;
            }
            return best === undefined ? [] : [best];
          },
        };
      }
      case 'abs': {
        need(1);
        const x0 = typed(args[0], undefined);
        if (x0.rep !== 'num') throw new FilterError('Only numeric types can be used with abs()', x0.s, x0.e);
        return {
          ...base,
          rep: 'num',
          def: { ...x0.def, type: x0.def.type === 'int' ? 'int' : x0.def.type },
          col: x0.col,
          get: (x) => x0.get(x)?.map((v) => Math.abs(v as number)) ?? null,
        };
      }
      default:
        throw new FilterError(`The function '${name}' does not exist.`, a.s, a.s + name.length);
    }
  }

  function checkOp(ce: CE, op: RelOp, s: number, e: number): void {
    const t = ce.def.type;
    const label = ce.field ? `${ce.field.name} (type=${typeName(ce.def)})` : `(type=${typeName(ce.def)})`;
    if (t === 'none') throw new FilterError(`${label} cannot participate in ${op} comparison.`, s, e);
    if (op === 'contains' && !(t === 'string' || t === 'bytes' || t === 'protocol' || t === 'ether' || t === 'ipv6'))
      throw new FilterError(`${label} cannot participate in contains comparison.`, s, e);
    if (op === 'matches' && !(t === 'string' || t === 'bytes' || t === 'protocol'))
      throw new FilterError(`${label} cannot participate in matches comparison.`, s, e);
  }

  function rel(n: Extract<Node, { t: 'rel' }>): Pred {
    let a = expr(n.a);
    let b = expr(n.b);
    if (a.lit && b.lit) {
      if (!a.lit.quoted && /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(a.lit.text) && a.lit.text.includes('.')) unknownField(a.lit.text, a.s, a.e);
      throw new FilterError('Constant expression is invalid on the LHS.', n.s, n.e);
    }
    if (a.lit) a = typed(a, b.def);
    checkOp(a, n.op, n.s, n.e);
    const op = n.op;
    if (op === 'matches') {
      if (!b.lit || !b.lit.quoted) throw new FilterError('Matches requires a string (the regular expression) on its right.', b.s, b.e);
      let re;
      try {
        re = compileRegex(b.lit.text);
      } catch (err) {
        if (err instanceof RegexError) throw new FilterError(`"${b.lit.text}": ${err.message}`, b.s, b.e);
        throw err;
      }
      const A = a;
      const useTail = A.field?.type === 'protocol';
      const all = n.quant === 'all';
      return (x) => {
        let vs: Vals;
        if (useTail && x.c) vs = fieldVals(A.field!, x.c, true);
        else vs = A.get(x);
        if (vs === null) return 2;
        if (vs.length === 0) return 0;
        for (const v of vs) {
          const m = typeof v === 'string' ? re.testString(v) : re.test(v as Uint8Array);
          if (m !== all) return m ? 1 : 0;
        }
        return all ? 1 : 0;
      };
    }
    if (op === 'contains') {
      if (b.lit) {
        // A quoted string meets bytes as its UTF-8 bytes; a byte string as bytes.
        const def = a.rep === 'str' ? a.def : synth('bytes');
        b = typed(b, def);
      }
      if (b.rep !== a.rep)
        throw new FilterError(
          `${a.field?.name ?? 'The left side'} and ${b.field?.name ?? 'the right side'} are not of compatible types.`,
          b.s,
          b.e,
        );
      const A = a;
      const B = b;
      const useTail = A.field?.type === 'protocol';
      const all = n.quant === 'all';
      const has = (u: Val, v: Val): boolean =>
        typeof u === 'string' ? u.includes(v as string) : bytesIndexOf(u as Uint8Array, v as Uint8Array) >= 0;
      return (x) => {
        let vs: Vals;
        if (useTail && x.c) vs = fieldVals(A.field!, x.c, true);
        else vs = A.get(x);
        const ws = B.get(x);
        if (vs === null || ws === null) return 2;
        if (vs.length === 0) return 0;
        for (const u of vs) {
          const m = ws.some((w) => has(u, w));
          if (m !== all) return m ? 1 : 0;
        }
        return all ? 1 : 0;
      };
    }
    if (b.lit) b = typed(b, a.def);
    checkOp(b, op, n.s, n.e);
    // A byte slice meets a field of another type: the field's bytes (ip[12:4] == ip.src).
    if (a.rep === 'bytes' && b.rep !== 'bytes' && !litOf(b)) b = asBytes(b);
    else if (b.rep === 'bytes' && a.rep !== 'bytes' && !litOf(a)) a = asBytes(a);
    if (a.rep !== b.rep)
      throw new FilterError(
        `${a.field?.name ?? 'The left side'} and ${b.field?.name ?? 'the right side'} are not of compatible types.`,
        b.s,
        b.e,
      );
    const lit = litOf(b) ?? litOf(a);
    const eq = eqFor(a.rep, lit);
    const cmp = cmpOf(a.rep);
    const A = a;
    const B = b;
    // Fast path: a single-valued column field against a plain number.
    const bl = litOf(b);
    if (A.field?.column && bl && bl.prefix === undefined && typeof bl.v === 'number' && n.quant === undefined) {
      const col = A.field.column;
      const k = bl.v;
      switch (op) {
        case '==':
        case '===':
          return (x) => (col(x.s, x.n) === k ? 1 : 0);
        case '!=':
        case '!==':
        case '~=':
          return (x) => {
            const v = col(x.s, x.n);
            return v === v && v !== k ? 1 : 0;
          };
        case '>':
          return (x) => (col(x.s, x.n) > k ? 1 : 0);
        case '<':
          return (x) => (col(x.s, x.n) < k ? 1 : 0);
        case '>=':
          return (x) => (col(x.s, x.n) >= k ? 1 : 0);
        case '<=':
          return (x) => (col(x.s, x.n) <= k ? 1 : 0);
      }
    }
    // Fast path: a multi-valued column field (ip.addr, tcp.port) against a plain number or an IPv4 CIDR.
    if (
      A.field?.columns &&
      bl &&
      typeof bl.v === 'number' &&
      n.quant === undefined &&
      (op === '==' || op === '!=' || op === '~=' || op === '!==' || op === '===')
    ) {
      const cols = A.field.columns;
      const def = A.field;
      const buf: number[] = [0, 0, 0, 0, 0, 0, 0, 0];
      const mask = bl.prefix === undefined ? 0xffffffff : bl.prefix === 0 ? 0 : (0xffffffff << (32 - bl.prefix)) >>> 0;
      const want = (bl.v & mask) >>> 0;
      // any equal / all not equal / any not equal / all equal
      const kind = op === '==' ? 0 : op === '!=' ? 1 : op === '===' ? 3 : 2;
      return (x) => {
        let k = cols(x.s, x.n, buf);
        let vs: number[] = buf;
        if (k < 0) {
          if (!x.c) return 2;
          vs = fieldVals(def, x.c) as number[];
          k = vs.length;
        }
        if (k === 0) return 0;
        let eq = 0;
        for (let i = 0; i < k; i++) if ((vs[i] & mask) >>> 0 === want) eq++;
        if (kind === 0) return eq > 0 ? 1 : 0;
        if (kind === 1) return eq === 0 ? 1 : 0;
        if (kind === 2) return eq < k ? 1 : 0;
        return eq === k ? 1 : 0;
      };
    }
    let test: (u: Val, v: Val) => boolean;
    let mode: 'any' | 'all' | 'allne' | 'alleq' = n.quant === 'all' ? 'all' : 'any';
    switch (op) {
      case '==':
        test = eq;
        break;
      case '!=':
        test = (u, v) => !eq(u, v);
        if (n.quant !== 'any') mode = 'allne';
        break;
      case '===':
        test = eq;
        mode = 'alleq';
        break;
      case '!==':
      case '~=':
        test = (u, v) => !eq(u, v);
        if (n.quant !== 'all') mode = 'any';
        break;
      case '>':
        test = (u, v) => cmp(u, v) > 0;
        break;
      case '<':
        test = (u, v) => cmp(u, v) < 0;
        break;
      case '>=':
        test = (u, v) => cmp(u, v) >= 0;
        break;
      default:
        test = (u, v) => cmp(u, v) <= 0;
        break;
    }
    return (x) => {
      const vs = A.get(x);
      if (vs === null) return 2;
      if (vs.length === 0) return 0;
      const ws = B.get(x);
      if (ws === null) return 2;
      if (ws.length === 0) return 0;
      switch (mode) {
        case 'any':
          for (const u of vs) for (const v of ws) if (test(u, v)) return 1;
          return 0;
        case 'all':
        case 'alleq':
          for (const u of vs) if (!ws.some((v) => test(u, v))) return 0;
          return 1;
        case 'allne':
          for (const u of vs) for (const v of ws) if (!test(u, v)) return 0;
          return 1;
      }
    };
  }

  function inSet(n: Extract<Node, { t: 'in' }>): Pred {
    const a = typed(expr(n.a), undefined);
    checkOp(a, '==', n.s, n.e);
    const cmp = cmpOf(a.rep);
    const elems = n.set.map((el: SetElem) => {
      const lo = typed(expr(el.lo), a.def);
      const hi = el.hi ? typed(expr(el.hi), a.def) : undefined;
      if (lo.rep !== a.rep || (hi && hi.rep !== a.rep))
        throw new FilterError('Set elements must have the type of the field.', el.lo.s, (el.hi ?? el.lo).e);
      return { lo, hi, eq: eqFor(a.rep, litOf(lo)) };
    });
    const all = n.quant === 'all';
    return (x) => {
      const vs = a.get(x);
      if (vs === null) return 2;
      if (vs.length === 0) return 0;
      for (const u of vs) {
        let m = false;
        for (const el of elems) {
          const los = el.lo.get(x);
          if (los === null) return 2;
          if (el.hi) {
            const his = el.hi.get(x);
            if (his === null) return 2;
            if (los.some((l) => cmp(u, l) >= 0) && his.some((h) => cmp(u, h) <= 0)) m = true;
          } else if (los.some((l) => el.eq(u, l))) m = true;
          if (m) break;
        }
        if (m !== all) return m ? 1 : 0;
      }
      return all ? 1 : 0;
    };
  }

  function testNode(n: Extract<Node, { t: 'test' }>): Pred {
    const a = expr(n.a);
    if (a.lit) typed(a, undefined);
    if (a.field?.column && !('t' in n.a && n.a.t === 'layer')) {
      const col = a.field.column;
      return (x) => {
        const v = col(x.s, x.n);
        return v === v ? 1 : 0;
      };
    }
    const isAnd = n.a.t === 'arith' && n.a.op === '&';
    return (x) => {
      const vs = a.get(x);
      if (vs === null) return 2;
      if (!isAnd) return vs.length > 0 ? 1 : 0;
      for (const v of vs) {
        if (typeof v === 'number') {
          if (v !== 0) return 1;
        } else if ((v as Uint8Array).some((b) => b !== 0)) return 1;
      }
      return 0;
    };
  }

  function node(n: Node): Pred {
    switch (n.t) {
      case 'or': {
        const a = node(n.a);
        const b = node(n.b);
        return (x) => {
          const l = a(x);
          if (l === 1) return 1;
          const r = b(x);
          if (r === 1) return 1;
          return l === 2 || r === 2 ? 2 : 0;
        };
      }
      case 'and': {
        const a = node(n.a);
        const b = node(n.b);
        return (x) => {
          const l = a(x);
          if (l === 0) return 0;
          const r = b(x);
          if (r === 0) return 0;
          return l === 2 || r === 2 ? 2 : 1;
        };
      }
      case 'not': {
        const a = node(n.a);
        return (x) => {
          const v = a(x);
          return v === 2 ? 2 : v === 1 ? 0 : 1;
        };
      }
      case 'rel':
        return rel(n);
      case 'in':
        return inSet(n);
      case 'test':
        return testNode(n);
    }
  }

  const pred = node(root);
  return { pred, columnOnly, fields };
}

export { toBytes };
