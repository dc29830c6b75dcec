"""Language of a text: a cheap script check first, then seeded langdetect; bilingual splitting."""

from __future__ import annotations

import re
from functools import lru_cache

_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[a-z]+")
_ENGLISH = frozenset(
    "the of and to in is are was were for with that this by from on as an be we our were have has "
    "which these between among study results methods".split()
)


@lru_cache(maxsize=1)
def _detector_factory():
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = 0
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory


def detect(value: str | None) -> str | None:
    """ISO 639-1 code of the main language of `value`, or None when it cannot tell.

    Scripts decide first (Chinese, Japanese, Korean, Cyrillic); Latin text that is plainly English by
    its function words skips langdetect, which is seeded so the answer never changes between runs.
    """
    if not value:
        return None
    head = value[:400]  # the opening of a paragraph tells its language; keeps this cheap
    if head.isascii():
        words = _WORD.findall(head.lower())
        if sum(map(len, words)) < 3:
            return None
    else:
        letters = len(_LETTER.findall(head))
        if letters < 3:
            return None
        if len(_KANA.findall(head)) / letters > 0.05:
            return "ja"
        if len(_HANGUL.findall(head)) / letters > 0.3:
            return "ko"
        if len(_CJK.findall(head)) / letters > 0.3:
            return "zh"
        words = _WORD.findall(head.lower()) if len(_CYRILLIC.findall(head)) / letters < 0.3 else []
    if words:
        english = sum(1 for w in words if w in _ENGLISH)
        if (len(words) >= 8 and english / len(words) > 0.12) or (
                len(words) >= 4 and english >= 2 and english / len(words) > 0.15):
            return "en"
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
    if len(paragraph.split()) >= MIN_WORDS:
        return detect(paragraph)
    if paragraph.isascii():
        return None  # too short to tell, and no script to go by: langdetect is not asked
    lang = detect(paragraph)
    return lang if lang in ("zh", "ja", "ko") else None  # told by their script, however short


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

    The record's stated language (from an export's language field) is kept when present.
    """
    if record.abstract:
        paragraphs = record.abstract.split("\n")
        if len(paragraphs) == 1 and record.language:
            return  # one paragraph in the language the export states: nothing to split or detect
        kept, main, others = split_by_language(paragraphs)
        if others and kept:
            record.abstract = "\n".join(kept)
            for lang, paragraphs in others.items():
                joined = "\n".join(paragraphs)
                existing = record.translations.get(lang)
                record.translations[lang] = f"{existing}\n{joined}" if existing else joined
        record.language = record.language or main
    elif record.title and not record.language:
        record.language = detect(record.title) if len(record.title) > 20 else None


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
