"""Dedupe on labelled sets garbled the way real exports garble them: nothing may false-merge.

    python bench/dedupe_stress.py [--sets stroke,digital_work] [--garbles all]

Each labelled set in ../shared/dedupe is rewritten with garbles seen in real EndNote, Embase and
spreadsheet exports, chosen per record with a fixed seed (the same run gives the same files):
- `supplement_doi`: every record of a journal issue (volume and issue, or volume and year) that
  holds three or more different works carries one shared DOI, as Embase gives a congress
  supplement's abstracts the supplement's DOI (70 % of the records of half such issues);
- `spreadsheet_pages`: a page range opened in a spreadsheet became a date (`8-9` -> `08-Sep`);
- `journal_cut`: a journal name cut at 25 characters, or ending in `.` or `.Conf`;
- `record_numbers`: in one "library" (40 % of records) the issue holds EndNote's record number;
- `missing`: volume or issue left out (10 % each);
- `year_shift`: the year one off (3 %), as online-first and print years differ.
The labels stay the set's own: garbling never makes two works one. Scored as dedupe_sets.py does.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dedupe_sets import SETS, SHARED, run_litcorpus, score, truth  # noqa: E402

GARBLES = ("supplement_doi", "spreadsheet_pages", "journal_cut", "record_numbers", "missing",
           "year_shift")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def garble(rows: list[dict], groups: list[list[str]], which: set[str], seed: int = 14) -> list[dict]:
    """The rows with garbles applied (a copy; the set's own file is never changed)."""
    rng = random.Random(seed)
    rows = [dict(r) for r in rows]
    work = {rid: g[0] for g in groups for rid in g}
    for row in rows:
        row.setdefault("doi", "")
    if "supplement_doi" in which:
        issues = defaultdict(list)
        for row in rows:
            if row.get("journal") and row.get("volume"):
                issues[(row["journal"].lower()[:20], row["volume"],
                        row.get("number") or row.get("year"))].append(row)
        for n, (_, members) in enumerate(sorted(issues.items())):
            if len({work.get(r["ID"], r["ID"]) for r in members}) >= 3 and rng.random() < 0.5:
                for row in members:
                    if rng.random() < 0.7:
                        row["doi"] = f"10.9999/supplement.{n}"
    for row in rows:
        if "spreadsheet_pages" in which and rng.random() < 0.1:
            first, _, last = (row.get("pages") or "").replace(" -- ", "-").partition("-")
            if first.isdigit() and last.isdigit() and int(first) <= 28:
                row["pages"] = f"{int(first):02d}-{MONTHS[(int(last) - 1) % 12]}"
        if "journal_cut" in which and row.get("journal") and rng.random() < 0.15:
            row["journal"] = rng.choice([row["journal"][:25], row["journal"] + ".",
                                         row["journal"] + ".Conf"])
        if "record_numbers" in which and rng.random() < 0.4:
            row["number"] = str(rng.randint(1, 3000))
        if "missing" in which:
            if rng.random() < 0.1:
                row["volume"] = ""
            if rng.random() < 0.1:
                row["number"] = ""
        if "year_shift" in which and str(row.get("year") or "").isdigit() and rng.random() < 0.03:
            row["year"] = str(int(row["year"]) + rng.choice((-1, 1)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--garbles", default="all", help="comma-separated, or all")
    parser.add_argument("--prior-out-of-set", action="store_true",
                        help="weights' prior fitted without the set being scored")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"../shared/dedupe is missing (looked in {SHARED}); nothing to measure.",
              file=sys.stderr)
        return 2
    which = set(GARBLES) if args.garbles == "all" else set(args.garbles.split(","))
    print(f"{'set':<20}{'garbles':<16}{'sens':>8}{'+queue':>8}{'FP':>4}{'false clusters':>16}"
          f"{'queue':>7}")
    for name in args.sets.split(","):
        folder = SHARED / name
        groups = truth(folder)
        with open(folder / "records_pre_merged.csv", encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows, fields = list(reader), list(reader.fieldnames or [])
        for label, chosen in [(g, {g}) for g in sorted(which)] + [("all of them", which)]:
            garbled = garble(rows, groups, chosen)
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / name / "records_pre_merged.csv"
                path.parent.mkdir()
                with open(path, "w", encoding="utf-8", newline="") as handle:
                    extra = [f for f in ("doi", "number", "volume") if f not in fields]
                    writer = csv.DictWriter(handle, fieldnames=fields + extra, restval="")
                    writer.writeheader()
                    writer.writerows(garbled)
                found = run_litcorpus(path.parent, loso=name if args.prior_out_of_set else None)
            s = score(found.clusters, groups, found.ids)
            q = score(found.with_queue, groups, found.ids)
            print(f"{name:<20}{label:<16}{s['sensitivity']:>8.4f}{q['sensitivity']:>8.4f}"
                  f"{s['FP']:>4}{s['false_merge_clusters']:>16}{len(found.queue):>7}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
