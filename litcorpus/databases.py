"""Which database (or which kind of file) an input came from: the names PRISMA's "Records
identified from" box lists ("Scopus, 286; PubMed, 104; web pages, 3").

Told from the format and the file's opening text, never from its path: an export's own database
tag where it has one (RIS and Ovid `DB`), else its dialect (the tags or columns only one database
writes), else the kind of file. The names are data: add a dialect or database by adding a line.
"""

from __future__ import annotations

import re
from collections import Counter

# formats only one database writes, or that are a kind of file rather than a database
BY_FORMAT = {
    "medline": "PubMed", "pubmed-xml": "PubMed", "pubmed-text": "PubMed",
    "jats": "PubMed Central", "wos": "Web of Science", "crossref": "Crossref",
    "noteexpress": "CNKI", "endnote-xml": "EndNote library", "endnote-tagged": "EndNote library",
    "fulltext": "web pages", "metadata-page": "web pages", "html": "web pages", "pdf": "PDF files",
    "ovid": "Ovid", "csv": "CSV files", "bibtex": "BibTeX files", "ris": "RIS files",
    "listing": "citation listings",
}
# RIS dialect (litcorpus.formats.ris.dialect) -> database or tool
RIS_DIALECTS = {
    "scopus": "Scopus", "wos": "Web of Science", "ovid": "Ovid", "ebsco": "EBSCO",
    "proquest": "ProQuest", "rayyan": "Rayyan", "lens": "Lens", "endnote-pubmed": "PubMed",
    "cas": "CAS SciFinder", "zotero": "Zotero library",
}
# a database tag's value (RIS `DB`, Ovid `DB`), lower case -> the name reviewers use
DB_VALUES = {
    "medline": "MEDLINE", "ovid medline(r)": "MEDLINE", "embase": "Embase", "scopus": "Scopus",
    "psycinfo": "APA PsycInfo", "apa psycinfo": "APA PsycInfo", "ecn": "EconLit",
    "econlit": "EconLit", "a9h": "Academic Search Premier", "cmedm": "MEDLINE", "psyh": "APA PsycInfo",
    "cin20": "CINAHL", "rzh": "CINAHL", "nlm": "PubMed",
}
# CSV columns only one database writes (lower case, as in the header line) -> database
CSV_COLUMNS = (
    ("emtree", "Embase"), ("lens id", "Lens"),
    ("authorships.", "OpenAlex"), ("ieee terms", "IEEE Xplore"), ("item doi", "SpringerLink"),
    ("ut (unique wos id)", "Web of Science"),
)
_DB_TAG = re.compile(r"^DB  - ?(.+?)\s*$", re.M)


def name_of(format_name: str | None, head: str = "") -> str:
    """The database or kind of file for an input in `format_name` whose text opens with `head`."""
    if not format_name:
        return "unreadable files"
    head = head[:20000]
    finder = _FINDERS.get(format_name)
    found = finder(head) if finder else None
    return found or BY_FORMAT.get(format_name) or f"{format_name} files"


def _db_tag(head: str) -> str | None:
    """The most frequent `DB  - ` value, under the name reviewers use (`Embase <1974 to ...>`
    is Embase)."""
    values = Counter(v.split("<")[0].strip() for v in _DB_TAG.findall(head))
    if not values:
        return None
    value = values.most_common(1)[0][0]
    return DB_VALUES.get(value.lower(), value) or None


def _ris(head: str) -> str | None:
    from litcorpus.formats.ris import dialect

    return _db_tag(head) or RIS_DIALECTS.get(dialect(head))


def _csv(head: str) -> str | None:
    header = head.split("\n", 1)[0].lower()
    if "www.scopus.com" in head or re.search(r'(^|,)"?eid"?(,|$)', header):
        return "Scopus"
    return next((database for column, database in CSV_COLUMNS if column in header), None)


def _bibtex(head: str) -> str | None:
    lowered = head.lower()
    if lowered.lstrip("\ufeff \n").startswith("scopus") or re.search(r"source\s*=\s*\{scopus\}",
                                                                      lowered):
        return "Scopus"
    if re.search(r"@\w+\{\s*wos:", lowered) or "web-of-science-index" in lowered:
        return "Web of Science"
    return None


def _listing(head: str) -> str | None:
    return "PubMed" if re.search(r"\bPMID:\s*\d", head) else None


_FINDERS = {"ris": _ris, "ovid": _db_tag, "csv": _csv, "bibtex": _bibtex, "listing": _listing}
