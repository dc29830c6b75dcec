"""Safe XML for the XML formats: defusedxml (no entity expansion, no external entities, a plain
DOCTYPE allowed), namespace-free tag names, element text, and the lines where records start."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from litcorpus.errors import InputError
from litcorpus.formats import line_numbers

Element = Any  # an ElementTree element, as defusedxml returns it


def parse_xml(text: str) -> Element:
    """Parse XML text without expanding entities; bad or hostile XML is a one-line InputError."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)  # the text is already decoded
    try:
        root = fromstring(text, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(f"XML refused: {type(exc).__name__} (entity declarations or external "
                         "references are not read, for safety)") from None
    except ParseError as exc:
        raise InputError(f"broken XML: {exc}") from None
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root


def text_of(element: Element | None) -> str | None:
    """All text inside an element, white space collapsed."""
    if element is None:
        return None
    value = " ".join("".join(element.itertext()).split())
    return value or None


def find_text(element: Element, path: str) -> str | None:
    return text_of(element.find(path))


class Paths(Mapping):
    """The texts at XML paths below one element, for a field map whose keys are paths
    (`titles/title`); a path ending `/@attribute` reads that attribute (`ref-type/@name`)."""

    def __init__(self, element: Element):
        self.element = element

    def __getitem__(self, path: str) -> list[str]:
        path, _, attribute = path.partition("/@") if "/@" in path else (path, "", "")
        nodes = self.element.findall(path)
        found = [node.get(attribute) for node in nodes] if attribute else map(text_of, nodes)
        return [value for value in found if value]

    def get(self, path: str, default=None) -> list[str] | None:
        return self[path] or default

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def start_lines(text: str, tag: str) -> list[int]:
    """1-based lines where each `<tag>` (or `<tag …>`) opens, in document order."""
    return line_numbers(text, [m.start() for m in re.finditer(rf"<{tag}[\s>]", text)])


def line_at(lines: list[int], index: int) -> int | None:
    return lines[index] if index < len(lines) else None
