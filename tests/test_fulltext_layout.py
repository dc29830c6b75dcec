"""Layouts met in the held-out full texts (bench/fulltext_heldout.py), each rebuilt as a small
generated PDF or page after the real file it is named for (the real files stay outside the
repository): what each fix of issue 16's second pass must keep doing. The real cover page is the
shared Greek article's (fixtures/fulltext)."""

from __future__ import annotations

import io

import pypdfium2 as pdfium

from litcorpus.formats import html
from litcorpus.formats.article import _person, from_document
from litcorpus.formats.pdf import Document, Line, Page, _compose_accents
from litcorpus.intake import read
from tests import pdfmake
from tests.conftest import FIXTURES

BODY = [(10, 72, 560 - 12 * i, "The body of the article goes on here in ordinary type, line after "
         "line, as a page of prose does.") for i in range(20)]


def _read(name: str, data: bytes):
    outcome, result = read(name, data)
    return outcome, (result.records[0] if result.records else None)


def test_a_doi_closing_a_sentence_is_not_run_on_into_the_title_below():
    """After a JSS vignette's banner (surveillance's monitoringCounts.pdf)."""
    page = [(10, 120, 740, "This vignette corresponds to an article published in the"),
            (10, 120, 728, "Journal of Statistical Software 2016;70(10):1-35. doi:10.18637/jss.v070.i10."),
            (17, 100, 690, "Monitoring Count Time Series in R: Aberration"),
            (17, 100, 670, "Detection in Public Health Surveillance"),
            (12, 150, 640, "Maelle Salmon"), *BODY]
    outcome, record = _read("vignette.pdf", pdfmake.text_pdf([page, [(10, 72, 700, "2")]]))
    assert record.doi == "10.18637/jss.v070.i10"
    assert record.year == 2016
    assert record.authors[0].family == "Salmon"


def test_a_placeholder_doi_in_an_example_is_no_doi():
    """After csbulletin.pdf, whose text shows how to write `doi: 10.5300/xxxx-x/zzz`."""
    page = [(17, 100, 700, "Styl pro Zpravodaj ceskoslovenskeho sdruzeni"),
            (12, 150, 670, "Zdenek Wagner, Vit Novotny"),
            (10, 72, 640, "Each article ends with its identifier, as in doi: 10.5300/xxxx-x/zzz"), *BODY]
    outcome, record = _read("bulletin.pdf", pdfmake.text_pdf([page, [(10, 72, 700, "2")]]))
    assert record.title.startswith("Styl pro Zpravodaj")
    assert record.doi is None


def _behind_the_greek_cover(article: bytes) -> bytes:
    """The shared Greek article's real cover page (EKT ePublishing) put before another article."""
    cover = pdfium.PdfDocument(str(FIXTURES / "fulltext" / "pdf" / "norma_greek_grsr_10642.pdf"))
    merged = pdfium.PdfDocument.new()
    merged.import_pages(cover, [0])
    merged.import_pages(pdfium.PdfDocument(article))
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()


def test_a_cover_page_of_another_article_gives_nothing_to_the_article_behind_it():
    page = [(17, 100, 700, "Implementing a Class of Permutation Tests"),
            (12, 150, 670, "Torsten Hothorn, Kurt Hornik"), *BODY]
    data = _behind_the_greek_cover(pdfmake.text_pdf([page, [(10, 72, 700, "2")]]))
    outcome, record = _read("covered.pdf", data)
    assert "cover page" in outcome.message
    assert record.title == "Implementing a Class of Permutation Tests"
    assert record.doi is None  # not the cover's 10.12681/grsr.10642
    assert record.year is None  # nor its 2016
    assert record.authors[0].family == "Hothorn"


def test_a_title_repeated_as_the_running_head_of_later_pages_is_still_the_title():
    """After Rcpp-jss-2011.pdf: JSS prints the short title over every later page."""
    page = [(17, 150, 650, "Rcpp: Seamless R and C++ Integration"),
            (12, 150, 620, "Dirk Eddelbuettel, Romain Francois"), *BODY]
    later = [(9, 72, 760, "Rcpp: Seamless R and C++ Integration"), *BODY]
    outcome, record = _read("jss.pdf", pdfmake.text_pdf([page, later, later]))
    assert outcome.status.value == "parsed", outcome.message
    assert record.title == "Rcpp: Seamless R and C++ Integration"


