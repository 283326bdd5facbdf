#!/usr/bin/env bash
# Scores the engine on the team's gold sets and fails when a score falls below its floor in
# .ci/eval-floor (one `set metric value` per line). The gold sets live beside the repository
# (../shared/gold, with eval.sh and score.py), not in it: where they are absent this says so and
# succeeds, so that a clone without them still passes CI.
# Usage: scripts/eval_floor.sh [RASD_BINARY]   (default: target/release/rasd, else target/debug/rasd)
set -euo pipefail
cd "$(dirname "$0")/.."
gold=${RASD_GOLD:-../shared/gold}
if [ ! -x "$gold/eval.sh" ]; then
  echo "eval floor: no gold sets at $gold (set RASD_GOLD); skipped"
  exit 0
fi
rasd=${1:-}
if [ -z "$rasd" ]; then
  for c in target/release/rasd target/debug/rasd; do [ -x "$c" ] && { rasd=$c; break; }; done
fi
[ -n "$rasd" ] || { echo "eval floor: no rasd binary; build it first" >&2; exit 2; }
status=0
while read -r set metric floor; do
  case "$set" in ''|'#'*) continue;; esac
  got=$("$gold/eval.sh" --set "$set" --rasd "$rasd" --json |
        python3 -c "import json,sys; print(json.load(sys.stdin)['$metric'])")
  if python3 -c "import sys; sys.exit(0 if float('$got') >= float('$floor') else 1)"; then
    echo "eval floor: $set $metric $got (floor $floor)"
  else
    echo "eval floor: $set $metric $got is below its floor $floor" >&2
    status=1
  fi
done < .ci/eval-floor
exit $status
