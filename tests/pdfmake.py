"""Write small PDFs for tests: pages of text at given sizes and places (Helvetica), an image-only
page as a scanner makes, and the hostile shapes a downloads folder can hold (nested objects, a
stream that inflates to gigabytes, a file padded to hundreds of MB). The files follow the PDF 1.4
syntax (ISO 32000-1 section 7): numbered objects, a cross-reference table and a trailer."""

from __future__ import annotations

import zlib

Text = tuple
"""(font size, x, y from the bottom of a 612 x 792 page, text), and a fifth item ("bold") to set
the line in Helvetica-Bold"""


def _escape(text: str) -> bytes:
    return text.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def build(objects: list[bytes], root: int = 1, info: int | None = None, tail: bytes = b"") -> bytes:
    """A PDF of the given object bodies (object i+1 is objects[i])."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    out += tail
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, root)
    if info:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def text_pdf(pages: list[list[Text]], info: dict[str, str] | None = None,
             padding: int = 0) -> bytes:
    """Pages of text; `info` becomes the Info dictionary; `padding` bytes of incompressible data
    are stored in an unused stream (a large file whose pages are small)."""
    count = len(pages)
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
                            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                            b"/Encoding /WinAnsiEncoding >>",
                            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
                            b"/Encoding /WinAnsiEncoding >>"]
    kids = []
    for lines in pages:
        content = b"".join(b"BT /F%d %.1f Tf %.1f %.1f Td (%s) Tj ET\n" % (
            2 if len(line) > 4 else 1, line[0], line[1], line[2], _escape(line[3])) for line in lines)
        objects.append(_stream(content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % len(objects))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (
        count, b" ".join(b"%d 0 R" % k for k in kids))
    info_number = None
    if info:
        body = b" ".join(b"/%s (%s)" % (k.encode(), _escape(v)) for k, v in info.items())
        objects.append(b"<< " + body + b" >>")
        info_number = len(objects)
    if padding:
        import os

        objects.append(_stream(os.urandom(padding)))
    return build(objects, info=info_number)


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages that hold only an image (a scanner's output): no text layer at all."""
    width, height = 200, 260
    pixels = zlib.compress(bytes((x * y) % 251 for y in range(height) for x in range(width)))
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
                            _stream(pixels, b" /Type /XObject /Subtype /Image /Width %d /Height %d "
                                    b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode"
                                    % (width, height))]
    kids = []
    for _ in range(pages):
        objects.append(_stream(b"q 612 0 0 792 0 0 cm /Im1 Do Q"))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /XObject << /Im1 3 0 R >> >> >>" % len(objects))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (
        pages, b" ".join(b"%d 0 R" % k for k in kids))
    return build(objects)


def nested_bomb(depth: int = 2_000_000) -> bytes:
    """A page whose resources hold an array nested `depth` levels deep, and a page tree whose
    node lists itself among its kids."""
    nested = b"[" * depth + b"]" * depth
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Count 2 /Kids [3 0 R 2 0 R] >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Deep 5 0 R >> >>",
               _stream(b"BT /F1 12 Tf 72 700 Td (x) Tj ET"),
               nested]
    return build(objects)


def inflate_bomb(megabytes: int = 2048) -> bytes:
    """A page whose content stream inflates to `megabytes` MB of text-showing operators."""
    chunk = b"BT /F1 1 Tf 1 1 Td (AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA) Tj ET\n" * 16384
    packer = zlib.compressobj(9)
    packed = bytearray()
    for _ in range((megabytes << 20) // len(chunk)):
        packed += packer.compress(chunk)
    packed += packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               _stream(bytes(packed), b" /Filter /FlateDecode"),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return build(objects)


def article_page(title: list[str], authors: str, doi: str | None = None, year: int = 2021,
                 journal: str = "Journal of Test Studies") -> list[Text]:
    """A journal article's first page: a header, the title in 20 pt, authors, an abstract."""
    lines: list[Text] = [(8, 72, 760, f"{journal} {year}, 12:345" + (f"  doi:{doi}" if doi else ""))]
    y = 700.0
    for part in title:
        lines.append((20, 72, y, part))
        y -= 24
    lines.append((11, 72, y - 6, authors))
    lines.append((9, 72, y - 22, "1 Department of Testing, University of Examples, Exampleton"))
    lines.append((10, 72, y - 50, "Abstract"))
    body = ("Background: this study reports what a reader of the first page sees, written to test "
            "how the title, the authors, the year and the identifier are read from the layout")
    for i in range(0, len(body), 90):
        lines.append((9.5, 72, y - 64 - i / 90 * 12, body[i:i + 90]))
    return lines
