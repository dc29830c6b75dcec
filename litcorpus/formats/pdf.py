"""Article PDFs as downloaded: text with its layout read through PDFium (pypdfium2).

Only the pages the metadata needs are read: the first two (a repository's or publisher's cover
page may come first), and the last (where BMC prints the DOI). Each page becomes lines of text with
their font size and position; `litcorpus.formats.article` reads the record from that layout and
from the file's own metadata (the Info dictionary and XMP packets), cross-checking one against the
other. Reading runs in a child process with time and memory limits (`litcorpus.guard`), so a
hostile or damaged file ends with a reason and never stops the ingest. pypdfium2 was chosen over
pdfminer.six and pypdf for speed and for the font sizes it reports (BENCHMARKS.md).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from litcorpus import guard
from litcorpus.errors import LitcorpusError
from litcorpus.formats import Format
from litcorpus.models import Failure, ParseResult

FORMAT = "pdf"
MAGIC = b"%PDF-"
MAX_CHARS = 40_000
"""Characters read from one page at most (a page of a text bomb holds millions)."""
SMALL = 0.8
"""Characters smaller than this share of their line's size are superscripts (affiliation marks)."""


GLYPH_FIXES = {"\x1b": "ff", "\x1c": "fi", "\x1d": "fl", "\x1e": "ffi", "\x1f": "ffl",
               **{chr(0xF730 + d): str(d) for d in range(10)}}
"""Characters of fonts without a map to Unicode that have a standard meaning: TeX's OT1 ligature
slots, and Adobe's private-use old-style figures (U+F730-F739)."""


@dataclass
class Line:
    """One visual line of a page: text, dominant font size, box (top-down: y grows downwards)."""

    text: str
    size: float
    x0: float
    top: float
    x1: float
    bottom: float
    bold: bool = False

    @property
    def letters(self) -> int:
        return sum(1 for c in self.text if c.isalpha())


@dataclass
class Page:
    """The lines of one page in reading order, with its number (1-based) and size."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    margin: str = ""
    """Text set sideways in the margin (`arXiv:0908.0054v1 [astro-ph.CO] 1 Aug 2009`)."""

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Document:
    """What the record is read from: the pages read, the page count, and the file's metadata."""

    pages: list[Page]
    page_count: int
    info: dict[str, str] = field(default_factory=dict)
    xmp: list[dict[str, list[str]]] = field(default_factory=list)


def sniff_bytes(head: bytes, name: str) -> float:
    """`%PDF-` within the first KB (some files carry a few bytes before it)."""
    return 1.0 if MAGIC in head[:1024] else 0.0


def parse_bytes(data: bytes, name: str) -> ParseResult:
    """One record for an article PDF, or a failure saying why there is none."""
    from litcorpus.formats import article

    try:
        document = guard.run(read_document, data)
    except LitcorpusError as exc:
        return ParseResult(failures=[Failure(reason=str(exc))])
    return article.from_document(document, name)


def read_document(data: bytes) -> Document:
    """Open the PDF and read the pages the metadata needs (runs in the guarded child)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise LitcorpusError(_open_error(str(exc))) from None
    try:
        count = len(pdf)
        if count == 0:
            raise LitcorpusError("a PDF without pages")
        wanted = sorted({0, 1, count - 1} & set(range(count)))
        info = {k: v for k, v in pdf.get_metadata_dict(skip_empty=True).items() if v.strip()}
        try:
            pages = [read_page(pdf[i], i + 1) for i in wanted]
        except pdfium.PdfiumError as exc:
            raise LitcorpusError(f"broken PDF: {str(exc).rstrip('.').lower()} (damaged or "
                                 "hostile page objects)") from None
    finally:
        pdf.close()
    return Document(pages=pages, page_count=count, info=info, xmp=xmp_packets(data))


def _open_error(message: str) -> str:
    lowered = message.lower()
    if "password" in lowered:
        return "encrypted PDF: it needs a password to open; save an unprotected copy"
    if "format" in lowered or "file" in lowered:
        return "broken PDF: PDFium cannot open it (damaged or not a PDF)"
    return f"broken PDF: {message}"


def read_page(page, number: int) -> Page:
    """The page's text as visual lines with font sizes (superscript marks left out)."""
    import pypdfium2.raw as raw

    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        count = min(textpage.count_chars(), MAX_CHARS)
        text = textpage.get_text_range(0, count) if count else ""
        matrix = raw.FS_MATRIX()
        get_size, get_matrix = raw.FPDFText_GetFontSize, raw.FPDFText_GetMatrix
        chars: list[tuple[str, float, float, int]] = []  # (char, size, baseline y, index)
        rows: list[list[tuple[str, float, float, int]]] = []
        margin: list[str] = []  # rotated characters (arXiv's stamp, a repository's watermark)
        for index, char in enumerate(text[:count]):
            if char in "\r\n":
                if chars:
                    rows.append(chars)
                chars = []
                continue
            if char == "\ufffe":  # PDFium's mark of a word hyphenated at a line end: join it
                continue
            if char == " ":
                chars.append((" ", 0.0, 0.0, index))
                continue
            char = GLYPH_FIXES.get(char, char)
            get_matrix(textpage, index, matrix)
            if abs(matrix.b) > 0.01 or matrix.a <= 0:  # rotated text: a margin stamp, not prose
                chars.append((" ", 0.0, 0.0, index))
                margin.append(char)
                continue
            size = round(get_size(textpage, index) * math.hypot(matrix.c, matrix.d), 1)
            chars.append((char, size, matrix.f, index))
        if chars:
            rows.append(chars)
        lines = [line for line in (_line(row, height, textpage) for row in rows) if line is not None]
    finally:
        textpage.close()
    return Page(number=number, width=width, height=height, lines=_join_fragments(lines),
                margin="".join(margin)[:2000])


