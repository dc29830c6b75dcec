"""litcorpus: turn a folder of literature downloads into one clean corpus ready for screening.

The pipeline, one module a stage: ingest -> dedupe -> relevance (filter) -> exporters.
The functions here are the library's public API; the CLI (litcorpus.cli) is a thin layer over them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from litcorpus.corpus import Corpus
from litcorpus.errors import LitcorpusError
from litcorpus.intake import IngestReport, Progress
from litcorpus.intake import ingest as _ingest
from litcorpus.models import Author, Origin, Record, SourceOutcome, Status

__version__ = "0.1.0"


def ingest(paths: list[str | Path], db: str | Path | None = None,
           progress: Progress | None = None, jobs: int | None = None) -> IngestReport:
    """Read files and folders into the corpus at `db`; every file gets an outcome. `jobs` caps the
    processes parsing one large file (default: the CPUs available)."""
    with Corpus(db) as corpus:
        return _ingest(paths, corpus, progress, jobs)


def export(format_name: str, out: TextIO, db: str | Path | None = None,
           include_dropped: bool = False) -> int:
    """Write the corpus in `format_name` to `out`; returns the number of items written."""
    from litcorpus.exporters import ExportContext, registry

    exporters = registry()
    if format_name not in exporters:
        raise LitcorpusError(f"unknown export format {format_name!r}",
                             f"choose one of: {', '.join(sorted(exporters))}")
    with Corpus(db, create=False) as corpus:
        return exporters[format_name].write(ExportContext(corpus, include_dropped), out)


def stats(db: str | Path | None = None) -> dict:
    """Counts of files by status and format, records, and canonical records."""
    from collections import Counter

    with Corpus(db, create=False) as corpus:
        sources = corpus.sources()
        canonical = sum(1 for _ in corpus.canonical_records()) if corpus.has_canonical() else None
        decisions = Counter(d["decision"] for d in corpus.relevance().values())
        return {
            "files": len(sources),
            "files_by_status": dict(Counter(s.status.value for s in sources)),
            "records_by_format": _records_by_format(sources),
            "records": corpus.count(),
            "unique_records": canonical,
            "relevance": dict(decisions),
        }


def _records_by_format(sources: list[SourceOutcome]) -> dict[str, int]:
    found: dict[str, int] = {}
    for source in sources:
        if source.format:
            found[source.format] = found.get(source.format, 0) + source.records
    return found


__all__ = ["Author", "Corpus", "IngestReport", "LitcorpusError", "Origin", "Record",
           "SourceOutcome", "Status", "export", "ingest", "stats"]
