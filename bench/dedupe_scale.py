"""Dedupe time and peak memory as the corpus grows (10,000 -> 100,000 [-> 1,000,000] records).

    python bench/dedupe_scale.py [--sizes 10000,100000,1000000] [--no-recall] [--keep DIR]
                                 [--reuse] [--baseline PYTHON]

Corpora come from bench/generate_corpus.py, which knows each record's work. Generation, ingest
and dedupe each run in their own process, so each peak is that stage's own. For every size:
seconds (wall and, for dedupe, CPU of the process and its children) and peak MB per stage (for
dedupe also the largest child's: a forked process that compares a share of the pairs), records
out against the ideal (the number of works), false merges (clusters that join records of
different works) and missed records (copies left apart), and the growth from one size to the
next. Then the blocking recall of the blocking in use on the labelled sets in ../shared/dedupe
(true pairs that share a block, so that a cap never costs one there). With --keep DIR --reuse, a
corpus kept there by an earlier run is deduped again without generating or ingesting it. With
--baseline PYTHON (another checkout's interpreter, e.g. main's `.venv/bin/python`), that
checkout's dedupe runs on the same corpus right after, in its own process, and its line follows
(`base`), with how many clusters differ.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "dedupe"
LABELLED = ("special_cases", "stroke", "cytology_screening", "digital_work")
PEAK = "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024"
# CPU seconds of the stage and its children: on a shared machine they move less than wall time
CPU = ("sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, "
       "resource.RUSAGE_CHILDREN) for f in ('ru_utime', 'ru_stime'))")
GENERATE = f"""
import json, resource, runpy, sys, time
start = time.perf_counter()
sys.argv = [sys.argv[1], *sys.argv[2:]]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
except SystemExit as exc:
    if exc.code:
        raise
print(json.dumps({{"seconds": time.perf_counter() - start, "mb": {PEAK}, "cpu": {CPU}}}))
"""
INGEST = f"""
import json, resource, sys, time
import litcorpus
start = time.perf_counter()
litcorpus.ingest([sys.argv[1]], db=sys.argv[2])
print(json.dumps({{"seconds": time.perf_counter() - start, "mb": {PEAK}, "cpu": {CPU}}}))
"""
DEDUPE = f"""
import json, resource, sys, time
from litcorpus.corpus import Corpus
from litcorpus.dedupe import dedupe
stages = []
def progress(stage, done, total):  # CPU seconds (with children) and peak MB as each stage starts
    stages.append((stage, {CPU}, {PEAK}))
start = time.perf_counter()
with Corpus(sys.argv[1]) as corpus:
    report = dedupe(corpus, progress=progress)
seconds, mb, cpu = time.perf_counter() - start, {PEAK}, {CPU}
with Corpus(sys.argv[1]) as corpus:  # what dedupe made, read after the peak was taken
    source = {{r.id: r.origins[0].source_id for r in corpus.records()}}
    clusters = [[source[i] for i in (c.merged_from or [c.id])] for c in corpus.canonical_records()]
with open(sys.argv[2], "w") as out:
    json.dump(clusters, out)
child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # forked comparing
print(json.dumps({{"seconds": seconds, "mb": mb, "cpu": cpu, "records_out": report.records_out,
                  "child_mb": child_mb, "stages": [(a[0], b[1] - a[1], b[2])
                                                   for a, b in zip(stages, stages[1:])]}}))
