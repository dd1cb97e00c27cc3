#!/usr/bin/env python3
"""Turns a generated plans folder (`cargo bench --bench generate`) into a git
repository with history, deterministically:

    benches/history_repo.py PLANS COMMITS

Round 0 adds each account in a commit of its own; each later round commits
every account's plan once more with its amounts scaled (so each version has
other figures). COMMITS is the number of rounds, so the repository has
accounts × COMMITS commits, one every few minutes up to 2026-06-29. The
work tree ends as the last round left it. Written with `git fast-import`.
"""

import os
import re
import subprocess
import sys

AMOUNT = re.compile(rb"^(\s*(?:- )?(?:amount|cost|target): )(\d+)$", re.M)
END = 1782691200  # 2026-06-29 00:00 UTC


def scaled(plan, factor):
    return AMOUNT.sub(lambda m: m.group(1) + str(round(int(m.group(2)) * factor)).encode(), plan)


def files_of(folder):
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            out.append(os.path.relpath(path, folder))
    return out


def main():
    root, rounds = sys.argv[1], int(sys.argv[2])
    accounts = sorted(os.listdir(os.path.join(root, "accounts")))
    total = len(accounts) * rounds
    step = 300  # five minutes
    start = END - total * step
    subprocess.run(["git", "init", "-q", "-b", "main", root], check=True)
    git = subprocess.Popen(["git", "-C", root, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    out = git.stdin
    n = 0

    def commit(message, files):
        nonlocal n
        out.write(b"commit refs/heads/main\n")
        out.write(b"committer Bench <bench@example.com> %d +0000\n" % (start + n * step))
        msg = message.encode()
        out.write(b"data %d\n%s\n" % (len(msg), msg))
        if n == 0:
            with open(os.path.join(root, "kaplan.toml"), "rb") as f:
                files = [("kaplan.toml", f.read())] + files
        for path, data in files:
            out.write(b"M 100644 inline %s\ndata %d\n" % (path.encode(), len(data)))
            out.write(data + b"\n")
        n += 1

    plans = {}
    for a in accounts:
        folder = os.path.join(root, "accounts", a)
        files = []
        for rel in files_of(folder):
            with open(os.path.join(folder, rel), "rb") as f:
                data = f.read()
            if rel == "plan.yaml":
                plans[a] = data
                data = scaled(data, 1.0 - 0.01 * (rounds - 1))
            files.append((f"accounts/{a}/{rel}", data))
        commit(f"Add {a}", files)
    for r in range(1, rounds):
        for a in accounts:
            plan = scaled(plans[a], 1.0 - 0.01 * (rounds - 1 - r))
            commit(f"Update {a} ({r})", [(f"accounts/{a}/plan.yaml", plan)])
    out.close()
    if git.wait() != 0:
        sys.exit("git fast-import failed")
    # The work tree as the last round left it (its plans are the generated ones).
    subprocess.run(["git", "-C", root, "reset", "-q", "--hard", "main"], check=True)


if __name__ == "__main__":
    main()
