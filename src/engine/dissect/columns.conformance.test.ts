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
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { CaptureSession, MemorySource } from '../index';
import { CaptureReader } from '../capture/reader';
import { Packet } from '../decode/packet';
import { frameCtx } from '../fields/project';
import { info, protocolColumn } from '../fields/summary';
import { prepareApp } from './app';
import { treeSide } from '../fields/detail';
import { firstValue, getField } from '../fields/registry';
import { appCorpus } from '../../../test/capture/app-corpus';
import { writePcap } from '../../../test/capture/build';

/** tshark Protocol words of the application dissectors: their rows must all agree. */
const OWNED = /^(DNS|HTTP|HTTP\/JSON|HTTP\/XML|TLSv1(\.[0-3])?|SSLv3|FTP|FTP-DATA|SMTP|SMTP\/IMF|IMAP|POP|POP\/IMF|SSH|SSHv2|DHCP)$/;
const CAPTURE = /\.(pcap|pcapng|cap|pcap\.gz|pcapng\.gz)$/i;

/** Per frame: Protocol, Info, then the first value of each of `fields` (as -E occurrence=f prints it). */
async function engineColumns(bytes: Uint8Array, fields: string[] = []): Promise<string[][]> {
  const s = new CaptureSession(new MemorySource(bytes));
  await s.load();
  // As the CLI: the capture-wide passes before printing (tshark -2): ICMP echo links, application PDUs.
  await treeSide(s);
  await prepareApp(s, s.frameCount);
  const out: string[][] = [];
  const p = new Packet();
  s.decoder.replay = true;
  let n = 0;
  const reader = new CaptureReader({
    onFrame(buf, off, capLen, origLen, _s, _ns, linkType) {
      n++;
      if (n > s.frameCount) return;
      s.decoder.decode(p, buf, off, capLen, origLen, linkType, n);
      const c = frameCtx(s, n, p, buf, off);
      out.push([protocolColumn(c), info(c), ...fields.map((f) => firstValue(getField(f)!, c))]);
    },
    onFrameComment() {},
  });
  reader.push(bytes);
  reader.end();
  return out;
}

function tsharkColumns(file: string, fields: string[] = []): string[][] {
  let text: string;
  try {
    text = execFileSync('tshark', ['-2', '-n', '-r', file, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=f', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', ...fields.flatMap((f) => ['-e', f])], {
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
  } catch (e) {
    // A damaged capture: tshark prints the frames it could read, then fails.
    text = ((e as { stdout?: Buffer }).stdout ?? Buffer.alloc(0)).toString();
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

describe.skipIf(!HAS_SHARED)('Protocol and Info columns against tshark', () => {
  for (const [corpus, dir, floor] of [
    ['captures', CAPTURES, 99.85],
    ['ppa3', join(CAPTURES, 'real/ppa3'), 99.2],
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
    mkdirSync('.test-out', { recursive: true });
    const path = join('.test-out', 'app-corpus.pcap');
    writeFileSync(path, bytes);
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
