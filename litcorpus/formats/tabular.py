"""CSV and TSV tables with a header row; column names per source are data (COLUMNS)."""

from __future__ import annotations

import csv
import io
import re
import sys
import urllib.parse

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
                "author_names", "authorships.author.display_name", "item authors", "author/s"),
    "year": ("year", "publication year", "publication_year", "py", "pubyear", "date"),
    "journal": ("journal", "source title", "publication title", "source", "journal title",
                "secondary title", "so", "t2", "host_venue.display_name",
                "primary_location.source.display_name", "booktitle", "book series title",
                "publication"),
    "volume": ("volume", "vl", "vol", "journal volume"),
    "issue": ("number", "issue", "is", "journal issue", "issue number"),
    "pages": ("pages", "page range", "pg"),
    "page_start": ("page start", "start page", "bp"),
    "page_end": ("page end", "end page", "ep"),
    "article_number": ("art. no.", "article number", "ar"),
    "doi": ("doi", "di", "item doi", "doi link"),
    "abstract": ("abstract", "ab", "abstract note", "abstract_inverted_index_text"),
    "pmid": ("pmid", "pubmed id", "pubmedid", "pubmed_id", "pm", "ids.pmid"),
    "pmcid": ("pmcid", "pmc id"),
    "keywords": ("keywords", "author keywords", "kw", "de", "mesh terms", "keywords_str"),
    "publisher": ("publisher", "pu"),
    "issn": ("issn", "sn", "issns", "primary_location.source.issn_l"),
    "doc_type": ("document type", "entrytype", "type", "publication type", "dt", "content type",
                 "category", "document identifier"),
    "language": ("language", "language of original document", "la"),
    "affiliations": ("affiliations", "author affiliations"),
    "references": ("references", "cited references", "cr"),
    "url": ("url", "link", "pdf link", "source url"),
    "openurl": ("open url link",),  # Embase: the DOI is only in its OpenURL (`id=doi:10.1002%2F…`)
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


_FULL_NAME = re.compile(r"(?:[A-Z][\w'.-]*\s+){1,3}[A-Z][\w'-]+")


def split_authors(value: str | None) -> list[str]:
    """The names in one cell, as printed: `A, B and C, D` (BibTeX), `A; B`, `A|B` (OpenAlex),
    Scopus `Smith J., Doe A.`, IEEE `First Last, First Last`."""
    value = " ".join((value or "").split())
    if not value or value.startswith("[No author"):  # Scopus: `[No author name available]`
        return []
    if "|" in value:  # OpenAlex joins names with `|`
        parts = value.split("|")
    elif re.search(r"\s+and\s+", value) and "," in value:
        parts = re.split(r"\s+and\s+", value)
    elif ";" in value:
        parts = value.split(";")
    elif value.count(",") >= 1 and all(
        re.fullmatch(r"[^,]+\s(?:[A-Z][a-z]?\.?-?\s?){1,4}", p.strip()) for p in value.split(",")
    ):
        parts = value.split(",")
    elif value.count(",") >= 2 and all(_FULL_NAME.fullmatch(p.strip()) for p in value.split(",")):
        parts = value.split(",")  # IEEE: `Joseph Rottman, Erran Carmel, Mary Lacity` (two commas
        #                           at least: `Van Der Berg, Anna Maria` is one name)
    else:
        parts = [value]
    return [p.strip() for p in parts if p.strip()]


# Columns a source repeats without labelling the repeats: the surplus cells of a wider row are
# that column's further values and sit right after it (Scopus labels only "Funding Text 1" and
# writes "Funding Text 2" ... unlabelled, before the References). Data, one entry per source.
SPILL_COLUMNS = ("funding text 1",)
# Columns whose values have a shape that shows whether a row's cells sit under their headers.
ANCHORS: dict[str, re.Pattern] = {
    "eid": re.compile(r"2-s2\.0-\d+"),
    "pubmed id": re.compile(r"\d{0,9}|NA"),
    "issn": re.compile(r"(?:\d{4}-?\d{3}[\dXx][;, ]*)*"),
}


def fit_row(row: list[str], header: list[str]) -> tuple[list[str], str | None]:
    """`row` made as wide as `header` where that can be told for sure, else the reason it cannot.

    A narrower row is kept (writers leave out trailing empty cells). Surplus cells that are all
    empty at the end are a trailing separator. Otherwise the surplus belongs after a column in
    SPILL_COLUMNS, and is taken out there only when every anchor column after it (ANCHORS) then
    holds a value of its shape, and one at least is not empty.
    """
    surplus = len(row) - len(header)
    if surplus <= 0:
        return row, None
    if not any(cell.strip() for cell in row[len(header):]):
        return row[:len(header)], None
    reason = (f"row has {len(row)} cells under {len(header)} column names; cannot tell which "
              "cells are misplaced")
    spill = next((header.index(c) for c in SPILL_COLUMNS if c in header), None)
    if spill is None:
        return row, reason
    fitted = row[:spill + 1] + row[spill + 1 + surplus:]
    checked = [(fitted[index].strip(), ANCHORS[name]) for index, name in enumerate(header)
               if index > spill and name in ANCHORS]
    if any(value for value, _ in checked) and all(
            pattern.fullmatch(value) for value, pattern in checked):
        return fitted, None
    return row, reason


def _split_list(value: str | None) -> list[str]:
    if not value:
        return []
    return [v.strip() for v in re.split(r"\s*;\s*|\n", value) if v.strip()]


def _split_references(value: str | None) -> list[str]:
    """References: `; ` between them; a `;` inside one (`PLoS One. 2018;13(1):e0191154`) stays."""
    if not value:
        return []
    return [v.strip() for v in re.split(r";\s+|\n", value) if v.strip().strip(";")]


def parse(text: str, name: str) -> ParseResult:
    """Each data row becomes a record; rows without any title, DOI or PMID, and rows wider than the
    header that cannot be fitted under it (`fit_row`), are failures."""
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
        row, misfit = fit_row(row, header)
        if misfit:
            result.failures.append(Failure(line=start, reason=misfit, raw=delimiter.join(row)[:500]))
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
        doi=[d for d in (cell("doi"), _openurl_doi(cell("openurl"))) if d],
        pmid=cell("pmid"),
        pmcid=cell("pmcid"),
        abstract=cell("abstract"),
        keywords=_split_list(cell("keywords")),
        publisher=cell("publisher"),
        issn=cell("issn"),
        doc_type=[cell("doc_type")] if cell("doc_type") else [],
        language=cell("language"),
        affiliations=_split_list(cell("affiliations")),
        references=_split_references(cell("references")),
        url=cell("url"),
    )


def _openurl_doi(link: str | None) -> str | None:
    """The DOI an OpenURL link names in its `id=doi:…` parameter."""
    if not link:
        return None
    ids = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query).get("id", [])
    return next((v[4:] for v in ids if v.lower().startswith("doi:")), None)


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
