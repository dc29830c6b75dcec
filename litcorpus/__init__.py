"""litcorpus: turn a folder of literature downloads into one clean corpus ready for screening.

The pipeline, one module a stage: intake -> dedupe -> relevance (filter) -> exporters.
`litcorpus.open(path)` gives the library's public API, a `Library` with every verb as a method;
the CLI (litcorpus.cli) is a thin layer over it. `ingest`, `export` and `stats` here are the same
verbs on a corpus path, kept for callers written before `open`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from litcorpus.corpus import Corpus
from litcorpus.errors import LitcorpusError
from litcorpus.intake import IngestReport, Limits, Progress
from litcorpus.library import Library, Stats
from litcorpus.models import Author, Origin, Record, SourceOutcome, Status

__version__ = "0.1.0"


def open(path: str | Path | None = None, *, create: bool = True,  # the API's name; shadows the
         limits: Limits | None = None) -> Library:                    # builtin in this module only
    """The corpus at `path` (default: $LITCORPUS_DB, else ./litcorpus.db), created when missing
    unless `create=False`. Use it as a context manager, or call `close()`."""
    return Library(path, create=create, limits=limits)


def ingest(paths: list[str | Path], db: str | Path | None = None,
           progress: Progress | None = None, jobs: int | None = None,
           limits: Limits | None = None) -> IngestReport:
    """`open(db).ingest(paths)`: read files and folders into the corpus at `db`."""
    with Library(db, limits=limits) as library:
        return library.ingest(paths, jobs=jobs, progress=progress)


def export(format_name: str, out: TextIO, db: str | Path | None = None,
           include_dropped: bool = False) -> int:
    """`open(db).export(...)`: write the corpus in `format_name`; returns the items written."""
    with Library(db, create=False) as library:
        return library.export(format_name, out, include_dropped=include_dropped)


def stats(db: str | Path | None = None) -> Stats:
    """`open(db).stats()`: counts of files, records, canonical records and decisions."""
    with Library(db, create=False) as library:
        return library.stats()


__all__ = ["Author", "Corpus", "IngestReport", "Library", "Limits", "LitcorpusError", "Origin",
           "Record", "SourceOutcome", "Stats", "Status", "export", "ingest", "open", "stats"]
