/**
 * Test support: the fuzz driver. Mutant `i` of run `seed` is fully determined by (seed, i):
 * its kind is MUTATORS[i mod n] (round robin, so every kind is tried), its corpus capture and
 * its mutation come from a PRNG seeded with (seed, i). Hosts: scripts/fuzz.mjs (in a worker
 * thread, with a hang watchdog) and src/engine/fuzz.test.ts (through that script).
 */
import { appCorpus } from './app-corpus';
import { quicCorpus, quicSplitHello } from './quic-corpus';
import { httpBodyCorpus } from './http-corpus';
import { smb2Corpus } from './smb2-corpus';
import { wlanCorpus } from './wlan-corpus';
import { summaryCorpus } from './summary-corpus';
import { gunzipSync } from 'fflate';
import { DEFAULT_EPOCH, conversation, packetBlocks, tcpFrame, writePcap, writePcapng, type NgBlock, type Record_ } from './build';
import { makeSeed, mutate, MUTATORS, rng, type Mutant, type Seed } from './mutate';
import { checkCapture, readKeys, type FrameKey } from './check';
import { treeSample } from './tree-sample';

export interface FuzzOptions {
  seed: number;
  /** Mutants to try (first index `from`, default 0). */
  count: number;
  from?: number;
  /** Polled between mutants: stop early when it returns true. */
  stop?: () => boolean;
  /** Corpus captures besides the built-in ones (pcap, pcapng or gzip of either). */
  corpus?: { name: string; bytes: Uint8Array }[];
  /** Called before each mutant (the watchdog's heartbeat). */
  onStart?: (i: number, kind: string, seed: string) => void;
  /** Every `sampleEvery`-th mutant is handed back for a run through the built CLI. */
  sampleEvery?: number;
}

export interface Sample {
  index: number;
  kind: string;
  seed: string;
  bytes: Uint8Array;
  frames: number;
  error: string | undefined;
  /** The CLI's exit status for it, as tshark's (0 read, 2 damaged or not a capture, 0 under 8 bytes). */
  status: number;
}

export interface Failure {
  index: number;
  kind: string;
  seed: string;
  problems: string[];
  bytes: Uint8Array;
}

export interface FuzzSummary {
  seed: number;
  mutants: number;
  seeds: string[];
  /** Per mutator: mutants tried, how many the reader reported as damaged, frames read in all. */
  kinds: Record<string, { tried: number; errors: number; frames: number }>;
  failures: Failure[];
  samples: Sample[];
}

/** The built-in corpus: every format and layout the readers handle, with comments, options and odd link types. */
export function builtinCorpus(): { name: string; bytes: Uint8Array }[] {
  const conv = conversation('GET / HTTP/1.1\r\nHost: example.test\r\n\r\n');
  const raw: Record_[] = conv.map((f) => ({ ...f, data: f.data.subarray(14) }));
  const cut: Record_[] = conv.map((f) => ({ ...f, data: f.data.subarray(0, Math.min(f.data.length, 60)), origLen: f.data.length }));
  // Interface 0: Ethernet, µs; interface 1: raw IP, ns.
  const twoIf: NgBlock[] = conv.map((f, i) =>
    i % 2 ? { epb: { iface: 1, ts: f.ts, data: f.data.subarray(14) } } : { epb: { iface: 0, ts: f.ts / 1000n, data: f.data, comments: [`frame ${i} <b>comment</b>`] } },
  );
  return [
    { name: 'pcap-le-usec', bytes: writePcap(conv) },
    // UDP, ICMP echo and error (quoting UDP), ARP, ICMPv6 neighbour solicitation.
    { name: 'pcap-udp-icmp-arp-nd', bytes: treeSample() },
    { name: 'pcap-be-nsec', bytes: writePcap(conv, { bigEndian: true, nsec: true }) },
    { name: 'pcap-modified', bytes: writePcap(conv, { modified: true }) },
    { name: 'pcap-raw-ip', bytes: writePcap(raw, { linkType: 101 }) },
    { name: 'pcap-unknown-linktype', bytes: writePcap(conv, { linkType: 147 }) },
    { name: 'pcap-snaplen-60', bytes: writePcap(cut, { snapLen: 60 }) },
    { name: 'pcap-zero-length-frames', bytes: writePcap([{ ts: DEFAULT_EPOCH, data: new Uint8Array(0) }, ...conv.slice(0, 3), { ts: DEFAULT_EPOCH, data: new Uint8Array(0), origLen: 60 }]) },
    {
      name: 'pcapng-le-two-ifaces',
      bytes: writePcapng([
        {
          comments: ['section <script>x</script>'],
          interfaces: [{ linkType: 1, name: 'eth0' }, { linkType: 101, tsresol: 9 }],
          blocks: [{ nrb: [{ ip: '192.0.2.1', names: ['h.x'] }] }, { isb: { iface: 0 } }, ...twoIf],
        },
      ]),
    },
    { name: 'pcapng-be', bytes: writePcapng([{ bigEndian: true, interfaces: [{ linkType: 1 }], blocks: packetBlocks(conv) }]) },
    { name: 'pcapng-simple-blocks', bytes: writePcapng([{ interfaces: [{ linkType: 1, snapLen: 1500 }], blocks: conv.map((f) => ({ spb: { data: f.data } })) }]) },
    {
      name: 'pcapng-two-sections-le-be',
      bytes: writePcapng([
        { interfaces: [{ linkType: 1 }], blocks: packetBlocks(conv.slice(0, 4)) },
        { bigEndian: true, interfaces: [{ linkType: 101 }], blocks: packetBlocks(raw.slice(4)) },
      ]),
    },
    { name: 'pcap-app-protocols', bytes: writePcap(appCorpus()) },
    { name: 'pcap-quic', bytes: writePcap(quicCorpus()) },
    { name: 'pcap-quic-split-hello', bytes: writePcap(quicSplitHello()) },
    { name: 'pcap-http-bodies', bytes: writePcap(httpBodyCorpus(0.01)) },
    { name: 'pcap-smb2', bytes: writePcap(smb2Corpus()) },
    { name: 'pcap-summary-protocols', bytes: writePcap(summaryCorpus()) },
    ...wlanCorpus().map((c) => ({ name: `pcap-wlan-${c.linkType}`, bytes: writePcap(c.records, { linkType: c.linkType }) })),
    {
      name: 'pcap-many-tiny',
      bytes: writePcap(Array.from({ length: 300 }, (_, i) => ({ ts: DEFAULT_EPOCH + BigInt(i) * 1000n, data: tcpFrame({ src: '192.0.2.1', dst: '198.51.100.2', sport: 1000 + (i % 7), dport: 80, seq: i * 10, ack: 1, flags: 'A' }) }))),
    },
  ];
}

