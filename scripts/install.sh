#!/usr/bin/env bash
# Installs a released kaplan binary, its SHA-256 checked, into a folder.
#
#   KAPLAN_VERSION=0.1.0 KAPLAN_REPOSITORY=owner/kaplan scripts/install.sh DIR
#
# Environment:
#   KAPLAN_VERSION     the release, without the leading `v` (required)
#   KAPLAN_REPOSITORY  `owner/name` of the repository that publishes releases
#   KAPLAN_BASE_URL    where the release's files are (default: that
#                      repository's GitHub release `vVERSION`)
#   KAPLAN_TARGET      the target triple (default: this machine's)
#
# Exit status: 0 installed (DIR/kaplan, or kaplan.exe on Windows);
# 3 no release binary fits this machine (the caller may build from source);
# 1 anything else, a checksum that does not match among them: nothing is
# installed then.
set -euo pipefail

dir=${1:?usage: install.sh DIR}
version=${KAPLAN_VERSION:?KAPLAN_VERSION is required, e.g. 0.1.0}
case "$version" in
  *[!0-9A-Za-z.+-]*|'') echo "install.sh: not a version: $version" >&2; exit 1 ;;
esac

target=${KAPLAN_TARGET:-}
if [ -z "$target" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) target=x86_64-unknown-linux-musl ;;
    Linux-aarch64|Linux-arm64) target=aarch64-unknown-linux-musl ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    Darwin-x86_64) target=x86_64-apple-darwin ;;
    MINGW*-x86_64|MSYS*-x86_64|CYGWIN*-x86_64) target=x86_64-pc-windows-msvc ;;
    *) echo "install.sh: no kaplan release for $(uname -s) $(uname -m)" >&2; exit 3 ;;
  esac
fi

base=${KAPLAN_BASE_URL:-}
if [ -z "$base" ]; then
  repo=${KAPLAN_REPOSITORY:?KAPLAN_REPOSITORY or KAPLAN_BASE_URL is required}
  base="https://github.com/$repo/releases/download/v$version"
fi

case "$target" in
  *windows*) archive="kaplan-$version-$target.zip"; binary=kaplan.exe ;;
  *) archive="kaplan-$version-$target.tar.gz"; binary=kaplan ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {
  curl --proto '=https,http' --fail --silent --show-error --location \
    --retry 3 --max-time 120 --output "$2" "$1"
}

if ! fetch "$base/$archive.sha256" "$work/sum"; then
  echo "install.sh: no $archive in the release (at $base)" >&2
  exit 3
fi
fetch "$base/$archive" "$work/$archive"

expected=$(awk 'NR == 1 { print $1 }' "$work/sum")
if command -v sha256sum >/dev/null; then
  actual=$(sha256sum "$work/$archive" | awk '{ print $1 }')
else
  actual=$(shasum -a 256 "$work/$archive" | awk '{ print $1 }')
fi
if [ "${#expected}" -ne 64 ] || [ "$expected" != "$actual" ]; then
  echo "install.sh: checksum mismatch for $archive: expected $expected, got $actual; nothing installed" >&2
  exit 1
fi

mkdir -p "$work/x"
case "$archive" in
  *.zip) unzip -q "$work/$archive" -d "$work/x" ;;
  *) tar -xzf "$work/$archive" -C "$work/x" ;;
esac
found=$(find "$work/x" -type f -name "$binary" | head -n 1)
if [ -z "$found" ]; then
  echo "install.sh: $archive holds no $binary" >&2
  exit 1
fi
mkdir -p "$dir"
install -m 0755 "$found" "$dir/$binary"
echo "installed kaplan $version ($target) into $dir"