def _line(row: list[tuple[str, float, float, int]], height: float, textpage) -> Line | None:
    sized = [(c, s) for c, s, _, _ in row if s > 0]
    if not sized:
        return None
    counts: dict[float, int] = {}
    for _, size in sized:
        counts[size] = counts.get(size, 0) + 1
    main = max(counts, key=lambda k: (counts[k], k))
    upper = bool(row) and max(y for _, _, y, _ in row) > height * 0.4
    gaps = _wide_gaps(row, main, textpage) if upper and len(row) <= WIDE_GAP_ROW else set()
    parts: list[str] = []
    for position, (char, size, _, _) in enumerate(row):
        if size and size < main * SMALL and not _inside_word(row, position):
            if parts and parts[-1] != " ":
                parts.append("\u2063")  # a dropped superscript: a mark that names can be split at
            continue
        if position in gaps:
            parts.append("\u2063")  # columns side by side (authors in a row): split there too
        parts.append(char)
    text = _compose_accents(re.sub(r"\s+", " ", "".join(parts)).strip())
    if not text.replace("\u2063", ""):
        return None
    kept = [(y, i) for c, s, y, i in row if s >= main * SMALL]
    ys = sorted(y for c, s, y, _ in row if s == main)
    baseline = height - ys[len(ys) // 2]
    x0, _ = _char_x(textpage, kept[0][1])
    _, x1 = _char_x(textpage, kept[-1][1])
    return Line(text=text, size=main, x0=min(x0, x1), top=baseline - main * 0.8, x1=max(x0, x1),
                bottom=baseline + main * 0.2, bold=_bold(textpage, kept[len(kept) // 2][1]))


_BOLD_NAME = re.compile(rb"bold|black|heavy|demi|semibold|cmbx|cmb\d|bx\d", re.I)


def _bold(textpage, index: int) -> bool:
    """Whether a character is set in a bold font: its weight, or its font's name (`CMBX12`,
    `Helvetica-Bold`) where the weight says nothing."""
    import ctypes

    import pypdfium2.raw as raw

    if raw.FPDFText_GetFontWeight(textpage, index) >= 550:  # TeX's CMBX reports 570
        return True
    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    length = raw.FPDFText_GetFontInfo(textpage, index, buffer, 128, ctypes.byref(flags))
    return bool(length) and bool(_BOLD_NAME.search(buffer.raw[:max(0, length - 1)]))


def _inside_word(row: list[tuple[str, float, float, int]], position: int) -> bool:
    """A small letter between letters of the line's size is part of a word set in a logo or
    small capitals (the A of LaTeX, the IB of BibTeX), not an affiliation mark."""
    def letter(at: int) -> bool:
        return 0 <= at < len(row) and row[at][0].isalpha()
    if not row[position][0].isalpha():
        return False
    left, right = position - 1, position + 1
    while letter(left) and row[left][1] < row[position][1] * 1.05:
        left -= 1
    while letter(right) and row[right][1] < row[position][1] * 1.05:
        right += 1
    return letter(left) and letter(right)


_SPACING_ACCENTS = {"\u00b4": "\u0301", "`": "\u0300", "\u00a8": "\u0308", "\u02c6": "\u0302",
                    "\u02dc": "\u0303", "\u02c7": "\u030c", "\u02d8": "\u0306", "\u02d9": "\u0307",
                    "\u02da": "\u030a", "\u02dd": "\u030b"}
_ACCENTED = re.compile("([" + "".join(_SPACING_ACCENTS) + "])([^\\W\\d_])")


def _compose_accents(text: str) -> str:
    """Accents that old TeX fonts set as a separate glyph before the letter (`Chauss´e`) put
    on their letter (`Chaussé`); a cedilla beside a c, s or t likewise (`Fran¸cois`)."""
    if not any(c in text for c in _SPACING_ACCENTS) and "\u00b8" not in text:
        return text
    text = _ACCENTED.sub(lambda m: m.group(2).replace("\u0131", "i") + _SPACING_ACCENTS[m.group(1)], text)
    text = re.sub("\u00b8([cCsStT])|([cCsStT])\u00b8", lambda m: (m.group(1) or m.group(2)) + "\u0327", text)
    return unicodedata.normalize("NFC", text)


WIDE_GAP = 1.5
"""A space wider than this many font sizes separates columns, not words."""
WIDE_GAP_ROW = 90
"""Only rows up to this many characters in the upper part of a page are checked for wide gaps:
rows of authors are short and stand near the top; checking every line would cost a character box
per space."""


def _wide_gaps(row: list[tuple[str, float, float, int]], main: float, textpage) -> set[int]:
    """Positions in the row where a space spans a column gap (authors side by side): the next
    character starts more than WIDE_GAP font sizes right of the end of the previous one."""
    gaps = set()
    for position in range(1, len(row) - 1):
        if row[position][0] != " " or row[position - 1][0] == " " or row[position + 1][0] == " ":
            continue
        _, left = _char_x(textpage, row[position - 1][3])
        right, _ = _char_x(textpage, row[position + 1][3])
        if right - left > WIDE_GAP * main:
            gaps.add(position)
    return gaps


def _char_x(textpage, index: int) -> tuple[float, float]:
    """Left and right edge of one character."""
    import ctypes

    import pypdfium2.raw as raw

    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    raw.FPDFText_GetCharBox(textpage, index, left, right, bottom, top)
    return left.value, right.value


def _join_fragments(lines: list[Line]) -> list[Line]:
    """PDFium breaks a line after a superscript; pieces on the same baseline that continue to the
    right are one line again."""
    joined: list[Line] = []
    for line in lines:
        last = joined[-1] if joined else None
        if (last is not None and abs(line.bottom - last.bottom) < 0.35 * max(line.size, last.size)
                and line.x0 >= last.x0 and abs(line.size - last.size) < 0.15 * last.size):
            sep = "" if line.text[:1] in ",.;:)" or last.text.endswith(("-", "/")) else " "
            last.text = f"{last.text}{sep}{line.text}"
            last.x1 = max(last.x1, line.x1)
            continue
        joined.append(line)
    return joined


_PACKET = re.compile(rb"<x:xmpmeta[\s>].{0,200000}?</x:xmpmeta>", re.S)


def xmp_packets(data: bytes, limit: int = 20) -> list[dict[str, list[str]]]:
    """The XMP packets stored uncompressed in the file, each as {element: values}.

    A file can hold several: the document's and those of embedded images or of the template it was
    made from (one BMC file here carries another article's). They are evidence to cross-check
    against the page text, never taken on their own.
    """
    from defusedxml import ElementTree

    found: list[dict[str, list[str]]] = []
    for match in _PACKET.finditer(data):
        if len(found) >= limit:
            break
        chunk = match.group(0)
        if b"dc:title" not in chunk and b"doi" not in chunk.lower():
            continue
        try:
            root = ElementTree.fromstring(chunk)
        except Exception:  # noqa: BLE001 - a damaged packet is no evidence
            continue
        values: dict[str, list[str]] = {}
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in root.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            for attr, value in element.attrib.items():
                name = attr.rsplit("}", 1)[-1]
                if name in ("doi", "identifier", "title", "creator", "description"):
                    values.setdefault(name, []).append(value)
            if tag == "li" or tag in ("doi", "identifier"):
                text = (element.text or "").strip()
                if text:
                    values.setdefault(_owner(parents, element) if tag == "li" else tag, []).append(text)
        if values:
            found.append(values)
    return found


def _owner(parents: dict, element) -> str:
    """The property an `rdf:li` belongs to (dc:title, dc:creator ...)."""
    node = element
    while node in parents:
        node = parents[node]
        tag = node.tag.rsplit("}", 1)[-1]
        if tag not in ("Alt", "Seq", "Bag", "li"):
            return tag
    return "li"


FORMATS = [Format(FORMAT, lambda text, name: 0.0, lambda text, name: ParseResult(), (".pdf",),
                  "article PDF (title, authors, DOI, year, journal and abstract from the first "
                  "pages' layout and the file's metadata)", binary=True, sniff_bytes=sniff_bytes,
                  parse_bytes=parse_bytes)]
