#!/usr/bin/env bash
# Builds public/sample.pcap, the capture behind the app's "Open sample" button, from crafted and
# recorded captures at the root of ../shared/captures (never real/: third-party files are not
# shipped). Each piece is shifted with `editcap -t` to start one second after the previous one
# ends, then they are concatenated with `mergecap -a`. The result shows: a retransmission after
# duplicate ACKs, zero-window probes and a window update, a reused port after a RST, and a SYN
# answered by RST (closed port).
#   scripts/make-sample.sh [CAPTURES_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${1:-../shared/captures}
PIECES=(
  crafted_dupack_then_slow_retransmission_ipv4.pcap
  crafted_zero_window_probes_ipv4.pcap
  crafted_reused_ports_syn_after_rst_200ms_ipv4.pcap
  real_closed_port_rst_ipv4.pcap
)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
next=""
shifted=()
for i in "${!PIECES[@]}"; do
  f="$SRC/${PIECES[$i]}"
  first=$(capinfos -T -r -a -S "$f" | cut -f2)
  last=$(capinfos -T -r -e -S "$f" | cut -f2)
  if [ -z "$next" ]; then shift_s=0; else shift_s=$(echo "$next - $first" | bc -l); fi
  out="$tmp/$i.pcap"
  editcap -F pcap -t "$shift_s" "$f" "$out"
  shifted+=("$out")
  next=$(echo "$last + $shift_s + 1" | bc -l)
done
mkdir -p public
mergecap -F pcap -a -w public/sample.pcap "${shifted[@]}"
echo "public/sample.pcap: $(capinfos -c -M public/sample.pcap | awk -F': *' '/Number of packets/ {print $2}') frames"
