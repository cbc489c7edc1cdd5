/**
 * The diagnosis pass: after a load, say in plain words what went wrong with each TCP connection,
 * with the frames that prove it (kinds: ../../../../shared/captures/diagnoses/README.md and the
 * project README).
 *
 * It reads only what the load kept: the frame columns (stream, TCP flags, direction, analysis
 * flags, times), the conversations (addresses, each side's TTL range), and three sparse maps the
 * analyzer fills on rare paths (RST TTLs, keep-alive IP IDs, retransmitted sequence numbers).
 * No frame is read again. One pass over the columns gathers per-connection counters and the
 * zero-window stalls; a second pass, only when some connection needs it, lists the SYNs and
 * SYN/ACKs of those connections.
 */
import type { Diagnosis, DiagnosisFact, DiagnosisKind } from '../model/types';
import type { Severity } from '../tcp/flags';
import {
  A_KEEP_ALIVE, A_REUSED_PORTS, A_WINDOW_FULL, A_ZERO_WINDOW, A_ZERO_WINDOW_PROBE,
} from '../tcp/flags';
import { TF_DIR_BA, TF_QUOTED, TF_TCP, type FrameTable } from '../tcp/frames';
import type { Conversation } from '../tcp/state';
import { TH_ACK, TH_FIN, TH_RST, TH_SYN } from '../decode/packet';
import { addressFromWords } from '../fields/summary';
import {
  HANDSHAKE_MIN_SYNACKS, KEEPALIVE_GIVE_UP_PROBES, KEEPALIVE_LOOKBACK, MAX_EVIDENCE_FRAMES, MAX_PLAUSIBLE_HOPS, MIDDLEBOX_MIN_HOPS, NO_RESPONSE_MIN_SYNS, QUICK_REUSE_S,
  REORDER_MAX_IPID_DISTANCE, RTO_MIN_GROWTH, RTO_MIN_SENDS, RTO_PLATEAU_RATIO, SYN_DUPLICATE_S, ZERO_WINDOW_MIN_STALL_S,
} from './thresholds';
import { dur } from './words';

/** Analysis flags the zero-window tracking reads. */
const INTERESTING = A_WINDOW_FULL | A_ZERO_WINDOW | A_ZERO_WINDOW_PROBE | A_KEEP_ALIVE;

interface Stall {
  stream: number;
  dir: number;
  start: number;
  /** Frame that reopened the window, 0 when it did not reopen in the capture. */
  reopen: number;
  /** Last frame of the stall (the reopening frame, the close, or the capture's last frame). */
  end: number;
  waiting: boolean;
}

/** Diagnose every connection of a loaded capture. Items come ordered by stream, then first evidence frame. */
export function diagnose(t: FrameTable, convs: readonly Conversation[]): Diagnosis[] {
  return new Pass(t, convs).run();
}

class Pass {
  private readonly S: number;
  private readonly first: Uint32Array;
  private readonly cnt: Uint32Array;
  private readonly firstOfDir: Uint32Array;
  private readonly synCnt: Uint32Array;
  private readonly firstSyn: Uint32Array;
  private readonly synAckCnt: Uint32Array;
  private readonly firstSynAck: Uint32Array;
  private readonly firstNonSyn: Uint32Array;
  private readonly firstFin: Uint32Array;
  private readonly firstRst: Uint32Array;
  private readonly stalls: Stall[] = [];
  private readonly out: Diagnosis[] = [];

  constructor(
    private readonly t: FrameTable,
    private readonly convs: readonly Conversation[],
  ) {
    const S = (this.S = convs.length);
    this.first = new Uint32Array(S);
    this.firstRst = new Uint32Array(S);
    this.cnt = new Uint32Array(2 * S);
    this.firstOfDir = new Uint32Array(2 * S);
    this.synCnt = new Uint32Array(2 * S);
    this.firstSyn = new Uint32Array(2 * S);
    this.synAckCnt = new Uint32Array(2 * S);
    this.firstSynAck = new Uint32Array(2 * S);
    this.firstNonSyn = new Uint32Array(2 * S);
    this.firstFin = new Uint32Array(2 * S);
  }

  run(): Diagnosis[] {
    if (this.S === 0) return [];
    this.scan();
    this.refusedNoResponseHandshake();
    this.middlebox();
    this.resets();
    this.portReuse();
    this.keepAlives();
    this.zeroWindows();
    this.backoffs();
    return this.out.sort((a, b) => a.stream - b.stream || a.frames[0] - b.frames[0]);
  }

