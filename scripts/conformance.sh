#!/usr/bin/env bash
# Conformance with tshark 4.0.17: both field sets over the crafted/recorded captures and ppa3
# (100% required), the labelled diagnosis captures (all found, no false alarm), then the tcpdump
# test corpus (no capture may fail; agreement printed).
set -uo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
CMP="node $SHARED/conformance/compare.mjs"
CLI="node bin/seqscope.mjs"
status=0
for set in analysis decode; do
  for dir in "$SHARED/captures" "$SHARED/captures/real/ppa3"; do
    echo "== $set: $dir"
    $CMP --quiet --diffs 5 --set $set --cli "$CLI" --expected-dir "$dir/expected" "$dir" | tail -n 25 || status=1
  done
done
# Connection diagnoses (--diagnose=json): every labelled item found, no false alarm.
if [ -f "$SHARED/diagnoses/check.mjs" ]; then
  echo "== diagnoses: $SHARED/captures/diagnoses"
  node "$SHARED/diagnoses/check.mjs" --quiet --cli "$CLI" "$SHARED/captures/diagnoses" || status=1
else
  echo "== diagnoses: skipped ($SHARED/diagnoses/check.mjs not found)"
fi
# -z statistics (conv, endpoints, follow, expert): one tshark and one seqscope run per capture.
if [ -d "$SHARED/captures" ]; then
  for dir in "$SHARED/captures" "$SHARED/captures/real/ppa3"; do
    echo "== -z statistics: $dir"
    node scripts/zstats-corpus.mjs "$dir" | tail -n 25 || status=1
  done
else
  echo "== -z statistics: skipped ($SHARED/captures not found)"
fi
if [ "${CONFORMANCE_SKIP_TCPDUMP:-0}" != 1 ]; then
  node scripts/tcpdump-corpus.mjs || status=1
fi
exit $status
