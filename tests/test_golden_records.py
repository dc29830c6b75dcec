"""A hand-checked record per dialect (fixtures/formats_golden.yaml) compared field by field."""

from __future__ import annotations

import pytest
import yaml

from litcorpus.intake import read
from tests.conftest import FIXTURES

GOLDEN = yaml.safe_load((FIXTURES / "formats_golden.yaml").read_text("utf-8"))
PLAIN = ("title", "year", "journal", "volume", "issue", "pages", "doi", "pmid")


@pytest.mark.parametrize("expect", GOLDEN, ids=[g["file"] for g in GOLDEN])
def test_golden_record(expect):
    path = FIXTURES / "formats" / expect["file"]
    _, result = read(path.name, path.read_bytes())
    record = result.records[expect["index"]]
    for field in PLAIN:
        if field in expect:
            assert getattr(record, field) == expect[field], field
    if "first_author" in expect:
        first = record.authors[0]
        assert [first.family, first.given] == expect["first_author"]
    if "authors" in expect:
        assert len(record.authors) == expect["authors"]
    if "source_id" in expect:
        assert record.origins[0].source_id == expect["source_id"]
    if "references" in expect:
        assert len(record.references) == expect["references"]
