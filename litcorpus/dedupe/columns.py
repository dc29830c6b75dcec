"""Match keys in columns: every record's keys computed once, while records stream from the corpus.

A million records do not fit in memory as pydantic records (about 6 KB each) with their `Keys`
(about 2 KB), so dedupe reads each record once, computes its keys (`keys.keys`, the one
definition) and keeps them in compact form:

- what numpy works on, one value per record: the record's ID, the title key (UTF-8 bytes with offsets, for
  blocking order and batched rapidfuzz), its length, flags, the script and language, a hash of the
  numbers in the title, one 64-bit hash per block key (`blocking.block_keys`), how many records
  carry the same title key, and the year and hashes of the volume, issue and first page (which
  tell, before any pair is compared field by field, how those fields of a pair compare);
- everything else of `Keys`, one `marshal` blob per record, from which `KeyColumns.keys(i)` rebuilds
  the record's `Keys` (in a few microseconds) when a pair must be compared field by field.

About 0.4 KB a record in all. The record objects are dropped as soon as their keys are taken.
"""

from __future__ import annotations

import itertools
import marshal
import os
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path

import numpy as np

from litcorpus import parallel
from litcorpus.corpus import Corpus
from litcorpus.dedupe.blocking import BLOCK_KINDS, block_keys
from litcorpus.dedupe.keys import Keys, Person, keys
from litcorpus.dedupe.scoring import AUTHORS_COMPARED
from litcorpus.models import Record

# bits of `KeyColumns.flags`
ERRATUM, RETRACTION, COMMENT, PREPRINT, FULL_TEXT, PARTS, PART, NUMBERS = (1 << n for n in range(8))
SCRIPTS = ("latin", "cjk", "cyrillic", "greek", "hangul")
LANGUAGES = ("english", "foreign", "other")


class StringColumn:
    """Strings as one UTF-8 buffer and offsets: a byte a character and 8 bytes a value, where a
    Python str costs about 50 bytes more. `data` and `offsets` are numpy views (no copy) of the
    buffers that scalar access reads (a numpy scalar costs a microsecond, an array item 50 ns)."""

    def __init__(self, buffer: bytes | bytearray, offsets: array):
        self._buffer, self._offsets = memoryview(buffer), offsets
        self.data = np.frombuffer(buffer, dtype=np.uint8)
        self.offsets = np.frombuffer(offsets, dtype=np.int64)

    @classmethod
    def of_arrays(cls, data: np.ndarray, offsets: np.ndarray) -> StringColumn:
        return cls(data.tobytes(), array("q", offsets.astype(np.int64).tobytes()))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i: int) -> str:
        return str(self._buffer[self._offsets[i]:self._offsets[i + 1]], "utf-8")

    def __getstate__(self) -> tuple[bytes, array]:  # a child process sends its columns back
        return bytes(self._buffer), self._offsets

    def __setstate__(self, state: tuple[bytes, array]) -> None:
        self.__init__(*state)

    @classmethod
    def joined(cls, parts: list[StringColumn]) -> StringColumn:
        """Columns one after the other, as one."""
        starts = np.cumsum([0] + [int(part.offsets[-1]) for part in parts[:-1]])
        offsets = np.concatenate([np.zeros(1, np.int64)] + [
            part.offsets[1:] + start for part, start in zip(parts, starts.tolist(), strict=True)])
        return cls(b"".join(bytes(part._buffer) for part in parts), array("q", offsets.tobytes()))

    def raw(self, i: int) -> bytes:
        return self._buffer[self._offsets[i]:self._offsets[i + 1]]

    def take(self, indices: Iterable[int]) -> list[str]:
        """The values at `indices`, as strs (what rapidfuzz compares)."""
        data, offsets = self._buffer, self._offsets
        return [str(data[offsets[i]:offsets[i + 1]], "utf-8") for i in np.asarray(indices).tolist()]

    def take_each(self, *indices: np.ndarray) -> tuple[list[str], ...]:
        """`take` of each index array, every distinct value decoded once (a batch of a large
        corpus's candidate pairs names each of its records in several pairs)."""
        distinct, at = np.unique(np.concatenate(indices), return_inverse=True)
        values, at = self.take(distinct), at.ravel().tolist()
        bounds = np.cumsum([0] + [len(i) for i in indices]).tolist()
        return tuple([values[k] for k in at[a:b]] for a, b in itertools.pairwise(bounds))

    @property
    def nbytes(self) -> int:
        return self.data.nbytes + self.offsets.nbytes


