"""JSON Lines: one object per canonical record (the contract CI and other tools rely on),
and `sources`: one object per input file with its outcome."""

from __future__ import annotations

import json
from typing import TextIO

from litcorpus.exporters import ExportContext, Exporter
from litcorpus.models import Record

CONTRACT_KEYS = ("id", "title", "authors", "journal", "year", "volume", "issue", "pages", "doi",
                 "pmid", "pmcid", "publisher", "abstract", "language", "translations", "keywords",
                 "affiliations", "references", "kind", "origins")
EXTRA_KEYS = ("title_translations", "date", "issn", "doc_type", "doc_subtype", "doc_type_original",
              "url", "files", "merged_from", "field_sources")


def record_object(record: Record, relevance: dict | None = None) -> dict:
    """The JSONL object of one record: contract keys first, then extras, then relevance."""
    data = record.model_dump(mode="json")
    out = {key: data[key] for key in CONTRACT_KEYS}
    out["authors"] = [{"family": a["family"], "given": a["given"]} for a in data["authors"]]
    out["affiliations"] = record.all_affiliations()
    out.update({key: data[key] for key in EXTRA_KEYS})
    if relevance is not None:
        out["relevance"] = {k: relevance[k] for k in ("decision", "score", "reasons", "scores")
                            if k in relevance}
    return out


def write_jsonl(context: ExportContext, out: TextIO) -> int:
    n = 0
    for record in context.records():
        out.write(json.dumps(record_object(record, context.relevance_of(record.id)), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_sources(context: ExportContext, out: TextIO) -> int:
    n = 0
    for source in context.corpus.sources():
        out.write(json.dumps({"file": source.file, "member": source.member, "format": source.format,
                              "database": source.database, "status": source.status.value,
                              "records": source.records, "message": source.message},
                             ensure_ascii=False) + "\n")
        n += 1
    return n


EXPORTERS = [
    Exporter("jsonl", write_jsonl, "one JSON object per record (the litcorpus contract)"),
    Exporter("sources", write_sources, "one JSON object per input file and its outcome"),
]
