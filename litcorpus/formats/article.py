"""An article's record from the layout of its first pages and its file's metadata.

The evidence is read as a person reads a PDF's first page, and each piece is cross-checked with
another:
- title: the block of the largest type on the first article page (a repository's or publisher's
  cover page is recognised and passed over), leaving out article-type labels ("Research Article")
  and running elements (a journal's masthead repeated on other pages). A metadata title (Info or
  XMP) that is not junk and is printed on that page is preferred, being free of line breaks.
- authors: the line(s) of names next to the title, superscript marks dropped by their size;
  names printed family-first are told by a cite line on a cover page.
- DOI: only a DOI printed in the file: on the first pages, in a running header or footer, or next
  to a "Cite this article" line at the end (BMC); never one read from a reference list; a DOI
  broken across lines is joined; metadata only breaks ties between printed DOIs.
- year: every year on the first pages weighed by what it stands beside (published > journal
  citation line > copyright > accepted > received), the PDF's creation date as a last resort.
Nothing is invented: a field without evidence stays empty.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from litcorpus import normalize
from litcorpus.formats.pdf import Document, Line, Page
from litcorpus.models import Author, Failure, Kind, Origin, ParseResult, Record

FORMAT = "pdf"
NO_TEXT = "no text layer (scanned)"

# --- vocabularies (data) -------------------------------------------------------------------

LABEL_WORDS = frozenset(
    "research article articles original review reviews open access case report reports letter "
    "letters editorial editorials short communication communications brief focused mini "
    "perspective perspectives commentary opinion technical note notes methodology methods "
    "protocol study studies systematic meta analysis clinical trial original paper papers "
    "regular full invited special issue feature correspondence hypothesis theory rapid "
    "observation observations data descriptor software tool tools highlights scientific "
    "reports".split())
"""Words of the article-type labels printed near a title ("Research Article", "Open Access")."""

COVER_MARKERS = re.compile(
    r"downloaded (?:from|at|by|on)\b|this article was downloaded|to cite this article|"
    r"e-publisher|terms (?:and|&) conditions|terms of use|this content downloaded from|"
    r"all use subject to|brought to you by|for more information,? please contact|"
    r"citation for published version|link to publication|general rights|take down policy|"
    r"accepted manuscript|please cite this article as|repository|institutional archive|"
    r"published in final edited form|author manuscript",
    re.I)
"""Phrases of the cover pages repositories and publishers put before an article."""

AFFILIATION_WORDS = re.compile(
    r"universit|department|institut|hospital|school|college|centre|center|laborator|faculty|"
    r"facultad|fakult|ministry|clinic|foundation|corporation|company|gmbh|inc\.|ltd|@|"
    r"correspond|abstract|received|accepted|published|keywords|editor|e-?mail|http|www\.|"
    r"\bdoi\b|volume|journal|copyright|©|licen[cs]e|\bissn\b|article|submitted",
    re.I)

ABSTRACT_HEADINGS = frozenset({
    "abstract", "summary", "resumo", "resumen", "résumé", "resume", "zusammenfassung",
    "περίληψη", "摘要", "аннотация", "реферат", "abstrakt", "sammanfattning", "samenvatting",
    "riassunto", "streszczenie", "özet", "samandrag", "tiivistelmä", "要旨", "초록", "요약", "sommario",
    "resum", "laburpena", "rezumat", "souhrn", "absztrakt", "abstract and keywords"})
KEYWORD_MARKERS = re.compile(
    r"^(?:key\s*-?words?|index terms|palavras[- ]chave|palabras clave|mots[- ]cl[ée]s|"
    r"schlüsselwörter|schlagwörter|λέξεις[- ]κλειδιά|关键词|ключевые слова|parole chiave|"
    r"subjects|jel|msc|ccs concepts)\b", re.I)
SECTION_START = re.compile(
    r"^(?:\d+\.?\s*|[IVX]+\.\s*)?(?:introduction|background|einleitung|introducción|introdução|"
    r"εισαγωγή|引言|введение|methods|materials and methods)\s*$", re.I)

YEAR_CONTEXT = [  # (pattern around a year, weight): what a year stands beside tells what it dates
    (re.compile(r"publi(?:shed|cation date|cado|é)[^\n]{0,40}?(?P<y>(?:19|20)\d\d)", re.I), 5),
    (re.compile(r"(?:^|et al\.?\s)[A-Z][^\n\d]{2,80}?\s(?P<y>(?:19|20)\d\d)\s?[,;:]\s?\d", re.M), 4),
    (re.compile(r"\b(?:volume|vol\.|τομ\.|tom\.?)\s*\d+\s*[,(]\s*(?P<y>(?:19|20)\d\d)", re.I), 4),
    (re.compile(r"\b(?:volume|vol\.)\s*(?P<y>(?:19|20)\d\d)\b", re.I), 4),
    (re.compile(r"(?P<y>(?:19|20)\d\d)\s*,\s*(?:volume|vol\.)\s*\d", re.I), 4),
    (re.compile(r"(?:cite|citation)[^\n]{0,200}?\((?P<y>(?:19|20)\d\d)\)", re.I), 4),
    (re.compile(r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?P<y>(?:19|20)\d\d)", re.I), 3),
    (re.compile(r"\b(?:this version|version|compiled|typeset|entwurf|draft|dated|updated)\b[^\n]{0,40}?"
                r"(?P<y>(?:19|20)\d\d)(?!\d)", re.I), 3),
    (re.compile(r"accepted[^\n]{0,30}?(?P<y>(?:19|20)\d\d)", re.I), 2),
    (re.compile(r"(?:received|submitted)[^\n]{0,30}?(?P<y>(?:19|20)\d\d)", re.I), 1),
]

_DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+", re.I)
_DOI_LABEL = re.compile(r"(?:doi|digital object identifier)\s*[:.]?\s*$|doi\.org/$|dx\.doi\.org/$",
                        re.I)
_CITE_MARK = re.compile(r"cite this article|to cite this|citation:|please cite|how to cite", re.I)
_CITE_LINE = re.compile(r"^\s*(?:cite this article|to cite this article|please cite this article|"
                        r"how to cite this article|citation:)", re.I)
"""A line that opens a cite-this-article notice (BMC prints the DOI beside it at the end)."""
_REFERENCE_LINE = re.compile(r"^\s*(?:\[\d{1,4}\]|\d{1,4}\.\s)")
_EMAIL = re.compile(r"\S+@\S+")


# --- entry point ---------------------------------------------------------------------------

def from_document(document: Document, name: str) -> ParseResult:
    """The record of an article PDF, or a failure saying why there is none."""
    letters = sum(line.letters for page in document.pages for line in page.lines)
    if letters < 40:
        return _without_text(document, name)
    if _word_share(document) < WORDLIKE:
        return _without_text(document, name, UNREADABLE)
    reading = Reading(document)
    record = Record(kind=Kind.FULL_TEXT)
    title_block = reading.title_block()
    record.title = reading.title(title_block)
    reading.check_cover(record.title)
    record.authors = reading.authors(title_block)
    record.doi = reading.doi()
    record.year = reading.year(title_block, record.title, record.doi,
                               record.authors[0].family if record.authors else None)
    record.journal = reading.journal()
    record.abstract = reading.abstract()
    if not (record.title or record.doi):
        return ParseResult(failures=[Failure(reason="no title or DOI found on the first pages")])
    record.origins = [Origin(file=name, format=FORMAT)]
    record.files = _files(name)
    warnings = [f"page 1 is a cover page; read page {reading.first.number}"] if reading.cover else []
    return ParseResult(records=[record], warnings=warnings)


def _files(name: str) -> list[str]:
    """The file's absolute path, which reference managers attach; none for an archive member."""
    return [] if "!" in os.path.basename(name) else [os.path.abspath(name)]


