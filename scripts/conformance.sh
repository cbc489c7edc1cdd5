#!/usr/bin/env bash
# Conformance with tshark 4.0.17: both field sets over the crafted/recorded captures, ppa3 and
# the wild corpus (100% required; from the expected TSVs, ~1 min of CPU), the labelled diagnosis captures (all found, no false alarm), a sample of the
# display-filter suite through the CLI, then the tcpdump
# test corpus (no capture may fail; agreement printed).
# Needs the corpora (../shared or SEQSCOPE_SHARED); without them it says so in one line and
# passes (the captures the project owns are compared with live tshark by the unit tests).
set -uo pipefail
cd "$(dirname "$0")/.."
eval "$(node --input-type=module -e "import { SHARED, HAS_SHARED, CORPORA_HINT } from './scripts/corpora.mjs'; console.log('SHARED=' + JSON.stringify(SHARED) + '; HAS_SHARED=' + (HAS_SHARED ? 1 : 0) + '; HINT=' + JSON.stringify(CORPORA_HINT));")"
if [ "$HAS_SHARED" != 1 ]; then
  # scripts/test.sh names every skipped corpus suite in its own closing line.
  [ "${SEQSCOPE_QUIET_SKIP:-0}" = 1 ] || echo "conformance: skipped (no corpora at $SHARED): $HINT"
  exit 0
fi
CMP="node $SHARED/conformance/compare.mjs"
CLI="node bin/seqscope.mjs"
status=0
for set in analysis decode; do
  for dir in "$SHARED/captures" "$SHARED/captures/real/ppa3" "$SHARED/captures/real/wild"; do
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
# Display filters (-Y) through the real CLI, one run per (filter, capture) pair: a sample of two
# captures (VLAN/QinQ and ICMP errors quoting IP, with the error filters); the whole suite runs in
# process in vitest (src/engine/filter/conformance.test.ts). The app-layer section waits for the
# HTTP/TLS/DNS dissectors.
if [ -f "$SHARED/conformance/filter-compare.mjs" ]; then
  echo "== display filters (CLI sample): crafted_link_vlan_qinq.pcap, ppa3/icmp_traceroute.pcapng"
  FC="node $SHARED/conformance/filter-compare.mjs --quiet --diffs 5 --skip-section app-layer --cli"
  $FC "$CLI" --expected "$SHARED/conformance/expected-filters/captures.json" "$SHARED/captures/crafted_link_vlan_qinq.pcap" | tail -n 8 || status=1
  $FC "$CLI" --expected "$SHARED/conformance/expected-filters/ppa3.json" "$SHARED/captures/real/ppa3/icmp_traceroute.pcapng" | tail -n 8 || status=1
else
  echo "== display filters: skipped ($SHARED/conformance/filter-compare.mjs not found)"
fi
# The detail tree (-O eth,ip,ipv6,tcp,udp,arp,icmp,icmpv6) frame by frame against tshark's text.
# Both corpora are at 100% (11615/11615 frames); each must stay at or above its floor, so a
# regression fails.
tree_floor() { # DIR FLOOR
  local line pct
  line=$(node "$SHARED/conformance/tree-compare.mjs" --quiet --cli "$CLI -2 -n" "$1" | tail -n 1)
  echo "== tree: $1: $line"
  pct=$(sed -E 's/.*\(([0-9.]+)%\).*/\1/' <<<"$line")
  awk -v p="$pct" -v f="$2" 'BEGIN { exit !(p + 0 >= f + 0) }' || { echo "tree: $1 below the floor of $2%"; status=1; }
}
if [ -f "$SHARED/conformance/tree-compare.mjs" ]; then
  tree_floor "$SHARED/captures" 100
  tree_floor "$SHARED/captures/real/ppa3" 100
else
  echo "== tree: skipped ($SHARED/conformance/tree-compare.mjs not found)"
fi
if [ "${CONFORMANCE_SKIP_TCPDUMP:-0}" != 1 ]; then
  node scripts/tcpdump-corpus.mjs || status=1
fi
exit $status
