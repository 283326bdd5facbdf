#!/usr/bin/env bash
# Load benchmark of `rasd serve` (not a test): a store of N synthetic events (default
# 1,000,000, built once by the bench_store example and kept in target/), served by the release
# binary on loopback (one database connection per core), and:
# - filtered `GET /api/events` pages fetched by 100 concurrent connections with wrk (Debian's
#   package `wrk`) for RASD_BENCH_SECONDS (20) per filter, RASD_BENCH_RUNS times (1): one
#   line per run with requests/s and the latency's p50, p90 and p99;
# - the same pages over one connection (5 s): the server's own time per request, without
#   queueing behind the other clients;
# - the map's grid and the timeline (`/api/map`, `/api/stats/monthly`), unfiltered and for
#   one governorate: the median of 5 requests' total time, by curl.
# Usage: scripts/bench_serve.sh [N]
# RASD_BENCH_BIN and RASD_BENCH_DB serve another build or store (two builds side by side,
# each on its own copy of the store: a newer build migrates the store it opens).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
PORT=${RASD_PORT:-18090}
RUNS=${RASD_BENCH_RUNS:-1}
SECS=${RASD_BENCH_SECONDS:-20}
DB=${RASD_BENCH_DB:-target/bench-serve-$N.db}
BIN=${RASD_BENCH_BIN:-target/release/rasd}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }
cargo build --release -p rasd-cli
cargo build --release -p rasd-server --example bench_store
if [ ! -f "$DB" ]; then
  target/release/examples/bench_store "$N" "$DB.partial"
  mv "$DB.partial" "$DB"
fi
"$BIN" serve --db "$DB" --addr "127.0.0.1:$PORT" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
# The first start of a new rasd on an older store migrates it; wait for that too.
for _ in $(seq 1 6000); do curl -fsS "http://127.0.0.1:$PORT/openapi.json" >/dev/null 2>&1 && break; sleep 0.1; done
QUERIES=(
  "limit=100"
  "admin1=SY12&limit=100"
  "type=Battles&from=2018-01-01&to=2019-12-31&limit=100"
  "admin1=SY07&sub_type=Air%2Fdrone%20strike&min_confidence=0.5&limit=50"
  "bbox=36.0,35.5,37.0,36.5&limit=100"
)
# One line of wrk's report: requests/s, p50, p90, p99.
summary() {
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2}
       /Non-2xx/ {bad=$NF} END {printf "%s req/s  p50 %s  p90 %s  p99 %s%s\n", rps, p50, p90, p99,
       (bad ? "  non-2xx " bad : "")}'
}
for query in "${QUERIES[@]}"; do
  echo "== GET /api/events?$query"
  for run in $(seq 1 "$RUNS"); do
    printf '  100 connections, run %s: ' "$run"
    wrk -t2 -c100 -d"${SECS}s" --latency "http://127.0.0.1:$PORT/api/events?$query" | summary
  done
  printf '  1 connection: '
  wrk -t1 -c1 -d5s --latency "http://127.0.0.1:$PORT/api/events?$query" | summary
done
for path in "map?cell=0.25" "map?cell=0.25&admin1=SY12" "stats/monthly" "stats/monthly?admin1=SY12"; do
  times=$(for _ in 1 2 3 4 5; do
    curl -fsS -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$PORT/api/$path"
  done | sort -n)
  echo "== GET /api/$path: median $(echo "$times" | sed -n 3p) s (of $(echo "$times" | tr '\n' ' '))"
done
