/**
 * Random TCP traffic for the model-based test: fast-check generates a list of actions, and
 * `interpret` turns them into packets for one or two connections (SYN / SYN-ACK with or
 * without window scaling, data, gaps, retransmissions, reordering, pure / duplicate /
 * partial / beyond ACKs, SACK blocks, zero windows and probes, keep-alives, FIN, RST, port
 * reuse, wild sequence numbers, sequence wrap-around near 2^32, time going backwards).
 */
import fc from 'fast-check';
import { tcpFrame, type Record_, type TcpOption } from '../capture/build';
import { ACK, FIN, PSH, RST, SYN, mod32, type ModelPacket } from './slow-tracker';

export interface Action {
  kind: number;
  conn: number;
  fromClient: boolean;
  a: number;
  b: number;
  c: number;
  dt: number;
}

export const KINDS = 20;

const dtArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 3_000_000 }) },
  { weight: 4, arbitrary: fc.integer({ min: 3_000_001, max: 40_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 40_000_001, max: 2_000_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -30_000_000, max: -1 }) },
);

export function actionArb(conns: number): fc.Arbitrary<Action> {
  return fc.record({
    kind: fc.nat({ max: KINDS - 1 }),
    conn: fc.nat({ max: conns - 1 }),
    fromClient: fc.boolean(),
    a: fc.nat({ max: 0xffff }),
    b: fc.nat({ max: 0xffff }),
    c: fc.nat({ max: 0xffff }),
    dt: dtArb,
  });
}

/**
 * Initial sequence numbers: near the wrap point, small, around 2^31 (where an ACK field of 0,
 * as a RST or SYN without the ACK flag carries, is half the space away from the data), or anywhere.
 */
export const isnArb = fc.oneof(
  fc.integer({ min: 0xffff0000, max: 0xffffffff }),
  fc.integer({ min: 0, max: 5000 }),
  fc.integer({ min: 0x7fff0000, max: 0x8000ffff }),
  fc.integer({ min: 0, max: 0xffffffff }),
);

export interface Scenario {
  isns: number[];
  /** Start each connection with a handshake. */
  handshake: boolean[];
  /** Window-scale shift offered in each handshake SYN and SYN/ACK (null: no option). */
  hsWs: (number | null)[];
  actions: Action[];
}

export function scenarioArb(conns: number, maxActions: number): fc.Arbitrary<Scenario> {
  return fc.record({
    isns: fc.array(isnArb, { minLength: 2 * conns, maxLength: 2 * conns }),
    handshake: fc.array(fc.boolean(), { minLength: conns, maxLength: conns }),
    hsWs: fc.array(fc.option(fc.nat({ max: 15 })), { minLength: 2 * conns, maxLength: 2 * conns }),
    actions: fc.array(actionArb(conns), { minLength: 1, maxLength: maxActions, size: 'max' }),
  });
}

interface Side {
  isn: number;
  next: number;
  /** What this side acknowledges (the peer's bytes it has "received"). */
  rcv: number;
  win: number;
  lastAck: number;
  /** Segments this side sent: [seq, len]. */
  sent: [number, number][];
  /** Window-scale shift applied to the windows this side advertises (0 when not negotiated). */
  shift: number;
  /** This side already made its far sequence jump. */
  jumped: boolean;
}

const CLIENT_IP = '10.0.0.1';
const SERVER_IP = '10.0.0.2';
const SERVER_PORT = 33333;
const clientPort = (k: number) => 40000 + k;

