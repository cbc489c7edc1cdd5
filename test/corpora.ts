/**
 * Where the external corpora live: `../shared` beside the repository (CI and developers have it),
 * or the folder named by SEQSCOPE_SHARED. A clone without them skips the suites that need them
 * (`describe.skipIf(!HAS_SHARED)`), and scripts/test.sh prints one line naming what was skipped.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const SHARED = resolve(REPO, process.env.SEQSCOPE_SHARED ?? '../shared');
export const HAS_SHARED = existsSync(resolve(SHARED, 'captures')) && existsSync(resolve(SHARED, 'conformance'));
/** The crafted and recorded captures (with MANIFEST.tsv and expected/). */
export const CAPTURES = resolve(SHARED, 'captures');
export const CONFORMANCE = resolve(SHARED, 'conformance');
