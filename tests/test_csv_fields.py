"""Every CSV fixture read field by field (fixtures/csv_fields.yaml): no field lost to a row read
under the wrong column names; and rows wider than their header repaired or reported."""

from __future__ import annotations

import re

import pytest
import yaml

from litcorpus.formats import tabular
from litcorpus.intake import read
from litcorpus.models import Status
from tests.conftest import FIXTURES

EXPECTED = yaml.safe_load((FIXTURES / "csv_fields.yaml").read_text("utf-8"))
COUNTED = ("authors", "keywords", "references")
FIELDS = ("title", "year", "journal", "volume", "issue", "pages", "doi", "pmid", "pmcid", "issn",
          "publisher", "doc_type", "url")


def _read(file: str):
    path = FIXTURES / "formats" / file
    return read(path.name, path.read_bytes())


def test_every_csv_fixture_has_expected_values():
    files = {str(p.relative_to(FIXTURES / "formats")) for p in (FIXTURES / "formats").rglob("*.csv")}
    assert files == {entry["file"] for entry in EXPECTED}


@pytest.mark.parametrize("entry", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_csv_fields(entry):
    outcome, result = _read(entry["file"])
    assert outcome.status is Status.PARSED, outcome.message
    every = entry.get("every", {})
    for record in result.records:
        if "source_id" in every:
            assert re.fullmatch(every["source_id"], record.origins[0].source_id or "")
        if "doc_type" in every:  # the export's own type, as printed
            assert record.doc_type_original in every["doc_type"], record.title
            assert record.doc_type is not None, record.doc_type_original  # and mapped
        if "language" in every:
            assert record.language == every["language"], record.title
    for expect in entry["records"]:
        record = result.records[expect["index"]]
        for field in FIELDS:
            if field in expect:
                value = record.doc_type_original if field == "doc_type" else getattr(record, field)
                assert value == expect[field], field
        for field in COUNTED:
            if field in expect:
                assert len(getattr(record, field)) == expect[field], field
        if "first_author" in expect:
            assert [record.authors[0].family, record.authors[0].given] == expect["first_author"]
        if "source_id" in expect:
            assert record.origins[0].source_id == expect["source_id"]


HEADER = ["title", "funding text 1", "references", "pubmed id", "eid"]


@pytest.mark.parametrize("row,fitted", [
    (["T", "fund", "", "R1; R2", "123", "2-s2.0-1"], ["T", "fund", "R1; R2", "123", "2-s2.0-1"]),
    (["T", "f1", "f2", "f3", "R", "", "2-s2.0-1"], ["T", "f1", "R", "", "2-s2.0-1"]),
    (["T", "f", "R", "1", "2-s2.0-1", "", ""], ["T", "f", "R", "1", "2-s2.0-1"]),  # trailing ,,
    (["T", "f", "R"], ["T", "f", "R"]),  # narrower: missing cells read as empty
])
def test_a_row_wider_than_its_header_is_fitted_when_it_can_be_told(row, fitted):
    assert tabular.fit_row(row, HEADER) == (fitted, None)


@pytest.mark.parametrize("row", [
    ["T", "fund", "R", "123", "2-s2.0-1", "x"],     # the surplus is not after the funding text
    ["T", "fund", "x", "R", "abc", "2-s2.0-1"],     # a PubMed ID that is not one
])
def test_a_row_that_cannot_be_fitted_is_a_failure_of_that_row(row):
    fitted, reason = tabular.fit_row(row, HEADER)
    assert fitted == row and "6 cells under 5 column names" in reason


def test_a_misfit_row_is_reported_and_the_others_kept():
    text = ("Title,Authors,DOI,Year\n"
            "First paper,Smith J.,10.1000/one,2020\n"
            "Second, with a comma unquoted,Doe A.,10.1000/two,2021\n"
            "Third paper,Roe B.,10.1000/three,2022\n")
    outcome, result = read("table.csv", text.encode())
    assert outcome.status is Status.PARTLY_PARSED
    assert [r.doi for r in result.records] == ["10.1000/one", "10.1000/three"]
    assert result.failures[0].line == 3
    assert "5 cells under 4 column names" in result.failures[0].reason
    assert result.failures[0].raw.startswith("Second")
