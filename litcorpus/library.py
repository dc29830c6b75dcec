"""The public API: one open corpus with every verb of the pipeline as a method, as sqlite-utils'
`Database` is. `litcorpus.open(path)` returns a `Library`.

    corpus = litcorpus.open("review.db")
    corpus.ingest(["downloads/"])
    corpus.dedupe()
    corpus.filter("topic.yaml")
    corpus.export("ris", "screening.ris")

Every method returns a typed result; limits are arguments, never read from the environment here
(the CLI reads LITCORPUS_* and passes them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from litcorpus import intake
from litcorpus.corpus import Corpus
from litcorpus.errors import LitcorpusError
from litcorpus.intake import IngestReport, Limits, Progress
from litcorpus.models import Record


@dataclass(frozen=True)
class Stats:
    """Counts of a corpus: files by status and format, records, and what later stages decided."""

    files: int
    files_by_status: dict[str, int] = field(default_factory=dict)
    records: int = 0
    records_by_format: dict[str, int] = field(default_factory=dict)
    unique_records: int | None = None
    """Canonical records after dedupe; None when dedupe has not run."""
    relevance: dict[str, int] = field(default_factory=dict)
    """The filter's decisions (keep, review, drop) and how many of each."""


class Library:
    """A corpus file opened for the pipeline: ingest -> dedupe -> filter -> export.

    `create=False` refuses a path where no corpus exists yet (as every command but ingest does).
    `limits` bound the inputs `ingest` reads whole or streams.
    """

    def __init__(self, path: str | Path | None = None, *, create: bool = True,
                 limits: Limits | None = None):
        self.corpus = Corpus(path, create=create)
        self.limits = limits or Limits()

    @property
    def path(self) -> Path:
        return self.corpus.path

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.corpus.close()

    def ingest(self, paths: Iterable[str | Path], *, jobs: int | None = None,
               progress: Progress | None = None) -> IngestReport:
        """Read files and folders (also inside .zip and .gz) into the corpus; every file gets an
        outcome. `jobs`: processes that parse at once (default: the CPUs available)."""
        if isinstance(paths, str | Path):
            paths = [paths]
        return intake.ingest(paths, self.corpus, progress, jobs, self.limits)

    def dedupe(self, *, decisions: str | Path | None = None, progress=None,
               jobs: int | None = None):
        """Link duplicates into canonical records (input records are never changed). `decisions`:
        a filled-in review file whose `decision` column says duplicate or distinct; `jobs`:
        processes for a large corpus (default: the CPUs available).
        Returns a `litcorpus.dedupe.DedupeReport`."""
        from litcorpus import dedupe

        return dedupe.dedupe(self.corpus, decisions=Path(decisions) if decisions else None,
                             progress=progress, jobs=jobs)

    def undo_dedupe(self) -> None:
        """Remove every merge; a person's decisions are kept."""
        from litcorpus import dedupe

        dedupe.reset(self.corpus)

    def explain(self, record_id: str):
        """Why a canonical record holds the records it holds (a `litcorpus.dedupe.Explanation`)."""
        from litcorpus import dedupe

        return dedupe.explain(self.corpus, record_id)

    def filter(self, profile, *, decisions: Mapping[str, str] | None = None):
        """Decide keep, review or drop for every record against a topic profile (a YAML path or a
        `litcorpus.relevance.Profile`); `decisions` are a person's (record ID -> decision), which
        later runs keep. Returns a `litcorpus.relevance.FilterReport`."""
        from litcorpus import relevance

        if not isinstance(profile, relevance.Profile):
            profile = relevance.load_profile(profile)
        for record_id, decision in (decisions or {}).items():
            relevance.set_decision(self.corpus, record_id, decision)
        return relevance.filter_corpus(self.corpus, profile)

    def export(self, format_name: str, out: TextIO | str | Path, *,
               include_dropped: bool = False) -> int:
        """Write the corpus (after dedupe and filter, when they have run) in `format_name` to a
        text stream or a file; returns the number of items written."""
        from litcorpus.exporters import ExportContext, registry

        exporters = registry()
        if format_name not in exporters:
            raise LitcorpusError(f"unknown export format {format_name!r}",
                                 f"choose one of: {', '.join(sorted(exporters))}")
        with _text_out(out) as handle:
            return exporters[format_name].write(ExportContext(self.corpus, include_dropped), handle)

    def check(self, expect: str | Path):
        """Dedupe, filter (when the expectations name a profile) and compare the corpus with the
        expectations in `expect` (YAML). Returns a `litcorpus.check.CheckReport`."""
        from litcorpus import check

        return check.compare(self.corpus, Path(expect))

    def stats(self) -> Stats:
        """Counts of files, records, canonical records and the filter's decisions."""
        corpus = self.corpus
        sources = corpus.sources()
        by_format: Counter = Counter()
        for source in sources:
            if source.format:
                by_format[source.format] += source.records
        return Stats(
            files=len(sources),
            files_by_status=dict(Counter(s.status.value for s in sources)),
            records=corpus.count(),
            records_by_format=dict(by_format),
            unique_records=sum(1 for _ in corpus.canonical_records()) if corpus.has_canonical()
            else None,
            relevance=dict(Counter(d["decision"] for d in corpus.relevance().values())),
        )

    def records(self) -> Iterator[Record]:
        """The canonical records (every input record while dedupe has not run)."""
        return self.corpus.canonical_records()


@contextmanager
def _text_out(out: TextIO | str | Path):
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            yield handle
    else:
        yield out


__all__ = ["Library", "Stats"]
