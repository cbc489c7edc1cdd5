/** Types for scripts/corpora.mjs. */
export const REPO: string;
export const SHARED: string;
export const HAS_SHARED: boolean;
export const CAPTURES: string;
export const CONFORMANCE: string;
export const CORPORA_HINT: string;
export const TSHARK: string;
