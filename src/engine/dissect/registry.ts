/**
 * The application dissectors, chosen as Wireshark chooses them: by port (the lower port first,
 * then the higher), else by content (the heuristic dissectors that tshark 4.0 runs by default,
 * `tshark -G heuristic-decodes`). A new protocol is one file in this folder and one line here.
 */
import type { AppDissector, Slice } from './types';
import { DNS } from './dns';
import { HTTP } from './http';
import { TLS } from './tls';
import { ENIP } from './enip';
import { FTP, FTP_DATA } from './ftp';
import { SMTP } from './smtp';
import { IMAP } from './imap';
import { POP } from './pop';
import { SSH } from './ssh';
import { DHCP } from './dhcp';
import { DHCPV6 } from './dhcpv6';
import { TELNET } from './telnet';
import { QUIC } from './quic';
import { SMB2 } from './smb2';
import { RLOGIN } from './rlogin';
import { MODBUS } from './modbus';
import { DB_LSP_DISC } from './dblsp';
import { SSDP } from './ssdp';
import { NBNS } from './nbns';
import { PGSQL } from './pgsql';
import { DOIP } from './doip';
import { JXTA } from './jxta';

export const DISSECTORS: readonly AppDissector[] = [DNS, HTTP, TLS, ENIP, FTP, FTP_DATA, SMTP, IMAP, POP, SSH, DHCP, DHCPV6, QUIC, SMB2, TELNET, RLOGIN, MODBUS, DB_LSP_DISC, SSDP, NBNS, PGSQL, DOIP, JXTA];

const TCP_PORTS = new Map<number, AppDissector>();
const UDP_PORTS = new Map<number, AppDissector>();
for (const d of DISSECTORS) {
  for (const p of d.tcpPorts ?? []) TCP_PORTS.set(p, d);
  for (const p of d.udpPorts ?? []) UDP_PORTS.set(p, d);
}

function byPorts(m: Map<number, AppDissector>, a: number, b: number): AppDissector | undefined {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return m.get(lo) ?? m.get(hi);
}

/** The dissector registered for one of a TCP segment's ports. */
export function tcpCandidate(srcPort: number, dstPort: number): AppDissector | undefined {
  return byPorts(TCP_PORTS, srcPort, dstPort);
}

export function udpCandidate(srcPort: number, dstPort: number): AppDissector | undefined {
  return byPorts(UDP_PORTS, srcPort, dstPort);
}

// The dissectors with each optional method, in registry order: the per-segment loops below run
// for every payload of a conversation no dissector took (the application sweep of a TCP-only
// capture calls them for every data segment), and skip the others without a call.
const HEURISTIC_TCP = DISSECTORS.filter((d) => d.heuristicTcp);
const TRUNCATES_TCP = DISSECTORS.filter((d) => d.truncatesTcp);
const HEURISTIC_UDP = DISSECTORS.filter((d) => d.heuristicUdp);

/** The first heuristic dissector that recognises a TCP payload. */
export function heuristicTcp(s: Slice): AppDissector | undefined {
  for (const d of HEURISTIC_TCP) if (d.heuristicTcp!(s)) return d;
  return undefined;
}

/** The heuristic dissector that reads past the captured bytes of a cut TCP payload (AppDissector.truncatesTcp). */
export function truncatingTcp(s: Slice, total: number): AppDissector | undefined {
  for (const d of TRUNCATES_TCP) if (d.truncatesTcp!(s, total)) return d;
  return undefined;
}

export function heuristicUdp(s: Slice): AppDissector | undefined {
  for (const d of HEURISTIC_UDP) if (d.heuristicUdp!(s)) return d;
  return undefined;
}

/** A dissector by its registry name ('dns', 'http', …). */
export function dissectorNamed(name: string): AppDissector | undefined {
  return DISSECTORS.find((d) => d.name === name);
}
