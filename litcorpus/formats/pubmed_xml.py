"""PubMed / MEDLINE XML (efetch `PubmedArticleSet`)."""

from __future__ import annotations

from litcorpus.formats import Format
from litcorpus.formats.fieldmap import FieldMap
from litcorpus.formats.xmltext import Paths, find_text, line_at, parse_xml, start_lines, text_of
from litcorpus.models import Author, Origin, ParseResult, RawRecord
from litcorpus.normalize import section


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


FIELDS = FieldMap({
    "title": ("ArticleTitle", "VernacularTitle", "Book/BookTitle"),
    "journal": ("Journal/Title", "Journal/ISOAbbreviation", "Book/BookTitle"),
    "publisher": ("Book/Publisher/PublisherName",),
    "volume": ("Journal/JournalIssue/Volume",),
    "issue": ("Journal/JournalIssue/Issue",),
    "pages": ("Pagination/MedlinePgn",),
    "doi": ("ELocationID[@EIdType='doi']",),
    "issn": ("Journal/ISSN",),
    "language": ("Language",),
    "doc_type": ("PublicationTypeList/PublicationType",),
})


def _date(published) -> str | None:
    """The publication date as printed: `Year Month Day` (a month as a name or a number), or the
    free-text MedlineDate (`1998 Dec-1999 Jan`)."""
    if published is None:
        return None
    parts = [find_text(published, tag) for tag in ("Year", "Month", "Day")]
    return " ".join(p for p in parts if p) if parts[0] else find_text(published, "MedlineDate")


def to_record(article) -> RawRecord:
    citation = article.find(".//MedlineCitation")
    if citation is None:
        citation = article.find(".//BookDocument")
    art = citation.find("Article") if citation is not None else None
    art = art if art is not None else citation
    art = art if art is not None else article
    record = FIELDS.raw(Paths(art))
    for node in art.findall(".//AuthorList/Author"):
        family = find_text(node, "LastName") or find_text(node, "CollectiveName")
        given = find_text(node, "ForeName") or find_text(node, "Initials")
        affiliations = [text_of(a) for a in node.findall(".//AffiliationInfo/Affiliation")]
        if family or given:
            record.authors.append(Author(family=family, given=given,
                                         affiliations=[a for a in affiliations if a]))
    published = art.find(".//Journal/JournalIssue/PubDate")
    record.date = _date(published if published is not None else art.find(".//Book/PubDate"))
    ids = {i.get("IdType"): text_of(i) for i in article.findall(".//PubmedData/ArticleIdList/ArticleId")}
    record.doi = [ids["doi"], *record.doi] if ids.get("doi") else record.doi
    record.abstract = "\n".join(section(node.get("Label"), text_of(node))
                                for node in art.findall(".//Abstract/AbstractText")
                                if text_of(node)) or None
    keywords = [text_of(k) for k in article.findall(".//KeywordList/Keyword")]
    if not any(keywords):
        keywords = [text_of(m) for m in article.findall(".//MeshHeadingList/MeshHeading/DescriptorName")]
    record.keywords = [k for k in keywords if k]
    record.pmid = (find_text(citation, "PMID") if citation is not None else None) or ids.get("pubmed")
    record.pmcid = ids.get("pmc")
    return record


FORMATS = [Format("pubmed-xml", sniff, parse, (".xml",), "PubMed / MEDLINE XML (efetch)")]
