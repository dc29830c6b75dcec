"""Dedupe accuracy and speed on the labelled sets in ../shared/dedupe (scored as bib-dedupe and
ASySD score: record level, plus pairwise precision/recall).

    python bench/dedupe_sets.py [--sets stroke,cytology_screening,copper] [--bib-dedupe PYTHON]

Every figure is held out: dedupe's prior weights are fitted (bench/fit_dedupe_prior.py) on the
other labelled sets, never on the set being scored (--in-set uses the shipped prior instead);
copper is never used for fitting. `+queue` is the sensitivity when every pair in the review queue
counts as found (a person sees it); `block R` is the share of true pairs that blocking compares.
With --bib-dedupe, bib-dedupe (installed in the bench environment only) runs on the same set in
the same run, and its wall time and accuracy are printed beside ours.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
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


@dataclass
class Found:
    """What litcorpus made of one set: clusters and queue as source IDs, and its cost."""

    clusters: list[list[str]]
    ids: list[str]
    queue: list[tuple[str, str]]
    candidates: set[frozenset]
    seconds: float
    mb: float

    @property
    def with_queue(self) -> list[list[str]]:
        """Clusters joined further through every queued pair (what a person gets to see)."""
        parent = {i: i for i in self.ids}

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for cluster in self.clusters:
            for rid in cluster[1:]:
                parent[find(rid)] = find(cluster[0])
        for a, b in self.queue:
            parent[find(a)] = find(b)
        joined: dict[str, list[str]] = {}
        for rid in self.ids:
            joined.setdefault(find(rid), []).append(rid)
        return list(joined.values())


_PRIORS: dict[str, Path] = {}


def prior_without(name: str) -> Path:
    """A prior fitted on every labelled set but `name` (fitted once per run)."""
    if name not in _PRIORS:
        from fit_dedupe_prior import fit_prior

        workdir = Path(tempfile.gettempdir()) / "litcorpus-bench-sets"
        workdir.mkdir(exist_ok=True)
        model = fit_prior([s for s in SETS if s != name], workdir)
        path = workdir / f"prior-without-{name}.json"
        path.write_text(json.dumps(model.to_dict()), encoding="utf-8")
        _PRIORS[name] = path
    return _PRIORS[name]


def run_litcorpus(folder: Path, *, loso: str | None = None, source: Path | None = None) -> Found:
    """Ingest + dedupe in a fresh corpus, in a process of its own. With `loso`, dedupe's prior
    weights are fitted without that labelled set."""
    prior = str(prior_without(loso)) if loso else ""
    code = f"""
import json, resource, sys, time
from pathlib import Path
import litcorpus
from litcorpus.corpus import Corpus
from litcorpus.dedupe import dedupe, maybe_pairs, prepare
from litcorpus.dedupe.blocking import decode
from litcorpus.dedupe.weights import load_prior
prior = load_prior(Path({prior!r})) if {prior!r} else None
start = time.perf_counter()
litcorpus.ingest([{str(source or folder / 'records_pre_merged.csv')!r}], db=sys.argv[1])
with Corpus(sys.argv[1]) as corpus:
    dedupe(corpus, prior=prior)
    seconds = time.perf_counter() - start
    records = list(corpus.records())
    source = {{r.id: r.origins[0].source_id for r in records}}
    clusters = [[source[i] for i in (c.merged_from or [c.id])] for c in corpus.canonical_records()]
    queue = [(source[a], source[b]) for a, b, *_ in maybe_pairs(corpus)]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
I, J = decode(prepare(records).candidates, len(records))
candidates = [(source[records[i].id], source[records[j].id])
              for i, j in zip(I.tolist(), J.tolist())]
print(json.dumps({{"clusters": clusters, "ids": list(source.values()), "seconds": seconds,
                  "mb": peak, "queue": queue, "candidates": candidates}}))
