"""Display values and match keys: DOIs, PMIDs, pages, years, names, titles.

Functions named after a field return the cleaned display value (or None); `*_key` functions
return the form used only for comparing, never shown.
"""

from __future__ import annotations

import html
import re
import unicodedata

import ftfy

from litcorpus.models import Author, Record

_MOJIBAKE = re.compile("[ÃÂâ€™œ\u0080-\u009f]")  # one class: an alternation is tried at every position
_SPACE = re.compile(r"\s+")


def text(value: str | None) -> str | None:
    """Repair broken Unicode, NFC, collapse white space; None for empty."""
    if value is None:
        return None
    if not value.isascii():
        if _MOJIBAKE.search(value):
            value = ftfy.fix_text(value)
        value = unicodedata.normalize("NFC", value)
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value or None  # no white space to collapse (tabs, breaks and the like are unprintable)
    return " ".join(value.split()) or None


def paragraph_text(value: str | None) -> str | None:
    """Like `text` but keeps paragraph breaks (blank-line or newline separated)."""
    if value is None or "\n" not in value:
        return text(value)
    parts = [text(p) for p in re.split(r"\n\s*\n|\n", value)]
    joined = "\n".join(p for p in parts if p)
    return joined or None


_DOI = re.compile(r"10\.\d{4,9}/\S+", re.I)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|https?://\S*?/doi/(?:abs/|full/|pdf/)?)",
                         re.I)


def doi(value: str | None) -> str | None:
    """Lower-case DOI without URL prefix or trailing punctuation, or None if there is none."""
    if not value:
        return None
    value = html.unescape(value.strip())
    value = _DOI_PREFIX.sub("", value)
    match = _DOI.search(value)
    if not match:
        return None
    found = match.group(0).rstrip(".,;:)]}>'\"")
    if found.count("(") > found.count(")") and match.group(0)[len(found):].startswith(")"):
        found += ")"
    return found.lower()


def find_doi(value: str | None) -> str | None:
    """The first DOI mentioned anywhere in a text."""
    return doi(value) if value and _DOI.search(value) else None


def pmid(value: str | None) -> str | None:
    """Digits of a PubMed ID without leading zeros, or None."""
    if not value:
        return None
    match = re.search(r"\b(\d{1,10})\b", str(value))
    return match.group(1).lstrip("0") or None if match else None


def pmcid(value: str | None) -> str | None:
    """`PMC` followed by digits, or None."""
    if not value:
        return None
    match = re.search(r"PMC\s*(\d+)", str(value), re.I)
    if match:
        return f"PMC{match.group(1)}"
    digits = re.fullmatch(r"\s*(\d{4,9})\s*", str(value))
    return f"PMC{digits.group(1)}" if digits else None


def year(value: str | int | None) -> int | None:
    """A four-digit year between 1500 and 2100 found in the value."""
    if value is None:
        return None
    if isinstance(value, int):
        return value if 1500 <= value <= 2100 else None
    match = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d|2100)(?!\d)", value)
    return int(match.group(1)) if match else None


_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212-]+\s*")


def pages(value: str | None) -> str | None:
    """Page range with a plain hyphen; `1019-27` is kept as printed (see `pages_key`)."""
    value = text(value)
    if not value:
        return None
    value = _DASHES.sub("-", value).strip("-").strip()
    return value or None


def pages_full(value: str | None) -> str | None:
    """Expand an abbreviated range: `1019-27` -> `1019-1027`; other values unchanged."""
    value = pages(value)
    if not value:
        return None
    match = re.fullmatch(r"([A-Za-z]*)(\d+)-([A-Za-z]*)(\d+)", value)
    if match:
        prefix, first, prefix2, last = match.groups()
        if len(last) < len(first) and (not prefix2 or prefix2 == prefix):
            last = first[: len(first) - len(last)] + last
        return f"{prefix}{first}-{prefix2 or prefix}{last}" if prefix2 or prefix else f"{first}-{last}"
    return value


def first_page(value: str | None) -> str | None:
    """The first page or article number, lower case, without leading zeros."""
    value = pages(value)
    if not value:
        return None
    head = value.split("-")[0].strip().lower()
    head = re.sub(r"^(?:pp?\.?\s*)", "", head)
    return head.lstrip("0") or head or None


_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos",
              "das", "ter", "ten", "bin", "al", "el", "mac", "st", "st."}


def _is_initials(token: str) -> bool:
    """`H`, `RQ`, `J.A.`, `M.-L.`: initials rather than a given name."""
    bare = token.replace(".", "").replace("-", "")
    return bool(bare) and bare.isalpha() and bare.isupper() and len(bare) <= 3


