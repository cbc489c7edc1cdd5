/**
 * What an application dissector (src/engine/dissect/<protocol>.ts) is and what it gives back.
 *
 * A dissector reads one PDU (a DNS message, an HTTP message, a TLS record, a text line…) from a
 * byte range and returns a `Pdu`: its Protocol column word, its Info text, its field values (for
 * `-e` and display filters) and its detail subtree. Over TCP it also says how long the PDU is,
 * or how many more bytes it needs, so the stream layer (stream.ts) can reassemble PDUs across
 * segments as Wireshark does by default.
 */
import type { DetailNode } from '../model/types';
import type { ExpertGroup, Severity } from '../tcp/flags';
import type { FieldType } from '../fields/registry';

/** One expert item of an application PDU (tshark's `-z expert` row). */
export interface AppExpert {
  severity: Severity;
  group: ExpertGroup;
  protocol: string;
  summary: string;
}

export interface Pdu {
  /** Protocol column word ('DNS', 'HTTP', 'TLSv1.2', 'HTTP/JSON', …). */
  proto: string;
  /** This PDU's part of the Info column. */
  info: string;
  /** Field values in tree order: [name, value] (FT_NONE / protocol fields carry ''). */
  fields: [string, string][];
  /** Its detail subtree (byte ranges relative to the PDU's first byte, shifted by the caller). */
  tree: DetailNode;
  /**
   * Top-level nodes after it (same byte ranges): generated fields tshark puts outside the protocol
   * ("[Current working directory: /]" of FTP) and the protocols it carries (IMF in SMTP).
   */
  after?: DetailNode[];
  experts?: AppExpert[];
  /** Cut or bogus: tshark prints "[Malformed Packet]" after it. */
  malformed?: boolean;
  /**
   * Its dissector reads no byte the capture did not keep (QUIC: a cut packet only fails to
   * decrypt), so a frame cut inside it gets no "[Packet size limited during capture]".
   */
  cutQuiet?: boolean;
  /** The protocol that threw, when not the PDU's own (an HTTP body's PNG): "[Malformed Packet: PNG]". */
  malformedBy?: string;
  /**
   * It sets no column: Protocol and Info stay TCP's, followed by `info` (HTTP header lines without
   * a start line: tshark's Info is TCP's, plus " (text/plain)" when a Content-Type names the body).
   * May be a getter decided after the first pass.
   */
  readonly silent?: boolean;
  /** Offset of the PDU in the frame's TCP/UDP payload when all of it is in this frame (set by the caller). */
  at?: number;
  /**
   * The conversation goes on with another dissector after this PDU, in both directions (STARTTLS:
   * a positive answer to it hands the connection to TLS, as Wireshark does).
   */
  next?: AppDissector;
}

/** The data a dissector is handed: bytes [off, end) of `b`. */
export interface Slice {
  b: Uint8Array;
  off: number;
  end: number;
  /**
   * Over TCP, a PDU longer than the bytes kept of it (stream.ts keeps the first 64 KiB of a long
   * PDU, or the dissector's `tcpKeep`): its whole length from `off`.
   */
  total?: number;
  /** Over TCP, asked again with more bytes: where the new ones start (searches may begin there). */
  scan?: number;
}

/** Over TCP: how the bytes at hand split into PDUs. */
export type TcpPduLength =
  /** A PDU of `len` bytes starts here (it may be longer than the bytes at hand). */
  | { len: number }
  /** Not enough bytes yet to know the PDU's length: ask again with at least `more` more. */
  | { more: number }
  /** The PDU runs to the end of this direction (the FIN ends it). */
  | { toEnd: true }
  /**
   * Bytes the dissector declines without handing them on: nothing is shown for them, not even
   * data, and the next segment starts afresh (HTTP: mid-stream bytes that start neither a message
   * nor a header line).
   */
  | { none: true }
  /** Not this protocol (or not at a PDU boundary): hand the bytes on as data. */
  | undefined;

/** Per direction of a TCP conversation, state a dissector keeps between PDUs (HTTP body lengths…). */
export type DirState = Record<string, unknown>;

export interface TcpContext {
  /** The conversation's per-direction states: [this direction, the other]. */
  dir: DirState;
  peer: DirState;
  /** Whether the PDU travels from the server's port (for request/response protocols). */
  fromServer: boolean;
  /** The conversation's ports. */
  ports: readonly [number, number];
  /** Frame number where the PDU ends (for request/response links). */
  frame: number;
  /** Time of that frame, seconds since the first frame. */
  time: number;
  /**
   * State shared with the conversation that set this one up (FTP's data connections: the control
   * connection's PASV/PORT and command), undefined for a conversation found by port or content.
   */
  link?: DirState;
  /**
   * A later TCP conversation with `port` at one end is dissected by `by` whatever its ports say,
   * with `link` as its shared state (FTP's PASV/PORT answers announce their data connections).
   */
  expect(port: number, by: AppDissector, link: DirState): void;
}

/** A TCP conversation announced by another one (TcpContext.expect). */
export interface Expected {
  by: AppDissector;
  link: DirState;
}