UNREADABLE = "text layer unreadable (its fonts map letters to symbols or codes)"
WORDLIKE = 0.5
"""A first page fewer than this share of whose words read as words has no usable text layer."""


def _word_share(document: Document) -> float:
    """The share of the first page's words that read as words: a font without a usable map from
    glyphs to letters gives its glyph codes instead (`TPOgJa^_l\x19uaORv`) or symbols
    (`P❡♥❛❧✐③❡❞`), and those fail a test that holds in every script. A word here is a
    whitespace-separated token with a letter or digit; it reads as one unless it holds a control,
    private-use or unassigned code point or a symbol (dingbats), or a small letter followed by a
    capital (`OgJa`; `LaTeX` is rare enough not to matter). Tokens of punctuation or symbols alone
    (a plot's markers) are not counted."""
    words = plausible = 0
    for token in document.pages[0].text.replace("\u2063", " ").split():
        kinds = [unicodedata.category(c) for c in token]
        if not any(k[0] in "LN" or k in ("Co", "Cc", "Cn") for k in kinds):
            continue
        words += 1
        if any(k in ("Co", "Cc", "Cn", "Cs", "So") for k in kinds):
            continue
        plausible += not any(a.islower() and b.isupper() for a, b in zip(token, token[1:], strict=False))
    return plausible / words if words else 1.0


def _without_text(document: Document, name: str, what: str = NO_TEXT) -> ParseResult:
    """A PDF with no (usable) text layer: a record only when its metadata carries a DOI."""
    found = [d for d in map(normalize.find_doi, document.info.values()) if d]
    found += [d for packet in document.xmp for key in ("doi", "identifier")
              for d in map(normalize.find_doi, packet.get(key, [])) if d]
    reason = f"{what}: OCR it (e.g. with ocrmypdf) to read more than its metadata"
    if not found:
        return ParseResult(failures=[Failure(reason=f"{what}: OCR it (e.g. with ocrmypdf) "
                                                    "to read it")])
    record = Record(kind=Kind.FULL_TEXT, doi=found[0], origins=[Origin(file=name, format=FORMAT)],
                    files=_files(name))
    title = document.info.get("Title", "")
    if title and not junk_title(title):
        record.title = title
    return ParseResult(records=[record], warnings=[reason])


# --- reading the layout --------------------------------------------------------------------

@dataclass
class Block:
    """Consecutive lines of one size that stand together (a title, a paragraph)."""

    lines: list[Line]

    @property
    def size(self) -> float:
        return self.lines[0].size

    @property
    def text(self) -> str:
        return join_lines(line.text for line in self.lines)


def join_lines(parts) -> str:
    """Lines joined with spaces; a word broken at a hyphen is joined again."""
    out = ""
    for part in parts:
        part = part.replace("\u2063", " ").strip()
        if not part:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and part[:1].islower():
            out = out[:-1] + part
        else:
            out = f"{out} {part}" if out else part
    return re.sub(r"\s+", " ", out).strip()


