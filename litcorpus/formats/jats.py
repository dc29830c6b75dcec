"""PMC JATS XML: a full-text `<article>` (.nxml) or an efetch `<pmc-articleset>` wrapper;
metadata, abstract and the reference list."""

from __future__ import annotations

from litcorpus.formats import Format
from litcorpus.formats.fieldmap import FieldMap
from litcorpus.formats.xmltext import Paths, find_text, line_at, parse_xml, start_lines, text_of
from litcorpus.models import Author, Kind, Origin, ParseResult, RawRecord
from litcorpus.normalize import section


def sniff(text: str, name: str) -> float:
    head = text[:5000]
    if "<pmc-articleset" in head or ("<article" in head and "<front>" in text[:20000]):
        return 0.9
    return 0.0


def parse(text: str, name: str) -> ParseResult:
    root = parse_xml(text)
    lines = start_lines(text, "article")
    articles = [root] if root.tag == "article" else root.findall(".//article")
    result = ParseResult()
    for n, article in enumerate(articles):
        record = to_record(article)
        pmc = record.pmcid
        record.origins = [Origin(file=name, line=line_at(lines, n), format="jats",
                                 source_id=f"PMC{pmc}" if pmc and pmc.isdigit() else pmc or record.pmid)]
        result.records.append(record)
    return result


FIELDS = FieldMap({
    "title": ("front/article-meta/title-group/article-title",),
    "journal": ("front/journal-meta//journal-title",),
    "volume": ("front/article-meta/volume",),
    "issue": ("front/article-meta/issue",),
    "pages": ("front/article-meta/fpage",),
    "page_end": ("front/article-meta/lpage",),
    "article_number": ("front/article-meta/elocation-id",),
    "doi": ("front/article-meta/article-id[@pub-id-type='doi']",),
    "pmid": ("front/article-meta/article-id[@pub-id-type='pmid']",),
    "pmcid": ("front/article-meta/article-id[@pub-id-type='pmc']",
              "front/article-meta/article-id[@pub-id-type='pmcid']"),
    "keywords": ("front/article-meta//kwd-group/kwd",),
    "publisher": ("front/journal-meta//publisher-name",),
    "issn": ("front/journal-meta/issn",),
    "doc_type": ("./@article-type",),
})


def to_record(article) -> RawRecord:
    meta = article.find("front/article-meta")
    meta = meta if meta is not None else article
    record = FIELDS.raw(Paths(article), kind=Kind.FULL_TEXT if article.find("body") is not None
                        else Kind.EXPORT_RECORD)
    affiliations = {aff.get("id"): text_of(aff) for aff in article.findall(".//aff")}
    for contrib in meta.findall(".//contrib-group/contrib"):
        if contrib.get("contrib-type", "author") != "author":
            continue
        family = find_text(contrib, ".//surname") or find_text(contrib, "collab")
        given = find_text(contrib, ".//given-names")
        affs = [affiliations.get(x.get("rid")) for x in contrib.findall("xref")
                if x.get("ref-type") == "aff"]
        if family or given:
            record.authors.append(Author(family=family, given=given, affiliations=[a for a in affs if a]))
    date = meta.find("pub-date[@pub-type='epub']") or meta.find("pub-date")
    if date is not None:
        record.year = find_text(date, "year")
    abstract = meta.find("abstract")
    if abstract is not None:
        sections = []
        for sec in abstract.findall("sec") or [abstract]:
            body = " ".join(text_of(p) or "" for p in sec.findall("p")).strip()
            if body:
                sections.append(section(find_text(sec, "title") if sec is not abstract else None, body))
        record.abstract = "\n".join(sections) or None
    for ref in article.findall("back/ref-list/ref"):
        citation = ref.find("mixed-citation")
        citation = citation if citation is not None else ref.find("element-citation")
        if citation is None:
            citation = ref.find("citation")
        value = text_of(citation)
        if value:
            record.references.append(value)
    return record


FORMATS = [Format("jats", sniff, parse, (".nxml", ".xml"), "PMC JATS XML (full text or metadata)")]
