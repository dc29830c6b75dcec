"""CSV and TSV tables with a header row; column names per source are data (COLUMNS)."""

from __future__ import annotations

import csv
import io
import re
import sys

from litcorpus.formats import Format
from litcorpus.models import Failure, Origin, ParseResult, RawRecord

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

# record field -> column names (case and spacing ignored), first present wins.
COLUMNS: dict[str, tuple[str, ...]] = {
    "source_id": ("id", "record_id", "record id", "eid", "ut (unique wos id)", "lens id",
                  "accession number", "an"),
    "title": ("title", "document title", "article title", "primary title", "item title", "ti",
              "display_name"),
    "authors": ("authors", "author", "author full names", "author names", "au",
                "author_names", "authorships.author.display_name", "item authors"),
    "year": ("year", "publication year", "publication_year", "py", "pubyear", "date"),
    "journal": ("journal", "source title", "publication title", "source", "journal title",
                "secondary title", "so", "t2", "host_venue.display_name",
                "primary_location.source.display_name", "booktitle", "book series title"),
    "volume": ("volume", "vl", "vol", "journal volume"),
    "issue": ("number", "issue", "is", "journal issue"),
    "pages": ("pages", "page range", "pg"),
    "page_start": ("page start", "start page", "bp"),
    "page_end": ("page end", "end page", "ep"),
    "article_number": ("art. no.", "article number", "ar"),
    "doi": ("doi", "di", "item doi", "doi link"),
    "abstract": ("abstract", "ab", "abstract note", "abstract_inverted_index_text"),
    "pmid": ("pmid", "pubmed id", "pubmedid", "pubmed_id", "pm"),
    "pmcid": ("pmcid", "pmc id"),
    "keywords": ("keywords", "author keywords", "kw", "de", "mesh terms", "keywords_str"),
    "publisher": ("publisher", "pu"),
    "issn": ("issn", "sn"),
    "doc_type": ("document type", "entrytype", "type", "publication type", "dt"),
    "language": ("language", "language of original document", "la"),
    "affiliations": ("affiliations", "author affiliations"),
    "references": ("references", "cited references", "cr"),
    "url": ("url", "link", "pdf link", "source url"),
}

_KEY_HEADERS = {"title", "document title", "article title", "primary title", "item title",
                "display_name"}


def _norm_header(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().strip("\ufeff").strip('"').lower())


def _delimiter(head_line: str) -> str | None:
    best, best_hits = None, 0
    for delimiter in (",", "\t", ";"):
        try:
            cells = {_norm_header(c) for c in next(csv.reader([head_line], delimiter=delimiter), [])}
        except csv.Error:
            continue
        known = {alias for aliases in COLUMNS.values() for alias in aliases}
        hits = len(cells & known)
        if hits > best_hits and cells & (_KEY_HEADERS | {"doi", "abstract"}):
            best, best_hits = delimiter, hits
    return best if best_hits >= 2 else None


def sniff(text: str, name: str) -> float:
    """A header line naming a title column and at least one other known column."""
    end = text.find("\n")  # not split: that would copy the whole text after the header
    first = (text[:end] if end >= 0 else text).lstrip("\ufeff")
    if not first or first.startswith(("%", "@", "TY  -", "PMID-", "<")):
        return 0.0
    return 0.6 if _delimiter(first) else 0.0


def split_authors(value: str | None) -> list[str]:
    """The names in one cell: `A, B and C, D` (BibTeX), `A; B`, or Scopus `Smith J., Doe A.`."""
    value = (value or "").strip()
    if not value:
        return []
    if re.search(r"\s+and\s+", value) and "," in value:
        parts = re.split(r"\s+and\s+", value)
    elif ";" in value:
        parts = value.split(";")
    elif value.count(",") >= 1 and all(
        re.fullmatch(r"[^,]+\s(?:[A-Z][a-z]?\.?-?\s?){1,4}", p.strip()) for p in value.split(",")
    ):
        parts = value.split(",")
    else:
        parts = [value]
    return [p.strip() for p in parts if p.strip()]


