/**
 * Plain data that crosses every boundary (worker ↔ UI, engine ↔ CLI). No classes, no
 * functions: everything here survives structured clone.
 */
import type { Severity } from '../tcp/flags';
export type { Severity };

export interface LoadProgress {
  /** Frames read and analysed so far. */
  frames: number;
  /** Bytes of the source read so far. */
  bytesRead: number;
  /** Size of the source, when known. */
  totalBytes: number | undefined;
  done: boolean;
}

/** Damage or "not a capture": what is wrong and where (1-based frame number, byte offset). */
export interface LoadError {
  message: string;
  frame: number;
  offset: number;
  /** Under 8 bytes and no capture (CaptureDamage.tooShort): tshark reads no frames, exit 0. */
  tooShort?: boolean;
}

export interface LoadResult {
  frames: number;
  /** "pcap", "pcap-nsec", "pcapng", "gzip pcapng", … (undefined when not a capture). */
  format: string | undefined;
  error: LoadError | undefined;
  cancelled: boolean;
  /** Section comments (pcapng shb_comment). */
  comments: string[];
  linkTypes: number[];
  /** Number of TCP conversations (tcp.stream count). */
  streams: number;
}

/** One packet-list row, as Wireshark's columns show it. */
export interface FrameRow {
  number: number;
  /** Seconds since the first frame (frame.time_relative). */
  time: number;
  /** The Time column in the requested format (fields/time-format.ts), '*REF*' on a time reference. */
  timeText: string;
  /** Values of the "Apply as column" fields asked for, in their order. */
  extra?: string[];
  source: string;
  destination: string;
  protocol: string;
  length: number;
  /** Info with the analysis words in front, as Wireshark writes it. */
  info: string;
  /** The bracketed analysis words, in Info order, e.g. ["[TCP Retransmission]"]. */
  flags: string[];
  /** Wireshark default colouring rule that matched ("Bad TCP", "TCP RST", …) or "" for none. */
  colorRule: string;
  /** Row colours of that rule (#rrggbb), Wireshark's defaults. */
  background: string;
  foreground: string;
  /** tcp.stream or -1. */
  stream: number;
}

/** A node of the packet-detail tree. `start`/`length` locate its bytes in the frame. */
export interface DetailNode {
  label: string;
  /** Display-filter field name, when the node is a field. */
  field?: string;
  /** The field's value as tshark prints it with -e (this occurrence), for "Apply as Filter"; '' = none (existence only). */
  value?: string;
  start?: number;
  length?: number;
  /** Frame this node links to (e.g. "This is an ACK to the segment in frame: N"). */
  link?: number;
  /** Expert severity, for expert items. */
  severity?: Severity;
  /** tshark's protocol filter name ('eth', 'ip', 'tcp', 'data', …) when the node is a protocol. */
  proto?: string;
  /** A "data" node's bytes when they are not in the frame (a reassembled datagram): -V dumps them. */
  outside?: Uint8Array;
  children?: DetailNode[];
}

export interface FrameDetail {
  number: number;
  tree: DetailNode[];
  /** The frame's captured bytes (re-read from the source). */
  bytes: Uint8Array;
}

export interface ExpertCounts {
  error: number;
  warn: number;
  note: number;
  chat: number;
}

/** The kinds of connection diagnosis (engine/diagnose; ../shared/captures/diagnoses/README.md). */
export type DiagnosisKind =
  | 'connection-refused'
  | 'reset-by-middlebox'
  | 'no-response'
  | 'handshake-incomplete'
  | 'port-reuse'
  | 'keepalive-is-reordering'
  | 'zero-window-stall'
  | 'rto-backoff'
  | 'reset-during-transfer';

/** One measured fact of a diagnosis: a name for machines, a value, and the words for people. */
export interface DiagnosisFact {
  name: string;
  value: number | string | number[];
  text: string;
}

/** What went wrong with one connection, in plain words, with the frames that prove it. */
export interface Diagnosis {
  kind: DiagnosisKind;
  severity: Severity;
  /** tcp.stream. */
  stream: number;
  /** The connection's endpoints as "address:port" ("[v6]:port"), the client (SYN sender) first when known. */
  endpoints: [string, string];
  /** Evidence frames, ascending. */
  frames: number[];
  /** One or two sentences: what happened, which side, how long, likely causes, what to check next. */
  summary: string;
  facts: DiagnosisFact[];
  /** port-reuse: seconds from the previous connection's last frame to the new SYN. */
  gap?: number;
}
