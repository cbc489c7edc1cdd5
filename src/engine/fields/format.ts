/** Text formats shared by the CLI, the packet list and the detail tree (tshark's exact forms). */

/** Nanoseconds as tshark prints a relative time: seconds with 9 decimals ("0.005000000"). */
export function fmtRelNs(ns: number): string {
  const neg = ns < 0;
  const a = Math.abs(Math.round(ns));
  const s = Math.floor(a / 1e9);
  const f = a - s * 1e9;
  return (neg ? '-' : '') + s + '.' + String(f).padStart(9, '0');
}

/**
 * The difference of two times given as (seconds, signed 32-bit nanoseconds), printed as tshark
 * prints a relative time. Exact at any span (no single double of nanoseconds). Like wiretap's
 * time arithmetic, the nanoseconds subtract in 32 bits and are borrowed from the seconds only
 * when their sign disagrees with the seconds', so unnormalised inputs (a pcap fraction of a
 * second ≥ 1 s) print as tshark prints them ("-0.1000000000").
 */
export function fmtRelParts(dSec: number, dNs: number): string {
  const [s, n] = relParts(dSec, dNs);
  const neg = s < 0 || n < 0;
  return (neg ? '-' : '') + Math.abs(s) + '.' + String(Math.abs(n)).padStart(9, '0');
}

/** A time difference's seconds and nanoseconds with the same sign (Wireshark's nstime_delta). */
export function relParts(dSec: number, dNs: number): [number, number] {
  let s = dSec;
  let n = dNs | 0;
  if (s > 0 && n < 0) {
    n += 1e9;
    s -= 1;
  } else if (s < 0 && n > 0) {
    n -= 1e9;
    s += 1;
  }
  return [s, n];
}

/** An absolute time as seconds.nanoseconds since the epoch (frame.time_epoch). */
export function fmtEpoch(sec: number, nsec: number): string {
  // nsec is a signed 32-bit count that may be out of range (unnormalised pcap fractions).
  const n = nsec | 0;
  return (n < 0 ? '-' : '') + sec + '.' + String(Math.abs(n)).padStart(9, '0');
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (v: number): string => String(v).padStart(2, '0');

/** (seconds, signed nanoseconds) normalised to a Date of the whole second and 0..1e9-1 ns. */
function wholeSecond(sec: number, nsec: number): [Date, number] {
  const total = BigInt(sec) * 1_000_000_000n + BigInt(nsec | 0);
  const s = total / 1_000_000_000n - (total % 1_000_000_000n < 0n ? 1n : 0n);
  return [new Date(Number(s) * 1000), Number(total - s * 1_000_000_000n)];
}

/**
 * frame.time as tshark prints it: in UTC "Jan 15, 2024 11:03:20.006000000 UTC" (TZ=UTC), or in
 * the local time zone with its abbreviation, "Jan 15, 2024 06:03:20.006000000 EST" (tshark's
 * strftime %Z in its TZ).
 */
export function fmtAbsTime(sec: number, nsec: number, utc = true): string {
  const [d] = wholeSecond(sec, nsec);
  if (!utc) return `${MON[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')}, ${d.getFullYear()} ${fmtTimeOfDay(sec, nsec, false)} ${zoneAbbr(d)}`;
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${fmtTimeOfDay(sec, nsec, true)} UTC`;
}

/**
 * The local zone's abbreviation at d, as the C library's %Z writes it ("EST", "CEST", "IST"),
 * from the host's Intl data: CLDR has each abbreviation in the locale where it is current
 * (EST in en-US, CET in en-GB, ACDT in en-AU, IST in en-IN, JST in ja-JP); where none has one
 * (tzdata then writes the offset), "GMT-3" becomes "-03" and "GMT+5:45" "+0545". CLDR and
 * tzdata agree for the common zones; a rare zone may be named differently than tshark names it.
 */
const ABBR_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN', 'ja-JP', 'ko-KR'];
let zoneFormats: Intl.DateTimeFormat[] | undefined;
const zoneByOffset = new Map<number, string>();
/** The zone's offsets in January and July: when they change (a host's TZ changed), the cache goes. */
let zoneKey = '';
const JAN = new Date(Date.UTC(2001, 0, 1));
const JUL = new Date(Date.UTC(2001, 6, 1));
export function zoneAbbr(d: Date): string {
  const key = `${JAN.getTimezoneOffset()}|${JUL.getTimezoneOffset()}`;
  if (key !== zoneKey) {
    zoneKey = key;
    zoneByOffset.clear();
    zoneFormats = undefined;
  }
  const off = d.getTimezoneOffset();
  const known = zoneByOffset.get(off);
  if (known !== undefined) return known;
  zoneFormats ??= ABBR_LOCALES.map((l) => new Intl.DateTimeFormat(l, { timeZoneName: 'short' }));
  let gmt = '';
  let name = '';
  for (const f of zoneFormats) {
    const v = f.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (/^[A-Z]{2,5}$/.test(v)) {
      name = v;
      break;
    }
    if (!gmt && /^GMT[+-]/.test(v)) gmt = v;
  }
  if (!name) {
    const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(gmt);
    if (m) name = `${m[1]}${m[2].padStart(2, '0')}${m[3] ?? ''}`;
    else {
      const a = Math.abs(off);
      name = `${off > 0 ? '-' : '+'}${p2(Math.floor(a / 60))}${a % 60 ? p2(a % 60) : ''}`;
    }
  }
  zoneByOffset.set(off, name);
  return name;
}

/**
 * The time of day of an absolute time, "11:03:20.006000000": the time part of tshark's
 * frame.time, in UTC or in the local time zone (tshark prints frame.time in its TZ).
 */
export function fmtTimeOfDay(sec: number, nsec: number, utc: boolean): string {
  const [d, ns] = wholeSecond(sec, nsec);
  const [h, m, s] = utc ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()] : [d.getHours(), d.getMinutes(), d.getSeconds()];
  return `${p2(h)}:${p2(m)}:${p2(s)}.${String(ns).padStart(9, '0')}`;
}

export function ipv4(b: Uint8Array, o: number): string {
  return b[o] + '.' + b[o + 1] + '.' + b[o + 2] + '.' + b[o + 3];
}

/** IPv6 text form as inet_ntop writes it (RFC 5952 compression, embedded IPv4 for ::/96 and ::ffff:0:0/96). */
export function ipv6(b: Uint8Array, o: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((b[o + 2 * i] << 8) | b[o + 2 * i + 1]);
  // IPv4-compatible (::a.b.c.d, not :: or ::1) and IPv4-mapped (::ffff:a.b.c.d)
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0) {
    if (w[5] === 0xffff) return '::ffff:' + ipv4(b, o + 12);
    if (w[5] === 0 && (w[6] !== 0 || w[7] > 1)) return '::' + ipv4(b, o + 12);
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (x: number) => x.toString(16);
  if (bestStart < 0) return w.map(hex).join(':');
  const left = w.slice(0, bestStart).map(hex).join(':');
  const right = w.slice(bestStart + bestLen).map(hex).join(':');
  return left + '::' + right;
}

export function hex4(v: number): string {
  return '0x' + v.toString(16).padStart(4, '0');
}
