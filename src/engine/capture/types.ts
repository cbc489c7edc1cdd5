/**
 * What a capture-format parser hands on for each frame, and how it reports damage.
 * Parsers call `FrameSink.onFrame` with a view into their buffer: the sink must copy
 * what it wants to keep, because the buffer is reused for the next chunk.
 */
export interface FrameSink {
  onFrame(
    buf: Uint8Array,
    off: number,
    capLen: number,
    origLen: number,
    /** Whole seconds since the epoch; NaN when the record has no timestamp (pcapng Simple Packet Block). */
    tsSec: number,
    tsNsec: number,
    linkType: number,
    /** Offset of the frame's first byte in the (decompressed) capture stream. */
    dataOffset: number,
    /** Index into the reader's interface table (0 for classic pcap). */
    iface: number,
  ): void;
  /** A comment attached to the frame just delivered (pcapng opt_comment). */
  onFrameComment?(text: string): void;
}

/** Damage found in a capture: what is wrong and where. `frame` is the 1-based number the bad record would have had. */
export interface CaptureDamage {
  message: string;
  frame: number;
  offset: number;
  /**
   * Fewer than 8 bytes of data and no capture format's magic: tshark 4.0.17 reads such a file as
   * no frames and exits 0 (any other file it cannot read exits 2).
   */
  tooShort?: boolean;
}

export interface InterfaceInfo {
  linkType: number;
  snapLen: number;
  name?: string;
  description?: string;
  /** Timestamp units per second (1e6 default in pcapng). */
  unitsPerSecond: number;
  /** Seconds added to every timestamp (if_tsoffset). */
  tsOffset: number;
}

export type FormatName = 'pcap' | 'pcap-nsec' | 'pcap-modified' | 'pcapng';

/**
 * A record parser works on a window of the capture stream. `parse` consumes whole records
 * from `buf[pos, end)` and returns the position after the last one it consumed; it stops
 * early when the next record is incomplete ("need more data") or damaged (sets `damage`).
 */
export interface RecordParser {
  readonly format: FormatName;
  readonly byteOrder: 'little-endian' | 'big-endian';
  readonly interfaces: InterfaceInfo[];
  readonly sectionComments: string[];
  damage: CaptureDamage | undefined;
  frames: number;
  /** Bytes a complete next record needs at `pos` (so the reader knows how much to buffer). */
  parse(buf: Uint8Array, pos: number, end: number, base: number, sink: FrameSink): number;
  /** Called at end of input with the unconsumed tail (`tailBytes`, `tail` bytes long, at logical offset `base`). */
  finish(tail: number, base: number, tailBytes: Uint8Array): void;
}

/** Wiretap's limit for an ordinary packet (WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_PACKET = 262144;

/**
 * Damage messages, in tshark's words plus where: the frame number and the byte offset.
 * Every damage message names both (hosts show the message as is).
 */
export function cutShort(frame: number, offset: number, have: number, need: number | undefined, what = 'packet'): CaptureDamage {
  const size = need === undefined ? `only ${have} byte${have === 1 ? '' : 's'} of it are present` : `only ${have} of its ${need} bytes are present`;
  return {
    message: `The file appears to have been cut short in the middle of a ${what}: frame ${frame} (the record at byte offset ${offset}) is incomplete, ${size}.`,
    frame,
    offset,
  };
}

/** `inPacket`: the damaged record is frame `frame` itself; otherwise the damage comes before it. */
export function corrupt(frame: number, offset: number, detail: string, inPacket = true): CaptureDamage {
  const where = inPacket ? `at frame ${frame} (the record at byte offset ${offset})` : `at byte offset ${offset}, before frame ${frame}`;
  return { message: `The file appears to be damaged or corrupt ${where}: ${detail}.`, frame, offset };
}
