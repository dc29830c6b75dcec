"""Ingest throughput on a large generated listing (records/s and peak memory).

    python bench/ingest_listing.py [--entries 20000]

The listing is built from the seed listing's 15 real entries, repeated with varied PMIDs, DOIs and
title words so that every entry is a distinct record; it is written to a temporary folder.
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "fixtures" / "seeds").glob("004_*.txt"))


def build(entries: int) -> str:
    text = SEED.read_text("utf-8")
    blocks = re.split(r"(?m)^(?=\d+\n\|\n)", text)
    blocks = [b for b in blocks if b.strip()]
    out = []
    for n in range(entries):
        block = blocks[n % len(blocks)]
        block = re.sub(r"^\d+\n", f"{n + 1}\n", block, count=1)
        block = re.sub(r"PMID: \d+", f"PMID: {10_000_000 + n}", block)
        block = re.sub(r"DOI: (\S+?)\]", lambda m, n=n: f"DOI: {m.group(1)}.{n}]", block)
        block = block.replace(". ", f". Variant {n}: ", 1) if n >= len(blocks) else block
        out.append(block if block.endswith("\n") else block + "\n")
    return "".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20000)
    args = parser.parse_args()
    import litcorpus

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        (folder / "listing.txt").write_text(build(args.entries), "utf-8")
        size = (folder / "listing.txt").stat().st_size
        start = time.perf_counter()
        report = litcorpus.ingest([folder], db=Path(tmp) / "c.db")
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"listing entries: {args.entries}, file {size / 1e6:.1f} MB")
    print(f"records ingested: {report.records} in {seconds:.2f} s "
          f"= {report.records / seconds:,.0f} records/s; peak RSS {peak:.0f} MB")
    return 0 if report.records == args.entries else 1


if __name__ == "__main__":
    sys.exit(main())
