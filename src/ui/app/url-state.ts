/**
 * The view as a link. Everything that describes "what I am looking at" lives in the URL
 * fragment (after `#`), which browsers never send to a server:
 *
 *   #frame=42&scroll=30&stream=3&filter=tcp.analysis.flags&url=https%3A%2F%2Fexample.org%2Fx.pcap
 *
 *   frame   the selected frame (1-based)
 *   scroll  the frame at the top of the packet list (1-based), so the same rows are on screen
 *           whatever the window height
 *   stream  the tcp.stream shown by Follow TCP Stream (0-based; absent when it is closed)
 *   filter  the display filter, when the app has one
 *   diag    the Diagnoses panel: `open`, or the stream index of its selected card
 *   marks   marked frames, as ranges: `3,7-9` (Wireshark's Ctrl+M; here `m`)
 *   refs    time-reference frames, same form (Wireshark's Ctrl+T; here `t`)
 *   colors  Colorize Conversation: `SLOT:STREAM` pairs, e.g. `1:3,4:7` (Color 1 on tcp.stream 3,
 *           Color 4 on tcp.stream 7)
 *   graph   the graphs panel: `KIND` (io), or `KIND:STREAM:DIR` for a TCP stream graph (DIR 0 =
 *           A→B, 1 = B→A), with `@x0,x1,y0,y1` when zoomed (the visible range in data units),
 *           e.g. `tcptrace:3:0@0.1,0.25,1000,20000`
 *   url     the capture to open (http/https, must allow CORS); `?url=` in the query works too
 *   file    the capture the view is for: its file name,
 *   size    its size in bytes,
 *   hash    and a 12-hex-digit fingerprint of its first 64 KiB (engine/bytes/fingerprint.ts), so
 *           that opening another file says so instead of showing frame N of the wrong capture
 *
 * Pure functions only: no DOM, no history. The capture's bytes are never part of a link:
 * `data:` and `blob:` capture URLs are refused.
 */

import { GRAPH_KINDS, type GraphKind, type GraphZoom } from '../state/graphs';

export interface ViewState {
  frame?: number;
  scroll?: number;
  stream?: number;
  filter?: string;
  /** The Diagnoses panel is open ('open') with, as a number, the stream of its selected card. */
  diag?: number | 'open';
  /** Marked frames, ascending. */
  marks?: number[];
  /** Time-reference frames, ascending. */
  refs?: number[];
  /** Conversation colours: Color `slot` (1..10) on tcp.stream `stream`, by slot. */
  colors?: ConvColor[];
  /** The graphs panel (see parseGraph). */
  graph?: GraphLink;
  url?: string;
  /** The capture the view is for (all three or none). */
  file?: string;
  size?: number;
  hash?: string;
}

export interface ConvColor {
  slot: number;
  stream: number;
}

/** `1:3,4:7` → [{slot 1, stream 3}, {slot 4, stream 7}]; undefined when malformed (a slot twice, a slot outside 1..10). */
export function parseColors(s: string | null): ConvColor[] | undefined {
  if (!s) return undefined;
  const out: ConvColor[] = [];
  for (const part of s.split(',')) {
    const m = /^(10|[1-9]):([0-9]{1,10})$/.exec(part);
    if (!m) return undefined;
    const slot = Number(m[1]);
    const stream = Number(m[2]);
    if (out.some((c) => c.slot === slot) || !Number.isSafeInteger(stream)) return undefined;
    out.push({ slot, stream });
  }
  return out.sort((a, b) => a.slot - b.slot);
}

export const formatColors = (list: readonly ConvColor[]): string => list.map((c) => `${c.slot}:${c.stream}`).join(',');

/** The graphs panel in a link: kind, the TCP graphs' stream and direction, the zoom. */
export interface GraphLink {
  kind: GraphKind;
  stream?: number;
  dir?: 0 | 1;
  zoom?: GraphZoom;
}

const KEYS = ['frame', 'scroll', 'stream', 'filter', 'diag', 'marks', 'refs', 'colors', 'graph', 'url', 'file', 'size', 'hash'] as const;

/** `tcptrace:3:0@0.1,0.25,1000,20000` → GraphLink; undefined when malformed. */
export function parseGraph(s: string | null): GraphLink | undefined {
  if (!s || s.length > 200) return undefined;
  const m = /^([a-z]+)(?::([0-9]{1,10}):([01]))?(?:@([^@]+))?$/.exec(s);
  if (!m || !(GRAPH_KINDS as string[]).includes(m[1])) return undefined;
  const g: GraphLink = { kind: m[1] as GraphKind };
  if (m[2] !== undefined) {
    const st = index(m[2]);
    if (st === undefined) return undefined;
    g.stream = st;
    g.dir = m[3] === '1' ? 1 : 0;
  }
  if (m[4] !== undefined) {
    const z = m[4].split(',').map(Number);
    if (z.length !== 4 || !z.every(Number.isFinite) || !(z[1] > z[0]) || !(z[3] > z[2])) return undefined;
    g.zoom = { x0: z[0], x1: z[1], y0: z[2], y1: z[3] };
  }
  return g;
}

/** GraphLink → `tcptrace:3:0@…` (zoom bounds to 9 significant digits). */
export function formatGraph(g: GraphLink): string {
  let s = g.kind;
  if (g.stream !== undefined) s += `:${g.stream}:${g.dir ?? 0}`;
  if (g.zoom) s += '@' + [g.zoom.x0, g.zoom.x1, g.zoom.y0, g.zoom.y1].map((v) => String(+v.toPrecision(9))).join(',');
  return s;
}

/** At most this many frames in a list (a link stays a link). */
const MAX_LIST = 100_000;