class Reading:
    """The evidence of one document, read once and cross-checked field by field."""

    def __init__(self, document: Document):
        self.document = document
        pages = [p for p in document.pages if p.lines]
        self.cover = pages[0] if len(pages) > 1 and is_cover(pages[0]) else None
        self.first = pages[1] if self.cover is not None else pages[0]
        self.pages = pages
        self.last = pages[-1] if pages[-1] is not self.first and pages[-1] is not self.cover else None
        self.running = running_texts(pages)
        self.body_size = body_size(self.first)
        self.meta_titles = [t for t in self._metadata("Title", "title") if not junk_title(t)]
        self._dois: dict[int, set[str]] | None = None
        self.cover_evidence = self.cover  # the cover page, while it may speak for the article
        self._folded: list[str] | None = None  # every line folded, read once

    def check_cover(self, title: str | None) -> None:
        """A cover page speaks for the article behind it only when it names that article's
        title; otherwise (a cover of another article, a title not found) its DOI, year and cite
        line are not the article's."""
        if self.cover is None:
            return
        printed = _squash(self.cover.text)
        key = _squash(title or "")[:60]
        if len(key) < 10 or key not in printed:
            self.cover_evidence = None

    def _metadata(self, info_key: str, xmp_key: str) -> list[str]:
        values = [self.document.info.get(info_key, "")]
        values += [v for packet in self.document.xmp for v in packet.get(xmp_key, [])]
        return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))

    # title ------------------------------------------------------------------------------

    def title_block(self) -> Block | None:
        """The block of the largest type on the first article page. A text printed on other
        pages too (a running head) is passed over when it stands in the page's header or footer
        band or another candidate is as large: a journal's masthead; a title repeated as the
        running head of later pages still counts. A journal name that a citation line continues
        with a volume number, and section headings, are no titles."""
        candidates = []
        for block in blocks(self.first.lines):
            text = block.text
            letters = sum(c.isalpha() or _cjk(c) for c in text)
            if letters < 8 or len(text.split()) > 45 or block.size < self.body_size * 1.1:
                continue
            if _DOI.search(text) or _EMAIL.search(text) or SECTION_START.match(text) or \
                    self._masthead(text):
                continue
            candidates.append(block)
        if not candidates:
            return self._set_apart_title()

        def running(block: Block) -> bool:
            return _fold_key(block.text) in self.running and (
                _edge(block.lines[0], self.first) or
                any(c is not block and c.size >= block.size * 0.95 and
                    _fold_key(c.text) not in self.running for c in candidates))

        return max(candidates, key=lambda b: (not running(b), round(b.size, 0), -b.lines[0].top))

    def _set_apart_title(self) -> Block | None:
        """A title printed at body size is told by being set apart: the first block in the top
        half of the page, centred, in capitals or bold, of at most 25 words, followed by a line
        of names."""
        page = self.first
        found = blocks(page.lines)
        for index, block in enumerate(found[:4]):
            first = block.lines[0]
            if first.top > page.height * 0.5 or _edge(first, page):
                continue
            text = block.text
            letters = [c for c in text if c.isalpha()]
            middle = (min(ln.x0 for ln in block.lines) + max(ln.x1 for ln in block.lines)) / 2
            if len(letters) < 8 or len(text.split()) > 25 or abs(middle - page.width / 2) > page.width * 0.08:
                continue
            capitals = sum(c.isupper() for c in letters) >= 0.8 * len(letters)
            if not (capitals or all(line.bold for line in block.lines)):
                continue
            after = [line for b in found[index + 1:index + 3] for line in b.lines][:3]
            if names_from(after):
                return block
        return None

    def _masthead(self, text: str) -> bool:
        """A journal's name that a line of the first pages continues with a volume number
        (`Solar Energy Materials & Solar Cells 137 (2015) 1-5`); a running head that a page
        number alone follows (`A Simple Example ... 3`) is a title repeated, not a masthead."""
        name = normalize.fold(text).strip()
        if len(_fold_key(text)) < 4:
            return False
        if self._folded is None:
            self._folded = [normalize.fold(line.text) for page in self.pages for line in page.lines]
        for folded in self._folded:
            at = folded.find(name)
            rest = folded[at + len(name):]
            if at >= 0 and folded.strip() != name and re.match(r"\W*\d", rest) and \
                    not re.fullmatch(r"\W*\d{1,4}\W*", rest):
                return True
        return False

    def title(self, block: Block | None) -> str | None:
        printed = _squash(self.first.text)
        edges = [_squash(line.text) for line in self.first.lines if _edge(line, self.first)]
        for title in self.meta_titles:  # a metadata title printed on the page: no line breaks in it
            key = _squash(title)
            # unless printed only inside a longer line of the header or footer band: a journal's
            # name in a running head (`De Marchis et al. Journal of ... (2016) 13:22`)
            heads = sum(edge.count(key) for edge in edges if len(edge) >= len(key) + 8)
            if len(title) >= 15 and printed.count(key) > heads:
                return title
        if block is None:
            return None
        layout = re.sub(r"\s*[,;]\s*(?:19|20)\d\d[/.-]\d{1,2}[/.-]\d{1,2}$", "", block.text)  # a dated title
        layout = re.sub(r"[\s\u2063]*[∗*†‡§¶]+$", "", layout)  # a footnote mark at body size
        for title in self.meta_titles:  # the same title, told apart by quotes or hyphens only
            if fuzz.ratio(normalize.fold(title), normalize.fold(layout)) >= 90:
                return title
        return layout

    # authors ----------------------------------------------------------------------------

    def authors(self, block: Block | None) -> list[Author]:
        found: list[Author] = []
        if block is not None:
            lines = self.first.lines
            start = lines.index(block.lines[-1]) + 1
            end = lines.index(block.lines[0])
            found = names_from(lines[start:start + 6]) or names_from(lines[max(0, end - 3):end][::-1],
                                                                     backwards=True)
            if not found:  # names in a side column, level with the title
                top, bottom = block.lines[0].top, block.lines[-1].bottom
                beside = [line for line in lines if line not in block.lines and
                          top - line.size <= line.top <= bottom + line.size and
                          (line.x1 < block.lines[0].x0 or line.x0 > block.lines[0].x1)]
                found = names_from(beside)
        if not found:
            found = self._metadata_authors()
        if self.cover_evidence is not None and found:
            found = _order_by_cite(found, self.cover_evidence.text)
        return found

    def _metadata_authors(self) -> list[Author]:
        """Authors from the metadata, when the first one's family name is printed on the page."""
        printed = normalize.fold(self.first.text)
        for value in self._metadata("Author", "creator"):
            value = re.sub(r"\{?et al\.?\}?", "", value)
            parts = [p for p in re.split(r"\s*(?:,|;|\band\b|&)\s*", value) if p.strip()]
            if not parts or len(parts[0].split()) < 2:  # a user name or an agency (`tubitak`)
                continue
            authors = [a for a in map(normalize.author, parts) if a and a.family]
            if authors and re.search(rf"(?<!\w){re.escape(normalize.fold(authors[0].family))}(?![\w@.])",
                                     printed):
                return authors
        return []

    # DOI ---------------------------------------------------------------------------------

    def doi(self) -> str | None:
        scores: Counter = Counter()
        front = [p for p in (self.cover_evidence, self.first) if p is not None]
        for page in self.pages:
            if page is self.cover and self.cover_evidence is None:
                continue
            for index, line in enumerate(page.lines):
                for found, labelled in dois_in(page.lines, index):
                    running = self._repeated(found, page)  # the same DOI in a running footer
                    near_cite = page is self.last and any(
                        _CITE_LINE.match(other.text) for other in page.lines[max(0, index - 3):index + 4])
                    if page in front and not _REFERENCE_LINE.match(line.text):
                        scores[found] += 2 + labelled + _edge(line, page)
                    elif running:
                        scores[found] += 2
                    elif near_cite:
                        scores[found] += 2 + labelled
        for value in self._metadata("Subject", "description") + self._metadata("doi", "doi") + \
                self._metadata("Keywords", "identifier"):
            found = normalize.find_doi(value)
            if found in scores:
                scores[found] += 2
        if not scores:
            return None
        best, score = max(scores.items(), key=lambda kv: (kv[1], -len(kv[0])))
        return best if score >= 2 else None

    def _repeated(self, doi: str, page: Page) -> bool:
        """Whether a DOI is printed on another page too (a running footer, as PeerJ's)."""
        if self._dois is None:
            self._dois = {p.number: {d for d, _ in _page_dois(p)} for p in self.pages}
        return any(doi in found for number, found in self._dois.items() if number != page.number)

    # year --------------------------------------------------------------------------------

    def year(self, block: Block | None = None, title: str | None = None,
             doi: str | None = None, family: str | None = None) -> int | None:
        """The year the first pages print for this article: every year weighed by what it
        stands beside (YEAR_CONTEXT), a date line under the title, a citation of the article
        itself (its title and, when known, its first author's name, or its DOI, on the same
        lines: a title's words in a sentence of the abstract are no citation; the title's own
        lines and the two after them count without a name). The file's
        creation date only rules out later years: a PDF's build date is not its publication
        year, so none is given without a printed one."""
        created = normalize.year(self.document.info.get("CreationDate", "")[2:6] or None)
        weights: Counter = Counter()

        def add(text: str, weight: int) -> None:
            for match in re.finditer(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text):
                year = int(match.group(1))
                if created is None or year <= created + 1:
                    weights[year] += weight

        for page in (self.cover_evidence, self.first):
            if page is None:
                continue
            text = page.text
            for pattern, weight in YEAR_CONTEXT:
                for match in pattern.finditer(text):
                    add(match.group("y"), weight)
            for line in page.lines:
                if _edge(line, page):
                    add(line.text, 1)
            cited: set[int] = set()  # lines of a citation of the article, or next to its DOI
            key = _squash(title)[:50] if title and len(_squash(title)) >= 25 else None  # not a phrase
            squashed = [_squash(line.text) for line in page.lines] if key else []
            named = normalize.fold(family) if family else ""
            own = {i for i, line in enumerate(page.lines) if block and line in block.lines}
            entry = _cited_title(title) if key else None
            for start, window in enumerate(_windows(page.lines, 3)):
                # the title's own lines (a date set with them), or a citation naming the author too
                # or giving the whole title as an entry does, closed by a full stop
                if (key and key in "".join(squashed[start:start + 3]) and
                        (start in own or named in normalize.fold(window) or
                         (entry and entry.search(window)))) or \
                        (doi and doi in window.lower()):
                    cited.update(range(start, min(start + 3, len(page.lines))))
            for index in sorted(cited):
                add(page.lines[index].text, 4)
        for line in _date_lines(self.first.lines, block):
            add(line.text, 4)
        if family:
            for year in _version_years(self.first, family):
                add(str(year), 4)
        for match in _MARGIN_DATE.finditer(self.first.margin):  # a dated stamp set sideways
            add(match.group(0), 2)
        if weights:
            return max(weights.items(), key=lambda kv: (kv[1], kv[0]))[0]
        return None

    # journal -----------------------------------------------------------------------------

    def journal(self) -> str | None:
        """A journal name from the metadata that is a line of its own on the first pages (a
        masthead), else from a citation line (`Journal 2014, 14:70`)."""
        lines = {_squash(line.text) for p in self.pages for line in p.lines}
        for value in self._metadata("Subject", "description"):
            name = re.split(r"\s(?:19|20)\d\d\b|[.;]\s|\sdoi", value)[0].strip(" ,.")
            if 2 < len(name) < 120 and len(name.split()) <= 12 and _squash(name) in lines and \
                    not re.search(r"[→>•,]|^\W", name):  # not a subject list such as ACM's CCS
                return name
        for page in (self.first, self.cover_evidence, *self.pages):
            if page is None:
                continue
            for line in page.lines:
                match = _JOURNAL_LINE.search(line.text)
                if match and not AFFILIATION_WORDS.search(match.group("j").replace("Journal", "")):
                    return match.group("j").strip(" ,.")
        return None

    # abstract ----------------------------------------------------------------------------

    def abstract(self) -> str | None:
        paragraphs: list[str] = []
        pages = [self.first] + [p for p in self.pages if p.number == self.first.number + 1]
        for page in pages:
            lines = page.lines
            for i, line in enumerate(lines):
                heading, rest = _abstract_heading(line.text)
                if heading:
                    text = abstract_after(lines, i, rest)
                    if text and text not in paragraphs:
                        paragraphs.append(text)
            if paragraphs:
                break
        return "\n".join(paragraphs) or self._unheaded_abstract()

    def _unheaded_abstract(self) -> str | None:
        """An abstract printed without a heading (Hindawi, arXiv, PNAS-like layouts): the last
        paragraph of at least 40 words between the title and the page's first section heading,
        set apart from the body that follows that heading by its type size or its margins."""
        lines = self.first.lines
        heading = next((i for i, line in enumerate(lines) if SECTION_START.match(line.text)), None)
        if heading is None or heading + 1 >= len(lines):
            return None
        body = lines[heading + 1:heading + 30]
        body_size = Counter(round(line.size, 1) for line in body).most_common(1)[0][0]
        left, right = min(line.x0 for line in body), max(line.x1 for line in body)
        for block in reversed(blocks(lines[:heading])):
            text = block.text
            if len(block.lines) < 3 or len(text.split()) < 40:
                continue
            if KEYWORD_MARKERS.match(text) or re.match(r"\W*(?:copyright|©)", text, re.I):
                continue
            set_apart = abs(block.size - body_size) > 0.05 * body_size or (
                min(line.x0 for line in block.lines) > left + block.size and
                max(line.x1 for line in block.lines) < right - block.size)
            return text if set_apart else None
        return None


