"""EndNote XML (`<xml><records><record>`), values possibly wrapped in `<style>` and split over
lines."""

from __future__ import annotations

from litcorpus.formats import Format
from litcorpus.formats.fieldmap import FieldMap
from litcorpus.formats.xmltext import Paths, find_text, line_at, parse_xml, start_lines
from litcorpus.models import Origin, ParseResult, RawRecord


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


FIELDS = FieldMap({
    "title": ("titles/title",),
    "authors": ("contributors/authors/author",),
    "journal": ("titles/secondary-title", "periodical/full-title"),
    "year": ("dates/year",),
    "date": ("dates/pub-dates/date",),
    "volume": ("volume",),
    "issue": ("number",),
    "pages": ("pages",),
    "doi": ("electronic-resource-num",),
    "abstract": ("abstract",),
    "keywords": ("keywords/keyword",),
    "publisher": ("publisher",),
    "issn": ("isbn",),
    "language": ("language",),
    "affiliations": ("auth-address",),
    "url": ("urls/related-urls/url",),
    "doc_type": ("ref-type/@name",),
})


def to_record(node) -> RawRecord:
    return FIELDS.raw(Paths(node))


FORMATS = [Format("endnote-xml", sniff, parse, (".xml",), "EndNote XML")]
