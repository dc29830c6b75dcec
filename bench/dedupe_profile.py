"""Where dedupe's time and memory go, stage by stage, on an ingested corpus.

    python bench/dedupe_profile.py CORPUS.db [--functions 25]

Runs `litcorpus.dedupe.dedupe` itself on the corpus (it replaces the corpus's dedupe output, as a
dedupe run does) and reads its stages through its `progress` callback: for each stage, printed as
it ends, the CPU seconds of the process and its forked children (the machine may be shared), the
resident memory when it ended, and the peak so far.
With --functions N, cProfile's top N functions by cumulative time follow (cProfile slows Python
code about 2-3x, so its seconds are only for comparing functions with each other). Make a corpus
with `python bench/dedupe_scale.py --sizes 100000 --keep DIR`.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import time

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--functions", type=int, default=0, help="also profile with cProfile")
    args = parser.parse_args()
    from litcorpus.corpus import Corpus
    from litcorpus.dedupe import dedupe

    marks: list[tuple[str, float, float, float, float]] = []

    def cpu() -> float:  # this process and its forked children (keys and comparing use them)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    def progress(stage: str, done: int, total: int) -> None:
        marks.append((stage, cpu(), time.perf_counter(), rss_mb(), peak_mb()))
        if len(marks) == 1:
            print(f"{'stage':<14}{'CPU s':>8}{'wall s':>8}{'MB after':>10}{'peak MB':>9}", flush=True)
        else:  # each stage as it ends: a long run shows where it is
            (name, cpu1, wall1, _, _), (_, cpu2, wall2, rss, peak) = marks[-2:]
            print(f"{name:<14}{cpu2 - cpu1:>8.2f}{wall2 - wall1:>8.2f}{rss:>10.0f}{peak:>9.0f}",
                  flush=True)

    start_rss = rss_mb()
    profiler = cProfile.Profile() if args.functions else None
    with Corpus(args.db, create=False) as corpus:
        if profiler:
            profiler.enable()
        report = dedupe(corpus, progress=progress)
        if profiler:
            profiler.disable()
    print(f"{'total':<14}{marks[-1][1] - marks[0][1]:>8.2f}{marks[-1][2] - marks[0][2]:>8.2f}"
          f"{'':>10}{peak_mb():>9.0f}")
    print(f"{report.records_in:,} records in, {report.records_out:,} out; "
          f"{start_rss:.0f} MB resident before dedupe; a forked child's peak "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")
    if profiler:
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(args.functions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