def _split_list(value: str | None) -> list[str]:
    if not value:
        return []
    return [v.strip() for v in re.split(r"\s*;\s*|\n", value) if v.strip()]


def parse(text: str, name: str) -> ParseResult:
    """Each data row becomes a record; rows without any title, DOI or PMID are failures."""
    first = text.split("\n", 1)[0]
    delimiter = _delimiter(first) or ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    result = ParseResult()
    try:
        header = [_norm_header(h) for h in next(reader)]
    except StopIteration:
        return result
    except csv.Error as exc:
        result.failures.append(Failure(line=1, reason=f"unreadable CSV header: {exc}"))
        return result
    columns: dict[str, list[int]] = {}
    for field, aliases in COLUMNS.items():
        found = [header.index(alias) for alias in aliases if alias in header]
        if found:
            columns[field] = found
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.failures.append(Failure(line=line, reason=f"unreadable CSV row: {exc}"))
            break
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue

        def cell(field: str, row=row) -> str | None:
            for index in columns.get(field, []):
                value = row[index].strip() if index < len(row) else ""
                if value:
                    return value
            return None

        record = _record(cell)
        record.origins = [Origin(file=name, line=start, format="csv", source_id=cell("source_id"))]
        if not (record.title or record.doi or record.pmid or record.abstract or record.authors):
            result.failures.append(Failure(line=start, reason="row has no title, DOI, PMID, "
                                           "abstract or authors", raw=delimiter.join(row)[:500]))
            continue
        result.records.append(record)
    return result


# Embase.com prints the whole citation in its Source column:
# `Cancer (2004) 102:4 (253-258). Date of Publication: 25 Aug 2004`
_SOURCE_CITATION = re.compile(r"^(?P<journal>.+?) \((?P<year>\d{4})\)\s*(?P<volume>[^:(\s]+)?"
                              r"(?::(?P<issue>[^\s(]+))?\s*(?:\((?P<pages>[^)]+)\))?")


def _record(cell) -> RawRecord:
    journal, year, volume, issue = cell("journal"), cell("year"), cell("volume"), cell("issue")
    pages = cell("pages")
    cited = _SOURCE_CITATION.match(journal or "") if journal and not year else None
    if cited:
        journal, year = cited.group("journal"), cited.group("year")
        volume, issue = volume or cited.group("volume"), issue or cited.group("issue")
        pages = pages or cited.group("pages")
    return RawRecord(
        title=cell("title"),
        authors=split_authors(cell("authors")),
        journal=journal,
        year=year,
        volume=volume,
        issue=issue,
        pages=pages or cell("page_start"),
        page_end=None if pages else cell("page_end"),
        article_number=cell("article_number"),
        doi=[cell("doi")] if cell("doi") else [],
        pmid=cell("pmid"),
        pmcid=cell("pmcid"),
        abstract=cell("abstract"),
        keywords=_split_list(cell("keywords")),
        publisher=cell("publisher"),
        issn=cell("issn"),
        doc_type=[cell("doc_type")] if cell("doc_type") else [],
        language=cell("language"),
        affiliations=_split_list(cell("affiliations")),
        references=_split_list(cell("references")),
        url=cell("url"),
    )


def for_pieces(head: str):
    """Parse each piece of a large table under the file's header line (the first piece has it)."""
    header = head.split("\n", 1)[0]

    def parse_piece(text: str, name: str) -> ParseResult:
        if text.startswith(header):
            return parse(text, name)
        result = parse(f"{header}\n{text}", name)
        for item in [*result.failures, *(o for r in result.records for o in r.origins)]:
            item.line = item.line - 1 if item.line else None  # the header is not in the piece
        return result

    return parse_piece


FORMATS = [Format("csv", sniff, parse, (".csv", ".tsv", ".tab"), "CSV/TSV table with a header row",
                  rows=True, for_pieces=for_pieces)]
