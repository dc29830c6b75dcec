"""Dedupe accuracy and speed on the labelled sets in ../shared/dedupe (scored as bib-dedupe and
ASySD score: record level, plus pairwise precision/recall).

    python bench/dedupe_sets.py [--sets stroke,cytology_screening] [--bib-dedupe]

With --bib-dedupe, bib-dedupe (installed in the bench environment only) runs on the same set in
the same run, and its wall time and accuracy are printed beside ours.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "dedupe"
SETS = ("special_cases", "stroke", "cytology_screening", "digital_work")


def truth(folder: Path) -> list[list[str]]:
    with open(folder / "merged_record_ids.csv", encoding="utf-8") as handle:
        return [row["merged_ids"].split(";") for row in csv.DictReader(handle)]


def score(clusters: list[list[str]], groups: list[list[str]], all_ids: list[str]) -> dict:
    """Record-level TP/FP/TN/FN by the bib-dedupe convention, and pairwise precision/recall."""
    representative = {}
    for cluster in clusters:
        for rid in cluster:
            representative[rid] = cluster[0]
    survivors = {c[0] for c in clusters}
    grouped = {rid for g in groups for rid in g}
    tp = fp = tn = fn = 0
    for group in groups:
        k, n = len(group), sum(1 for rid in group if rid in survivors)
        if n == 0:
            fp, tp = fp + 1, tp + k - 1
        else:
            tn, fn, tp = tn + 1, fn + n - 1, tp + k - n
    for rid in all_ids:
        if rid not in grouped:
            if rid in survivors:
                tn += 1
            else:
                fp += 1
    true_pairs = {frozenset(p) for g in groups for p in combinations(g, 2)}
    found_pairs = {frozenset(p) for c in clusters for p in combinations(c, 2)}
    hit = len(true_pairs & found_pairs)
    return {
        "TP": tp, "FP": fp, "TN": tn, "FN": fn,
        "sensitivity": tp / (tp + fn) if tp + fn else 1.0,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "pair_precision": hit / len(found_pairs) if found_pairs else 1.0,
        "pair_recall": hit / len(true_pairs) if true_pairs else 1.0,
        "false_merge_clusters": sum(1 for c in clusters
                                    if len({_group_of(r, groups) for r in c}) > 1),
    }


def _group_of(rid: str, groups: list[list[str]]) -> str:
    for g in groups:
        if rid in g:
            return g[0]
    return rid


def run_litcorpus(folder: Path) -> tuple[list[list[str]], list[str], float, float]:
    """Ingest + dedupe in a fresh corpus; returns clusters of source IDs, all IDs, seconds, MB."""
    code = f"""
import json, resource, sys, time
import litcorpus
from litcorpus.corpus import Corpus
from litcorpus.dedupe import dedupe
start = time.perf_counter()
litcorpus.ingest([{str(folder / 'records_pre_merged.csv')!r}], db=sys.argv[1])
with Corpus(sys.argv[1]) as corpus:
    dedupe(corpus)
    seconds = time.perf_counter() - start
    source = {{r.id: r.origins[0].source_id for r in corpus.records()}}
    clusters = [[source[i] for i in (c.merged_from or [c.id])] for c in corpus.canonical_records()]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"clusters": clusters, "ids": list(source.values()), "seconds": seconds, "mb": peak}}))
"""
    import json

    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", code, str(Path(tmp) / "c.db")],
                             capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    return data["clusters"], data["ids"], data["seconds"], data["mb"]


def run_bib_dedupe(folder: Path, python: str) -> tuple[list[list[str]], float, float] | None:
    code = f"""
import json, resource, time
import pandas as pd
from bib_dedupe.bib_dedupe import block, cluster, match, prep
start = time.perf_counter()
df = pd.read_csv({str(folder / 'records_pre_merged.csv')!r})
records = prep(df, verbosity_level=0)
pairs = block(records, verbosity_level=0)
matched = match(pairs, verbosity_level=0)
groups = cluster(matched, verbosity_level=0)
seconds = time.perf_counter() - start
print(json.dumps({{"groups": [list(map(str, g)) for g in groups], "seconds": seconds,
                  "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    try:
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True,
                             timeout=1800)
    except (subprocess.CalledProcessError, FileNotFoundError, subprocess.TimeoutExpired) as exc:
        print(f"  bib-dedupe did not run: {getattr(exc, 'stderr', exc)!s:.300}", file=sys.stderr)
        return None
    import json

    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    data = json.loads(lines[-1])
    return data["groups"], data["seconds"], data["mb"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--bib-dedupe", metavar="PYTHON", help="python of a venv with bib-dedupe")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"../shared/dedupe is missing (looked in {SHARED}); nothing to measure.",
              file=sys.stderr)
        return 2
    header = (f"{'set':<20}{'tool':<12}{'records':>8}{'sens':>8}{'prec':>8}{'FP':>4}{'FN':>5}"
              f"{'pairP':>8}{'pairR':>8}{'seconds':>9}{'peak MB':>9}")
    print(header)
    for name in args.sets.split(","):
        folder = SHARED / name
        groups = truth(folder)
        clusters, ids, seconds, mb = run_litcorpus(folder)
        s = score(clusters, groups, ids)
        print(f"{name:<20}{'litcorpus':<12}{len(ids):>8}{s['sensitivity']:>8.4f}"
              f"{s['precision']:>8.4f}{s['FP']:>4}{s['FN']:>5}{s['pair_precision']:>8.4f}"
              f"{s['pair_recall']:>8.4f}{seconds:>9.2f}{mb:>9.0f}", flush=True)
        if args.bib_dedupe:
            found = run_bib_dedupe(folder, args.bib_dedupe)
            if found:
                bd_groups, bd_seconds, bd_mb = found
                in_groups = {r for g in bd_groups for r in g}
                bd_clusters = [sorted(g, key=ids.index) for g in bd_groups] + [
                    [r] for r in ids if r not in in_groups]
                b = score(bd_clusters, groups, ids)
                print(f"{'':<20}{'bib-dedupe':<12}{len(ids):>8}{b['sensitivity']:>8.4f}"
                      f"{b['precision']:>8.4f}{b['FP']:>4}{b['FN']:>5}{b['pair_precision']:>8.4f}"
                      f"{b['pair_recall']:>8.4f}{bd_seconds:>9.2f}{bd_mb:>9.0f}"
                      f"   (litcorpus/bib-dedupe time: {seconds / bd_seconds:.2f}x)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
