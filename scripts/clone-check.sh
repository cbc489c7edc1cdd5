#!/usr/bin/env bash
# A clone on its own passes: `git clone` this repository's HEAD into a temporary directory with
# no corpora beside it, `npm ci` there, then run its `npm test`, which must pass and print the
# line naming the suites skipped for lack of the corpora. Run by scripts/test.sh when the
# corpora are present (so never inside the clone itself).
#   scripts/clone-check.sh [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/seqscope-clone-XXXXXX")
[ "${1:-}" = --keep ] || trap 'rm -rf "$tmp"' EXIT
git clone --quiet --no-hardlinks "$repo" "$tmp/seqscope"
cd "$tmp/seqscope"
[ ! -e ../shared ] || { echo "clone-check: $tmp/shared exists" >&2; exit 1; }
echo "clone-check: $(git log -1 --format='%h %s' | cut -c1-80) in $tmp/seqscope (no ../shared)"
npm ci --prefer-offline --no-audit --no-fund --loglevel=error
# The CLI works straight after npm ci (the prepare script builds it).
node bin/seqscope.mjs --version
set +e
env -u SEQSCOPE_SHARED -u SHARED bash scripts/test.sh 2>&1 | tee "$tmp/test.log" | sed 's/^/  clone| /'
status=${PIPESTATUS[0]}
set -e
[ "$status" = 0 ] || { echo "clone-check: npm test failed in a clone without the corpora" >&2; exit 1; }
grep -q '^skipped without the corpora: ' "$tmp/test.log" || { echo "clone-check: no line naming the skipped corpus suites" >&2; exit 1; }
echo "clone-check: a clone without the corpora passes npm test"
