/**
 * `matches`: a PCRE-like regular expression run in linear time. JavaScript's RegExp backtracks
 * (a pattern like `(a+)+$` takes exponential time) and cannot be interrupted, so patterns are
 * compiled here to a Thompson NFA over bytes and run as a lazily built DFA (a bounded cache of
 * state sets; when full it is dropped and rebuilt), so the time is O(bytes × pattern) at worst.
 *
 * Supported: literals and escapes (\d \w \s and negations, \n \r \t \f \v \e \0, \xHH, \x{H…},
 * escaped punctuation), `.`, classes with ranges, negation and POSIX names, groups `( )`,
 * `(?: )`, named groups, alternation, quantifiers `* + ? {n} {n,} {n,m}` (lazy and possessive
 * forms match the same strings), anchors `^ $ \A \z \Z`, inline flags `(?i) (?-i) (?s) (?i: )`.
 * As in Wireshark 4.0, matching is case-insensitive unless `(?-i)`. Back-references,
 * look-around and \b are refused with a clear error (they need backtracking or are not built).
 */

export class RegexError extends Error {}

// ---- byte sets ----
type ByteSet = Uint32Array; // 256 bits
const newSet = (): ByteSet => new Uint32Array(8);
const add = (s: ByteSet, b: number): void => {
  s[b >> 5] |= 1 << (b & 31);
};
const has = (s: ByteSet, b: number): boolean => (s[b >> 5] & (1 << (b & 31))) !== 0;
function addRange(s: ByteSet, lo: number, hi: number): void {
  for (let b = lo; b <= hi; b++) add(s, b);
}
function invert(s: ByteSet): void {
  for (let i = 0; i < 8; i++) s[i] = ~s[i];
}
function fold(s: ByteSet): void {
  for (let b = 65; b <= 90; b++) {
    if (has(s, b)) add(s, b + 32);
    if (has(s, b + 32)) add(s, b);
  }
}
const DIGIT = (s: ByteSet): void => addRange(s, 48, 57);
const WORDC = (s: ByteSet): void => {
  addRange(s, 48, 57);
  addRange(s, 65, 90);
  addRange(s, 97, 122);
  add(s, 95);
};
const SPACE = (s: ByteSet): void => {
  for (const b of [9, 10, 11, 12, 13, 32]) add(s, b);
};
const POSIX: Record<string, (s: ByteSet) => void> = {
  alpha: (s) => {
    addRange(s, 65, 90);
    addRange(s, 97, 122);
  },
  digit: DIGIT,
  alnum: (s) => {
    DIGIT(s);
    addRange(s, 65, 90);
    addRange(s, 97, 122);
  },
  space: SPACE,
  upper: (s) => addRange(s, 65, 90),
  lower: (s) => addRange(s, 97, 122),
  xdigit: (s) => {
    DIGIT(s);
    addRange(s, 65, 70);
    addRange(s, 97, 102);
  },
  punct: (s) => {
    addRange(s, 33, 47);
    addRange(s, 58, 64);
    addRange(s, 91, 96);
    addRange(s, 123, 126);
  },
  word: WORDC,
  print: (s) => addRange(s, 32, 126),
  graph: (s) => addRange(s, 33, 126),
  cntrl: (s) => {
    addRange(s, 0, 31);
    add(s, 127);
  },
  blank: (s) => {
    add(s, 32);
    add(s, 9);
  },
  ascii: (s) => addRange(s, 0, 127),
};

// ---- AST ----
type Ast =
  | { t: 'set'; s: ByteSet }
  | { t: 'seq'; items: Ast[] }
  | { t: 'alt'; items: Ast[] }
  | { t: 'rep'; a: Ast; min: number; max: number } // max -1 = unbounded
  | { t: 'bol' }
  | { t: 'eol' }
  | { t: 'eos' };

const MAX_REPEAT = 1000;
const MAX_PROG = 50000;
const MAX_NEST = 200;