/** `3,7-9` → [3, 7, 8, 9] (ascending, no duplicates); undefined when malformed or empty. */
export function parseFrameList(s: string | null): number[] | undefined {
  if (!s || !/^[0-9,-]{1,100000}$/.test(s)) return undefined;
  const out = new Set<number>();
  for (const part of s.split(',')) {
    const m = /^([0-9]{1,10})(?:-([0-9]{1,10}))?$/.exec(part);
    if (!m) return undefined;
    const a = positiveInt(m[1]);
    const b = m[2] === undefined ? a : positiveInt(m[2]);
    if (a === undefined || b === undefined || b < a || out.size + (b - a) >= MAX_LIST) return undefined;
    for (let n = a; n <= b; n++) out.add(n);
  }
  return out.size ? [...out].sort((x, y) => x - y) : undefined;
}

/** [3, 7, 8, 9] → `3,7-9` (the list ascending). */
export function formatFrameList(list: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < list.length; ) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j] + 1) j++;
    parts.push(j > i ? `${list[i]}-${list[j]}` : String(list[i]));
    i = j + 1;
  }
  return parts.join(',');
}

/** A positive integer written in plain decimal, else undefined. */
function positiveInt(s: string | null): number | undefined {
  if (s === null || !/^[0-9]{1,10}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && Number.isSafeInteger(n) ? n : undefined;
}

/** A non-negative integer (stream indexes start at 0). */
function index(s: string | null): number | undefined {
  if (s === null || !/^[0-9]{1,10}$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Read a fragment (`#a=1&b=2`, with or without the `#`). Unknown keys and bad values are ignored. */
export function parseFragment(hash: string): ViewState {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  const p = new URLSearchParams(body);
  const v: ViewState = {};
  const frame = positiveInt(p.get('frame'));
  if (frame !== undefined) v.frame = frame;
  const scroll = positiveInt(p.get('scroll'));
  if (scroll !== undefined) v.scroll = scroll;
  const stream = index(p.get('stream'));
  if (stream !== undefined) v.stream = stream;
  const filter = p.get('filter');
  if (filter) v.filter = filter;
  const diag = p.get('diag');
  if (diag === 'open') v.diag = 'open';
  else if (index(diag) !== undefined) v.diag = index(diag);
  const marks = parseFrameList(p.get('marks'));
  if (marks) v.marks = marks;
  const refs = parseFrameList(p.get('refs'));
  if (refs) v.refs = refs;
  const colors = parseColors(p.get('colors'));
  if (colors) v.colors = colors;
  const graph = parseGraph(p.get('graph'));
  if (graph) v.graph = graph;
  const url = p.get('url');
  if (url) v.url = url;
  // The capture's identity counts only whole: a name, a size and a well-formed fingerprint.
  const file = p.get('file');
  const size = positiveInt(p.get('size'));
  const fp = p.get('hash');
  if (file && file.length <= 1000 && size !== undefined && fp && /^[0-9a-f]{12}$/.test(fp)) {
    v.file = file;
    v.size = size;
    v.hash = fp;
  }
  return v;
}

/** Write a view as a fragment: `#frame=42&scroll=30…`, or '' when there is nothing to say. Keys in a fixed order. */
export function serializeFragment(v: ViewState): string {
  const p = new URLSearchParams();
  for (const k of KEYS) {
    const val = v[k];
    if (val === undefined || val === '') continue;
    if (k === 'colors') {
      if (v.colors?.length) p.set(k, formatColors(v.colors));
    } else if (Array.isArray(val)) {
      if (val.length) p.set(k, formatFrameList(val as number[]));
    } else if (typeof val === 'object') p.set(k, formatGraph(val));
    else p.set(k, String(val));
  }
  const s = p.toString();
  return s ? `#${s}` : '';
}

/** The capture URL a page address names: `#url=` wins over `?url=`. Not yet validated. */
export function captureUrlParam(loc: { search: string; hash: string }): string | undefined {
  return parseFragment(loc.hash).url ?? (new URLSearchParams(loc.search).get('url') || undefined);
}

export type CaptureUrl = { ok: true; url: string } | { ok: false; message: string };

/**
 * Resolve a user-given capture URL against the page and check it can be fetched: http(s)
 * only. Relative URLs (`?url=captures/x.pcap`) resolve against the page, so captures can be
 * hosted next to the app.
 */
export function resolveCaptureUrl(raw: string, pageHref: string): CaptureUrl {
  let u: URL;
  try {
    u = new URL(raw.trim(), pageHref);
  } catch {
    return { ok: false, message: `"${raw}" is not a valid URL.` };
  }
  if (u.protocol === 'data:' || u.protocol === 'blob:') {
    return { ok: false, message: 'A link cannot carry the capture itself: give the address (http or https) where the capture is hosted.' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    return { ok: false, message: `Only http and https capture URLs can be opened (got "${u.protocol}").` };
  }
  u.hash = '';
  return { ok: true, url: u.href };
}

/**
 * The address of this page showing view `v`: same origin, path and query as `pageHref`
 * except that a `?url=` moves into the fragment (so the capture's address is not sent to
 * our host either), and the fragment is replaced.
 */
export function viewLink(pageHref: string, v: ViewState): string {
  const u = new URL(pageHref);
  // Drop `url=` parameters, keep every other one exactly as written (`?test` stays `?test`).
  const keep = u.search
    .slice(1)
    .split('&')
    .filter((part) => part !== '' && new URLSearchParams(part).keys().next().value !== 'url');
  u.search = keep.length ? `?${keep.join('&')}` : '';
  u.hash = '';
  return u.href + serializeFragment(v);
}

/** Same view? (The fragment sync uses it to avoid writing history for nothing.) */
export function sameView(a: ViewState, b: ViewState): boolean {
  return serializeFragment(a) === serializeFragment(b);
}
