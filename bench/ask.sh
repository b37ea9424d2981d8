#!/usr/bin/env bash
# Start-up benchmark (issue 10): one `kindred ask` process answering one question, and one
# `kindred stats`, timed by hyperfine over the bundled library. Target: one ask <= 150 ms wall.
# `cargo bench -p kindred-cli --bench cli` measures the same ask beside ingest and the batch; this
# script gives the spread, and compares binaries: KINDRED_BIN=path/to/kindred bash bench/ask.sh
set -euo pipefail
cd "$(dirname "$0")/.."
kindred="${KINDRED_BIN:-$(pwd)/target/release/kindred}"
[ -x "$kindred" ] || cargo build --release --locked
command -v hyperfine >/dev/null || { echo "bench/ask.sh needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
"$kindred" --data-dir "$data" ingest >/dev/null
hyperfine --shell=none --warmup 3 --runs "${RUNS:-30}" \
  "$kindred --data-dir $data ask 'what causes dystonia'" \
  "$kindred --data-dir $data ask --json 'Is there a cure for dystonia?'" \
  "$kindred --data-dir $data stats"
