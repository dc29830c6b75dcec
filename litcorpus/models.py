"""The data every stage passes along: records, their origins, and per-file outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from pydantic import BaseModel, Field


class Kind(str, Enum):
    """What shape of input a record came from."""

    LISTING_ENTRY = "listing entry"
    ABSTRACT = "abstract"
    FULL_TEXT = "full text"
    METADATA_PAGE = "metadata page"
    EXPORT_RECORD = "export record"


class Origin(BaseModel):
    """Where a record was read: file (the path as given), archive member, line where it starts,
    format, and the input's own ID."""

    file: str
    member: str | None = None
    """The file's name inside the archive `file` (a .zip member, a .gz's content); None otherwise."""
    line: int | None = None
    format: str
    source_id: str | None = None

    @property
    def name(self) -> str:
        """`file`, or `file!member` for an archive member: how a display names the input."""
        return f"{self.file}!{self.member}" if self.member else self.file


class Author(BaseModel):
    """One author; names as printed, split into family and given parts."""

    family: str | None = None
    given: str | None = None
    affiliations: list[str] = Field(default_factory=list)

    def display(self) -> str:
        """`Family, Given` or whichever part exists."""
        if self.family and self.given:
            return f"{self.family}, {self.given}"
        return self.family or self.given or ""


class Record(BaseModel):
    """One bibliographic record. Missing values are None or empty, never invented."""

    id: str | None = None
    title: str | None = None
    title_translations: dict[str, str] = Field(default_factory=dict)
    authors: list[Author] = Field(default_factory=list)
    journal: str | None = None
    year: int | None = None
    date: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    issn: str | None = None
    publisher: str | None = None
    doc_type: str | None = None
    """A CSL item type (litcorpus.doc_types.CSL_TYPES), or None when the source states none it knows."""
    doc_subtype: str | None = None
    """retraction, erratum, comment, editorial, conference-abstract or preprint (doc_types.SUBTYPES)."""
    doc_type_original: str | None = None
    """The source's own type labels as printed, `; `-joined."""
    url: str | None = None
    abstract: str | None = None
    language: str | None = None
    translations: dict[str, str] = Field(default_factory=dict)
    keywords: list[str] = Field(default_factory=list)
    affiliations: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    kind: Kind = Kind.EXPORT_RECORD
    files: list[str] = Field(default_factory=list)
    """Absolute paths of the full-text files (PDFs, saved article pages) this record was read
    from; export files are never listed. Written to RIS as L1 and to BibTeX as `file`."""
    origins: list[Origin] = Field(default_factory=list)
    merged_from: list[str] = Field(default_factory=list)
    """After dedupe: IDs of the input records this canonical record links (empty before)."""
    field_sources: dict[str, str] = Field(default_factory=dict)
    """After dedupe: field name -> ID of the input record its value was taken from."""

    def all_affiliations(self) -> list[str]:
        """Record-level affiliations plus every author's, in order, without repeats."""
        seen: dict[str, None] = dict.fromkeys(self.affiliations)
        for author in self.authors:
            seen.update(dict.fromkeys(author.affiliations))
        return list(seen)


@dataclass(slots=True)
class RawName:
    """An author as printed, with the affiliations printed with them."""

    name: str
    affiliations: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RawRecord:
    """One record as its parser read it: the source's own values under the record's field names,
    not yet cleaned. `normalize.record` makes the canonical `Record` of it; a parser never cleans.

    Lists hold every value the source gives, in order: `doi` the values of DOI fields (the first
    that holds a DOI wins), `doi_mentions` other fields that may name one, `doc_type` every type
    label, `keywords` each keyword field's value (split at semicolons by the normaliser, and at
    commas too where `keywords_comma`, a source that writes the list in one comma-separated field).
    `authors` holds names as printed (family name first without a comma where
    `names_family_first`), RawName for a name with its affiliations, or Author for a name whose
    parts the source gives apart.
    """

    title: str | None = None
    authors: list[str | RawName | Author] = field(default_factory=list)
    names_family_first: bool = False
    journal: str | None = None
    year: str | int | None = None
    date: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    page_end: str | None = None
    """The last page, where the source gives it apart from the first (then `pages` is the first)."""
    article_number: str | None = None
    """Taken as the pages when there are none."""
    doi: list[str] = field(default_factory=list)
    doi_mentions: list[str] = field(default_factory=list)
    pmid: str | None = None
    pmcid: str | None = None
    issn: str | None = None
    publisher: str | None = None
    doc_type: list[str] = field(default_factory=list)
    url: str | None = None
    abstract: str | None = None
    language: str | None = None
    keywords: list[str] = field(default_factory=list)
    keywords_comma: bool = False
    affiliations: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    title_translations: dict[str, str] = field(default_factory=dict)
    translations: dict[str, str] = field(default_factory=dict)
    kind: Kind = Kind.EXPORT_RECORD
    origins: list[Origin] = field(default_factory=list)


class Failure(BaseModel):
    """A part of a file that could not be read as a record: kept as data, never raised."""

    line: int | None = None
    reason: str
    raw: str = ""


@dataclass
class ParseResult:
    """What a parser returns for one file: raw records (a format that builds `Record`s itself is
    read too; both are normalised at ingest), failures and warnings."""

    records: list[RawRecord | Record] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Status(str, Enum):
    """What happened to an input file."""

    PARSED = "parsed"
    PARTLY_PARSED = "partly parsed"
    FAILED = "failed"
    SKIPPED = "skipped"


class SourceOutcome(BaseModel):
    """The account of one input file: its format, status, record count and a one-line reason."""

    file: str
    """The path as the person gave it (or as found in a folder they gave)."""
    member: str | None = None
    """The file's name inside the archive `file`, for a .zip member or a .gz's content."""
    format: str | None = None
    status: Status
    records: int = 0
    message: str = ""
    sha256: str | None = None
    database: str | None = None
    """The database or kind of file the records came from ("Scopus", "web pages"), told from the
    content by litcorpus.databases; PRISMA's per-source counts read it."""

    @property
    def name(self) -> str:
        """`file`, or `file!member` for an archive member: how a display names the input."""
        return f"{self.file}!{self.member}" if self.member else self.file
