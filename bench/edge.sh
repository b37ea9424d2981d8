#!/usr/bin/env bash
# Slow-client benchmark of `kindred serve` (issue 9, finding 3), release build, loopback only.
# The server runs under `ulimit -n 1024` (the usual limit) with its default timeouts and connection
# cap. A client opens 1,100 half-open connections (a head that never ends), then sends real
# requests beside them and times the answers. It also times how long the server keeps a half-sent
# request open (the header read timeout) and counts accept errors in the server's log.
#
# Target: with 1,100 half-open connections, a real request is answered within 1 s, and the server
# never logs "Too many open files". Bounded: about 20 s after the library is built.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${KINDRED_BIN:-target/release/kindred}"
half_open="${EDGE_HALF_OPEN:-1100}"
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
# The server alone gets the usual limit of 1,024 open files (soft and hard).
KINDRED_LOG=info bash -c 'ulimit -n 1024 && exec "$@"' _ "$bin" --data-dir "$work/data" serve \
  --addr "127.0.0.1:$port" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null
echo "server open-file limit: $(awk '/Max open files/ {print $4 " soft, " $5 " hard"}' /proc/$server_pid/limits)"

python3 - "$port" "$half_open" <<'PY'
import resource, socket, statistics, sys, time

port, n_half_open = int(sys.argv[1]), int(sys.argv[2])
# The client needs more files than the server may have.
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, n_half_open + 256)), hard))

def real_request(timeout=5.0):
    """Seconds until a whole answer to GET /healthz arrives (None if it does not within timeout)."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        if data.startswith(b"HTTP/1.1 200"):
            return time.monotonic() - started
    except OSError:
        pass
    return None

baseline = real_request()
half = []
started = time.monotonic()
for _ in range(n_half_open):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
    half.append(s)
opened = time.monotonic() - started

latencies = []
failures = 0
for _ in range(20):
    latency = real_request(timeout=5.0)
    if latency is None:
        failures += 1
    else:
        latencies.append(latency)
    time.sleep(0.05)

# How many half-open connections the server still holds, and when it closes the rest.
def is_closed(s):
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True

held_after_requests = sum(not is_closed(s) for s in half)
first = time.monotonic()
closed_after = None
while time.monotonic() - first < 15:
    if all(is_closed(s) for s in half):
        closed_after = time.monotonic() - started
        break
    time.sleep(0.25)
for s in half:
    s.close()

worst = max(latencies) if latencies else float("nan")
print(f"half-open connections opened: {n_half_open} in {opened:.2f} s")
print(f"real requests beside them: {len(latencies)} answered, {failures} failed; "
      f"median {statistics.median(latencies) * 1000 if latencies else float('nan'):.1f} ms, "
      f"worst {worst * 1000:.1f} ms (baseline alone {baseline * 1000 if baseline else float('nan'):.1f} ms)")
print(f"half-open connections the server still held after them: {held_after_requests} "
      f"(the rest were closed to make room)")
print("all half-open connections closed by the server after: "
      + (f"{closed_after:.1f} s (header read timeout 10 s)" if closed_after else "more than 15 s"))
ok = failures == 0 and latencies and worst <= 1.0 and closed_after is not None
print(f"| half-open connections | answered | worst real request | all closed after |")
print(f"| {n_half_open} | {len(latencies)}/20 | {worst * 1000:.0f} ms | {closed_after or 0:.1f} s |")
sys.exit(0 if ok else 1)
PY
accept_errors=$(grep -c "Too many open files" "$work/server.log" || true)
echo "accept errors (Too many open files) in the server log: $accept_errors"
[ "$accept_errors" -eq 0 ]
