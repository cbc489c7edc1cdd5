/**
 * The Protocol and Info columns of 802.11 frames the decoder stops at (management, control,
 * protected and null data, fragments) and of 802.1X (EAPOL keys, EAP) against tshark 4.0.17,
 * asked live on the crafted captures of test/capture/wlan-corpus.ts; then the same functions on
 * every cut and every corrupted variant of those frames: no exception.
 */
import { describe, expect, it } from 'vitest';
import { engineColumns, tsharkColumns, writeTestCapture } from '../../../../test/app-columns';
import { writePcap } from '../../../../test/capture/build';
import { wlanCorpus, wlanFrames } from '../../../../test/capture/wlan-corpus';
import { wlanInfo } from './wlan';
import { eapolColumns } from './eapol';

describe('802.11 and 802.1X columns against tshark', () => {
  wlanCorpus().forEach(({ linkType, records }) => {
    it(`link type ${linkType}: every frame agrees`, { timeout: 60_000 }, async () => {
      const bytes = writePcap(records, { linkType });
      const path = writeTestCapture(`wlan-${linkType}.pcap`, bytes);
      const want = tsharkColumns(path).map((r) => r.join(' | '));
      const got = (await engineColumns(bytes)).map((r) => r.join(' | '));
      expect(got).toEqual(want);
      expect(want.length).toBe(records.length);
    });
  });

  it('the rows this adds are really there', async () => {
    const [w] = wlanCorpus();
    const got = (await engineColumns(writePcap(w.records, { linkType: 105 }))).map((r) => r.join(' | '));
    expect(got).toContain('802.11 | Beacon frame, SN=1, FN=0, Flags=........, BI=100, SSID="DENVEROFFICE"');
    expect(got).toContain('EAPOL | Key (Message 3 of 4)');
    expect(got).toContain('EAP | Response, Identity');
  });
});

describe('802.11 and 802.1X columns on damaged bytes', () => {
  it('every cut and every byte flipped: a string or undefined, never an exception', () => {
    for (const f of wlanFrames()) {
      for (let cut = 0; cut <= f.length; cut++) {
        const b = new Uint8Array(f.slice(0, cut));
        for (const lt of [105, 127]) expect(['string', 'undefined']).toContain(typeof wlanInfo(b, 0, b.length, lt, ''));
        expect(() => eapolColumns(b, Math.min(32, cut), Math.max(0, cut - 32), '[Malformed Packet]')).not.toThrow();
      }
      for (let i = 0; i < f.length; i++) {
        const b = new Uint8Array(f);
        b[i] ^= 0xff;
        expect(() => wlanInfo(b, 0, b.length, 105, '')).not.toThrow();
        expect(() => eapolColumns(b, 32, b.length - 32, '')).not.toThrow();
      }
    }
  });
});
