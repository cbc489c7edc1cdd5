/**
 * Statistics (`-z`) over a loaded session: conversations, endpoints and Follow TCP Stream
 * (one decoding pass over the file, `StatsPass`), printed as tshark 4.0 prints them. The expert
 * summary is counted from the columns (fields/expert-tally.ts) and printed by the host.
 */
import type { CaptureSession } from '../session';
import { Packet } from '../decode/packet';
import { ipv6 } from '../fields/format';
import { formatConversations, formatEndpoints, type ConvType } from './conversations';
import { StatsPass, type FollowTarget, type StatsRequest } from './collect';
import { compileFilter } from '../filter/index';
import { formatFollow, type FollowNode } from './follow';
import { StatSpecError, type Peer, type StatSpec } from './spec';
import { ioStatText } from './iostat-run';
import { IoStatError } from './iostat';

export { parseStatSpec, StatSpecError, type StatSpec } from './spec';
export { StatsPass, type StatsRequest, type FollowTarget } from './collect';
export * from './conversations';
export * from './follow';

/** Strict dotted-quad IPv4 (inet_pton's rules: no leading zeros). */
function parseIpv4(s: string): string | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) < 256)) return undefined;
  return parts.map(Number).join('.');
}

/** IPv6 text to its canonical form (RFC 5952), or undefined. */
export function canonicalIpv6(s: string): string | undefined {
  let text = s;
  const v4tail: string[] = [];
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const q = parseIpv4(v4[2]);
    if (!q) return undefined;
    const o = q.split('.').map(Number);
    v4tail.push(((o[0] << 8) | o[1]).toString(16), ((o[2] << 8) | o[3]).toString(16));
    text = v4[1].endsWith('::') ? v4[1] : v4[1].slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const words = (h: string) => (h === '' ? [] : h.split(':'));
  const head = words(halves[0]);
  const tail = [...(halves.length === 2 ? words(halves[1]) : []), ...v4tail];
  if (halves.length === 1) head.push(...tail.splice(0));
  const all = [...head, ...tail];
  if (!all.every((w) => /^[0-9a-fA-F]{1,4}$/.test(w))) return undefined;
  if (halves.length === 1 ? all.length !== 8 : all.length > 7) return undefined;
  const vals = [...head, ...new Array<string>(8 - all.length).fill('0'), ...tail].map((w) => parseInt(w, 16));
  const b = new Uint8Array(16);
  vals.forEach((v, i) => {
    b[2 * i] = v >> 8;
    b[2 * i + 1] = v & 255;
  });
  return ipv6(b, 0);
}

/** The follow target and the filter tshark shows for `-z follow,tcp,MODE,…`. */
export function followTarget(spec: Extract<StatSpec, { kind: 'follow' }>): { target: FollowTarget; filter: string } {
  if (spec.stream !== undefined) return { target: { stream: spec.stream }, filter: `tcp.stream eq ${spec.stream}` };
  const node = (p: Peer): FollowNode => {
    const br = /^\[(.*)\]$/.exec(p.addr);
    if (br) {
      const a = canonicalIpv6(br[1]);
      if (!a) throw new StatSpecError('follow - Invalid address.');
      return { addr: a, v6: true, port: p.port };
    }
    if (p.addr.includes(':')) throw new StatSpecError('follow - Invalid address.');
    const a = parseIpv4(p.addr);
    if (!a) throw new StatSpecError("follow - Can't get IPv4 address");
    return { addr: a, v6: false, port: p.port };
  };
  const a = node(spec.a!);
  const b = node(spec.b!);
  if (a.v6 !== b.v6) throw new StatSpecError('follow - Mismatched IP address types.');
  const ip = a.v6 ? 'ipv6' : 'ip';
  const half = (x: FollowNode, y: FollowNode) =>
    `((${ip}.src eq ${x.addr} and tcp.srcport eq ${x.port}) and (${ip}.dst eq ${y.addr} and tcp.dstport eq ${y.port}))`;
  return { target: { a, b }, filter: `${half(a, b)} or ${half(b, a)}` };
}

/**
 * The text of each conversation, endpoint, follow and io,stat spec, computed in one decoding pass over
 * the session's file (expert specs are left to the host). Frames past `total` are not read.
 */
export async function runStats(s: CaptureSession, specs: readonly StatSpec[]): Promise<Map<StatSpec, string>> {
  const out = new Map<StatSpec, string>();
  const conv: ConvType[] = [];
  const endpoints: ConvType[] = [];
  const follows: { spec: StatSpec; target: FollowTarget; filter: string }[] = [];
  const filters: NonNullable<StatsRequest['filters']> = {};
  for (const spec of specs) {
    // A table's own filter (conv,TYPE,FILTER): only matching frames are tapped into it.
    if ((spec.kind === 'conv' || spec.kind === 'endpoints') && spec.filter !== undefined) {
      const r = compileFilter(spec.filter);
      if (!r.ok) throw new StatSpecError(`-z ${spec.text}: ${r.error.message}`);
      filters[`${spec.kind}:${spec.type}`] = r.filter;
    }
    if (spec.kind === 'conv') conv.push(spec.type);
    else if (spec.kind === 'endpoints') endpoints.push(spec.type);
    else if (spec.kind === 'follow') follows.push({ spec, ...followTarget(spec) });
  }
  // io,stat: its own pass over the projected frames (its columns read fields through FrameCtx).
  for (const spec of specs) {
    if (spec.kind !== 'io') continue;
    try {
      out.set(spec, await ioStatText(s, spec.io));
    } catch (e) {
      if (e instanceof IoStatError) throw new StatSpecError(`-z ${spec.text}: ${e.message}`);
      throw e;
    }
  }
  if (conv.length + endpoints.length + follows.length === 0) return out;
  const pass = new StatsPass(s, { conv, endpoints, follow: follows.map((f) => f.target), filters });
  await decodeAll(s, pass);
  for (const spec of specs) {
    if (spec.kind === 'conv') out.set(spec, formatConversations(pass.conv.get(spec.type)!, spec.filter));
    else if (spec.kind === 'endpoints') out.set(spec, formatEndpoints(pass.endpoints.get(spec.type)!, spec.filter));
  }
  follows.forEach((f, i) => {
    if (f.spec.kind === 'follow') out.set(f.spec, formatFollow(pass.followers[i].f, f.spec.mode, f.filter));
  });
  return out;
}

/** Decode every loaded frame again with the pass watching. */
export async function decodeAll(s: CaptureSession, pass: StatsPass): Promise<void> {
  const p = new Packet();
  const dec = s.decoder;
  const total = s.frameCount;
  let n = 0;
  const before = dec.trace;
  const fast = pass.canFast;
  dec.trace = pass;
  dec.replay = true;
  try {
    await s.reread(
      {
        onFrame(buf, off, capLen, origLen, _s, _ns, linkType) {
          n++;
          if (n > total) return;
          if (fast && pass.fast(n, buf, off, capLen, origLen, linkType)) return;
          pass.begin(n);
          dec.decode(p, buf, off, capLen, origLen, linkType, n);
          pass.end(n, p, buf, off);
        },
      },
      () => n >= total,
    );
  } finally {
    dec.trace = before;
  }
}
