#!/usr/bin/env bash
# Records the benchmark capture: a bulk transfer over a few hundred TCP connections on the
# loopback interface of a private network namespace (MTU 1500, TSO/GSO/GRO off, so every
# segment is ≤ 1500 bytes on the wire, as a NIC would send it), captured by `tcpdump -s 96`.
# No traffic leaves the namespace. Needs root (ip netns), ethtool and tcpdump.
#
#   scripts/bench/make-capture.sh [OUT.pcap]     (default bench-out/big.pcap; reused if present)
#   env: BENCH_CONNS (300), BENCH_BYTES per connection (2 200 000), BENCH_PARALLEL (4), FORCE=1
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-bench-out/big.pcap}"
if [ -s "$out" ] && [ "${FORCE:-0}" != 1 ]; then
  echo "make-capture: reusing $out (FORCE=1 to re-record)"
  exit 0
fi
conns="${BENCH_CONNS:-300}"
bytes="${BENCH_BYTES:-2200000}"
parallel="${BENCH_PARALLEL:-4}"
port=5001
mkdir -p "$(dirname "$out")"
[ "$(id -u)" = 0 ] || { echo "make-capture: needs root for ip netns" >&2; exit 1; }
bash scripts/ensure-deps.sh --debian ethtool tcpdump

ns="seqscope-bench-$$"
srv_pid=""
dump_pid=""
cleanup() {
  [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null || true
  [ -n "$dump_pid" ] && kill "$dump_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT

ip netns add "$ns"
inns() { ip netns exec "$ns" "$@"; }
inns ip link set lo mtu 1500
inns ip link set lo up
inns ethtool -K lo tso off gso off gro off 2>/dev/null || inns ethtool -K lo tso off gso off
inns ethtool -k lo | grep -E '^(tcp-segmentation-offload|generic-segmentation-offload|generic-receive-offload):' | sed 's/^/make-capture: /'

tmp="$out.part"
rm -f "$tmp"
log="$(mktemp)"
ip netns exec "$ns" tcpdump -i lo -s 96 -B 65536 -n -w "$tmp" "tcp port $port" 2>"$log" &
dump_pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$log" && break; sleep 0.1; done
ip netns exec "$ns" node scripts/bench/bulk.mjs server "$port" > "$log.srv" &
srv_pid=$!
for _ in $(seq 100); do grep -q ready "$log.srv" && break; sleep 0.1; done
echo "make-capture: $conns connections × $bytes bytes, $parallel at a time, namespace $ns"
inns timeout 600 node scripts/bench/bulk.mjs client "$port" "$conns" "$bytes" "$parallel"
sleep 0.5
# SIGTERM: background jobs of a non-interactive shell ignore SIGINT; tcpdump flushes on TERM.
kill -TERM "$dump_pid"
wait "$dump_pid" || true
dump_pid=""
sed 's/^/make-capture: tcpdump: /' "$log"
rm -f "$log" "$log.srv"
mv "$tmp" "$out"
echo "make-capture: wrote $out ($(stat -c %s "$out") bytes)"
