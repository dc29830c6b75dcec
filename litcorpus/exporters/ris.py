"""RIS that Zotero, Rayyan, Covidence, EndNote and ASReview import: standard tags, one AU per
author, `ER  - ` terminator, UTF-8. N1 names the record's origins so it can be traced back."""

from __future__ import annotations

from typing import TextIO

from litcorpus.doc_types import RIS_CODES
from litcorpus.exporters import ExportContext, Exporter
from litcorpus.exporters.fields import origins_text, page_range
from litcorpus.models import Kind, Record


def ris_type(record: Record) -> str:
    if record.kind is Kind.ABSTRACT:
        return "JOUR"
    return RIS_CODES.get(record.doc_type or "", "JOUR")


def record_lines(record: Record) -> list[str]:
    lines = [f"TY  - {ris_type(record)}"]

    def add(tag: str, value) -> None:
        if value is None or value == "":
            return
        for part in str(value).split("\n"):
            if part.strip():
                lines.append(f"{tag}  - {part.strip()}")
                if tag in ("AB", "N1"):
                    break

    add("TI", record.title)
    for author in record.authors:
        add("AU", author.display())
    add("PY", record.year)
    if record.date and record.date[:4].isdigit():
        add("DA", record.date.replace("-", "/"))
    add("T2", record.journal)
    add("JO", record.journal)
    add("VL", record.volume)
    add("IS", record.issue)
    start, end = page_range(record)
    add("SP", start)
    add("EP", end)
    add("DO", record.doi)
    if record.abstract:
        lines.append("AB  - " + " ".join(record.abstract.split("\n")))
    for keyword in record.keywords:
        add("KW", keyword)
    add("PB", record.publisher)
    add("SN", record.issn)
    add("LA", record.language)
    for affiliation in record.all_affiliations():
        add("AD", affiliation)
    add("UR", record.url)
    for path in record.files:  # Zotero and EndNote attach the file named by L1
        add("L1", path)
    add("AN", record.pmid)
    add("ID", record.id)
    add("N1", f"litcorpus {record.id}; origins: {origins_text(record)}")
    lines.append("ER  - ")
    return lines


def write_ris(context: ExportContext, out: TextIO) -> int:
    n = 0
    for record in context.records():
        out.write("\n".join(record_lines(record)) + "\n\n")
        n += 1
    return n


EXPORTERS = [Exporter("ris", write_ris,
                      "RIS for Zotero, Rayyan, Covidence, EndNote and ASReview")]
