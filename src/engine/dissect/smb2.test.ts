/**
 * SMB2 over NBSS against tshark 4.0.17: a built session (test/capture/smb2-corpus.ts, tshark asked
 * live) and the wild corpus's SMB2 captures (SMB 3.1.1 with NTLMSSP then encrypted, mid-stream SMB3,
 * a file-server session with compound requests, Kerberos/DCERPC pipes): Protocol, Info and the main
 * fields. Then damaged input straight into the dissector through the stream layer: no exception.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { engineColumns, tsharkColumns, writeTestCapture } from '../../../test/app-columns';
import { writePcap } from '../../../test/capture/build';
import { smb2Corpus } from '../../../test/capture/smb2-corpus';
import { StreamApp } from './stream';
import { appInfo } from './app';

const FIELDS = ['smb2.cmd', 'smb2.flags.response', 'smb2.nt_status', 'smb2.msg_id', 'smb2.sesid', 'smb2.tid', 'smb2.tree', 'smb2.fid', 'smb2.filename', 'nbss.length'];

const rowsOf = (r: string[][]) => r.map((x) => x.map((v) => v ?? '').join(' | '));

describe('SMB2 against tshark', () => {
  it('a built session: commands, file names by file ID, share, NTLMSSP user, errors, compounds, damage', { timeout: 60_000 }, async () => {
    const bytes = writePcap(smb2Corpus());
    const path = writeTestCapture('smb2-corpus.pcap', bytes);
    const want = rowsOf(tsharkColumns(path, FIELDS));
    const got = rowsOf(await engineColumns(bytes, FIELDS));
    expect(got).toEqual(want);
    // The rows that carry what this dissector adds are really there.
    expect(got.some((r) => r.includes('Read Request Len:4096 Off:0 File: docs\\report.txt'))).toBe(true);
    expect(got.some((r) => r.includes('Session Setup Request, NTLMSSP_AUTH, User: EXAMPLE\\alice'))).toBe(true);
  });
  describe.skipIf(!HAS_SHARED)('wild corpus', () => {
    // Frames tshark shows as SMB2/NBSS; every one must agree but the listed tshark quirks.
    const QUIRKS = /Dissector bug|FSCTL_DFS_GET_REFERRALS, File: /;
    for (const f of ['zeek__smb-smb311.pcap', 'suricata__smb3-02-midstream.pcap', 'suricata__smb3-03-midstream.pcap', 'suricata__smb2-frames-gap-payload-logging-smb2-peter-minus-p191.pcap', 'suricata__smb-length-5786.pcap', 'zeek__krb-kerberos_tso.pcapng']) {
      it(f, { timeout: 120_000 }, async () => {
        const path = join(CAPTURES, 'real/wild', f);
        const want = tsharkColumns(path, FIELDS);
        const got = await engineColumns(new Uint8Array(readFileSync(path)), FIELDS);
        const bad: string[] = [];
        let n = 0;
        want.forEach((w, i) => {
          if (!/^(SMB2|NBSS)$/.test(w[0]) || QUIRKS.test(w[1] ?? '')) return;
          n++;
          const a = w.map((v) => v ?? '').join(' | ');
          const b = (got[i] ?? []).join(' | ');
          if (a !== b) bad.push(`#${i + 1}: want ${a}\n      got  ${b}`);
        });
        expect(n).toBeGreaterThan(0);
        expect(bad.slice(0, 10)).toEqual([]);
      });
    }
  });
});

describe('SMB2 on damaged input', () => {
  it('a header cut short: "[Malformed Packet]" in Info and "[Malformed Packet: SMB2]" in the tree', async () => {
    const { CaptureSession, MemorySource, readRows, readDetail } = await import('../index');
    const s = new CaptureSession(new MemorySource(writePcap(smb2Corpus())));
    await s.load();
    const n = (await readRows(s, 1, s.frameCount)).findIndex((r) => r.info === '[Malformed Packet]') + 1;
    expect(n).toBeGreaterThan(0);
    expect((await readDetail(s, n))!.tree.map((x) => x.label)).toContain('[Malformed Packet: SMB2]');
  });
  it('every prefix and random corruption of each message: a PDU or data, no exception', () => {
    const recs = smb2Corpus();
    // The TCP payloads of the built session (Ethernet 14 + IPv4 20 + TCP 20).
    const payloads = recs.map((r) => r.data.subarray(54)).filter((p) => p.length > 0);
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
    for (const p of payloads) {
      for (let cut = 0; cut <= p.length; cut += Math.max(1, p.length >> 5)) {
        const st = new StreamApp(49500, 445);
        st.feed(1, 0, 1, p.subarray(0, cut), false, 0, true, false);
        const f = st.frames.get(1);
        if (f) expect(() => appInfo(f)).not.toThrow();
      }
      for (let k = 0; k < 40; k++) {
        const q = p.slice();
        for (let j = 0; j < 4; j++) q[rnd() % q.length] = rnd() & 255;
        const st = new StreamApp(49500, 445);
        st.feed(1, 0, 1, q, false, 0, false, false);
        st.feed(2, 0, 1 + q.length, q, false, 0, false, true);
        for (const f of st.frames.values()) expect(() => appInfo(f)).not.toThrow();
      }
    }
  });
});