  /** Seconds from the first frame. */
  private time(frame: number): number {
    return this.t.nsBetween(frame, 1) / 1e9;
  }

  private secs(a: number, b: number): number {
    return this.t.nsBetween(b, a) / 1e9;
  }

  /**
   * The connections worth a look, from what the load kept on the side: a RST, a retransmission
   * (SYNs resent included), a SYN/ACK sent twice, a zero window, a keep-alive. Everything else
   * (most connections, most frames) is not scanned at all.
   */
  private candidates(): Uint8Array {
    const t = this.t;
    const cand = new Uint8Array(this.S);
    const mark = (frame: number) => {
      const s = t.stream[frame - 1];
      if (s >= 0) cand[s] = 1;
    };
    for (const f of t.rstTtl.keys()) mark(f);
    // Retransmissions: SYNs resent (no-response) make a candidate; data needs no scan (rto-backoff reads the sparse map).
    for (const f of t.retransmits.keys()) if (t.tflags[f - 1] & TH_SYN) mark(f);
    for (const f of t.keepAliveIpIds.keys()) mark(f);
    for (const c of this.convs) {
      if (c.zeroWindowSeen || c.flow0.synAcks.length >= 2 * HANDSHAKE_MIN_SYNACKS || c.flow1.synAcks.length >= 2 * HANDSHAKE_MIN_SYNACKS) cand[c.stream] = 1;
    }
    return cand;
  }

  /** The one pass over the columns, for the candidate connections only. */
  private scan(): void {
    const t = this.t;
    const cand = this.candidates();
    // Only the span of frames from the first candidate's start to the last one's end.
    let lo = Infinity;
    let hi = 0;
    for (let s = 0; s < this.S; s++) {
      if (cand[s] === 0) continue;
      const c = this.convs[s];
      lo = Math.min(lo, c.setupFrame - 1);
      hi = Math.max(hi, c.flow0.lastAckFrame, c.flow1.lastAckFrame, c.setupFrame);
    }
    if (hi === 0) return;
    const n = t.count;
    const { stream, tflags, aflags } = t;
    const { first, cnt, firstOfDir, synCnt, firstSyn, synAckCnt, firstSynAck, firstNonSyn, firstFin, firstRst } = this;
    // Zero-window state per direction (the side advertising it).
    const zwStart = new Uint32Array(2 * this.S);
    const zwWaiting = new Uint8Array(2 * this.S);
    const zwLastEnd = new Uint32Array(2 * this.S);
    const lastWinFull = new Uint32Array(2 * this.S);
    for (let i = lo; i < hi; i++) {
      const s = stream[i];
      if (s < 0 || cand[s] === 0) continue;
      const tf = tflags[i];
      const af = aflags[i];
      const k = (s << 1) | (tf & TF_DIR_BA ? 1 : 0);
      // Most frames of a candidate connection are plain data and ACKs: once the side's first
      // non-SYN frame is known, only flags, flagged frames and open stalls need a look.
      if ((tf & (TH_SYN | TH_FIN | TH_RST)) === 0 && (af & INTERESTING) === 0 && firstNonSyn[k] !== 0 && zwStart[k] === 0 && zwStart[k ^ 1] === 0) continue;
      if (!(tf & TF_TCP) || tf & TF_QUOTED) continue;
      const f = i + 1;
      if (first[s] === 0) first[s] = f;
      if (cnt[k]++ === 0) firstOfDir[k] = f;
      if (tf & TH_SYN) {
        if (tf & TH_ACK) {
          if (synAckCnt[k]++ === 0) firstSynAck[k] = f;
        } else if (synCnt[k]++ === 0) firstSyn[k] = f;
      } else if (firstNonSyn[k] === 0) firstNonSyn[k] = f;
      if (tf & TH_FIN && firstFin[k] === 0) firstFin[k] = f;
      if (tf & TH_RST && firstRst[s] === 0) firstRst[s] = f;
      const o = k ^ 1;
      if (af & A_WINDOW_FULL) lastWinFull[k] = f;
      if (zwStart[o] !== 0 && af & (A_ZERO_WINDOW_PROBE | A_KEEP_ALIVE)) zwWaiting[o] = 1;
      if (af & A_ZERO_WINDOW) {
        if (zwStart[k] === 0) {
          zwStart[k] = f;
          // The other side filled the window since the last stall: it has data waiting.
          zwWaiting[k] = lastWinFull[o] !== 0 && lastWinFull[o] >= zwLastEnd[k] ? 1 : 0;
        }
      } else if (zwStart[k] !== 0) {
        // Any other packet of this side ends the stall: a window update (or data, an ACK) reopens
        // the window; a FIN or RST closes the connection with the window still shut.
        const closes = (tf & (TH_FIN | TH_RST | TH_SYN)) !== 0;
        this.stalls.push({ stream: s, dir: k & 1, start: zwStart[k], reopen: closes ? 0 : f, end: f, waiting: zwWaiting[k] === 1 });
        zwStart[k] = 0;
        zwLastEnd[k] = f;
      }
    }
    for (let k = 0; k < 2 * this.S; k++) {
      if (zwStart[k] !== 0) this.stalls.push({ stream: k >> 1, dir: k & 1, start: zwStart[k], reopen: 0, end: n, waiting: zwWaiting[k] === 1 });
    }
  }

