#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: npm packages (npm ci when node_modules
# is missing or stale) and, when asked, Debian's tshark and chromium.
#   scripts/ensure-deps.sh [--debian tshark chromium tcpdump ...]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-deps: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi
if [ "${1:-}" = "--debian" ]; then
  shift
  missing=()
  for pkg in "$@"; do
    case "$pkg" in
      chromium) [ -x /usr/bin/chromium ] || missing+=(chromium) ;;
      *) command -v "$pkg" >/dev/null 2>&1 || missing+=("$pkg") ;;
    esac
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "ensure-deps: installing Debian packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
