"""Every real export in fixtures/formats: detected by content, the record count of its
provenance table, titles present, and each record traceable to a line."""

from __future__ import annotations

from pathlib import Path

import pytest

from litcorpus.intake import read
from tests.conftest import FIXTURES

FORMATS = FIXTURES / "formats"


def expected_counts() -> dict[str, int]:
    counts = {}
    for line in (FORMATS / "PROVENANCE.md").read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 8 and cells[2] and cells[7].isdigit():
            counts[f"{cells[1]}/{cells[2]}"] = int(cells[7])
    return counts


COUNTS = expected_counts()
FILES = sorted(p for p in FORMATS.rglob("*") if p.is_file() and p.name != "PROVENANCE.md")


def test_every_file_has_a_provenance_line():
    assert {str(p.relative_to(FORMATS)) for p in FILES} == set(COUNTS)
    assert len(FILES) == 73


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FORMATS)))
def test_sample_file(path: Path):
    outcome, result = read(path.name, path.read_bytes())
    assert outcome.format is not None, outcome.message
    assert outcome.records == COUNTS[str(path.relative_to(FORMATS))], outcome.message
    assert not result.failures, result.failures[:1]
    for record in result.records:
        assert record.origins and record.origins[0].line, "every record starts at a known line"
        assert record.origins[0].format.split("/")[0] in {outcome.format, *_aliases()}


def _aliases() -> set[str]:
    return {"csv", "ris", "medline", "wos", "bibtex", "endnote-tagged", "endnote-xml",
            "pubmed-xml", "jats", "crossref", "noteexpress", "ovid-tagged", "ovid-labels",
            "cnki-estudy"}


def test_titles_on_at_least_95_percent_of_records():
    total = with_title = 0
    for path in FILES:
        _, result = read(path.name, path.read_bytes())
        total += len(result.records)
        with_title += sum(1 for r in result.records if r.title)
    assert with_title / total >= 0.95


@pytest.mark.parametrize("name,fmt", [
    ("wos-plaintext/example_wos.ris", "wos"),          # the extension lies
    ("ris-wos/web_of_science.txt", "ris"),
    ("ris-refmanager-rayyan-zotero/pubmed_endnote.txt", "ris"),
    ("medline-nbib/PubMed_example.txt", "medline"),
    ("endnote-tagged-refer/ais_enl.txt", "endnote-tagged"),
])
def test_format_is_detected_from_content_not_extension(name, fmt):
    outcome, _ = read(name, (FORMATS / name).read_bytes())
    assert outcome.format == fmt
