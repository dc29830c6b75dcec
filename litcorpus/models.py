"""The data every stage passes along: records, their origins, and per-file outcomes."""

from __future__ import annotations

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
    """Where a record was read: file, line where it starts, format, and the input's own ID."""

    file: str
    line: int | None = None
    format: str
    source_id: str | None = None


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


class Failure(BaseModel):
    """A part of a file that could not be read as a record: kept as data, never raised."""

    line: int | None = None
    reason: str
    raw: str = ""


class ParseResult(BaseModel):
    """What a parser returns for one file."""

    records: list[Record] = Field(default_factory=list)
    failures: list[Failure] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class Status(str, Enum):
    """What happened to an input file."""

    PARSED = "parsed"
    PARTLY_PARSED = "partly parsed"
    FAILED = "failed"
    SKIPPED = "skipped"


class SourceOutcome(BaseModel):
    """The account of one input file: its format, status, record count and a one-line reason."""

    file: str
    format: str | None = None
    status: Status
    records: int = 0
    message: str = ""
    sha256: str | None = None
    database: str | None = None
    """The database or kind of file the records came from ("Scopus", "web pages"), told from the
    content by litcorpus.databases; PRISMA's per-source counts read it."""
