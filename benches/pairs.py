#!/usr/bin/env python3
"""Times two commands in alternation, A B A B ..., and prints JSON: the
median wall time of each and the median of the per-pair ratios B/A.

    benches/pairs.py RUNS CLEAN_A 'CMD A' CLEAN_B 'CMD B' ['PREPARE B']

CLEAN_x is a folder deleted before each run of command x ("-" for none);
PREPARE B, when given, runs (unmeasured) before each run of command B.
Commands run without a shell, split like a shell would (shlex). One
unmeasured pair runs first, to warm the caches.

A ratio taken from runs made seconds apart holds when the machine's speed
drifts during the benchmark (a busy neighbour, a slower minute); two
separate series of runs, one after the other, would not.
"""

import json
import shlex
import shutil
import statistics
import subprocess
import sys
import time


def timed(clean, argv, prepare=None):
    if prepare:
        subprocess.run(prepare, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    if clean != "-":
        shutil.rmtree(clean, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main():
    runs = int(sys.argv[1])
    clean_a, cmd_a, clean_b, cmd_b = sys.argv[2:6]
    a_argv, b_argv = shlex.split(cmd_a), shlex.split(cmd_b)
    prepare = shlex.split(sys.argv[6]) if len(sys.argv) > 6 else None
    timed(clean_a, a_argv)
    timed(clean_b, b_argv, prepare)
    a_times, b_times = [], []
    for _ in range(runs):
        a_times.append(timed(clean_a, a_argv))
        b_times.append(timed(clean_b, b_argv, prepare))
    ratios = [b / a for a, b in zip(a_times, b_times)]
    print(json.dumps({
        "a": statistics.median(a_times),
        "b": statistics.median(b_times),
        "ratio": statistics.median(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
    }))


if __name__ == "__main__":
    main()
