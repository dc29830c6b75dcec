"""BibTeX (Zotero, Scopus, Web of Science, CoLRev, JabRef) read with bibtexparser v2: its splitter
keeps each entry's start line and collects broken entries as failed blocks; its middlewares
decode LaTeX and split names. Scopus's `Scopus / EXPORT DATE` preamble lines are ignored."""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser import middlewares as mw

from litcorpus import normalize
from litcorpus.formats import Format
from litcorpus.models import Author, Failure, Kind, Origin, ParseResult, Record

FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "journal": ("journal", "journaltitle", "booktitle", "series"),
    "year": ("year", "date"),
    "volume": ("volume",),
    "issue": ("number", "issue"),
    "pages": ("pages",),
    "doi": ("doi",),
    "pmid": ("pmid",),
    "pmcid": ("pmcid",),
    "abstract": ("abstract",),
    "publisher": ("publisher",),
    "issn": ("issn", "eissn"),
    "language": ("language", "langid"),
    "url": ("url",),
    "keywords": ("keywords", "author_keywords", "keywords-plus", "mesh"),
    "affiliations": ("affiliations", "affiliation"),
    "references": ("cited-references", "references"),
}
# broken entries are reported as failures with their line; bibtexparser's own warnings would
# only repeat them on stderr
logging.getLogger("bibtexparser").setLevel(logging.ERROR)
_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.M)


def sniff(text: str, name: str) -> float:
    head = text[:20000]
    if _ENTRY.search(head) and re.search(r"^\s*(?:title|author)\s*=", head, re.M | re.I):
        return 0.9
    return 0.0


def _stack():
    return [mw.NormalizeFieldKeys(allow_inplace_modification=True),
            mw.SeparateCoAuthors(allow_inplace_modification=True),
            mw.SplitNameParts(allow_inplace_modification=True)]


def parse(text: str, name: str) -> ParseResult:
    result = ParseResult()
    try:
        library = bibtexparser.parse_string(text, append_middleware=_stack())
    except Exception as exc:  # a third-party parser: report it as this file's failure
        result.failures.append(Failure(reason=f"BibTeX could not be read: {exc}"))
        return result
    entries = list(library.entries)
    for block in library.failed_blocks:
        raw = getattr(block, "raw", "") or ""
        if not raw.strip().startswith("@"):
            continue  # text outside entries, e.g. Scopus's preamble
        recovered = getattr(block, "ignore_error_block", None)
        if recovered is not None and hasattr(recovered, "fields_dict"):
            entries.append(recovered)  # a repeated field (Scopus funding_details): keep the first
            result.warnings.append(f"entry {recovered.key}: repeated field kept once")
            continue
        reason = getattr(block, "error", None) or "unreadable BibTeX entry"
        result.failures.append(Failure(line=(block.start_line or 0) + 1, reason=str(reason)[:200],
                                       raw=raw[:2000]))
    for entry in sorted(entries, key=lambda e: e.start_line or 0):
        author = {k.lower(): f for k, f in entry.fields_dict.items()}.get("author")
        if author is not None and isinstance(author.value, str):  # a recovered entry
            for step in [mw.RemoveEnclosingMiddleware(allow_inplace_modification=True),
                         *_stack()[1:]]:
                entry = step.transform_entry(entry, library) or entry
        fields = {k.lower(): f.value for k, f in entry.fields_dict.items()}
        record = to_record(entry.entry_type, fields)
        record.origins = [Origin(file=name, line=(entry.start_line or 0) + 1, format="bibtex",
                                 source_id=entry.key)]
        result.records.append(record)
    return result


_LATEX = None


def _decode(value: str) -> str:
    """LaTeX to Unicode, only for values that hold a backslash (most do not: it is costly)."""
    global _LATEX
    if "\\" not in value:
        return value
    if _LATEX is None:
        from pylatexenc.latex2text import LatexNodes2Text

        _LATEX = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)
    try:
        return _LATEX.latex_to_text(value)
    except Exception:  # pylatexenc on malformed LaTeX: keep the text as written
        return value


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    value = re.sub(r"(?<!\\)[{}]", "", _decode(str(value))).strip()
    return value or None


def _first(fields: dict, names: tuple[str, ...]) -> str | None:
    for key in names:
        value = _text(fields.get(key))
        if value:
            return value
    return None


def _authors(value) -> list[Author]:
    found = []
    for person in value or []:
        if hasattr(person, "last"):
            family = _text(" ".join(person.von + person.last)) or ""
            given = _text(" ".join(person.first + person.jr)) or ""
            if family or given:
                found.append(Author(family=family or None, given=given or None))
        elif isinstance(person, str):
            author = normalize.author(_text(person))
            if author:
                found.append(author)
    return found


def to_record(entry_type: str, fields: dict) -> Record:
    keywords = []
    for key in FIELDS["keywords"]:
        text = _text(fields.get(key))
        if text:
            separator = ";" if ";" in text else ","
            keywords.extend(k.strip() for k in text.split(separator) if k.strip())
    references = []
    for key in FIELDS["references"]:
        text = fields.get(key)
        if text:
            references.extend(r.strip() for r in re.split(r"\n|;\s*(?=[A-Z])", _text(text) or "")
                              if r.strip())
    affiliations = []
    for key in FIELDS["affiliations"]:
        text = _text(fields.get(key))
        if text:
            affiliations.extend(a.strip() for a in text.split(";") if a.strip())
        if affiliations:
            break
    return Record(
        title=_first(fields, FIELDS["title"]),
        authors=_authors(fields.get("author")),
        journal=_first(fields, FIELDS["journal"]),
        year=normalize.year(_first(fields, FIELDS["year"])),
        volume=_first(fields, FIELDS["volume"]),
        issue=_first(fields, FIELDS["issue"]),
        pages=(_first(fields, FIELDS["pages"]) or "").replace("--", "-") or None,
        doi=_first(fields, FIELDS["doi"]),
        pmid=_first(fields, FIELDS["pmid"]),
        pmcid=_first(fields, FIELDS["pmcid"]),
        abstract=_first(fields, FIELDS["abstract"]),
        keywords=keywords,
        publisher=_first(fields, FIELDS["publisher"]),
        issn=_first(fields, FIELDS["issn"]),
        language=_first(fields, FIELDS["language"]),
        url=_first(fields, FIELDS["url"]),
        affiliations=affiliations,
        references=references,
        doc_type=entry_type.lower() or None,
        kind=Kind.EXPORT_RECORD,
    )


FORMATS = [Format("bibtex", sniff, parse, (".bib", ".bibtex"), "BibTeX (bibtexparser v2)",
                  record_break="@")]
