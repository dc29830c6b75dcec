"""Fit dedupe's prior match weights on the labelled sets in ../shared/dedupe.

    python bench/fit_dedupe_prior.py                      # all sets -> litcorpus/dedupe/prior.json
    python bench/fit_dedupe_prior.py --exclude stroke -o /tmp/prior.json   # leave one set out

For each set: the pairs dedupe's weights are learnt from (`blocking.learning_codes`) that no hard
veto rules out, their field levels, and whether the set's labels call them duplicates; m and u per
level are counted per set and averaged over the sets (litcorpus.dedupe.weights.fit_labelled).
Only the prior is fitted on labels: every corpus re-estimates its own weights from it without
labels.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "dedupe"
SETS = ("special_cases", "stroke", "cytology_screening", "digital_work")


def labelled_levels(name: str, workdir: Path) -> tuple[np.ndarray, np.ndarray]:
    """(levels of the pairs that pass the vetoes, whether each is a true pair) for one set."""
    import litcorpus
    from litcorpus.corpus import Corpus
    from litcorpus.dedupe import prepare
    from litcorpus.dedupe.blocking import decode

    db = workdir / f"{name}.db"
    if not db.exists():
        litcorpus.ingest([str(SHARED / name / "records_pre_merged.csv")], db=db)
    with Corpus(db) as corpus:
        records = list(corpus.records())
    index = {r.origins[0].source_id: i for i, r in enumerate(records)}
    with open(SHARED / name / "merged_record_ids.csv", encoding="utf-8") as handle:
        groups = [row["merged_ids"].split(";") for row in csv.DictReader(handle)]
    true = {tuple(sorted((index[a], index[b]))) for g in groups for a, b in combinations(g, 2)}
    compared = prepare(records).learning  # the pairs EM learns from on any corpus
    kept = ~compared.vetoed
    i, j = decode(compared.codes[kept], len(records))
    labels = np.array([pair in true for pair in zip(i.tolist(), j.tolist(), strict=True)], dtype=bool)
    gammas = compared.levels[kept]
    return gammas, labels


def fit_prior(sets: list[str], workdir: Path):
    from litcorpus.dedupe.weights import fit_labelled

    return fit_labelled([labelled_levels(name, workdir) for name in sets])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exclude", default="", help="comma-separated sets to leave out")
    parser.add_argument("-o", "--out", type=Path, default=ROOT / "litcorpus" / "dedupe" / "prior.json")
    parser.add_argument("--workdir", type=Path, help="keep ingested sets here between runs")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"../shared/dedupe is missing (looked in {SHARED}); nothing to fit.", file=sys.stderr)
        return 2
    sets = [s for s in SETS if s not in args.exclude.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        model = fit_prior(sets, args.workdir or Path(tmp))
    data = model.to_dict() | {"fitted_on": sets}
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"prior fitted on {', '.join(sets)} -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
