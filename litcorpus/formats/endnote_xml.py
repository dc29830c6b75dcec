"""EndNote XML (`<xml><records><record>`), values possibly wrapped in `<style>` and split over
lines."""

from __future__ import annotations

from litcorpus import normalize
from litcorpus.formats import Format
from litcorpus.formats.xmltext import find_text, line_at, parse_xml, start_lines, text_of
from litcorpus.models import Kind, Origin, ParseResult, Record


def sniff(text: str, name: str) -> float:
    head = text[:5000]
    return 0.9 if "<records>" in head and "<record>" in head else 0.0


def parse(text: str, name: str) -> ParseResult:
    root = parse_xml(text)
    lines = start_lines(text, "record")
    result = ParseResult()
    for n, node in enumerate(root.iter("record")):
        record = to_record(node)
        record.origins = [Origin(file=name, line=line_at(lines, n), format="endnote-xml",
                                 source_id=find_text(node, "rec-number"))]
        result.records.append(record)
    return result


def to_record(node) -> Record:
    authors = [normalize.author(text_of(a)) for a in node.findall("contributors/authors/author")]
    ref_type = node.find("ref-type")
    address = find_text(node, "auth-address")
    return Record(
        title=find_text(node, "titles/title"),
        authors=[a for a in authors if a],
        journal=find_text(node, "titles/secondary-title") or find_text(node, "periodical/full-title"),
        year=normalize.year(find_text(node, "dates/year")),
        date=find_text(node, "dates/pub-dates/date"),
        volume=find_text(node, "volume"),
        issue=find_text(node, "number"),
        pages=find_text(node, "pages"),
        doi=normalize.find_doi(find_text(node, "electronic-resource-num")),
        abstract=find_text(node, "abstract"),
        keywords=[text_of(k) for k in node.findall("keywords/keyword") if text_of(k)],
        publisher=find_text(node, "publisher"),
        issn=find_text(node, "isbn"),
        language=find_text(node, "language"),
        affiliations=[address] if address else [],
        url=find_text(node, "urls/related-urls/url"),
        doc_type=ref_type.get("name") if ref_type is not None else None,
        kind=Kind.EXPORT_RECORD,
    )


FORMATS = [Format("endnote-xml", sniff, parse, (".xml",), "EndNote XML")]
