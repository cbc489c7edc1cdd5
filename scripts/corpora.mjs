// Where the external corpora live: `../shared` beside the repository (CI and developers have it),
// or the folder named by SEQSCOPE_SHARED. The one definition for scripts (plain Node) and, through
// test/corpora.ts, for the tests. A clone without them skips the suites that need them.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const SHARED = resolve(REPO, process.env.SEQSCOPE_SHARED ?? '../shared');
export const HAS_SHARED = existsSync(resolve(SHARED, 'captures')) && existsSync(resolve(SHARED, 'conformance'));
/** The crafted and recorded captures (with MANIFEST.tsv and expected/). */
export const CAPTURES = resolve(SHARED, 'captures');
export const CONFORMANCE = resolve(SHARED, 'conformance');
/** tshark 4.0.17 (TSHARK names your own where Debian's is not installed). */
export const TSHARK = process.env.TSHARK ?? 'tshark';
/** How to get the corpora, for the line that says what was skipped. */
export const CORPORA_HINT =
  'put the seqscope corpora (captures/ + conformance/, the checker kit CI uses) in ../shared beside the repository, or point SEQSCOPE_SHARED=DIR at them';
