"""Article pages saved from a browser (HTML): the metadata publishers put in the page's head.

Read in this order, each field from the first source that has it (the field map below is data):
Highwire Press `citation_*` tags (Google Scholar's), PRISM and Dublin Core `dc.*` tags, schema.org
JSON-LD, Open Graph; then the page itself for old pages without tags: the `<h1>` that the title
element repeats, a "Citation:" line, a labelled DOI above the references, and a PubMed abstract
page's own blocks (authors, abstract, PMID). Pages that are not an article (a bot check such as
"Just a moment…", a login page, a list of search results) are accounted for with that reason.
The page is parsed with lxml, in a guarded child (`litcorpus.guard`); a page over 4 MB is read up
to the end of its head plus its first 4 MB, which hold what the metadata needs.
"""

from __future__ import annotations

import json
import os
import re

from litcorpus import guard, normalize
from litcorpus.errors import LitcorpusError
from litcorpus.formats import Format
from litcorpus.formats.fulltext import read_cite_line
from litcorpus.models import Author, Failure, Kind, Origin, ParseResult, RawRecord, Record

FORMAT = "html"
READ_CHARS = 4 << 20
"""A larger page is read up to the end of its head plus this many characters."""

FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("citation_title", "dc.title", "dcterms.title", "prism.title", "jsonld:title",
              "og:title", "twitter:title"),
    "authors": ("citation_author", "citation_authors", "dc.creator", "dc.creator.personalname",
                "dcterms.creator", "dc.contributor", "jsonld:authors"),
    "doi": ("citation_doi", "prism.doi", "dc.identifier.doi", "bepress_citation_doi", "doi", "dc.identifier",
            "dcterms.identifier", "prism.url", "jsonld:doi", "og:url"),
    "date": ("citation_publication_date", "citation_date", "citation_cover_date",
             "citation_online_date", "prism.publicationdate", "prism.coverdate", "dc.date.issued",
             "dcterms.issued", "dc.date", "dcterms.date", "jsonld:date", "datepublished",
             "article:published_time",
             "citation_year"),
    "journal": ("citation_journal_title", "citation_conference_title", "prism.publicationname",
                "citation_inbook_title", "jsonld:journal", "dc.source"),
    "volume": ("citation_volume", "prism.volume"),
    "issue": ("citation_issue", "prism.number", "prism.issueidentifier"),
    "first_page": ("citation_firstpage", "prism.startingpage"),
    "last_page": ("citation_lastpage", "prism.endingpage"),
    "issn": ("citation_issn", "prism.issn", "prism.eissn", "dc.source.issn"),
    "publisher": ("citation_publisher", "dc.publisher", "dcterms.publisher", "jsonld:publisher"),
    "abstract": ("citation_abstract", "dcterms.abstract", "dc.description", "jsonld:abstract",
                 "og:description", "description"),
    "pmid": ("citation_pmid", "ncbi_uidlist"),
    "keywords": ("citation_keywords", "dc.subject", "jsonld:keywords"),
    "language": ("citation_language", "dc.language", "dcterms.language"),
    "doc_type": ("citation_article_type", "dc.type", "prism.section"),
    "url": ("citation_fulltext_html_url", "citation_abstract_html_url", "prism.url", "og:url",
            "jsonld:url"),
}
"""Record field -> the meta tags (lower-cased names) that hold it, best first."""

ARTICLE_TYPES = {"scholarlyarticle", "article", "medicalscholarlyarticle", "report", "chapter",
                 "thesis", "techarticle", "newsarticle", "blogposting", "creativework"}
ARTICLE_KEYS = ("citation_title", "dc.title", "dcterms.title", "prism.title", "jsonld:title")
BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "dd",
              "dt", "section", "article", "header", "footer", "table", "ul", "ol", "blockquote",
              "aside", "nav", "main", "figure", "figcaption", "pre", "hr", "form"}

BOT_CHECK = re.compile(r"just a moment|checking (?:if the site connection is secure|your browser)|"
                       r"enable javascript and cookies to continue|attention required|"
                       r"verify (?:you are|that you are) (?:a )?human|are you a robot|captcha", re.I)
