#!/usr/bin/env bash
# npm start: install what is needed, build, and serve the production build (with the bundled
# sample capture) on http://127.0.0.1:4173/.  PORT=… to change the port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run --silent build
port="${PORT:-4173}"
echo
echo "seqscope is being served at  http://127.0.0.1:${port}/   (Ctrl+C to stop)"
echo
exec npx vite preview --host 127.0.0.1 --port "$port" --strictPort
