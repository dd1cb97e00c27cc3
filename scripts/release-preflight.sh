#!/usr/bin/env bash
# Refuses a release that would not work for its users, before anything is
# built: the repository that publishes it must be the one Cargo.toml names
# (`kaplan init` pins its workflows' Install kaplan action there, and the
# action downloads the release from there), and the tag must be Cargo.toml's
# version (the action asks for the archives by that version).
#
#   RELEASE_REPOSITORY=owner/name RELEASE_TAG=v0.1.0 scripts/release-preflight.sh
set -euo pipefail
cd "$(dirname "$0")/.."

repository=${RELEASE_REPOSITORY:?RELEASE_REPOSITORY (owner/name) is required}
tag=${RELEASE_TAG:?RELEASE_TAG (vVERSION) is required}
read -r version declared < <(cargo metadata --no-deps --format-version 1 --offline |
  jq -r '.packages[] | select(.name == "kaplan") | "\(.version) \(.repository)"')

status=0
# GitHub names are case-insensitive.
if [ "${declared,,}" != "https://github.com/${repository,,}" ]; then
  echo "::error file=Cargo.toml::Cargo.toml's repository is $declared, but this release is published from https://github.com/$repository: kaplan init would pin its workflows to a repository without this release. Set repository in Cargo.toml to the one that publishes releases."
  status=1
fi
if [ "$tag" != "v$version" ]; then
  echo "::error file=Cargo.toml::the tag $tag is not Cargo.toml's version $version: the Install kaplan action would look for kaplan-${tag#v}-* archives that kaplan $version does not name. Tag v$version, or set version in Cargo.toml."
  status=1
fi
[ "$status" -ne 0 ] || echo "release-preflight: $repository $tag matches Cargo.toml"
exit "$status"