/** Turn a scenario into packets (times in ns from an arbitrary non-zero epoch). */
export function interpret(s: Scenario, epoch = 1_700_000_000_000_000_000n): ModelPacket[] {
  const out: ModelPacket[] = [];
  let t = epoch;
  const conns = s.handshake.length;
  const sides: Side[][] = [];
  for (let k = 0; k < conns; k++) {
    const mk = (isn: number): Side => ({ isn, next: mod32(isn + 1), rcv: 0, win: 1000, lastAck: 0, sent: [], shift: 0, jumped: false });
    const c = mk(s.isns[2 * k]);
    const v = mk(s.isns[2 * k + 1]);
    c.rcv = c.lastAck = v.next;
    v.rcv = v.lastAck = c.next;
    sides.push([c, v]);
  }
  const emit = (k: number, fromClient: boolean, seq: number, ack: number, flags: number, win: number, len: number, ws?: number, sack?: [number, number][]) => {
    const ep = (client: boolean) => (client ? `${CLIENT_IP}:${clientPort(k)}` : `${SERVER_IP}:${SERVER_PORT}`);
    out.push({ ts: t, src: ep(fromClient), dst: ep(!fromClient), seq: mod32(seq), ack: mod32(ack), flags, win, len, ws, sack });
    const me = sides[k][fromClient ? 0 : 1];
    me.win = win;
    me.lastAck = mod32(ack);
  };

  for (let k = 0; k < conns; k++) {
    if (!s.handshake[k]) continue;
    const [c, v] = sides[k];
    const cws = s.hsWs[2 * k] ?? undefined;
    const vws = s.hsWs[2 * k + 1] ?? undefined;
    if (cws !== undefined && vws !== undefined) {
      c.shift = Math.min(cws, 14);
      v.shift = Math.min(vws, 14);
    }
    emit(k, true, c.isn, 0, SYN, 64240, 0, cws);
    t += 1_000_000n;
    emit(k, false, v.isn, c.next, SYN | ACK, 65160, 0, vws);
    t += 1_000_000n;
    emit(k, true, c.next, v.next, ACK, 502, 0);
    t += 1_000_000n;
  }

  const pick = <T>(arr: T[], i: number): T | undefined => (arr.length ? arr[i % arr.length] : undefined);
  const lens = [1, 1, 2, 100, 100, 536, 1000, 1460];

  for (const x of s.actions) {
    t += BigInt(x.dt);
    const k = x.conn;
    const me = sides[k][x.fromClient ? 0 : 1];
    const peer = sides[k][x.fromClient ? 1 : 0];
    const win = (x.c & 7) === 0 ? 0 : (x.c & 7) === 1 ? x.c : me.win || 500;
    switch (x.kind) {
      case 0:
      case 1: {
        // new data
        const len = lens[x.a % lens.length];
        emit(k, x.fromClient, me.next, me.rcv, ACK | (x.b & 1 ? PSH : 0), win, len);
        me.sent.push([me.next, len]);
        me.next = mod32(me.next + len);
        peer.rcv = x.b & 2 ? me.next : peer.rcv;
        break;
      }
      case 2: {
        // retransmission of an earlier segment (or a part of it)
        const sg = pick(me.sent, x.a);
        if (!sg) break;
        const len = x.b & 1 ? sg[1] : Math.max(1, sg[1] >> 1);
        emit(k, x.fromClient, sg[0], me.rcv, ACK | PSH, me.win || 500, len);
        break;
      }
      case 3: {
        // a gap: bytes never captured, then data
        const gap = 1 + (x.a % 3000);
        me.next = mod32(me.next + gap);
        const len = lens[x.b % lens.length];
        emit(k, x.fromClient, me.next, me.rcv, ACK | PSH, win, len);
        me.sent.push([me.next, len]);
        me.next = mod32(me.next + len);
        break;
      }
      case 4:
      case 5: {
        // pure ACK: full, duplicate, partial, beyond, or a window change
        let ack: number;
        switch (x.a % 5) {
          case 0:
            ack = peer.next;
            me.rcv = ack;
            break;
          case 1:
            ack = me.lastAck;
            break;
          case 2: {
            const sg = pick(peer.sent, x.b);
            ack = sg ? mod32(sg[0] + 1 + (x.c % Math.max(1, sg[1]))) : peer.next;
            break;
          }
          case 3:
            ack = mod32(peer.next + 1 + (x.b % 3000));
            break;
          default:
            ack = me.rcv;
        }
        const w = (x.b & 3) === 0 ? win : me.win;
        emit(k, x.fromClient, me.next, ack, ACK, w, 0);
        break;
      }
      case 6: {
        // ACK with SACK blocks: real segments, or arbitrary ranges near the peer's next sequence
        // number, sometimes with the left edge beyond the right one (4.0 wraps the subtraction).
        const blocks: [number, number][] = [];
        const n = 1 + (x.b % 4);
        for (let i = 0; i < n; i++) {
          const sg = pick(peer.sent, x.c + i * 7);
          if (sg && !(x.a & 1)) blocks.push([sg[0], mod32(sg[0] + sg[1])]);
          else {
            const l = ((x.c * (i + 1)) % 4000) - 2000;
            const r = ((x.a * (i + 3)) % 4000) - 2000;
            if (x.b & 8) blocks.push([mod32(peer.next + Math.max(l, r)), mod32(peer.next + Math.min(l, r))]);
            else blocks.push([mod32(peer.next + Math.min(l, r)), mod32(peer.next + Math.max(l, r))]);
          }
        }
        emit(k, x.fromClient, me.next, me.lastAck, ACK, me.win || 500, 0, undefined, blocks);
        break;
      }
      case 7: {
        // zero-window probe (peer has closed its window) or a 1-byte segment
        emit(k, x.fromClient, me.next, me.rcv, ACK, me.win || 500, 1);
        if (x.a & 1) {
          me.sent.push([me.next, 1]);
          me.next = mod32(me.next + 1);
        }
        break;
      }
      case 8: {
        // keep-alive: 0 or 1 byte at next − 1
        emit(k, x.fromClient, mod32(me.next - 1), me.lastAck, ACK, me.win || 500, x.a & 1);
        break;
      }
      case 9: {
        // zero window from this side, repeated ACK
        emit(k, x.fromClient, me.next, me.lastAck, ACK, 0, 0);
        break;
      }
      case 10: {
        // SYN (same ISN = retransmission, new ISN = port reuse) or SYN/ACK
        const newIsn = (x.a & 3) === 0;
        if (newIsn) {
          me.isn = mod32(me.isn + 100000 + x.b * 7);
          me.next = mod32(me.isn + 1);
          me.sent = [];
        }
        const ws = x.b & 1 ? x.c % 16 : undefined;
        if (x.fromClient) emit(k, true, me.isn, 0, SYN, 64240, 0, ws);
        else emit(k, false, me.isn, peer.isn + 1, SYN | ACK, 65160, 0, ws);
        break;
      }
      case 11: {
        // FIN (with or without data)
        const len = x.a & 1 ? 0 : lens[x.b % lens.length];
        emit(k, x.fromClient, me.next, me.rcv, FIN | ACK | (len ? PSH : 0), me.win || 500, len);
        me.sent.push([me.next, len + 1]);
        me.next = mod32(me.next + len + 1);
        break;
      }
      case 12: {
        // RST, with or without ACK
        emit(k, x.fromClient, me.next, x.a & 1 ? me.rcv : 0, RST | (x.a & 1 ? ACK : 0), 0, 0);
        break;
      }
      case 13: {
        // wild numbers near the current ones
        const dseq = (x.a % 41) - 20;
        const dack = (x.b % 41) - 20;
        const flagSets = [ACK, ACK | PSH, 0, ACK | FIN, PSH, ACK | SYN, ACK | RST, FIN];
        const len = x.c % 3;
        emit(k, x.fromClient, me.next + dseq, peer.next + dack, flagSets[x.c % flagSets.length], x.c & 8 ? 0 : me.win || 1, len);
        break;
      }
      case 14: {
        // Far jumps: this side's sequence numbers jump an eighth or half of the sequence space
        // (once per side), or an ACK lands that far beyond the peer's data.
        const far = (x.a & 16 ? 0x80000000 : 0x20000000) + (x.a % 9) - 4;
        if (x.b & 1 && !me.jumped) {
          me.jumped = true;
          me.next = mod32(me.next + far);
          const len = x.c % 2 ? 100 : 0;
          emit(k, x.fromClient, me.next, me.rcv, ACK, me.win || 1, len);
          if (len) me.sent.push([me.next, len]);
          me.next = mod32(me.next + len);
        } else emit(k, x.fromClient, me.next, peer.next + far, ACK, me.win || 1, 0);
        break;
      }
      case 16: {
        // two or three duplicate ACKs from the peer, then a (fast) retransmission of what it asks for
        const ack = peer.lastAck;
        const n = 2 + (x.a % 2);
        for (let i = 0; i < n; i++) {
          emit(k, !x.fromClient, peer.next, ack, ACK, peer.win || 500, 0);
          t += BigInt(x.b * 50);
        }
        const sg = me.sent.find((g) => g[0] === ack);
        emit(k, x.fromClient, ack, me.rcv, ACK | PSH, me.win || 500, sg ? sg[1] : 100);
        break;
      }
      case 17: {
        // zero-window episode: the peer closes its window, this side probes, the peer answers
        emit(k, !x.fromClient, peer.next, peer.lastAck, ACK, 0, 0);
        t += BigInt(x.b);
        emit(k, x.fromClient, me.next, me.rcv, ACK, me.win || 500, 1);
        t += BigInt(x.c);
        emit(k, !x.fromClient, peer.next, x.a & 1 ? peer.lastAck : mod32(peer.lastAck + 1), ACK, x.a & 2 ? 0 : 300, 0);
        break;
      }
      case 18: {
        // keep-alive and its ACK (repeated sometimes)
        emit(k, x.fromClient, mod32(me.next - 1), me.lastAck, ACK, me.win || 500, x.a & 1);
        t += BigInt(x.b);
        for (let i = 0; i <= (x.c & 1); i++) emit(k, !x.fromClient, peer.next, peer.lastAck, ACK, peer.win || 500, 0);
        break;
      }
      case 19: {
        // a segment that exactly fills the peer's advertised window (when that is small enough)
        const len = mod32(peer.lastAck + (peer.win << peer.shift) - me.next);
        emit(k, x.fromClient, me.next, me.rcv, ACK, me.win || 500, len >= 1 && len <= 3000 ? len : 1 + (x.a % 100));
        const l = len >= 1 && len <= 3000 ? len : 1 + (x.a % 100);
        me.sent.push([me.next, l]);
        me.next = mod32(me.next + l);
        break;
      }
      case 15: {
        // reordering: swap the last two packets (times stay in place, or travel with them)
        if (out.length >= 2) {
          const a = out[out.length - 2];
          const b = out[out.length - 1];
          if (x.a & 1) [a.ts, b.ts] = [b.ts, a.ts];
          out[out.length - 2] = b;
          out[out.length - 1] = a;
        }
        break;
      }
    }
  }
  return out;
}

