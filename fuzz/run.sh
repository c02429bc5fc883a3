#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 30) from its seed corpus; fails on a crash.
#   fuzz/run.sh 1200          # 20 minutes per target
#   fuzz/run.sh 30 scenario   # one target
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-30}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(scenario moves gmcr)
fi
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  dict=()
  if [ -f "dict/$t.dict" ]; then
    dict=("-dict=dict/$t.dict")
  fi
  echo "== fuzz $t for ${seconds}s"
  cargo +nightly fuzz run "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=4096 "${dict[@]}"
done
