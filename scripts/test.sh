#!/usr/bin/env bash
# npm test: everything CI checks, in CI order. Installs what it uses first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --debian tshark chromium
step() { echo; echo "=== $*"; }
step "build CLI";        npm run --silent build:cli
step "typecheck";        npm run --silent test:typecheck
step "lint";             npm run --silent test:lint
step "unit tests";       npm run --silent test:unit
step "conformance";      npm run --silent test:conformance
if [ -f playwright.config.ts ]; then
  step "build app";      npm run --silent build:app
  step "e2e";            npm run --silent test:e2e
fi
echo; echo "npm test: all steps passed"
