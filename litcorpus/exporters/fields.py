"""Small helpers the writers share: display of authors, origins and page ranges."""

from __future__ import annotations

from litcorpus.models import Record


def origins_text(record: Record) -> str:
    """`file:line (format, id)` for every origin, ` | `-separated: how a record is traced back."""
    parts = []
    for origin in record.origins:
        where = f"{origin.name}:{origin.line}" if origin.line else origin.name
        ident = f", {origin.source_id}" if origin.source_id else ""
        parts.append(f"{where} ({origin.format}{ident})")
    return " | ".join(parts)


def authors_text(record: Record, separator: str = "; ") -> str:
    return separator.join(a.display() for a in record.authors)


def page_range(record: Record) -> tuple[str | None, str | None]:
    """(start page, end page) from the record's pages."""
    if not record.pages:
        return None, None
    start, _, end = record.pages.partition("-")
    return start.strip() or None, end.strip() or None
