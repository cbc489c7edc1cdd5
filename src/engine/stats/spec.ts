/**
 * `-z` statistics specs seqscope knows, parsed into one shape: expert, conv,TYPE[,FILTER],
 * endpoints,TYPE[,FILTER], follow,tcp,MODE,STREAM, follow,tcp,MODE,ADDR:PORT,ADDR:PORT and
 * io,stat,INTERVAL[,COLUMN…].
 */
import { CONV_TYPES, type ConvType } from './conversations';
import { FOLLOW_MODES, type FollowMode } from './follow';
import { IoStatError, parseIoStat, type IoStatSpec } from './iostat';

export type StatSpec =
  | { kind: 'expert'; text: string }
  | { kind: 'conv' | 'endpoints'; type: ConvType; filter?: string; text: string }
  | { kind: 'follow'; mode: FollowMode; stream?: number; a?: Peer; b?: Peer; text: string }
  | { kind: 'io'; io: IoStatSpec; text: string };

export interface Peer {
  addr: string;
  port: number;
}

export class StatSpecError extends Error {}

/** "1.2.3.4:80", "[2001:db8::1]:80" or "2001:db8::1:80" (the last colon splits). */
function parsePeer(s: string): Peer | undefined {
  const m = /^(\[[^\]]+\]):(\d+)$/.exec(s) ?? /^(.+):(\d+)$/.exec(s);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  return { addr: m[1], port };
}

export function parseStatSpec(text: string): StatSpec {
  if (text === 'expert') return { kind: 'expert', text };
  const conv = /^(conv|endpoints),([a-z0-9]+)(?:,(.*))?$/.exec(text);
  if (conv) {
    const type = conv[2] as ConvType;
    if (!CONV_TYPES.includes(type))
      throw new StatSpecError(`unsupported table "${conv[2]}" in -z ${text} (seqscope knows ${CONV_TYPES.join(', ')})`);
    return { kind: conv[1] as 'conv' | 'endpoints', type, filter: conv[3] === undefined || conv[3] === '' ? undefined : conv[3], text };
  }
  try {
    const io = parseIoStat(text);
    if (io) return { kind: 'io', io, text };
  } catch (e) {
    if (e instanceof IoStatError) throw new StatSpecError(e.message);
    throw e;
  }
  const fol = /^follow,tcp,([a-z]+),(.+)$/.exec(text);
  if (fol) {
    const mode = fol[1] as FollowMode;
    if (!FOLLOW_MODES.includes(mode))
      throw new StatSpecError(`unsupported follow mode "${fol[1]}" in -z ${text} (seqscope knows ${FOLLOW_MODES.join(', ')})`);
    const rest = fol[2];
    if (/^\d+$/.test(rest)) return { kind: 'follow', mode, stream: Number(rest), text };
    // ADDR:PORT,ADDR:PORT — IPv6 addresses contain colons but no commas.
    const i = rest.indexOf(',');
    const a = i > 0 ? parsePeer(rest.slice(0, i)) : undefined;
    const b = i > 0 ? parsePeer(rest.slice(i + 1)) : undefined;
    if (!a || !b) throw new StatSpecError(`invalid follow target "${rest}" in -z ${text} (a stream number or ADDR:PORT,ADDR:PORT)`);
    return { kind: 'follow', mode, a, b, text };
  }
  throw new StatSpecError(
    `unsupported statistics "-z ${text}": seqscope supports expert, conv,TYPE, endpoints,TYPE, follow,tcp,ascii|hex|raw,STREAM and io,stat,INTERVAL[,COLUMN…]`,
  );
}
