"""PMC JATS XML: a full-text `<article>` (.nxml) or an efetch `<pmc-articleset>` wrapper;
metadata, abstract and the reference list."""

from __future__ import annotations

from litcorpus import normalize
from litcorpus.formats import Format
from litcorpus.formats.xmltext import find_text, line_at, parse_xml, start_lines, text_of
from litcorpus.models import Author, Kind, Origin, ParseResult, Record


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
        record.origins = [Origin(file=name, line=line_at(lines, n), format="jats",
                                 source_id=record.pmcid or record.pmid)]
        result.records.append(record)
    return result


def to_record(article) -> Record:
    meta = article.find("front/article-meta")
    meta = meta if meta is not None else article
    journal = article.find("front/journal-meta")
    affiliations = {aff.get("id"): text_of(aff) for aff in article.findall(".//aff")}
    authors = []
    for contrib in meta.findall(".//contrib-group/contrib"):
        if contrib.get("contrib-type", "author") != "author":
            continue
        family = find_text(contrib, ".//surname") or find_text(contrib, "collab")
        given = find_text(contrib, ".//given-names")
        affs = [affiliations.get(x.get("rid")) for x in contrib.findall("xref")
                if x.get("ref-type") == "aff"]
        if family or given:
            authors.append(Author(family=family, given=given, affiliations=[a for a in affs if a]))
    ids = {i.get("pub-id-type"): text_of(i) for i in meta.findall("article-id")}
    date = meta.find("pub-date[@pub-type='epub']") or meta.find("pub-date")
    year = find_text(date, "year") if date is not None else None
    abstract = meta.find("abstract")
    sections = []
    if abstract is not None:
        parts = abstract.findall("sec") or [abstract]
        for sec in parts:
            title = find_text(sec, "title")
            body = " ".join(text_of(p) or "" for p in sec.findall("p")).strip()
            if body:
                sections.append(f"{title}: {body}" if title and sec is not abstract else body)
    references = []
    for ref in article.findall("back/ref-list/ref"):
        citation = ref.find("mixed-citation")
        citation = citation if citation is not None else ref.find("element-citation")
        if citation is None:
            citation = ref.find("citation")
        value = text_of(citation)
        if value:
            references.append(value)
    first, last = find_text(meta, "fpage"), find_text(meta, "lpage")
    pages = f"{first}-{last}" if first and last else first or find_text(meta, "elocation-id")
    pmcid = ids.get("pmc") or ids.get("pmcid")
    return Record(
        title=find_text(meta, "title-group/article-title"),
        authors=authors,
        journal=find_text(journal, ".//journal-title") if journal is not None else None,
        year=normalize.year(year),
        volume=find_text(meta, "volume"),
        issue=find_text(meta, "issue"),
        pages=pages,
        doi=ids.get("doi"),
        pmid=ids.get("pmid"),
        pmcid=f"PMC{pmcid}" if pmcid and pmcid.isdigit() else pmcid,
        abstract="\n".join(sections) or None,
        keywords=[text_of(k) for k in meta.findall(".//kwd-group/kwd") if text_of(k)],
        publisher=find_text(journal, ".//publisher-name") if journal is not None else None,
        issn=find_text(journal, "issn") if journal is not None else None,
        references=references,
        doc_type=article.get("article-type"),
        kind=Kind.FULL_TEXT if article.find("body") is not None else Kind.EXPORT_RECORD,
    )


FORMATS = [Format("jats", sniff, parse, (".nxml", ".xml"), "PMC JATS XML (full text or metadata)")]