_JOURNAL_LINE = re.compile(
    r"^(?:[^\n]*?\bet al\.?,?:?\s+|\d+\s+)?(?P<j>[A-Z][A-Za-zÀ-ÿ&.'-]*(?: [A-Za-zÀ-ÿ&.'-]+){0,9}?)"
    r"\s+(?:19|20)\d\d\s*[,;:]?\s*\d")


def _abstract_heading(text: str) -> tuple[bool, str]:
    """Whether a line is an abstract heading, and the text after it on the same line."""
    match = re.match(r"^\s*([^\W\d_][\w\s-]{2,24}?)\s*(?:[:.—–-]\s*(.*))?$", text)
    if not match:
        return False, ""
    word = match.group(1).strip().lower()
    if word in ABSTRACT_HEADINGS:
        return True, (match.group(2) or "").strip()
    return False, ""


def abstract_after(lines: list[Line], index: int, rest: str) -> str | None:
    """The lines of an abstract after its heading: same size, no big gap, until keywords or a
    section heading."""
    taken: list[Line] = []
    parts = [rest] if rest else []
    heading = lines[index]
    for line in lines[index + 1:]:
        text = line.text.replace("\u2063", "").strip()
        if KEYWORD_MARKERS.match(text) or SECTION_START.match(text) or _abstract_heading(text)[0]:
            break
        reference = taken[-1] if taken else heading
        if taken and abs(line.size - taken[0].size) > 0.12 * taken[0].size:
            break
        gap = line.top - reference.bottom
        if taken and (gap > 2.2 * line.size or gap < -3 * line.size):
            break
        if not taken and (gap > 4 * line.size or gap < -line.size):
            if rest:
                break
            continue
        taken.append(line)
        parts.append(text)
        if len(taken) > 60:
            break
    text = join_lines(parts)
    return text if len(text.split()) >= 15 else None