  /** SYN (no ACK) and SYN/ACK frames of the given streams, in frame order (the second pass). */
  private handshakeFrames(streams: Set<number>): Map<number, number[]> {
    const m = new Map<number, number[]>();
    if (streams.size === 0) return m;
    const { stream, tflags } = this.t;
    for (let i = 0; i < this.t.count; i++) {
      const s = stream[i];
      if (s < 0 || !(tflags[i] & TH_SYN) || tflags[i] & TF_QUOTED || !streams.has(s)) continue;
      const l = m.get(s);
      if (l) l.push(i + 1);
      else m.set(s, [i + 1]);
    }
    return m;
  }

  private dirOf(frame: number): number {
    return this.t.tflags[frame - 1] & TF_DIR_BA ? 1 : 0;
  }

  private isSynAck(frame: number): boolean {
    return (this.t.tflags[frame - 1] & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK);
  }

  /** connection-refused, no-response, handshake-incomplete: what happened to the handshake. */
  private refusedNoResponseHandshake(): void {
    const { synCnt, firstSyn, synAckCnt, firstNonSyn, firstOfDir, firstRst, cnt } = this;
    const refused = new Map<number, number>();
    const silent = new Map<number, number>();
    const halfOpen = new Map<number, number>();
    for (let s = 0; s < this.S; s++) {
      for (let c = 0; c < 2; c++) {
        const k = 2 * s + c; // the client side: it sent SYNs
        const r = k ^ 1;
        const rst = firstRst[s];
        if (synCnt[k] > 0 && rst !== 0 && this.dirOf(rst) === (r & 1) && firstOfDir[r] === rst && firstSyn[k] < rst && (firstNonSyn[k] === 0 || firstNonSyn[k] > rst)) {
          refused.set(s, c);
        } else if (synCnt[k] >= NO_RESPONSE_MIN_SYNS && cnt[r] === 0 && firstNonSyn[k] === 0) {
          silent.set(s, c);
        } else if (synAckCnt[r] >= HANDSHAKE_MIN_SYNACKS && synAckCnt[k] === 0 && firstNonSyn[k] === 0) {
          // The server resent its SYN/ACK; the client sent nothing but SYNs (or nothing: the capture holds one direction).
          halfOpen.set(s, c);
        }
      }
    }
    const hs = this.handshakeFrames(new Set([...refused.keys(), ...silent.keys(), ...halfOpen.keys()]));
    for (const [s, c] of refused) {
      const rst = firstRst[s];
      const syns = (hs.get(s) ?? []).filter((f) => f < rst && !this.isSynAck(f) && this.dirOf(f) === c);
      const client = this.endpoint(s, c);
      const server = this.endpoint(s, c ^ 1);
      const after = this.secs(syns[syns.length - 1], rst);
      const facts: DiagnosisFact[] = [
        fact('attempts', syns.length, `${syns.length} SYN${syns.length > 1 ? 's' : ''} before the reset`),
        fact('rstAfter', round(after), `RST ${dur(after)} after the ${syns.length > 1 ? 'last ' : ''}SYN`),
      ];
      this.add('connection-refused', 'warn', s, c, [...syns, rst], facts,
        `${server} refused the connection from ${client}: its SYN was answered by a RST ${dur(after)} later. ` +
          `Nothing listens on port ${this.port(s, c ^ 1)}, or a firewall rejects it; check the service and the firewall rules on the path${this.rstLooksForged(rst) ? ' (this RST did not come from the server itself: see the middlebox item)' : ''}.`);
    }
    for (const [s, c] of silent) {
      const syns = (hs.get(s) ?? []).filter((f) => this.dirOf(f) === c && !this.isSynAck(f));
      const attempts = syns.filter((f, j) => j === 0 || this.secs(syns[j - 1], f) >= SYN_DUPLICATE_S).length;
      if (attempts < NO_RESPONSE_MIN_SYNS) continue;
      const iv = intervals(syns.map((f) => this.time(f)));
      const span = this.secs(syns[0], syns[syns.length - 1]);
      const facts: DiagnosisFact[] = [
        fact('attempts', attempts, `${syns.length} SYNs over ${dur(span)}${attempts < syns.length ? ` (${attempts} attempts; the others are the same SYN seen twice)` : ''}`),
        fact('intervals', iv.map(round), `intervals ${iv.map((x) => dur(x)).join(', ')}`),
      ];
      this.add('no-response', 'error', s, c, syns, facts,
        `${this.endpoint(s, c)} sent ${syns.length} SYNs to ${this.endpoint(s, c ^ 1)} over ${dur(span)} and got no answer at all. ` +
          'The host or its listener is down, or a firewall drops the SYNs silently; check that the service is up and whether a firewall on the path drops the traffic.');
    }
    for (const [s, c] of halfOpen) {
      const frames = hs.get(s) ?? [];
      const firstSynFrame = frames.find((f) => this.dirOf(f) === c && !this.isSynAck(f));
      const synAcks = frames.filter((f) => this.dirOf(f) !== c && this.isSynAck(f));
      const iv = intervals(synAcks.map((f) => this.time(f)));
      const span = this.secs(synAcks[0], synAcks[synAcks.length - 1]);
      const facts: DiagnosisFact[] = [
        fact('synAcks', synAcks.length, `${synAcks.length} SYN/ACKs over ${dur(span)}`),
        fact('intervals', iv.map(round), `intervals ${iv.map((x) => dur(x)).join(', ')}`),
      ];
      if (firstSynFrame === undefined) facts.push(fact('synSeen', 'no', 'the SYN is not in the capture'));
      this.add('handshake-incomplete', 'warn', s, c, firstSynFrame ? [firstSynFrame, ...synAcks] : synAcks, facts,
        `${this.endpoint(s, c ^ 1)} answered the SYN from ${this.endpoint(s, c)} and resent its SYN/ACK ${synAcks.length - 1} time${synAcks.length > 2 ? 's' : ''}, but the handshake never completed: no ACK came back. ` +
          'The SYN/ACK or the client\'s ACK is lost on the way (asymmetric routing, a stateful firewall dropping one direction), or the SYN was spoofed (a SYN flood); capture on the client side to see which.');
    }
  }

