/**
 * A field that holds no value (FT_NONE: tcp.segments, tls.record, tls.handshake…) prints '1' per
 * occurrence with -T fields, as tshark 4.0.17 does ('1,1,1' for three TLS records): the application
 * layer's fields printed an empty string. tshark runs live on the corpus captures.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { seqscope, tshark } from '../../../test/run-cli';

describe.skipIf(!HAS_SHARED)('FT_NONE application fields print as tshark -T fields prints them', () => {
  it.each([
    ['real/ppa3/mail_receiver_server_3.pcapng', 'tls || tcp.segments', ['tcp.segments', 'tls.record', 'tls.alert_message']],
    ['real/ppa3/http_espn.pcapng', 'tcp.segments', ['tcp.segments']],
  ])('%s', async (name, filter, fields) => {
    const args = ['-r', join(CAPTURES, name), '-Y', filter, '-T', 'fields', '-e', 'frame.number', ...fields.flatMap((f) => ['-e', f])];
    const [ours, theirs] = await Promise.all([seqscope(args), tshark(['-2', '-n', ...args])]);
    expect(theirs).toMatch(/\t1(,1)*(\t|$)/m);
    expect(ours).toBe(theirs);
  });
});
