/**
 * Where the external corpora live: `../shared` beside the repository (CI and developers have it),
 * or the folder named by SEQSCOPE_SHARED. A clone without them skips the suites that need them
 * (`describe.skipIf(!HAS_SHARED)`), and scripts/test.sh prints one line naming what was skipped.
 * The definition is scripts/corpora.mjs (the plain-Node scripts use it too).
 */
export { REPO, SHARED, HAS_SHARED, CAPTURES, CONFORMANCE, CORPORA_HINT, TSHARK } from '../scripts/corpora.mjs';
