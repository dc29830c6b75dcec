"""The one place values become canonical: display values and match keys for every field.

Parsers hand over raw values (`models.RawRecord`); `record()` makes the canonical `Record`:
markup, entities, LaTeX escapes and `NA` placeholders out of text, dates as ISO with the precision
the source gave, one document-type vocabulary (`litcorpus.doc_types`), DOIs, PMIDs, pages,
keywords and names. Functions named after a field return the cleaned display value (or None);
`*_key` functions return the form used only for comparing, never shown.
"""

from __future__ import annotations

import calendar
import html
import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote

from litcorpus import doc_types, language, repair
from litcorpus.models import Author, RawName, RawRecord, Record

_MOJIBAKE = re.compile("[ÃÂâ€™œ\u0080-\u009f]")  # one class: an alternation is tried at every position
_SPACE = re.compile(r"\s+")
PLACEHOLDERS = frozenset(("NA", "N/A", "NaN", "nan", "NULL", "null", "None", "[No abstract available]",
                          "[No author name available]", "No abstract available"))
"""Whole values that stand for a missing one (R writes `NA`, pandas `nan`, Scopus its notes)."""
_PLACEHOLDER_LENGTH = max(map(len, PLACEHOLDERS)) + 3


def text(value: str | None) -> str | None:
    """Repair broken Unicode, decode markup (entities, inline tags, LaTeX escapes), NFC, collapse
    white space; None for empty."""
    if value is None:
        return None
    if len(value) <= _CACHED_LENGTH:  # names, journals, keywords, affiliations repeat across records
        return _short_text(value)
    return _text(value)


_CACHED_LENGTH = 300


def _text(value: str) -> str | None:
    if _has_markup(value):
        value = markup(value, " ")
    if not value.isascii():
        if _MOJIBAKE.search(value):
            value = repair.fix_text(value)  # ftfy's repair, its idle steps skipped
        value = unicodedata.normalize("NFC", value)
    if _printable(value) and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value or None  # no white space to collapse (tabs, breaks and the like are unprintable)
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    return " ".join(value.split()) or None


def _printable(value: str) -> bool:
    """`value.isprintable()`; for a long ASCII text (most abstracts), the same answer at half the
    cost."""
    if len(value) > 256 and value.isascii():  # printable ASCII: no byte below 32, none 127
        return len(value.encode().translate(None, _UNPRINTABLE_ASCII)) == len(value)
    return value.isprintable()


_UNPRINTABLE_ASCII = bytes(range(32)) + b"\x7f"
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
"""Control characters that are no white space (a NUL from a binary source): dropped."""
_short_text = lru_cache(maxsize=1 << 16)(_text)


def clear_caches() -> None:
    """Forget the values remembered so far (an ingest starts afresh: what repeats within it is
    remembered, not what an earlier run saw)."""
    for cached in (_short_text, _date, _doc_type, _name_parts, _family_first_parts):
        cached.cache_clear()


def _has_markup(value: str) -> bool:
    """Whether a value holds a sign of markup (`&`, `<`, a backslash, a brace): four substring
    scans cost less than one regular-expression scan."""
    return "&" in value or "<" in value or "\\" in value or "{" in value


def paragraph_text(value: str | None) -> str | None:
    """Like `text` but keeps paragraph breaks (blank-line or newline separated; block markup such
    as `<p>` and `<AbstractText Label=...>` starts a paragraph)."""
    if value is not None and _has_markup(value):
        value = markup(value, "\n")
    if value is None or "\n" not in value:
        return text(value)
    parts = [text(p) for p in re.split(r"\n\s*\n|\n", value)]
    joined = "\n".join(p for p in parts if p)
    return joined or None


def field_text(value: str | None, paragraphs: bool = False) -> str | None:
    """A whole field's value: `text` (or `paragraph_text`), and None for a placeholder (`NA`)."""
    if value is None or (len(value) < _PLACEHOLDER_LENGTH and value.strip() in PLACEHOLDERS):
        return None
    return paragraph_text(value) if paragraphs else text(value)


# Markup -----------------------------------------------------------------------------------------

_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_INLINE_TAGS = ("sub|sup|i|b|em|strong|u|sc|scp|inf|italic|bold|underline|span|font|small|big|tt|"
                "code|mark|a|abbr|monospace|roman|sans-serif|named-content|styled-content|ext-link|"
                "xref|math|mi|mn|mo|ms|mtext|mrow|msub|msup|msubsup|mfrac|mspace|mstyle|semantics|"
                "inline-formula|tex-math|alternatives|label|uri|email|fn|break")
