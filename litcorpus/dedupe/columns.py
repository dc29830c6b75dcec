"""Match keys in columns: what dedupe compares, for a million records in bounded memory.

A prototype for the streaming dedupe (issue 19), not yet used by `dedupe()`: records are read from
the corpus one at a time, their keys (`keys.keys`, unchanged) computed once and appended to
compact columns (UTF-8 bytes with offsets, small integers, 64-bit block-key hashes), and the record
objects dropped. Memory then grows with the number of records only through these columns (about
0.3 KB a record against about 10 KB for a pydantic record and its `Keys`). Columns can be saved
to and loaded from one `.npz` file, so that another process (or DuckDB) reads them without the
corpus.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path

import numpy as np

from litcorpus.dedupe.keys import Keys, keys
from litcorpus.models import Record

#: the block kinds of `blocking.block_keys`, in column order
BLOCK_KINDS = ("doi", "pmid", "title-start", "title-end", "author-year", "volume-page",
               "author-page")
TEXT = ("id", "title", "first_author", "authors", "journal", "doi", "pmid", "volume", "issue",
        "first_page", "pages")
FLAGS = ("erratum", "comment", "preprint", "latin")


class StringColumn:
    """Strings as one UTF-8 buffer and offsets: 1 byte a character and 8 bytes a value, where a
    Python str costs 50 bytes more."""

    def __init__(self, data: np.ndarray, offsets: np.ndarray):
        self.data, self.offsets = data, offsets

    @classmethod
    def build(cls, values: Iterable[str]) -> StringColumn:
        builder = _Builder()
        for value in values:
            builder.append(value)
        return builder.column()

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        return self.data[self.offsets[i]:self.offsets[i + 1]].tobytes().decode("utf-8")

    def take(self, indices: Iterable[int]) -> list[str]:
        """The values at `indices`, as strs (what rapidfuzz compares)."""
        data, offsets = memoryview(self.data), self.offsets.tolist()
        return [str(data[offsets[i]:offsets[i + 1]], "utf-8") for i in indices]

    @property
    def nbytes(self) -> int:
        return self.data.nbytes + self.offsets.nbytes


class _Builder:
    """Appends strings to a growing buffer; no str is kept."""

    def __init__(self):
        self.buffer, self.offsets = bytearray(), array("q", [0])

    def append(self, value: str) -> None:
        self.buffer += value.encode("utf-8")
        self.offsets.append(len(self.buffer))

    def column(self) -> StringColumn:
        return StringColumn(np.frombuffer(self.buffer, dtype=np.uint8),  # no copy
                            np.frombuffer(self.offsets, np.int64))


def block_hash(key: tuple) -> int:
    """A stable 63-bit hash of one block key (0 is kept for 'no block')."""
    digest = blake2b("\x1f".join(map(str, key)).encode("utf-8"), digest_size=8).digest()
    return (int.from_bytes(digest, "little") >> 1) or 1


def record_blocks(k: Keys) -> dict[str, int]:
    """The block keys of one record, hashed by kind (the same keys as `blocking.block_keys`)."""
    from litcorpus.dedupe.blocking import block_keys

    return {key[0]: block_hash(key) for key in block_keys(k)}


@dataclass
class KeyColumns:
    """The match keys of every record, column by column; row i is the record read i-th."""

    text: dict[str, StringColumn]
    year: np.ndarray          # int16, 0 when missing
    flags: np.ndarray         # uint8 bit field of FLAGS
    blocks: np.ndarray        # int64 (records x BLOCK_KINDS) block-key hashes, 0 for none

    def __len__(self) -> int:
        return len(self.year)

    @property
    def nbytes(self) -> int:
        return (sum(c.nbytes for c in self.text.values()) + self.year.nbytes + self.flags.nbytes
                + self.blocks.nbytes)

    @classmethod
    def from_records(cls, records: Iterable[Record]) -> KeyColumns:
        """Columns from a stream of records (e.g. `corpus.records()`), one record held at a time."""
        return cls.from_keys(keys(r, i) for i, r in enumerate(records))

    @classmethod
    def from_keys(cls, stream: Iterable[Keys]) -> KeyColumns:
        text = {name: _Builder() for name in TEXT}
        year, flags, blocks = array("h"), array("B"), array("q")
        for k in stream:
            values = (k.id, k.title, k.authors[0] if k.authors else "", " ".join(k.authors),
                      " ".join(k.journal), k.doi or "", k.pmid or "", k.volume or "",
                      k.issue or "", k.first_page or "", k.pages or "")
            for name, value in zip(TEXT, values, strict=True):
                text[name].append(value)
            year.append(k.year if k.year and 0 < k.year < 32767 else 0)
            flags.append(k.erratum | k.comment << 1 | k.preprint << 2 | (k.script == "latin") << 3)
            found = record_blocks(k)
            blocks.extend(found.get(kind, 0) for kind in BLOCK_KINDS)
        return cls({name: b.column() for name, b in text.items()}, np.frombuffer(year, np.int16),
                   np.frombuffer(flags, np.uint8),
                   np.frombuffer(blocks, np.int64).reshape(-1, len(BLOCK_KINDS)))

    def save(self, path: str | Path) -> None:
        arrays = {"year": self.year, "flags": self.flags, "blocks": self.blocks}
        for name, column in self.text.items():
            arrays[f"{name}.data"], arrays[f"{name}.offsets"] = column.data, column.offsets
        np.savez(path, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> KeyColumns:
        with np.load(path) as f:
            text = {name: StringColumn(f[f"{name}.data"], f[f"{name}.offsets"]) for name in TEXT}
            return cls(text, f["year"], f["flags"], f["blocks"])
