"""The intruder test of ../shared/relevance/README.md, over every target set.

    python bench/relevance_intruders.py [--targets Nagtegaal_2019/Nagtegaal_2019.csv,...]

For a target T: the corpus is all of T's records plus 500 records drawn at random (seed 20261123)
from the sets of the other domains (Cohen's seven classes count as one domain). The filter gets
only T's review title as topic and its profile text as description.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "relevance"
SEED = 20261123
INTRUDERS = 500
FLOORS = {"Nagtegaal": ("0%", "79%"), "Kitchenham": ("80%", "98%"), "Cohen": ("28%", "28%")}


def domain(target: str) -> str:
    return target.split("_")[0].split("/")[0]


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build(target: str, topics: dict, folder: Path) -> tuple[Path, list[dict]]:
    """The test corpus of one target in `folder`: its own rows as `T-<record_id>` plus the
    intruders as `X-<n>`. Returns the corpus path and the target's own rows."""
    import litcorpus

    own = load(SHARED / target)
    others = [(name, row) for name in topics if not name.startswith("_")
              and domain(name) != domain(target) for row in load(SHARED / name)]
    rng = random.Random(SEED)
    intruders = rng.sample(others, INTRUDERS)
    table = folder / "corpus.csv"
    with open(table, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "abstract", "authors", "year"])
        for row in own:
            writer.writerow([f"T-{row['record_id']}", row["title"], row["abstract"],
                             row.get("authors", ""), row.get("year", "")])
        for n, (_, row) in enumerate(intruders):
            writer.writerow([f"X-{n}", row["title"], row["abstract"], row.get("authors", ""),
                             row.get("year", "")])
    db = folder / "c.db"
    litcorpus.ingest([table], db=db)
    return db, own


def run(target: str, topics: dict) -> dict:
    from litcorpus.corpus import Corpus
    from litcorpus.relevance import Profile, filter_corpus

    with tempfile.TemporaryDirectory() as tmp:
        db, own = build(target, topics, Path(tmp))
        profile = Profile(topic=topics[target]["title"], description=topics[target]["profile"])
        with Corpus(db) as corpus:
            start = time.perf_counter()
            filter_corpus(corpus, profile)
            seconds = time.perf_counter() - start
            source = {r.id: r.origins[0].source_id for r in corpus.records()}
            decided = {source[i]: d["decision"] for i, d in corpus.relevance().items()}
    included = {f"T-{r['record_id']}" for r in own if r["label_included"] == "1"}
    own_ids = {f"T-{r['record_id']}" for r in own}
    intruder_ids = {f"X-{n}" for n in range(INTRUDERS)}
    dropped = {i for i, d in decided.items() if d == "drop"}
    return {
        "target": target, "records": len(own), "included": len(included),
        "included_kept": 1 - len(dropped & included) / max(len(included), 1),
        "own_dropped": len(dropped & own_ids) / len(own_ids),
        "intruders_dropped": len(dropped & intruder_ids) / INTRUDERS,
        "reviewed": sum(1 for d in decided.values() if d == "review"),
        "seconds": seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", help="comma-separated keys of topics.json (default: all)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON too")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"../shared/relevance is missing (looked in {SHARED}); nothing to measure.",
              file=sys.stderr)
        return 2
    topics = json.loads((SHARED / "topics.json").read_text("utf-8"))
    targets = args.targets.split(",") if args.targets else [t for t in topics if t[0] != "_"]
    print(f"{'target':<42}{'records':>8}{'incl kept':>10}{'own drop':>9}{'intr drop':>10}"
          f"{'review':>7}{'sec':>6}   floors BM25 / MiniLM (intruders dropped)")
    rows, ok = [], True
    for target in targets:
        row = run(target, topics)
        rows.append(row)
        passed = (row["included_kept"] == 1.0 and row["own_dropped"] <= 0.05
                  and row["intruders_dropped"] >= 0.80)
        ok &= passed
        floor = FLOORS[domain(target)]
        print(f"{target:<42}{row['records']:>8}{row['included_kept']:>10.0%}"
              f"{row['own_dropped']:>9.1%}{row['intruders_dropped']:>10.1%}{row['reviewed']:>7}"
              f"{row['seconds']:>6.1f}   {floor[0]} / {floor[1]}  {'ok' if passed else 'BELOW TARGET'}",
              flush=True)
    if args.json:
        print(json.dumps(rows, indent=1))
    return 0 if ok else 1


if __name__ == "__main__" and "--scale" not in sys.argv:
    sys.exit(main())


def scale(n: int) -> float:
    """Seconds to filter n records drawn from every labelled set (run with --scale N)."""
    import litcorpus
    from litcorpus.corpus import Corpus
    from litcorpus.relevance import Profile, filter_corpus

    topics = json.loads((SHARED / "topics.json").read_text("utf-8"))
    rows = [row for name in topics if not name.startswith("_") for row in load(SHARED / name)]
    rows = random.Random(SEED).sample(rows, min(n, len(rows)))
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "corpus.csv"
        with open(table, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["record_id", "title", "abstract"])
            for k, row in enumerate(rows):
                writer.writerow([k, row["title"], row["abstract"]])
        litcorpus.ingest([table], db=Path(tmp) / "c.db")
        with Corpus(Path(tmp) / "c.db") as corpus:
            start = time.perf_counter()
            filter_corpus(corpus, Profile(topic="nudges for healthcare professionals"))
            return time.perf_counter() - start


if __name__ == "__main__" and "--scale" in sys.argv:
    print(f"filtering {int(sys.argv[-1])} records: {scale(int(sys.argv[-1])):.2f} s")
