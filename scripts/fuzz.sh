#!/usr/bin/env bash
# Runs rasd's fuzz targets (fuzz/, cargo-fuzz) for a given time each.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     # default: 60 s, every target
#
# Works on the stable toolchain: RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the nightly flags it
# needs, and `--sanitizer none -O` builds optimized targets without AddressSanitizer (Rust's
# own checks still catch out-of-bounds access; debug assertions stay on). Needs cargo-fuzz
# (`cargo install cargo-fuzz`). Each target starts from its seeds in fuzz/seeds/TARGET and
# grows fuzz/corpus/TARGET (not committed); a failing input is saved under
# fuzz/artifacts/TARGET/ and the script stops with its name.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

secs=${1:-60}
shift || true
export RUSTC_BOOTSTRAP=1
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi

cargo fuzz build --sanitizer none -O
for target in "${targets[@]}"; do
  echo "== fuzz $target for ${secs}s"
  mkdir -p "corpus/$target"
  cargo fuzz run --sanitizer none -O "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$secs" -max_len=65536 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1
done