LOGIN = re.compile(r"\b(?:sign in|log ?in|institutional (?:login|access)|access through your "
                   r"institution|shibboleth|openathens)\b", re.I)
RESULTS = re.compile(r"\b(?:search results?|results? for|showing \d+\S* (?:of|results)|"
                     r"\d[\d,]* results?|items? \d+ (?:to|-) \d+ of)\b", re.I)


def sniff(text: str, name: str) -> float:
    """An HTML document: a doctype or `<html>` at the start, or a head with meta tags."""
    head = text[:4096].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html")) or re.match(r"<\?xml[^>]*>\s*<!doctype html", head):
        return 0.9
    if "<head" in head and "<meta" in head:
        return 0.85
    return 0.0


def parse(text: str, name: str) -> ParseResult:
    """The page's one record, or a failure saying why it is not an article."""
    try:
        return guard.run(read_page, text, name)
    except LitcorpusError as exc:
        return ParseResult(failures=[Failure(reason=str(exc))])


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def read_page(text: str, name: str) -> ParseResult:
    """Parse the page (runs in the guarded child)."""
    import lxml.html

    text = _CONTROL.sub(" ", _bounded(text))  # lxml refuses them in any text it is given
    try:
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
        doc = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (ValueError, lxml.etree.ParserError) as exc:
        return ParseResult(failures=[Failure(reason=f"broken HTML: {exc}")])
    page = Page(doc)
    reason = page.not_article()
    if reason:
        return ParseResult(failures=[Failure(reason=f"not an article page: {reason}")])
    record = page.record()
    if not (record.title or record.doi):
        return ParseResult(failures=[Failure(
            reason="not an article page: no title or DOI in its tags or text")])
    record.origins = [Origin(file=name, format=FORMAT)]
    if record.kind is Kind.FULL_TEXT and "!" not in os.path.basename(name):
        record.files = [os.path.abspath(name)]
    return ParseResult(records=[record])


def _bounded(text: str) -> str:
    if len(text) <= READ_CHARS:
        return text
    end = text.lower().find("</head>", 0, 4 * READ_CHARS)
    return text[:max(end, 0) + READ_CHARS]


