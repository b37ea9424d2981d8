#!/usr/bin/env bash
# Validates what `kindred serve` sends against the standards' own checkers (issue 9):
#   - the OpenAPI document (/api/openapi.json) with openapi-spec-validator (PyPI), in a venv;
#   - a representative set of pages, anonymous and signed in, with the W3C Nu HTML checker
#     (npm vnu-jar, run on a Java runtime). It must report 0 errors.
# Needs the release binary, python3 (with venv), java, and node/npm for vnu-jar (installed here
# with the browser tests' npm ci). Loopback only; about 30 s.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${KINDRED_BIN:-$root/target/release/kindred}"
[ -x "$bin" ] || { echo "validate: no kindred binary at $bin" >&2; exit 1; }
command -v java >/dev/null || { echo "validate: java is missing (apt-get install default-jre-headless)" >&2; exit 1; }

[ -f "$here/node_modules/vnu-jar/build/dist/vnu.jar" ] \
  || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
vnu="$here/node_modules/vnu-jar/build/dist/vnu.jar"

work=$(mktemp -d "${TMPDIR:-/tmp}/kindred-validate.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==0.9.0"

"$bin" --data-dir "$work/data" ingest >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
KINDRED_LOG=warn "$bin" --data-dir "$work/data" serve --addr "127.0.0.1:$port" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null

echo "==> OpenAPI document (openapi-spec-validator)"
curl -fs "http://127.0.0.1:$port/api/openapi.json" -o "$work/openapi.json"
"$work/venv/bin/openapi-spec-validator" "$work/openapi.json"

echo "==> pages (Nu HTML checker $(java -jar "$vnu" --version))"
mkdir -p "$work/pages"
python3 - "$port" "$work/pages" <<'PY'
import http.cookiejar, json, sys, urllib.error, urllib.request

port, out = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
csrf = ""

def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if csrf:
        request.add_header("X-CSRF-Token", csrf)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()

n = 0
def page(name, path, expect=200):
    global n
    status, body = call("GET", path)
    assert status == expect, f"GET {path}: {status}, expected {expect}"
    n += 1
    with open(f"{out}/{n:02d}-{name}.html", "wb") as f:
        f.write(body)

# Anonymous: the library and its errors, and the forms.
page("home", "/")
page("a-z", "/conditions")
page("a-z-letter", "/conditions?letter=d")
page("condition", "/conditions/dystonia")
page("ask-answered", "/ask?q=what+causes+dystonia%3F")
page("ask-abstained", "/ask?q=what+is+the+capital+of+France%3F")
page("search", "/search?q=botox")
page("source", "/sources/seed-000")
page("not-found", "/no/such/page", 404)
page("bad-query", "/conditions?page=0", 400)
page("register", "/register")
page("sign-in", "/login")

# Signed in, with something in every list.
status, body = call("POST", "/api/v1/accounts", {"handle": "vnu-check", "password": "a long passphrase 1"})
assert status == 201, (status, body)
csrf = json.loads(body)["csrf_token"]
profile = {
    "conditions": {"value": [{"condition": "dystonia"}], "visibility": "members"},
    "regions": {"value": ["neck"], "visibility": "members"},
    "medicines": {"value": ["Baclofen"], "visibility": "private"},
    "about": {"value": "Checking pages.\nTwo lines.", "visibility": "members"},
    "open_to_matching": True,
}
assert call("PUT", "/api/v1/me/profile", profile)[0] == 200
status, body = call("POST", "/api/v1/groups/dystonia/posts", {"title": "Checking", "body": "A *post* to check."})
assert status == 201, (status, body)
post = json.loads(body)["id"]
assert call("POST", f"/api/v1/posts/{post}/replies", {"text": "A reply."})[0] in (200, 201)
for day, severity in [("2024-03-01", 3), ("2024-03-08", 5), ("2024-03-15", 2)]:
    entry = {"date": day, "severities": [["neck", severity]], "triggers": ["stress"], "note": "note"}
    assert call("POST", "/api/v1/me/tracker/entries", entry)[0] == 201
injection = {"date": "2024-03-02", "product": "onabotulinumtoxin-a",
             "muscles": [{"muscle": "Left splenius capitis", "units": 50}], "side_effects": [], "note": ""}
assert call("POST", "/api/v1/me/tracker/injections", injection)[0] == 201
medicine = {"name": "Baclofen", "dose_as_prescribed": "10 mg", "started": "2023-01-01", "stopped": None, "side_effects": []}
assert call("POST", "/api/v1/me/tracker/medicines", medicine)[0] == 201

page("me", "/me")
page("profile", "/me/profile")
page("alikes", "/me/alikes")
page("account", "/me/account")
page("member", "/members/vnu-check")
page("groups", "/groups")
page("group", "/groups/dystonia")
page("thread", f"/posts/{post}")
page("home-signed-in", "/")
for name in ["", "/diary", "/injections", "/medicines", "/charts", "/report", "/settings"]:
    page("tracker" + name.replace("/", "-"), "/tracker" + name)
print(f"fetched {n} pages")
PY

# --errors-only: warnings (e.g. about redundant roles) are advice; errors are not allowed.
if java -jar "$vnu" --errors-only --format gnu "$work"/pages/*.html 2>"$work/vnu.txt"; then
  echo "Nu HTML checker: 0 errors on $(ls "$work/pages" | wc -l) pages"
else
  sed "s|$work/pages/||" "$work/vnu.txt" | head -n 60
  echo "Nu HTML checker: $(grep -c ':' "$work/vnu.txt") errors" >&2
  exit 1
fi
