"""PubMed-style numbered citation listings (e.g. a 'cited by' or 'similar articles' page saved as text).

An entry: a number line, `|`, a citation line
`Authors. Title. Journal Year; Volume:Pages. [PMID: … PMCID: … DOI: …] [Citation(s) in RCA: …] …`,
an optional `Abstract` block, an optional `Affiliation(s)` block of `- Name` lines each followed by
`- affiliation` lines, with `|` marks between authors (`| |` closes an author's block, so an
author without affiliations shows as a bare `| |`), and `Collapse` / `|` page noise.
"""

from __future__ import annotations

import re

from litcorpus import normalize
from litcorpus.formats import Format
from litcorpus.models import Author, Failure, Kind, Origin, ParseResult, RawRecord

FORMAT = "listing"
_NUMBER = re.compile(r"^\d{1,5}$")
_IDS = re.compile(r"\s\[(?:PMID|DOI|PMCID):")
_TAIL = re.compile(
    r"(?:^|(?<=[.?!])\s)(?P<journal>[^.?!\[\]]+?)\s(?P<year>(?:1[89]|20)\d\d)"
    r"(?:;\s*(?P<volume>[^:(;]+?)?(?:\((?P<issue>[^)]+)\))?(?::(?P<pages>[^\s;]+?))?"
    r"|:(?P<epub>\S+?))?\.?\s*$"
)
_AUTHOR_PART = re.compile(r"^[A-Z][\w'’\-]*(?:\s[\w'’\-]+){0,4}$")
_NOISE = {"|", "Collapse", "Open", "Expand"}


def sniff(text: str, name: str) -> float:
    """Number lines followed by `|`, and citation lines carrying `[PMID:` or `[DOI:`."""
    head = text[:20000]
    numbers = len(re.findall(r"(?m)^\d{1,5}\n\|\s*$", head))
    citations = len(re.findall(r"\[(?:PMID|DOI): ", head))
    if numbers and citations:
        return 0.9
    if citations >= 2 and "Citation(s) in RCA" in head:
        return 0.6
    return 0.0


