#!/usr/bin/env bash
# Kindred's browser tests: real chromium (the system's, via playwright-core) against `kindred serve`.
# Needs the release binary (cargo build --release -p kindred-cli), Node 20+ and npm, and chromium
# (/usr/bin/chromium, or set CHROMIUM). Builds nothing; exits with the test runner's status.
# Screenshots are written to artifacts/screenshots/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

export KINDRED_BIN="${KINDRED_BIN:-$root/target/release/kindred}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "browser tests: $tool is not installed" >&2; exit 1; }
done
[ -x "$KINDRED_BIN" ] || { echo "browser tests: no kindred binary at $KINDRED_BIN (cargo build --release -p kindred-cli)" >&2; exit 1; }
[ -x "$CHROMIUM" ] || { echo "browser tests: no chromium at $CHROMIUM (apt-get install chromium, or set CHROMIUM)" >&2; exit 1; }

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

# One library for the whole run: the first test file builds it here, the others reuse it.
data_dir="$(mktemp -d "${TMPDIR:-/tmp}/kindred-browser-data.XXXXXX")"
trap 'rm -rf "$data_dir"' EXIT
export KINDRED_TEST_DATA_DIR="$data_dir"
# These tests register dozens of members from one address, and check the member-reports panel with
# members who registered a moment ago: this server's operator relaxes those two limits (the Rust tests
# hold the defaults: 5 registrations per address per hour, reports counting after 7 days and 2 active
# days).
export KINDRED_REGISTRATIONS_PER_HOUR=100000 KINDRED_REGISTRATIONS_PER_DAY=100000
export KINDRED_AGGREGATE_MIN_ACCOUNT_DAYS=0 KINDRED_AGGREGATE_MIN_ACTIVE_DAYS=1

echo "browser tests: $("$CHROMIUM" --version 2>/dev/null | head -n1), node $(node --version), kindred at $KINDRED_BIN"
# Readable results on stdout (spec reporter, with its closing summary); TAP kept beside the
# screenshots for CI's artifacts.
mkdir -p "$root/artifacts"
tap="$root/artifacts/browser-tests.tap"
status=0
# Each test is bounded (--test-timeout); the hooks in helpers.mjs bound and stop the server and the
# browser. (No --test-force-exit: it cuts the TAP file short.)
node --test --test-timeout=180000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "$here/" || status=$?
passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -n1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -n1)
cancelled=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$tap" | tail -n1)
failed=$(( ${failed:-0} + ${cancelled:-0} )) # a test cancelled (its hook failed, or timed out) did not pass
echo "browser: ${passed:-0} passed, ${failed:-0} failed"
if [ "$status" -eq 0 ] && [ "${passed:-0}" -eq 0 ]; then
  echo "browser tests: no test ran" >&2
  status=1
fi
exit "$status"