  /** The TTL a RST's sender usually has: its own flow's range, else the range of every flow that address sent. */
  private usualTtl(s: number, d: number): { lo: number; hi: number; frame: number } | undefined {
    const F = this.convs[s].flow(d);
    if (F.ttlLo >= 0) return { lo: F.ttlLo, hi: F.ttlHi, frame: F.ttlFrame };
    return this.byAddress().get(this.addrKey(s, d));
  }

  private addrRanges: Map<string, { lo: number; hi: number; frame: number }> | undefined;

  private byAddress(): Map<string, { lo: number; hi: number; frame: number }> {
    if (this.addrRanges) return this.addrRanges;
    const m = new Map<string, { lo: number; hi: number; frame: number }>();
    for (const c of this.convs) {
      for (let d = 0; d < 2; d++) {
        const F = c.flow(d);
        if (F.ttlLo < 0) continue;
        const key = this.addrKey(c.stream, d);
        const r = m.get(key);
        if (!r) m.set(key, { lo: F.ttlLo, hi: F.ttlHi, frame: F.ttlFrame });
        else {
          r.lo = Math.min(r.lo, F.ttlLo);
          r.hi = Math.max(r.hi, F.ttlHi);
        }
      }
    }
    return (this.addrRanges = m);
  }

  private addrKey(s: number, side: number): string {
    return this.convs[s].family + ':' + this.convs[s].address(side).join(',');
  }

  private forged(frame: number): { ttl: number; usual: { lo: number; hi: number; frame: number } } | undefined {
    const ttl = this.t.rstTtl.get(frame);
    const s = this.t.stream[frame - 1];
    if (ttl === undefined || s < 0) return undefined;
    const usual = this.usualTtl(s, this.dirOf(frame));
    if (!usual || hopsFrom(usual.lo) > MAX_PLAUSIBLE_HOPS) return undefined;
    if (ttl <= usual.lo - MIDDLEBOX_MIN_HOPS || ttl >= usual.hi + MIDDLEBOX_MIN_HOPS) return { ttl, usual };
    return undefined;
  }

  private rstLooksForged(frame: number): boolean {
    return this.forged(frame) !== undefined;
  }

