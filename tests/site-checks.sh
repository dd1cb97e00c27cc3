#!/usr/bin/env bash
# Checks of the generated site that need system packages, run by .ci/run:
#   1. the Nu Html Checker (vnu.jar, from npm) on every generated page: no errors allowed;
#   2. a browser test (tests/site-checks/browser.mjs: playwright-core driving Debian's
#      headless Chromium) at 1280 and 390 px, on the example site in Chinese and in English:
#      no console/page/CSP errors, no horizontal overflow, sorting and filtering of the
#      portfolio, internal links, chart text at 11–16 px, no clipped table or wrapped amount;
#      each dossier within its height budget, the glance's six answers in the first 1,100 px,
#      at most 8 A4 pages in print (the figures are printed); the customer's joint plans
#      (--audience customer) pass the same layout checks; screenshots go to
#      target/site-check-shots/.
# It installs what is missing (Java, Chromium, Node/npm from Debian; npm packages from the
# lockfile), so it runs on a fresh Debian machine as root. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

log "system packages"
missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# Chinese text in the screenshots needs a CJK font.
if command -v fc-list >/dev/null 2>&1; then
  fc-list :lang=zh | grep -q . || missing+=(fonts-noto-cjk)
else
  missing+=(fontconfig fonts-noto-cjk)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt_install "${missing[@]}"
fi
echo "java: $(java -version 2>&1 | head -n1)"
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
echo "node: $(node --version), npm: $(npm --version 2>/dev/null)"
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "playwright-core (tests/site-checks/package.json) needs Node.js 20 or newer; found $(node --version)" >&2
  exit 1
fi

log "npm packages (tests/site-checks/package-lock.json)"
# --ignore-scripts: vnu-jar's postinstall would try to download a JDK; Debian's Java is used.
if ! (cd tests/site-checks && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error); then
  echo "npm ci failed; retrying once" >&2
  sleep 5
  (cd tests/site-checks && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
VNU_JAR=tests/site-checks/node_modules/vnu-jar/build/dist/vnu.jar
[ -f "$VNU_JAR" ] || { echo "missing $VNU_JAR" >&2; exit 1; }

log "build the example site"
cargo build --quiet
rm -rf target/site-check target/site-check-private target/site-check-en target/site-check-customer
mkdir -p target
# The example plans carry intended warnings: show the builds' diagnostics only if a build fails.
build() {
  local out=$1
  shift
  if ! target/debug/kaplan build example-accounts -o "$out" --today 2026-06-30 "$@" >"$out.log" 2>&1; then
    cat "$out.log" >&2
    echo "kaplan build $* failed" >&2
    exit 1
  fi
  tail -n 2 "$out.log"
}
build target/site-check
build target/site-check-private --include-private --base-url /plans/
# The same plans with the site in English.
build target/site-check-en --lang en
# The joint plans a customer may see.
build target/site-check-customer --audience customer --base-url /joint/
rm -rf target/site-check-hostile
if ! target/debug/kaplan build tests/fixtures/hostile -o target/site-check-hostile --today 2026-06-30 --base-url /hostile/ >target/site-check-hostile.log 2>&1; then
  cat target/site-check-hostile.log >&2
  echo "kaplan build tests/fixtures/hostile failed" >&2
  exit 1
fi

passed=0
failed=0

log "Nu Html Checker"
if java -Xss4m -jar "$VNU_JAR" --errors-only --skip-non-html target/site-check target/site-check-private target/site-check-en target/site-check-customer; then
  pages=$(find target/site-check target/site-check-private target/site-check-en target/site-check-customer -name '*.html' | wc -l)
  echo "ok - vnu: no errors in $pages pages"
  passed=$((passed + 1))
else
  echo "not ok - vnu reported errors (above)"
  failed=$((failed + 1))
fi

log "browser test"
# browser.mjs prints its own "N passed, N failed" line; fold it into the total.
browser_out=$(mktemp)
trap 'rm -f "$browser_out"' EXIT
set +e
node tests/site-checks/browser.mjs target/site-check target/site-check-private target/site-check-hostile target/site-check-en target/site-check-customer 2>&1 | tee "$browser_out"
browser_rc=${PIPESTATUS[0]}
set -e
b_passed=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p' "$browser_out" | tail -n1)
b_failed=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p' "$browser_out" | tail -n1)
passed=$((passed + ${b_passed:-0}))
failed=$((failed + ${b_failed:-0}))
if [ "$browser_rc" -ne 0 ] && [ "${b_failed:-0}" -eq 0 ]; then
  failed=$((failed + 1))
fi

echo
echo "site-checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