"""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", code, str(Path(tmp) / "c.db")],
                             capture_output=True, text=True, check=True)
    data = json.loads(out.stdout.splitlines()[-1])
    return Found(data["clusters"], data["ids"], [tuple(p) for p in data["queue"]],
                 {frozenset(p) for p in data["candidates"]}, data["seconds"], data["mb"])


def blocking_recall(found: Found, groups: list[list[str]]) -> float:
    true_pairs = {frozenset(p) for g in groups for p in combinations(g, 2)}
    return len(true_pairs & found.candidates) / len(true_pairs) if true_pairs else 1.0


def copper(python_found: Found) -> dict:
    """The copper library's score (its README): group recall over captioned records linked by a
    merge or a queued pair, and false links (uncaptioned records linked to anything)."""
    from defusedxml import ElementTree

    root = ElementTree.parse(SHARED / "copper" / "copper.xml").getroot()
    captioned = {r.findtext("rec-number"): r.find("caption") is not None
                 for r in root.iter("record")}
    merged = {rid for c in python_found.clusters if len(c) > 1 for rid in c}
    linked = {rid for c in python_found.with_queue if len(c) > 1 for rid in c}
    duplicates = {rid for rid, dup in captioned.items() if dup}
    return {"recall_merged": len(merged & duplicates) / len(duplicates),
            "recall": len(linked & duplicates) / len(duplicates),
            "false_links": len(linked - duplicates), "false_merged": len(merged - duplicates),
            "queue": len(python_found.queue)}


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
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    data = json.loads(lines[-1])
    return data["groups"], data["seconds"], data["mb"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS + ("copper",)))
    parser.add_argument("--bib-dedupe", metavar="PYTHON", help="python of a venv with bib-dedupe")
    parser.add_argument("--in-set", action="store_true",
                        help="use the shipped prior (fitted on every set, the scored one too) "
                             "instead of one fitted without the set being scored")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"../shared/dedupe is missing (looked in {SHARED}); nothing to measure.",
              file=sys.stderr)
        return 2
    header = (f"{'set':<20}{'tool':<12}{'records':>8}{'sens':>8}{'+queue':>8}{'prec':>8}{'FP':>4}"
              f"{'FN':>5}{'pairP':>8}{'pairR':>8}{'queue':>7}{'block R':>8}{'seconds':>9}"
              f"{'peak MB':>9}")
    print(header)
    for name in args.sets.split(","):
        if name == "copper":
            found = run_litcorpus(SHARED / name, source=SHARED / name / "copper.xml")
            c = copper(found)
            print(f"{'copper':<20}{'litcorpus':<12}{len(found.ids):>8}  group recall "
                  f"{c['recall_merged']:.4f} merged, {c['recall']:.4f} with the queue; false "
                  f"links {c['false_merged']} merged, {c['false_links']} with the queue; queue "
                  f"{c['queue']}; {found.seconds:.2f} s", flush=True)
            continue
        folder = SHARED / name
        groups = truth(folder)
        found = run_litcorpus(folder, loso=None if args.in_set else name)
        s = score(found.clusters, groups, found.ids)
        q = score(found.with_queue, groups, found.ids)
        print(f"{name:<20}{'litcorpus':<12}{len(found.ids):>8}{s['sensitivity']:>8.4f}"
              f"{q['sensitivity']:>8.4f}{s['precision']:>8.4f}{s['FP']:>4}{s['FN']:>5}"
              f"{s['pair_precision']:>8.4f}{s['pair_recall']:>8.4f}{len(found.queue):>7}"
              f"{blocking_recall(found, groups):>8.4f}{found.seconds:>9.2f}{found.mb:>9.0f}",
              flush=True)
        if args.bib_dedupe:
            got = run_bib_dedupe(folder, args.bib_dedupe)
            if got:
                bd_groups, bd_seconds, bd_mb = got
                in_groups = {r for g in bd_groups for r in g}
                order = {rid: n for n, rid in enumerate(found.ids)}
                bd_clusters = [sorted(g, key=order.__getitem__) for g in bd_groups] + [
                    [r] for r in found.ids if r not in in_groups]
                b = score(bd_clusters, groups, found.ids)
                print(f"{'':<20}{'bib-dedupe':<12}{len(found.ids):>8}{b['sensitivity']:>8.4f}"
                      f"{'':>8}{b['precision']:>8.4f}{b['FP']:>4}{b['FN']:>5}"
                      f"{b['pair_precision']:>8.4f}{b['pair_recall']:>8.4f}{'':>7}{'':>8}"
                      f"{bd_seconds:>9.2f}{bd_mb:>9.0f}"
                      f"   (litcorpus/bib-dedupe time: {found.seconds / bd_seconds:.2f}x)",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
