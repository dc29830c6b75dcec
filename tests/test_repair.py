"""Broken Unicode repaired as ftfy repairs it: `repair.fix_text` skips ftfy's idle steps and must
give `ftfy.fix_text`'s result, character for character."""

from __future__ import annotations

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litcorpus import normalize, repair
from tests.conftest import FIXTURES

CASES = [
    # (broken, repaired): mojibake as exports carry it (the first two from abstracts in
    # ../shared/relevance's Kitchenham set), and one case for each step repair may skip
    ("psychological and mindâ€“body therapies", "psychological and mind–body therapies"),
    ("We donâ€™t know how they felt", "We don't know how they felt"),  # ftfy also uncurls quotes
    ("counts <250 Ã— 10(6) cells/L", "counts <250 × 10(6) cells/L"),
    ("more than Â£1200 (â‚¬1488)", "more than £1200 (€1488)"),
    ("implement â€œSepsis Sixâ€\x9d bundle", 'implement "Sepsis Six" bundle'),
    ("a dif\u00ef\u00ac\u0081cult case", "a difficult case"),  # mojibake of a ligature, then the ligature
    ("ＬＯＵＤ　ＮＯＩＳＥＳ â€“ again", "LOUD NOISES – again"),  # full width
    ("tab\x0bbed â€“ text\x7f", "tabbed – text"),  # control characters dropped
    ("P&eacute;rez â€“ &lt;tag&gt;", "Pérez – <tag>"),  # entities decoded...
    ("<i>P&eacute;rez</i> â€“ x", "<i>P&eacute;rez</i> – x"),  # ...but not in a text holding a tag
    ("C1 \x93quoted\x94 text", 'C1 "quoted" text'),
    ("caf\u0065\u0301 Ã©tude", "café étude"),  # NFC
    ("two lines â€“ here\nand Ã© there", "two lines – here\nand é there"),  # ftfy itself
]


@pytest.mark.parametrize(("broken", "repaired"), CASES)
def test_repairs_as_ftfy_does(broken: str, repaired: str) -> None:
    assert ftfy.fix_text(broken) == repaired
    assert repair.fix_text(broken) == repaired


def fixture_lines() -> list[str]:
    """Every line of the fixture exports that holds a character outside ASCII."""
    lines = set()
    for path in sorted((FIXTURES / "formats").rglob("*")):
        if path.is_file() and path.suffix != ".md":
            text = path.read_bytes().decode("utf-8", errors="replace")
            lines.update(line for line in text.split("\n") if not line.isascii())
    return sorted(lines)


def test_every_fixture_line_repaired_as_ftfy_does() -> None:
    lines = fixture_lines()
    assert len(lines) > 1000
    differ = [line for line in lines if repair.fix_text(line) != ftfy.fix_text(line)]
    assert differ == []
    changed = [line for line in lines if repair.fix_text(line) != line]
    assert changed  # some do need repair (quotes, entities, mojibake)


def test_the_normaliser_repairs_mojibake() -> None:
    assert normalize.text("We donâ€™t know  how") == "We don't know how"


def test_mojibake_is_found_where_ftfy_finds_it() -> None:
    """`repair.is_bad` tries ftfy's pattern only near characters outside ASCII; it must answer as
    `ftfy.badness.is_bad` does, a match starting up to two ASCII characters before one included."""
    from ftfy import badness

    cases = ["plain ASCII only", "xa Ã here", "a Ã ", "Ã at the start", "mind\u00e2\u20ac\u201cbody",
             "caf\u00e9 au lait", "ab\u00c3\u00a9", "x. Â (y)", "\u00d7\u00b2", "no\u00a0break space",
             "\u0413\u045e\u0412\u0452\u0412\u00b7x"] + fixture_lines()
    assert [repair.is_bad(text) for text in cases] == [badness.is_bad(text) for text in cases]
    assert repair.is_bad("xa Ã here")  # the match starts at `a`, two characters before `Ã`


def test_a_pattern_that_may_match_ascii_alone_is_searched_whole() -> None:
    import re

    assert repair._ascii_reach(re.compile("[a-z]\\s?[ÃÂ] |é")) == 2
    assert repair._ascii_reach(re.compile("ab|é")) is None  # `ab` holds no character outside ASCII
    assert repair._ascii_reach(re.compile("a+é")) is None  # how far is not told
    assert repair._ascii_reach(re.compile("(?:)?é|(?:ab)?é")) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,\n") + list("ÃÂâ€™œ\u0080\u009dé©±×²ΒГў")),
               max_size=40))
def test_encoding_repair_as_ftfy_on_any_mix(text: str) -> None:
    assert repair.fix_encoding(text) == ftfy.fix_encoding(text)
    assert repair.fix_text(text) == ftfy.fix_text(text)