"""
BLOCKING = """
import csv, json, sys, tempfile
from pathlib import Path
import litcorpus
from litcorpus.corpus import Corpus
from litcorpus.dedupe.blocking import candidate_codes, decode
from litcorpus.dedupe.columns import KeyColumns
folder = Path(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp:
    litcorpus.ingest([str(folder / "records_pre_merged.csv")], db=tmp + "/c.db", jobs=1)
    with Corpus(tmp + "/c.db") as corpus:
        records = list(corpus.records())
index = {r.origins[0].source_id: i for i, r in enumerate(records)}
I, J = decode(candidate_codes(KeyColumns.from_records(records)), len(records))
pairs = set(zip(I.tolist(), J.tolist()))
with open(folder / "merged_record_ids.csv", encoding="utf-8") as handle:
    groups = [[index[x] for x in row["merged_ids"].split(";")] for row in csv.DictReader(handle)]
true = {(min(a, b), max(a, b)) for g in groups for n, a in enumerate(g) for b in g[n + 1:]}
print(json.dumps({"true": len(true), "blocked": len(true & pairs), "pairs": len(pairs),
                  "records": len(records)}))
"""


def _run(code: str, *args: str, python: str = sys.executable) -> dict:
    """Run one stage in its own process, so that its peak memory is its own."""
    out = subprocess.run([python, "-c", code, *args], capture_output=True, text=True,
                         cwd=tempfile.gettempdir())  # `python` imports its own checkout
    if out.returncode:
        raise SystemExit(f"stage failed: {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def accuracy(clusters: list[list[str]], truth: Path) -> dict:
    """Against the generator's truth: works, false merges, copies left apart."""
    with open(truth, encoding="utf-8") as handle:
        work = {row["ID"]: row["work"] for row in csv.DictReader(handle)}
    works = set(work.values())
    false_merges = sum(1 for c in clusters if len({work[r] for r in c}) > 1)
    per_work: dict[str, int] = {}
    for c in clusters:
        for w in {work[r] for r in c}:
            per_work[w] = per_work.get(w, 0) + 1
    missed = sum(n - 1 for n in per_work.values())  # a work split over n clusters: n-1 too many
    return {"ideal": len(works), "false_merges": false_merges, "missed": missed}


def scale(sizes: list[int], keep: Path | None, reuse: bool = False,
          baseline: str | None = None) -> None:
    print(f"{'records':>9}{'gen s':>7}{'ingest s':>9}{'ingest MB':>10}{'dedupe s':>9}{'cpu s':>8}"
          f"{'dedupe MB':>10}{'child MB':>9}{'out':>9}{'ideal':>9}{'off %':>7}{'false':>6}{'missed':>7}")
    previous = None
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            where = keep or Path(tmp)
            table, truth = where / f"corpus_{size}.csv", where / f"truth_{size}.csv"
            db, out = str(where / f"corpus_{size}.db"), str(where / f"clusters_{size}.json")
            if reuse and Path(db).exists() and truth.exists():
                gen = ingest = {"seconds": float("nan"), "mb": float("nan")}  # kept earlier
            else:
                for old in where.glob(f"corpus_{size}.db*"):  # a kept corpus from an earlier run
                    old.unlink()
                gen = _run(GENERATE, str(ROOT / "bench/generate_corpus.py"), str(size), str(table),
                           "--truth", str(truth))
                ingest = _run(INGEST, str(table), db)
            runs = [("", dedupe := _run(DEDUPE, db, out), out)]
            if baseline:
                base_out = str(where / f"clusters_{size}_base.json")
                runs.append(("base", _run(DEDUPE, db, base_out, python=baseline), base_out))
            found = {}
            for label, result, path in runs:
                with open(path, encoding="utf-8") as handle:
                    found[label] = {tuple(sorted(c)) for c in json.load(handle)}
                acc = accuracy([list(c) for c in found[label]], truth)
                off = 100 * (result["records_out"] - acc["ideal"]) / acc["ideal"]
                print(f"{label or size:>9}{gen['seconds']:>7.0f}{ingest['seconds']:>9.1f}"
                      f"{ingest['mb']:>10.0f}{result['seconds']:>9.1f}{result['cpu']:>8.1f}"
                      f"{result['mb']:>10.0f}{result.get('child_mb', 0):>9.0f}"
                      f"{result['records_out']:>9}{acc['ideal']:>9}{off:>7.3f}"
                      f"{acc['false_merges']:>6}{acc['missed']:>7}", flush=True)
                if "stages" in result:  # CPU s of each stage (with forked children), peak MB after it
                    print(f"{'':>9}  " + ", ".join(f"{name} {cpu:.1f} s ({mb:.0f} MB)" for name, cpu, mb
                                                   in result["stages"]), flush=True)
            if baseline:
                print(f"{'':>9}  clusters that differ from base: "
                      f"{len(found[''] ^ found['base'])} of {len(found[''] | found['base'])}", flush=True)
        if previous:
            p_size, p_dedupe = previous
            print(f"{'':>9}  growth x{size / p_size:.0f} in records: dedupe time "
                  f"x{dedupe['seconds'] / p_dedupe['seconds']:.1f} (CPU "
                  f"x{dedupe['cpu'] / p_dedupe['cpu']:.1f}), peak memory "
                  f"x{dedupe['mb'] / p_dedupe['mb']:.1f}", flush=True)
        previous = (size, dedupe)


def blocking_recall() -> None:
    if not SHARED.exists():
        print(f"{SHARED} is missing: no blocking recall", file=sys.stderr)
        return
    print(f"\n{'labelled set':<20}{'records':>8}{'true pairs':>11}{'blocked':>9}{'recall':>8}"
          f"{'pairs/rec':>10}")
    for name in LABELLED:
        r = _run(BLOCKING, str(SHARED / name))
        print(f"{name:<20}{r['records']:>8}{r['true']:>11}{r['blocked']:>9}"
              f"{r['blocked'] / max(1, r['true']):>8.4f}{r['pairs'] / r['records']:>10.2f}",
              flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--no-recall", action="store_true", help="skip the labelled sets")
    parser.add_argument("--keep", type=Path, help="keep corpora, truth and clusters in DIR")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: dedupe the corpora kept there again, no generating or ingest")
    parser.add_argument("--baseline", metavar="PYTHON",
                        help="also run this interpreter's litcorpus dedupe on the same corpora")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"{SHARED} is missing: the generator learns from the real sets", file=sys.stderr)
        return 2
    if args.keep:
        args.keep = args.keep.resolve()  # stages run in another directory
        args.keep.mkdir(parents=True, exist_ok=True)
    scale([int(s) for s in args.sizes.split(",") if s], args.keep, args.reuse, args.baseline)
    if not args.no_recall:
        blocking_recall()
    return 0


if __name__ == "__main__":
    sys.exit(main())
