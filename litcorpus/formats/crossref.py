"""Crossref REST `/works` JSON: `{"status": "ok", "message": {...}}`, a bare work, or a list of
works (`message.items`)."""

from __future__ import annotations

import json

from litcorpus.formats import Format
from litcorpus.models import Author, Failure, Origin, ParseResult, RawRecord


def sniff(text: str, name: str) -> float:
    head = text.lstrip()[:4000]
    if head.startswith(("{", "[")) and '"DOI"' in text[:200000] and (
            '"container-title"' in text or '"message-type"' in head or '"title"' in text):
        return 0.9
    return 0.0


def parse(text: str, name: str) -> ParseResult:
    result = ParseResult()
    try:
        data = json.loads(text)
    except RecursionError:
        result.failures.append(Failure(reason="JSON nested too deeply to read"))
        return result
    except json.JSONDecodeError as exc:
        result.failures.append(Failure(line=exc.lineno, reason=f"broken JSON: {exc.msg}"))
        return result
    message = data.get("message", data) if isinstance(data, dict) else data
    works = message.get("items", [message]) if isinstance(message, dict) else message
    for n, work in enumerate(works if isinstance(works, list) else []):
        if not isinstance(work, dict):
            result.failures.append(Failure(reason=f"item {n + 1} is not a Crossref work"))
            continue
        record = to_record(work)
        record.origins = [Origin(file=name, line=1 if len(works) == 1 else None,
                                 format="crossref", source_id=_first(work.get("DOI")))]
        result.records.append(record)
    return result


def _first(value) -> str | None:
    if isinstance(value, list):
        return str(value[0]) if value else None
    return str(value) if value else None


DATES = ("published-print", "published-online", "issued", "published", "created")


def _date(work: dict) -> str | None:
    """The first of DATES with a year, its parts joined as `Y-M-D`."""
    for key in DATES:
        parts = (work.get(key) or {}).get("date-parts") or [[]]
        if parts and parts[0] and parts[0][0]:
            return "-".join(str(p) for p in parts[0])
    return None


def _reference(ref: dict) -> str:
    if ref.get("unstructured"):
        return str(ref["unstructured"])
    bits = [ref.get("author"), ref.get("article-title") or ref.get("volume-title"),
            ref.get("journal-title"), ref.get("year"), ref.get("volume"), ref.get("first-page")]
    text = ", ".join(str(b) for b in bits if b)
    if ref.get("DOI"):
        text = f"{text}. doi:{ref['DOI']}" if text else f"doi:{ref['DOI']}"
    return text


def to_record(work: dict) -> RawRecord:
    authors = [Author(family=a.get("family") or a.get("name"), given=a.get("given"),
                      affiliations=[x.get("name") for x in a.get("affiliation", []) if x.get("name")])
               for a in work.get("author", []) if isinstance(a, dict)]
    title = _first(work.get("title"))
    subtitle = _first(work.get("subtitle"))
    if title and subtitle and subtitle.lower() not in title.lower():
        title = f"{title}: {subtitle}"
    return RawRecord(
        title=title,
        authors=authors,
        journal=_first(work.get("container-title")),
        date=_date(work),
        volume=_first(work.get("volume")),
        issue=_first(work.get("issue")),
        pages=_first(work.get("page")),
        article_number=_first(work.get("article-number")),
        doi=[str(work["DOI"])] if work.get("DOI") else [],
        abstract=_first(work.get("abstract")),
        keywords=[str(s) for s in work.get("subject", [])],
        publisher=_first(work.get("publisher")),
        issn=_first(work.get("ISSN")),
        language=_first(work.get("language")),
        url=_first(work.get("URL")),
        references=[_reference(r) for r in work.get("reference", []) if isinstance(r, dict)],
        doc_type=[str(work["type"])] if work.get("type") else [],
    )


FORMATS = [Format("crossref", sniff, parse, (".json",), "Crossref REST /works JSON")]
