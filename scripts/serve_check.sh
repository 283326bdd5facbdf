#!/usr/bin/env bash
# Checks `rasd serve` end to end on the demo's store, on loopback:
#   1. the browser test (.ci/browser/page.test.mjs, Debian's Chromium via playwright-core),
#      which saves docs/serve.png;
#   2. schemathesis against the served /openapi.json: no 5xx, no response outside the schema.
# Usage: scripts/serve_check.sh [RASD_BINARY]   (needs node, .ci/browser's node_modules,
# chromium and schemathesis installed, as .ci/run does).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-target/debug/rasd}")
PORT=${RASD_PORT:-18080}
URL="http://127.0.0.1:$PORT"
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$BIN" demo --db "$work/rasd.db" >/dev/null
token=$("$BIN" token add ci-reviewer --role reviewer --db "$work/rasd.db" 2>/dev/null)
RASD_LOG=warn "$BIN" serve --db "$work/rasd.db" --addr "127.0.0.1:$PORT" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 100); do
  curl -fsS "$URL/openapi.json" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$URL/openapi.json" >/dev/null

echo "-- browser test"
RASD_URL="$URL" RASD_TOKEN="$token" RASD_SCREENSHOT="$PWD/docs/serve.png" \
  node .ci/browser/page.test.mjs

echo "-- schemathesis"
schemathesis run "$URL/openapi.json" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance \
  --header "Authorization: Bearer $token" \
  --max-examples "${RASD_SCHEMATHESIS_EXAMPLES:-40}" \
  --workers 2 \
  --seed 1 \
  --no-color
if grep -q "request failed" "$work/server.log"; then
  echo "the server logged internal errors:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
echo "serve check: ok"