def test_a_journal_masthead_continued_by_a_volume_is_not_the_title():
    """After an Elsevier first page: the journal's name in large type under a citation line."""
    page = [(6.5, 72, 770, "Solar Energy Materials & Solar Cells 137 (2015) 1-5"),
            (14, 180, 700, "Solar Energy Materials & Solar Cells"),
            (13.4, 72, 620, "Performance evaluation of a GaInP/GaAs solar cell structure"),
            (13.4, 72, 603, "with the integration of AlGaAs tunnel junction"),
            (10.6, 72, 580, "Yunus Ozen, Nihan Akin, Baris Kinaci"), *BODY]
    outcome, record = _read("elsevier.pdf", pdfmake.text_pdf([page, [(10, 72, 700, "2")]]))
    assert record.title.startswith("Performance evaluation of a GaInP/GaAs")
    assert record.authors[0].family == "Ozen"


def test_the_date_line_under_the_authors_is_the_year_and_the_build_date_is_none():
    """After xts.pdf and ape's MoranI.pdf: vignettes built years after the date they print."""
    dated = [(17, 180, 690, "xts: Extensible Time Series"),
             (12, 150, 660, "Jeffrey A. Ryan"), (12, 250, 640, "May 18, 2008"), *BODY]
    undated = [(17, 180, 690, "Moran's Autocorrelation Coefficient"), (12, 250, 660, "Emmanuel Paradis"),
               *BODY]
    info = {"CreationDate": "D:20230220221032Z"}
    _, record = _read("dated.pdf", pdfmake.text_pdf([dated, [(10, 72, 700, "2")]], info=info))
    assert record.year == 2008
    _, record = _read("undated.pdf", pdfmake.text_pdf([undated, [(10, 72, 700, "2")]], info=info))
    assert record.year is None


def test_authors_side_by_side_are_told_apart_at_the_gap():
    page = [(17, 180, 690, "xts: Extensible Time Series"),
            (12, 150, 660, "Jeffrey A. Ryan"), (12, 330, 660, "Joshua M. Ulrich"), *BODY]
    _, record = _read("xts.pdf", pdfmake.text_pdf([page, [(10, 72, 700, "2")]]))
    assert [a.family for a in record.authors] == ["Ryan", "Ulrich"]


def test_a_title_in_capitals_at_body_size_is_found():
    """After mvtnorm's MVT_Rnews.pdf (an R News article)."""
    page = [(10, 200, 650, "ON MULTIVARIATE t AND GAUSS PROBABILITIES IN R"),
            (9, 220, 620, "TORSTEN HOTHORN, FRANK BRETZ, AND ALAN GENZ"), *BODY]
    outcome, record = _read("rnews.pdf", pdfmake.text_pdf([page, [(10, 72, 700, "2")]]))
    assert record.title == "ON MULTIVARIATE t AND GAUSS PROBABILITIES IN R"
    assert record.authors[0].family.lower() == "hothorn"


def test_an_affiliation_under_a_single_author_is_not_part_of_the_name():
    """After expm.pdf: `Christophe Dutang` over `ENSIMAG, Grenoble INP`."""
    page = [(17, 200, 690, "Using expm in packages"), (12, 220, 660, "Christophe Dutang"),
            (12, 220, 645, "ENSIMAG, Grenoble INP"), *BODY]
    _, record = _read("expm.pdf", pdfmake.text_pdf([page, [(10, 72, 700, "2")]]))
    assert record.authors[0].family == "Dutang"


def test_a_text_layer_of_symbols_is_accounted_for_as_unreadable():
    """After lme4's PLSvGLS.pdf, whose font maps its letters to dingbats."""
    lines = [Line(text="P❡♥❛❧✐③❡❞ ❧❡❛st sq✉❛r❡s ✈❡rs✉s ❣❡♥❡r❛❧✐③❡❞", size=17, x0=100, top=100, x1=500,
                  bottom=117)] * 5
    result = from_document(Document(pages=[Page(1, 612, 792, lines)], page_count=7), "plsvgls.pdf")
    assert not result.records
    assert result.failures[0].reason.startswith("text layer unreadable")


def test_names_printed_family_first_in_chinese_and_japanese():
    assert (_person("江尻 開").family, _person("江尻 開").given) == ("江尻", "開")
    assert _person("张瑞熹").family == "张"
    assert _person("朝倉卓人").family == "朝倉"


def test_accents_set_apart_by_old_tex_fonts_are_put_back_on_their_letters():
    assert _compose_accents("Pierre Chauss\u00b4e") == "Pierre Chaussé"
    assert _compose_accents("Fran\u00b8cois G\u00b4omez") == "François Gómez"


def _page(text: str):
    return html.read_page(text, "page.html")


