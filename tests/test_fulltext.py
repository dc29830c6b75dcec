"""Full texts as downloaded (fixtures/fulltext, a copy of ../shared/fulltext with its manifest):
every file accounted for, the issue's acceptance figures, PDF and page pairs merged, a PDF linked
to the export record of the same article, and the files attached in RIS (L1) and BibTeX (file)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
import pytest
import rispy
from rapidfuzz import fuzz

import litcorpus
from litcorpus import normalize
from litcorpus.corpus import Corpus
from litcorpus.dedupe import dedupe
from litcorpus.intake import read
from tests.conftest import FIXTURES

FULLTEXT = FIXTURES / "fulltext"
ROWS = list(csv.DictReader((FULLTEXT / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
PAIRS = ["norma_bmc_evolbiol_14_70", "norma_frontiers_fpsyg-05-01582", "norma_mdpi_metabolites-04-00932"]


@pytest.fixture(scope="module")
def records() -> dict[str, object]:
    """local_path -> (outcome, first record or None)."""
    out = {}
    for row in ROWS:
        path = FULLTEXT / row["local_path"]
        outcome, result = read(str(path), path.read_bytes())
        out[row["local_path"]] = (outcome, result.records[0] if result.records else None)
    return out


def test_the_manifest_names_every_file():
    on_disk = {str(p.relative_to(FULLTEXT)) for p in FULLTEXT.glob("*/*") if p.parent.name in ("pdf", "html")}
    assert on_disk == {row["local_path"] for row in ROWS}
    assert len(ROWS) == 25


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["local_path"])
def test_each_file_is_one_full_text_record(records, row):
    outcome, record = records[row["local_path"]]
    assert outcome.format == row["kind"], outcome.message
    assert outcome.status.value == "parsed", outcome.message
    assert record.origins[0].file.endswith(row["local_path"])
    if row["kind"] == "pdf":
        assert record.kind.value == "full text"
        assert record.files == [str((FULLTEXT / row["local_path"]).resolve())]


def _rate(hits: list[bool]) -> float:
    return sum(hits) / len(hits)


def test_acceptance_figures(records):
    """The issue's bars: DOI right on >= 95 % of the files that print one and never invented;
    title (token-set ratio >= 90) on >= 90 %; first author's family name on >= 85 %; year >= 90 %."""
    dois, invented, titles, authors, years = [], [], [], [], []
    for row in ROWS:
        _, record = records[row["local_path"]]
        if row["doi"]:
            dois.append((record.doi or "") == row["doi"].lower())
        else:
            invented.append(record.doi)
        titles.append(fuzz.token_set_ratio(normalize.fold(record.title), normalize.fold(row["title"])) >= 90)
        family = record.authors[0].family if record.authors else ""
        want = row["first_author_family"].rstrip("?")
        authors.append(normalize.name_key(family).endswith(normalize.name_key(want)) and bool(family))
        years.append(str(record.year) == row["year"])
    assert _rate(dois) >= 0.95, dois
    assert invented == [None] * len(invented)
    assert _rate(titles) >= 0.90
    assert _rate(authors) >= 0.85
    assert _rate(years) >= 0.90


def test_the_greek_article_behind_a_cover_page(records):
    outcome, record = records["pdf/norma_greek_grsr_10642.pdf"]
    assert "cover page" in outcome.message
    assert record.title.startswith("Εισαγωγή: Κοινωνικές τάξεις")
    assert record.authors[0].family == "Εμμανουήλ"
    assert record.language == "el"


def test_a_bmc_doi_printed_only_at_the_end(records):
    _, record = records["pdf/cermine_test1_jtmo.pdf"]
    assert record.doi == "10.1186/1752-2897-4-1"


def test_the_legacy_pubmed_page(records):
    outcome, record = records["html/doiscraper_pubmed_25817406.html"]
    assert record.kind.value == "abstract"
    assert record.pmid == "25817406"
    assert record.abstract.startswith("Cortisol is a key regulator")
    assert record.files == []  # an abstract page is not a full text