class Page:
    """A parsed page: its meta tags as {name: [values]}, its JSON-LD and its visible text."""

    def __init__(self, doc):
        self.doc = doc
        self.meta: dict[str, list[str]] = {}
        for element in doc.iter("meta"):
            key = (element.get("name") or element.get("property") or element.get("itemprop") or
                   element.get("id") or "")  # D-Lib names its DOI tag by id
            value = (element.get("content") or "").strip()
            if key and value:
                self.meta.setdefault(key.strip().lower(), []).append(value)
        self.title_element = normalize.text(doc.findtext(".//title") or "") or ""
        self._read_jsonld()
        for element in doc.xpath("//script|//style|//noscript|//template|//svg"):
            element.drop_tree()
        for element in doc.iter(*BLOCK_TAGS):
            element.tail = "\n" + (element.tail or "")
        body = doc.body if doc.find("body") is not None else doc
        self.lines = [line for line in (normalize.text(x) for x in body.text_content().split("\n"))
                      if line]

    def _read_jsonld(self) -> None:
        for script in self.doc.xpath("//script[@type='application/ld+json']"):
            try:
                data = json.loads(script.text or "")
            except ValueError:
                continue
            for item in _jsonld_items(data):
                types = item.get("@type")
                types = types if isinstance(types, list) else [types]
                if not any(str(t).lower() in ARTICLE_TYPES for t in types):
                    continue
                self._jsonld(item)
                return

    def _jsonld(self, item: dict) -> None:
        def put(key: str, value) -> None:
            if isinstance(value, str) and value.strip():
                self.meta.setdefault(f"jsonld:{key}", []).append(value.strip())

        put("title", item.get("headline") or item.get("name"))
        authors = item.get("author") or []
        for person in authors if isinstance(authors, list) else [authors]:
            if isinstance(person, dict):
                family, given = person.get("familyName"), person.get("givenName")
                put("authors", f"{family}, {given}" if family and given else person.get("name"))
            else:
                put("authors", person)
        put("date", item.get("datePublished") or item.get("dateCreated"))
        for ident in _as_list(item.get("identifier")) + _as_list(item.get("sameAs")) + [item.get("@id")]:
            value = ident.get("value") if isinstance(ident, dict) else ident
            if isinstance(value, str) and normalize.find_doi(value):
                put("doi", value)
        part = item.get("isPartOf")
        while isinstance(part, dict):
            if "periodical" in str(part.get("@type", "")).lower() or not part.get("isPartOf"):
                put("journal", part.get("name"))
                break
            part = part.get("isPartOf")
        publisher = item.get("publisher")
        put("publisher", publisher.get("name") if isinstance(publisher, dict) else publisher)
        put("abstract", item.get("abstract") or item.get("description"))
        keywords = item.get("keywords")
        for word in keywords if isinstance(keywords, list) else [keywords]:
            put("keywords", word)
        put("url", item.get("url"))

    def first(self, field: str) -> str | None:
        for key in FIELDS[field]:
            for value in self.meta.get(key, []):
                if field == "doi" and not normalize.find_doi(value):
                    continue
                return value
        return None

    def all(self, field: str) -> list[str]:
        for key in FIELDS[field]:
            if self.meta.get(key):
                return self.meta[key]
        return []

    # -- what the page is --------------------------------------------------------------

    def not_article(self) -> str | None:
        """Why the page is not an article, or None when it may be one."""
        tagged = any(self.meta.get(key) for key in ARTICLE_KEYS) or \
            "article" in " ".join(self.meta.get("og:type", [])).lower()
        head = " ".join([self.title_element, *self.lines[:15]])
        if BOT_CHECK.search(head) and len(self.lines) < 80 and not tagged:
            return (f"a bot check ('{self.title_element or 'Just a moment…'}'); open the page in a "
                    "browser, let it load the article, and save it again")
        if tagged:
            return None
        if self.doc.xpath("//input[@type='password']") and len(self.lines) < 400:
            return "a login page; sign in through your library and save the article's page"
        links = {normalize.doi(h) for h in self.doc.xpath("//a/@href") if "doi.org/10." in h}
        if RESULTS.search(head) or len(links) >= 10 and not self._cite_line():
            count = len(links)
            detail = f" ({count} linked articles)" if count else ""
            return (f"a list of search results{detail}; export the results as RIS or MEDLINE "
                    "instead")
        return None

    # -- the record --------------------------------------------------------------------

    def record(self) -> Record:
        record = Record(kind=self.kind())
        record.title = self.first("title")
        record.authors = self.authors()
        record.doi = normalize.find_doi(self.first("doi"))
        record.date = self.first("date")
        record.year = _year(record.date)
        record.journal = _journal(self.first("journal"))
        record.volume = self.first("volume")
        record.issue = self.first("issue")
        first, last = self.first("first_page"), self.first("last_page")
        record.pages = f"{first}-{last}" if first and last and last != first else first
        record.issn = self.first("issn")
        record.publisher = self.first("publisher")
        record.abstract = _abstract(self.first("abstract"), self.meta)
        record.pmid = normalize.pmid(self.first("pmid")) if self.first("pmid") else None
        record.keywords = self.keywords()
        record.language = self.first("language")  # never <html lang>: often the site's, not the article's
        record.doc_type = self.first("doc_type")
        record.url = self.first("url")
        self._fallbacks(record)
        if record.journal and record.title and normalize.fold(record.journal) == normalize.fold(record.title):
            record.journal = None
        return record

    def kind(self) -> Kind:
        """A full text when the page holds the article's body (a references section and more
        than 1,500 words), an abstract for PubMed, else a metadata (landing) page."""
        if self._pubmed():
            return Kind.ABSTRACT
        words = sum(len(line.split()) for line in self.lines)
        references = any(_REFERENCES.match(line) for line in self.lines) or \
            bool(self.meta.get("citation_reference"))
        return Kind.FULL_TEXT if references and words > 1500 else Kind.METADATA_PAGE

    def _pubmed(self) -> bool:
        return "pubmed" in " ".join(self.meta.get("ncbi_db", []) + [self.title_element]).lower()

    def authors(self) -> list[Author]:
        values = self.all("authors")
        if len(values) == 1 and ";" in values[0]:  # MDPI: one citation_authors list
            values = values[0].split(";")
        authors = [a for a in map(_author, values) if a]
        if not authors and self._pubmed():
            names = self.doc.xpath("//div[contains(@class,'auths')]//a/text()")
            authors = [a for a in map(normalize.author, names) if a]
        return authors

    def keywords(self) -> list[str]:
        values = self.all("keywords")
        if len(values) == 1 and ";" in values[0]:
            values = values[0].split(";")
        return [normalize.text(_strip_tags(v)) for v in values if _strip_tags(v).strip()]

    def _cite_line(self) -> str | None:
        for i, line in enumerate(self.lines[:3000]):
            match = re.match(r"^(?:Citation|Cite this article(?: as)?|How to cite(?: this article)?|"
                             r"To cite this article)\s*:?\s*(.*)$", line, re.I)
            if match:
                parts = [match.group(1).strip()] if match.group(1).strip() else []
                for nxt in self.lines[i + 1:i + 4]:  # a cite line cut by inline markup
                    if parts and (normalize.find_doi(" ".join(parts)) or len(" ".join(parts)) > 400):
                        break
                    parts.append(nxt)
                return " ".join(parts)
        return None

    def _fallbacks(self, record: Record) -> None:
        """Values from the page itself where no tag gives them (old pages, PubMed pages)."""
        cite = self._cite_line()
        if cite:
            raw = RawRecord()
            read_cite_line(cite, raw)  # the cite-line reader hands over raw values: make them canonical
            found = normalize.record(raw)
            if not found.authors and not found.journal:
                _read_apa_cite(cite, found)
            for field in ("doi", "year", "journal", "volume", "issue", "pages"):
                if not getattr(record, field) and getattr(found, field):
                    setattr(record, field, getattr(found, field))
            if not record.authors:
                record.authors = found.authors
            if not record.title and found.title:
                record.title = found.title
        if not record.title:
            record.title = self._heading_title() or self._emphasised_title()
        if not record.authors and record.title:
            record.authors = self._byline(record.title)
        if not record.year and not record.date and record.title:
            record.year = self._year_near(record.title)
        if self._pubmed():
            self._pubmed_fallbacks(record)
        if not record.doi:
            record.doi = self._labelled_doi()
        if not record.abstract:
            record.abstract = self._abstract_block()
        if not record.year and record.date is None:
            record.year = None

    def _heading_title(self) -> str | None:
        """The first `<h1>` that the title element repeats, else the title element without a
        site name."""
        folded_title = normalize.fold(self.title_element)
        for heading in self.doc.iter("h1"):
            text = normalize.text(heading.text_content())
            if text and len(text) > 10 and normalize.fold(text) in folded_title:
                return text.rstrip(".") if text.endswith(".") and not text.endswith("..") else text
        parts = [p for p in re.split(r"\s+[|–—]\s+|\s+-\s+", self.title_element) if p.strip()]
        site = {normalize.fold(v) for k in ("og:site_name", "application-name") for v in
                self.meta.get(k, [])}
        kept = [p for p in parts if normalize.fold(p) not in site and len(p.split()) > 3]
        body = normalize.fold(" ".join(self.lines))
        kept = [p for p in kept if normalize.fold(p) in body]  # printed on the page, not a tagline
        return max(kept, key=len) if kept else None

    def _emphasised_title(self) -> str | None:
        """For a page without tags whose title element names only the site: the first of its
        most emphasised elements (h1, then h2, then large type), with a subtitle set under it in
        the same paragraph."""
        ranks = [("h1",), ("h2",), ("font[@size>=5]", "font[@size='+2']", "font[@size='+3']")]
        for names in ranks:
            for element in self.doc.xpath("|".join(f"//body//{n}" for n in names)):
                text = normalize.text(element.text_content())
                if not text or len(text.split()) > 30 or sum(c.isalpha() for c in text) < 8:
                    continue
                block = element.getparent() if element.getparent() is not None and \
                    element.getparent().tag in ("p", "div", "td", "strong", "b") else element
                while block.tag in ("strong", "b") and block.getparent() is not None:
                    block = block.getparent()
                lines = [normalize.text(x) for x in block.text_content().split("\n")]
                lines = [x for x in lines if x]
                if len(lines) == 2 and lines[0] == text and len(lines[1].split()) <= 15:
                    return f"{text}: {lines[1]}"
                return text
        return None

    def _title_line(self, title: str) -> int | None:
        key = normalize.fold(title.split(":")[0])
        for index, line in enumerate(self.lines[:200]):
            if key and key in normalize.fold(line):
                return index
        return None

    def _byline(self, title: str) -> list[Author]:
        """Authors printed under the title of a page without tags: a `By NAME` line, or lines
        opening with a name followed by an affiliation (`Victoria Van Hyning, University of
        Oxford`)."""
        from litcorpus.formats.article import split_names

        start = self._title_line(title)
        if start is None:
            return []
        found: list[str] = []
        for line in self.lines[start + 1:start + 13]:
            if len(line.split()) > 25 or re.match(r"(?:abstract|summary)\b", line, re.I):
                break
            match = re.match(r"^by\s+(.+)$", line, re.I)
            if match:
                found += split_names(match.group(1))
                break
            head, _, rest = line.partition(",")
            names = split_names(head)
            if rest.strip() and len(names) == 1 and len(head.split()) >= 2:
                found += names
        return [a for a in map(normalize.author, found) if a and a.family]

    def _year_near(self, title: str) -> int | None:
        """A year on the short lines next to the title of a page without tags (`Issue 58, Fall
        2013`, `May/June 2017`)."""
        at = self._title_line(title)
        if at is None:
            return None
        for line in self.lines[max(0, at - 4):at] [::-1] + self.lines[at + 1:at + 4]:
            match = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", line)
            if match and len(line.split()) <= 8:
                return int(match.group(1))
        return None

    def _pubmed_fallbacks(self, record: Record) -> None:
        description = " ".join(self.meta.get("description", []))
        if description:
            match = re.match(r"^(?P<journal>[^.]+)\.\s+(?P<year>\d{4})[^;]*;(?P<volume>[^(:]+)?"
                             r"(?:\((?P<issue>[^)]+)\))?(?::(?P<pages>[^.\s]+))?", description)
            if match:
                record.journal = record.journal or match.group("journal").strip()
                record.year = record.year or int(match.group("year"))
                record.volume = record.volume or (match.group("volume") or "").strip() or None
                record.issue = record.issue or match.group("issue")
                record.pages = record.pages or match.group("pages")
            record.doi = record.doi or normalize.find_doi(description)
        if not record.abstract:
            parts = self.doc.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' abstr ')]")
            if parts:
                text = "\n".join(normalize.text(p) for p in parts[0].text_content().split("\n")
                                 if normalize.text(p) and normalize.text(p) != "Abstract")
                record.abstract = text or None
        if not record.pmid:
            for line in self.lines:
                match = re.match(r"^PMID:\s*(\d+)", line)
                if match:
                    record.pmid = match.group(1)
                    break

    def _abstract_block(self) -> str | None:
        """The text of the page's abstract element (class or id `abstract`), its heading left out."""
        for element in self.doc.xpath("//*[contains(translate(@class,'ABSTRACT','abstract'),'abstract') "
                                      "or contains(translate(@id,'ABSTRACT','abstract'),'abstract')]"):
            lines = [normalize.text(x) for x in element.text_content().split("\n")]
            lines = [x for x in lines if x and not re.fullmatch(r"(?:abstract|summary)\W*(?:\s\w+)?", x.lower())]
            words = sum(len(x.split()) for x in lines)
            if 30 <= words <= 1500:
                return "\n".join(lines)
        return None

    def _labelled_doi(self) -> str | None:
        """A DOI labelled as the page's own ("DOI:", "doi.org/…") above any reference list."""
        for line in self.lines:
            if _REFERENCES.match(line):
                break
            match = re.search(r"(?:^|\b)(?:doi|DOI)\s*:?\s*(?:https?://(?:dx\.)?doi\.org/)?(10\.\S+)", line)
            if match:
                return normalize.doi(match.group(1))
        return None