class _Buffer:
    """Appends byte strings to one growing buffer; no Python object is kept per value."""

    def __init__(self):
        self.buffer, self.offsets = bytearray(), array("q", [0])

    def append(self, value: bytes) -> None:
        self.buffer += value
        self.offsets.append(len(self.buffer))

    def column(self) -> StringColumn:
        return StringColumn(self.buffer, self.offsets)


def stable_hash(*parts) -> int:
    """A 63-bit hash of a key that is the same in every process (0 means 'none')."""
    digest = blake2b("\x1f".join(map(str, parts)).encode("utf-8"), digest_size=8).digest()
    return (int.from_bytes(digest, "little") >> 1) or 1


def _pack(k: Keys) -> bytes:
    """The fields of `Keys` that no column holds, as one marshal blob (see `_unpack`)."""
    return marshal.dumps((
        k.doi, k.pmid, k.title_parts,
        tuple(tuple(p) for p in k.people[:AUTHORS_COMPARED]),
        k.year, k.journal, k.volume, k.issue, k.first_page, k.pages, k.script, k.language,
        k.erratum, k.retraction, k.comment, k.part, k.numbers, k.preprint, k.full_text))


def _unpack(blob: bytes, index: int, rid: str, title: str, title_count: int) -> Keys:
    (doi, pmid, parts, people, year, journal, volume, issue, first_page, pages, script,
     language, erratum, retraction, comment, part, numbers, preprint, full_text) = marshal.loads(blob)
    people = tuple(map(Person._make, people))
    return Keys(index, rid, doi, pmid, title, parts, tuple(p.family for p in people), people, year,
                journal, volume, issue, first_page, pages, script, language, erratum, retraction,
                comment, part, numbers, preprint, full_text, title_count)


