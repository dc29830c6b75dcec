"""Pieces shared by the parsers of pages saved as text: abstract sections and reference lists."""

from __future__ import annotations

import re

ABSTRACT_HEADINGS = frozenset(
    h.lower() for h in (
        "Background", "Introduction", "Objective", "Objectives", "Aim", "Aims", "Purpose",
        "Context", "Methods", "Method", "Design", "Setting", "Settings", "Participants",
        "Interventions", "Design and methods", "Methods and analysis", "Materials and methods",
        "Design/methodology/approach", "Results", "Findings", "Main outcome measures",
        "Conclusions", "Conclusion", "Interpretation", "Discussion", "Implications",
        "Trial registration", "Originality/value", "Research limitations/implications",
        "Practical implications", "Social implications", "Policy points", "Funding",
    )
)

REFERENCE_NOISE = re.compile(
    r"^(?:(?:Article|PubMed|PubMed Central|Google Scholar|CAS|MathSciNet|ADS|Crossref|"
    r"Web of Science|Scopus)\s*)+$"
)
_NUMBERED = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})\.)\s+(.+)$")


def is_heading(line: str) -> bool:
    """A line that is only an abstract section heading (`Background`, `Methods`, ...)."""
    return line.strip().rstrip(":").lower() in ABSTRACT_HEADINGS


def structured_abstract(lines: list[str]) -> tuple[list[str], int]:
    """Read an abstract from `lines` (blank lines already removed).

    Headings on their own line are joined to their paragraph as `Heading: text`. Reading stops at
    the first line that is neither a heading nor the paragraph after one, except that an
    unstructured abstract (one paragraph, no heading) is read as that paragraph.
    Returns (paragraphs, number of lines used).
    """
    paragraphs: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if is_heading(line) and i + 1 < len(lines) and not is_heading(lines[i + 1]):
            paragraphs.append(f"{line.rstrip(':')}: {lines[i + 1].strip()}")
            i += 2
        elif i == 0:
            paragraphs.append(line)
            i += 1
            break
        else:
            break
    return paragraphs, i


def numbered_references(lines: list[str]) -> list[str]:
    """References from a numbered list (`1. …` or `[1] …`); link noise lines are dropped and
    unnumbered lines continue the reference before them."""
    references: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line or REFERENCE_NOISE.match(line):
            continue
        match = _NUMBERED.match(line)
        if match:
            references.append(match.group(3).strip())
        elif references:
            references[-1] = f"{references[-1]} {line}"
    return references


def line_index(lines: list[str], start: int, predicate) -> int | None:
    """Index of the first line at or after `start` that satisfies `predicate`."""
    for i in range(start, len(lines)):
        if predicate(lines[i]):
            return i
    return None
