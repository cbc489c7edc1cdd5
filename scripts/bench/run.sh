#!/usr/bin/env bash
# npm run bench: records (or reuses) a large capture of real TCP traffic and reports, in one
# table: engine throughput and retained bytes per frame, `seqscope -q -z expert` against
# `tshark -q -z expert` (wall time, peak RSS, identical output?), and the web app's gzipped
# first-load size when dist/ exists.
# Then the display filters of issue 10 (scripts/bench/filter.mjs) with tshark -2 -n -Y beside each.
#   env: BENCH_PCAP (default bench-out/big.pcap), BENCH_ENGINE_RUNS (7), BENCH_CLI_RUNS (3), BENCH_FILTER_RUNS (5),
#        BENCH_LARGE=1: also one run of each CLI on a capture ten times larger (3000 connections,
#        bench-out/big10.pcap, ~6 M frames; tshark needs about 1.5 minutes and 3 GB there)
set -euo pipefail
cd "$(dirname "$0")/../.."
pcap="${BENCH_PCAP:-bench-out/big.pcap}"
mkdir -p bench-out
bash scripts/ensure-deps.sh --debian tshark tcpdump ethtool
[ -x /usr/bin/time ] || bash scripts/ensure-deps.sh --debian time
npm run -s build:cli
[ -s "$pcap" ] || bash scripts/bench/make-capture.sh "$pcap"
echo "bench: engine (${BENCH_ENGINE_RUNS:-7} loads of $pcap from memory)"
node --expose-gc scripts/bench/engine.mjs "$pcap" --runs "${BENCH_ENGINE_RUNS:-7}" --json bench-out/engine.json
echo "bench: CLI against tshark (${BENCH_CLI_RUNS:-3} runs each)"
large=()
if [ "${BENCH_LARGE:-0}" = 1 ]; then
  [ -s bench-out/big10.pcap ] || BENCH_CONNS=3000 bash scripts/bench/make-capture.sh bench-out/big10.pcap
  large=(--large bench-out/big10.pcap)
fi
node scripts/bench/report.mjs "$pcap" --runs "${BENCH_CLI_RUNS:-3}" --engine bench-out/engine.json "${large[@]}"
echo "bench: display filters (filterFrames on the loaded capture; tshark -2 -n -Y on the file beside each)"
node scripts/bench/filter.mjs "$pcap" --runs "${BENCH_FILTER_RUNS:-5}" --json bench-out/filter.json
