"""BibTeX keeps links: `doi` and `url` are written verbatim (biblatex reads them so), and what came
in LaTeX-escaped is decoded once, not escaped twice. Checked by reading the export back with
bibtexparser v2, on every folder of real exports in fixtures/formats."""

from __future__ import annotations

import io
import json
import re

import bibtexparser
import pytest

import litcorpus
from litcorpus.exporters.bibtex import decode, escape
from tests.conftest import FIXTURES

FOLDERS = sorted(p for p in (FIXTURES / "formats").iterdir() if p.is_dir())


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_dois_and_urls_survive_a_bibtex_round_trip(folder, tmp_path):
    db = tmp_path / "c.db"
    litcorpus.ingest([folder], db=db)
    jsonl, bib = io.StringIO(), io.StringIO()
    litcorpus.export("jsonl", jsonl, db=db)
    litcorpus.export("bibtex", bib, db=db)
    expected = {r["id"]: (r["doi"], r["url"]) for r in map(json.loads, jsonl.getvalue().splitlines())}
    library = bibtexparser.parse_string(bib.getvalue())
    assert not library.failed_blocks
    found = {}
    for entry in library.entries:
        fields = {k.lower(): f.value for k, f in entry.fields_dict.items()}
        record_id = re.match(r"litcorpus (\S+);", fields["note"]).group(1)
        found[record_id] = (fields.get("doi"), fields.get("url"))
    assert found == expected
    links = [link for pair in expected.values() for link in pair if link]
    if folder.name in ("ris-scopus", "scopus-csv", "bibtex"):
        assert any(re.search(r"[_&%]", link) for link in links)  # the characters once escaped


def test_input_escapes_are_decoded_once_not_doubled():
    assert escape(r"Research \& Policy") == r"Research \& Policy"
    assert escape("Research & Policy 50%") == r"Research \& Policy 50\%"
    assert escape(r"Caf{\'e} na\"ive") == "Café naïve"
    assert decode(r"\c{c}a, {\'E}cole") == "ça, École"
    assert escape(r"Stra{\ss}e") == "Straße"
