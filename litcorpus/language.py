"""Language of a text: its script, then the function words it holds, and seeded langdetect only where
neither can tell; bilingual abstracts split by paragraph."""

from __future__ import annotations

import re
from functools import lru_cache

SCRIPTS: tuple[tuple[str, re.Pattern, float], ...] = (
    ("ja", re.compile(r"[\u3040-\u30ff]"), 0.05),          # kana, even among Chinese characters
    ("ko", re.compile(r"[\uac00-\ud7af]"), 0.3),           # hangul
    ("zh", re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]"), 0.3),
    ("el", re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"), 0.3),
    ("he", re.compile(r"[\u0590-\u05ff]"), 0.3),
    ("th", re.compile(r"[\u0e00-\u0e7f]"), 0.3),
    ("ka", re.compile(r"[\u10a0-\u10ff]"), 0.3),
    ("hy", re.compile(r"[\u0530-\u058f]"), 0.3),
)
"""Scripts that tell their language, with the share of letters that shows a text is in it."""
_BY_SCRIPT = frozenset(lang for lang, _, _ in SCRIPTS)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UKRAINIAN = frozenset("їєґі")  # letters of Ukrainian that Russian lacks, and the reverse (Belarusian,
_RUSSIAN = frozenset("ыэё")     # with ў, has both; Bulgarian and Serbian neither: langdetect tells)
_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN = re.compile("[\u0370-\U0010ffff]")  # Greek onwards: Latin letters with accents are below
_WORD = re.compile(r"[a-zß-öø-ÿ]+")
_ASCII_NON_LETTERS = {code: " " for code in range(128) if not 97 <= code <= 122}


def _words(text: str) -> list[str]:
    """The words (`_WORD`'s runs of letters) of a lower-cased text; an ASCII text (most) is cut
    at its other characters instead, the same words at less cost."""
    if text.isascii():
        return text.translate(_ASCII_NON_LETTERS).split()
    return _WORD.findall(text)


FUNCTION_WORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "en": "the of and to in is are was were for with that this by from on as an be we our have has "
          "which these between among its their or not been after than into during who how what "
          "whether can may using study results methods",
    "de": "der die das und in mit von zu den dem des ist sind nicht auf eine ein einer eines bei "
          "für im wurde wurden werden sich auch nach über zur zum oder durch wird wie",
    "fr": "le la les de des du et en est une dans pour par sur avec au aux sont qui que ce cette "
          "pas ou été chez nous leur leurs entre",
    "es": "el la los las de del y en con por para una es se que al como fue son entre sobre sus "
          "más su estudio pacientes",
    "pt": "o os de do da dos das e em um uma com não para por que foi são ao pelo pela entre sobre "
          "seus mais estudo pacientes",
    "it": "il lo la gli le di della delle dei degli da e è in che con una nel nella sono "
          "del studio pazienti",
    "nl": "het een van en de in met voor zijn niet op bij werd worden naar ook dat deze wordt",
}.items()}
"""The commonest words of each language that a paragraph of it can hardly do without. A word of
several languages (`de`, `in`) is a vote shared among them. Only these languages are told by their
words; a paragraph of another goes to langdetect."""
_ENGLISH_ONLY = FUNCTION_WORDS["en"].difference(*(w for k, w in FUNCTION_WORDS.items() if k != "en"))
_NOT_ENGLISH = frozenset().union(*(w for k, w in FUNCTION_WORDS.items() if k != "en"))
_VOTES: dict[str, tuple[tuple[str, float], ...]] = {}
for _word in set().union(*FUNCTION_WORDS.values()):
    _langs = [lang for lang, words in FUNCTION_WORDS.items() if _word in words]
    _VOTES[_word] = tuple((lang, 1 / len(_langs)) for lang in _langs)


@lru_cache(maxsize=1)
def _detector_factory():
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = 0
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory


def _by_words(words: list[str]) -> str | None:
    """The language whose function words the words plainly hold: more than twice the votes of any
    other language, and two of its words at least, over one word in eight."""
    english = sum(map(_ENGLISH_ONLY.__contains__, words))  # most paragraphs: told in one pass
    if english >= 2 and english * 8 > len(words) and english > 2 * sum(
            map(_NOT_ENGLISH.__contains__, words)):
        return "en"  # what the votes below would give: no other language can reach half of it
    votes: dict[str, float] = {}
    counts: dict[str, int] = {}
    for shares in filter(None, map(_VOTES.get, words)):
        for lang, share in shares:
            votes[lang] = votes.get(lang, 0.0) + share
            counts[lang] = counts.get(lang, 0) + 1
    if not votes:
        return None
    best = max(votes, key=votes.__getitem__)
    most = votes.pop(best)
    if most > 2 * max(votes.values(), default=0.0) and 2 <= counts[best] > len(words) / 8:
        return best
    return None


HEAD = 160
"""Characters of a paragraph's opening that tell its language by script and words; when its words
do not, they are counted over LONG_HEAD characters before langdetect is asked."""
LONG_HEAD = 3000
LANGDETECT_WORDS = 20
"""A paragraph shorter than this is too short for langdetect's letter statistics: left untold when
its script and words cannot tell it. (On the texts of ../shared that the words tell, langdetect
disagreed with them on 0.8 % of those of 5-9 words, 0.2 % of 10-14, 0.02 % of 15-19 and none of
20 or more; of the 3,352 texts the words cannot tell, 36 have 20 words or more.)"""