# --- helpers -------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_MARGIN_DATE = re.compile(r"\b\d{1,2}\s?[A-Z][a-z]{2,8}\.?\s?(?:19|20)\d\d(?!\d)")
_DATED_EVENT = re.compile(r"^\W*(?:received|accepted|submitted|revised|published)", re.I)


def _windows(lines: list[Line], size: int) -> list[str]:
    """The page's text as runs of `size` consecutive lines (a citation wraps)."""
    texts = [line.text.replace("\u2063", "") for line in lines]
    return [" ".join(texts[i:i + size]) for i in range(len(texts))]


def _cited_title(title: str) -> re.Pattern:
    """The whole title as a reference entry gives it: closed by a full stop or a closing quote
    (`... The original paper is: network: A Package for Managing Relational Data in R. Journal
    of Statistical Software 24:2, 2008.`), not as a phrase running on inside a sentence."""
    words = title.replace("\u2063", "").rstrip(" .").split()
    return re.compile(r"\s+".join(map(re.escape, words)) + r"\s?[.\"”’']", re.I)


_SENTENCE = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z][a-z])")
_THIS_DOCUMENT = re.compile(r"\bthis\s+(?:[\w-]+\s+){0,6}?(?:vignette|document|introduction|paper|article|"
                            r"note|manual|description|tutorial|report|text|chapter)\b", re.I)
