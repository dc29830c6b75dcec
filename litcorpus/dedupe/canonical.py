"""Canonical records, written as the corpus streams past: one per cluster, in the order of each
cluster's first record (ingest order), as before.

A record alone is its own canonical record: it is copied as stored, never parsed. When the stream
reaches the first record of a cluster, the cluster's members are read from the corpus by ID and
merged (`merge.merge`); its other members are passed over when the stream reaches them. So only
one cluster's records are ever held as objects.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from litcorpus.corpus import Corpus, Stored
from litcorpus.dedupe.columns import KeyColumns
from litcorpus.dedupe.merge import merge
from litcorpus.errors import CorpusError
from litcorpus.models import Record


def canonical_records(corpus: Corpus, columns: KeyColumns, clusters: dict[int, list[int]],
                      demoted: frozenset[str]) -> Iterator[Record | Stored]:
    """The canonical records of a corpus whose multi-record clusters are `clusters` (first member
    -> members in ingest order); every other record stands alone."""
    later = np.zeros(len(columns), bool)
    for members in clusters.values():
        later[members[1:]] = True
    n = 0
    for n, row in enumerate(corpus.record_rows(), start=1):
        i = n - 1
        if i >= len(columns) or row.id != columns.id[i]:
            raise CorpusError(f"the corpus {corpus.path} changed while dedupe ran",
                              "run 'litcorpus dedupe' again once ingest has finished")
        if i in clusters:
            yield merge(corpus.records_by_id([columns.id[m] for m in clusters[i]]), demoted=demoted)
        elif not later[i]:
            yield row
    if n != len(columns):
        raise CorpusError(f"the corpus {corpus.path} changed while dedupe ran",
                          "run 'litcorpus dedupe' again once ingest has finished")
