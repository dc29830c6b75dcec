"""A PubMed abstract page saved as text.

Lines, in order: an optional author line (`Lewis Richard Q, Checkland Kath, …`, family name first),
affiliation lines, the citation line (`Int J Integr Care. 2021 Oct 29;21(4):5. doi: 10.5334/….`),
then the abstract's paragraphs, possibly followed by a machine translation (split off by language
at ingest). Such a page carries no title: the title stays None.
"""

from __future__ import annotations

import re

from litcorpus.formats import Format
from litcorpus.models import Kind, Origin, ParseResult, RawRecord

FORMAT = "pubmed-text"
CITATION = re.compile(
    r"^(?P<journal>[A-Z][^.]*(?:\.[^.\d][^.]*)*?)\.\s+"
    r"(?P<date>(?P<year>(?:1[89]|20)\d\d)(?:\s+(?P<month>[A-Z][a-z]{2})(?:-[A-Z][a-z]{2})?)?"
    r"(?:\s+(?P<day>\d{1,2}))?)"
    r"(?:;(?P<volume>[^(:;.]*)(?:\((?P<issue>[^)]*)\))?)?"
    r"(?::(?P<pages>[^.\s;]+))?\."
    r"(?P<rest>.*)$"
)
_DOI = re.compile(r"\bdoi:\s*(10\.\S+?)\.?(?:\s|$)", re.I)
_PMID = re.compile(r"\bPMID:\s*(\d+)")
_PMCID = re.compile(r"\bPMCID:\s*(PMC\d+)")
_NAME_PART = re.compile(r"^[A-Z][\w'’\-]+(?:\s[\w'’\-]+){1,4}$")
_INSTITUTION = re.compile(
    r"\b(?:Universit\w*|Department|Institute|School|Centre|Center|College|Hospital|Trust|"
    r"Foundation|Faculty|Unit|Ministry|Agency|Council|Group|Laboratory|UK|USA)\b", re.I)


def citation_line(lines: list[str]) -> int | None:
    """Index of the PubMed citation line among the first lines, if there is one."""
    for i, line in enumerate(lines[:25]):
        match = CITATION.match(line.strip())
        if match and (match.group("volume") is not None or "doi:" in match.group("rest").lower()):
            return i
    return None


def sniff(text: str, name: str) -> float:
    """A PubMed citation line near the top, followed by prose."""
    lines = [line for line in text[:20000].split("\n") if line.strip()]
    at = citation_line(lines)
    if at is None or at + 1 >= len(lines):
        return 0.0
    return 0.8 if "doi:" in lines[at].lower() else 0.6


def parse(text: str, name: str) -> ParseResult:
    """The whole file is one record."""
    numbered = [(i + 1, line.strip()) for i, line in enumerate(text.split("\n")) if line.strip()]
    lines = [line for _, line in numbered]
    at = citation_line(lines)
    result = ParseResult()
    if at is None:
        return result
    match = CITATION.match(lines[at])
    record = RawRecord(kind=Kind.ABSTRACT, names_family_first=True)
    record.journal = match.group("journal").strip()
    record.date = match.group("date")
    record.volume = (match.group("volume") or "").strip() or None
    record.issue = (match.group("issue") or "").strip() or None
    record.pages = match.group("pages")
    rest = match.group("rest")
    doi = _DOI.search(rest)
    record.doi = [doi.group(1)] if doi else []
    pmid = _PMID.search(rest)
    record.pmid = pmid.group(1) if pmid else None
    pmcid = _PMCID.search(rest)
    record.pmcid = pmcid.group(1) if pmcid else None
    front = lines[:at]
    if front and is_author_line(front[0]):
        record.authors = front[0].split(",")
        front = front[1:]
    record.affiliations = [re.sub(r"^\d+\s+", "", line) for line in front]
    record.abstract = "\n".join(lines[at + 1:]) or None
    record.origins = [Origin(file=name, line=numbered[0][0], format=FORMAT, source_id=record.pmid)]
    result.records.append(record)
    return result


def is_author_line(line: str) -> bool:
    """`Lewis Richard Q, Checkland Kath`: capitalised names, commas, no institution words."""
    if line.endswith(".") or _INSTITUTION.search(line) or re.search(r"\d", line):
        return False
    parts = [p.strip() for p in line.split(",")]
    return all(_NAME_PART.match(p) for p in parts) and all(
        w[0].isupper() or w.lower() in {"van", "von", "de", "der", "den", "di", "da", "del", "le"}
        for p in parts for w in p.split())


FORMATS = [Format(FORMAT, sniff, parse, (".txt",),
                  "PubMed abstract page saved as text (optionally followed by a translation)")]
