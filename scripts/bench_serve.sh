#!/usr/bin/env bash
# Load benchmark of `rasd serve` (not a test): a store of N synthetic events (default
# 1,000,000, built once by the bench_store example and kept in target/), served by the release
# binary on loopback, and filtered `GET /api/events` pages fetched by 100 concurrent
# connections with wrk (Debian's package `wrk`) for 20 s per filter. Prints wrk's latency
# distribution (p50, p75, p90, p99) for each.
# Usage: scripts/bench_serve.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
PORT=${RASD_PORT:-18090}
DB="target/bench-serve-$N.db"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }
cargo build --release -p rasd-cli
cargo build --release -p rasd-server --example bench_store
if [ ! -f "$DB" ]; then
  target/release/examples/bench_store "$N" "$DB.partial"
  mv "$DB.partial" "$DB"
fi
target/release/rasd serve --db "$DB" --addr "127.0.0.1:$PORT" --connections 4 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/openapi.json" >/dev/null 2>&1 && break; sleep 0.1; done
for query in \
  "limit=100" \
  "admin1=SY12&limit=100" \
  "type=Battles&from=2018-01-01&to=2019-12-31&limit=100" \
  "admin1=SY07&sub_type=Air%2Fdrone%20strike&min_confidence=0.5&limit=50" \
  "bbox=36.0,35.5,37.0,36.5&limit=100"; do
  echo "== GET /api/events?$query"
  wrk -t2 -c100 -d20s --latency "http://127.0.0.1:$PORT/api/events?$query" \
    | grep -E "Latency|50%|75%|90%|99%|Requests/sec|Non-2xx"
done
