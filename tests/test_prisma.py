"""The PRISMA CSV is the PRISMA2020 package's template (fixtures/prisma/PRISMA.csv, see its
PROVENANCE.md) row for row, with litcorpus's counts in `n`; the counts add up."""

from __future__ import annotations

import csv
import io
import shutil

import pytest

import litcorpus
from litcorpus.corpus import Corpus
from litcorpus.dedupe import dedupe
from litcorpus.exporters.prisma import PLACEHOLDERS
from litcorpus.relevance import filter_corpus, load_profile
from tests.conftest import FIXTURES, SEEDS

TEMPLATE = FIXTURES / "prisma/PRISMA.csv"
FILLED = {"database_results", "database_specific_results", "register_results", "duplicates",
          "excluded_automatic", "excluded_other", "records_screened"}
# What PRISMA_data() (R/PRISMA_data.R, PRISMA2020 1.1.x) looks up: a pattern missing from the
# CSV is a warning, and for the title boxes (prevstud, newstud, othstud; matched in the `box`
# column) an error, "object 'previous_text' not found".
R_DATA_PATTERNS = (
    "previous_studies", "previous_reports", "register_results", "database_results",
    "database_specific_results", "register_specific_results", "website_results",
    "organisation_results", "citations_results", "duplicates", "excluded_automatic",
    "excluded_other", "records_screened", "records_excluded", "dbr_sought_reports",
    "dbr_notretrieved_reports", "other_sought_reports", "other_notretrieved_reports", "dbr_assessed",
    "dbr_excluded", "other_assessed", "other_excluded", "new_studies", "new_reports",
    "total_studies$", "total_reports$", "total_studies_ma", "total_reports_ma", "identification",
    "screening", "included")
R_BOX_PATTERNS = ("prevstud", "newstud", "othstud")


def pipeline(folder_or_files, db, profile=True):
    litcorpus.ingest(folder_or_files if isinstance(folder_or_files, list) else [folder_or_files],
                     db=db)
    with Corpus(db) as corpus:
        dedupe(corpus)
        if profile:
            filter_corpus(corpus, load_profile(FIXTURES / "profiles/integrated_care.yaml"))
    return db


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    return pipeline(SEEDS, tmp_path_factory.mktemp("seeds") / "c.db")


def exported(db) -> list[dict]:
    out = io.StringIO()
    litcorpus.export("prisma", out, db=db)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def by_data(rows) -> dict[str, str]:
    return {row["data"]: row["n"] for row in rows if row["data"] != "NA"}


def test_every_template_row_with_its_names_and_texts(seeds_db):
    with open(TEMPLATE, encoding="utf-8", newline="") as handle:
        template = list(csv.DictReader(handle))
    rows = exported(seeds_db)
    assert len(template) == 34 and len(rows) == len(template)
    for ours, theirs in zip(rows, template, strict=True):
        assert list(ours) == list(theirs)
        for column in ("data", "node", "box", "description", "boxtext", "tooltips", "url"):
            assert ours[column] == theirs[column], (theirs["data"], column)
        if theirs["data"] in PLACEHOLDERS:
            assert ours["n"] == ""  # the template's "Reason1, xxx" is an example, not a count
        elif theirs["data"] not in FILLED:
            assert ours["n"] == theirs["n"] == "0"


def test_prisma_data_finds_everything_it_reads(seeds_db):
    """The lookups of PRISMA_data() all find a row, and every count reads as a number."""
    import re

    rows = exported(seeds_db)
    for pattern in R_DATA_PATTERNS:
        assert any(re.search(pattern, row["data"]) for row in rows), pattern
    for pattern in R_BOX_PATTERNS:
        assert any(re.search(pattern, row["box"]) for row in rows), pattern
    for row in rows:
        if row["data"] not in ("database_specific_results",) + PLACEHOLDERS:
            assert row["n"].isdigit(), row


def test_seed_pipeline_counts(seeds_db):
    n = by_data(exported(seeds_db))
    assert (n["database_results"], n["duplicates"], n["excluded_automatic"],
            n["records_screened"]) == ("19", "1", "1", "17")
    assert n["excluded_other"] == "0" and n["register_results"] == "0"
    assert n["database_specific_results"] == "PubMed, 17; web pages, 2"


def test_counts_add_up_with_unreadable_parts(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    (folder / "truncated.ris").write_bytes(
        (FIXTURES / "formats/ris-scopus/Scopus_ris_example.ris").read_bytes()[:6000])
    db = pipeline(folder, tmp_path / "c.db")
    n = by_data(exported(db))
    identified, duplicates = int(n["database_results"]), int(n["duplicates"])
    automatic, other = int(n["excluded_automatic"]), int(n["excluded_other"])
    assert identified - duplicates - automatic - other == int(n["records_screened"])
    per_source = {part.rsplit(",", 1)[0]: int(part.rsplit(",", 1)[1])
                  for part in n["database_specific_results"].split("; ")}
    assert sum(per_source.values()) == identified
    with Corpus(db) as corpus:
        parsed, unique, unreadable = (corpus.count(), corpus.canonical_count(),
                                      len(corpus.failures()))
    assert (identified, duplicates, other) == (parsed + unreadable, parsed - unique, unreadable)
    assert other >= 1 and per_source["Scopus"] >= 2  # the cut-off record counts for Scopus


def test_sources_named_by_database_not_by_file(tmp_path):
    files = [FIXTURES / "formats/ris-scopus/Scopus_ris_example.ris",
             FIXTURES / "formats/wos-plaintext/WoS_txt_example.txt",
             FIXTURES / "formats/medline-nbib/PubMed_example.txt",
             FIXTURES / "formats/ris-ovid-embase/embase.ris",
             FIXTURES / "formats/csv-other-databases/lens_sample.csv"]
    db = pipeline(files, tmp_path / "c.db", profile=False)
    n = by_data(exported(db))
    assert n["database_specific_results"] == ("Lens, 8; Embase, 6; Web of Science, 4; PubMed, 3; "
                                              "Scopus, 3")
    assert n["duplicates"] == "2"  # two papers are in both Scopus and Web of Science


def test_a_database_name_with_commas_stays_one_item():
    from litcorpus.exporters.prisma import PrismaCounts

    found = PrismaCounts(by_database={"Ovid MEDLINE(R), In-Process; Daily": 3, "Scopus": 2})
    assert found.values()["database_specific_results"] == "Ovid MEDLINE(R) In-Process Daily, 3; Scopus, 2"
