"""pypdfium2 against pdfminer.six and pypdf on the 13 shared PDFs: speed and results.

    python bench/pdf_libraries.py     (make bench-pdf-libraries installs the other two first)

Each library reads what litcorpus reads (the first two pages and the last) into the same lines
with font sizes (`litcorpus.formats.pdf.Line`), and the same reading (`formats.article`) makes the
record, so the difference is the library's alone: the seconds it takes, and how many titles,
DOIs, first authors and years come out right against ../shared/fulltext/MANIFEST.tsv.
PyMuPDF is left out: its AGPL licence does not fit an MIT project.
"""

from __future__ import annotations

import csv
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from rapidfuzz import fuzz  # noqa: E402

from litcorpus import normalize  # noqa: E402
from litcorpus.formats import article, pdf  # noqa: E402
from litcorpus.formats.pdf import Document, Line, Page  # noqa: E402

SHARED = next(p for p in (ROOT.parent / "shared" / "fulltext", ROOT / "fixtures" / "fulltext")
              if p.is_dir())


def pages_wanted(count: int) -> list[int]:
    return sorted({0, 1, count - 1} & set(range(count)))


def with_pdfium(data: bytes) -> Document:
    return pdf.read_document(data)


def with_pdfminer(data: bytes) -> Document:
    import io

    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine
    from pdfminer.pdfpage import PDFPage

    count = sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
    pages = []
    layouts = extract_pages(io.BytesIO(data), page_numbers=pages_wanted(count), laparams=LAParams())
    for number, layout in zip(pages_wanted(count), layouts, strict=True):
        lines = []
        for box in layout:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if not isinstance(line, LTTextLine):
                    continue
                chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
                if not chars:
                    continue
                sizes = {}
                for c in chars:
                    sizes[round(c.size, 1)] = sizes.get(round(c.size, 1), 0) + 1
                main = max(sizes, key=sizes.get)
                text = "".join(c.get_text() if not isinstance(c, LTChar) or c.size >= main * pdf.SMALL
                               else "\u2063" for c in line).strip()
                lines.append(Line(text=" ".join(text.split()), size=main, x0=line.x0,
                                  top=layout.height - line.y1, x1=line.x1, bottom=layout.height - line.y0))
        pages.append(Page(number=number + 1, width=layout.width, height=layout.height, lines=lines))
    return Document(pages=pages, page_count=count, info={}, xmp=pdf.xmp_packets(data))


def with_pypdf(data: bytes) -> Document:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    count = len(reader.pages)
    info = {k.lstrip("/"): str(v) for k, v in (reader.metadata or {}).items()}
    pages = []
    for number in pages_wanted(count):
        page = reader.pages[number]
        height = float(page.mediabox.height)
        runs: list[tuple[float, float, float, str]] = []

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                scale = (tm[3] ** 2 + tm[2] ** 2) ** 0.5 * (cm[3] ** 2 + cm[2] ** 2) ** 0.5
                x = tm[4] * cm[0] + cm[4]
                y = tm[5] * cm[3] + cm[5]
                runs.append((round(size * scale, 1), x, y, text))

        page.extract_text(visitor_text=visit)
        lines: list[Line] = []
        for size, x, y, text in runs:
            last = lines[-1] if lines else None
            if last and abs((height - y) - last.bottom) < 0.4 * max(size, 1):
                last.text = " ".join(f"{last.text} {text}".split())
                last.x1 = max(last.x1, x + len(text) * size * 0.5)
                continue
            lines.append(Line(text=" ".join(text.split()), size=size, x0=x, top=height - y - size,
                              x1=x + len(text) * size * 0.5, bottom=height - y))
        pages.append(Page(number=number + 1, width=float(page.mediabox.width), height=height,
                          lines=lines))
    return Document(pages=pages, page_count=count, info=info, xmp=pdf.xmp_packets(data))


def main() -> None:
    logging.disable(logging.WARNING)  # pypdf warns about every CFF font it cannot fully read
    rows = [r for r in csv.DictReader((SHARED / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t")
            if r["kind"] == "pdf"]
    datas = [(r, (SHARED / r["local_path"]).read_bytes()) for r in rows]
    print(f"{len(rows)} PDFs from {SHARED}")
    print(f"{'library':12} {'seconds':>8} {'titles':>7} {'DOIs':>5} {'authors':>8} {'years':>6}")
    for label, reader in (("pypdfium2", with_pdfium), ("pdfminer.six", with_pdfminer), ("pypdf", with_pypdf)):
        try:
            reader(datas[0][1])
        except ImportError:
            print(f"{label:12} not installed (make bench-pdf-libraries installs it)")
            continue
        best = None
        for _ in range(3):
            start = time.perf_counter()
            documents = []
            for _, data in datas:
                try:
                    documents.append(reader(data))
                except Exception as exc:  # noqa: BLE001 - a library that fails on a file scores nothing
                    documents.append(exc)
            elapsed = time.perf_counter() - start
            best = elapsed if best is None else min(best, elapsed)
        scores = [0, 0, 0, 0]
        for (row, _), document in zip(datas, documents, strict=True):
            if isinstance(document, Exception):
                continue
            result = article.from_document(document, row["local_path"])
            if not result.records:
                continue
            record = result.records[0]
            scores[0] += fuzz.token_set_ratio(normalize.fold(record.title), normalize.fold(row["title"])) >= 90
            scores[1] += (normalize.doi(record.doi) or "") == row["doi"].lower()
            family = record.authors[0].family if record.authors else ""
            scores[2] += bool(family) and normalize.name_key(family).endswith(
                normalize.name_key(row["first_author_family"].rstrip("?")))
            scores[3] += str(record.year) == row["year"]
        cells = " ".join(f"{s:>{w}}/{len(rows)}" for s, w in zip(scores, (4, 2, 5, 3), strict=True))
        print(f"{label:12} {best:8.2f} {cells}")


if __name__ == "__main__":
    main()
