"""The dedupe review queue: doubtful pairs as a CSV a person fills in (`decision` column:
`duplicate` or `distinct`) and gives back with `litcorpus dedupe --decisions FILE`."""

from __future__ import annotations

import csv
from typing import TextIO

from litcorpus.dedupe import maybe_pairs
from litcorpus.dedupe.rules import BY_NAME
from litcorpus.exporters import ExportContext, Exporter

SIDE = ("id", "title", "authors", "year", "journal", "volume", "pages", "doi", "origin")
COLUMNS = ["pair", "a_id", "b_id", "decision", "rule", "why", "title_similarity"] + [
    f"{side}_{name}" for side in "ab" for name in SIDE if name != "id"]


def _side(record) -> dict[str, str]:
    if record is None:
        return {name: "" for name in SIDE}
    origin = record.origins[0] if record.origins else None
    return {
        "title": record.title or "",
        "authors": "; ".join(a.display() for a in record.authors),
        "year": str(record.year or ""),
        "journal": record.journal or "",
        "volume": record.volume or "",
        "pages": record.pages or "",
        "doi": record.doi or "",
        "origin": f"{origin.name}:{origin.line}" if origin else "",
    }


def _why(rule: str, evidence: dict) -> str:
    """The rule in words, what stopped a merge, and the probability the weights give."""
    said = [BY_NAME.get(rule, rule), *evidence.get("reasons", [])]
    if "probability" in evidence:
        said.append(f"probability of a duplicate {evidence['probability']:.3f}")
    return "; ".join(dict.fromkeys(said))


def write_review(context: ExportContext, out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for n, (a, b, rule, evidence) in enumerate(maybe_pairs(context.corpus), start=1):
        row = {"pair": n, "a_id": a, "b_id": b, "decision": "", "rule": rule,
               "why": _why(rule, evidence),
               "title_similarity": f"{evidence.get('title', 0):.2f}"}
        for side, rid in (("a", a), ("b", b)):
            for name, value in _side(context.corpus.record(rid)).items():
                row[f"{side}_{name}"] = value
        writer.writerow(row)
    return n


EXPORTERS = [Exporter("review", write_review,
                      "dedupe's doubtful pairs for a person to decide (fill in 'decision')")]
