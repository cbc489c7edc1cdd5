#!/usr/bin/env bash
# npm run bench:browser — the web app on the benchmark capture, in Debian's Chromium:
# time to first rows, to fully analysed, longest main-thread task during the load, worker
# memory per frame, graphs (tcptrace, I/O). Builds the production bundle first.
#   env: BENCH_CAPTURE (default bench-out/big.pcap), BENCH_RUNS (3)
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/ensure-deps.sh --debian chromium
capture="${BENCH_CAPTURE:-bench-out/big.pcap}"
if [ ! -s "$capture" ] && [ -f scripts/bench/make-capture.sh ]; then
  bash scripts/bench/make-capture.sh "$capture" || echo "bench:browser: make-capture.sh failed; using a stand-in capture"
fi
if [ ! -s "$capture" ]; then
  # Stand-in: the recorded captures concatenated many times (≈600 k frames).
  node scripts/bench/browser-standin.mjs "$capture"
fi
# One long connection for the tcptrace graph's figures (the bench capture's streams are short).
[ -s bench-out/one-stream.pcap ] || node scripts/bench/one-stream.mjs bench-out/one-stream.pcap
npm run --silent build:app >/dev/null
node scripts/bench/browser.mjs "$capture"
