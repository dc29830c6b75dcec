"""BibTeX (Zotero, Scopus, Web of Science, CoLRev, JabRef) read with bibtexparser v2: its splitter
keeps each entry's start line and collects broken entries as failed blocks; its middlewares
decode LaTeX and split names. Scopus's `Scopus / EXPORT DATE` preamble lines are ignored."""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser import middlewares as mw
from bibtexparser.model import DuplicateFieldKeyBlock, Entry

from litcorpus.formats import Format
from litcorpus.formats.fieldmap import LIST_FIELDS, FieldMap
from litcorpus.models import Author, Failure, Origin, ParseResult, RawRecord

FIELDS = FieldMap({
    "title": ("title",),
    "journal": ("journal", "journaltitle", "booktitle", "series"),
    "year": ("year", "date"),
    "date": ("date",),
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
}, every=frozenset({"keywords", "references"}))
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
        if not block.raw.strip().startswith("@"):
            continue  # text outside entries, e.g. Scopus's preamble
        if isinstance(block, DuplicateFieldKeyBlock):  # read whole: every value of a list field
            entry = block.ignore_error_block
            for step in [mw.RemoveEnclosingMiddleware(allow_inplace_modification=True),
                         *_stack()[1:]]:  # the middlewares bibtexparser skips on a failed block
                entry = step.transform_entry(entry, library) or entry
            entries.append(entry)
            result.warnings.extend(_repeated(entry, block.duplicate_keys))
            continue
        result.failures.append(Failure(line=(block.start_line or 0) + 1,
                                       reason=str(block.error or "unreadable BibTeX entry")[:200],
                                       raw=block.raw[:2000]))
    for entry in sorted(entries, key=lambda e: e.start_line or 0):
        record = to_record(entry)
        record.origins = [Origin(file=name, line=(entry.start_line or 0) + 1, format="bibtex",
                                 source_id=entry.key)]
        result.records.append(record)
    return result


def _repeated(entry: Entry, keys: set[str]) -> list[str]:
    """A warning for each field given more than once with different values where only one is
    kept (a list field, such as keywords, keeps every value)."""
    one_value = {key for field, keys_ in FIELDS.fields.items() if field not in LIST_FIELDS
                 for key in keys_}
    warnings = []
    for key in sorted(k.lower() for k in keys):
        values = {str(f.value) for f in entry.fields if f.key.lower() == key}
        if key in one_value and len(values) > 1:
            warnings.append(f"entry {entry.key}: {len(values)} different values of '{key}', "
                            "the first kept")
    return warnings


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


def _authors(value) -> list[Author | str]:
    """Names as bibtexparser's middlewares split them (parts apart), or as printed."""
    found: list[Author | str] = []
    for person in value if isinstance(value, list) else [value] if value else []:
        if hasattr(person, "last"):
            family = _text(" ".join(person.von + person.last))
            given = _text(" ".join(person.first + person.jr))
            if family or given:
                found.append(Author(family=family, given=given))
        elif isinstance(person, str) and (name := _text(person)):
            found.append(name)
    return found


def _split(value: str | None, pattern: str) -> list[str]:
    return [part.strip() for part in re.split(pattern, value or "") if part.strip()]


def to_record(entry: Entry) -> RawRecord:
    """One entry's fields (every value of a repeated one, in order), LaTeX decoded, through FIELDS."""
    values: dict[str, list[str]] = {}
    for field in entry.fields:
        key = field.key.lower()
        if key != "author" and (value := _text(field.value)):
            values.setdefault(key, []).append(value)
    record = FIELDS.raw(values, keywords_comma=True, doc_type=[entry.entry_type])
    record.authors = _authors(entry.fields_dict.get("author").value if "author" in entry.fields_dict
                              else None)
    record.affiliations = [a for value in record.affiliations for a in _split(value, r";")]
    record.references = [r for value in record.references for r in _split(value, r"\n|;\s*(?=[A-Z])")]
    return record


FORMATS = [Format("bibtex", sniff, parse, (".bib", ".bibtex"), "BibTeX (bibtexparser v2)",
                  record_break="@")]