  /** reset-by-middlebox: RSTs whose TTL is not their sender's. One item per connection and side. */
  private middlebox(): void {
    const seen = new Map<number, { frames: number[]; ttl: number; usual: { lo: number; hi: number; frame: number } }>();
    for (const frame of this.t.rstTtl.keys()) {
      const f = this.forged(frame);
      if (!f) continue;
      const s = this.t.stream[frame - 1];
      const key = 2 * s + this.dirOf(frame);
      const e = seen.get(key);
      if (e) e.frames.push(frame);
      else seen.set(key, { frames: [frame], ...f });
    }
    for (const [key, e] of seen) {
      const s = key >> 1;
      const d = key & 1;
      const usualText = e.usual.lo === e.usual.hi ? `${e.usual.lo}` : `${e.usual.lo}–${e.usual.hi}`;
      const facts: DiagnosisFact[] = [
        fact('rstTtl', e.ttl, `RST TTL ${e.ttl}`),
        fact('usualTtl', e.usual.lo === e.usual.hi ? e.usual.lo : [e.usual.lo, e.usual.hi], `${this.addr(s, d)}'s other packets: TTL ${usualText} (frame ${e.usual.frame})`),
        fact('initialTtl', [initialTtl(e.ttl), initialTtl(e.usual.lo)], `likely initial TTL ${initialTtl(e.ttl)} (${hopWords(initialTtl(e.ttl) - e.ttl)}) for the RST, ${initialTtl(e.usual.lo)} (${hopWords(initialTtl(e.usual.lo) - e.usual.lo)}) for the host`),
      ];
      const hops = initialTtl(e.ttl) - e.ttl;
      const where = hops === 0 ? 'next to the capture point' : `about ${hops} hop${hops === 1 ? '' : 's'} from the capture point`;
      this.add('reset-by-middlebox', 'error', s, this.clientSide(s), [...e.frames.slice(0, MAX_EVIDENCE_FRAMES), e.usual.frame], facts,
        `The RST claiming to come from ${this.endpoint(s, d)} arrived with TTL ${e.ttl}, but that host's packets arrive with TTL ${usualText}: a firewall, IPS or load balancer on the path probably sent it. ` +
          `Check the devices between the two hosts (the sender of the RST is ${where}, if it started from TTL ${initialTtl(e.ttl)}) for a rule that resets this traffic.`,
      );
    }
  }

  /** reset-during-transfer: a RST after data, before FIN both ways, not answering a SYN. */
  private resets(): void {
    const { firstRst, firstFin, synCnt, firstOfDir, firstNonSyn } = this;
    for (let s = 0; s < this.S; s++) {
      const rst = firstRst[s];
      if (rst === 0) continue;
      const d = this.dirOf(rst);
      const k = 2 * s + d;
      const o = k ^ 1;
      // Answering a SYN: the refusal (connection-refused) — the resetting side had sent nothing else before.
      if (firstOfDir[k] === rst && synCnt[o] > 0 && (firstNonSyn[o] === 0 || firstNonSyn[o] > rst)) continue;
      if (!(this.convs[s].completeness & 8)) continue; // no data exchanged
      const finK = firstFin[k] !== 0 && firstFin[k] < rst;
      const finO = firstFin[o] !== 0 && firstFin[o] < rst;
      if (finK && finO) continue; // closed both ways first
      const since = this.secs(this.first[s], rst);
      const facts: DiagnosisFact[] = [
        fact('resetBy', this.endpoint(s, d), `reset by ${this.endpoint(s, d)}`),
        fact('after', round(since), `${dur(since)} into the connection`),
      ];
      if (finO) facts.push(fact('peerClosed', firstFin[o], `the peer had already sent its FIN (frame ${firstFin[o]})`));
      const forged = this.rstLooksForged(rst);
      const probes = this.unansweredKeepAlives(rst);
      if (probes.length >= KEEPALIVE_GIVE_UP_PROBES) facts.push(fact('unansweredKeepAlives', probes.length, `${probes.length} keep-alive probes unanswered before it (frames ${probes.join(', ')})`));
      const words = forged
        ? ` The RST's TTL does not match ${this.addr(s, d)}'s other packets: a device on the path probably sent it.`
        : probes.length >= KEEPALIVE_GIVE_UP_PROBES
          ? ` It gave up after ${probes.length} keep-alive probes went unanswered: the peer is gone (crashed, rebooted, unplugged) or a firewall or NAT on the path dropped the idle connection; check whether the peer is up and the idle timeouts on the path.`
          : finO
            ? ` ${this.addr(s, d ^ 1)} had already closed its side: this is an abortive close (an application closing with unread data or with SO_LINGER 0), harmless unless data was still expected.`
            : finK
              ? ` ${this.addr(s, d)} had closed its side before (FIN, frame ${firstFin[k]}) and answers what still arrives with a RST: harmless unless the other side had data left to deliver.`
              : ` Likely causes: the application closed with unread data or aborted (SO_LINGER 0), a crash or timeout on that host, or a firewall or load balancer dropping the connection's state; check that host's application logs.`;
      this.add('reset-during-transfer', (finO || finK) && !probes.length ? 'note' : 'warn', s, this.clientSide(s), [...probes, rst], facts,
        `${this.endpoint(s, d)} reset the connection ${dur(since)} after it started, after data had been exchanged.${words}`);
    }
  }