function parseRegex(pattern: string): Ast {
  const src = new TextEncoder().encode(pattern);
  let i = 0;
  let depth = 0;
  const flags = { i: true, s: false };
  const err = (m: string): never => {
    throw new RegexError(`${m} at offset ${i} of the regular expression`);
  };

  function alt(): Ast {
    const items = [seq()];
    while (src[i] === 0x7c) {
      i++;
      items.push(seq());
    }
    return items.length === 1 ? items[0] : { t: 'alt', items };
  }
  function seq(): Ast {
    const items: Ast[] = [];
    while (i < src.length && src[i] !== 0x7c && src[i] !== 0x29) {
      const a = atom();
      if (a) items.push(quant(a));
    }
    return { t: 'seq', items };
  }
  function quant(a: Ast): Ast {
    for (;;) {
      const c = src[i];
      let min: number;
      let max: number;
      if (c === 0x2a) [min, max] = [0, -1];
      else if (c === 0x2b) [min, max] = [1, -1];
      else if (c === 0x3f) [min, max] = [0, 1];
      else if (c === 0x7b) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(String.fromCharCode(...src.subarray(i, i + 24)));
        if (!m) return a; // a literal '{'
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
        if (min > MAX_REPEAT || max > MAX_REPEAT) err(`repetition count above ${MAX_REPEAT}`);
        if (max >= 0 && max < min) err('numbers out of order in {} quantifier');
        i += m[0].length - 1;
      } else return a;
      i++;
      if (src[i] === 0x3f || src[i] === 0x2b) i++; // lazy / possessive: same language
      if (a.t === 'bol' || a.t === 'eol' || a.t === 'eos') err('quantifier does not follow a repeatable item');
      a = { t: 'rep', a, min, max };
    }
  }
  function lit(b: number): Ast {
    const s = newSet();
    add(s, b);
    if (flags.i) fold(s);
    return { t: 'set', s };
  }
  function atom(): Ast | undefined {
    const c = src[i++];
    switch (c) {
      case 0x2e: {
        const s = newSet();
        addRange(s, 0, 255);
        if (!flags.s) s[0] &= ~(1 << 10);
        return { t: 'set', s };
      }
      case 0x5e:
        return { t: 'bol' };
      case 0x24:
        return { t: 'eol' };
      case 0x5b:
        return cls();
      case 0x28:
        return group();
      case 0x5c:
        return esc(false);
      case 0x2a:
      case 0x2b:
      case 0x3f:
        return err('quantifier does not follow a repeatable item');
      default:
        return lit(c);
    }
  }
  function group(): Ast | undefined {
    if (++depth > MAX_NEST) err('parentheses are too deeply nested');
    const saved = { ...flags };
    if (src[i] === 0x3f) {
      i++;
      const c = src[i];
      if (c === 0x3d || c === 0x21 || (c === 0x3c && (src[i + 1] === 0x3d || src[i + 1] === 0x21)))
        err('look-around assertions are not supported (they need backtracking)');
      if (c === 0x3a) i++;
      else if (c === 0x50 || c === 0x3c || c === 0x27) {
        // (?P<name>…) (?<name>…) (?'name'…)
        if (c === 0x50) i++;
        const close = src[i] === 0x27 ? 0x27 : 0x3e;
        while (i < src.length && src[i + 1] !== close) i++;
        i += 2;
      } else {
        // inline flags: (?i) (?-i) (?s) (?i:…)
        let on = true;
        while (i < src.length && src[i] !== 0x29 && src[i] !== 0x3a) {
          const f = src[i++];
          if (f === 0x2d) on = false;
          else if (f === 0x69) flags.i = on;
          else if (f === 0x73) flags.s = on;
          else if (f === 0x6d || f === 0x78 || f === 0x55 || f === 0x6e) {
            /* multiline, extended, ungreedy, no-capture: accepted, not used */
          } else err('unrecognised character after (? or (?-');
        }
        if (src[i] === 0x29) {
          i++;
          depth--;
          return undefined; // flags apply to the rest of the enclosing group
        }
        i++; // ':'
      }
    }
    const a = alt();
    if (src[i] !== 0x29) err('missing closing parenthesis');
    i++;
    depth--;
    flags.i = saved.i;
    flags.s = saved.s;
    return a;
  }
  function classEscape(s: ByteSet): number {
    // returns a byte, or -1 when the escape added a whole class to s
    const c = src[i++];
    switch (c) {
      case 0x64:
        DIGIT(s);
        return -1;
      case 0x44: {
        const t = newSet();
        DIGIT(t);
        invert(t);
        for (let k = 0; k < 8; k++) s[k] |= t[k];
        return -1;
      }
      case 0x77:
        WORDC(s);
        return -1;
      case 0x57: {
        const t = newSet();
        WORDC(t);
        invert(t);
        for (let k = 0; k < 8; k++) s[k] |= t[k];
        return -1;
      }
      case 0x73:
        SPACE(s);
        return -1;
      case 0x53: {
        const t = newSet();
        SPACE(t);
        invert(t);
        for (let k = 0; k < 8; k++) s[k] |= t[k];
        return -1;
      }
      case 0x6e:
        return 10;
      case 0x72:
        return 13;
      case 0x74:
        return 9;
      case 0x66:
        return 12;
      case 0x76:
        return 11;
      case 0x65:
        return 27;
      case 0x61:
        return 7;
      case 0x30:
        return 0;
      case 0x78: {
        const rest = String.fromCharCode(...src.subarray(i, i + 12));
        let m = /^\{([0-9a-fA-F]{1,6})\}/.exec(rest);
        if (m) {
          i += m[0].length;
          const v = parseInt(m[1], 16);
          if (v > 255) err('code points above \\xff are not supported');
          return v;
        }
        m = /^[0-9a-fA-F]{1,2}/.exec(rest);
        if (!m) return 0;
        i += m[0].length;
        return parseInt(m[0], 16);
      }
      default:
        if (c === undefined) return err('\\ at end of pattern');
        if (c >= 0x31 && c <= 0x39) return err('back-references are not supported (they need backtracking)');
        if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return err(`unsupported escape \\${String.fromCharCode(c)}`);
        return c;
    }
  }
  function esc(_inClass: boolean): Ast {
    const c = src[i];
    if (c === 0x41) {
      i++;
      return { t: 'bol' };
    }
    if (c === 0x7a) {
      i++;
      return { t: 'eos' };
    }
    if (c === 0x5a) {
      i++;
      return { t: 'eol' };
    }
    if (c === 0x62 || c === 0x42) err('word boundaries (\\b, \\B) are not supported');
    const s = newSet();
    const b = classEscape(s);
    if (b >= 0) add(s, b);
    if (flags.i) fold(s);
    return { t: 'set', s };
  }
  function cls(): Ast {
    const s = newSet();
    let neg = false;
    if (src[i] === 0x5e) {
      neg = true;
      i++;
    }
    let first = true;
    while (i < src.length && (src[i] !== 0x5d || first)) {
      first = false;
      let lo: number;
      if (src[i] === 0x5b && src[i + 1] === 0x3a) {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(String.fromCharCode(...src.subarray(i, i + 12)));
        if (m && POSIX[m[2]]) {
          const t = newSet();
          POSIX[m[2]](t);
          if (m[1]) invert(t);
          for (let k = 0; k < 8; k++) s[k] |= t[k];
          i += m[0].length;
          continue;
        }
      }
      if (src[i] === 0x5c) {
        i++;
        lo = classEscape(s);
        if (lo < 0) continue;
      } else lo = src[i++];
      if (lo >= 0x80) err('non-ASCII characters in a class are not supported');
      if (src[i] === 0x2d && src[i + 1] !== 0x5d && i + 1 < src.length) {
        i++;
        let hi: number;
        if (src[i] === 0x5c) {
          i++;
          hi = classEscape(s);
          if (hi < 0) err('invalid range in character class');
        } else hi = src[i++];
        if (hi < lo) err('range out of order in character class');
        addRange(s, lo, hi);
      } else add(s, lo);
    }
    if (src[i] !== 0x5d) err('missing terminating ] for character class');
    i++;
    if (flags.i) fold(s);
    if (neg) invert(s);
    return { t: 'set', s };
  }

  const ast = alt();
  if (i < src.length) err('unmatched closing parenthesis');
  return ast;
}

