#!/usr/bin/env bash
# kaplan's benchmarks: check, build and serve at N = 100, 1,000 and 10,000
# accounts, against kaplan's floor (read + parse YAML + render Markdown +
# write one file per account, on two threads).
#
#   benches/run.sh            # all sizes
#   benches/run.sh 100 1000   # some sizes
#   BASELINE=old/kaplan benches/run.sh 1000
#                             # also an earlier kaplan's check and build,
#                             # against the same floor in the same run
#
#   benches/run.sh history 1000x5 1000x20 10000x10
#                             # history: accounts x commits per account
#                             # (benches/history_repo.py), build and check
#                             # with .git against the same plans without
#
# Inputs and the tmpfs output live in /dev/shm; the disk output in target/.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }

# Fields of a benches/pairs.py result, in the order asked.
pair() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join("%.4f" % d[k] for k in sys.argv[2:]))' "$@"; }
peak_mib() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {printf "%.0f", $2/1024}'; }

if [ "${1:-}" = history ]; then
  shift
  specs=("$@")
  [ ${#specs[@]} -gt 0 ] || specs=(1000x5 1000x20 1000x50 10000x10)
  cargo build --release --quiet
  cargo bench --no-run --quiet --bench generate --bench serve_latency 2>/dev/null
  generate=$(ls -t target/release/deps/generate-* | grep -v '\.d$' | head -1)
  latency=$(ls -t target/release/deps/serve_latency-* | grep -v '\.d$' | head -1)
  kaplan=target/release/kaplan
  work=/dev/shm/kaplan-bench
  mkdir -p "$work"
  results=target/bench-history.txt
  : > "$results"
  for spec in "${specs[@]}"; do
    n=${spec%x*}; c=${spec#*x}
    pairs=7; [ "$n" -ge 10000 ] && pairs=3
    plain="$work/plain-$n"; repo="$work/history-$spec"
    "$generate" "$n" "$plain" >/dev/null
    rm -rf "$repo" && cp -r "$plain" "$repo" && benches/history_repo.py "$repo" "$c"
    out="$work/out-$spec"; plain_out="$work/plain-out-$n"
    # One new commit before each run: a line more in one plan.
    plan="$repo/accounts/$(ls "$repo/accounts" | sed -n 1p)/plan.yaml"
    printf 'echo "# $(date +%%s%%N)" >> %s && git -C %s -c user.name=b -c user.email=b@example.com commit -qam edit\n' "$plan" "$repo" > "$work/commit.sh"
    base="$kaplan build $plain -o $plain_out"; with="$kaplan build $repo -o $out"
    benches/pairs.py "$pairs" "$plain_out" "$base" "$out" "$with --no-cache" > "$work/cold.json"
    $with >/dev/null 2>&1 || true
    benches/pairs.py "$pairs" "$plain_out" "$base" "$out" "$with" > "$work/warm.json"
    benches/pairs.py "$pairs" "$plain_out" "$base" "$out" "$with" "sh $work/commit.sh" > "$work/commit.json"
    benches/pairs.py "$pairs" - "$kaplan check $plain --format json" - "$kaplan check $repo --format json --no-cache" > "$work/check-cold.json"
    benches/pairs.py "$pairs" - "$kaplan check $plain --format json" - "$kaplan check $repo --format json" > "$work/check-warm.json"
    mem_cold=$(peak_mib $with --no-cache); mem_warm=$(peak_mib $with)
    serve=$("$latency" "$repo" | sed -n 1p)
    read -r pb cold cold_r < <(pair "$work/cold.json" a b ratio)
    read -r warm warm_r < <(pair "$work/warm.json" b ratio)
    read -r commit commit_r < <(pair "$work/commit.json" b ratio)
    read -r pc check_cold check_cold_r < <(pair "$work/check-cold.json" a b ratio)
    read -r check_warm check_warm_r < <(pair "$work/check-warm.json" b ratio)
    {
      echo "$n accounts x $c commits each ($((n * c)) commits; medians of $pairs alternating pairs, ratios to the plain folder)"
      echo "  build: plain $pb s; with .git cold $cold s = ${cold_r} x, warm $warm s = ${warm_r} x, one new commit $commit s = ${commit_r} x; peak $mem_cold MiB cold, $mem_warm MiB warm"
      echo "  check: plain $pc s; with .git cold $check_cold s = ${check_cold_r} x, warm $check_warm s = ${check_warm_r} x"
      echo "  serve (warm): $serve"
    } | tee -a "$results"
    rm -rf "$out" "$plain_out"
  done
  echo "results in $results"
  exit 0
fi

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

for n in "${sizes[@]}"; do
  runs=5; [ "$n" -ge 10000 ] && runs=3
  pairs=11; [ "$n" -ge 10000 ] && pairs=5
  repo="$work/repo-$n"
  "$generate" "$n" "$repo" >/dev/null
  input_mb=$(du -sm "$repo" | cut -f1)
  out_tmp="$work/out-$n"; out_disk="target/bench-out-$n"
  # Each command against its floor in alternating runs: the ratio is the
  # median of the ratios of runs made seconds apart. Like the floor, build
  # starts without an output folder.
  benches/pairs.py "$pairs" - "$floor $repo" - "$kaplan check $repo --format json" > "$work/check.json"
  benches/pairs.py "$pairs" "$work/floor-out" "$floor $repo $work/floor-out" "$out_tmp" "$kaplan build $repo -o $out_tmp" > "$work/build.json"
  # "replace" builds over the previous site, which kaplan then deletes.
  hyperfine --style none --runs "$runs" --warmup 1 -i --export-json "$work/replace.json" "$kaplan build $repo -o $out_tmp" >/dev/null
  hyperfine --style none --runs "$runs" --warmup 1 -i --export-json "$work/build-disk.json" --prepare "rm -rf $out_disk" "$kaplan build $repo -o $out_disk" >/dev/null
  if [ -n "${BASELINE:-}" ]; then
    benches/pairs.py "$pairs" - "$floor $repo" - "$BASELINE check $repo --format json" > "$work/check-base.json"
    benches/pairs.py "$pairs" "$work/floor-out" "$floor $repo $work/floor-out" "$out_tmp" "$BASELINE build $repo -o $out_tmp" > "$work/build-base.json"
    read -r bc bcr < <(pair "$work/check-base.json" b ratio)
    read -r bb bbr bbmin bbmax < <(pair "$work/build-base.json" b ratio ratio_min ratio_max)
    echo "N=$n baseline ($BASELINE): check ${bc} s = ${bcr} x parse floor; build ${bb} s = ${bbr} x floor (${bbmin}-${bbmax})" | tee -a "$results"
  fi
  read -r parse check check_ratio < <(pair "$work/check.json" a b ratio)
  read -r fl build build_ratio build_min build_max < <(pair "$work/build.json" a b ratio ratio_min ratio_max)
  disk=$(median "$work/build-disk.json")
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
  python3 - "$n" "$input_mb" "$parse" "$fl" "$check" "$build" "$disk" "$mem_check" "$mem_build" "$files" "$bytes" "$serve" "$replace" "$check_ratio" "$build_ratio" "$build_min" "$build_max" "$pairs" <<'PY' | tee -a "$results"
import sys
n, mb, parse, floor, check, build, disk, mc, mb_, files, bytes_, serve, replace, cr, br, bmin, bmax, pairs = sys.argv[1:]
n = int(n); parse, floor, check, build, disk, replace, cr, br, bmin, bmax = map(float, (parse, floor, check, build, disk, replace, cr, br, bmin, bmax))
print(f"N={n:>6}  input {mb} MB  (medians of {pairs} alternating runs; ratios: median of the per-pair ratios)")
print(f"  parse floor {parse:7.3f} s   check {check:7.3f} s  = {cr:4.2f} x parse floor   ({check/n*1e3:.2f} ms/account)  peak {mc} MiB")
print(f"  floor       {floor:7.3f} s   build {build:7.3f} s  = {br:4.2f} x floor ({bmin:.2f}-{bmax:.2f})   ({build/n*1e3:.2f} ms/account)  peak {mb_} MiB")
print(f"  build over the previous site {replace:.3f} s; build to disk {disk:.3f} s; output {files} files, {int(bytes_)/1e6:.1f} MB")
print(f"  serve: {serve}")
PY
  rm -rf "$out_disk" "$work/floor-out"
done
# Instructions are steadier than times on a shared machine: callgrind counts
# them for one build and one floor at the smallest size (about half a minute).
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
n=${sizes[0]}; repo="$work/repo-$n"
instr() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/Collected/ {print $4}'; }
rm -rf "$work/floor-out" "$work/out-$n"
floor_instr=$(instr "$floor" "$repo" "$work/floor-out")
build_instr=$(instr "$kaplan" build "$repo" -o "$work/out-$n")
python3 -c 'import sys; n, f, b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]); print(f"instructions at N={n} (callgrind): floor {f/1e6:.0f}M, build {b/1e6:.0f}M = {b/f:.2f} x floor")' \
  "$n" "$floor_instr" "$build_instr" | tee -a "$results"
rm -rf "$work/floor-out"
echo "results in $results"
