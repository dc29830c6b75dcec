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

The encoding repair is ftfy's own step (`_fix_encoding_one_step_and_explain`), repeated as
`ftfy.fix_encoding` repeats it, but the question that opens each step, whether ftfy's mojibake
pattern (`badness.BADNESS_RE`) matches anywhere, is asked only where a match can start: every
match of that pattern holds a character outside ASCII within its first `_REACH` + 1 characters
(read from the pattern itself when this module is imported), so the pattern is tried only at
those few positions, not at each of an abstract's thousand-odd ASCII characters.
"""

from __future__ import annotations

import re
import types
import unicodedata
from re import _constants as _c
from re import _parser

import ftfy
from ftfy import badness, chardata, fixes

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
            text = settled = fix_encoding(text)
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


def fix_encoding(text: str) -> str:
    """`ftfy.fix_encoding(text)`: ftfy's encoding step until it changes nothing, the step not run
    on a text it would leave as it is (all ASCII, or nothing `is_bad` finds)."""
    if _one_step is None or _REACH is None:
        return ftfy.fix_encoding(text)
    while True:
        if not text or text.isascii() or not is_bad(text):  # what ftfy's step checks first
            return text
        fixed = _one_step(text, _CONFIG).text
        if fixed == text:
            return text
        text = fixed


def is_bad(text: str) -> bool:
    """`ftfy.badness.is_bad(text)`: whether ftfy's mojibake pattern matches somewhere, tried only
    within `_REACH` characters before each character outside ASCII."""
    starts, last = [], 0
    for run in _NON_ASCII.finditer(text):
        starts.extend(range(max(run.start() - _REACH, last), run.end()))
        last = run.end()
    if len(starts) * 4 > len(text):  # mostly non-ASCII: one scan costs less
        return badness.is_bad(text)
    match = badness.BADNESS_RE.match
    return any(match(text, start) for start in starts)


def _ascii_reach(pattern: re.Pattern) -> int | None:
    """The most characters a match of `pattern` can hold before its first character outside ASCII,
    when every match holds one and the pattern is simple enough to tell (a choice of sequences of
    single characters, optional ones among them); else None."""
    if pattern.flags & re.IGNORECASE:
        return None
    items = list(_parser.parse(pattern.pattern, pattern.flags))
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is _c.BRANCH else [items]
    reach = 0
    for branch in branches:
        offset = 0
        for op, value in branch:
            if op is _c.AT:  # `^`: takes no character
                continue
            if op is _c.MAX_REPEAT or op is _c.MIN_REPEAT:
                low, high, inner = value[0], value[1], list(value[2])
                if len(inner) != 1 or high > 4:
                    return None
                ascii_ = _may_be_ascii(*inner[0])
                if ascii_ is None:
                    return None
                if low == 0 or ascii_:
                    offset += high
                    continue
                break  # at least one character outside ASCII here
            ascii_ = _may_be_ascii(op, value)
            if ascii_ is None:
                return None
            if not ascii_:
                break
            offset += 1
        else:
            return None  # a match of this branch may be all ASCII
        reach = max(reach, offset)
    return reach


def _may_be_ascii(op, value) -> bool | None:
    """Whether one item of a parsed pattern may match an ASCII character; None when it is not an
    item matching one character."""
    if op is _c.LITERAL:
        return value < 128
    if op is _c.NOT_LITERAL or op is _c.ANY:
        return True
    if op is _c.IN:
        return any(kind is _c.NEGATE or kind is _c.CATEGORY or kind is _c.LITERAL and item < 128
                   or kind is _c.RANGE and item[0] < 128 for kind, item in value)
    return None


_NON_ASCII = re.compile("[^\x00-\x7f]+")
try:
    _REACH = _ascii_reach(badness.BADNESS_RE)
except Exception:  # noqa: BLE001 - a pattern this reading does not foresee: ftfy's own check
    _REACH = None


def _rebound(function: types.FunctionType, **names: object) -> types.FunctionType:
    """`function`, its code unchanged, with some of the global names it reads bound otherwise."""
    return types.FunctionType(function.__code__, {**function.__globals__, **names},
                              function.__name__, function.__defaults__, function.__closure__)


_one_step = getattr(ftfy, "_fix_encoding_one_step_and_explain", None)
"""ftfy's one step of encoding repair (ftfy 6); without it, `ftfy.fix_encoding` is called. The step
opens with ftfy's `is_bad`, a scan of the whole text that `fix_encoding` has just made: it reads
this module's `is_bad` instead, the same answer tried only near characters outside ASCII (on the
abstracts file of BENCHMARKS.md, 14 ms of the 54 its 42 mojibake abstracts took)."""
if _one_step is not None and _REACH is not None and "is_bad" in _one_step.__code__.co_names:
    _one_step = _rebound(_one_step, is_bad=is_bad)
_CONFIG = ftfy.TextFixerConfig(explain=False)
"""The settings `ftfy.fix_encoding` runs its steps with."""
