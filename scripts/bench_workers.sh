#!/usr/bin/env bash
# Benchmark, not a test: how fast 1, 2 and 4 `rasd worker` processes empty a queue of
# synthetic reports (scripts/gen_reports.py) on one PostgreSQL, and each worker's peak RSS.
# Each run works in a schema of its own, dropped afterwards. Workers use one analysis thread
# each, so that the number of processes is the parallelism measured.
#
# REPORTS is a number of synthetic reports (default 2000) or a JSON Lines corpus.
#
# Usage: scripts/bench_workers.sh POSTGRES_URL [REPORTS] [RASD_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:?usage: scripts/bench_workers.sh POSTGRES_URL [REPORTS] [RASD_BINARY]}
reports=${2:-2000}
rasd=${3:-target/release/rasd}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -f "$reports" ]; then
  corpus=$reports
else
  corpus="$tmp/reports.jsonl"
  scripts/gen_reports.py "$reports" > "$corpus"
fi
case "$url" in *\?*) sep='&' ;; *) sep='?' ;; esac
echo "reports  workers  seconds  reports/s  peak RSS per worker (MiB)"
for workers in 1 2 4; do
  schema="rasd_bench_${workers}_$$"
  psql "$url" -qc "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema"
  db="$url${sep}options=-csearch_path%3D$schema"
  "$rasd" ingest --db "$db" --queue "$corpus" >/dev/null
  start=$(date +%s.%N)
  for i in $(seq "$workers"); do
    /usr/bin/time -f %M -o "$tmp/rss.$i" "$rasd" worker --db "$db" --threads 1 >/dev/null &
  done
  wait
  end=$(date +%s.%N)
  stored=$(psql "$db" -Atc "SELECT count(*) FROM documents")
  rss=$(for i in $(seq "$workers"); do echo $(( $(cat "$tmp/rss.$i") / 1024 )); done | paste -sd ' ')
  awk -v n="$stored" -v w="$workers" -v s="$start" -v e="$end" -v rss="$rss" \
    'BEGIN { printf "%7d  %7d  %7.1f  %9.1f  %s\n", n, w, e - s, n / (e - s), rss }'
  psql "$url" -qc "SET client_min_messages = warning; DROP SCHEMA $schema CASCADE"
done
