"""textio: bytes to text and archives to members, on inputs written here for each case."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from litcorpus import textio
from litcorpus.errors import InputError

TEXT = "TI  - Gröne über Ñandú\r\nAU  - Müller, J.\r\n"


@pytest.mark.parametrize("data,encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16"),
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
    (TEXT.encode("utf-16-le"), "utf-16-le"),   # no BOM: told by its zero bytes
    (TEXT.encode("utf-16-be"), "utf-16-be"),
])
def test_decode_reads_every_unicode_form_and_folds_line_ends(data, encoding):
    decoded = textio.decode(data)
    assert decoded.text == TEXT.replace("\r\n", "\n")
    assert decoded.encoding == encoding and not decoded.warnings


def test_cp1252_is_the_last_resort_and_says_so():
    decoded = textio.decode(TEXT.encode("cp1252"))
    assert decoded.text == TEXT.replace("\r\n", "\n") and decoded.encoding == "cp1252"
    assert decoded.warnings == [textio.CP1252_WARNING]


def test_line_ends_can_be_left_for_later_and_a_lone_cr_ends_a_line():
    assert textio.decode(b"a\r\nb\rc", line_ends=False).text == "a\r\nb\rc"
    assert textio.clean("\ufeffa\r\nb\rc") == "a\nb\nc"


@pytest.mark.parametrize("data,what", [
    (b"%PDF-1.7\n...", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    (b"abc\x00def\x00ghi", "NUL bytes"),
])
def test_binary_content_is_refused_with_what_it_is(data, what):
    with pytest.raises(InputError, match=what):
        textio.decode(data)


def test_zip_members_by_their_names_and_folders_and_resource_forks_left_out():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("exports/", b"")
        archive.writestr("exports/a.ris", b"TY  - JOUR\nER  - \n")
        archive.writestr("__MACOSX/exports/._a.ris", b"\x00\x05")
        archive.writestr("b.txt", b"plain")
    members = list(textio.unpack("/in/search.zip", buffer.getvalue()))
    assert members == [("exports/a.ris", b"TY  - JOUR\nER  - \n"), ("b.txt", b"plain")]


def test_gz_content_is_named_by_its_header_else_by_the_file():
    named = io.BytesIO()
    with gzip.GzipFile(filename="original export.ris", mode="wb", fileobj=named) as handle:
        handle.write(b"TY  - JOUR\nER  - \n")
    assert list(textio.unpack("/in/renamed.gz", named.getvalue())) == [
        ("original export.ris", b"TY  - JOUR\nER  - \n")]
    plain = gzip.compress(b"PMID- 1\n", mtime=0)  # gzip.compress writes no name
    assert list(textio.unpack("/in/pubmed.nbib.gz", plain)) == [("pubmed.nbib", b"PMID- 1\n")]
    assert textio.gz_member_name("/in/export") == "export"


def test_an_archive_inside_an_archive_names_both_members():
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("a.ris", b"TY  - JOUR\nER  - \n")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("inner.zip", inner.getvalue())
    assert [m for m, _ in textio.unpack("/in/outer.zip", outer.getvalue())] == ["inner.zip!a.ris"]


def test_a_plain_file_has_no_member_and_a_broken_gz_fails_with_a_reason():
    assert list(textio.unpack("/in/a.ris", b"TY  - JOUR")) == [(None, b"TY  - JOUR")]
    with pytest.raises(InputError, match="broken gzip"):
        list(textio.unpack("/in/a.gz", gzip.compress(b"x" * 100)[:20]))


def test_an_office_document_is_not_an_archive_of_exports():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
    assert not textio.is_zip(io.BytesIO(buffer.getvalue()))