// ---- program ----
const OP_SET = 0;
const OP_SPLIT = 1;
const OP_JMP = 2;
const OP_BOL = 3;
const OP_EOL = 4;
const OP_EOS = 5;
const OP_MATCH = 6;

interface Prog {
  op: number[];
  x: number[];
  y: number[];
  sets: ByteSet[];
}

function compileProg(ast: Ast): Prog {
  const p: Prog = { op: [], x: [], y: [], sets: [] };
  const emit = (op: number, x = 0, y = 0): number => {
    if (p.op.length >= MAX_PROG) throw new RegexError('regular expression is too large');
    p.op.push(op);
    p.x.push(x);
    p.y.push(y);
    return p.op.length - 1;
  };
  function gen(a: Ast): void {
    switch (a.t) {
      case 'set':
        p.sets.push(a.s);
        emit(OP_SET, p.sets.length - 1);
        return;
      case 'seq':
        for (const it of a.items) gen(it);
        return;
      case 'alt': {
        const jumps: number[] = [];
        for (let k = 0; k < a.items.length; k++) {
          if (k < a.items.length - 1) {
            const sp = emit(OP_SPLIT);
            p.x[sp] = sp + 1;
            gen(a.items[k]);
            jumps.push(emit(OP_JMP));
            p.y[sp] = p.op.length;
          } else gen(a.items[k]);
        }
        for (const j of jumps) p.x[j] = p.op.length;
        return;
      }
      case 'rep': {
        for (let k = 0; k < a.min; k++) gen(a.a);
        if (a.max < 0) {
          const sp = emit(OP_SPLIT);
          p.x[sp] = sp + 1;
          gen(a.a);
          emit(OP_JMP, sp);
          p.y[sp] = p.op.length;
        } else {
          const splits: number[] = [];
          for (let k = a.min; k < a.max; k++) {
            const sp = emit(OP_SPLIT);
            p.x[sp] = sp + 1;
            splits.push(sp);
            gen(a.a);
          }
          for (const sp of splits) p.y[sp] = p.op.length;
        }
        return;
      }
      case 'bol':
        emit(OP_BOL);
        return;
      case 'eol':
        emit(OP_EOL);
        return;
      case 'eos':
        emit(OP_EOS);
        return;
    }
  }
  gen(ast);
  emit(OP_MATCH);
  return p;
}

