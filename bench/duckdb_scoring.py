"""What scoring titles in DuckDB would cost against rapidfuzz (issue 19, "beyond one machine").

    python bench/duckdb_scoring.py [--columns KEYS.npz]    # needs: pip install duckdb

1. Agreement on the labelled sets (../shared/dedupe): every pair today's blocking makes is a true
   or a false pair. Its titles are scored by rapidfuzz (`ratio`, what dedupe uses, and
   `token_set_ratio`) and by DuckDB's own functions (`jaro_winkler_similarity`, a normalised
   `levenshtein`, `jaccard` of characters, and a token Jaccard written with list functions). Per
   measure: ROC AUC of true against false pairs, and, at a threshold fitted on the *other* sets to
   agree best with rapidfuzz `ratio` >= .90, the true pairs kept and false pairs let through on the
   held-out set beside rapidfuzz's own.
2. Cost at scale (`--columns`, a key store written by bench/columnar_prototype.py): the titles of
   every blocked pair scored by a Python loop over rapidfuzz (today), by rapidfuzz `cpdist` in
   batches, and by DuckDB joining a pairs table to a titles table; and the title-start blocking
   itself as a DuckDB self-join. Each in its own process: seconds and peak MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "dedupe"
LABELLED = ("stroke", "cytology_screening", "digital_work")
MEASURES = ("rf_ratio", "rf_token_set", "dd_jaro_winkler", "dd_levenshtein", "dd_jaccard",
            "dd_token_jaccard")
PEAK = "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024"
DUCK_SQL = """
SELECT jaro_winkler_similarity(a, b) AS dd_jaro_winkler,
       1 - levenshtein(a, b) / greatest(length(a), length(b), 1) AS dd_levenshtein,
       jaccard(a, b) AS dd_jaccard,
       len(list_intersect(string_split(a, ' '), string_split(b, ' ')))
         / greatest(len(list_distinct(list_concat(string_split(a, ' '), string_split(b, ' ')))), 1)
         AS dd_token_jaccard
