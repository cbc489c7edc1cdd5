/**
 * Run the engine on capture bytes the way the CLI does (src/cli/main.ts): load a
 * CaptureSession over a MemorySource, then re-read the bytes with a fresh CaptureReader and
 * project every frame with the decoder in replay mode through `frameCtx` + `FIELDS`.
 */
import { CaptureSession, MemorySource } from '../src/engine/index';
import type { LoadOptions, LoadResult } from '../src/engine/index';
import { CaptureReader } from '../src/engine/capture/reader';
import { Packet } from '../src/engine/decode/packet';
import { FIELDS, frameCtx } from '../src/engine/fields/project';
import { writePcap, type PcapOpts, type Record_ } from '../test/capture/build';

export type Row = Record<string, string>;

export interface Analysed {
  session: CaptureSession;
  result: LoadResult;
  rows: Row[];
}

/** The tshark-compatible fields these tests look at most. */
export const ANALYSIS_FIELDS = [
  'tcp.stream',
  'tcp.seq',
  'tcp.ack',
  'tcp.nxtseq',
  'tcp.len',
  'tcp.window_size',
  'tcp.window_size_scalefactor',
  'tcp.time_relative',
  'tcp.time_delta',
  'tcp.analysis',
  'tcp.analysis.flags',
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission',
  'tcp.analysis.out_of_order',
  'tcp.analysis.lost_segment',
  'tcp.analysis.ack_lost_segment',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.zero_window',
  'tcp.analysis.zero_window_probe',
  'tcp.analysis.zero_window_probe_ack',
  'tcp.analysis.keep_alive',
  'tcp.analysis.keep_alive_ack',
  'tcp.analysis.window_update',
  'tcp.analysis.window_full',
  'tcp.analysis.reused_ports',
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.initial_rtt',
  'tcp.analysis.bytes_in_flight',
  'tcp.analysis.push_bytes_sent',
  'tcp.analysis.rto',
  'tcp.analysis.rto_frame',
];

/** Short names for the flag fields, as used by `flagsOf`. */
export const FLAG_FIELDS: Record<string, string> = {
  retrans: 'tcp.analysis.retransmission',
  fast: 'tcp.analysis.fast_retransmission',
  spurious: 'tcp.analysis.spurious_retransmission',
  ooo: 'tcp.analysis.out_of_order',
  lost: 'tcp.analysis.lost_segment',
  ackLost: 'tcp.analysis.ack_lost_segment',
  dup: 'tcp.analysis.duplicate_ack',
  zw: 'tcp.analysis.zero_window',
  zwp: 'tcp.analysis.zero_window_probe',
  zwpAck: 'tcp.analysis.zero_window_probe_ack',
  ka: 'tcp.analysis.keep_alive',
  kaAck: 'tcp.analysis.keep_alive_ack',
  winUpd: 'tcp.analysis.window_update',
  winFull: 'tcp.analysis.window_full',
  reused: 'tcp.analysis.reused_ports',
};

/** The set flags of a row as a sorted, space-separated list of short names ('' = none). */
export function flagsOf(r: Row): string {
  return Object.entries(FLAG_FIELDS)
    .filter(([, f]) => r[f] === '1')
    .map(([k]) => k)
    .sort()
    .join(' ');
}

/** Load `bytes` and project `fields` on every frame. */
export async function analyse(bytes: Uint8Array, fields: string[] = ANALYSIS_FIELDS, opts: LoadOptions = {}, name = 'test.pcap'): Promise<Analysed> {
  const session = new CaptureSession(new MemorySource(bytes, name));
  const result = await session.load(opts);
  const rows = project(session, bytes, fields);
  return { session, result, rows };
}

/** Second pass as the CLI does it: re-read and project each frame. */
export function project(session: CaptureSession, bytes: Uint8Array, fields: string[]): Row[] {
  const getters = fields.map((f) => {
    const g = FIELDS[f];
    if (!g) throw new Error(`unknown field ${f}`);
    return g;
  });
  const p = new Packet();
  session.decoder.replay = true;
  const rows: Row[] = [];
  const total = session.frameCount;
  let n = 0;
  const reader = new CaptureReader({
    onFrame(buf, off, capLen, origLen, _s, _ns, linkType) {
      n++;
      if (n > total) return;
      session.decoder.decode(p, buf, off, capLen, origLen, linkType, n);
      const c = frameCtx(session, n, p, buf, off);
      const row: Row = {};
      fields.forEach((f, k) => (row[f] = getters[k](c)));
      rows.push(row);
    },
  });
  reader.push(bytes);
  reader.end();
  return rows;
}

/** Analyse TCP records written as a nanosecond pcap (Ethernet). */
export function analyseRecords(records: Record_[], fields: string[] = ANALYSIS_FIELDS, o: PcapOpts = { nsec: true }): Promise<Analysed> {
  return analyse(writePcap(records, o), fields);
}

/** One column of all rows. */
export const col = (rows: Row[], field: string): string[] => rows.map((r) => r[field]);

/**
 * Expected values of one field on every frame: `values` maps frame numbers (1-based) to the
 * expected text; every other frame must show the field absent ('').
 */
export function sparse(rows: Row[], field: string): Record<number, string> {
  const out: Record<number, string> = {};
  rows.forEach((r, i) => {
    if (r[field] !== '') out[i + 1] = r[field];
  });
  return out;
}

/** The flags (short names, see FLAG_FIELDS) of every flagged frame. */
export function flagMap(rows: Row[]): Record<number, string> {
  const out: Record<number, string> = {};
  rows.forEach((r, i) => {
    const f = flagsOf(r);
    if (f) out[i + 1] = f;
  });
  return out;
}