function toSeed(c: { name: string; bytes: Uint8Array }): Seed | undefined {
  let b = c.bytes;
  if (b[0] === 0x1f && b[1] === 0x8b) {
    try {
      b = gunzipSync(b);
    } catch {
      return undefined;
    }
  }
  return makeSeed(c.name, b);
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const seeds = [...builtinCorpus(), ...(o.corpus ?? [])].map(toSeed).filter((s): s is Seed => s !== undefined);
  const originals = new Map<string, FrameKey[]>();
  for (const s of seeds) originals.set(s.name, await readKeys(s.bytes));
  const summary: FuzzSummary = { seed: o.seed, mutants: 0, seeds: seeds.map((s) => s.name), kinds: {}, failures: [], samples: [] };
  const from = o.from ?? 0;
  for (let i = from; i < from + o.count; i++) {
    if (o.stop?.()) break;
    const m = makeMutant(seeds, o.seed, i);
    if (!m) continue;
    o.onStart?.(i, m.kind, m.seed);
    const seed = seeds.find((s) => s.name === m.seed)!;
    const r = rng(o.seed * 7919 + i * 31 + 17);
    const smallChunk = 2 + Math.floor(r() * 700);
    const c = await checkCapture(m.bytes, {
      expect: m.expect,
      original: m.gzip ? undefined : originals.get(m.seed),
      frameEnds: seed.frames.map((f) => f.end),
      at: m.gzip ? undefined : m.at,
      smallChunk,
      projectLimit: 120,
    });
    summary.mutants++;
    const k = (summary.kinds[m.kind] ??= { tried: 0, errors: 0, frames: 0 });
    k.tried++;
    k.frames += c.frames;
    if (c.result?.error) k.errors++;
    if (c.problems.length) summary.failures.push({ index: i, kind: m.kind, seed: m.seed, problems: c.problems, bytes: m.bytes });
    if (o.sampleEvery && i % o.sampleEvery === 0) summary.samples.push({ index: i, kind: m.kind, seed: m.seed, bytes: m.bytes, frames: c.frames, error: c.result?.error?.message, status: c.result?.error && !c.result.error.tooShort ? 2 : 0 });
  }
  return summary;
}

/** Mutant `i` of run `seed` (undefined when its mutator does not apply to the capture drawn). */
export function makeMutant(seeds: Seed[], seed: number, i: number): Mutant | undefined {
  const r = rng(seed * 1000003 + i);
  const kind = MUTATORS[i % MUTATORS.length];
  // Draw captures until the mutator applies (a few tries: e.g. IDB mutations need pcapng).
  for (let t = 0; t < 8; t++) {
    const s = seeds[Math.floor(r() * seeds.length)];
    const m = mutate(s, kind, r);
    if (m) return m;
  }
  return undefined;
}

/** Rebuild mutant `i` of run `seed` (to save it as a fixture). */
export function mutantBytes(seed: number, i: number, corpus: { name: string; bytes: Uint8Array }[] = []): Mutant | undefined {
  const seeds = [...builtinCorpus(), ...corpus].map(toSeed).filter((s): s is Seed => s !== undefined);
  return makeMutant(seeds, seed, i);
}