def parse(text: str, name: str) -> ParseResult:
    """Split into entries at number lines and read each entry."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines)
              if _NUMBER.match(line.strip()) and i + 1 < len(lines) and lines[i + 1].strip() == "|"]
    result = ParseResult()
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        block = lines[start:end]
        try:
            record = parse_entry(block)
        except ValueError as exc:
            result.failures.append(Failure(line=start + 1, reason=str(exc),
                                           raw="\n".join(block)[:2000]))
            continue
        record.origins = [Origin(file=name, line=start + 1, format=FORMAT, source_id=record.pmid)]
        result.records.append(record)
    return result


def parse_entry(block: list[str]) -> RawRecord:
    """One entry (its number line first) to a record; ValueError when it has no citation line."""
    body = [line.strip() for line in block[1:]]
    citation_at = next((i for i, line in enumerate(body) if line and line not in _NOISE), None)
    if citation_at is None:
        raise ValueError("listing entry without a citation line")
    record = parse_citation(body[citation_at])
    rest = body[citation_at + 1:]
    if "Abstract" in rest:
        start = rest.index("Abstract") + 1
        stop = next((i for i in range(start, len(rest))
                     if rest[i] in ("Collapse", "Affiliation(s)")), len(rest))
        record.abstract = "\n".join(line for line in rest[start:stop] if line) or None
    if "Affiliation(s)" in rest:
        start = rest.index("Affiliation(s)") + 1
        stop = next((i for i in range(start, len(rest)) if rest[i] == "Collapse"), len(rest))
        attach_affiliations(record, rest[start:stop])
    return record


def parse_citation(line: str) -> RawRecord:
    """`Authors. Title. Journal Year; Volume:Pages. [PMID: …]` to a record."""
    ids_at = _IDS.search(line)
    head = line[: ids_at.start()] if ids_at else line
    brackets = line[ids_at.start():] if ids_at else ""
    record = RawRecord(kind=Kind.LISTING_ENTRY)
    if brackets:
        record.pmid = _bracket_value(brackets, "PMID")
        record.pmcid = _bracket_value(brackets, "PMCID")
        record.doi = [doi] if (doi := _bracket_value(brackets, "DOI")) else []
    head = head.strip()
    tail = _TAIL.search(head)
    if not tail:
        raise ValueError("citation line without 'Journal Year'")
    record.journal = tail.group("journal").strip()
    record.year = tail.group("year")
    record.volume = (tail.group("volume") or "").strip() or None
    record.issue = tail.group("issue")
    record.pages = tail.group("pages")
    if tail.group("epub"):
        record.doi_mentions.append(tail.group("epub"))
    front = head[: tail.start("journal")].strip()
    authors_text, title = split_authors_title(front)
    record.title = title
    # split here, not by the normaliser: the affiliation block is matched to family names
    record.authors = [a for a in (normalize.author_family_first(p) for p in authors_text) if a]
    return record


def split_authors_title(front: str) -> tuple[list[str], str | None]:
    """Separate the leading author list (`Alderwick H, Mays N.`) from the title.

    The author list is the text before the first `. ` when every comma-separated part looks like a
    name (capitalised words, at most five); otherwise the whole text is the title.
    """
    cut = front.find(". ")
    if cut > 0:
        candidate = front[:cut]
        parts = [p.strip() for p in candidate.split(",")]
        if parts and all(_AUTHOR_PART.match(p) and _looks_like_name(p) for p in parts):
            title = front[cut + 2:].strip()
            return parts, _strip_title(title)
    return [], _strip_title(front)


def _looks_like_name(part: str) -> bool:
    words = part.split()
    if len(words) < 2:
        return False
    last = words[-1]
    initials = last.isupper() and len(last) <= 4
    shouting = all(w.isupper() for w in words)
    return initials or shouting


def _strip_title(title: str) -> str | None:
    title = title.strip()
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    return title or None


def _bracket_value(text: str, key: str) -> str | None:
    match = re.search(rf"\b{key}:\s*([^\s\]]+)", text)
    return match.group(1) if match else None


_TOKEN = re.compile(r"\||-\s+[^|\n]+")


def attach_affiliations(record: RawRecord, lines: list[str]) -> None:
    """Give each author the affiliations listed under their name in the `Affiliation(s)` block.

    Each author's block is closed by `| |`; the first item of a block is the author's full name,
    which also supplies a full given name when it agrees with the citation's family name.
    """
    blocks: list[list[str]] = [[]]
    pipes = 0
    for token in _TOKEN.findall("\n".join(lines)):
        if token == "|":
            pipes += 1
            if pipes % 2 == 0:
                blocks.append([])
        else:
            blocks[-1].append(token[1:].strip())
    named = [(i, b) for i, b in enumerate(blocks) if b]
    for index, block in named:
        full_name, affiliations = block[0], block[1:]
        author = _author_for(record.authors, index, full_name)
        if author is None:
            record.affiliations.extend(affiliations)
            continue
        author.affiliations.extend(affiliations)
        given = _given_from_full_name(author, full_name)
        if given:
            author.given = given


def _author_for(authors: list[Author], index: int, full_name: str) -> Author | None:
    key = normalize.name_key
    words = {key(w) for w in full_name.split()}
    if index < len(authors) and key(authors[index].family) in words:
        return authors[index]
    return next((a for a in authors if key(a.family) in words), None)


def _given_from_full_name(author: Author, full_name: str) -> str | None:
    """`Hugh Alderwick` for `Alderwick H` -> `Hugh`; None when the name does not agree."""
    words = full_name.split()
    family_words = (author.family or "").split()
    lowered = [w.lower() for w in words]
    fam = [w.lower() for w in family_words]
    if not fam:
        return None
    if lowered[-len(fam):] == fam:
        given_words = words[: -len(fam)]
    elif lowered[: len(fam)] == fam:
        given_words = words[len(fam):]
    else:
        return None
    given = " ".join(given_words)
    if not given or not author.given:
        return given or None
    initials = "".join(w[0] for w in re.split(r"[\s-]+", given) if w).upper()
    printed = author.given.replace(".", "").replace(" ", "").upper()
    if printed.startswith(initials[:1]) and (len(printed) <= 4 and printed[0] == initials[0]
                                            or printed == given.upper().replace(" ", "")):
        return given
    return None


FORMATS = [Format(FORMAT, sniff, parse, (".txt",),
                  "numbered citation listing (PubMed-style 'similar/cited by' pages saved as text)")]
