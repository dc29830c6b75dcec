"""Broken Unicode repaired: `ftfy.fix_text` with its default settings, at less cost.

ftfy repairs a one-line text by running its steps (`ftfy.fix_and_explain`: HTML entities, the
encoding, C1 controls, Latin ligatures, character width, curly quotes, line breaks, surrogates,
terminal escapes, control characters, NFC) over the whole text until a pass changes nothing. On an
abstract with mojibake most of that cost is spent where it buys nothing: three of the steps are
`str.translate` over tables that a text seldom holds a character of, and the second pass runs the
encoding repair again on a text it has just settled. `fix_text` runs the same steps in the same
order, skipping a step only where it cannot change the text: a table step when the text holds none
of its table's characters, the encoding repair on the very text it returned (ftfy's encoding repair
itself repeats until its text stays the same, so it leaves its own result alone). The result is
ftfy's, character for character (tests/test_repair.py holds it to `ftfy.fix_text`); a text of
several lines, or longer than ftfy's segment, goes to `ftfy.fix_text` itself.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy
from ftfy import chardata, fixes

_SEGMENT = ftfy.TextFixerConfig().max_decode_length
"""ftfy repairs a text in segments of at most this many characters, broken at line ends."""


def _any_of(*tables: dict[int, object]) -> re.Pattern:
    """A character class matching every code point that is a key of one of `tables`."""
    codes = sorted(set().union(*tables))
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return re.compile("[" + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                                    for a, b in runs) + "]")


_LIGATURE_OR_WIDE = _any_of(chardata.LIGATURES, chardata.WIDTH_MAP)
_CONTROL = _any_of(chardata.CONTROL_CHARS)


def fix_text(text: str) -> str:
    """`ftfy.fix_text(text)`, the same result at less cost for a one-line text."""
    if "\n" in text or len(text) > _SEGMENT or not text:
        return ftfy.fix_text(text)
    unescape = "<" not in text  # ftfy's unescape_html="auto": not in a text that may be HTML
    settled = None  # the last text ftfy's encoding repair returned
    while True:
        before = text
        if unescape and "&" in text:
            text = fixes.unescape_html(text)
        if text != settled:
            text = settled = ftfy.fix_encoding(text)
        text = fixes.fix_c1_controls(text)
        if _LIGATURE_OR_WIDE.search(text):
            text = fixes.fix_character_width(fixes.fix_latin_ligatures(text))
        text = fixes.uncurl_quotes(text)
        text = fixes.fix_line_breaks(text)
        text = fixes.fix_surrogates(text)
        text = fixes.remove_terminal_escapes(text)
        if _CONTROL.search(text):
            text = fixes.remove_control_chars(text)
        text = unicodedata.normalize("NFC", text)
        if text == before:
            return text