def test_a_page_without_tags_gives_its_emphasised_title_byline_and_year():
    """After a 2013 Genders OnLine Journal page: the title element names only the journal."""
    page = """<html><head><title>Genders OnLine Journal - Presenting innovative theories in art,
    literature, history, music, TV and film.</title></head><body><table><tr><td>
    <p><b><font size="2">Issue 58</font></b>, Fall 2013</p>
    <p><font size="5"><strong>Reading Maeshowe</strong></font> <br>
    Recovering the Feminine in a Neolithic Tomb</p>
    <p>By <strong>CHARLOTTE FAIRLIE</strong></p>
    <p>[1] Cuween, a small Neolithic cairn, perches on top of a hill on the Orkney Mainland.</p>
    </td></tr></table></body></html>"""
    record = _page(page).records[0]
    assert record.title == "Reading Maeshowe: Recovering the Feminine in a Neolithic Tomb"
    assert record.authors[0].family.lower() == "fairlie"
    assert record.year == 2013


def test_a_doi_meta_tag_named_by_id_and_authors_before_their_affiliations():
    """After a D-Lib Magazine page: `<meta id="DOI">`, schema.org datePublished, and authors
    printed as `Name, Affiliation` under the title."""
    page = """<!DOCTYPE html><html><head><meta id="DOI" content="10.1045/may2017-vanhyning" />
    <meta itemprop="datePublished" content="2017-05-15" />
    <title>Transforming Libraries and Archives through Crowdsourcing</title></head><body>
    <h3>D-Lib Magazine</h3><p>May/June 2017</p>
    <h3>Transforming Libraries and Archives through Crowdsourcing</h3>
    <p>Victoria Van Hyning, University of Oxford, Zooniverse<br />victoria [at] zooniverse.org<br />
    Samantha Blickhan, The Adler Planetarium, Zooniverse</p>
    <h3>Abstract</h3><p>This article will showcase the aims of the project.</p></body></html>"""
    record = _page(page).records[0]
    assert (record.doi, record.year) == ("10.1045/may2017-vanhyning", 2017)
    assert [a.family for a in record.authors][:2] == ["Van Hyning", "Blickhan"]


def test_an_abstract_without_a_heading_is_the_paragraph_set_apart_before_the_first_section():
    """After the shared Hindawi and arXiv files: a paragraph in smaller type between the
    authors and `1. Introduction`, no `Abstract` heading."""
    summary = ("Objectives. Patient experiences of structured heart failure rehabilitation and their "
               "views on the improvement of heart failure services were examined in focus groups with "
               "fifteen participants who had finished one of two programmes, and their accounts were "
               "analysed for themes of maintenance, confidence and the role of general practice.")
    words = summary.split()
    rows = [" ".join(words[i:i + 12]) for i in range(0, len(words), 12)]
    page = [(17, 72, 650, "Patient Experiences of Structured Heart Failure Programmes"),
            (12, 90, 620, "Nuala E. Tully, Karen M. Morgan"),
            *[(9, 90, 580 - 11 * i, row) for i, row in enumerate(rows)],
            (12, 72, 500, "1. Introduction"), *[(10, 72, 480 - 12 * i, t) for i, (_, _, _, t) in enumerate(BODY[:10])]]
    _, record = _read("hindawi.pdf", pdfmake.text_pdf([page, [(10, 72, 700, "2")]]))
    assert record.abstract == summary
    _, record = _read("none.pdf", pdfmake.text_pdf([[*page[:2], *page[-11:]], [(10, 72, 700, "2")]]))
    assert record.abstract is None  # the body after the heading is no abstract


def test_a_bold_title_at_body_size_is_found():
    """After the AASTeX 6.31 sample (texlive-publishers-doc): a bold 10 pt title over 10 pt text."""
    page = [(10, 200, 650, "Template Article with Examples", "bold"),
            (9, 220, 630, "Greg J. Schwarz, August Muench"), *BODY]
    outcome, record = _read("aastex.pdf", pdfmake.text_pdf([page, [(10, 72, 700, "2")]]))
    assert outcome.status.value == "parsed", outcome.message
    assert record.title == "Template Article with Examples"
    assert record.authors[0].family == "Schwarz"


def test_an_organisation_named_in_a_byline_is_the_first_author_whole():
    """After the aomart sample: `By American Mathematical Society and Boris Veytsman`."""
    page = [(17, 150, 650, "Sample Paper for the aomart Class"),
            (11, 150, 620, "By American Mathematical Society and Boris Veytsman"), *BODY]
    _, record = _read("aom.pdf", pdfmake.text_pdf([page, [(10, 72, 700, "2")]]))
    assert [a.family for a in record.authors] == ["American Mathematical Society", "Veytsman"]
