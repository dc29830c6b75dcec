"""A publisher's full-text article page saved as text (BMC, Springer Nature and similar).

The page gives the title (the heading before `Abstract`), a structured abstract, the body, a
numbered `References` list, and a `Cite this article` line, often the only place where authors,
journal, volume, article number, year and DOI stand together:
`Hope, S., Stepanova, E., Lloyd-Houldey, O. et al. Title. BMC Health Serv Res 23, 1448 (2023).
https://doi.org/10.1186/s12913-023-10442-6`. Vancouver-style (`Journal. 2020;12(3):45-67.`) and
MDPI-style (`Journal 2020, 17, 4100.`) cite lines are read too.
"""

from __future__ import annotations

import re

from litcorpus import normalize
from litcorpus.formats import Format
from litcorpus.formats.listing import split_authors_title
from litcorpus.formats.textblocks import line_index, numbered_references, structured_abstract
from litcorpus.models import Kind, Origin, ParseResult, RawRecord

FORMAT = "fulltext"
CITE_MARKERS = ("Cite this article", "How to cite this article", "Cite this paper", "Citation:",
                "Please cite this article as", "Cite as")
BOILERPLATE = {"skip to main content", "advertisement", "search", "menu", "download pdf",
               "open access", "published:", "article", "view author publications"}
END_OF_REFERENCES = ("Download references", "Acknowledgements", "Acknowledgments",
                     "Author information", "Funding", "Ethics declarations", "Rights and permissions",
                     "About this article")
_AUTHORS = re.compile(
    r"^(?P<authors>(?:[\w'’\-]+(?:\s[\w'’\-]+)*,\s(?:[A-Z]\.(?:[\s-]?[A-Z]\.)*)(?:,\s|\s&\s|\sand\s)?)+)"
    r"(?P<etal>\s?et al\.)?\s+")
_MDPI_AUTHORS = re.compile(
    r"^(?P<authors>(?:[\w'’\-]+(?:\s[\w'’\-]+)*,\s(?:[A-Z]\.[\s-]?)+;\s?)+"
    r"[\w'’\-]+(?:\s[\w'’\-]+)*,\s(?:[A-Z]\.[\s-]?)+)\s*")
_SPRINGER = re.compile(
    r"(?:(?<=[.?!]\s)|^)(?P<journal>[A-Z][^.?!]*?)\s(?P<volume>\d+)(?:\((?P<issue>[^)]+)\))?,\s(?P<pages>[\w\-–]+)\s"
    r"\((?P<year>\d{4})\)\.")
_VANCOUVER = re.compile(
    r"(?:(?<=[.?!]\s)|^)(?P<journal>[A-Z][^.?!]*?)\.\s(?P<year>\d{4})(?:\s\w+)*;\s?(?P<volume>[^(:]+)"
    r"(?:\((?P<issue>[^)]+)\))?(?::(?P<pages>[\w\-–]+))?\.")
_MDPI = re.compile(r"(?P<journal>[A-Z][\w.\s&]*?)\s(?P<year>\d{4}),\s(?P<volume>\d+),\s(?P<pages>[\w\-–]+)\.")


def sniff(text: str, name: str) -> float:
    """A references section and a cite-this-article line, or a saved page's boilerplate."""
    if "References" not in text:  # one plain substring scan before anything dearer
        return 0.0
    cite = any(marker in text for marker in CITE_MARKERS)
    boilerplate = "Skip to main content" in text
    if not (cite or boilerplate):  # the line-anchored searches below cost more than these scans
        return 0.0
    has_refs = re.search(r"(?m)^\s*References\s*$", text) is not None
    if has_refs and cite:
        return 0.8
    if has_refs and boilerplate and re.search(r"(?m)^\s*Abstract\s*$", text):
        return 0.6
    return 0.0


