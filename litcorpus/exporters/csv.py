"""CSV: one row per record with stable column names, and ASReview's CSV."""

from __future__ import annotations

import csv
from typing import TextIO

from litcorpus.exporters import ExportContext, Exporter
from litcorpus.exporters.fields import authors_text, origins_text

COLUMNS = ["id", "title", "authors", "journal", "year", "volume", "issue", "pages", "doi",
           "pmid", "pmcid", "publisher", "issn", "language", "kind", "abstract", "keywords",
           "url", "origins"]
ASREVIEW = ["record_id", "title", "abstract", "authors", "doi", "keywords", "year", "journal",
            "url", "origins"]


def _row(record) -> dict:
    return {
        "id": record.id, "title": record.title, "authors": authors_text(record),
        "journal": record.journal, "year": record.year, "volume": record.volume,
        "issue": record.issue, "pages": record.pages, "doi": record.doi, "pmid": record.pmid,
        "pmcid": record.pmcid, "publisher": record.publisher, "issn": record.issn,
        "language": record.language, "kind": record.kind.value, "abstract": record.abstract,
        "keywords": "; ".join(record.keywords), "url": record.url,
        "origins": origins_text(record),
    }


def write_csv(context: ExportContext, out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for record in context.records():
        writer.writerow(_row(record))
        n += 1
    return n


def write_asreview(context: ExportContext, out: TextIO) -> int:
    """ASReview's columns; `included` only where a person decided (1 keep, 0 drop) or the filter
    dropped a record (0), so ASReview reads them as prior labels and nothing else."""
    records = list(context.records())
    decisions = {r.id: context.relevance_of(r.id) for r in records}
    labelled = any(d and (d["by_person"] or d["decision"] == "drop") for d in decisions.values())
    writer = csv.DictWriter(out, fieldnames=ASREVIEW + (["included"] if labelled else []),
                            lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = _row(record)
        out_row = {"record_id": record.id, **{k: row[k] for k in ASREVIEW[1:]}}
        decision = decisions[record.id]
        if labelled:
            label = ""
            if decision and decision["decision"] == "drop":
                label = 0
            elif decision and decision["by_person"] and decision["decision"] == "keep":
                label = 1
            out_row["included"] = label
        writer.writerow(out_row)
    return len(records)


EXPORTERS = [
    Exporter("csv", write_csv, "CSV, one row per record, stable column names"),
    Exporter("asreview", write_asreview, "ASReview LAB's CSV (title, abstract, authors, "
                                         "doi, keywords, included)"),
]