_BLOCK_TAGS = ("p|br|div|sec|list|list-item|li|ul|ol|h[1-6]|abstract|trans-abstract|caption|table|"
               "tbody|thead|tr|td|th|hr|disp-quote|blockquote|abstracttext")
_PREFIX = r"(?:[A-Za-z][\w.-]*:)?"
_INLINE = re.compile(rf"</?{_PREFIX}(?:{_INLINE_TAGS})(?=[\s/>])[^<>]*>", re.I)
_BLOCK = re.compile(rf"</?{_PREFIX}(?:{_BLOCK_TAGS})(?:(?=[\s/>])[^<>]*(?:>|$)|$)", re.I)
_TAG_START = re.compile(r"<(?:/|[^\W\d_])")
"""Where a tag can start: every tag pattern below opens with `<` and `/` or a letter (re.I lets a
few letters beyond A-Z, such as the long s, stand for one; all are letters)."""
_LABELLED = re.compile(r"<AbstractText\b[^<>]*?\bLabel\s*=\s*[\"']([^\"']*)[\"'][^<>]*>", re.I)
_HEADING = re.compile(rf"<{_PREFIX}title\b[^<>]*>([^<]*)</{_PREFIX}title>\s*(?:<{_PREFIX}p\b[^<>]*>)?", re.I)
_LATEX_ESCAPE = re.compile(r"\\([&%$#_{}])")
_LATEX_ACCENT = re.compile(r"\{?\\([`'^\"~=.uvHckr])\s*\{?([A-Za-z])\}?\}?")
_LATEX_LETTER = re.compile(r"\{?\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L)(?![A-Za-z])\s*\}?")
_BRACED = re.compile(r"\{([^\W\d_][^{}\s\\]*)\}")
_ACCENTS = {"`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
            "r": "\u030a"}
_LATEX_LETTERS = {"ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
                  "o": "ø", "O": "Ø", "l": "ł", "L": "Ł"}
_NOT_SECTIONS = frozenset(("abstract", "summary", "graphical abstract"))


def markup(value: str, block: str = " ") -> str:
    """Entities decoded (also when escaped twice, `&amp;amp;`), inline tags dropped (`PM<sub>10</sub>`
    -> `PM10`), block tags made `block`, a labelled section made `Label: `, LaTeX escapes decoded
    (`\\&` -> `&`, `{\\'e}` and `{é}` -> `é`). Text that only looks like markup (`p < 0.05`)
    stays."""
    for _ in range(3):
        if "&" not in value or not _ENTITY.search(value):
            break
        value = html.unescape(value)
    if "<" in value and _TAG_START.search(value):  # `p < 0.05` holds no tag: four scans spared
        value = _LABELLED.sub(lambda m: f"{block}{_label(m.group(1))}: ", value)
        value = _HEADING.sub(lambda m: block if m.group(1).strip().lower() in _NOT_SECTIONS
                             else f"{block}{_label(m.group(1))}: ", value)
        value = _INLINE.sub("", value)
        value = _BLOCK.sub(block, value)
    if "\\" in value:
        value = _LATEX_ESCAPE.sub(r"\1", value)
        value = _LATEX_ACCENT.sub(lambda m: unicodedata.normalize("NFC", m.group(2) + _ACCENTS[m.group(1)]),
                                  value)
        value = _LATEX_LETTER.sub(lambda m: _LATEX_LETTERS[m.group(1)], value)
    if "{" in value:
        value = _BRACED.sub(r"\1", value)
    return value


def _label(value: str) -> str:
    """A section label as PubMed XML's are shown: `BACKGROUND` -> `Background`."""
    value = value.strip().rstrip(":")
    return value.capitalize() if value.isupper() else value


def section(label: str | None, body: str | None) -> str:
    """One paragraph of a structured abstract, as every format shows it: `Label: body`."""
    return f"{_label(label)}: {body}" if label and label.strip() else body or ""


def looks_clean(value: str | None) -> bool:
    """Whether a display value is free of markup, entities, LaTeX escapes and placeholders (what
    a merge prefers among members' values)."""
    if not value:
        return False
    if value.strip() in PLACEHOLDERS:
        return False
    return not (_ENTITY.search(value) or _INLINE.search(value) or _BLOCK.search(value)
                or _LATEX_ESCAPE.search(value) or _LATEX_ACCENT.search(value) or _BRACED.search(value))