_VERSION_OF = re.compile(r"\b(?:version of|based on|update(?:d)? (?:and extension )?of|extension of|"
                         r"published (?:in|as)|appear(?:s|ed)? in|reprint(?:ed)? (?:of|from)|"
                         r"adapted from|derived from)\b", re.I)
_CITED_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)[a-z]?(?:,\s?[a-z])?\s*[),;]")


def _version_years(page: Page, family: str) -> list[int]:
    """The year of the publication a document says it is a version of: a sentence about this
    document (`This introduction to the R package Formula is a (slightly) modified version of
    Zeileis and Croissant (2010), published in ...`, `This vignette ... is based on Hankin
    (2007c)`) citing its own first author. Such a document is that publication, as a reference
    manager records it; a citation of the author's other work is in no such sentence."""
    named = normalize.fold(family)
    if not named:
        return []
    found = []
    text = join_lines(line.text for line in page.lines)
    for sentence in _SENTENCE.split(text):
        about = _THIS_DOCUMENT.search(sentence)
        marker = _VERSION_OF.search(sentence, about.start()) if about else None
        if marker is None:
            continue
        rest = sentence[marker.end():]
        for cited in _CITED_YEAR.finditer(rest):
            before = normalize.fold(rest[max(0, cited.start() - 90):cited.start()])
            if re.search(rf"(?<!\w){re.escape(named)}(?!\w)", before):
                found.append(int(cited.group(1)))
                break
    return found


def _date_lines(lines: list[Line], block: Block | None) -> list[Line]:
    """Short lines with a year just under (or over) the title: the document's date line
    (`May 18, 2008`, `Jan 2015`, `30 de agosto del 2008`, `2019/05/15 v1.0e`), before the
    abstract or the first long line."""
    if block is None or block.lines[-1] not in lines:
        return []
    start = lines.index(block.lines[-1]) + 1
    found = []
    for line in lines[start:start + 8]:
        text = line.text
        if len(text.split()) > 12 or _abstract_heading(text)[0] or SECTION_START.match(text):
            break
        words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 3]
        if _YEAR.search(text) and len(text) <= 60 and len(words) <= 4 and \
                not _DATED_EVENT.match(text) and not _EMAIL.search(text):
            found.append(line)
    return found

def blocks(lines: list[Line]) -> list[Block]:
    """Lines grouped into blocks: the same size, close under one another."""
    out: list[Block] = []
    for line in lines:
        last = out[-1].lines[-1] if out else None
        if (last is not None and abs(line.size - last.size) <= 0.05 * last.size
                and -0.2 * line.size <= line.top - last.bottom <= 1.0 * line.size
                and line.x0 < last.x1 and last.x0 < line.x1):
            out[-1].lines.append(line)
        else:
            out.append(Block([line]))
    return [_without_labels(b) for b in out if _without_labels(b).lines]


def _without_labels(block: Block) -> Block:
    return Block([line for line in block.lines if not is_label(line.text)])


def is_label(text: str) -> bool:
    """An article-type label ("Research Article", "R E V I E W  Open Access")."""
    squashed = re.sub(r"[^a-z]", "", normalize.fold(text))
    if not squashed or len(squashed) > 60:
        return False
    return _segments(squashed)


def _segments(text: str) -> bool:
    """Whether `text` is a run of LABEL_WORDS without spaces (dynamic programming)."""
    ok = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        ok[end] = any(ok[start] and text[start:end] in LABEL_WORDS for start in range(max(0, end - 14), end))
    return ok[-1]


def body_size(page: Page) -> float:
    """The page's most common font size, by characters."""
    sizes: Counter = Counter()
    for line in page.lines:
        sizes[round(line.size)] += len(line.text)
    return float(sizes.most_common(1)[0][0]) if sizes else 10.0


def running_texts(pages: list[Page]) -> set[str]:
    """Texts printed on more than one page (running headers, footers, mastheads), page numbers
    left out, folded: a line repeated on another page, or a short line (a masthead) found inside
    a line of another page."""
    keys = {page.number: [_fold_key(line.text) for line in page.lines] for page in pages}
    seen: dict[str, set[int]] = {}
    for number, page_keys in keys.items():
        for key in page_keys:
            if len(key) >= 4:
                seen.setdefault(key, set()).add(number)
    running = {k for k, v in seen.items() if len(v) > 1}
    joined = {number: "\n".join(page_keys) for number, page_keys in keys.items()}
    for page in pages:
        for line, key in zip(page.lines, keys[page.number], strict=True):
            if len(key) >= 4 and len(line.text.split()) <= 8 and key not in running and any(
                    key in text for number, text in joined.items() if number != page.number):
                running.add(key)
    return running


def _fold_key(text: str) -> str:
    return re.sub(r"\d+", "", normalize.fold(text)).strip()


def _squash(text: str) -> str:
    """Folded text without spaces or hyphens: line breaks and hyphenation do not count."""
    return re.sub(r"[\s\-‐‑]", "", normalize.fold(text.replace("\u2063", "")))