// ---- lazy DFA ----
const MAX_STATES = 4096;

export class Regex {
  private readonly prog: Prog;
  private keys = new Map<string, number>();
  /** Per state: the NFA pcs waiting on a byte (sorted), whether it matched, pcs waiting at $ / \z. */
  private pcs: Int32Array[] = [];
  private matched: boolean[] = [];
  private endPcs: Int32Array[] = [];
  private trans = new Int32Array(0);
  /** 1 where the state has matched (a byte per state: the hot loop reads it). */
  private acc = new Uint8Array(0);
  private start0 = -1;
  private startN = -1;
  private readonly mark: Int32Array;
  private gen = 0;

  constructor(readonly pattern: string) {
    this.prog = compileProg(parseRegex(pattern));
    this.mark = new Int32Array(this.prog.op.length);
  }

  private reset(): void {
    this.keys.clear();
    this.pcs = [];
    this.matched = [];
    this.endPcs = [];
    this.trans = new Int32Array(256 * 64).fill(-1);
    this.acc = new Uint8Array(64);
    this.start0 = this.state([0], true);
    this.startN = this.state([0], false);
  }

  /** Epsilon closure of `seed` (not at start unless atStart); a DFA state id. */
  private state(seed: number[], atStart: boolean, withStart = false): number {
    const p = this.prog;
    const out: number[] = [];
    const ends: number[] = [];
    let matched = false;
    const g = ++this.gen;
    const stack = withStart ? [...seed, 0] : [...seed];
    while (stack.length) {
      const pc = stack.pop()!;
      if (this.mark[pc] === g) continue;
      this.mark[pc] = g;
      switch (p.op[pc]) {
        case OP_SET:
          out.push(pc);
          break;
        case OP_SPLIT:
          stack.push(p.y[pc], p.x[pc]);
          break;
        case OP_JMP:
          stack.push(p.x[pc]);
          break;
        case OP_BOL:
          if (atStart) stack.push(pc + 1);
          break;
        case OP_EOL:
        case OP_EOS:
          ends.push(pc);
          break;
        case OP_MATCH:
          matched = true;
          break;
      }
    }
    out.sort((a, b) => a - b);
    ends.sort((a, b) => a - b);
    const key = (matched ? 'M' : '') + out.join(',') + '|' + ends.join(',') + (atStart ? '^' : '');
    const hit = this.keys.get(key);
    if (hit !== undefined) return hit;
    const id = this.pcs.length;
    this.keys.set(key, id);
    this.pcs.push(Int32Array.from(out));
    this.endPcs.push(Int32Array.from(ends));
    this.matched.push(matched);
    if (this.trans.length < (id + 1) * 256) {
      const t = new Int32Array(this.trans.length * 2).fill(-1);
      t.set(this.trans);
      this.trans = t;
      const a = new Uint8Array(this.acc.length * 2);
      a.set(this.acc);
      this.acc = a;
    }
    this.acc[id] = matched ? 1 : 0;
    return id;
  }