_DOI = re.compile(r"10\.\d{4,9}/+\S+", re.I)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|https?://\S*?/doi/(?:abs/|full/|pdf/|epdf/)?)",
                         re.I)
_HTML_TAG_START = re.compile(r"<(?=[A-Za-z/!])")
_URL_TAIL = re.compile(r"/(?:abstract|full|pdf|epdf|pdfdirect|fulltext|full-text|summary|references|"
                       r"citedby|meta|html|figures|suppinfo|issuetoc|epub|abs|full/html|pdf/html)/?$", re.I)
_SICI_REST = re.compile(r"\s+(\S*?\.CO;2(?:-[0-9A-Z])?)(?![^\s.,;])", re.I)


def doi(value: str | None) -> str | None:
    """The canonical DOI in a DOI field's value: lower case, without a resolver or publisher URL
    around it (`/abstract`, `/full` and such tails, `?query`), markup left on it (`<br`),
    trailing punctuation, or the doubled slash some exports write (`10.1037//0022-...`); a SICI DOI
    broken at a space (`...(2003)057 [0262:NFPITC]2.0.CO;2`) is joined. None if there is none."""
    if not value:
        return None
    value = value.strip()
    if "&" in value:
        value = markup(value)
    if "%" in value:
        value = unquote(value)
    from_url = value[:4].lower() == "http"
    value = _DOI_PREFIX.sub("", value)
    match = _DOI.search(value)
    if not match:
        return None
    found = match.group(0)
    if "(" in found and ".co;2" not in found.lower():
        rest = _SICI_REST.match(value, match.end())
        if rest:
            found += rest.group(1)
    tag = _HTML_TAG_START.search(found)
    if tag:
        found = found[:tag.start()]
    if from_url:
        found = found.split("?", 1)[0].split("#", 1)[0]
    while (tail := _URL_TAIL.search(found)) and tail.start() > found.index("/") + 1:
        found = found[:tail.start()]
    stripped = found.rstrip(".,;:)]}>'\"&")
    for close, open_ in ((")", "("), ("]", "[")):  # a DOI's own closing bracket stays
        while (found[len(stripped):].startswith(close)
               and stripped.count(open_) > stripped.count(close)):
            stripped += close
    found = stripped
    prefix, _, suffix = found.partition("/")
    return f"{prefix}/{suffix.lstrip('/')}".lower() if suffix.strip("/") else None


def find_doi(value: str | None) -> str | None:
    """The first DOI mentioned anywhere in a text."""
    return doi(value) if value and _DOI.search(value) else None


def doi_in(fields: list[str], mentions: list[str] = ()) -> str | None:
    """The DOI of a record: from the first DOI field that holds one, else from the first other field
    that names one (its value starts with `10.` or says `doi`)."""
    for value in fields:
        found = doi(value)
        if found:
            return found
    for value in mentions:
        if value.startswith("10.") or "doi" in value.lower():
            found = find_doi(value)
            if found:
                return found
    return None


_PMID = re.compile(r"\b(\d{1,10})\b")
_PMCID = re.compile(r"PMC\s*(\d+)", re.I)
_PMCID_DIGITS = re.compile(r"\s*(\d{4,9})\s*")
_YEAR_IN = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|2100)(?!\d)")


def pmid(value: str | None) -> str | None:
    """Digits of a PubMed ID without leading zeros, or None."""
    if not value:
        return None
    match = _PMID.search(str(value))
    return match.group(1).lstrip("0") or None if match else None


def pmcid(value: str | None) -> str | None:
    """`PMC` followed by digits, or None."""
    if not value:
        return None
    match = _PMCID.search(str(value))
    if match:
        return f"PMC{match.group(1)}"
    digits = _PMCID_DIGITS.fullmatch(str(value))
    return f"PMC{digits.group(1)}" if digits else None


def year(value: str | int | None) -> int | None:
    """A four-digit year between 1500 and 2100 found in the value."""
    if value is None:
        return None
    if isinstance(value, int):
        return value if 1500 <= value <= 2100 else None
    match = _YEAR_IN.search(value)
    return int(match.group(1)) if match else None


