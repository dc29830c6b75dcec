"""Key columns (litcorpus/dedupe/columns.py) and capped blocking (blocking.py) measured alone.

    python bench/columnar_prototype.py [--corpus DIR --size 100000] [--caps 200,50,20]

On a generated corpus kept by `bench/dedupe_scale.py --sizes N --keep DIR`: the match keys built
into columns while records stream from the corpus (seconds, peak MB, bytes a record), then capped
blocking at each cap (pairs, seconds, peak MB, recall of the generator's true pairs) and the title
scores of every pair by rapidfuzz's cpdist in batches. Then blocking recall at each cap on the
labelled sets in ../shared/dedupe. Each measurement runs in its own process.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "dedupe"
LABELLED = ("special_cases", "stroke", "cytology_screening", "digital_work")
PEAK = "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024"

BUILD = f"""
import json, resource, sys, time
import numpy as np
from litcorpus.corpus import Corpus
from litcorpus.dedupe.columns import KeyColumns
sources = []
def stream(corpus):
    for r in corpus.records():
        sources.append(r.origins[0].source_id)
        yield r
start = time.perf_counter()
with Corpus(sys.argv[1], create=False) as corpus:
    columns = KeyColumns.from_records(stream(corpus))
seconds, mb = time.perf_counter() - start, {PEAK}
columns.save(sys.argv[2])
np.save(sys.argv[3], np.array(sources))
print(json.dumps({{"seconds": seconds, "mb": mb, "bytes": columns.nbytes, "n": len(columns)}}))
"""
BLOCK = f"""
import csv, json, resource, sys, time
import numpy as np
from litcorpus.dedupe.columns import KeyColumns
from litcorpus.dedupe.blocking import candidate_codes, decode
from litcorpus.dedupe.evidence import title_scores
columns = KeyColumns.load(sys.argv[1])
n, cap = len(columns), int(sys.argv[4])
base = {PEAK}
start = time.perf_counter()
codes = candidate_codes(columns, cap=cap)
seconds = time.perf_counter() - start
start = time.perf_counter()
scores = title_scores(columns, codes)
score_seconds = time.perf_counter() - start
mb = {PEAK}
sources = np.load(sys.argv[2])
with open(sys.argv[3], encoding="utf-8") as handle:
    work_of = {{row["ID"]: row["work"] for row in csv.DictReader(handle)}}
work = np.array([int(work_of[s]) for s in sources])
order = np.argsort(work, kind="stable")
w = work[order]
true = []
for d in range(1, 64):
    same = w[:-d] == w[d:]
    a, b = order[:-d][same], order[d:][same]
    true.append(np.minimum(a, b) * n + np.maximum(a, b))
true = np.unique(np.concatenate(true))
found = np.isin(true, codes).sum()
i, j = decode(codes, n)
false = work[i] != work[j]
print(json.dumps({{"pairs": len(codes), "seconds": seconds, "score_seconds": score_seconds,
                  "mb": mb, "base_mb": base, "true": len(true), "found": int(found),
                  "false_similar": int((scores[false] >= 0.9).sum()), "false": int(false.sum())}}))
"""
LABELLED_RECALL = """
import csv, json, sys, tempfile
from pathlib import Path
import numpy as np
import litcorpus
from litcorpus.corpus import Corpus
from litcorpus.dedupe.columns import KeyColumns
from litcorpus.dedupe.blocking import candidate_codes
folder = Path(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp:
    litcorpus.ingest([str(folder / "records_pre_merged.csv")], db=tmp + "/c.db", jobs=1)
    with Corpus(tmp + "/c.db") as corpus:
        records = list(corpus.records())
columns = KeyColumns.from_records(records)
n = len(records)
index = {r.origins[0].source_id: i for i, r in enumerate(records)}
with open(folder / "merged_record_ids.csv", encoding="utf-8") as handle:
    groups = [[index[x] for x in row["merged_ids"].split(";")] for row in csv.DictReader(handle)]
true = np.array(sorted({min(a, b) * n + max(a, b) for g in groups for k, a in enumerate(g)
                        for b in g[k + 1:]}), dtype=np.int64)
out = {}
for cap in map(int, sys.argv[2].split(",")):
    codes = candidate_codes(columns, cap=cap)
    out[cap] = [int(np.isin(true, codes).sum()), len(true), len(codes)]
print(json.dumps({"n": n, "caps": out}))
"""


def _run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"stage failed: {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="a folder kept by dedupe_scale.py --keep")
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--caps", default="200,50,20")
    args = parser.parse_args()
    caps = [int(c) for c in args.caps.split(",")]
    if args.corpus:
        db, truth = args.corpus / f"corpus_{args.size}.db", args.corpus / f"truth_{args.size}.csv"
        npz, sources = args.corpus / f"keys_{args.size}.npz", args.corpus / f"sources_{args.size}.npy"
        built = _run(BUILD, str(db), str(npz), str(sources))
        print(f"{built['n']:,} records: key columns built while streaming in {built['seconds']:.1f} s, "
              f"peak {built['mb']:.0f} MB, columns {built['bytes'] / 2**20:.1f} MB "
              f"({built['bytes'] / built['n']:.0f} B/record)", flush=True)
        print(f"{'cap':>5}{'pairs':>11}{'pairs/rec':>10}{'block s':>9}{'score s':>9}{'peak MB':>9}"
              f"{'(load MB)':>10}{'true recall':>12}{'false >=.9':>11}")
        for cap in caps:
            r = _run(BLOCK, str(npz), str(sources), str(truth), str(cap))
            print(f"{cap:>5}{r['pairs']:>11,}{r['pairs'] / built['n']:>10.2f}{r['seconds']:>9.2f}"
                  f"{r['score_seconds']:>9.2f}{r['mb']:>9.0f}{r['base_mb']:>10.0f}"
                  f"{r['found'] / r['true']:>12.5f}{r['false_similar']:>11,}", flush=True)
    if SHARED.exists():
        print(f"\n{'labelled set':<20}" + "".join(f"{'recall cap ' + str(c):>16}" for c in caps))
        for name in LABELLED:
            r = _run(LABELLED_RECALL, str(SHARED / name), args.caps)
            cells = "".join(f"{v[0] / v[1]:>10.4f} {v[0]}/{v[1]:<4}" for v in
                            (r["caps"][str(c)] for c in caps))
            print(f"{name:<20}{cells}", flush=True)
    else:
        print(f"{SHARED} is missing: no labelled recall", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