def _edge(line: Line, page: Page) -> int:
    """1 for a line in the page's header or footer band (the top or bottom 12 %)."""
    return int(line.top < page.height * 0.12 or line.bottom > page.height * 0.88)


def dois_in(lines: list[Line], index: int) -> list[tuple[str, int]]:
    """DOIs printed on line `index`, joined with the next line when broken after a separator;
    with 1 when a `doi` label or a doi.org link stands before it."""
    text = lines[index].text.replace("\u2063", "")
    out = []
    for match in _DOI.finditer(text):
        raw = match.group(0)
        if match.end() >= len(text.rstrip()) and raw[-1] in "-./_" and index + 1 < len(lines):
            follow = lines[index + 1].text.split(" ")[0]
            # a full stop ends a sentence unless what follows goes on as a DOI does (digits)
            if re.fullmatch(r"[\w.\-/();]+", follow) and (raw[-1] != "." or re.search(r"\d", follow)):
                raw += follow
        found = normalize.doi(raw)
        if found and _plausible(found):
            labelled = int(bool(_DOI_LABEL.search(text[:match.start()].rstrip(" :")) or
                                re.search(r"(?:doi|DOI)\s*:?\s*$", text[:match.start()])))
            out.append((found, labelled))
    return out


def _page_dois(page: Page) -> list[tuple[str, int]]:
    return [d for i in range(len(page.lines)) for d in dois_in(page.lines, i)]


def _plausible(doi: str) -> bool:
    """A DOI with a suffix, not a bare prefix or a template's placeholder: every run of letters
    or digits one character repeated (`nnnnnnn`, `xxxx-x/zzz`), no digit at all where a real
    suffix numbers the item (`DOI-NUMBER`, `YY-TN`), or only zeros (`jss.v000.i00`)."""
    prefix, _, suffix = doi.partition("/")
    runs = re.findall(r"[^\W_]+", suffix)
    placeholder = all(len(set(run)) == 1 for run in runs) and max(map(len, runs), default=0) >= 3
    digits = re.sub(r"\D", "", suffix)
    unnumbered = not digits or set(digits) == {"0"} or set(prefix[3:]) == {"0"}
    return len(suffix) >= 2 and bool(runs) and not placeholder and not unnumbered


def junk_title(value: str) -> bool:
    """A metadata title that is no title: empty, a file name, `Microsoft Word - …`, a DOI, a
    number, a typesetting job name, one word."""
    value = value.strip()
    lowered = value.lower()
    if len(value) < 10 or len(value.split()) < 3:
        return True
    if lowered.startswith(("microsoft word", "doi:", "untitled", "layout ", "print")):
        return True
    if re.search(r"\.(?:docx?|pdf|tex|dvi|indd|qxd|rtf|odt|ps)\b", lowered):
        return True
    if normalize.find_doi(value) or re.search(r"\d{6,}|\b\d+\.\.\d+\b", value):
        return True
    return sum(c.isalpha() for c in value) < len(value) * 0.5


def is_cover(page: Page) -> bool:
    """A repository's or publisher's cover page: two of their phrases, or one on a short page."""
    text = page.text
    hits = {m.group(0).lower() for m in COVER_MARKERS.finditer(text)}
    words = len(text.split())
    return len(hits) >= 2 or (len(hits) == 1 and words < 200)


# --- names ---------------------------------------------------------------------------------

_NAME_NOISE = re.compile(r"\([^)]*@[^)]*\)|<[^<>]*>|\S+@\S+|[\d*†‡§¶#∗⁎]+|\b(?:Jr|PhD|MD|MSc|BSc|MPH|RN|"
                         r"Dr|Prof|MBBS|DPhil)\b\.?")
ROLE_WORDS = re.compile(
    r"^(?:eds?|editors?|edited by|editor-in-chief|translat(?:or|ors|ed by)|compiled by|compiler|"
    r"hrsg|hg|herausgeber(?:in)?|übersetzt von|éditeur|éditrice|editora?|editado por|a cura di|"
    r"redaktor|redaktion|уредник|уредници|редактор|редакторы|под редакцией|составитель|"
    r"переводчик|перевод|превод|επιμέλεια|μετάφραση|编|主编|編集|편집)\.?$", re.I)
"""Words naming a role, printed after a name (`Карл Бери, уредник`) or as a label before it
(`Редактор: Карл Берри`): not names."""
_ROLE_LABEL = re.compile(r"^\s*([^\W\d_][^:]{0,24}?)\s*:\s*")
_SPACING_MARKS = re.compile(r"[\u0384\u0385\u1fbd\u1fbf-\u1fc1\u1fcd-\u1fcf\u1fdd-\u1fdf"
                            r"\u1fed-\u1fef\u1ffd\u1ffe](?=\w)")
_LOOKALIKES = str.maketrans({"\u2206": "\u0394", "\u2126": "\u03a9", "\u00b5": "\u03bc"})
"""Greek letters a TeX font's text layer gives as the math signs of the same shape."""
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\u2063+|\band\b|\bund\b|\bet\b|\by\b|\be\b|&|\s·\s)\s*")
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_][^\W\d_'’.\-]*(?:[-'’][^\W\d_]+)*\.?|[A-Z]\.(?:-?[A-Z]\.)*)$")