_MONTHS = {name: n for n, names in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1) for name in (names, names[:3])}
_MONTHS.update(sept=9, june=6, july=7)
_NUMERIC_DATE = re.compile(r"(\d{4})(?:[-/. ](\d{1,2})(?:[-/. ](\d{1,2}))?)?(?!\d)")
_COMPACT_DATE = re.compile(r"(\d{4})(\d\d)(\d\d)")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{4})")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")


def date(value: str | None, year_given: str | int | None = None) -> str | None:
    """A date as ISO 8601 with the precision the source gave: `2003 Nov 22`, `December  2, 2021`,
    `DEC 16 2020`, `2020/03/01/` -> `YYYY-MM-DD`; `2016 Mar-Apr`, `2020-Dec` -> `YYYY-MM`;
    `2012///`, `Spring 2020` -> `YYYY`. A date without its year (`DEC 16`, WoS's PD beside PY)
    takes `year_given`. `03/04/2020` (month or day first?) keeps only its year. None when no year
    can be told."""
    if not value:
        return None
    fallback = year(year_given) if year_given is not None else None
    return _date(str(value).strip(), fallback)


@lru_cache(maxsize=4096)
def _date(value: str, fallback: int | None) -> str | None:
    if match := _COMPACT_DATE.fullmatch(value):
        return _iso(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    tokens = _TOKEN.findall(value)
    words = [t for t in tokens if not t.isdigit()]
    month_at = next((i for i, t in enumerate(tokens) if not t.isdigit() and t.lower() in _MONTHS), None)
    years = [int(t) for t in tokens if len(t) == 4 and t.isdigit() and 1500 <= int(t) <= 2100]
    found_year = years[0] if years else fallback
    if found_year is None:
        return None
    month = day = None
    if month_at is not None:
        month = _MONTHS[tokens[month_at].lower()]
        for near in (month_at + 1, month_at - 1):
            if 0 <= near < len(tokens) and tokens[near].isdigit() and len(tokens[near]) <= 2:
                day = int(tokens[near])
                break
    elif not words or all(w.lower() in ("t", "z", "undefined") for w in words):
        if match := _NUMERIC_DATE.match(value):
            month = int(match.group(2)) if match.group(2) else None
            day = int(match.group(3)) if match.group(3) else None
        elif match := _DAY_FIRST.fullmatch(value):
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                month, day = second, first
            elif second > 12 >= first:
                month, day = first, second
        elif match := _MONTH_YEAR.fullmatch(value):
            month = int(match.group(1))
    return _iso(found_year, month, day)


def _iso(year_: int, month: int | None, day: int | None) -> str:
    if month is None or not 1 <= month <= 12:
        return f"{year_:04d}"
    if day is None or not 1 <= day <= calendar.monthrange(year_, month)[1]:
        return f"{year_:04d}-{month:02d}"
    return f"{year_:04d}-{month:02d}-{day:02d}"


def date_precision(value: str | None) -> int:
    """0 for no date, 1 a year, 2 a month, 3 a day (of an ISO date from `date`)."""
    return value.count("-") + 1 if value else 0


def doc_type(labels: str | list[str] | None) -> tuple[str | None, str | None, str | None]:
    """(CSL type, subtype, original) from a source's type labels, through `litcorpus.doc_types`.

    Each value may hold several labels joined by `;` (WoS `Article; Early Access`). The type is the
    first label's that decides one; the subtype the first of `doc_types.SUBTYPES` any label gives;
    the original the labels as printed. A label of the form `Journal: Conference Abstract` or
    `Review: PDF Only` is read whole, else by its parts."""
    if not labels:
        return None, None, None
    return _doc_type(tuple([labels] if isinstance(labels, str) else labels))


@lru_cache(maxsize=1024)
def _doc_type(labels: tuple[str, ...]) -> tuple[str | None, str | None, str | None]:
    printed = list(dict.fromkeys(p for value in labels if value
                                 for p in (" ".join(v.split()) for v in value.split(";")) if p))
    if not printed or all(p in PLACEHOLDERS for p in printed):
        return None, None, None
    kind = subtype = None
    for label in printed:
        meaning = doc_types.CODE_MEANINGS.get(label) or doc_types.LABELS.get(doc_types.fold_label(label))
        if meaning is None and ":" in label:
            parts = [doc_types.LABELS.get(doc_types.fold_label(p)) for p in label.split(":")]
            meaning = next((m for m in parts if m and m[0]), None) or next((m for m in parts if m), None)
        if meaning is None:
            continue
        kind = kind or meaning[0]
        if meaning[1] and (subtype is None or
                           doc_types.SUBTYPES.index(meaning[1]) < doc_types.SUBTYPES.index(subtype)):
            subtype = meaning[1]
    return kind, subtype, "; ".join(printed)


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
    parts = _name_parts(value) if value else None
    return Author(family=parts[0], given=parts[1]) if parts else None


def author_family_first(value: str | None) -> Author | None:
    """A name printed family first without a comma: `Lewis Richard Q`, `Baxter Vanessa`."""
    parts = _family_first_parts(value) if value else None
    return Author(family=parts[0], given=parts[1]) if parts else None


Parts = tuple[str | None, str | None]


@lru_cache(maxsize=1 << 14)
def _name_parts(value: str) -> Parts | None:
    value = text(value)
    if not value:
        return None
    value = value.strip(" ;,")
    if "," in value:
        family, _, given = value.partition(",")
        family, given = family.strip(), given.strip().strip(",").strip()
        return (family or None, given or None) if family or given else None
    tokens = value.split()
    if len(tokens) == 1:
        return tokens[0], None
    if not tokens:
        return None
    if _is_initials(tokens[-1]):
        return " ".join(tokens[:-1]), tokens[-1]
    lowered = [t.lower() for t in tokens]
    for i, token in enumerate(lowered[:-1]):
        if i > 0 and token in _PARTICLES:
            return " ".join(tokens[i:]), " ".join(tokens[:i])
    return tokens[-1], " ".join(tokens[:-1])


@lru_cache(maxsize=1 << 14)
def _family_first_parts(value: str) -> Parts | None:
    value = text(value)
    if not value:
        return None
    if "," in value:
        return _name_parts(value)
    tokens = value.split()
    if len(tokens) == 1:
        return tokens[0], None
    split = 1
    while split < len(tokens) - 1 and tokens[split - 1].lower() in _PARTICLES:
        split += 1
    return " ".join(tokens[:split]), " ".join(tokens[split:])


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


def record(raw: RawRecord) -> Record:
    """The canonical record of a parser's raw record: every value made canonical here."""
    return Record(**values(raw))


def values(raw: RawRecord) -> dict:
    """The values of `record(raw)`, by field name: only those it has (none left at its default
    but `kind` and `origins`), each of the type its field takes. Ingest stores them as the record
    (`corpus.values_json`) without building the `Record`."""
    values: dict = {"kind": raw.kind, "origins": raw.origins}  # only what the record has
    for name in _TEXT_FIELDS:
        value = getattr(raw, name)
        if value is not None and (value := field_text(value)) is not None:
            values[name] = value
    if "title" in values:
        values["title"] = values["title"].rstrip(" ")
    if raw.abstract is not None and (abstract := field_text(raw.abstract, paragraphs=True)):
        values["abstract"] = abstract
    if raw.authors and (authors := _authors(raw.authors, raw.names_family_first)):
        values["authors"] = authors
    found_year = year(field_text(raw.year) if isinstance(raw.year, str) else raw.year)
    found_date = date(field_text(raw.date), found_year) if raw.date else None
    found_year = found_year or (int(found_date[:4]) if found_date else None)
    pages_ = _pages(raw.pages, raw.page_end, raw.article_number)
    kind, subtype, original = doc_type(raw.doc_type)
    for name, value in (
            ("year", found_year), ("date", found_date), ("pages", pages_),
            ("doi", doi_in(raw.doi, raw.doi_mentions) if raw.doi or raw.doi_mentions else None),
            ("pmid", pmid(raw.pmid)), ("pmcid", pmcid(raw.pmcid)),
            ("language", language.code(field_text(raw.language)) if raw.language else None),
            ("doc_type", kind), ("doc_subtype", subtype), ("doc_type_original", original)):
        if value is not None:
            values[name] = value
    if raw.keywords and (keywords := _keywords(raw.keywords, raw.keywords_comma)):
        values["keywords"] = keywords
    if raw.affiliations and (affiliations := _texts(raw.affiliations)):
        values["affiliations"] = affiliations
    if raw.references and (references := [r for r in map(text, raw.references) if r]):
        values["references"] = references
    if raw.translations and (translations := _translations(raw.translations, True)):
        values["translations"] = translations
    if raw.title_translations and (titles := _translations(raw.title_translations, False)):
        values["title_translations"] = titles
    return values


def fix_record(record: Record) -> Record:
    """Make a `Record` canonical in place, as `record` does for a raw one: for formats that build
    `Record`s themselves, and for records stored by an older litcorpus. Canonical values stay as
    they are (`fix_record(fix_record(r)) == fix_record(r)`)."""
    values = record.__dict__
    changed = {name: field_text(values[name]) for name in _TEXT_FIELDS if values[name] is not None}
    if changed.get("title"):
        changed["title"] = changed["title"].rstrip(" ")
    found_year = year(record.year)
    found_date = date(field_text(record.date), found_year) if record.date else None
    kind, subtype, original = doc_type(record.doc_type_original or record.doc_type)
    changed.update(
        abstract=field_text(record.abstract, paragraphs=True), pages=pages(record.pages),
        doi=doi(record.doi), pmid=pmid(record.pmid), pmcid=pmcid(record.pmcid),
        year=found_year or (int(found_date[:4]) if found_date else None), date=found_date,
        doc_type=kind, doc_type_original=original,
        doc_subtype=subtype or (record.doc_subtype if record.doc_subtype in doc_types.SUBTYPES else None))
    if record.language is not None:
        changed["language"] = language.code(record.language)
    for name in ("keywords", "affiliations"):
        if values[name]:
            changed[name] = _texts(values[name])
    if record.references:
        changed["references"] = list(filter(None, map(text, record.references)))
    if record.translations:
        changed["translations"] = _translations(record.translations, True)
    if record.title_translations:
        changed["title_translations"] = _translations(record.title_translations, False)
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


_TEXT_FIELDS = ("title", "journal", "volume", "issue", "publisher", "issn", "url")
_NOT_AUTHORS = frozenset(("et al", "et al.", "anonymous", "anon", "[anonymous]"))


def _texts(values: list[str]) -> list[str]:
    """Each value through `text`, empty ones, placeholders and repeats left out, order kept."""
    return [v for v in dict.fromkeys(map(text, values)) if v and v not in PLACEHOLDERS]


def _translations(values: dict[str, str], paragraphs: bool) -> dict[str, str]:
    return {k: v for k, v in ((k, field_text(v, paragraphs)) for k, v in values.items()) if v}


_KEYWORD_BREAK = re.compile(r"\s*[;；]\s*")
_KEYWORD_COMMA = re.compile(r"\s*[,，]\s*")


def _keywords(values: list[str], comma: bool) -> list[str]:
    """Keywords one by one: each value split at semicolons (a value without one at commas, for a
    source that writes the list in one comma-separated field), cleaned, repeats left out."""
    found = []
    for value in values:
        if ";" in value or "；" in value:
            found.extend(_KEYWORD_BREAK.split(value))
        elif comma and ("," in value or "，" in value):
            found.extend(_KEYWORD_COMMA.split(value))
        else:
            found.append(value)
    return _texts(found)


def _pages(first: str | None, last: str | None, article_number: str | None) -> str | None:
    """The page range, from one value or from first and last page, else the article number."""
    first, last = field_text(first), field_text(last)
    if first and last and last != first:
        first = f"{first}-{last}"
    return pages(first) or pages(field_text(article_number))


def _authors(raw: list, family_first: bool) -> list[Author]:
    split = _family_first_parts if family_first else _name_parts
    found = []
    for item in raw:
        if isinstance(item, Author):
            family, given = text(item.family), text(item.given)
            if family or given:
                found.append(Author(family=family, given=given, affiliations=_texts(item.affiliations))
                             if (family, given) != (item.family, item.given) or item.affiliations
                             else item)
            continue
        name = item if isinstance(item, str) else item.name
        if not name or name in PLACEHOLDERS or name.strip().lower() in _NOT_AUTHORS:
            continue
        parts = split(name)
        if parts is None:
            continue
        if isinstance(item, RawName) and item.affiliations:
            found.append(Author(family=parts[0], given=parts[1], affiliations=_texts(item.affiliations)))
        else:
            found.append(Author(family=parts[0], given=parts[1]))
    return found


__all__ = [
    "author", "author_family_first", "clear_caches", "date", "date_precision", "doc_type", "doi",
    "doi_in", "field_text", "find_doi", "first_page", "fix_record", "fold", "looks_clean",
    "markup", "name_key", "pages", "pages_full", "pmcid", "pmid", "record", "section", "text",
    "title_key", "values", "year",
]