def parse(text: str, name: str) -> ParseResult:
    """The whole page is one record."""
    raw_lines = text.split("\n")
    lines = [line.strip() for line in raw_lines]
    record = RawRecord(kind=Kind.FULL_TEXT)
    cite = _cite_line(lines)
    if cite:
        read_cite_line(cite, record)
    abstract_at = line_index(lines, 0, lambda s: s.lower() == "abstract")
    heading = _title_before(lines, abstract_at) if abstract_at is not None else None
    if heading:
        record.title = heading
    if abstract_at is not None:
        content = [line for line in lines[abstract_at + 1:] if line]
        paragraphs, _ = structured_abstract(content)
        record.abstract = "\n".join(paragraphs) or None
    refs_at = line_index(lines, 0, lambda s: s in ("References", "Bibliography"))
    if refs_at is not None:
        end = line_index(lines, refs_at + 1, lambda s: s in END_OF_REFERENCES) or len(lines)
        record.references = numbered_references(lines[refs_at + 1:end])
    keywords_at = line_index(lines, 0, lambda s: s == "Keywords")
    if keywords_at is not None:
        words = []
        for line in lines[keywords_at + 1:]:
            if not line:
                if words:
                    break
                continue
            words.extend(k.strip() for k in re.split(r"[;,]", line) if k.strip())
        record.keywords = words
    doi_line = next((line for line in lines if line.startswith(("DOI:", "• DOI:", "doi:"))), None)
    if doi_line:
        record.doi_mentions.append(doi_line)
    if not (record.title or any(map(normalize.find_doi, record.doi_mentions))):
        return ParseResult()
    first = next((i for i, line in enumerate(lines) if line), 0)
    record.origins = [Origin(file=name, line=first + 1, format=FORMAT, source_id=None)]
    return ParseResult(records=[record])


def _cite_line(lines: list[str]) -> str | None:
    for i, line in enumerate(lines):
        for marker in CITE_MARKERS:
            if line.startswith(marker):
                after = line[len(marker):].strip(" :")
                if len(after) > 40:
                    return after
                nxt = next((s for s in lines[i + 1:i + 4] if s), None)
                if nxt:
                    return nxt
    return None


def _title_before(lines: list[str], abstract_at: int) -> str | None:
    for line in reversed(lines[:abstract_at]):
        if not line:
            continue
        if line.lower().rstrip(":") in BOILERPLATE or len(line) < 12:
            return None
        return line
    return None


def read_cite_line(cite: str, record: RawRecord) -> None:
    """Fill authors, title, journal, volume, issue, pages, year and DOI from a cite line."""
    record.doi_mentions.append(cite)
    rest = cite
    authors = _AUTHORS.match(cite)
    if authors:
        names = re.split(r",\s(?=[\w'’\-]+(?:\s[\w'’\-]+)*,\s[A-Z]\.)|\s&\s|\sand\s",
                         authors.group("authors").strip().rstrip(","))
        record.authors = [n.strip().rstrip(",") for n in names]
        rest = cite[authors.end():]
    elif mdpi := _MDPI_AUTHORS.match(cite):  # `Batchelor, P.; Kingsland, J. Title. Journal …`
        names = mdpi.group("authors").split(";")
        record.authors = names
        rest = cite[mdpi.end():]
    for pattern in (_SPRINGER, _VANCOUVER, _MDPI):
        offset = rest.find(". ") + 2 if pattern is _MDPI else 0  # MDPI journals hold periods
        match = None
        for match in pattern.finditer(rest, max(offset, 0)):  # noqa: B007 -- the last match wins
            pass
        if match is None:
            continue
        front = rest[: match.start()].strip()
        if not record.authors:
            names, title = split_authors_title(front)
            record.authors = names
        else:
            title = front[:-1] if front.endswith(".") else front
        record.title = title or None
        record.journal = match.group("journal").strip()
        record.volume = match.group("volume").strip()
        record.issue = match.groupdict().get("issue")
        record.pages = match.group("pages")
        record.year = match.group("year")
        return
    record.year = cite


FORMATS = [Format(FORMAT, sniff, parse, (".txt", ".html", ".htm"),
                  "publisher full-text article page saved as text (with a cite-this-article line)")]
