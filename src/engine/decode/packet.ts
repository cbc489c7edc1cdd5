/**
 * Packet: the decoder's reusable output for one frame. One instance is filled per frame
 * (no allocation on the hot path); callers copy what they keep.
 *
 * Addresses are kept as four 32-bit words (IPv4 uses word 0), which makes conversation
 * keys cheap to hash and compare.
 */
export const MAX_IP_HEADERS = 8;
/** Protocol layers kept per frame (frame.protocols, protocol fields and slices in display filters). */
export const MAX_LAYERS = 24;
const EMPTY = new Uint8Array(0);

export class Packet {
  /** Offset in the frame of the first IPv4 header (ip.src with occurrence=f), or -1. */
  ip4Off = -1;
  /** Offset in the frame of the first IPv6 header (ipv6.src with occurrence=f), or -1. */
  ip6Off = -1;
  /**
   * Every IPv4 / IPv6 header whose addresses tshark shows, in dissection order (outer first,
   * then tunnelled, ICMP-quoted or sFlow-sampled ones), up to MAX_IP_HEADERS of each:
   * the buffer holding it (the frame, or a reassembled datagram), its offset there and how
   * many bytes of it were captured (ip.src needs 16, ip.dst 20; ipv6.src 24, ipv6.dst 40).
   */
  ip4Count = 0;
  readonly ip4Bufs: Uint8Array[] = new Array<Uint8Array>(MAX_IP_HEADERS).fill(EMPTY);
  readonly ip4Offs = new Int32Array(MAX_IP_HEADERS);
  readonly ip4Lens = new Int32Array(MAX_IP_HEADERS);
  ip6Count = 0;
  readonly ip6Bufs: Uint8Array[] = new Array<Uint8Array>(MAX_IP_HEADERS).fill(EMPTY);
  readonly ip6Offs = new Int32Array(MAX_IP_HEADERS);
  readonly ip6Lens = new Int32Array(MAX_IP_HEADERS);
  /** Name of the top protocol found (Wireshark's Protocol column, approximately). */
  proto = '';
  /** Human summary for frames that carry no TCP (Info column). */
  note = '';
  /** ICMP/ICMPv6 type of the outermost ICMP header (-1 = none). */
  icmpType = -1;

  // ---- UDP (the first UDP header found: the one tshark reports with occurrence=f) ----
  /** Offset of the UDP header in the frame bytes, or -1 (no UDP, or only in a reassembled datagram). */
  udpOff = -1;
  /** Buffer holding the UDP header (frame bytes, or a reassembly buffer for IP fragments); empty when no UDP. */
  udpBuf: Uint8Array = EMPTY;
  /** Offset of the UDP header in udpBuf, or -1 when there is no (8-byte) UDP header. */
  udpBufOff = -1;
  udpSrc = 0;
  udpDst = 0;
  /** The UDP length field (header + payload), as written. */
  udpLen = 0;
  /** End in udpBuf of the UDP payload's captured bytes (payload = udpBuf[udpBufOff + 8, udpEnd)). */
  udpEnd = 0;
  /** The UDP header is quoted in an ICMP error (tshark dissects no payload then). */
  udpQuoted = false;

  /**
   * Protocol layers in dissection order, as tshark names them (`eth`, `ethertype`, `vlan`, `ip`,
   * `ipv6`, `ipv6.fraghdr`, `tcp`, `udp`, `icmp`, `arp`, …), up to MAX_LAYERS: the buffer holding
   * each, where its header starts and ends, and where its captured bytes end (header + payload).
   * Filled by `decode()` only (the load's fast path leaves it alone).
   */
  layerCount = 0;
  readonly layerNames: string[] = new Array<string>(MAX_LAYERS).fill('');
  readonly layerBufs: Uint8Array[] = new Array<Uint8Array>(MAX_LAYERS).fill(EMPTY);
  readonly layerOffs = new Int32Array(MAX_LAYERS);
  readonly layerHdrEnds = new Int32Array(MAX_LAYERS);
  readonly layerEnds = new Int32Array(MAX_LAYERS);
  /** Reported (wire) end of each layer's bytes (≥ layerEnds when the capture was cut). */
  readonly layerRends = new Int32Array(MAX_LAYERS);
  /** TCP_NORMAL, or TCP_ICMP for a layer inside an ICMP error's quoted packet. */
  readonly layerCtx = new Uint8Array(MAX_LAYERS);

