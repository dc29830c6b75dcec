"""Field maps: which of a source's keys (tags, columns, labels, XML paths) hold each record field,
as data (as rispy's `config.py` holds its tag maps). `FieldMap.raw` reads a record's values
through the map into a `RawRecord`; the normaliser makes the canonical record of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields

from litcorpus.models import RawRecord

LIST_FIELDS = frozenset(f.name for f in dataclass_fields(RawRecord)
                         if f.type.startswith("list") and f.name != "origins")
"""Fields holding every value given (authors, doi, doi_mentions, doc_type, keywords, ...)."""
SCALAR_FIELDS = frozenset(f.name for f in dataclass_fields(RawRecord) if f.type.startswith("str"))


@dataclass(frozen=True)
class FieldMap:
    """record field -> the source's keys that hold it, in order of preference.

    A one-value field takes the first value of the first key present; a list field takes every
    value of the first key present, or of every key listed when the field is in `every`. Keys in
    `joined` hold one value broken into several (a title over several lines): their values are
    joined with a space.
    """

    fields: Mapping[str, tuple[str, ...]]
    every: frozenset[str] = frozenset()
    joined: frozenset[str] = frozenset()
    _plan: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = set(self.fields) - LIST_FIELDS - SCALAR_FIELDS
        if unknown:
            raise ValueError(f"not record fields: {sorted(unknown)}")
        plan = tuple((name, keys, name in LIST_FIELDS, name in self.every)
                     for name, keys in self.fields.items() if keys)
        object.__setattr__(self, "_plan", plan)

    def with_fields(self, **changes: tuple[str, ...]) -> FieldMap:
        """This map with some fields' keys replaced (a dialect's overrides)."""
        return FieldMap({**self.fields, **changes}, self.every, self.joined)

    def values(self, source: Mapping[str, list[str]]) -> dict:
        """The raw values of one record, by record field: only the fields it has."""
        found: dict = {}
        joined = self.joined
        for name, keys, is_list, every in self._plan:
            if is_list:
                if every:
                    values = [v for key in keys for v in source.get(key) or () if v]
                else:
                    values = next(([v for v in got if v] for key in keys if (got := source.get(key))), [])
                if values:
                    found[name] = values
            else:
                for key in keys:
                    got = source.get(key)
                    if got:
                        value = " ".join(got) if key in joined else got[0]
                        if value:
                            found[name] = value
                            break
        return found

    def raw(self, source: Mapping[str, list[str]], **extra) -> RawRecord:
        """A raw record of `source` (key -> values in order), with `extra` fields set as given."""
        values = self.values(source)
        values.update(extra)
        return RawRecord(**values)