_REFERENCES = re.compile(r"^(?:\d+\.?\s*)?(?:references|bibliography|literature cited|referências|"
                         r"referencias|références|literatur|参考文献)\b(?:\s+\S+){0,2}$", re.I)


def _jsonld_items(data) -> list[dict]:
    items: list[dict] = []
    stack = [data]
    while stack and len(items) < 200:
        node = stack.pop(0)
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            items.append(node)
            if "@graph" in node:
                stack.extend(_as_list(node["@graph"]))
    return items


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _author(value: str) -> Author | None:
    value = _strip_tags(value).strip()
    if not value or "et al" in value.lower():
        value = re.sub(r"\s*,?\s*et al\.?", "", value, flags=re.I).strip()
        if not value:
            return None
    return normalize.author(value)


def _strip_tags(value: str) -> str:
    """Markup some publishers leave inside a tag's value (`&lt;i&gt;Fusarium&lt;/i&gt;`)."""
    import html

    return re.sub(r"<[^>]{1,40}>", "", html.unescape(value))


def _year(date: str | None) -> int | None:
    return normalize.year(date) if date else None


def _journal(value: str | None) -> str | None:
    """A journal name; `dc.source`'s `BMC Veterinary Research 2014 10:144` cut at the year."""
    if not value:
        return None
    return re.split(r"\s+(?:19|20)\d\d\b|\s+\d+\s*:", value)[0].strip(" ,.;") or None


