"""Whether two checkouts of litcorpus store the same corpus: every stored record, origin, failure
and outcome, byte for byte, on every fixture, ../shared/formats and the RIS file with abstracts.

    python bench/ingest_identical.py --against CHECKOUT [--jobs 1,2] [--extra PATH ...]

CHECKOUT is another checkout of litcorpus (`git worktree add /tmp/main main`, or `git archive main`
unpacked). For each number of jobs, each checkout ingests the same inputs (by the same paths) into a
fresh corpus in its own process, and the corpus tables are dumped: `sources` without its row ID
and time of ingest, `records` (ID, source, place, JSON as stored) and `failures`. The dumps are
compared row by row; the first difference of each table is printed. Exit status 1 when they differ.
Made for speed work on ingest (issue 17.5), where what is stored must not change.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DUMP = """
import sys
import litcorpus
litcorpus.ingest(sys.argv[3:], db=sys.argv[1], jobs=int(sys.argv[2]))
"""
TABLES = {
    "sources": "SELECT file, member, sha256, format, status, records, message, database FROM sources "
               "ORDER BY id",
    "records": "SELECT id, source, seq, data FROM records ORDER BY source, seq",
    "failures": "SELECT source, line, reason, raw FROM failures ORDER BY rowid",
}


def inputs(extra: list[str], tmp: Path) -> list[str]:
    """The fixtures, ../shared/formats (when present), the RIS file with abstracts, and `extra`."""
    paths = [str(ROOT / "fixtures")]
    if (SHARED / "formats").is_dir():
        paths.append(str(SHARED / "formats"))
    sys.path.insert(0, str(ROOT / "bench"))
    import parse_vs_rispy

    abstracts = tmp / "abstracts.ris"
    if parse_vs_rispy.write_abstracts_ris(abstracts):
        paths.append(str(abstracts))
    return paths + extra


def ingest(checkout: Path, db: Path, jobs: int, paths: list[str]) -> dict[str, list[tuple]]:
    """The corpus tables after `checkout` ingests `paths` into `db`, in a process of its own."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "PYTHONHASHSEED": "0"}
    subprocess.run([sys.executable, "-c", DUMP, str(db), str(jobs), *paths], env=env, check=True,
                   cwd=checkout)
    with sqlite3.connect(db) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in TABLES.items()}


def digest(rows: list[tuple]) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, required=True, help="the other checkout")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--extra", nargs="*", default=[], help="more files or folders to ingest")
    args = parser.parse_args()
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        paths = inputs(args.extra, Path(tmp))
        print("inputs:", *paths, sep="\n  ")
        for jobs in map(int, args.jobs.split(",")):
            ours = ingest(ROOT, Path(tmp) / f"ours{jobs}.db", jobs, paths)
            theirs = ingest(args.against.resolve(), Path(tmp) / f"theirs{jobs}.db", jobs, paths)
            for table in TABLES:
                a, b = ours[table], theirs[table]
                equal = a == b
                same &= equal
                print(f"jobs={jobs} {table:<9} {len(a):>6} rows here, {len(b):>6} there: "
                      + ("identical " + digest(a) if equal else "DIFFERENT"))
                if not equal:
                    for n, (x, y) in enumerate(zip(a, b, strict=False)):
                        if x != y:
                            print(f"  first difference, row {n}:\n    here:  {str(x)[:600]}\n"
                                  f"    there: {str(y)[:600]}")
                            break
    print("stored corpora identical" if same else "stored corpora DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