def _ingest(db, *paths):
    litcorpus.ingest(list(paths), db)
    with Corpus(db) as corpus:
        dedupe(corpus)
        return list(corpus.canonical_records())


def _export(db, fmt: str) -> str:
    out = io.StringIO()
    litcorpus.export(fmt, out, db)
    return out.getvalue()


def test_pdf_and_page_pairs_end_as_one_record_each(db):
    canonical = _ingest(db, FULLTEXT / "pdf", FULLTEXT / "html")
    assert len(canonical) == 25 - len(PAIRS)
    for stem in PAIRS:
        merged = [r for r in canonical if any(stem in o.file for o in r.origins)]
        assert len(merged) == 1, stem
        assert sorted(merged[0].files) == sorted(
            str((FULLTEXT / kind / f"{stem}.{kind}").resolve()) for kind in ("pdf", "html"))


def test_a_pdf_and_the_export_record_of_the_same_article_are_one_cluster(db):
    pdf = FULLTEXT / "pdf" / "norma_bmc_evolbiol_14_70.pdf"
    canonical = _ingest(db, pdf, FULLTEXT / "exports" / "zotero_barnett2014.ris")
    assert len(canonical) == 1
    record = canonical[0]
    assert {o.format.split("/")[0] for o in record.origins} == {"pdf", "ris"}
    assert record.files == [str(pdf.resolve())]  # never the export file
    assert str(pdf) in {o.file for o in record.origins}  # origins keep the path as given


def test_a_pdf_without_doi_links_by_title_author_and_year(db):
    pdf = FULLTEXT / "pdf" / "grobid_MullenJSSv18i03.pdf"
    canonical = _ingest(db, pdf, FULLTEXT / "exports" / "endnote_mullen2007_nodoi.ris")
    assert len(canonical) == 1
    assert canonical[0].files == [str(pdf.resolve())]


def test_ris_export_reimports_with_rispy_with_paths_intact(db):
    """Zotero's way: L1 names the attached file; rispy reads it back as file_attachments1."""
    _ingest(db, FULLTEXT / "pdf", FULLTEXT / "html")
    ris = _export(db, "ris")
    # one L1 line per file, as Zotero writes them; rispy reads repeated L1 lines as a list when
    # told that L1 repeats (by default it keeps the first)
    entries = rispy.loads(ris, list_tags=[*rispy.config.LIST_TYPE_TAGS, "L1"])
    attached = [path for e in entries for path in e.get("file_attachments1", [])]
    expected = [f for line in _export(db, "jsonl").splitlines() for f in json.loads(line)["files"]]
    assert sorted(attached) == sorted(expected)
    firsts = [e["file_attachments1"] for e in rispy.loads(ris) if "file_attachments1" in e]
    assert len(firsts) == 18 and all(path in expected for path in firsts)
    assert len(attached) == 13 + 8  # 13 PDFs and the 8 full-text pages
    assert all(Path(path).is_absolute() and Path(path).is_file() for path in attached)


def test_bibtex_export_names_the_files_as_jabref_does(db):
    pdf = FULLTEXT / "pdf" / "norma_bmc_evolbiol_14_70.pdf"
    _ingest(db, pdf)
    library = bibtexparser.parse_string(_export(db, "bibtex"))
    field = library.entries[0].fields_dict["file"].value
    assert field == ":" + str(pdf.resolve()).replace(":", "\\:") + ":PDF"


def test_report_lists_records_with_and_without_a_full_text(db):
    _ingest(db, FULLTEXT / "pdf" / "grobid_MullenJSSv18i03.pdf",
            FULLTEXT / "html" / "doiscraper_pubmed_25817406.html")
    page = _export(db, "report")
    assert "1 of 2 records have a full text linked; 1 have none." in page
    assert "grobid_MullenJSSv18i03.pdf" in page.split("With a full text")[1].split("Without")[0]
    assert "Circadian cortisol" in page.split("Without a full text")[1]
