"""How often records that are not duplicates collide in dedupe's blocks: real labelled sets vs
the generator at the same size (with that set left out of what the generator learns).

    python bench/generator_realism.py [--sets cytology_screening,digital_work] [--sizes 10000]
        [--old]

For each corpus: records, works, records per title-start block (mean block a record sits in),
non-duplicate records sharing a record's title-start block, candidate pairs per record (today's
blocking), the share of blocked non-duplicate pairs whose title keys are >= .9 similar
(rapidfuzz ratio, as dedupe scores titles), and the blocking recall of the true pairs.
`--sizes` adds generated corpora of those sizes; `--old` adds the previous generator (which reused
~7,000 real titles), read from git history.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "dedupe"
OLD_COMMIT = "ce0a3b2"  # the last commit with the generator that reused ~7,000 real titles


def load(csv_path: Path) -> tuple[list, list[str]]:
    """Keys of every record of a CSV as litcorpus ingests it, and each record's CSV ID."""
    import litcorpus
    from litcorpus.corpus import Corpus
    from litcorpus.dedupe.keys import keys

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "c.db")
        litcorpus.ingest([str(csv_path)], db=db, jobs=1)
        with Corpus(db) as corpus:
            all_keys, ids = [], []
            for i, record in enumerate(corpus.records()):
                all_keys.append(keys(record, i))
                ids.append(record.origins[0].source_id)
    return all_keys, ids


def stats(all_keys: list, work: list) -> dict:
    """Collision figures of one corpus; `work[i]` names the true work of record i."""
    from rapidfuzz import fuzz

    from litcorpus.dedupe.blocking import candidate_codes, decode
    from litcorpus.dedupe.columns import KeyColumns

    n = len(all_keys)
    starts: dict[str, list[int]] = defaultdict(list)
    for k in all_keys:
        compact = k.title.replace(" ", "")
        if len(compact) >= 12:
            starts[compact[:24]].append(k.index)
    in_block = sum(len(m) ** 2 for m in starts.values()) / n
    strangers = 0
    for members in starts.values():
        per_work: dict = defaultdict(int)
        for i in members:
            per_work[work[i]] += 1
        strangers += sum(c * (len(members) - c) for c in per_work.values())
    i, j = decode(candidate_codes(KeyColumns.from_keys(all_keys)), n)
    pairs = list(zip(i.tolist(), j.tolist(), strict=True))
    false = [(i, j) for i, j in pairs if work[i] != work[j]]
    similar = sum(1 for i, j in false
                  if fuzz.ratio(all_keys[i].title, all_keys[j].title) >= 90)
    groups: dict = defaultdict(list)
    for i, w in enumerate(work):
        groups[w].append(i)
    true_pairs = {(g[x], g[y]) for g in groups.values() for x in range(len(g))
                  for y in range(x + 1, len(g))}
    found = len(true_pairs.intersection(pairs))
    return {"records": n, "works": len(groups), "block": in_block, "strangers": strangers / n,
            "pairs": len(pairs) / n, "false_pairs": len(false), "similar": similar / max(1, len(false)),
            "recall": found / max(1, len(true_pairs)), "biggest": max(map(len, starts.values()))}


def real(name: str) -> dict:
    folder = SHARED / name
    all_keys, ids = load(folder / "records_pre_merged.csv")
    with open(folder / "merged_record_ids.csv", encoding="utf-8") as handle:
        group_of = {rid: g for g, row in enumerate(csv.DictReader(handle))
                    for rid in row["merged_ids"].split(";")}
    return stats(all_keys, [group_of.get(rid, rid) for rid in ids])


def generated(n: int, exclude: str, old: bool = False, mix: str = "") -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        table, truth = Path(tmp) / "g.csv", Path(tmp) / "t.csv"
        if old:
            script = Path(tmp) / "old.py"
            script.write_text(subprocess.run(
                ["git", "show", f"{OLD_COMMIT}:bench/generate_corpus.py"], cwd=ROOT, check=True,
                capture_output=True, text=True).stdout.replace(
                    'ROOT = Path(__file__).resolve().parent.parent', f'ROOT = Path({str(ROOT)!r})')
                .replace('copy["ID"] = f"d{k}"', 'copy["ID"] = f"d{k}-{copy[\'ID\']}"'))
            subprocess.run([sys.executable, str(script), str(n), str(table)], check=True)
        else:
            subprocess.run([sys.executable, str(ROOT / "bench/generate_corpus.py"), str(n),
                            str(table), "--truth", str(truth), "--exclude", exclude,
                            *(["--mix", mix] if mix else [])], check=True)
        all_keys, ids = load(table)
        if old:  # the old generator's copies are named d<k>-<ID of the record copied> here
            return stats(all_keys, [rid.split("-")[-1] for rid in ids])
        with open(truth, encoding="utf-8") as handle:
            work_of = {row["ID"]: row["work"] for row in csv.DictReader(handle)}
    return stats(all_keys, [work_of[rid] for rid in ids])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="cytology_screening,digital_work")
    parser.add_argument("--sizes", default="")
    parser.add_argument("--old", action="store_true", help="also the previous generator")
    parser.add_argument("--mix", default="", help="comma-separated title-chain weights to compare")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"{SHARED} is missing: nothing to compare with", file=sys.stderr)
        return 2
    print(f"{'corpus':<34}{'records':>8}{'works':>8}{'block':>8}{'strangers':>10}{'biggest':>8}"
          f"{'pairs/rec':>10}{'false prs':>10}{'>=.9 sim':>9}{'recall':>8}")

    def show(label: str, s: dict) -> None:
        print(f"{label:<34}{s['records']:>8}{s['works']:>8}{s['block']:>8.2f}{s['strangers']:>10.3f}"
              f"{s['biggest']:>8}{s['pairs']:>10.2f}{s['false_pairs']:>10}{s['similar']:>9.4f}"
              f"{s['recall']:>8.4f}", flush=True)

    for name in [s for s in args.sets.split(",") if s]:
        s = real(name)
        show(f"{name} (real)", s)
        for mix in args.mix.split(","):
            show(f"generated{', mix ' + mix if mix else ''}, held out",
                 generated(s["records"], name, mix=mix))
        if args.old:
            show("old generator (same size)", generated(s["records"], name, old=True))
    for size in [int(x) for x in args.sizes.split(",") if x]:
        show(f"generated {size:,}", generated(size, ""))
        if args.old:
            show(f"old generator {size:,}", generated(size, "", old=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
