"""The normaliser: every defect issue 18 lists, on a fixture that shows it, and the vocabulary and
date form over every fixture."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from litcorpus import doc_types, normalize
from litcorpus.dedupe.merge import merge
from litcorpus.intake import read
from litcorpus.models import Author, Origin, RawName, RawRecord, Record
from tests.conftest import FIXTURES

NORMALIZE = FIXTURES / "normalize"
ALL_FILES = sorted(p for folder in ("formats", "seeds", "normalize") for p in (FIXTURES / folder).rglob("*")
                   if p.is_file() and p.suffix != ".md")
ISO_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")


def records(path: Path) -> list[Record]:
    outcome, result = read(path.name, path.read_bytes())
    assert not result.failures, result.failures[:1]
    return result.records


# DOIs -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,canonical", [
    ("10.1037//0022-3514.83.4.817", "10.1037/0022-3514.83.4.817"),
    ("https://onlinelibrary.wiley.com/doi/10.1111/j.1365-2648.2010.05394.x/abstract",
     "10.1111/j.1365-2648.2010.05394.x"),
    ("https://onlinelibrary.wiley.com/doi/full/10.1111/j.1365-2648.2010.05394.x",
     "10.1111/j.1365-2648.2010.05394.x"),
    ("10.1016/j.respe.2018.12.061<br", "10.1016/j.respe.2018.12.061"),
    ("10.1016/j.respe.2018.12.061<br/>", "10.1016/j.respe.2018.12.061"),
    ("10.1663/0013-0001(2003)057 [0262:NFPITC]2.0.CO;2", "10.1663/0013-0001(2003)057[0262:nfpitc]2.0.co;2"),
    ("10.1663/0013-0001(2003)057[0262:NFPITC]2.0.CO;2", "10.1663/0013-0001(2003)057[0262:nfpitc]2.0.co;2"),
    ("https://doi.org/10.1663/0013-0001(2003)057%5B0262:NFPITC%5D2.0.CO;2",
     "10.1663/0013-0001(2003)057[0262:nfpitc]2.0.co;2"),
    ("10.1002/(SICI)1097-4636(199712)37:4<478::AID-JBM5>3.0.CO;2-K",
     "10.1002/(sici)1097-4636(199712)37:4<478::aid-jbm5>3.0.co;2-k"),
    ("doi:10.1016/S0140-6736(20)30183-5.", "10.1016/s0140-6736(20)30183-5"),
    ("https://doi.org/10.1000/ABC?utm_source=x", "10.1000/abc"),
    ("10.1000/abc [doi]", "10.1000/abc"),
    ("10.1000/", None),
    ("not a doi", None),
])
def test_doi(raw, canonical):
    assert normalize.doi(raw) == canonical


def test_doi_from_a_field_that_only_mentions_one():
    assert normalize.doi_in([], ["Times cited: 3"]) is None
    assert normalize.doi_in([], ["Cited 3 times; doi: 10.1000/xyz"]) == "10.1000/xyz"
    assert normalize.doi_in(["no doi here", "10.1000/second"], ["10.1000/third"]) == "10.1000/second"


# Dates ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,year,iso", [
    ("December  2, 2021", None, "2021-12-02"),    # EndNote %8
    ("DEC 16 2020", None, "2020-12-16"),          # WoS PD
    ("DEC 16", 2020, "2020-12-16"),               # WoS PD beside PY
    ("JAN", "2019", "2019-01"),
    ("2003 Nov 22", None, "2003-11-22"),          # MEDLINE DP
    ("2016 Mar-Apr", None, "2016-03"),
    ("1998 Dec-1999 Jan", None, "1998-12"),       # MedlineDate
    ("2020-Dec", None, "2020-12"),
    ("2020/03/01/", None, "2020-03-01"),          # RIS DA
    ("2012///", None, "2012"),
    ("1999/08//undefined", None, "1999-08"),      # Zotero
    ("25 Aug 2004", None, "2004-08-25"),          # Embase
    ("Spring 2020", None, "2020"),
    ("13/04/2020", None, "2020-04-13"),
    ("03/04/2020", None, "2020"),                 # day or month first: only the year is sure
    ("2021 Feb 30", None, "2021-02"),             # no such day
    ("20200301", None, "2020-03-01"),
    ("Jan", None, None),                          # no year at all
    ("NA", None, None),
])
def test_date(raw, year, iso):
    assert normalize.date(normalize.field_text(raw), year) == iso


def test_dates_of_medline_wos_and_endnote_fixtures_are_iso():
    endnote = records(FIXTURES / "formats/endnote-tagged-refer/ais_enl.txt")
    assert "2021-12-02" in {r.date for r in endnote}           # %8 December  2, 2021
    wos = records(FIXTURES / "formats/wos-plaintext/WoS_txt_example.txt")
    assert "2020-12-16" in {r.date for r in wos}                # PD DEC 16 2020
    medline = records(FIXTURES / "formats/medline-nbib/pubmed_result2.txt")
    assert "2003-11-22" in {r.date for r in medline}            # DP 2003 Nov 22


# Text -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,clean", [
    ("Ambient PM<sub>10</sub> and &quot;excess&quot; admissions", 'Ambient PM10 and "excess" admissions'),
    ("CO<sub>2</sub> &amp;amp; O<sub>3</sub>", "CO2 & O3"),
    (r"Journal of Health \& Safety", "Journal of Health & Safety"),
    ("Revue d'{é}pid{é}miologie", "Revue d'épidémiologie"),
    (r"Revue d'\'{e}pid\'emiologie", "Revue d'épidémiologie"),
    ("p < 0.05 and a<b", "p < 0.05 and a<b"),                  # not markup
    ("the set {1, 2}", "the set {1, 2}"),
])
def test_text_decodes_markup(raw, clean):
    assert normalize.text(raw) == clean


def test_abstract_sections_from_pubmed_markup():
    raw = ('<AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Matter &amp;amp; ozone.'
           '</AbstractText><AbstractText Label="METHODS">Time series (p < 0.05).</AbstractText>')
    assert normalize.field_text(raw, paragraphs=True) == (
        "Background: Matter & ozone.\nMethods: Time series (p < 0.05).")
    jats = "<jats:title>Abstract</jats:title><jats:sec><jats:title>Aim</jats:title><jats:p>To see.</jats:p>"
    assert normalize.field_text(jats, paragraphs=True) == "Aim: To see."


@pytest.mark.parametrize("value", ["NA", " NA ", "nan", "[No abstract available]"])
def test_placeholders_are_no_value(value):
    assert normalize.field_text(value) is None


def test_r_export_fixture():
    found = records(NORMALIZE / "r_export.ris")
    assert [r.abstract for r in found] == [
        None, "Background: Particulate matter & ozone were studied.\n"
              "Methods: Time series of admissions (p < 0.05).", None, None]
    assert [r.doi for r in found] == [
        "10.1037/0022-3514.83.4.817", "10.1111/j.1365-2648.2010.05394.x",
        "10.1016/j.respe.2018.12.061", "10.1663/0013-0001(2003)057[0262:nfpitc]2.0.co;2"]
    assert found[1].title == 'Ambient PM10 and "excess" hospital admissions in older adults'
    assert found[1].journal == "Journal of Environmental Health & Safety"
    assert found[2].journal == "Revue d'épidémiologie et de santé publique"
    assert [r.date for r in found] == ["2002-10", "2011-03-15", "2019", "2003"]  # DA, else PY
    assert all(r.doc_type == "article-journal" and r.doc_type_original == "JOUR" for r in found)


def test_wos_conference_name_is_not_the_issue():
    (record,) = records(NORMALIZE / "wos_proceedings.ris")
    assert record.issue is None
    assert record.volume == "21" and record.pages == "394-401"
    assert record.doi == "10.1892/0891-6640(2007)21[394:gcoarh]2.0.co;2"
    assert record.date == "2007-05"


# Document types ---------------------------------------------------------------------------------

@pytest.mark.parametrize("labels,expected", [
    ("Journal Article", ("article-journal", None)),
    (["Journal Article", "Comment"], ("article-journal", "comment")),
    (["Published Erratum", "Journal Article"], ("article-journal", "erratum")),
    ("Retraction of Publication", ("article-journal", "retraction")),
    ("Retracted Publication", ("article-journal", None)),    # the retracted paper, not the notice
    ("Editorial Material", ("article-journal", "editorial")),
    ("Conference Abstract", ("paper-conference", "conference-abstract")),
    ("Meeting Abstract", ("paper-conference", "conference-abstract")),
    ("posted-content", ("article", "preprint")),
    ("Article; Early Access", ("article-journal", None)),
    ("JOUR", ("article-journal", None)),
    ("NEWS", ("article-newspaper", None)),                   # an RIS code, not the word
    ("inproceedings", ("paper-conference", None)),
    ("Review: PDF Only.", ("article-journal", None)),
    ("Lect. Notes Comput. Sci.", (None, None)),              # not a type: none invented
])
def test_doc_type(labels, expected):
    kind, subtype, original = normalize.doc_type(labels)
    assert (kind, subtype) == expected
    assert original is not None


def test_every_mapped_type_is_in_the_vocabulary():
    for kind, subtype in [*doc_types.LABELS.values(), *doc_types.CODE_MEANINGS.values()]:
        assert kind is None or kind in doc_types.CSL_TYPES
        assert subtype is None or subtype in doc_types.SUBTYPES


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_fixture_record_has_iso_date_and_vocabulary_type(path):
    outcome, result = read(path.name, path.read_bytes())
    for record in result.records:
        assert record.date is None or ISO_DATE.fullmatch(record.date), record.date
        assert record.doc_type is None or record.doc_type in doc_types.CSL_TYPES, record.doc_type
        assert record.doc_subtype is None or record.doc_subtype in doc_types.SUBTYPES
        if record.doc_type or record.doc_subtype:
            assert record.doc_type_original, "the source's own type is kept"
        if record.doc_type_original:
            assert record.doc_type or record.doc_subtype, (
                f"{record.doc_type_original!r} is in no map of litcorpus/doc_types.py")


# Records: raw to canonical ----------------------------------------------------------------------

def test_raw_record_to_record():
    raw = RawRecord(
        title=" A title ", authors=["Smith, J.", RawName("Doe, Jane", ["Univ A"]), "et al.",
                                    Author(family="Roe", given="R")],
        year="NA", date="2019 May 4", pages="1019", page_end="27", doi=["N/A", "10.1000/X"],
        doc_type=["Journal Article", "Editorial"], keywords=["a; b", "c"], language="English",
        origins=[Origin(file="f", format="x")])
    record = normalize.record(raw)
    assert record.title == "A title"
    assert [(a.family, a.given) for a in record.authors] == [("Smith", "J."), ("Doe", "Jane"), ("Roe", "R")]
    assert record.authors[1].affiliations == ["Univ A"]
    assert (record.year, record.date, record.pages, record.doi) == (2019, "2019-05-04", "1019-27", "10.1000/x")
    assert (record.doc_type, record.doc_subtype) == ("article-journal", "editorial")
    assert record.keywords == ["a", "b", "c"] and record.language == "en"


def test_keywords_split_at_commas_only_where_the_source_joins_them_so():
    assert normalize.record(RawRecord(keywords=["Neoplasms, Experimental"])).keywords == [
        "Neoplasms, Experimental"]
    assert normalize.record(RawRecord(keywords=["a, b"], keywords_comma=True)).keywords == ["a", "b"]


def test_fix_record_is_idempotent_and_reads_old_labels():
    old = Record(title="T &amp; U", doc_type="conference paper", date="DEC 16", year=2020,
                 doi="https://doi.org/10.1000/A/full")
    fixed = normalize.fix_record(old.model_copy(deep=True))
    assert (fixed.title, fixed.doc_type, fixed.date, fixed.doi) == (
        "T & U", "paper-conference", "2020-12-16", "10.1000/a")
    again = normalize.fix_record(fixed.model_copy(deep=True))
    assert again == fixed


# Merge ------------------------------------------------------------------------------------------

def test_merge_prefers_clean_values_over_marked_up_ones():
    """Three clean values and one marked up, as an older litcorpus stored them: the clean win
    even where the marked-up one is longer."""
    marked = Record(id="a-1", title="Ambient PM<sub>10</sub> and &quot;excess&quot; admissions",
                    journal=r"Journal of Environmental Health \& Safety", date="2011-03-15",
                    abstract="<AbstractText Label=\"BACKGROUND\">Matter &amp;amp; ozone.</AbstractText>")
    clean = [Record(id=f"b-{n}", title='Ambient PM10 and "excess" admissions',
                    journal="Journal of Environmental Health & Safety", date="2011",
                    abstract="Background: Matter & ozone.") for n in range(3)]
    merged = merge([marked, *clean])
    assert merged.title == 'Ambient PM10 and "excess" admissions'
    assert merged.journal == "Journal of Environmental Health & Safety"
    assert merged.abstract == "Background: Matter & ozone."
    assert merged.date == "2011-03-15"   # the most precise date, not the longest string
    assert merged.field_sources["title"] == "b-0"


# Raw layer: a BibTeX entry naming a field twice ------------------------------------------------

def test_bibtex_repeated_fields_keep_every_list_value_and_say_which_value_was_kept():
    outcome, result = read("repeated_fields.bib", (NORMALIZE / "repeated_fields.bib").read_bytes())
    (record,) = result.records
    assert record.title == "A first title"
    assert record.keywords == ["alpha", "beta", "gamma"]
    assert [a.family for a in record.authors] == ["Smith", "Doe"]
    assert result.warnings == ["entry Smith2020: 2 different values of 'title', the first kept"]


def test_scopus_repeated_funding_is_no_warning():
    path = FIXTURES / "formats/bibtex/Scopus_bib_example.bib"
    outcome, result = read(path.name, path.read_bytes())
    assert outcome.records == 3 and not result.warnings
