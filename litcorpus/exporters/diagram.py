"""The complete PRISMA 2020 flow diagram as inline SVG: previous studies, new studies via databases
and registers, new studies via other methods, from identification to inclusion.

Each box is a `<g class="box">` whose `data-box` is the PRISMA2020 template's box name (box1 ...
box16, and the title bars prevstud, newstud, othstud, identification, screening, included), so a
box of the drawing and a row of the CSV name each other. Counts litcorpus knows are filled in;
the others read "(n = )" for the review team to fill in. Text is wrapped to its box's width and
boxes grow to their text, so nothing overlaps whatever the number of databases.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

from litcorpus.exporters.prisma import PrismaCounts

CHAR = 7.2        # px a character may take at FONT: wrapping is conservative on purpose
FONT = 12
LINE = 16
PAD = 9
GAP = 34          # vertical space between rows (arrows run there)
NBSP = "\u00a0"
INDENT = 14
# columns: x, width
LABELS = (10, 30)
PREVIOUS = (52, 180)
DB_MAIN = (254, 250)
DB_SIDE = (534, 262)
OTHER_MAIN = (828, 220)
OTHER_SIDE = (1078, 230)
WIDTH = 1320
BLUE, YELLOW, GREY = "#a9c7e8", "#ffd966", "#d9d9d9"


def n(value: int | str | None) -> str:
    """`(n = 19)`, or `(n = )` for a count to fill in."""
    return f"(n = {'' if value is None else value})"


@dataclass
class Box:
    name: str
    column: tuple[int, int]
    lines: list[str]
    fill: str = "#ffffff"
    y: float = 0
    height: float = 0

    @property
    def x(self) -> int:
        return self.column[0]

    @property
    def width(self) -> int:
        return self.column[1]

    def wrapped(self) -> list[tuple[int, str]]:
        """(indent, text) of each line wrapped to the box, a count `(n = 12)` never split; a line
        written with leading spaces is indented, as the databases under "Databases" are."""
        out = []
        for line in self.lines:
            indent = INDENT if line.startswith(" ") else 0
            chars = max(10, int((self.width - 2 * PAD - indent) / CHAR))
            kept = line.strip().replace("(n = ", f"(n{NBSP}={NBSP}")
            parts = textwrap.wrap(kept, chars, break_long_words=True) or [""]
            out.extend((indent, part.replace(NBSP, " ")) for part in parts)
        return out

    def natural_height(self) -> float:
        return len(self.wrapped()) * LINE + 2 * PAD

    def svg(self) -> str:
        texts = "".join(
            f'<tspan x="{self.x + PAD + indent}" y="{self.y + PAD + (i + 1) * LINE - 4:.0f}">'
            f'{escape(line)}</tspan>' for i, (indent, line) in enumerate(self.wrapped()))
        return (f'<g class="box" data-box="{self.name}"><rect x="{self.x}" y="{self.y:.0f}" '
                f'width="{self.width}" height="{self.height:.0f}" fill="{self.fill}" '
                f'stroke="#333"/><text font-size="{FONT}">{texts}</text></g>')


def _bar(name: str, x: float, y: float, width: float, height: float, text: str, fill: str,
         vertical: bool = False) -> str:
    cx, cy = x + width / 2, y + height / 2
    turn = f' transform="rotate(-90 {cx:.0f} {cy:.0f})"' if vertical else ""
    return (f'<g class="bar" data-box="{name}"><rect x="{x:.0f}" y="{y:.0f}" width="{width:.0f}" '
            f'height="{height:.0f}" rx="5" fill="{fill}" stroke="#333"/><text x="{cx:.0f}" '
            f'y="{cy + 5:.0f}" text-anchor="middle" font-size="{FONT + 1}" font-weight="bold"'
            f'{turn}>{escape(text)}</text></g>')


def _arrow(points: list[tuple[float, float]]) -> str:
    path = " ".join(f"{x:.0f},{y:.0f}" for x, y in points)
    return (f'<polyline class="arrow" points="{path}" fill="none" stroke="#333" stroke-width="1.4" '
            f'marker-end="url(#prisma-arrow)"/>')


def flow_diagram(found: PrismaCounts) -> str:
    """The diagram of `found`'s counts (the same numbers as the PRISMA CSV)."""
    databases = [f"    {name} {n(count)}" for name, count in found.by_database.items()]
    rows: list[list[Box]] = [
        [Box("box1", PREVIOUS, [f"Studies included in previous version of review {n(None)}",
                                f"Reports of studies included in previous version of review "
                                f"{n(None)}"]),
         Box("box2", DB_MAIN, ["Records identified from:",
                               f"Databases {n(found.identified)}", *databases,
                               f"Registers {n(0)}"]),
         Box("box3", DB_SIDE, ["Records removed before screening:",
                               f"Duplicate records {n(found.duplicates)}",
                               "Records marked as ineligible by automation tools "
                               f"{n(found.excluded_automatic)}",
                               f"Records removed for other reasons {n(found.excluded_other)}"]),
         Box("box11", OTHER_MAIN, ["Records identified from:", f"Websites {n(None)}",
                                   f"Organisations {n(None)}", f"Citation searching {n(None)}"])],
        [Box("box4", DB_MAIN, [f"Records screened {n(found.records_screened)}"]),
         Box("box5", DB_SIDE, [f"Records excluded {n(None)}"])],
        [Box("box6", DB_MAIN, [f"Reports sought for retrieval {n(None)}"]),
         Box("box7", DB_SIDE, [f"Reports not retrieved {n(None)}"]),
         Box("box12", OTHER_MAIN, [f"Reports sought for retrieval {n(None)}"]),
         Box("box13", OTHER_SIDE, [f"Reports not retrieved {n(None)}"])],
        [Box("box8", DB_MAIN, [f"Reports assessed for eligibility {n(None)}"]),
         Box("box9", DB_SIDE, ["Reports excluded:", f"Reason 1 {n(None)}", f"Reason 2 {n(None)}",
                               f"Reason 3 {n(None)}"]),
         Box("box14", OTHER_MAIN, [f"Reports assessed for eligibility {n(None)}"]),
         Box("box15", OTHER_SIDE, ["Reports excluded:", f"Reason 1 {n(None)}",
                                   f"Reason 2 {n(None)}", f"Reason 3 {n(None)}"])],
        [Box("box10", DB_MAIN, [f"New studies included in review {n(None)}",
                                f"Reports of new included studies {n(None)}"])],
        [Box("box16", DB_MAIN, [f"Total studies included in review {n(None)}",
                                f"Reports of total included studies {n(None)}"])],
    ]
    for box in rows[0]:
        box.fill = "#eef5ff" if box.name == "box2" else box.fill
    top = 62
    y = top
    for row in rows:
        height = max(box.natural_height() for box in row)
        for box in row:
            box.y, box.height = y, height
        y += height + GAP
    bottom = y - GAP
    by = {box.name: box for row in rows for box in row}
    bars = [
        _bar("prevstud", PREVIOUS[0], 10, PREVIOUS[1], 40, "Previous studies", GREY),
        _bar("newstud", DB_MAIN[0], 10, DB_SIDE[0] + DB_SIDE[1] - DB_MAIN[0], 40,
             "Identification of new studies via databases and registers", YELLOW),
        _bar("othstud", OTHER_MAIN[0], 10, OTHER_SIDE[0] + OTHER_SIDE[1] - OTHER_MAIN[0], 40,
             "Identification of new studies via other methods", GREY),
        _bar("identification", LABELS[0], top, LABELS[1], by["box2"].height, "Identification", BLUE,
             vertical=True),
        _bar("screening", LABELS[0], by["box4"].y, LABELS[1],
             by["box8"].y + by["box8"].height - by["box4"].y, "Screening", BLUE, vertical=True),
        _bar("included", LABELS[0], by["box10"].y, LABELS[1], bottom - by["box10"].y, "Included",
             BLUE, vertical=True),
    ]

    def below(a: str, b: str) -> str:
        upper, lower = by[a], by[b]
        x = upper.x + upper.width / 2
        return _arrow([(x, upper.y + upper.height), (x, lower.y - 2)])

    def beside(a: str, b: str) -> str:
        left, right = by[a], by[b]
        y = left.y + left.height / 2
        return _arrow([(left.x + left.width, y), (right.x - 2, y)])

    box10, box14, box1, box16 = by["box10"], by["box14"], by["box1"], by["box16"]
    arrows = [
        below("box2", "box4"), beside("box2", "box3"), beside("box4", "box5"),
        below("box4", "box6"), beside("box6", "box7"), below("box6", "box8"),
        beside("box8", "box9"), below("box8", "box10"), below("box10", "box16"),
        below("box11", "box12"), beside("box12", "box13"), below("box12", "box14"),
        beside("box14", "box15"),
        _arrow([(box14.x + box14.width / 2, box14.y + box14.height),
                (box14.x + box14.width / 2, box10.y + box10.height / 2),
                (box10.x + box10.width + 2, box10.y + box10.height / 2)]),
        _arrow([(box1.x + box1.width / 2, box1.y + box1.height),
                (box1.x + box1.width / 2, box16.y + box16.height / 2),
                (box16.x - 2, box16.y + box16.height / 2)]),
    ]
    height = bottom + 12
    return "".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" class="prisma" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="PRISMA 2020 flow diagram">',
        '<defs><marker id="prisma-arrow" markerWidth="10" markerHeight="10" refX="8" refY="3" '
        'orient="auto"><path d="M0,0 L8,3 L0,6 z" fill="#333"/></marker></defs>',
        *bars, *(box.svg() for row in rows for box in row), *arrows, "</svg>"])
