"""Writer/reader round trips: export to RIS, BibTeX and CSV, ingest the export again, and every
field the format can carry comes back equal."""

from __future__ import annotations

import io
import re

import pytest

import litcorpus
from litcorpus.corpus import Corpus
from tests.conftest import FIXTURES, SEEDS

SOURCES = [SEEDS, FIXTURES / "formats/ris-refmanager-rayyan-zotero/pubmed_zotero.ris",
           FIXTURES / "formats/medline-nbib/PubMed_example.txt",
           FIXTURES / "formats/bibtex/scopus_m.bib",
           FIXTURES / "formats/wos-plaintext/WoS_txt_example.txt",
           FIXTURES / "formats/noteexpress/mixed.net"]
COMMON = ("title", "journal", "year", "volume", "issue", "pages", "doi", "publisher", "issn")
CARRIED = {
    "ris": COMMON + ("abstract", "keywords", "language", "url"),
    "bibtex": COMMON + ("abstract", "keywords", "language", "url", "pmid", "pmcid"),
    "csv": COMMON + ("abstract", "keywords", "language", "url", "pmid", "pmcid"),
}


def _comparable(record, field):
    value = getattr(record, field)
    if field == "abstract" and value:
        return " ".join(value.split())  # RIS and BibTeX carry one paragraph
    if field == "pages" and value:
        return value.replace("--", "-")
    return value


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    db = tmp_path_factory.mktemp("original") / "c.db"
    litcorpus.ingest(SOURCES, db=db)
    with Corpus(db) as corpus:
        return db, list(corpus.records())


@pytest.mark.parametrize("fmt", sorted(CARRIED))
def test_round_trip(original, tmp_path, fmt):
    db, records = original
    buffer = io.StringIO()
    assert litcorpus.export(fmt, buffer, db=db) == len(records)
    exported = tmp_path / f"export.{ {'bibtex': 'bib'}.get(fmt, fmt) }".replace(" ", "")
    exported.write_text(buffer.getvalue(), "utf-8")
    report = litcorpus.ingest([exported], db=tmp_path / "again.db")
    assert report.outcomes[0].format == fmt, report.outcomes[0].message
    with Corpus(tmp_path / "again.db") as corpus:
        again = list(corpus.records())
    assert len(again) == len(records)
    for before, after in zip(records, again, strict=True):
        for field in CARRIED[fmt]:
            assert _comparable(after, field) == _comparable(before, field), (field, before.id)
        assert [(a.family, a.given) for a in after.authors] == \
               [(a.family, a.given) for a in before.authors], before.id


def test_exports_name_their_origins(original):
    db, records = original
    for fmt in ("ris", "bibtex", "csv"):
        out = io.StringIO()
        litcorpus.export(fmt, out, db=db)
        for record in records[:5]:
            assert re.search(re.escape(record.origins[0].file.rsplit("/", 1)[-1]).replace("_", r"\\?_"),
                             out.getvalue())