FROM pairs
"""

LABELLED_SCORES = f"""
import csv, json, sys, tempfile
from pathlib import Path
import duckdb, numpy as np
from rapidfuzz import fuzz
import litcorpus
from litcorpus.corpus import Corpus
from litcorpus.dedupe.blocking import candidate_codes, decode
from litcorpus.dedupe.columns import KeyColumns
from litcorpus.dedupe.keys import keys
folder = Path(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp:
    litcorpus.ingest([str(folder / "records_pre_merged.csv")], db=tmp + "/c.db", jobs=1)
    with Corpus(tmp + "/c.db") as corpus:
        records = list(corpus.records())
k = [keys(r, i) for i, r in enumerate(records)]
group = {{}}
with open(folder / "merged_record_ids.csv", encoding="utf-8") as handle:
    for g, row in enumerate(csv.DictReader(handle)):
        for rid in row["merged_ids"].split(";"):
            group[rid] = g
work = [group.get(r.origins[0].source_id, -1 - i) for i, r in enumerate(records)]
I, J = decode(candidate_codes(KeyColumns.from_records(records)), len(records))
pairs = [(i, j) for i, j in zip(I.tolist(), J.tolist()) if k[i].title and k[j].title]
a = np.array([k[i].title for i, _ in pairs], dtype=object)
b = np.array([k[j].title for _, j in pairs], dtype=object)
con = duckdb.connect()
con.execute("SET threads = 1")
con.register("pairs", {{"a": a, "b": b}})
out = {{name: values.tolist() for name, values in con.execute({DUCK_SQL!r}).fetchnumpy().items()}}
out["rf_ratio"] = [fuzz.ratio(x, y) / 100 for x, y in zip(a, b)]
out["rf_token_set"] = [fuzz.token_set_ratio(x, y) / 100 for x, y in zip(a, b)]
out["true"] = [work[i] == work[j] for i, j in pairs]
print(json.dumps(out))
"""

COST = {
    "rapidfuzz loop (today)": """
from rapidfuzz import fuzz
t = columns.title
scores = [fuzz.ratio(t[i], t[j]) / 100 for i, j in zip(I.tolist(), J.tolist())]
""",
    "rapidfuzz cpdist, batches": """
from litcorpus.dedupe.evidence import title_scores
scores = title_scores(columns, codes)
""",
    "DuckDB join + jaro_winkler": """
import duckdb
con = duckdb.connect()
con.execute("SET threads = 1")
everyone = range(len(columns))
titles = {"i": np.arange(len(columns)),
          "title": np.array(columns.title.take(everyone), dtype=object)}
pairs = {"i": I, "j": J}
con.register("titles", titles)
con.register("pairs", pairs)
scores = con.execute("SELECT jaro_winkler_similarity(x.title, y.title) FROM pairs p "
                     "JOIN titles x ON x.i = p.i JOIN titles y ON y.i = p.j").fetchnumpy()
""",
    "DuckDB title-start blocking (self-join, blocks <= 200)": """
import duckdb
con = duckdb.connect()
con.execute("SET threads = 1")
kind = 2  # title-start, see columns.BLOCK_KINDS
keys = {"i": np.arange(len(columns)), "h": columns.blocks[:, kind]}
con.register("keys", keys)
n_pairs = con.execute("WITH k AS (SELECT i, h, count(*) OVER (PARTITION BY h) AS size FROM keys "
                      "WHERE h <> 0) SELECT count(*) FROM k x JOIN k y ON x.h = y.h AND x.i < y.i "
                      "WHERE x.size <= 200").fetchone()[0]
scores = [n_pairs]
""",
}
COST_RUN = f"""
import json, resource, sys, time
import numpy as np
from litcorpus.dedupe.columns import KeyColumns
from litcorpus.dedupe.blocking import candidate_codes, decode
columns = KeyColumns.load(sys.argv[1])
codes = candidate_codes(columns, cap=200)
I, J = decode(codes, len(columns))
base = {PEAK}
start = time.perf_counter()
exec(sys.argv[2])
print(json.dumps({{"seconds": time.perf_counter() - start, "mb": {PEAK}, "base_mb": base,
                  "pairs": len(codes), "n": len(columns)}}))
"""


def _run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"stage failed: {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def auc(scores: list[float], truth: list[bool]) -> float:
    """Probability that a true pair scores above a false one (ties count half)."""
    import numpy as np
    from scipy.stats import rankdata

    s, t = np.asarray(scores, float), np.asarray(truth, bool)
    pos, neg = t.sum(), (~t).sum()
    if not pos or not neg:
        return float("nan")
    ranks = rankdata(s)
    return float((ranks[t].sum() - pos * (pos + 1) / 2) / (pos * neg))


def fit_threshold(sets: list[dict], measure: str) -> float:
    """The threshold on `measure` agreeing best with rapidfuzz ratio >= .90 over `sets`."""
    import numpy as np

    values = np.concatenate([np.asarray(s[measure], float) for s in sets])
    target = np.concatenate([np.asarray(s["rf_ratio"], float) >= 0.9 for s in sets])
    best, best_agree = 0.9, -1.0
    for tau in np.unique(np.round(values, 3)):
        agree = float(((values >= tau) == target).mean())
        if agree > best_agree:
            best, best_agree = float(tau), agree
    return best


def agreement() -> None:
    import numpy as np

    scored = {name: _run(LABELLED_SCORES, str(SHARED / name)) for name in LABELLED}
    print(f"{'set':<20}{'measure':<18}{'AUC':>7}{'thresh':>8}{'agree':>7}{'true kept':>11}"
          f"{'false in':>9}   (rapidfuzz ratio >= .90: true kept, false in)")
    for name, s in scored.items():
        truth = np.asarray(s["true"], bool)
        rf = np.asarray(s["rf_ratio"]) >= 0.9
        for measure in MEASURES:
            others = [scored[o] for o in scored if o != name]
            tau = 0.9 if measure == "rf_ratio" else fit_threshold(others, measure)
            passed = np.asarray(s[measure], float) >= tau
            print(f"{name:<20}{measure:<18}{auc(s[measure], s['true']):>7.4f}{tau:>8.3f}"
                  f"{(passed == rf).mean():>7.3f}{(passed & truth).sum():>6}/{truth.sum():<4}"
                  f"{(passed & ~truth).sum():>9}   ({(rf & truth).sum()}, {(rf & ~truth).sum()})",
                  flush=True)


def cost(columns: Path) -> None:
    print(f"\n{'engine':<56}{'seconds':>9}{'peak MB':>9}{'(before)':>9}")
    for name, code in COST.items():
        r = _run(COST_RUN, str(columns), code)
        print(f"{name:<56}{r['seconds']:>9.2f}{r['mb']:>9.0f}{r['base_mb']:>9.0f}"
              f"   {r['pairs']:,} pairs of {r['n']:,} records", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=Path, help="a key store .npz (bench/columnar_prototype.py)")
    parser.add_argument("--no-agreement", action="store_true")
    args = parser.parse_args()
    try:
        import duckdb  # noqa: F401
    except ImportError:
        print("duckdb is not installed: pip install duckdb (bench only)", file=sys.stderr)
        return 2
    if not args.no_agreement:
        if not SHARED.exists():
            print(f"{SHARED} is missing: no agreement figures", file=sys.stderr)
        else:
            agreement()
    if args.columns:
        cost(args.columns)
    return 0


if __name__ == "__main__":
    sys.exit(main())
