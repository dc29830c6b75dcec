"""Canonical records: one per cluster, each field chosen by a stated policy, with the member
record it came from remembered in `field_sources`. Input records are never changed."""

from __future__ import annotations

from litcorpus import normalize
from litcorpus.models import Kind, Record

KIND_RANK = {Kind.FULL_TEXT: 0, Kind.EXPORT_RECORD: 1, Kind.METADATA_PAGE: 2,
             Kind.LISTING_ENTRY: 3, Kind.ABSTRACT: 4}
POLICY = {
    "title": "a clean title (no markup, entities or LaTeX escapes), not all capitals, then the longest",
    "authors": "the longest author list, then the one with the fullest given names",
    "journal": "a clean journal name, not all capitals, then the longest (full name)",
    "pages": "the full page range (longest after expanding 1019-27)",
    "abstract": "a clean abstract, then the longest",
    "date": "the most precise date (ISO: a day over a month over a year) in the chosen year",
    "document type": "the first member's with one: doc_type, doc_subtype and doc_type_original together",
    "identifiers": "the first article-level DOI or PMID (one this corpus shows is issue-level "
                   "comes last)",
    "lists": "the union of keywords, affiliations, translations and references",
}


def _shouting(value: str) -> bool:
    letters = [c for c in value if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


clean = normalize.looks_clean


def _pick(members: list[Record], field: str, key) -> Record | None:
    having = [r for r in members if getattr(r, field)]
    return max(having, key=key) if having else None


def merge(members: list[Record], demoted: set[str] | frozenset[str] = frozenset()) -> Record:
    """The canonical record of a cluster (members in ingest order); an identifier in `demoted`
    (shared here by different works) is taken only when no member has another."""
    if len(members) == 1:
        return members[0]  # a record alone is its own canonical record (never changed here)
    ordered = sorted(members, key=lambda r: KIND_RANK.get(r.kind, 9))
    out = Record(id=members[0].id, kind=ordered[0].kind, merged_from=[r.id for r in members])
    sources: dict[str, str] = {}

    def take(field: str, chosen: Record | None, value=None) -> None:
        if chosen is not None:
            setattr(out, field, value if value is not None else getattr(chosen, field))
            sources[field] = chosen.id

    take("title", _pick(ordered, "title", lambda r: (clean(r.title), not _shouting(r.title),
                                                     len(r.title))))
    take("authors", _pick(ordered, "authors", lambda r: (
        len(r.authors), sum(len(a.given or "") for a in r.authors))))
    if out.authors:
        out.authors = [a.model_copy(deep=True) for a in out.authors]
    take("journal", _pick(ordered, "journal", lambda r: (clean(r.journal), not _shouting(r.journal),
                                                         len(r.journal))))
    years = [r.year for r in ordered if r.year]
    if years:
        year = max(set(years), key=years.count)
        take("year", next(r for r in ordered if r.year == year))
    take("date", _pick(ordered, "date", lambda r: (r.date[:4] == str(out.year),
                                                   normalize.date_precision(r.date))))
    for field in ("volume", "issue", "doi", "pmid", "pmcid", "issn", "publisher", "url"):
        having = [r for r in ordered if getattr(r, field)]
        take(field, min(having, key=lambda r: getattr(r, field) in demoted) if having else None)
    doc = next((r for r in ordered if r.doc_type or r.doc_subtype), None)
    for field in ("doc_type", "doc_subtype", "doc_type_original"):
        take(field, doc if doc is not None and getattr(doc, field) is not None else None)
    take("pages", _pick(ordered, "pages", lambda r: len(normalize.pages_full(r.pages) or "")))
    chosen = _pick(ordered, "abstract", lambda r: (clean(r.abstract), len(r.abstract)))
    take("abstract", chosen)
    if chosen is not None:
        take("language", chosen)
    else:
        take("language", next((r for r in ordered if r.language), None))
    for r in ordered:
        for lang, text in r.translations.items():
            if lang != out.language and lang not in out.translations:
                out.translations[lang] = text
                sources[f"translations.{lang}"] = r.id
        for lang, text in r.title_translations.items():
            out.title_translations.setdefault(lang, text)
    out.keywords = _union(r.keywords for r in ordered)
    out.affiliations = _union(r.affiliations for r in ordered)
    out.references = _union(r.references for r in ordered)
    out.files = _union(r.files for r in ordered)  # the full texts (PDFs, article pages) linked
    out.origins = [o for r in members for o in r.origins]
    out.field_sources = sources
    return out


def _union(lists) -> list[str]:
    seen: dict[str, None] = {}
    for values in lists:
        seen.update(dict.fromkeys(values))
    return list(seen)
