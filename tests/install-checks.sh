#!/usr/bin/env bash
# Checks the release side: the Install kaplan action's script against a
# release served from 127.0.0.1 (a good checksum installs, a bad one is
# refused, a missing target asks for a build from source), and zizmor on
# the action and the release workflow. Run by .ci/run after `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "install-checks: $*" >&2; exit 1; }
command -v zizmor > /dev/null || python3 -m pip install -q zizmor
cargo build --quiet
version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
target=x86_64-unknown-linux-musl

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT

# A release as the workflow publishes it: the archive and its checksum.
release="$work/release"
name="kaplan-$version-$target"
mkdir -p "$release" "$work/$name"
cp target/debug/kaplan README.md "$work/$name/"
tar -czf "$release/$name.tar.gz" -C "$work" "$name"
sha256sum "$release/$name.tar.gz" | awk '{ print $1 }' > "$release/$name.tar.gz.sha256"

# Served from 127.0.0.1 on a free port, for a bounded time.
python3 - "$release" > "$work/port" <<'PY' &
import functools, http.server, sys, threading
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
handler = functools.partial(Quiet, directory=sys.argv[1])
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(httpd.server_address[1], flush=True)
threading.Timer(120, httpd.shutdown).start()
httpd.serve_forever()
PY
server=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
[ -n "$port" ] || fail "the release server did not start"
base="http://127.0.0.1:$port"

install() {
  KAPLAN_VERSION="$version" KAPLAN_BASE_URL="$base" KAPLAN_TARGET="$1" \
    scripts/install.sh "$2"
}

# A good checksum: installed, and the binary runs.
started=$(date +%s%N)
install "$target" "$work/bin" > /dev/null || fail "a good release was not installed"
took=$(( ($(date +%s%N) - started) / 1000000 ))
"$work/bin/kaplan" --version | grep -q "^kaplan $version" || fail "the installed kaplan does not run"
echo "install-checks: installed kaplan $version from $base in $took ms"

# A bad checksum: refused, nothing installed.
echo "0000000000000000000000000000000000000000000000000000000000000000" > "$release/$name.tar.gz.sha256"
set +e
install "$target" "$work/bad" 2> "$work/err"
status=$?
set -e
[ "$status" -eq 1 ] || fail "a bad checksum gave status $status, not 1"
grep -q "checksum mismatch" "$work/err" || fail "a bad checksum was not named: $(cat "$work/err")"
[ ! -e "$work/bad/kaplan" ] || fail "a release with a bad checksum was installed"

# No binary for the target: status 3, which makes the action build from source.
set +e
install aarch64-apple-darwin "$work/none" 2> /dev/null
status=$?
set -e
[ "$status" -eq 3 ] || fail "a missing target gave status $status, not 3"

# A version that is not one is refused before anything is fetched.
set +e
KAPLAN_VERSION='1.0;rm -rf /' KAPLAN_BASE_URL="$base" scripts/install.sh "$work/x" 2> /dev/null
status=$?
set -e
[ "$status" -eq 1 ] || fail "a malformed version gave status $status, not 1"

zizmor --offline action.yml .github/workflows/release.yml
echo "install-checks: 5 passed, 0 failed"
