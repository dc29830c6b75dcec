"""Full texts that cannot be read end with a reason and never stop the ingest: scanned,
encrypted, broken and hostile PDFs, pages that are not articles, pages of 50 MB. The files are
generated (tests/pdfmake.py) or made with qpdf (fixtures/fulltext/generated); times and memory
of the hostile files are measured by bench/fulltext.py, not here."""

from __future__ import annotations

import litcorpus
from litcorpus import guard
from litcorpus.corpus import Corpus
from litcorpus.intake import read
from tests import pdfmake
from tests.conftest import FIXTURES

GENERATED = FIXTURES / "fulltext" / "generated"
ARTICLE = pdfmake.article_page(["A study of reading first pages", "in generated documents"],
                               "Ada Lovelace1, Charles Babbage2 and Mary Somerville1",
                               doi="10.1234/jts.2021.345")


def _read(name: str, data: bytes):
    outcome, result = read(name, data)
    return outcome, (result.records[0] if result.records else None)


def test_a_generated_article_is_read_from_its_layout():
    data = pdfmake.text_pdf([ARTICLE, [(10, 72, 700, "Second page")]],
                            info={"Title": "Microsoft Word - draft3.docx"})
    outcome, record = _read("article.pdf", data)
    assert outcome.status.value == "parsed", outcome.message
    assert record.title == "A study of reading first pages in generated documents"  # not the junk title
    assert [a.family for a in record.authors] == ["Lovelace", "Babbage", "Somerville"]
    assert (record.doi, record.year, record.journal) == ("10.1234/jts.2021.345", 2021,
                                                        "Journal of Test Studies")


def test_a_cover_page_is_passed_over():
    cover = [(14, 72, 700, "Institutional Repository of Examples"),
             (10, 72, 600, "A study of reading first pages in generated documents"),
             (9, 72, 300, "This article was downloaded from the Example Repository"),
             (9, 72, 280, "To cite this article: Lovelace, Babbage, & Somerville (2021)."),
             (9, 72, 260, "Terms and conditions of use apply.")]
    outcome, record = _read("covered.pdf", pdfmake.text_pdf([cover, ARTICLE, [(10, 72, 700, "3")]]))
    assert "cover page" in outcome.message
    assert record.title == "A study of reading first pages in generated documents"
    assert record.authors[0].family == "Lovelace"


def test_no_text_layer_is_accounted_for_as_scanned():
    outcome, record = _read("scan.pdf", pdfmake.scanned_pdf())
    assert record is None
    assert outcome.status.value == "failed"
    assert outcome.message.startswith("no text layer (scanned)")


def test_an_encrypted_pdf_says_it_needs_a_password():
    outcome, record = _read("locked.pdf", (GENERATED / "encrypted.pdf").read_bytes())
    assert record is None and "encrypted PDF" in outcome.message and "password" in outcome.message


def test_an_owner_password_alone_does_not_stop_reading():
    outcome, record = _read("owned.pdf", (GENERATED / "owner_only.pdf").read_bytes())
    assert record.doi == "10.1234/jts.2021.345"


def test_broken_pdfs_get_their_reason():
    data = pdfmake.text_pdf([ARTICLE])
    for name, broken in (("cut.pdf", data[: len(data) // 2]), ("junk.pdf", b"%PDF-1.4\n" + b"x" * 5000)):
        outcome, record = _read(name, broken)
        assert record is None and outcome.message.startswith("broken PDF"), outcome.message


def test_a_bomb_of_nested_objects_ends_with_a_reason():
    outcome, record = _read("nested.pdf", pdfmake.nested_bomb())
    assert record is None and outcome.message.startswith("broken PDF"), outcome.message


def test_a_stream_that_inflates_past_the_memory_cap_ends_with_a_reason(monkeypatch):
    monkeypatch.setattr(guard, "MEMORY_MB", 96)  # the real cap is 768 MB: bench/fulltext.py
    outcome, record = _read("inflate.pdf", pdfmake.inflate_bomb(megabytes=512))
    assert record is None and outcome.status.value == "failed"
    assert "memory" in outcome.message, outcome.message


def test_a_reader_that_takes_too_long_is_stopped(monkeypatch):
    import time

    monkeypatch.setattr(guard, "SECONDS", 1)
    try:
        guard.run(time.sleep, 5)
    except guard.GuardError as exc:
        assert "not read within 1 s" in str(exc)
    else:
        raise AssertionError("the sleeping child was not stopped")


def test_a_large_pdf_is_read_from_the_pages_it_needs(tmp_path):
    path = tmp_path / "padded.pdf"
    path.write_bytes(pdfmake.text_pdf([ARTICLE, [(10, 72, 700, "2")]], padding=40 << 20))
    report = litcorpus.ingest([path], tmp_path / "c.db")
    assert report.outcomes[0].status.value == "parsed", report.outcomes[0].message
    with Corpus(tmp_path / "c.db") as corpus:
        assert next(corpus.records()).doi == "10.1234/jts.2021.345"


def _page(head: str, body: str) -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def test_pages_that_are_not_articles_say_what_they_are():
    cases = {
        "moment.html": (_page("<title>Just a moment...</title>",
                              "<p>Checking if the site connection is secure</p>"), "a bot check"),
        "login.html": (_page("<title>Sign in</title>", "<form><input type='text' name='u'>"
                             "<input type='password' name='p'></form><p>Sign in through your institution</p>"),
                       "a login page"),
        "results.html": (_page("<title>Search results - Example Library</title>",
                               "".join(f"<div><a href='https://doi.org/10.1000/x{i}'>Paper {i}</a></div>"
                                       for i in range(20))), "a list of search results (20 linked articles)"),
    }
    for name, (data, reason) in cases.items():
        outcome, record = _read(name, data)
        assert record is None, name
        assert outcome.message.startswith(f"not an article page: {reason}"), outcome.message


def test_a_50_mb_page_is_read_from_its_head():
    head = ("<title>A page saved with its images inline</title>"
            "<meta name='citation_title' content='Inline images and the size of saved pages'>"
            "<meta name='citation_doi' content='10.1234/inline.2020'>")
    body = "<div><img src='data:image/png;base64," + "A" * (50 << 20) + "'></div>"
    outcome, record = _read("big.html", _page(head, body))
    assert record.doi == "10.1234/inline.2020"


def test_a_50_mb_page_of_nested_elements_ends_with_a_reason_or_a_record():
    data = _page("<title>Deep</title>", "<div>" * (10 << 20))
    outcome, record = _read("deep.html", data)
    assert outcome.status.value in ("parsed", "failed") and (record or outcome.message)