def detect(value: str | None, langdetect: bool = True) -> str | None:
    """ISO 639-1 code of the main language of `value`, or None when it cannot tell.

    The script decides first (SCRIPTS; Ukrainian and Russian by their own letters), then the
    function words of the commonest languages (FUNCTION_WORDS). Only a text they cannot tell, of
    LANGDETECT_WORDS words or more, goes to langdetect (seeded, so the answer never changes between
    runs; its profiles are loaded on first need), and only when `langdetect` is true: a title alone
    is too short for it to tell reliably.
    """
    if not value:
        return None
    head = value[:HEAD].lower()
    if head.isascii() or not _NON_LATIN.search(head):
        words = _words(head)
        if sum(map(len, words)) < 3:
            return None
    else:
        letters = len(_LETTER.findall(head))
        if letters < 3:
            return None
        for lang, script, share in SCRIPTS:
            if len(script.findall(head)) > share * letters:
                return lang
        if len(_CYRILLIC.findall(head)) / letters >= 0.3:
            ukrainian, russian = bool(_UKRAINIAN.intersection(head)), bool(_RUSSIAN.intersection(head))
            if ukrainian != russian and "ў" not in head:
                return "uk" if ukrainian else "ru"
            words = []
        else:
            words = _words(head)
    found = _by_words(words) if words else None
    if found is None and words and len(value) > HEAD:  # more of the paragraph, before langdetect
        found = _by_words(_words(value[:LONG_HEAD].lower()))
    if found or not langdetect or len(value.split(None, LANGDETECT_WORDS)) < LANGDETECT_WORDS:
        return found
    try:
        from langdetect.lang_detect_exception import LangDetectException

        detector = _detector_factory().create()
        detector.n_trial = 3  # seeded; 3 trials instead of 7 cost a third and agree on prose
        detector.set_max_text_length(600)
        detector.append(value[:600])
        return detector.detect()
    except LangDetectException:
        return None


MIN_WORDS = 8
"""A paragraph in a Latin or Cyrillic script with fewer words (a heading such as `Objective`,
which langdetect calls Croatian) is too short to tell its language; it stays with the main text."""


def _paragraph_language(paragraph: str) -> str | None:
    if len(paragraph.split(None, MIN_WORDS)) >= MIN_WORDS:
        return detect(paragraph)
    if paragraph.isascii():
        return None  # too short to tell, and no script to go by: langdetect is not asked
    lang = detect(paragraph)
    return lang if lang in _BY_SCRIPT else None  # told by its script, however short


def split_by_language(paragraphs: list[str]) -> tuple[list[str], str | None, dict[str, list[str]]]:
    """Split paragraphs into the main language's and the others'.

    The main language is the one of the first paragraph with a detectable language (a PubMed page
    prints the original before any machine translation). Returns (main paragraphs, main language,
    {other language: paragraphs}).
    """
    tagged = [(p, _paragraph_language(p)) for p in paragraphs]
    main = next((lang for _, lang in tagged if lang), None)
    kept: list[str] = []
    others: dict[str, list[str]] = {}
    for paragraph, lang in tagged:
        if lang is None or lang == main:
            kept.append(paragraph)
        else:
            others.setdefault(lang, []).append(paragraph)
    return kept, main, others


def assign(record) -> None:
    """Give `record` a language and move abstract paragraphs in other languages to `translations`.

    The record's stated language (from an export's language field) is kept when present; each
    paragraph's language is told once; a record without an abstract is told by its title's script
    and function words, never by langdetect (a title is too short for it to tell reliably).
    """
    values = {"abstract": record.abstract, "title": record.title, "language": record.language,
              "translations": record.translations}
    assign_values(values)
    for name in ("abstract", "language"):
        if values[name] != getattr(record, name):
            setattr(record, name, values[name])


def assign_values(values: dict) -> None:
    """`assign` on a record's values by field name (`normalize.values`; a missing one is unset):
    `language` set, and `abstract` and `translations` changed, where `assign` sets them."""
    abstract, stated = values.get("abstract"), values.get("language")
    if abstract:
        if "\n" not in abstract:  # one paragraph: nothing to split off
            if not stated:  # a stated language is kept, not checked
                values["language"] = _paragraph_language(abstract)
            return
        kept, main, others = split_by_language(abstract.split("\n"))
        if others and kept:
            values["abstract"] = "\n".join(kept)
            translations = values.get("translations")
            if translations is None:
                translations = values["translations"] = {}
            for lang, paragraphs in others.items():
                joined = "\n".join(paragraphs)
                existing = translations.get(lang)
                translations[lang] = f"{existing}\n{joined}" if existing else joined
        values["language"] = stated or main
    elif values.get("title") and not stated:
        values["language"] = detect(values["title"], langdetect=False)  # script and words only


_NAMES = {"english": "en", "eng": "en", "chinese": "zh", "chi": "zh", "zho": "zh", "german": "de",
          "ger": "de", "deu": "de", "french": "fr", "fre": "fr", "fra": "fr", "spanish": "es",
          "spa": "es", "portuguese": "pt", "por": "pt", "italian": "it", "ita": "it",
          "japanese": "ja", "jpn": "ja", "russian": "ru", "rus": "ru", "korean": "ko", "kor": "ko",
          "dutch": "nl", "dut": "nl", "nld": "nl", "polish": "pl", "pol": "pl", "turkish": "tr",
          "tur": "tr", "swedish": "sv", "swe": "sv", "norwegian": "no", "nor": "no",
          "danish": "da", "dan": "da", "finnish": "fi", "fin": "fi", "czech": "cs", "cze": "cs",
          "persian": "fa", "per": "fa", "arabic": "ar", "ara": "ar", "hungarian": "hu", "hun": "hu"}


def code(value: str | None) -> str | None:
    """ISO 639-1 code for a language as exports print it (`English`, `eng`, `en`), else None."""
    if not value:
        return None
    value = value.strip().lower().split(";")[0].split(",")[0].strip()
    if len(value) == 2 and value.isalpha():
        return value
    return _NAMES.get(value)