  /**
   * The keep-alives the RST's sender sent just before it, with nothing from the other side in
   * between (a host giving up on a silent peer). Walks back at most KEEPALIVE_LOOKBACK frames.
   */
  private unansweredKeepAlives(rst: number): number[] {
    const { stream, tflags, aflags } = this.t;
    const s = stream[rst - 1];
    const d = this.dirOf(rst);
    const out: number[] = [];
    for (let i = rst - 2; i >= 0 && i >= rst - 1 - KEEPALIVE_LOOKBACK; i--) {
      if (stream[i] !== s || tflags[i] & TF_QUOTED) continue;
      if ((tflags[i] & TF_DIR_BA ? 1 : 0) !== d || !(aflags[i] & A_KEEP_ALIVE)) break;
      out.unshift(i + 1);
    }
    return out;
  }

  /** port-reuse: a SYN that starts a new stream on the ports of an earlier one. */
  private portReuse(): void {
    const t = this.t;
    const cands = this.convs.filter((c) => c.stream > 0 && t.aflags[c.setupFrame - 1] & A_REUSED_PORTS && !t.reflagged.has(c.setupFrame) && t.tflags[c.setupFrame - 1] & TH_SYN);
    if (cands.length === 0) return;
    const lastOn = new Map<string, number>();
    const key = (c: Conversation): string => {
      const a = `${c.address(0).join(',')}/${c.portA}`;
      const b = `${c.address(1).join(',')}/${c.portB}`;
      return c.family + (a < b ? a + '|' + b : b + '|' + a);
    };
    const want = new Set(cands.map(key));
    for (const c of this.convs) {
      const k = key(c);
      if (!want.has(k)) continue;
      const prev = lastOn.get(k);
      lastOn.set(k, c.stream);
      if (prev === undefined || !(t.aflags[c.setupFrame - 1] & A_REUSED_PORTS)) continue;
      const syn = c.setupFrame;
      // The previous connection's last frame (not scanned: most of them are clean): the later of its two sides' last packets.
      const prevLast = Math.max(this.convs[prev].flow0.lastAckFrame, this.convs[prev].flow1.lastAckFrame);
      if (prevLast === 0 || prevLast > syn) continue;
      const gap = this.secs(prevLast, syn);
      const quick = gap < QUICK_REUSE_S;
      const prevRst = this.t.tflags[prevLast - 1] & TH_RST;
      const port = c.portA;
      const facts: DiagnosisFact[] = [
        fact('gap', round(gap), `${dur(gap)} after the previous connection's last frame`),
        fact('previousStream', prev, `previous connection: stream ${prev}${prevRst ? ' (it ended with a RST)' : ''}`),
      ];
      this.add('port-reuse', quick ? 'warn' : 'note', c.stream, 0, [prevLast, syn], facts,
        quick
          ? `Port ${port} reused ${dur(gap)} after the previous connection on the same ports (stream ${prev}) ended${prevRst ? ' with a RST' : ''}: quick reuse. A client retrying from a fixed port or TIME_WAIT cut short can confuse stateful firewalls, NAT and the server; check whether the SYN is answered normally and why the client reuses the port so soon.`
          : `Port ${port} reused ${dur(gap)} after the previous connection on the same ports (stream ${prev}) ended: benign (the ephemeral port range came round).`,
        gap);
    }
  }

