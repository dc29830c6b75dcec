"""One self-contained HTML page for the review team: the PRISMA 2020 flow diagram drawn as SVG,
a table per source, the duplicate clusters with the rules that merged them, and the filter's drops
with their reasons. Inline CSS, no scripts, no external assets; every text is escaped."""

from __future__ import annotations

import json
import sqlite3
from html import escape
from typing import TextIO

from litcorpus.exporters import ExportContext, Exporter
from litcorpus.exporters.prisma import counts

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222;max-width:1100px}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border:1px solid #ddd;padding:4px 6px;
text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right}
.muted{color:#666}svg text{font-family:inherit}
"""


def _box(x: int, y: int, w: int, h: int, lines: list[str], fill: str = "#fff") -> str:
    text = "".join(f'<tspan x="{x + w / 2}" dy="{0 if i == 0 else 18}">{escape(line)}</tspan>'
                   for i, line in enumerate(lines))
    return (f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="{fill}" '
            f'stroke="#333"/><text x="{x + w / 2}" y="{y + 26}" text-anchor="middle" '
            f'font-size="14">{text}</text>')


def _arrow(x1: int, y1: int, x2: int, y2: int) -> str:
    return (f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#333" stroke-width="1.5" '
            f'marker-end="url(#arrow)"/>')


def flow_diagram(n: dict) -> str:
    """The PRISMA 2020 identification and screening boxes with their counts, as inline SVG."""
    files = len(n["database_specific_results"])
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="820" height="320" role="img" '
        'aria-label="PRISMA 2020 flow diagram">',
        '<defs><marker id="arrow" markerWidth="10" markerHeight="10" refX="9" refY="3" '
        'orient="auto"><path d="M0,0 L9,3 L0,6 z" fill="#333"/></marker></defs>',
        '<text x="10" y="22" font-size="15" font-weight="bold">Identification</text>',
        _box(10, 40, 360, 110, [f"Records identified (n = {n['database_results']})",
                                f"from {files} input file{'s' if files != 1 else ''}",
                                "(see Sources below)"], "#eef5ff"),
        _box(450, 40, 360, 110, ["Records removed before screening:",
                                 f"Duplicate records (n = {n['duplicates']})",
                                 f"Marked ineligible by automation (n = {n['excluded_automatic']})",
                                 f"Removed for other reasons (n = {n['excluded_other']})"]),
        _arrow(370, 95, 448, 95),
        '<text x="10" y="212" font-size="15" font-weight="bold">Screening</text>',
        _arrow(190, 150, 190, 228),
        _box(10, 230, 360, 70, [f"Records screened (n = {n['records_screened']})"], "#effaf0"),
        "</svg>",
    ]
    return "".join(parts)


def write_report(context: ExportContext, out: TextIO) -> int:
    corpus = context.corpus
    n = counts(context)
    html = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
            "<title>litcorpus report</title>", f"<style>{CSS}</style></head><body>",
            "<h1>litcorpus report</h1>",
            "<h2>PRISMA 2020 flow</h2>", flow_diagram(n)]
    html.append("<h2>Sources</h2><table><tr><th>file</th><th>format</th><th>status</th>"
                "<th>records</th><th>reason</th></tr>")
    for source in corpus.sources():
        html.append(f"<tr><td>{escape(source.file)}</td><td>{escape(source.format or '')}</td>"
                    f"<td>{escape(source.status.value)}</td><td class='n'>{source.records}</td>"
                    f"<td>{escape(source.message)}</td></tr>")
    html.append("</table><h2>Duplicate clusters</h2>")
    clusters = [r for r in corpus.canonical_records() if len(r.merged_from) > 1]
    if not clusters:
        html.append("<p class='muted'>No duplicates linked (has dedupe run?).</p>")
    else:
        rules = _rules(corpus)
        html.append("<table><tr><th>record</th><th>title</th><th>linked input records</th>"
                    "<th>why</th></tr>")
        for record in clusters:
            members = "<br>".join(escape(f"{o.file}:{o.line} ({o.format})") for o in record.origins)
            why = "; ".join(sorted({rules.get(m, "") for m in record.merged_from} - {""}))
            html.append(f"<tr><td>{escape(record.id or '')}</td><td>{escape(record.title or '')}"
                        f"</td><td>{members}</td><td>{escape(why)}</td></tr>")
        html.append("</table>")
    html.append("<h2>Dropped by the relevance filter</h2>")
    decisions = corpus.relevance()
    dropped = [r for r in corpus.canonical_records()
               if decisions.get(r.id, {}).get("decision") == "drop"]
    if not dropped:
        html.append("<p class='muted'>No record dropped (has the filter run?).</p>")
    else:
        html.append("<table><tr><th>record</th><th>title</th><th>reasons</th></tr>")
        for record in dropped:
            reasons = "<br>".join(escape(r) for r in decisions[record.id]["reasons"])
            html.append(f"<tr><td>{escape(record.id or '')}</td><td>{escape(record.title or '')}"
                        f"</td><td>{reasons}</td></tr>")
        html.append("</table>")
    html.append("</body></html>")
    out.write("\n".join(html))
    return 1


def _rules(corpus) -> dict[str, str]:
    """Member id -> the rule that linked it (from dedupe's pair table, when present)."""
    try:
        rows = corpus.db.execute("SELECT a, b, rule, evidence FROM dedupe_pairs "
                                 "WHERE verdict = 'match'").fetchall()
    except sqlite3.OperationalError:  # dedupe never ran: no pair table
        return {}
    found: dict[str, str] = {}
    for a, b, rule, evidence in rows:
        scores = json.loads(evidence)
        title = f", title similarity {scores['title']:.2f}" if "title" in scores else ""
        found[b] = found.get(b) or f"{rule}{title}"
        found[a] = found.get(a) or f"{rule}{title}"
    return found


EXPORTERS = [Exporter("report", write_report,
                      "one self-contained HTML page: PRISMA flow diagram, sources, merges, drops")]