def names_from(lines: list[Line], backwards: bool = False) -> list[Author]:
    """The authors on the lines next to a title: lines of names, read until one that is not.

    A name cut at a line end (the next line opens with the one word left of it) is joined again.
    """
    rows: list[tuple[str, list[str]]] = []
    size = None
    for line in lines:
        text = line.text
        if is_label(text) or _DOI.search(text) or (not rows and _JOURNAL_LINE.search(text)):
            continue
        if size is not None and abs(line.size - size) > 0.15 * size:
            break
        names = split_names(text, continued=bool(rows))
        if not names:
            if rows:
                break
            continue
        size = size or line.size
        rows.insert(0, (text, names)) if backwards else rows.append((text, names))
    found: list[str] = []
    previous = ""
    for text, names in rows:
        if found and len(names[0].split()) == 1 and not _ends_list(previous) and \
                len(split_names(previous)) > 1:  # a name cut at the end of a full row of names
            found[-1] = f"{found[-1]} {names[0]}"
            names = names[1:]
        found.extend(names)
        previous = text
    return [a for a in map(_person, found) if a and a.family]


CORPORATE = re.compile(r"\b(?:society|association|consortium|collaboration|committee|council|"
                       r"organi[sz]ation|group|team|network|institute|agency|foundation|project|"
                       r"initiative|investigators|trialists)\b", re.I)
"""Words of an organisation named as an author (`American Mathematical Society`)."""


def _person(name: str) -> Author | None:
    """A printed name as an Author. An organisation keeps its whole name; Chinese, Japanese and
    Korean names are printed family first (`江尻 開`); a Han name without a space is cut as most
    are: two or three characters after a one-character family (`张瑞熹`), four as two and two
    (`朝倉卓人`, or a Chinese two-character family)."""
    if CORPORATE.search(name):
        return Author(family=name.strip())  # an organisation: its whole name, never split
    if _cjk(name):
        parts = name.split()
        if len(parts) == 1 and all("\u4e00" <= c <= "\u9fff" for c in name) and 2 <= len(name) <= 4:
            cut = 2 if len(name) == 4 else 1  # Chinese: one-character families; four: two and two
            return Author(family=name[:cut], given=name[cut:])
        return Author(family=parts[0], given=" ".join(parts[1:]) or None) if parts else None
    return normalize.author(name)


def _ends_list(text: str) -> bool:
    return text.rstrip().endswith((",", ";", "and", "&"))


def split_names(text: str, continued: bool = False) -> list[str]:
    """The names of a line of authors, or [] when the line is not one. `continued`: the line
    follows a line of names, so its first word may end a name cut at the line break. Names
    followed on the same line by their affiliation (`A. N. Author, H. Coauthor, Name of
    Institute, City, Country`, as conference proceedings print them) are the names before it."""
    label = _ROLE_LABEL.match(text)
    if label and ROLE_WORDS.match(label.group(1).strip()):
        text = text[label.end():]  # `Редактор: Карл Берри`
    if re.sub(r"\s", "", text).lower() in ABSTRACT_HEADINGS:  # `요 약`, a heading set letter-spaced
        return []
    text = _SPACING_MARKS.sub("", text.translate(_LOOKALIKES))  # `᾿Α.` (a breathing before an initial)
    cleaned = _NAME_NOISE.sub(" ", re.sub(r"^\s*by\s+(?=[A-Z])", "", text, flags=re.I))  # a byline
    parts = [p.strip(" .,") for p in _NAME_SPLIT.split(cleaned)]
    parts = [re.sub(r"\s+", " ", p) for p in parts if p.strip(" .,") and not ROLE_WORDS.match(p.strip(" ,"))]
    if AFFILIATION_WORDS.search(cleaned):
        cut = next(i for i, part in enumerate(parts + [cleaned]) if AFFILIATION_WORDS.search(part))
        parts = parts[:cut]
        if not any(len(part.split()) > 1 for part in parts):
            return []
    if not parts:
        return []
    single = 0
    for part in parts:
        tokens = part.split()
        if _cjk(part) and 2 <= len(part.replace(" ", "")) <= 4:
            continue
        if len(tokens) > 5 or not all(_NAME_TOKEN.match(t) for t in tokens):
            return []
        if not all(t[0].isupper() or _uncased(t) or t.lower() in _PARTICLES for t in tokens):
            return []
        single += len(tokens) == 1 and not (continued and part is parts[0])
    if single and single * 2 >= len(parts):  # one-word parts: a name cut at a line end, not a list
        return []
    return parts


_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos",
              "das", "ter", "ten", "bin", "al", "el", "y", "e"}


def _uncased(token: str) -> bool:
    """A word all in a script without capitals (Arabic, Hebrew, Devanagari, Thai): every name in
    such a script starts with such a letter. Chinese, Japanese and Korean names are told apart
    by their length instead (split_names), and a word mixing in Latin letters is no name."""
    return all(c.isalpha() and not c.isupper() and not c.islower() and not _cjk(c) for c in token
               if c.isalpha())


def _cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" or "\u3040" <= c <= "\u30ff" or "\uac00" <= c <= "\ud7af"
               for c in text)


def _order_by_cite(authors: list[Author], cover_text: str) -> list[Author]:
    """Names printed family-first are told by the cover's cite line, which names families: an
    author whose 'given' part is cited and 'family' part is not is turned round."""
    match = _CITE_MARK.search(cover_text)
    if not match:
        return authors
    cite = normalize.fold(cover_text[match.end():match.end() + 400])
    turned = []
    for author in authors:
        family, given = normalize.fold(author.family), normalize.fold(author.given)
        if given and given in cite and family not in cite:
            turned.append(Author(family=author.given, given=author.family))
        else:
            turned.append(author)
    return turned