  /** keepalive-is-reordering: a "keep-alive" with a lower IP ID than the sender's previous packet. */
  private keepAlives(): void {
    const byStream = new Map<number, { ka: number; prev: number; kaId: number; prevId: number }[]>();
    for (const [frame, e] of this.t.keepAliveIpIds) {
      const dist = (e.prevIpId - e.ipId) & 0xffff;
      if (dist === 0 || dist > REORDER_MAX_IPID_DISTANCE || e.prevFrame === 0) continue;
      const s = this.t.stream[frame - 1];
      const l = byStream.get(s);
      const item = { ka: frame, prev: e.prevFrame, kaId: e.ipId, prevId: e.prevIpId };
      if (l) l.push(item);
      else byStream.set(s, [item]);
    }
    for (const [s, l] of byStream) {
      const a = l[0];
      const d = this.dirOf(a.ka);
      const late = this.secs(a.prev, a.ka);
      const prevWhat = this.t.tflags[a.prev - 1] & TH_FIN ? 'its FIN' : 'its next segment';
      const facts: DiagnosisFact[] = [
        fact('ipIds', [a.kaId, a.prevId], `IP ID ${a.kaId} arrived after IP ID ${a.prevId} (frame ${a.prev})`),
        fact('late', round(late), `${dur(late)} late`),
      ];
      if (l.length > 1) facts.push(fact('count', l.length, `${l.length} such segments`));
      this.add('keepalive-is-reordering', 'note', s, this.clientSide(s), l.flatMap((x) => [x.prev, x.ka]).slice(0, MAX_EVIDENCE_FRAMES), facts,
        `Frame ${a.ka}, flagged "TCP Keep-Alive", is not a keep-alive: its IP ID (${a.kaId}) is lower than that of ${prevWhat} from ${this.endpoint(s, d)} (frame ${a.prev}, IP ID ${a.prevId}), so it is an earlier segment delivered late (reordering on the path). ` +
          'Any zero window or RST that follows it is the peer answering a stale segment, not a real problem of the connection.');
    }
  }

  /** zero-window-stall: one item per connection and side, over all its stalls. */
  private zeroWindows(): void {
    const by = new Map<number, Stall[]>();
    for (const st of this.stalls) {
      if (!st.waiting) continue;
      const lasting = this.secs(st.start, st.end);
      if (lasting < ZERO_WINDOW_MIN_STALL_S) continue;
      const k = 2 * st.stream + st.dir;
      const l = by.get(k);
      if (l) l.push(st);
      else by.set(k, [st]);
    }
    for (const [k, l] of by) {
      const s = k >> 1;
      const d = k & 1;
      const lens = l.map((st) => this.secs(st.start, st.end));
      const total = lens.reduce((a, b) => a + b, 0);
      const longest = Math.max(...lens);
      const f0 = l[0];
      const facts: DiagnosisFact[] = [
        fact('stall', round(lens[0]), `window shut for ${dur(lens[0])} from frame ${f0.start}${f0.reopen ? ` to frame ${f0.reopen}` : ', never reopened in the capture'}`),
      ];
      if (l.length > 1) {
        facts.push(fact('stalls', l.length, `${l.length} stalls`), fact('total', round(total), `${dur(total)} in all`), fact('longest', round(longest), `longest ${dur(longest)}`));
      }
      const frames = l.flatMap((st) => (st.reopen ? [st.start, st.reopen] : [st.start]));
      const end = f0.reopen ? `until its window reopened (frame ${f0.reopen})` : 'and its window had not reopened when the capture ended';
      this.add('zero-window-stall', 'warn', s, this.clientSide(s), frames.slice(0, MAX_EVIDENCE_FRAMES), facts,
        `${this.endpoint(s, d)} advertised a zero window while ${this.addr(s, d ^ 1)} had data to send: the transfer stalled for ${dur(lens[0])} ${end}${l.length > 1 ? `, ${l.length} times in all (${dur(total)})` : ''}. ` +
          'The receiving application does not read fast enough (busy, blocked, or a small receive buffer); check that application and its host\'s CPU and disk.');
    }
  }

