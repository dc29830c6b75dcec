"""The tag layer shared by line-tagged exports (MEDLINE, Web of Science, EndNote/Refer, Ovid).

A dialect is data: how a tag line looks, which tag starts or ends a record, and how continuation
lines attach. `split()` returns records as ordered (tag, value, line) lists; the format modules map
tags to fields.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from litcorpus.models import Origin, ParseResult, RawRecord


@dataclass(frozen=True)
class Dialect:
    """How one tagged format writes its lines.

    Patterns are regular-expression text without anchors: a tag line is `tag` + `separator` + the
    value; a continuation line (matched by `continuation` at its start, never a tag line) adds to
    the value above it.
    """

    name: str
    tag: str                    # the tag itself, e.g. `[A-Z][A-Z0-9]{0,3}`
    separator: str              # between tag and value, e.g. `[ \t]*- `
    start: frozenset[str]       # tags that open a record
    end: frozenset[str] = frozenset()       # tags that close a record
    blank_line_ends: bool = False            # a blank line closes a record
    continuation: str = r"[ \t]+\S"          # how a line that continues the last value starts
    new_value_on_continuation: frozenset[str] = frozenset()  # tags whose continuation lines
    #                                                          are further values (WoS AU, CR)
    skip: frozenset[str] = frozenset()       # header tags outside records (FN, VR, EF)
    id_tags: tuple[str, ...] = ()            # the input's own record ID, first present wins

    @functools.cached_property
    def pattern(self) -> re.Pattern:
        """One tag line with its continuation lines (group 1 tag, group 2 value); or a blank
        line (group 1 None) when blank lines end records. Blank lines inside a value are kept
        out of it otherwise."""
        gap = "" if self.blank_line_ends else r"(?:[ \t]*\n)*"
        more = rf"(?:\n{gap}(?!(?:{self.tag}){self.separator}){self.continuation}.*)*"
        line = rf"({self.tag}){self.separator}(.*{more})"
        return re.compile(rf"^(?:{line}|[ \t]*$)" if self.blank_line_ends else rf"^{line}", re.M)


@dataclass
class TaggedRecord:
    """One record's (tag, value) pairs in file order, and the line it starts on."""

    line: int
    fields: list[tuple[str, str]]
    _by_tag: dict[str, list[str]] | None = None

    def index(self) -> dict[str, list[str]]:
        """Non-empty values by tag (what a field map reads), built on first use (records are
        complete by then); not to be changed."""
        if self._by_tag is None:
            self._by_tag = {}
            for t, v in self.fields:
                if v:
                    self._by_tag.setdefault(t, []).append(v)
        return self._by_tag

    def values(self, tag: str) -> list[str]:
        """The non-empty values of `tag`, in order."""
        return list(self.index().get(tag, ()))  # a copy: callers may change it

    def first(self, *tags: str) -> str | None:
        """The first value of the first tag present."""
        index = self.index()
        for tag in tags:
            values = index.get(tag)
            if values:
                return values[0]
        return None


def split(text: str, dialect: Dialect) -> Iterator[TaggedRecord]:
    """Records of a tagged file, each with the line it starts on (1-based).

    One regular-expression pass over the whole text finds every tag line with its continuation
    lines; other lines are not part of any value and are passed over.
    """
    current: TaggedRecord | None = None
    line, pos = 1, 0
    start, end, skip = dialect.start, dialect.end, dialect.skip
    separate = dialect.new_value_on_continuation
    for match in dialect.pattern.finditer(text):
        tag, value = match.group(1, 2)
        if tag is None:  # a blank line, which ends a record in this dialect
            if current is not None:
                yield current
            current = None
            continue
        if tag in skip:
            continue
        if tag in end:
            if current is not None:
                yield current
            current = None
            continue
        if tag in start and current is not None and (
                not dialect.blank_line_ends or any(t in start for t, _ in current.fields)):
            yield current
            current = None
        if current is None:
            line += text.count("\n", pos, match.start())
            pos = match.start()
            current = TaggedRecord(line, [])
        if "\n" not in value:
            current.fields.append((tag, value.strip()))
            continue
        parts = [part.strip() for part in value.split("\n")]
        if tag in separate:
            current.fields.append((tag, parts[0]))
            current.fields.extend((tag, part) for part in parts[1:] if part)
        else:
            current.fields.append((tag, " ".join(part for part in parts if part)))
    if current is not None:
        yield current


def parse_records(text: str, name: str, dialect: Dialect,
                  convert: Callable[[TaggedRecord], RawRecord | None]) -> ParseResult:
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
