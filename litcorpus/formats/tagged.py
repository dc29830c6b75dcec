"""The tag layer shared by line-tagged exports (MEDLINE, Web of Science, EndNote/Refer, Ovid).

A dialect is data: how a tag line looks, which tag starts or ends a record, and how continuation
lines attach. `split()` returns records as ordered (tag, value, line) lists; the format modules map
tags to fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from litcorpus.models import Origin, ParseResult, Record


@dataclass(frozen=True)
class Dialect:
    """How one tagged format writes its lines."""

    name: str
    tag_line: re.Pattern        # groups: tag, value
    start: frozenset[str]       # tags that open a record
    end: frozenset[str] = frozenset()       # tags that close a record
    blank_line_ends: bool = False            # a blank line closes a record
    continuation: re.Pattern = re.compile(r"^\s+\S")  # a line that continues the last value
    new_value_on_continuation: frozenset[str] = frozenset()  # tags whose continuation lines
    #                                                          are further values (WoS AU, CR)
    skip: frozenset[str] = frozenset()       # header tags outside records (FN, VR, EF)
    id_tags: tuple[str, ...] = ()            # the input's own record ID, first present wins


@dataclass
class TaggedRecord:
    """One record's (tag, value) pairs in file order, and the line it starts on."""

    line: int
    fields: list[tuple[str, str]]
    _by_tag: dict[str, list[str]] | None = None

    def _index(self) -> dict[str, list[str]]:
        """Non-empty values by tag, built on first use (records are complete by then)."""
        if self._by_tag is None:
            self._by_tag = {}
            for t, v in self.fields:
                if v:
                    self._by_tag.setdefault(t, []).append(v)
        return self._by_tag

    def values(self, tag: str) -> list[str]:
        """The non-empty values of `tag`, in order."""
        return list(self._index().get(tag, ()))  # a copy: callers may change it

    def first(self, *tags: str) -> str | None:
        """The first value of the first tag present."""
        index = self._index()
        for tag in tags:
            values = index.get(tag)
            if values:
                return values[0]
        return None


def split(text: str, dialect: Dialect) -> Iterator[TaggedRecord]:
    """Records of a tagged file, each with the line it starts on (1-based)."""
    current: TaggedRecord | None = None
    last_tag: str | None = None
    more: list[str] = []  # continuation lines of the last value, joined once it is complete
    tag_line, continuation = dialect.tag_line.match, dialect.continuation.match
    start, end, skip = dialect.start, dialect.end, dialect.skip

    def close() -> None:
        tag, first = current.fields[-1]
        current.fields[-1] = (tag, " ".join([first, *more]).strip())
        more.clear()

    for number, line in enumerate(text.split("\n"), start=1):
        if not line or line.isspace():
            if dialect.blank_line_ends and current is not None and current.fields:
                if more:
                    close()
                yield current
                current, last_tag = None, None
            continue
        match = tag_line(line)
        if match:
            if more:
                close()
            tag, value = match.group(1).strip(), match.group(2).strip()
            if tag in skip:
                continue
            if tag in end:
                if current is not None:
                    yield current
                current, last_tag = None, None
                continue
            if tag in start and current is not None and (
                    not dialect.blank_line_ends or any(t in start for t, _ in current.fields)):
                yield current
                current = None
            if current is None:
                current = TaggedRecord(number, [])
            current.fields.append((tag, value))
            last_tag = tag
        elif current is not None and last_tag and continuation(line):
            if last_tag in dialect.new_value_on_continuation:
                current.fields.append((last_tag, line.strip()))
            else:
                more.append(line.strip())
    if current is not None and current.fields:
        if more:
            close()
        yield current


def parse_records(text: str, name: str, dialect: Dialect,
                  convert: Callable[[TaggedRecord], Record | None]) -> ParseResult:
    """Every record of a tagged file through `convert` (None: not a record), with its origin."""
    result = ParseResult()
    for raw in split(text, dialect):
        record = convert(raw)
        if record is None:
            continue
        record.origins = [Origin(file=name, line=raw.line, format=dialect.name,
                                 source_id=raw.first(*dialect.id_tags) if dialect.id_tags
                                 else None)]
        result.records.append(record)
    return result
