"""Large synthetic corpora made by perturbing real records (../shared/dedupe/digital_work).

    python bench/generate_corpus.py N OUT.csv [--duplicates 0.15]

Unique records recombine real titles, author lists, journals and page ranges; a share of them is
then repeated with the perturbations real exports show: typos, case changes, abbreviated journals,
missing fields, reordered authors. The written CSV has the labelled sets' columns.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "dedupe" / "digital_work" / "records_pre_merged.csv"
COLUMNS = ["ID", "title", "author", "journal", "year", "volume", "number", "pages", "doi"]


def typo(text: str, rng: random.Random) -> str:
    if len(text) < 10:
        return text
    i = rng.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def abbreviate(journal: str) -> str:
    return " ".join(w[:4] if len(w) > 5 else w for w in journal.split())


def perturb(row: dict, rng: random.Random) -> dict:
    row = dict(row)
    choice = rng.random()
    if choice < 0.25:
        row["title"] = typo(row["title"], rng)
    elif choice < 0.45:
        row["title"] = row["title"].upper() if rng.random() < 0.5 else row["title"].lower()
    elif choice < 0.6:
        row["journal"] = abbreviate(row["journal"])
    elif choice < 0.8:
        for field in rng.sample(["volume", "number", "pages", "doi", "journal"], 2):
            row[field] = ""
    else:
        authors = row["author"].split(" and ")
        row["author"] = " and ".join(authors[1:] + authors[:1]) if len(authors) > 1 else row["author"]
    return row


def generate(n: int, duplicates: float, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    with open(SOURCE, encoding="utf-8") as handle:
        real = [r for r in csv.DictReader(handle) if r["title"] and r["author"]]
    words = [w for r in real for w in r["title"].split() if len(w) > 3]
    unique = int(n * (1 - duplicates))
    rows = []
    for k in range(unique):
        base, other = rng.choice(real), rng.choice(real)
        title = base["title"].split()
        for _ in range(3):
            title[rng.randrange(len(title))] = rng.choice(words)
        start = rng.randrange(1, 900)
        rows.append({"ID": f"u{k}", "title": " ".join(title), "author": other["author"],
                     "journal": rng.choice(real)["journal"], "year": str(rng.randrange(1990, 2025)),
                     "volume": str(rng.randrange(1, 80)), "number": str(rng.randrange(1, 12)),
                     "pages": f"{start}-{start + rng.randrange(5, 30)}",
                     "doi": f"10.9999/gen.{k}" if rng.random() < 0.6 else ""})
    for k in range(n - unique):
        copy = perturb(rows[rng.randrange(unique)], rng)  # rng.choice without copying the list
        copy["ID"] = f"d{k}"
        rows.append(copy)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--duplicates", type=float, default=0.15)
    args = parser.parse_args()
    if not SOURCE.exists():
        print(f"{SOURCE} is missing: the generator perturbs its real records", file=sys.stderr)
        return 2
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(generate(args.n, args.duplicates))
    return 0


if __name__ == "__main__":
    sys.exit(main())
