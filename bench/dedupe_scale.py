"""Dedupe time and peak memory as the corpus grows (10,000 -> 100,000 [-> 1,000,000] records).

    python bench/dedupe_scale.py [--sizes 10000,100000,1000000]

Ingest and dedupe run in separate processes, so each peak is that stage's own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INGEST = """
import json, resource, sys, time
import litcorpus
start = time.perf_counter()
litcorpus.ingest([sys.argv[1]], db=sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - start,
                  "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
DEDUPE = """
import json, resource, sys, time
from litcorpus.corpus import Corpus
from litcorpus.dedupe import dedupe
start = time.perf_counter()
with Corpus(sys.argv[1]) as corpus:
    report = dedupe(corpus)
print(json.dumps({"seconds": time.perf_counter() - start, "records_out": report.records_out,
                  "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(code: str, *args: str) -> dict:
    """Run one stage in its own process, so that its peak memory is its own."""
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    print(f"{'records':>9}{'ingest s':>10}{'ingest MB':>11}{'dedupe s':>10}{'dedupe MB':>11}"
          f"{'records out':>13}")
    for size in map(int, args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            table, db = Path(tmp) / "corpus.csv", str(Path(tmp) / "c.db")
            subprocess.run([sys.executable, str(ROOT / "bench/generate_corpus.py"), str(size),
                            str(table)], check=True)
            ingest = _run(INGEST, str(table), db)
            dedupe = _run(DEDUPE, db)
        print(f"{size:>9}{ingest['seconds']:>10.1f}{ingest['mb']:>11.0f}{dedupe['seconds']:>10.1f}"
              f"{dedupe['mb']:>11.0f}{dedupe['records_out']:>13}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