/** The same packets as capture records (Ethernet / IPv4 / TCP with the options they carry). */
export function toRecords(packets: ModelPacket[]): Record_[] {
  return packets.map((p) => {
    const [src, sport] = p.src.split(':');
    const [dst, dport] = p.dst.split(':');
    const options: TcpOption[] = [];
    if (p.ws !== undefined) options.push({ nop: true }, { ws: p.ws });
    if (p.sack !== undefined) options.push({ nop: true }, { nop: true }, { sack: p.sack });
    const data = tcpFrame({ src, dst, sport: Number(sport), dport: Number(dport), seq: p.seq, ack: p.ack, flags: p.flags, win: p.win, len: p.len, options });
    return { ts: p.ts, data };
  });
}

/**
 * A bulk transfer: the client keeps `inflight` segments un-ACKed while it sends `segments`
 * 100-byte segments; the server ACKs now and then. Events sprinkle retransmissions, reordering,
 * duplicate ACKs, SACKs, gaps and partial ACKs over it.
 */
export function bulk(isn: number, inflight: number, segments: number, events: { at: number; kind: number; x: number }[]): ModelPacket[] {
  const C = '10.0.0.1:40000';
  const S = '10.0.0.2:33333';
  const out: ModelPacket[] = [];
  let t = 1_700_000_000_000_000_000n;
  const sisn = 5000;
  let next = mod32(isn + 1);
  let acked = next;
  const sent: number[] = [];
  const pkt = (src: string, seq: number, ack: number, flags: number, len: number, sack?: [number, number][]) => {
    out.push({ ts: t, src, dst: src === C ? S : C, seq: mod32(seq), ack: mod32(ack), flags, win: 60000, len, sack });
    t += 100_000n;
  };
  pkt(C, isn, 0, 0x002, 0);
  pkt(S, sisn, next, 0x012, 0);
  pkt(C, next, sisn + 1, ACK, 0);
  const byAt = new Map<number, { kind: number; x: number }[]>();
  for (const e of events) byAt.set(e.at, [...(byAt.get(e.at) ?? []), e]);
  for (let i = 0; i < segments; i++) {
    pkt(C, next, sisn + 1, ACK | (i % 7 === 0 ? PSH : 0), 100);
    sent.push(next);
    next = mod32(next + 100);
    if (sent.length > inflight && i % 50 === 0) {
      // cumulative ACK of everything but the last `inflight` segments
      acked = sent[sent.length - inflight];
      pkt(S, sisn + 1, acked, ACK, 0);
    }
    for (const e of byAt.get(i) ?? []) {
      const old = sent[e.x % sent.length];
      switch (e.kind) {
        case 0:
          pkt(C, old, sisn + 1, ACK, 100); // retransmission
          break;
        case 1:
          if (out.length > 4) [out[out.length - 1], out[out.length - 2]] = [out[out.length - 2], out[out.length - 1]];
          break;
        case 2:
          pkt(S, sisn + 1, acked, ACK, 0); // duplicate ACK
          break;
        case 3:
          pkt(S, sisn + 1, acked, ACK, 0, [[old, mod32(old + 100)]]);
          break;
        case 4:
          next = mod32(next + 100 * (1 + (e.x % 3))); // lost segments
          break;
        default:
          pkt(S, sisn + 1, mod32(old + 50), ACK, 0); // partial ACK inside an old segment
      }
    }
  }
  pkt(S, sisn + 1, next, ACK, 0);
  return out;
}
