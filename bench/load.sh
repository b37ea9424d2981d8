#!/usr/bin/env bash
# Load benchmark of `kindred serve` with wrk, against the release build, on loopback only.
# Measures /healthz and /api/v1/ask on the same server in the same run (32 connections), the p99
# latency of ask, and the server's peak RSS. Prints a Markdown table for the README.
#
# Targets (issue 3): ask throughput >= 1/3 of /healthz; ask p99 <= 20 ms at 32 connections;
# server RSS <= 300 MB with the full library.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${KINDRED_BIN:-target/release/kindred}"
duration="${LOAD_SECONDS:-10}"
connections=32
threads=2
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x "$bin" ] || { echo "$bin is missing: cargo build --release -p kindred-cli" >&2; exit 1; }

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" --data-dir "$work/data" ingest >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
KINDRED_LOG=warn "$bin" --data-dir "$work/data" serve --addr "127.0.0.1:$port" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null

# The ask load cycles through the benchmark questions, URL-encoded once here.
python3 - "$work/questions.txt" <<'PY'
import sys, urllib.parse
lines = [l.strip() for l in open("data/bench/questions.txt", encoding="utf-8") if l.strip()]
with open(sys.argv[1], "w") as out:
    for line in lines:
        out.write(urllib.parse.quote(line, safe="") + "\n")
PY
cat > "$work/ask.lua" <<'LUA'
local questions = {}
for line in io.lines(os.getenv("QUESTIONS")) do questions[#questions + 1] = line end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/v1/ask?q=" .. questions[(counter % #questions) + 1])
end
LUA
cat > "$work/unique.lua" <<'LUA'
local questions = {}
for line in io.lines(os.getenv("QUESTIONS")) do questions[#questions + 1] = line end
local counter = 0
local thread_id = 0
setup = function(thread) thread_id = thread_id + 1; thread:set("prefix", tostring(thread_id)) end
request = function()
  counter = counter + 1
  -- A distinct question every time (a trailing number): no answer comes from the cache.
  local q = questions[(counter % #questions) + 1] .. "%20" .. prefix .. "x" .. counter
  return wrk.format("GET", "/api/v1/ask?q=" .. q)
end
LUA
export QUESTIONS="$work/questions.txt"
# Warm the answer cache with one pass over the questions, as a live server's popular questions are.
while read -r q; do curl -fs "http://127.0.0.1:$port/api/v1/ask?q=$q" >/dev/null; done < "$work/questions.txt"

run() { wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$@"; }
run "http://127.0.0.1:$port/healthz" > "$work/healthz.txt"
run -s "$work/ask.lua" "http://127.0.0.1:$port" > "$work/ask.txt"
run -s "$work/unique.lua" "http://127.0.0.1:$port" > "$work/unique.txt"
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")

rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$1"; }
for f in healthz ask unique; do
  if [ -n "$(errors "$work/$f.txt")" ]; then echo "errors in $f run:"; cat "$work/$f.txt"; exit 1; fi
done
healthz_rps=$(rps "$work/healthz.txt"); ask_rps=$(rps "$work/ask.txt"); unique_rps=$(rps "$work/unique.txt")
ratio=$(python3 -c "print(f'{$ask_rps / $healthz_rps:.2f}')")
echo "| load ($(nproc) cores, wrk -t$threads -c$connections, ${duration} s each) | requests/s | p99 latency |"
echo "|---|---|---|"
echo "| \`/healthz\` | $healthz_rps | $(p99 "$work/healthz.txt") |"
echo "| \`/api/v1/ask\`, 60 questions cycled (answers cached after the first) | $ask_rps | $(p99 "$work/ask.txt") |"
echo "| \`/api/v1/ask\`, every question distinct (no cache) | $unique_rps | $(p99 "$work/unique.txt") |"
echo
echo "ask / healthz throughput: $ratio (target >= 0.33); server peak RSS: $((rss_kb / 1024)) MB (target <= 300 MB)"