/** A field a dissector sets: name, tshark type, integer width (0 = none), description. */
export type AppFieldMeta = [string, FieldType, number, string];

export interface AppDissector {
  /** Registry key and display-filter protocol name ('dns', 'http', 'tls', …). */
  name: string;
  /** Its fields (registered in the field registry by dissect/fields.ts). */
  fields: readonly AppFieldMeta[];
  /** Well-known ports, as Wireshark registers them. */
  tcpPorts?: readonly number[];
  udpPorts?: readonly number[];
  /**
   * Content test for a TCP payload on any port (Wireshark's heuristic dissectors that are on by
   * default); undefined: found by port only.
   */
  heuristicTcp?(s: Slice): boolean;
  /**
   * Found by port, whether it takes a conversation's first payload (TLS on 443 refuses bytes that
   * are no TLS record, and the heuristics get them); default: it takes anything.
   */
  acceptsTcp?(s: Slice): boolean;
  heuristicUdp?(s: Slice): boolean;
  /**
   * Adds a UDP PDU's request/response link found by a capture-wide pass (frames; 0 = none; the
   * time since the request in seconds).
   */
  udpLink?(pdu: Pdu, responseIn: number, requestIn: number, seconds: number): void;
  /** The fields udpLink adds (they need that capture-wide pass: FieldDef.side). */
  udpLinkFields?: readonly string[];
  /** One UDP datagram's payload. */
  udp?(s: Slice, ctx: UdpContext): Pdu | undefined;
  /**
   * Over UDP, state that needs every earlier datagram of the conversation (QUIC's connection IDs
   * and Initial keys): called in frame order by the tree's capture-wide pass (tree/side.ts) for each
   * datagram this dissector gets; what it returns is handed to `udp()` as `ctx.ordered`.
   */
  udpOrdered?(s: Slice, ctx: UdpOrderedContext): unknown;
  /** Prefixes of other protocols' fields its PDUs set ('tls.': QUIC's ClientHello), which then need the same pass. */
  carries?: readonly string[];
  /**
   * Over TCP, bytes of a long PDU kept while it is reassembled, for a dissector that reads all of
   * it (HTTP bodies: media types, http.file_data); default 64 KiB, enough for every header. The
   * bytes are held only until the PDU completes; past the limit the PDU gets its first bytes and
   * `Slice.total`.
   */
  tcpKeep?: number;
  /** Length of the TCP PDU starting at s.off (see TcpPduLength). */
  tcpLength?(s: Slice, ctx: TcpContext): TcpPduLength;
  /**
   * Info of the bytes of a PDU whose length is still unknown after more than one segment (HTTP:
   * its start line), shown by those segments if it never completes; undefined: none.
   */
  partialInfo?(s: Slice): string | undefined;
  /** One whole TCP PDU (bytes [off, end) are exactly the PDU, or cut short by the capture). */
  tcpPdu?(s: Slice, ctx: TcpContext): Pdu;
  /**
   * Bytes tcpLength declined ({ none }) from s.off to s.end: a PDU for them, shown only while
   * `shown()` says so (asked when the frame is shown, so it sees the whole capture as tshark's
   * second pass does: HTTP's "Continuation" once the conversation carries a request).
   */
  declinedPdu?(s: Slice, ctx: TcpContext): { pdu: Pdu; shown(): boolean };
  /**
   * Joins the Info texts of several PDUs of one frame (TLS: ", "). Default: the first PDU's
   * Protocol column and every Info joined with " , ".
   */
  joinInfo?(infos: string[]): string;
  /**
   * What stands between TCP's analysis words and this dissector's Info (TLS appends its text to the
   * column with ", ": "[TCP ACKed unseen segment] , Application Data"); default nothing.
   */
  afterTcpWords?: string;
  /**
   * Over TCP, the PDUs one call of the dissector reads share one top-level node (TLS: the records
   * of a segment are children of one "Transport Layer Security"; a record completed by reassembly
   * is a call of its own).
   */
  oneNodePerCall?: boolean;
  /** Over TCP, tshark's generic PDU reassembly: each PDU's "[PDU Size: N]" in the TCP subtree (DNS). */
  tcpPduSize?: boolean;
  /**
   * A heuristic that, on a TCP payload the capture cut (`total` = its reported length), reads past
   * the captured bytes: tshark shows "[Packet size limited during capture: NAME truncated]" instead
   * of Data, and the conversation stays without a dissector (JXTA).
   */
  truncatesTcp?(s: Slice, total: number): boolean;
}

export interface UdpContext {
  frame: number;
  srcPort: number;
  dstPort: number;
  /** What `udpOrdered` returned for this frame, once the capture-wide pass has run (else undefined). */
  ordered?: unknown;
}

export interface UdpOrderedContext extends UdpContext {
  /** State of the UDP conversation (udp.stream), shared by both directions. */
  conv: DirState;
  /** The sender: its address and port as a key (the same for every datagram it sends in the conversation). */
  src: string;
}
