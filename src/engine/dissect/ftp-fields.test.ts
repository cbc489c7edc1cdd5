/**
 * FTP's fields print what tshark -2 -n prints: ftp.request/ftp.response once per packet (0 or 1),
 * only a packet's first line parsed (a multi-line reply's later lines are text; a first line
 * inside a multi-line reply is all argument). tshark 4.0.17 runs live.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { seqscope, tshark } from '../../../test/run-cli';

const FIELDS = ['ftp.request', 'ftp.response', 'ftp.request.command', 'ftp.request.arg', 'ftp.response.code', 'ftp.response.arg', 'ftp.passive.port', 'ftp.active.port', 'ftp-data.command'];

describe.skipIf(!HAS_SHARED)('FTP fields equal tshark -2 -n', () => {
  it.each(['real/ppa3/tickedoffdeveloper.pcapng', 'real/wild/zeek__ftp-cwd-navigation.pcap', 'real/wild/arkime__ftp.pcap'])('%s', async (name) => {
    const args = ['-r', join(CAPTURES, name), '-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f])];
    const [ours, theirs] = await Promise.all([seqscope(args), tshark(['-2', '-n', ...args])]);
    expect(theirs).toMatch(/\t1\t/);
    expect(ours).toBe(theirs);
  });
});