def _abstract(value: str | None, meta: dict[str, list[str]]) -> str | None:
    """An abstract, not a site's blurb (a `description` shared by every page of a site)."""
    if not value:
        return None
    value = _strip_tags(value)
    if len(value.split()) < 20 or "open-access resource" in value.lower():
        return None
    return value


_ELIFE = re.compile(r"^(?P<journal>[A-Z][\w .&-]{1,60}?)\s(?P<year>\d{4});\s?(?P<volume>\d+):(?P<pages>[\w\-–]+)")
_APA = re.compile(r"^(?P<authors>.+?)\s\((?P<year>\d{4})\)\s(?P<title>.+?[.?!])\s(?P<journal>[^.]+?)\s"
                  r"(?P<volume>\d+)(?:\((?P<issue>[^)]+)\))?:\s?(?P<pages>[\w\-–]+)")


def _read_apa_cite(cite: str, record: Record) -> None:
    """`Kobayashi M, Kikuchi D, Okamura H (2009) Title. PLoS ONE 4(7): e6256. doi:…`"""
    match = _APA.match(cite)
    if not match:
        short = _ELIFE.match(cite)  # `eLife 2019;8:e44753 doi: …`
        if short:
            record.journal, record.year = short.group("journal"), int(short.group("year"))
            record.volume, record.pages = short.group("volume"), short.group("pages")
            record.doi = record.doi or normalize.find_doi(cite)
        return
    names = [n for n in re.split(r",\s*|\s+and\s+", match.group("authors")) if n.strip()]
    record.authors = [a for a in map(normalize.author, names) if a]
    record.year = int(match.group("year"))
    record.title = match.group("title").rstrip(".")
    record.journal = match.group("journal").strip()
    record.volume = match.group("volume")
    record.issue = match.group("issue")
    record.pages = match.group("pages")
    record.doi = record.doi or normalize.find_doi(cite)


FORMATS = [Format(FORMAT, sniff, parse, (".html", ".htm", ".xhtml"),
                  "article page saved from a browser (citation_*, Dublin Core, PRISM, JSON-LD and "
                  "Open Graph tags; PubMed abstract pages; old pages by their title and cite line)")]
