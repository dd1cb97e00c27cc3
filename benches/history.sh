#!/usr/bin/env bash
# What reading git history costs a build: a plans repository with 1,000
# accounts and 5,000 commits (the first adds every plan, each later one
# edits one plan), generated with `git fast-import`, built with its history
# and as a plain folder (the same files without .git).
#
#   benches/history.sh                  # 1,000 accounts, 5,000 commits
#   benches/history.sh 1000 5000 3      # accounts, commits, runs per case
#
# Set KAPLAN to a binary to skip `cargo build --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

accounts=${1:-1000}
commits=${2:-5000}
runs=${3:-3}
kaplan=${KAPLAN:-target/release/kaplan}
[ -n "${KAPLAN:-}" ] || cargo build --release --quiet
work=$(mktemp -d "${TMPDIR:-/tmp}/kaplan-history-bench.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

# One plan: clean except for its numbers, which change from commit to commit.
plan() { # id target probability reviewed
    cat <<YAML
account:
  name: Account $1
  industry: telecom
  owner: zhang-wei
  tier: gold
  stage: cooperative
period: { start: 2026-01-01, end: 2026-12-31 }
objectives:
  - id: grow
    title: Grow the account
    why: They need a partner.
    metric: contracted revenue
    target: $2
    due: 2026-12-31
stakeholders:
  - id: li-ming
    name: Li Ming
    role: economic-buyer
    influence: 5
    attitude: supporter
    last_contact: 2026-06-10
  - id: wu-fang
    name: Wu Fang
    role: coach
    influence: 3
    attitude: champion
team:
  - id: zhang-wei
    name: Zhang Wei
    role: account-manager
  - id: chen-jie
    name: Chen Jie
    role: executive-sponsor
strategies:
  - id: align
    title: Executive alignment
    objectives: [grow]
actions:
  - id: workshop
    title: Roadmap workshop
    strategy: align
    owner: zhang-wei
    stakeholders: [li-ming]
    due: 2026-09-15
    where: HQ
    status: planned
    cost: 30000
milestones:
  - id: budget
    title: Budget cycle opens
    date: 2026-09-01
    where: HQ
costs:
  - item: Pilot
    category: pilot
    amount: 800000
returns:
  - item: Contract
    objective: grow
    amount: 3000000
    probability: $3
review:
  last_reviewed: $4
  by: chen-jie
scorecard:
  - criterion: Market leader
    weight: 8
    score: 7
YAML
}

data() { printf 'data %d\n%s\n' "${#1}" "$1"; }

echo "generating $accounts accounts and $commits commits in $work/repo ..." >&2
start=$(date +%s%N)
mkdir -p "$work/repo"
git -C "$work/repo" init -q -b main
epoch=1735732800 # 2025-01-01 12:00 UTC; one commit every 3 hours
{
    printf 'commit refs/heads/main\ncommitter Zhang Wei <zw@example.com> %d +0000\n' "$epoch"
    data "Initial plans"
    for ((a = 0; a < accounts; a++)); do
        id=$(printf 'acct-%04d' "$a")
        printf 'M 100644 inline accounts/%s/plan.yaml\n' "$id"
        data "$(plan "$id" 20000000 0.6 2026-05-01)"
    done
    printf 'M 100644 inline kaplan.toml\n'
    data $'language = "en"\ntoday = "2026-06-30"'
    for ((c = 1; c < commits; c++)); do
        a=$(((c * 7919) % accounts))
        id=$(printf 'acct-%04d' "$a")
        printf 'commit refs/heads/main\ncommitter Zhang Wei <zw@example.com> %d +0000\n' "$((epoch + c * 10800))"
        data "Update $id ($c)"
        printf 'M 100644 inline accounts/%s/plan.yaml\n' "$id"
        data "$(plan "$id" $((18000000 + c * 1000)) "0.$((c % 9 + 1))" 2026-05-01)"
    done
} | git -C "$work/repo" fast-import --quiet
git -C "$work/repo" reset -q --hard main
cp -r "$work/repo" "$work/plain"
rm -rf "$work/plain/.git"
echo "generated in $((($(date +%s%N) - start) / 1000000)) ms" >&2

best() { # label dir: prints the label and the best time to stderr, the time to stdout
    local ms best=
    for ((r = 0; r < runs; r++)); do
        rm -rf "$work/out"
        local t0 t1
        t0=$(date +%s%N)
        "$kaplan" build "$2" -o "$work/out" >/dev/null 2>&1
        t1=$(date +%s%N)
        ms=$(((t1 - t0) / 1000000))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    printf '%-28s %6d ms (best of %d)\n' "$1" "$best" "$runs" >&2
    echo "$best"
}

echo "kaplan build, $accounts accounts:"
plain=$(best "plain folder (no history)" "$work/plain")
with=$(best "git, $commits commits" "$work/repo")
echo "history adds $((with - plain)) ms"
