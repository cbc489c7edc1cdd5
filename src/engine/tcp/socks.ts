/**
 * tshark's SOCKS dissector (TCP port 1080) and tcp.stream: once a SOCKS connection is set up,
 * the proxied bytes are handed on with the ports of the remote end, and that lookup creates a
 * conversation of its own, which takes the next tcp.stream index although no frame belongs to
 * it (black-box, tshark 4.0.17 on ndpi socks.pcapng: the first SOCKS 4 connection is stream 1,
 * the next one stream 3, then 5). The analyzer follows the handshake of conversations on port
 * 1080 only (`Conversation.socks`), and reserves that index at the first payload after it.
 */

export const SOCKS_PORT = 1080;

/** Handshake states (0 = not followed, or done). */
export const SOCKS_REQUEST = 1;
const SOCKS_V5_REQUEST = 2;
const SOCKS_REPLY = 3;
const SOCKS_OPEN = 4;
/** What `socksStep` returns when the conversation's index must be reserved now. */
export const SOCKS_RESERVE = -1;

/**
 * The next state after a payload of `n` bytes at `b[o]` (n ≥ 1; only the bytes captured), sent by
 * the client (`fromClient`) or the proxy; SOCKS_RESERVE at the first payload once the proxy has
 * granted a CONNECT (SOCKS 4: reply 0x5a; SOCKS 5: reply 0).
 */
export function socksStep(state: number, fromClient: boolean, b: Uint8Array, o: number, n: number): number {
  switch (state) {
    case SOCKS_REQUEST:
      if (!fromClient || n < 2) return state;
      if (b[o] === 4) return b[o + 1] === 1 ? SOCKS_REPLY : 0;
      return b[o] === 5 ? SOCKS_V5_REQUEST : 0;
    case SOCKS_V5_REQUEST:
      // After the method negotiation (and any authentication), the client's CONNECT request.
      if (fromClient && n >= 4 && b[o] === 5 && b[o + 1] === 1 && b[o + 2] === 0) return SOCKS_REPLY;
      return state;
    case SOCKS_REPLY:
      if (fromClient || n < 2) return state;
      if ((b[o] === 0 && b[o + 1] === 0x5a) || (b[o] === 5 && b[o + 1] === 0)) return SOCKS_OPEN;
      return b[o] === 0 || b[o] === 5 ? 0 : state;
    case SOCKS_OPEN:
      return SOCKS_RESERVE;
    default:
      return 0;
  }
}
