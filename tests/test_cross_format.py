"""Files that hold the same papers in different formats give records with equal DOIs, titles,
years and author family names."""

from __future__ import annotations

import pytest

from litcorpus import normalize
from litcorpus.dedupe.keys import author_key
from litcorpus.intake import read
from tests.conftest import FIXTURES

F = FIXTURES / "formats"
GROUPS = [
    ["ris-scopus/Scopus_ris_example.ris", "bibtex/Scopus_bib_example.bib",
     "wos-plaintext/WoS_txt_example.txt", "wos-plaintext/WoS_ciw_example.ciw"],
    ["ris-ovid-embase/ovid_psycinfo.ris", "ris-refmanager-rayyan-zotero/ovid_zotero.ris"],
    ["ovid-tagged-embase/Embase_citavi_r3001-3002.ovd",
     "ovid-tagged-embase/Embase_endnote_r3001-3002.cgi"],
    ["bibtex/scopus_m.bib", "bibtex/wos_m.bib"],
]


def by_doi(name: str) -> dict:
    """Records by DOI, or by DOI and title where one DOI covers several (a proceedings issue)."""
    _, result = read(name, (F / name).read_bytes())
    dois = [r.doi for r in result.records]
    return {(r.doi, normalize.title_key(r.title)[:30]) if dois.count(r.doi) > 1 else r.doi: r
            for r in result.records if r.doi}


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: " ~ ".join(p.split("/")[-1] for p in g))
def test_same_papers_agree(group):
    tables = [by_doi(name) for name in group]
    shared = set.intersection(*(set(t) for t in tables))
    assert len(shared) >= 2
    for doi in shared:
        records = [t[doi] for t in tables]
        titles = {normalize.title_key(r.title).rstrip(" .") for r in records}
        assert len(titles) == 1, titles
        assert len({r.year for r in records}) == 1
        # the match key of a family name (Scopus prints `Michael Tarn, J.` for `Tarn, J. Michael`)
        families = {tuple(author_key(a.family) for a in r.authors[:3]) for r in records}
        assert len(families) == 1, families


def test_embase_ris_and_csv_hold_the_same_six_records():
    _, ris = read("embase.ris", (F / "ris-ovid-embase/embase.ris").read_bytes())
    _, table = read("embase.csv", (F / "csv-other-databases/embase.csv").read_bytes())
    key = lambda r: (normalize.title_key(r.title), r.year, normalize.name_key(r.authors[0].family))  # noqa: E731
    assert sorted(map(key, ris.records)) == sorted(map(key, table.records))
