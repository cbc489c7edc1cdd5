#!/usr/bin/env bash
# npm test: everything CI checks, in CI order. Installs what it uses first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --debian tshark chromium
step() { echo; echo "=== $*"; }
step "build CLI";        npm run --silent build:cli
step "typecheck";        npm run --silent test:typecheck
step "lint";             npm run --silent test:lint
mkdir -p .test-out
step "unit tests";       npx vitest run --reporter=default --reporter=json --outputFile.json=.test-out/vitest.json
step "conformance";      SEQSCOPE_QUIET_SKIP=1 npm run --silent test:conformance
step "build app";        npm run --silent build:app
step "e2e";              PLAYWRIGHT_JSON_OUTPUT_NAME=.test-out/playwright.json npx playwright test --reporter=list,json
if [ "${SEQSCOPE_CLONE_CHECK:-1}" != 0 ] && node --input-type=module -e "import { HAS_SHARED } from './scripts/corpora.mjs'; process.exit(HAS_SHARED ? 0 : 1)"; then
  # With the corpora (CI): a clone of HEAD without them must pass too (SEQSCOPE_CLONE_CHECK=0 skips this).
  step "a clone without the corpora"; bash scripts/clone-check.sh
fi
echo
node scripts/test-summary.mjs .test-out/vitest.json .test-out/playwright.json
echo "npm test: all steps passed"
