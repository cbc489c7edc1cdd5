/**
 * The Protocol and Info columns against tshark 4.0.17 (`tshark -2 -n -T fields -e _ws.col.Protocol
 * -e _ws.col.Info`), frame by frame, over ../shared/captures and captures/real/ppa3, in process (the
 * engine projected as the CLI projects it: load, the application layer's pass, then every frame
 * re-read in order and its columns computed).
 *
 * Required: every frame whose tshark Protocol is one the application dissectors own (DNS, HTTP, …)
 * agrees, and each corpus agrees at least as well as it did when this test was written (the floor
 * rises as the network-layer Info work lands). The figures are printed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { engineColumns, tsharkColumns, writeTestCapture } from '../../../test/app-columns';
import { appCorpus } from '../../../test/capture/app-corpus';
import { writePcap } from '../../../test/capture/build';

/** tshark Protocol words of the application dissectors: their rows must all agree. */
const OWNED = /^(DNS|HTTP|HTTP\/JSON|HTTP\/XML|TLSv1(\.[0-3])?|SSLv3|FTP|FTP-DATA|SMTP|SMTP\/IMF|IMAP|POP|POP\/IMF|SSH|SSHv2|DHCP|DHCPv6|QUIC|SMB2|NBSS|TELNET|Rlogin|EAPOL|EAP|Modbus\/TCP|DB-LSP-DISC|DB-LSP-DISC\/JSON|SSDP|NBNS|PGSQL|DoIP)$/;
const CAPTURE = /\.(pcap|pcapng|cap|pcap\.gz|pcapng\.gz)$/i;

describe.skipIf(!HAS_SHARED)('Protocol and Info columns against tshark', () => {
  for (const [corpus, dir, floor] of [
    ['captures', CAPTURES, 100],
    ['ppa3', join(CAPTURES, 'real/ppa3'), 100],
  ] as [string, string, number?][]) {
    it(`${corpus}: every application-protocol row agrees; the corpus as a whole at least as before`, { timeout: 900_000 }, async () => {
      let total = 0;
      let agree = 0;
      let ownedTotal = 0;
      const ownedBad: string[] = [];
      for (const f of readdirSync(dir).filter((x) => CAPTURE.test(x)).sort()) {
        const path = join(dir, f);
        const want = tsharkColumns(path);
        const got = await engineColumns(new Uint8Array(readFileSync(path)));
        for (let i = 0; i < want.length; i++) {
          const [wp, wi = ''] = want[i];
          const [gp, gi] = got[i] ?? ['', ''];
          const ok = wp === gp && wi === gi;
          total++;
          if (ok) agree++;
          if (OWNED.test(wp)) {
            ownedTotal++;
            if (!ok) ownedBad.push(`${f} #${i + 1}: want ${wp} | ${wi}; got ${gp} | ${gi}`);
          }
        }
      }
      const pct = (100 * agree) / total;
      console.log(`columns ${corpus}: ${agree}/${total} frames agree (${pct.toFixed(2)}%); application rows ${ownedTotal - ownedBad.length}/${ownedTotal}`);
      expect(ownedBad.slice(0, 20)).toEqual([]);
      expect(pct).toBeGreaterThanOrEqual(floor ?? 95.0);
    });
  }
});

// The project's own application capture (test/capture/app-corpus.ts): no corpus needed, tshark asked live.
describe('Protocol and Info columns of the application corpus against tshark', () => {
  it('every frame agrees', { timeout: 60_000 }, async () => {
    const bytes = writePcap(appCorpus());
    const path = writeTestCapture('app-corpus.pcap', bytes);
    // With the request/response links of DNS (UDP: the capture-wide pass; TCP: the conversation).
    const links = ['dns.response_in', 'dns.response_to', 'dns.time'];
    const want = tsharkColumns(path, links).map((r) => r.map((x) => x ?? '').join(' | '));
    const rows = await engineColumns(bytes, links);
    expect(rows.map((r) => r.join(' | '))).toEqual(want);
    // The corpus has linked queries and responses (over UDP and TCP), so the links are really compared.
    expect(rows.filter((r) => r[2] !== '').length).toBeGreaterThanOrEqual(1);
    expect(rows.filter((r) => r[3] !== '').length).toBeGreaterThanOrEqual(1);
  });
});
