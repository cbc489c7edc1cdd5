/**
 * The few C printf conversions tshark's statistics use, with C's exact results: `%-Ns` / `%Ns`
 * padding and `%.Nf` of a double (rounded from the double's exact binary value, ties to even,
 * as glibc does; JavaScript's toFixed rounds ties up).
 */

/** `%-{w}s` */
export function left(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}

/** `%{w}s` / `%{w}u` */
export function right(s: string | number, w: number): string {
  const t = String(s);
  return t.length >= w ? t : ' '.repeat(w - t.length) + t;
}

/** `%.{d}f` of a double, as glibc prints it. */
export function fixed(x: number, d: number): string {
  if (!Number.isFinite(x)) return String(x);
  // A tie (the exact value half-way between two results) needs x·2^(d+1) to be an odd integer.
  const t = Math.abs(x) * Math.pow(2, d + 1);
  if (Number.isInteger(t) && t % 2 === 1 && t < Number.MAX_SAFE_INTEGER) {
    // |x|·10^d = t·5^d / 2: the two candidates are (t·5^d ∓ 1) / 2; pick the even one.
    const m = BigInt(t) * 5n ** BigInt(d);
    let n = (m - 1n) / 2n;
    if (n % 2n === 1n) n += 1n;
    const digits = n.toString().padStart(d + 1, '0');
    const int = digits.slice(0, digits.length - d);
    const frac = digits.slice(digits.length - d);
    return (x < 0 ? '-' : '') + int + (d > 0 ? '.' + frac : '');
  }
  return x.toFixed(d);
}

/**
 * A byte count as Wireshark's format_size prints it with SI units: below 10 kB the plain
 * number ("9999 bytes"), then whole kB, MB, GB… (truncated, "10 kB", "2 MB").
 */
export function formatBytes(n: number): string {
  const prefixes = ['k', 'M', 'G', 'T', 'P', 'E'];
  let v = n;
  let p = -1;
  // The largest power with at least 10 units.
  for (let i = prefixes.length - 1; i >= 0; i--) {
    const q = Math.floor(n / Math.pow(1000, i + 1));
    if (q >= 10) {
      v = q;
      p = i;
      break;
    }
  }
  return p < 0 ? `${n} bytes` : `${v} ${prefixes[p]}B`;
}
