#!/usr/bin/env bash
# npm start: install what is needed, build what is out of date, and serve the production build
# (with the bundled sample capture) on http://127.0.0.1:4173/. PORT=… chooses the port; when it
# is taken, the next free one (up to 20 further) is used and said. The address is printed once
# the port is bound. A second start with nothing changed reuses the build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# stale OUT INPUT…: OUT is missing or an input is newer.
stale() {
  local out=$1
  shift
  [ ! -e "$out" ] || [ -n "$(find "$@" -newer "$out" -print -quit 2>/dev/null)" ]
}
APP_INPUTS=(src public index.html vite.config.ts package.json package-lock.json tsconfig.json tsconfig.*.json scripts/build-sw.mjs)
if stale dist/sw.js "${APP_INPUTS[@]}"; then
  npm run --silent build:app
else
  echo "start: dist/ is up to date with the sources; not rebuilding"
fi
if stale dist-cli/seqscope.mjs src/engine src/cli package.json scripts/build-cli.mjs; then npm run --silent build:cli; fi
exec node scripts/serve-static.mjs dist --port "${PORT:-4173}" --next-free 20 --name seqscope
