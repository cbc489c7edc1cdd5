/**
 * The captures the project owns, so that a clone without ../shared still tests against tshark:
 * the bundled sample (public/sample.pcap) and captures built here with the test capture builder
 * (the spec's Appendix A scenarios, a bulk transfer over interleaved connections with losses).
 * `ownedDir()` writes them to `.test-out/owned/`; `tsharkFields()` asks tshark 4.0.17 (installed by
 * `npm test`, or the one `TSHARK` names) for the answers, in the test itself — nothing is stored.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, TSHARK } from './corpora';
import { Conn, packetBlocks, gzip, LINK, writePcap, writePcapng, type Record_ } from './capture/build';
import { scenarioA, scenarioB, scenarioC, scenarioD, scenarioE, scenarioF, scenarioG, scenarioH, scenarioI, scenarioJ, scenarioL, scenarioR1, scenarioR2 } from './scenarios';

export { TSHARK };

/** The bundled sample the app opens with "Open sample". */
export const SAMPLE = join(REPO, 'public/sample.pcap');

/**
 * A bulk transfer over `conns` interleaved connections: handshake, `segs` segments of 1000 bytes
 * each, an ACK every second segment, (with `losses`) every 29th segment lost and sent again after
 * three duplicate ACKs, FIN both ways. About (1.6 × segs + 7) frames per connection.
 */
export function bulk(conns = 24, segs = 60, losses = true): Record_[] {
  const all: Record_[] = [];
  for (let k = 0; k < conns; k++) {
    const r: Record_[] = [];
    const c = new Conn(r, { cport: 41000 + k, server: '10.0.0.9', sport: 443, cisn: 100_000 * (k + 1), sisn: 7_000_000 + k });
    let t = k * 0.0007;
    const at = () => (t += 0.001 + ((k * 7919) % 13) * 0.00001).toFixed(6);
    c.c(at(), 'S', 0, 0, 64240).s(at(), 'SA', 0, 1, 65160).c(at(), 'A', 1, 1, 64240);
    let acked = 1;
    let lost = -1;
    for (let i = 0; i < segs; i++) {
      const seq = 1 + i * 1000;
      if (losses && i % 29 === 17 && lost < 0) lost = seq;
      else c.c(at(), 'A', seq, 1, 64240, 1000);
      if (lost >= 0 && i % 29 === 20) {
        c.c(at(), 'PA', lost, 1, 64240, 1000); // the retransmission, after the duplicate ACKs
        lost = -1;
        acked = seq + 1000;
        c.s(at(), 'A', 1, acked, 65160);
      } else if (lost >= 0) c.s(at(), 'A', 1, lost, 65160); // duplicate ACKs while the hole is open
      else if (i % 2 === 1) c.s(at(), 'A', 1, (acked = seq + 1000), 65160);
    }
    const end = 1 + segs * 1000;
    c.c(at(), 'FA', end, 1, 64240).s(at(), 'FA', 1, end + 1, 65160).c(at(), 'A', end + 1, 2, 64240);
    all.push(...r);
  }
  return all.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}

/** Every owned capture by file name: what it shows is in the name. */
export const OWNED: Record<string, () => Uint8Array> = {
  'sample.pcap': () => new Uint8Array(readFileSync(SAMPLE)),
  'a_clean_options.pcap': () => writePcap(scenarioA(), { nsec: true }),
  'a_clean_usec.pcap': () => writePcap(scenarioA()),
  'b_retransmissions_dupacks_lost.pcap': () => writePcap(scenarioB(), { nsec: true }),
  'c_zero_window_probes.pcap': () => writePcap(scenarioC(), { nsec: true }),
  'd_keepalive_window.pcap': () => writePcap(scenarioD(), { nsec: true }),
  'e_streams_port_reuse.pcap': () => writePcap(scenarioE(), { nsec: true }),
  'f_acked_unseen.pcap': () => writePcap(scenarioF(), { nsec: true }),
  'g_out_of_order.pcap': () => writePcap(scenarioG(), { nsec: true }),
  'h_in_flight_sack.pcap': () => writePcap(scenarioH(), { nsec: true }),
  'i_ack_rtt_rto.pcap': () => writePcap(scenarioI(), { nsec: true }),
  'j_zero_window_probe_accepted.pcap': () => writePcap(scenarioJ(), { nsec: true }),
  'l_dupack_counting.pcap': () => writePcap(scenarioL(), { nsec: true }),
  'r1_syn_retrans_window_full.pcap': () => writePcap(scenarioR1(), { nsec: true }),
  'r2_keepalive_old_seq.pcap': () => writePcap(scenarioR2(), { nsec: true }),
  'a_ipv4_sll2.pcapng': () => writePcapng([{ interfaces: [{ linkType: LINK.LINUX_SLL2, tsresol: 9 }], blocks: packetBlocks(scenarioA({}, LINK.LINUX_SLL2), { linkType: LINK.LINUX_SLL2, tsresol: 9 }) }]),
  'b_gzip.pcap.gz': () => gzip(writePcap(scenarioB(), { nsec: true })),
  'bulk_loss.pcap': () => writePcap(bulk(), { nsec: true }),
  'bulk_clean.pcap': () => writePcap(bulk(24, 60, false), { nsec: true }),
};

/** `.test-out/owned/`, with every owned capture written (atomically: test files run in parallel). */
export function ownedDir(): string {
  const dir = join(REPO, '.test-out/owned');
  mkdirSync(dir, { recursive: true });
  for (const [name, build] of Object.entries(OWNED)) {
    const path = join(dir, name);
    const bytes = build();
    if (existsSync(path) && Buffer.from(readFileSync(path)).equals(Buffer.from(bytes))) continue;
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  }
  return dir;
}

/** One owned capture's path (written if needed). */
export function owned(name: keyof typeof OWNED & string): string {
  return join(ownedDir(), name);
}

/** Every owned capture's path. */
export function ownedFiles(): string[] {
  const dir = ownedDir();
  return Object.keys(OWNED).map((n) => join(dir, n));
}

/** tshark's own output, live: `tshark -2 -n -r FILE -T fields -E header=y -e …` as one record per frame. */
export function tsharkFields(file: string, fields: string[], extra: string[] = [], env?: Record<string, string>): Record<string, string>[] {
  const args = ['-2', '-n', '-r', file, '-T', 'fields', '-E', 'header=y', ...extra, ...fields.flatMap((f) => ['-e', f])];
  const out = execFileSync(TSHARK, args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], env: env ? { ...process.env, ...env } : undefined });
  const [head, ...lines] = out.split('\n').filter((l) => l !== '');
  const names = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [names[i], v])));
}