  private step(st: number, b: number): number {
    const p = this.prog;
    const next: number[] = [];
    for (const pc of this.pcs[st]) if (has(p.sets[p.x[pc]], b)) next.push(pc + 1);
    // Unanchored search: a match may start at every position.
    return this.state(next, false, true);
  }

  /** Whether $ / \z could match here (`eosOnly`: only \z-like end of subject). */
  private endMatch(st: number, atEos: boolean): boolean {
    const p = this.prog;
    const ends = this.endPcs[st];
    if (ends.length === 0) return false;
    // Follow the assertions that hold, then close over epsilon moves without consuming input.
    const seed: number[] = [];
    for (const pc of ends) if (p.op[pc] === OP_EOL || atEos) seed.push(pc + 1);
    if (seed.length === 0) return false;
    const g = ++this.gen;
    const stack = seed;
    while (stack.length) {
      const pc = stack.pop()!;
      if (this.mark[pc] === g) continue;
      this.mark[pc] = g;
      const op = p.op[pc];
      if (op === OP_MATCH) return true;
      if (op === OP_SPLIT) stack.push(p.y[pc], p.x[pc]);
      else if (op === OP_JMP) stack.push(p.x[pc]);
      else if (op === OP_EOL || (op === OP_EOS && atEos)) stack.push(pc + 1);
    }
    return false;
  }

  /** Whether the pattern matches somewhere in b[from, to). */
  test(b: Uint8Array, from = 0, to = b.length): boolean {
    if (this.start0 < 0 || this.pcs.length > MAX_STATES) this.reset();
    let st = this.start0;
    if (this.matched[st]) return true;
    // The hot loop reads locals only; a missing transition (or a full cache) takes the slow path.
    let trans = this.trans;
    let acc = this.acc;
    const last = to - 1;
    for (let k = from; k < to; k++) {
      const byte = b[k];
      // $ before a final newline
      if (k === last && byte === 10 && this.endMatch(st, false)) return true;
      let nx = trans[(st << 8) | byte];
      if (nx < 0) {
        if (this.pcs.length > MAX_STATES) {
          // Cache full: drop it and go on from this state's set (the time stays linear).
          const seed = [...this.pcs[st], ...this.endPcs[st]];
          this.reset();
          st = this.state(seed, false);
        }
        nx = this.step(st, byte);
        this.trans[(st << 8) | byte] = nx;
        trans = this.trans;
        acc = this.acc;
      }
      st = nx;
      if (acc[st] !== 0) return true;
    }
    return this.endMatch(st, true);
  }

  /** Whether the pattern matches somewhere in the string (as UTF-8, as Wireshark's PCRE2 sees it). */
  testString(s: string): boolean {
    return this.test(new TextEncoder().encode(s));
  }
}

/** Compile a pattern; throws RegexError with a readable reason. */
export function compileRegex(pattern: string): Regex {
  return new Regex(pattern);
}
