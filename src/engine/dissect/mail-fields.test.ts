/**
 * SMTP and IMAP fields print what tshark -2 -n prints: smtp.command_line and imap.line hold the
 * line with its CR LF (printed \r\n); a reply's first line is its smtp.response and code, every
 * line a parameter, smtp.rsp once per packet. tshark 4.0.17 runs live.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { seqscope, tshark } from '../../../test/run-cli';

const FIELDS = ['smtp.response', 'smtp.response.code', 'smtp.rsp', 'smtp.rsp.parameter', 'imap.line', 'imap.request'];

describe.skipIf(!HAS_SHARED)('SMTP/IMAP fields equal tshark -2 -n', () => {
  it.each(['real/ppa3/mail_receiver_server_3.pcapng', 'real/ppa3/mail_sender_client_1.pcapng'])('%s', async (name) => {
    const args = ['-r', join(CAPTURES, name), '-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f])];
    const [ours, theirs] = await Promise.all([seqscope(args), tshark(['-2', '-n', ...args])]);
    expect(theirs).toContain('\\r\\n');
    expect(ours).toBe(theirs);
  });
});