def author(value: str | None) -> Author | None:
    """Split one printed name into family and given.

    Handles `Hope, S.`, `Alderwick H`, `Lewis Richard Q` (family first, as PubMed and metadata pages
    print), `SANDHU SAHIL`, `Hugh Alderwick` (given first, when the last token is not an initial),
    and particles such as `van der Heide I`.
    """
    value = text(value)
    if not value:
        return None
    value = value.strip(" ;,")
    if "," in value:
        family, _, given = value.partition(",")
        family, given = family.strip(), given.strip().strip(",").strip()
        return Author(family=family or None, given=given or None)
    tokens = value.split()
    if len(tokens) == 1:
        return Author(family=tokens[0])
    if _is_initials(tokens[-1]):
        return Author(family=" ".join(tokens[:-1]), given=tokens[-1])
    lowered = [t.lower() for t in tokens]
    for i, token in enumerate(lowered[:-1]):
        if i > 0 and token in _PARTICLES:
            return Author(family=" ".join(tokens[i:]), given=" ".join(tokens[:i]))
    return Author(family=tokens[-1], given=" ".join(tokens[:-1]))


def author_family_first(value: str | None) -> Author | None:
    """A name printed family first without a comma: `Lewis Richard Q`, `Baxter Vanessa`."""
    value = text(value)
    if not value:
        return None
    if "," in value:
        return author(value)
    tokens = value.split()
    if len(tokens) == 1:
        return Author(family=tokens[0])
    split = 1
    while split < len(tokens) - 1 and tokens[split - 1].lower() in _PARTICLES:
        split += 1
    return Author(family=" ".join(tokens[:split]), given=" ".join(tokens[split:]))


_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
                          "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th"})


def fold(value: str | None) -> str:
    """Lower case, accents removed, HTML and punctuation dropped: the base of every match key."""
    if not value:
        return ""
    if "&" in value:
        value = html.unescape(value)
    if "<" in value:
        value = re.sub(r"<[^>]{1,40}>", " ", value)
    if not value.isascii():  # plain ASCII has no accents to take off (most titles and names)
        value = unicodedata.normalize("NFKD", value)
        value = "".join(c for c in value if not unicodedata.combining(c)).translate(_LETTERS)
    value = value.casefold()
    value = _PUNCTUATION.sub(" ", value)
    return _SPACE.sub(" ", value).strip()


_PUNCTUATION = re.compile(r"[^\w\s]|_")


def title_key(value: str | None) -> str:
    """Title for comparing: folded, no punctuation, no surrounding brackets or final period."""
    value = (value or "").strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    return fold(value)


def name_key(value: str | None) -> str:
    """Family name for comparing: folded, without spaces, hyphens or apostrophes."""
    return fold(value).replace(" ", "")


def fix_record(record: Record) -> Record:
    """Normalise a parsed record in place: display values repaired, identifiers canonical."""
    values = record.__dict__
    changed = {name: text(values[name]) for name in _TEXT_FIELDS if values[name] is not None}
    if changed.get("title"):
        changed["title"] = changed["title"].rstrip(" ")
    changed.update(
        abstract=paragraph_text(record.abstract), pages=pages(record.pages), doi=doi(record.doi),
        pmid=pmid(record.pmid), pmcid=pmcid(record.pmcid))
    for name in ("keywords", "affiliations"):
        if values[name]:
            changed[name] = _texts(values[name])
    if record.references:
        changed["references"] = list(filter(None, map(text, record.references)))
    if record.translations:
        changed["translations"] = {k: v for k, v in ((k, paragraph_text(v)) for k, v in
                                                     record.translations.items()) if v}
    if record.title_translations:
        changed["title_translations"] = {k: v for k, v in ((k, text(v)) for k, v in
                                                           record.title_translations.items()) if v}
    named = True
    for person in record.authors:
        fields = person.__dict__
        family, given = text(fields["family"]), text(fields["given"])
        if family != fields["family"] or given != fields["given"]:
            person.family, person.given = family, given
        named = named and bool(family or given)
        if fields["affiliations"]:
            cleaned = _texts(fields["affiliations"])
            if cleaned != fields["affiliations"]:
                person.affiliations = cleaned
    if not named:
        changed["authors"] = [a for a in record.authors if a.family or a.given]
    for name, value in changed.items():
        if value != values[name]:  # assigning through pydantic costs; most values are already clean
            setattr(record, name, value)
    return record


_TEXT_FIELDS = ("title", "journal", "volume", "issue", "publisher", "doc_type", "issn", "url")


def _texts(values: list[str]) -> list[str]:
    """Each value through `text`, empty ones and repeats left out, order kept."""
    return list(dict.fromkeys(filter(None, map(text, values))))


__all__ = [
    "author", "author_family_first", "doi", "find_doi", "first_page", "fix_record", "fold",
    "name_key", "pages", "pages_full", "pmcid", "pmid", "text", "title_key", "year",
]
