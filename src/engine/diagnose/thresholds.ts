/**
 * The thresholds of the diagnoses, each with its reason. Times are in seconds.
 */

/**
 * A RST is "from a middlebox" when its TTL (hop limit) lies at least this many hops outside the
 * range of the TTLs its claimed sender used in its other packets. One hop of difference happens
 * without any middlebox (a route change, ECMP paths of unequal length), so it is not enough.
 */
export const MIDDLEBOX_MIN_HOPS = 2;

/**
 * A host's usual TTL that lies more than this many hops below the nearest common initial TTL
 * (64, 128, 255) was set by the application, not the system default: eBGP sends with TTL 1,
 * some tools with other fixed values, while the kernel's own RST leaves with the default. No
 * RST can then be judged by its TTL. (Internet paths stay within 30 hops: traceroute's limit.)
 */
export const MAX_PLAUSIBLE_HOPS = 30;

/** A connection that sent only SYNs, this many or more, and got nothing back is "no response" (one SYN may just be the capture ending). */
export const NO_RESPONSE_MIN_SYNS = 2;

/**
 * SYNs closer together than this are one attempt seen twice (captured on two interfaces, or
 * before and after a NAT), not a retry: a retry waits for the initial retransmission timeout,
 * 1 s on most stacks (RFC 6298) and never below 200 ms.
 */
export const SYN_DUPLICATE_S = 0.1;

/** A server that sent this many SYN/ACKs (the first and at least one by timeout) without an ACK back has an incomplete handshake. */
export const HANDSHAKE_MIN_SYNACKS = 2;

/**
 * Port reuse sooner than this after the previous connection ended is "quick": Linux keeps a
 * closed connection in TIME_WAIT for 60 s (Windows 120–240 s), so a new SYN on the same ports
 * within a minute means TIME_WAIT was cut short, the previous connection was reset, or a client
 * binds a fixed port. At or beyond it the ephemeral range simply came round again: benign.
 */
export const QUICK_REUSE_S = 60;

/**
 * A "keep-alive" whose IPv4 ID is lower than the sender's previous packet by at most this much
 * (as 16-bit serial numbers) was overtaken in flight. A larger distance is not a few packets of
 * reordering: the sender's IDs are random or per-destination, and the ID tells nothing.
 */
export const REORDER_MAX_IPID_DISTANCE = 256;

/**
 * A zero window shorter than this is not reported: below Linux's minimum retransmission timeout
 * (200 ms) it costs the sender less than one lost segment would.
 */
export const ZERO_WINDOW_MIN_STALL_S = 0.2;

/** rto-backoff needs the data sent at least this many times: the original and two timeouts, so that two intervals can be compared. */
export const RTO_MIN_SENDS = 3;

/**
 * Each interval between two sends of the same data must be at least this fraction of the
 * previous one: the timer doubles until it reaches its maximum (120 s on Linux) and stays there,
 * and timers fire a few milliseconds late.
 */
export const RTO_PLATEAU_RATIO = 0.9;

/** ... and the last interval at least this multiple of the first: the timer backed off (linear SYN retries every second do not). */
export const RTO_MIN_GROWTH = 1.5;

/**
 * A RST after this many keep-alive probes with no answer in between is a host giving up on a
 * silent peer (Linux sends tcp_keepalive_probes, 9 by default, then resets; two already show
 * the pattern, one may be a single lost probe).
 */
export const KEEPALIVE_GIVE_UP_PROBES = 2;

/** How far back (frames of the whole capture) to look for those probes before a RST. */
export const KEEPALIVE_LOOKBACK = 100_000;

/** At most this many evidence frames on one item (a slow reader can produce hundreds of zero windows). */
export const MAX_EVIDENCE_FRAMES = 40;
