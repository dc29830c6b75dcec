"""PRISMA 2020 counts as a CSV in the layout of the PRISMA2020 flow-diagram template (Haddaway et
al.): one row per `data` name with its count in `n`. Identification counts every parsed record
per source file (readable or not); duplicates are the records dedupe linked away; `excluded_automatic` are the
filter's drops; `excluded_other` the parts of files that could not be read."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

from litcorpus.exporters import ExportContext, Exporter

COLUMNS = ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]


def counts(context: ExportContext) -> dict:
    """The PRISMA numbers of the corpus; they add up by construction and are tested to."""
    corpus = context.corpus
    unreadable_by_file: dict[str, int] = {}
    for file, _ in corpus.failures():
        unreadable_by_file[file] = unreadable_by_file.get(file, 0) + 1
    per_source = [(Path(s.name).name, s.records + unreadable_by_file.get(s.name, 0))
                  for s in corpus.sources() if s.records or unreadable_by_file.get(s.name)]
    identified = sum(n for _, n in per_source)
    unreadable = sum(unreadable_by_file.values())
    unique = sum(1 for _ in corpus.canonical_records())
    decisions = corpus.relevance()
    dropped = sum(1 for d in decisions.values() if d["decision"] == "drop")
    return {
        "database_results": identified,
        "database_specific_results": per_source,
        "duplicates": identified - unreadable - unique,
        "excluded_automatic": dropped,
        "excluded_other": unreadable,
        "records_screened": unique - dropped,
    }


ROWS = [
    ("database_results", "node4", "box1", "Records identified from databases",
     "Records identified from*:"),
    ("database_specific_results", "node4", "box1", "Records identified from each source",
     "Databases (n = )"),
    ("register_results", "node4", "box1", "Records identified from registers", "Registers"),
    ("duplicates", "node5", "box2", "Duplicate records removed", "Duplicate records removed"),
    ("excluded_automatic", "node5", "box2", "Records marked as ineligible by automation tools",
     "Records marked as ineligible by automation tools"),
    ("excluded_other", "node5", "box2", "Records removed for other reasons",
     "Records removed for other reasons (unreadable)"),
    ("records_screened", "node6", "box3", "Records screened", "Records screened"),
    ("records_excluded", "node7", "box4", "Records excluded", "Records excluded"),
]


def write_prisma(context: ExportContext, out: TextIO) -> int:
    found = counts(context)
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for data, node, box, description, boxtext in ROWS:
        value = found.get(data, "")
        if data == "database_specific_results":
            value = "; ".join(f"{name}, {n}" for name, n in value)
        elif data == "register_results":
            value = 0
        writer.writerow({"data": data, "node": node, "box": box, "description": description,
                         "boxtext": boxtext, "tooltips": description, "url": "", "n": value})
    return len(ROWS)


EXPORTERS = [Exporter("prisma", write_prisma,
                      "PRISMA 2020 counts in the PRISMA2020 template's CSV layout")]