  /** rto-backoff: the same data sent again and again with growing intervals. */
  private backoffs(): void {
    const groups = new Map<string, { s: number; d: number; frames: number[]; orig: number; seq: number }>();
    for (const [frame, e] of this.t.retransmits) {
      const s = this.t.stream[frame - 1];
      const d = this.dirOf(frame);
      const key = `${s}/${d}/${e.seq}`;
      const g = groups.get(key);
      if (g) g.frames.push(frame);
      else groups.set(key, { s, d, frames: [frame], orig: e.orig, seq: e.seq });
    }
    for (const g of groups.values()) {
      const sends = g.orig !== 0 && g.orig < g.frames[0] ? [g.orig, ...g.frames] : g.frames;
      if (sends.length < RTO_MIN_SENDS) continue;
      const iv = intervals(sends.map((f) => this.time(f)));
      let ok = iv[0] > 0 && iv[iv.length - 1] >= iv[0] * RTO_MIN_GROWTH;
      for (let j = 1; ok && j < iv.length; j++) if (iv[j] < iv[j - 1] * RTO_PLATEAU_RATIO) ok = false;
      if (!ok) continue;
      const { s, d } = g;
      // A SYN or SYN/ACK resent with backoff is already told by no-response / handshake-incomplete.
      if (this.t.tflags[sends[0] - 1] & TH_SYN && this.out.some((x) => x.stream === s && (x.kind === 'no-response' || x.kind === 'handshake-incomplete'))) continue;
      const lastSend = sends[sends.length - 1];
      const peerAfter = this.convs[s].flow(d ^ 1).lastAckFrame > lastSend;
      const span = this.secs(sends[0], lastSend);
      const tf = this.t.tflags[sends[0] - 1];
      const what = tf & TH_SYN ? (tf & TH_ACK ? 'its SYN/ACK' : 'its SYN') : tf & TH_FIN ? 'its FIN' : `the segment at sequence number ${(g.seq - this.convs[s].flow(d).baseSeq) >>> 0}`;
      const facts: DiagnosisFact[] = [
        fact('sends', sends.length, `sent ${sends.length} times over ${dur(span)}`),
        fact('intervals', iv.map(round), `intervals ${iv.map((x) => dur(x)).join(', ')}`),
        fact('answered', peerAfter ? 'yes' : 'no', peerAfter ? 'the peer answered afterwards' : 'no answer from the peer afterwards'),
      ];
      this.add('rto-backoff', peerAfter ? 'warn' : 'error', s, this.clientSide(s), sends.slice(0, MAX_EVIDENCE_FRAMES), facts,
        `${this.endpoint(s, d)} retransmitted ${what} ${sends.length - 1} time${sends.length === 2 ? '' : 's'} by timeout, backing off (intervals ${iv.map((x) => dur(x)).join(', ')}). ` +
          (peerAfter
            ? `Packets were lost on the path for about ${dur(span)} before it came back; check the links and devices between the hosts for drops or an outage at that time.`
            : `${this.addr(s, d ^ 1)} never answered again in the capture: the peer is gone (crashed, unplugged, its state dropped) or the path is down.`));
    }
  }

  // ---- helpers ----

  /** The side (0 = A, 1 = B) that sent the connection's first SYN, else A. */
  private clientSide(s: number): number {
    const a = this.firstSyn[2 * s];
    const b = this.firstSyn[2 * s + 1];
    if (a === 0 && b !== 0) return 1;
    if (a === 0 && b === 0) {
      // No SYN: the side that sent a SYN/ACK is the server.
      if (this.firstSynAck[2 * s] !== 0 && this.firstSynAck[2 * s + 1] === 0) return 1;
    }
    return b !== 0 && b < a ? 1 : 0;
  }

  private port(s: number, side: number): number {
    return side === 0 ? this.convs[s].portA : this.convs[s].portB;
  }

  private addr(s: number, side: number): string {
    const c = this.convs[s];
    return addressFromWords(c.family, c.address(side));
  }

  private endpoint(s: number, side: number): string {
    const a = this.addr(s, side);
    return (this.convs[s].family === 6 ? `[${a}]` : a) + ':' + this.port(s, side);
  }

  private add(kind: DiagnosisKind, severity: Severity, s: number, client: number, frames: number[], facts: DiagnosisFact[], summary: string, gap?: number): void {
    const d: Diagnosis = {
      kind,
      severity,
      stream: s,
      endpoints: [this.endpoint(s, client), this.endpoint(s, client ^ 1)],
      frames: [...new Set(frames)].filter((f) => f > 0).sort((a, b) => a - b),
      summary,
      facts,
    };
    if (gap !== undefined) d.gap = round(gap);
    this.out.push(d);
  }
}

function fact(name: string, value: DiagnosisFact['value'], text: string): DiagnosisFact {
  return { name, value, text };
}

function intervals(times: number[]): number[] {
  const r: number[] = [];
  for (let i = 1; i < times.length; i++) r.push(times[i] - times[i - 1]);
  return r;
}

/** Seconds to the microsecond (enough for the facts; keeps the JSON short). */
function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function hopWords(n: number): string {
  return `${n} hop${n === 1 ? '' : 's'} away`;
}

/** The common initial TTL a received TTL started from (64, 128 or 255). */
function initialTtl(ttl: number): number {
  return ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
}

/** Hops from the likely initial TTL. */
function hopsFrom(ttl: number): number {
  return initialTtl(ttl) - ttl;
}

