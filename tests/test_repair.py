"""Broken Unicode repaired as ftfy repairs it: `repair.fix_text` skips ftfy's idle steps and must
give `ftfy.fix_text`'s result, character for character."""

from __future__ import annotations

import ftfy
import pytest

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
