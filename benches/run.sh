#!/usr/bin/env bash
# kaplan's benchmarks: check, build and serve at N = 100, 1,000 and 10,000
# accounts, against kaplan's floor (read + parse YAML + render Markdown +
# write one file per account, on two threads).
#
#   benches/run.sh            # all sizes
#   benches/run.sh 100 1000   # some sizes
#
# Inputs and the tmpfs output live in /dev/shm; the disk output in target/.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)

cargo build --release --quiet
cargo bench --no-run --quiet --bench generate --bench floor --bench serve_latency 2>/dev/null
bench_bin() { ls -t target/release/deps/"$1"-* | grep -v '\.d$' | head -1; }
generate=$(bench_bin generate)
floor=$(bench_bin floor)
latency=$(bench_bin serve_latency)
kaplan=target/release/kaplan
work=/dev/shm/kaplan-bench
mkdir -p "$work"
results=target/bench-results.txt
: > "$results"

median() { python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"; }
peak_mib() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {printf "%.0f", $2/1024}'; }

for n in "${sizes[@]}"; do
  runs=5; [ "$n" -ge 10000 ] && runs=3
  repo="$work/repo-$n"
  "$generate" "$n" "$repo" >/dev/null
  input_mb=$(du -sm "$repo" | cut -f1)
  out_tmp="$work/out-$n"; out_disk="target/bench-out-$n"
  hyperfine --style none --runs "$runs" --warmup 1 --export-json "$work/floor-parse.json" "$floor $repo" >/dev/null
  hyperfine --style none --runs "$runs" --warmup 1 --export-json "$work/floor.json" --prepare "rm -rf $work/floor-out" "$floor $repo $work/floor-out" >/dev/null
  hyperfine --style none --runs "$runs" --warmup 1 -i --export-json "$work/check.json" "$kaplan check $repo --format json" >/dev/null
  # Like the floor, build starts without an output folder; "replace" builds
  # over the previous site, which kaplan then deletes.
  hyperfine --style none --runs "$runs" --warmup 1 -i --export-json "$work/build.json" --prepare "rm -rf $out_tmp" "$kaplan build $repo -o $out_tmp" >/dev/null
  hyperfine --style none --runs "$runs" --warmup 1 -i --export-json "$work/replace.json" "$kaplan build $repo -o $out_tmp" >/dev/null
  hyperfine --style none --runs "$runs" --warmup 1 -i --export-json "$work/build-disk.json" --prepare "rm -rf $out_disk" "$kaplan build $repo -o $out_disk" >/dev/null
  parse=$(median "$work/floor-parse.json"); fl=$(median "$work/floor.json")
  check=$(median "$work/check.json"); build=$(median "$work/build.json"); disk=$(median "$work/build-disk.json")
  replace=$(median "$work/replace.json")
  mem_check=$(peak_mib "$kaplan" check "$repo" --format json)
  mem_build=$(peak_mib "$kaplan" build "$repo" -o "$out_tmp")
  files=$(find "$out_tmp" -type f | wc -l); bytes=$(du -sb "$out_tmp" | cut -f1)
  serve=$("$latency" "$repo" | tr '\n' ' ')
  # The same in a git repository (history read on every save).
  rm -rf "$work/git-$n" && cp -r "$repo" "$work/git-$n"
  git -C "$work/git-$n" init -q && git -C "$work/git-$n" add -A
  git -C "$work/git-$n" -c user.name=bench -c user.email=bench@example.com commit -qm plans
  serve="$serve | in git: $("$latency" "$work/git-$n" | tail -2 | tr '\n' ' ')"
  rm -rf "$work/git-$n"
  python3 - "$n" "$input_mb" "$parse" "$fl" "$check" "$build" "$disk" "$mem_check" "$mem_build" "$files" "$bytes" "$serve" "$replace" <<'PY' | tee -a "$results"
import sys
n, mb, parse, floor, check, build, disk, mc, mb_, files, bytes_, serve, replace = sys.argv[1:]
n = int(n); parse, floor, check, build, disk, replace = map(float, (parse, floor, check, build, disk, replace))
print(f"N={n:>6}  input {mb} MB")
print(f"  parse floor {parse:7.3f} s   check {check:7.3f} s  = {check/parse:4.2f} x parse floor   ({check/n*1e3:.2f} ms/account)  peak {mc} MiB")
print(f"  floor       {floor:7.3f} s   build {build:7.3f} s  = {build/floor:4.2f} x floor   ({build/n*1e3:.2f} ms/account)  peak {mb_} MiB")
print(f"  build over the previous site {replace:.3f} s; build to disk {disk:.3f} s; output {files} files, {int(bytes_)/1e6:.1f} MB")
print(f"  serve: {serve}")
PY
  rm -rf "$out_disk" "$work/floor-out"
done
echo "results in $results"
