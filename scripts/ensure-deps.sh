#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: npm packages (npm ci when node_modules
# is missing or stale) and, when asked, Debian's tshark and chromium. Elsewhere (no apt), point
# TSHARK and CHROMIUM at your own executables: they are used instead and nothing is installed.
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
      chromium)
        if [ -n "${CHROMIUM:-}" ]; then
          [ -x "$CHROMIUM" ] || { echo "ensure-deps: CHROMIUM=$CHROMIUM is not an executable" >&2; exit 1; }
        else
          [ -x /usr/bin/chromium ] || missing+=(chromium)
        fi ;;
      tshark)
        if [ -n "${TSHARK:-}" ]; then
          command -v "$TSHARK" >/dev/null 2>&1 || { echo "ensure-deps: TSHARK=$TSHARK is not an executable" >&2; exit 1; }
        else
          command -v tshark >/dev/null 2>&1 || missing+=(tshark)
        fi ;;
      *) command -v "$pkg" >/dev/null 2>&1 || missing+=("$pkg") ;;
    esac
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
      echo "ensure-deps: missing ${missing[*]} and no apt-get here: install them yourself and set TSHARK=/path/to/tshark (4.0.17) and CHROMIUM=/path/to/chromium" >&2
      exit 1
    fi
    echo "ensure-deps: installing Debian packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
