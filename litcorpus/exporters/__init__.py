"""The registry of output formats. Each module here defines `EXPORTERS`, a list of `Exporter`.

Exporters read canonical records and decisions from the corpus only; they never parse or decide.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TextIO

from litcorpus.corpus import Corpus
from litcorpus.models import Record


@dataclass
class ExportContext:
    """What an exporter reads: the corpus, and whether dropped records are included."""

    corpus: Corpus
    include_dropped: bool = False

    def __post_init__(self) -> None:
        self._relevance = self.corpus.relevance()

    def relevance_of(self, record_id: str | None) -> dict | None:
        """The filter's decision for a record, or None when it was not filtered."""
        return self._relevance.get(record_id or "")

    def records(self) -> Iterator[Record]:
        """Canonical records, without the filter's drops unless `include_dropped`."""
        for record in self.corpus.canonical_records():
            decision = self.relevance_of(record.id)
            if decision and decision["decision"] == "drop" and not self.include_dropped:
                continue
            yield record


@dataclass(frozen=True)
class Exporter:
    """A named output format: write(context, out) -> number of items written."""

    name: str
    write: Callable[[ExportContext, TextIO], int]
    description: str


@lru_cache(maxsize=1)
def registry() -> dict[str, Exporter]:
    """All exporters, found by importing every module of this package."""
    found: dict[str, Exporter] = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        mod = importlib.import_module(f"{__name__}.{module}")
        for exporter in getattr(mod, "EXPORTERS", []):
            found[exporter.name] = exporter
    return found