  // ---- TCP (the first TCP header found: the one tshark reports with occurrence=f) ----
  hasTcp = false;
  /**
   * The TCP header is not part of a stream tshark analyses: quoted in an ICMP error, sampled
   * in an sFlow record, or the first fragment of a datagram that could not be reassembled.
   * No length, no analysis, absolute sequence numbers (tcpCtx says which case).
   */
  tcpQuoted = false;
  /** TCP_NORMAL, TCP_ICMP (quoted in an ICMP error), TCP_SAMPLED (sFlow) or TCP_FRAGMENT. */
  tcpCtx = 0;
  /** Buffer holding the TCP header (frame bytes, or a reassembly buffer for IP fragments). */
  tcpBuf: Uint8Array = new Uint8Array(0);
  tcpOff = 0;
  /** Bytes of the TCP header present in tcpBuf (may be fewer than hdrLen when truncated). */
  tcpAvail = 0;
  /** Offset of the TCP header in the frame bytes, or -1 when it only exists reassembled. */
  tcpFrameOff = -1;
  srcPort = 0;
  dstPort = 0;
  seq = 0;
  ack = 0;
  /** 12 flag bits (FIN 0x001 … AE 0x100, reserved 0xe00). */
  flags = 0;
  hdrLen = 0;
  window = 0;
  urgent = 0;
  /** TCP payload length from the IP length fields, or -1 when unknown. */
  segLen = -1;
  /** TCP bytes (header and payload) the IP length fields report (full decoder only). */
  tcpReported = 0;
  /**
   * Enough of the fixed header present to analyse: 16 bytes (ports, sequence and
   * acknowledgment numbers, offset, flags, window), as tshark needs. The checksum and
   * urgent pointer may still be missing (urgent reads 0 then).
   */
  tcpFull = false;

  // ---- the IP header that carries the TCP header ----
  family: 4 | 6 = 4;
  /** Address words (IPv4: word 0; words 1–3 are zero whenever family is 4: the decoder keeps it so, writing them only when the family changes). */
  readonly src = new Uint32Array(4);
  readonly dst = new Uint32Array(4);
  ttl = 0;
  /** IPv4 identification of that header (ip.id), −1 for IPv6 (engine/diagnose compares them). */
  ipId = -1;

  /** Drop every reference to frame buffers (they may be large reader chunks). */
  forget(): void {
    this.ip4Bufs.fill(EMPTY);
    this.ip6Bufs.fill(EMPTY);
    this.layerBufs.fill(EMPTY);
    this.tcpBuf = EMPTY;
    this.udpBuf = EMPTY;
  }

  reset(): void {
    this.ip4Off = -1;
    this.ip6Off = -1;
    this.ip4Count = 0;
    this.ip6Count = 0;
    this.layerCount = 0;
    this.proto = '';
    this.note = '';
    this.icmpType = -1;
    this.udpOff = -1;
    this.udpBufOff = -1;
    this.udpQuoted = false;
    this.hasTcp = false;
    this.tcpQuoted = false;
    this.tcpCtx = TCP_NORMAL;
    this.tcpFrameOff = -1;
    this.segLen = -1;
    this.tcpFull = false;
  }
}

export const TCP_NORMAL = 0;
export const TCP_ICMP = 1;
export const TCP_SAMPLED = 2;
export const TCP_FRAGMENT = 3;

export const TH_FIN = 0x001;
export const TH_SYN = 0x002;
export const TH_RST = 0x004;
export const TH_PSH = 0x008;
export const TH_ACK = 0x010;
export const TH_URG = 0x020;
export const TH_ECE = 0x040;
export const TH_CWR = 0x080;
export const TH_AE = 0x100;
