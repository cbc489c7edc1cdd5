/**
 * Inflating a gzip source again from its start (pure; the reader inflates while loading).
 *
 * The inflater (fflate) delivers nothing from a call that fails, so the loading pass feeds it
 * small slices (GZIP_SLICE) and loses at most one slice's output at the damage. Once the
 * slice holding the damage is known, `inflateSource` goes through that slice a byte at a time
 * and so delivers every byte that can be inflated before the damage, as zlib (tshark) does.
 */
import { Gunzip } from 'fflate';
import type { ByteSource } from '../bytes/source';

/**
 * Compressed bytes handed to the inflater at a time. Caps what one call can expand to (~4 MiB,
 * deflate's ratio is at most ~1032:1).
 */
export const GZIP_SLICE = 4 * 1024;

const READ = 4 * 1024 * 1024;

/**
 * Inflate `src` from its start, handing the output to `onData` until it returns false, the
 * data ends, or the compressed data turns out to be damaged. From compressed offset `fineFrom`
 * on, bytes are fed one at a time (see above), and nothing past that slice is inflated: the
 * loading pass stopped there.
 */
export async function inflateSource(src: ByteSource, onData: (d: Uint8Array) => boolean, fineFrom = Infinity): Promise<void> {
  const end = fineFrom + GZIP_SLICE;
  let go = true;
  const g = new Gunzip((d) => {
    if (go && d.length > 0) go = onData(d);
  });
  let pos = 0;
  try {
    while (go) {
      const bytes = await src.read(pos, READ);
      if (bytes.length === 0) break;
      for (let i = 0; i < bytes.length && go; ) {
        const at = pos + i;
        if (at >= end) return;
        const n = at >= fineFrom ? 1 : Math.min(GZIP_SLICE, bytes.length - i, fineFrom - at);
        g.push(bytes.subarray(i, i + n), false);
        i += n;
      }
      pos += bytes.length;
    }
  } catch {
    // Damaged: everything before the damage has been delivered.
  }
}
