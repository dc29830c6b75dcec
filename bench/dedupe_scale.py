"""Dedupe time and peak memory as the corpus grows (10,000 -> 100,000 [-> 1,000,000] records).

    python bench/dedupe_scale.py [--sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = """
import json, resource, sys, time
import litcorpus
from litcorpus.corpus import Corpus
from litcorpus.dedupe import dedupe
start = time.perf_counter()
litcorpus.ingest([sys.argv[1]], db=sys.argv[2])
ingested = time.perf_counter()
with Corpus(sys.argv[2]) as corpus:
    report = dedupe(corpus)
done = time.perf_counter()
print(json.dumps({"ingest": ingested - start, "dedupe": done - ingested,
                  "records_in": report.records_in, "records_out": report.records_out,
                  "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    print(f"{'records':>9}{'ingest s':>10}{'dedupe s':>10}{'records out':>13}{'peak MB':>9}")
    for size in map(int, args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            table = Path(tmp) / "corpus.csv"
            subprocess.run([sys.executable, str(ROOT / "bench/generate_corpus.py"), str(size),
                            str(table)], check=True)
            out = subprocess.run([sys.executable, "-c", CODE, str(table), str(Path(tmp) / "c.db")],
                                 capture_output=True, text=True, check=True)
            row = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{size:>9}{row['ingest']:>10.1f}{row['dedupe']:>10.1f}{row['records_out']:>13}"
              f"{row['mb']:>9.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
