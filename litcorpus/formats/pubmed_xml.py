"""PubMed / MEDLINE XML (efetch `PubmedArticleSet`)."""

from __future__ import annotations

from litcorpus import normalize
from litcorpus.formats import Format
from litcorpus.formats.xmltext import find_text, line_at, parse_xml, start_lines, text_of
from litcorpus.models import Author, Kind, Origin, ParseResult, Record

MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


def sniff(text: str, name: str) -> float:
    head = text[:5000]
    return 0.95 if "<PubmedArticleSet" in head or "<PubmedArticle>" in head else 0.0


def parse(text: str, name: str) -> ParseResult:
    root = parse_xml(text)
    kinds = ("PubmedArticle", "PubmedBookArticle")
    lines = sorted(start_lines(text, kinds[0]) + start_lines(text, kinds[1]))
    result = ParseResult()
    articles = [node for node in root.iter() if node.tag in kinds]
    for n, article in enumerate(articles):
        record = to_record(article)
        record.origins = [Origin(file=name, line=line_at(lines, n), format="pubmed-xml",
                                 source_id=record.pmid)]
        result.records.append(record)
    return result


def _date(issue) -> tuple[int | None, str | None]:
    if issue is None:
        return None, None
    medline = find_text(issue, "MedlineDate")
    year = find_text(issue, "Year") or medline
    month = find_text(issue, "Month")
    day = find_text(issue, "Day")
    parts = [find_text(issue, "Year")]
    if month:
        m = month.lower()[:3]
        parts.append(f"{MONTHS.index(m) + 1:02d}" if m in MONTHS else month.zfill(2))
        if day:
            parts.append(day.zfill(2))
    return normalize.year(year), "-".join(p for p in parts if p) or medline


def to_record(article) -> Record:
    citation = article.find(".//MedlineCitation")
    if citation is None:
        citation = article.find(".//BookDocument")
    art = citation.find("Article") if citation is not None else None
    art = art if art is not None else citation
    art = art if art is not None else article
    authors = []
    for node in art.findall(".//AuthorList/Author"):
        family = find_text(node, "LastName") or find_text(node, "CollectiveName")
        given = find_text(node, "ForeName") or find_text(node, "Initials")
        affiliations = [text_of(a) for a in node.findall(".//AffiliationInfo/Affiliation")]
        if family or given:
            authors.append(Author(family=family, given=given,
                                  affiliations=[a for a in affiliations if a]))
    published = art.find(".//Journal/JournalIssue/PubDate")
    year, date = _date(published if published is not None else art.find(".//Book/PubDate"))
    ids = {i.get("IdType"): text_of(i) for i in article.findall(".//PubmedData/ArticleIdList/ArticleId")}
    doi = ids.get("doi") or next((text_of(e) for e in art.findall("ELocationID")
                                  if e.get("EIdType") == "doi"), None)
    sections = []
    for node in art.findall(".//Abstract/AbstractText"):
        label, value = node.get("Label"), text_of(node)
        if value:
            sections.append(f"{label.capitalize()}: {value}" if label else value)
    keywords = [text_of(k) for k in article.findall(".//KeywordList/Keyword")]
    if not keywords:
        keywords = [text_of(m) for m in article.findall(".//MeshHeadingList/MeshHeading/DescriptorName")]
    pmid = find_text(citation, "PMID") if citation is not None else None
    return Record(
        title=(find_text(art, "ArticleTitle") or find_text(art, "VernacularTitle")
               or find_text(art, "Book/BookTitle")),
        authors=authors,
        journal=(find_text(art, "Journal/Title") or find_text(art, "Journal/ISOAbbreviation")
                 or find_text(art, "Book/BookTitle")),
        publisher=find_text(art, "Book/Publisher/PublisherName"),
        year=year,
        date=date,
        volume=find_text(art, "Journal/JournalIssue/Volume"),
        issue=find_text(art, "Journal/JournalIssue/Issue"),
        pages=find_text(art, "Pagination/MedlinePgn"),
        doi=doi,
        pmid=pmid or ids.get("pubmed"),
        pmcid=ids.get("pmc"),
        abstract="\n".join(sections) or None,
        keywords=[k for k in keywords if k],
        issn=find_text(art, "Journal/ISSN"),
        language=find_text(art, "Language"),
        doc_type=find_text(art, "PublicationTypeList/PublicationType"),
        kind=Kind.EXPORT_RECORD,
    )


FORMATS = [Format("pubmed-xml", sniff, parse, (".xml",), "PubMed / MEDLINE XML (efetch)")]
