/**
 * Wireshark 4.0's default colouring rules that can match what seqscope decodes (their names and
 * colours; which rule a frame matches is decided in summary.ts), and their dark-mode colours.
 * Plain data and one pure function: the UI imports this file without the rest of the engine.
 */
export interface ColourRule {
  name: string;
  background: string;
  foreground: string;
}

/** Wireshark 4.0 default colouring rules that can match what seqscope decodes, in file order. */
export const COLOUR_RULES: Record<string, ColourRule> = {
  badTcp: { name: 'Bad TCP', background: '#12272e', foreground: '#f78787' },
  icmpErrors: { name: 'ICMP errors', background: '#12272e', foreground: '#b7f774' },
  arp: { name: 'ARP', background: '#faf0d7', foreground: '#12272e' },
  icmp: { name: 'ICMP', background: '#fce0ff', foreground: '#12272e' },
  tcpRst: { name: 'TCP RST', background: '#a40000', foreground: '#fffc9c' },
  ttl: { name: 'TTL low or unexpected', background: '#a40000', foreground: '#ecf0eb' },
  http: { name: 'HTTP', background: '#e4ffc7', foreground: '#12272e' },
  synFin: { name: 'TCP SYN/FIN', background: '#a0a0a0', foreground: '#12272e' },
  tcp: { name: 'TCP', background: '#e7e6ff', foreground: '#12272e' },
  udp: { name: 'UDP', background: '#daeeff', foreground: '#12272e' },
};

/**
 * A rule's colours in dark mode, as Wireshark's "Dark Mode" profile derives them from the default
 * rules (tshark 4.0.17 ships no dark profile; later Wiresharks generate one): a rule drawn in the
 * rules' standard dark text (#12272e; every channel under 12000/65535) is shown the other way
 * round — its pastel background becomes the text, on that dark colour (TCP: #e7e6ff on #12272e,
 * contrast 13:1). Rules that already have light text on a strong background (Bad TCP, TCP RST,
 * TTL low, ICMP errors) keep their colours, so a Bad TCP frame looks the same in both modes.
 */
export function darkColours(r: { background: string; foreground: string }): { background: string; foreground: string } {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(r.foreground);
  const dark = m !== null && [m[1], m[2], m[3]].every((h) => parseInt(h, 16) * 257 < 12000);
  return dark ? { background: r.foreground, foreground: r.background } : { background: r.background, foreground: r.foreground };
}