@dataclass
class KeyColumns:
    """The match keys of every record; row i is the record read i-th (ingest order)."""

    id: StringColumn
    title: StringColumn
    title_length: np.ndarray  # int32, characters of the title key
    flags: np.ndarray         # uint8, bits ERRATUM ... NUMBERS
    script: np.ndarray        # uint8, index in SCRIPTS
    language: np.ndarray      # uint8, index in LANGUAGES
    numbers: np.ndarray       # int64, hash of the numbers in the title (0: none)
    blocks: np.ndarray        # int64 (records x BLOCK_KINDS), block-key hashes (0: none)
    title_count: np.ndarray   # int32, records carrying the same title key (1 without a title)
    rest: StringColumn        # marshal blobs of everything else (`_pack`)
    title_hash: np.ndarray    # int64, hash of the title key (0: no title)
    year: np.ndarray          # int32 (0: none)
    volume: np.ndarray        # int64, hash of the volume key (0: none)
    issue: np.ndarray         # int64, hash of the issue key (0: none)
    first_page: np.ndarray    # int64, hash of the first page (0: none)

    def __len__(self) -> int:
        return len(self.title_length)

    @property
    def nbytes(self) -> int:
        arrays = (self.title_length, self.flags, self.script, self.language, self.numbers,
                  self.blocks, self.title_count, self.title_hash, self.year, self.volume,
                  self.issue, self.first_page)
        return self.id.nbytes + self.title.nbytes + self.rest.nbytes + sum(a.nbytes for a in arrays)

    def keys(self, i: int) -> Keys:
        """The `Keys` of record i, as `keys.keys` gave them (authors: the first
        `AUTHORS_COMPARED`, all that comparing reads)."""
        return _unpack(self.rest.raw(i), i, self.id[i], self.title[i], int(self.title_count[i]))

    @classmethod
    def from_records(cls, records: Iterable[Record]) -> KeyColumns:
        """Columns from a stream of records (`corpus.records()`), one record held at a time."""
        return cls.from_keys(keys(r, i) for i, r in enumerate(records))

    @classmethod
    def from_keys(cls, stream: Iterable[Keys]) -> KeyColumns:
        ids, title, rest = _Buffer(), _Buffer(), _Buffer()
        length, numbers, title_hash, blocks = array("i"), array("q"), array("q"), array("q")
        year, volume, issue, first_page = array("i"), array("q"), array("q"), array("q")
        flags, script, language = array("B"), array("B"), array("B")
        for k in stream:
            ids.append(k.id.encode("utf-8"))
            title.append(k.title.encode("utf-8"))
            rest.append(_pack(k))
            length.append(len(k.title))
            title_hash.append(stable_hash(k.title) if k.title else 0)
            numbers.append(stable_hash(*k.numbers) if k.numbers else 0)
            flags.append(ERRATUM * k.erratum | RETRACTION * k.retraction | COMMENT * k.comment
                         | PREPRINT * k.preprint | FULL_TEXT * k.full_text
                         | PARTS * bool(k.title_parts) | PART * (k.part is not None)
                         | NUMBERS * bool(k.numbers))
            script.append(SCRIPTS.index(k.script))
            language.append(LANGUAGES.index(k.language))
            found = {key[0]: stable_hash(*key) for key in block_keys(k)}
            blocks.extend(found.get(kind, 0) for kind in BLOCK_KINDS)
            year.append(k.year or 0)
            volume.append(stable_hash(k.volume) if k.volume is not None else 0)
            issue.append(stable_hash(k.issue) if k.issue is not None else 0)
            first_page.append(stable_hash(k.first_page) if k.first_page is not None else 0)
        hashes = np.frombuffer(title_hash, np.int64)
        return cls(ids.column(), title.column(), np.frombuffer(length, np.int32), np.frombuffer(flags, np.uint8),
                   np.frombuffer(script, np.uint8), np.frombuffer(language, np.uint8),
                   np.frombuffer(numbers, np.int64),
                   np.frombuffer(blocks, np.int64).reshape(-1, len(BLOCK_KINDS)),
                   _title_counts(hashes), rest.column(), hashes, np.frombuffer(year, np.int32),
                   np.frombuffer(volume, np.int64), np.frombuffer(issue, np.int64),
                   np.frombuffer(first_page, np.int64))

    @classmethod
    def from_corpus(cls, corpus: Corpus, jobs: int | None = None) -> KeyColumns:
        """Columns of every record of `corpus`, in ingest order. A large corpus is cut into `jobs`
        runs (default: the CPUs this process may use) read at once, each after the first by a
        forked child with its own connection to the corpus (`litcorpus.parallel`); the columns are
        the same whatever the number."""
        jobs = jobs or parallel.cpus()
        if corpus.count() < PARALLEL_FROM:
            jobs = 1
        bounds = corpus.record_bounds(jobs)
        runs = list(zip(bounds, [*bounds[1:], None], strict=True))
        parent = os.getpid()

        def read(run: tuple) -> KeyColumns:
            if os.getpid() == parent:  # the first run, or a run whose child failed
                return cls.from_records(corpus.records_between(*run))
            with Corpus(corpus.path, create=False) as own:
                return cls.from_records(own.records_between(*run))

        return cls.joined(list(parallel.results(read, runs)))

    @classmethod
    def joined(cls, parts: list[KeyColumns]) -> KeyColumns:
        """Columns of runs of records, one after the other, as one (title counts over all)."""
        if len(parts) == 1:
            return parts[0]
        text = {name: StringColumn.joined([getattr(p, name) for p in parts]) for name in _TEXT}
        arrays = {name: np.concatenate([getattr(p, name) for p in parts]) for name in _ARRAYS}
        arrays["title_count"] = _title_counts(arrays["title_hash"])
        return cls(**text, **arrays)

    def save(self, path: str | Path) -> None:
        """Every column in one `.npz` file (for another process, or DuckDB)."""
        arrays = {name: getattr(self, name) for name in _ARRAYS}
        for name in _TEXT:
            column = getattr(self, name)
            arrays[f"{name}.data"], arrays[f"{name}.offsets"] = column.data, column.offsets
        np.savez(path, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> KeyColumns:
        with np.load(path) as f:
            text = {name: StringColumn.of_arrays(f[f"{name}.data"], f[f"{name}.offsets"])
                    for name in _TEXT}
            return cls(**text, **{name: f[name] for name in _ARRAYS})


_TEXT = ("id", "title", "rest")
_ARRAYS = ("title_length", "flags", "script", "language", "numbers", "blocks", "title_count",
           "title_hash", "year", "volume", "issue", "first_page")
PARALLEL_FROM = 20_000
"""Records from which the corpus is read into columns by more than one process."""


def _title_counts(hashes: np.ndarray) -> np.ndarray:
    """How many records carry each record's title key; 1 for a record without a title."""
    if not len(hashes):
        return np.zeros(0, np.int32)
    _, inverse, counts = np.unique(hashes, return_inverse=True, return_counts=True)
    out = counts[inverse].astype(np.int32)
    out[hashes == 0] = 1
    return out
