"""One self-contained HTML page for the review team: the complete PRISMA 2020 flow diagram (SVG),
the records per database and their overlap, the records to act on (the filter's `review` band and
the doubtful duplicate pairs side by side), the merges and drops with their reasons, and the run's
details. Inline CSS, no scripts, no external assets; every text is escaped.

Reasons are shown in words a librarian reads: dedupe's rule names and the filter's reason codes go
through WORDS (code -> words) below; the codes stay in the JSONL export and `litcorpus explain`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from html import escape
from itertools import combinations
from typing import TextIO

from litcorpus.corpus import Corpus
from litcorpus.exporters import ExportContext, Exporter
from litcorpus.exporters.diagram import flow_diagram
from litcorpus.exporters.prisma import counts
from litcorpus.models import Record

# --- reasons in words ------------------------------------------------------------------------
# A reason is a code with values: dedupe's rule name (values: the pair's evidence), or a filter
# reason {"code": ..., **values}. A plain-text filter reason is first read into a code and values
# by LEGACY below. Add a code by adding a line; a value is a text (str.format with the values) or
# a function of the values. An unknown rule falls back to its own description, never to its code.

Words = str | Callable[[dict], str]


def _share(v: dict) -> str:
    words = v.get("words") or []
    return ("shares these words with the profile: " + ", ".join(words) if words
            else "shares words with the profile")


def _neighbours(v: dict) -> str:
    x = float(v["times"])
    if x >= 1.2:
        return "the records most like it in this search are more on-topic than most"
    if x >= 0.8:
        return "the records most like it in this search are about as on-topic as most"
    return "the records most like it in this search are less on-topic than most"


def _odds(v: dict) -> str:
    odds = float(v["odds"])
    if odds >= 0:
        return "its wording fits the main topic of this search"
    if odds > -4:
        return "its wording fits the main topic of this search less well than most records"
    return "its wording places it well outside the main topic of this search"


WORDS: dict[str, Words] = {
    # dedupe rules (litcorpus.dedupe.rules) and a person's decision; a link by weights is
    # described by its fields' agreement (pair_words)
    "person": "a person decided",
    "weights": "the evidence of the fields taken together",
    "weights_guarded": "the fields weigh for one paper, but something printed on both disagrees",
    "weights_doubtful": "the fields leave it in doubt",
    "title_year_author": "near-identical titles of the same year with an author in common",
    "identifiers_differ_else_equal": "everything agrees but the DOIs or PubMed IDs, which differ "
                                     "(one may be an alias, such as JSTOR's)",
    "chain_refused": "joining them would put records together that contradict each other",
    # filter reasons (litcorpus.relevance)
    "seed": "is one of the profile's seed papers",
    "person_decision": "decided by a person",
    "profile_words": _share,
    "no_profile_words": "shares no word with the profile",
    "neighbours": _neighbours,
    "on_topic_odds": _odds,
    "excluded_terms": "mentions terms the profile excludes: {terms}",
    "stands_apart": "stands apart: no other record in this search is close to it in wording",
    "little_text": "has little text to judge ({count} words), so it is never dropped for that "
                   "alone",
}
LEGACY = (  # the filter's reasons as written today: pattern -> code (named groups are values)
    (r"is one of the profile's seed papers", "seed"),
    (r"decided by a person", "person_decision"),
    (r"matches profile words: (?P<stems>.*)", "profile_words"),
    (r"matches none of the profile's words", "no_profile_words"),
    (r"relevance through its nearest neighbours is (?P<times>[\d.]+) x", "neighbours"),
    (r"log-odds (?P<odds>[-+\d.]+) of belonging", "on_topic_odds"),
    (r"mentions excluded terms: (?P<terms>.*)", "excluded_terms"),
    (r"stands apart", "stands_apart"),
    (r"little text \((?P<count>\d+) words\)", "little_text"),
)


def words(code: str, values: dict | None = None, fallback: str = "") -> str:
    """The words for a reason code and its values; `fallback` (or the code made readable) for a
    code WORDS does not know yet."""
    found = WORDS.get(code)
    if found is None:
        return fallback or code.replace("_", " ")
    values = values or {}
    return found(values) if callable(found) else found.format_map(_Missing(values))


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return ""


def rule_words(rule: str) -> str:
    """A dedupe rule in words."""
    from litcorpus.dedupe.rules import BY_NAME

    return words(rule, fallback=BY_NAME.get(rule, ""))


def pair_words(rule: str, evidence: dict) -> str:
    """Why a pair was linked or queued, in words: the rule, and for a link by weights how each
    field compares (dedupe's agreement levels, without the weights)."""
    from litcorpus.dedupe.scoring import LEVELS

    said = rule_words(rule)
    levels = evidence.get("levels") or {}
    if rule in ("weights", "weights_guarded", "weights_doubtful") and levels:
        fields = [f"{'identifier' if name == 'identifier' else name} {LEVELS[name][level]}"
                  for name, level in levels.items() if name in LEVELS]
        said += ": " + "; ".join(fields)
    return said


def reason_words(reason: str | dict, text: str = "") -> str:
    """A filter reason in words. `text` is the record's own text (with the profile's), where the
    word stems a reason names are found again as the words they came from."""
    if isinstance(reason, dict):
        return words(str(reason.get("code", "")), reason)
    for pattern, code in LEGACY:
        match = re.match(pattern, reason)
        if match:
            values = match.groupdict()
            if "stems" in values:
                values["words"] = full_words(values["stems"].split(", "), text)
            return words(code, values)
    return reason


def full_words(stems: list[str], text: str) -> list[str]:
    """Each stem as the most frequent word of `text` it begins (`integrat` -> `integrated`);
    a stem found in no word is left out rather than shown cut."""
    seen = Counter(re.findall(r"[^\W\d_][\w'-]*", text))
    found: Counter[str] = Counter()
    for word, count in seen.items():
        found[word.lower()] += count
    out = []
    for stem in stems:
        stem = stem.strip().lower()
        candidates = [(count, -len(word), word) for word, count in found.items()
                      if word.startswith(stem)]
        if candidates:
            word = max(candidates)[2]
            shown = max((w for w in seen if w.lower() == word), key=lambda w: (seen[w], w.islower()))
            if shown not in out:
                out.append(shown)
    return out


# --- the page ---------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222;max-width:1340px}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ccc}
h3{font-size:1rem;margin:1.4rem 0 .4rem}
table{border-collapse:collapse;font-size:.85rem;margin:.4rem 0}th,td{border:1px solid #ccc;
padding:4px 7px;text-align:left;vertical-align:top}th{background:#f3f3f3}td.n,th.n{text-align:right}
table.wide{width:100%}.muted{color:#666}.diagram{overflow-x:auto}svg.prisma{max-width:100%;height:auto}
svg text{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif}
tr.differs td{background:#fff3cd}ul.reasons{margin:0;padding-left:1.1rem}.id{font-family:monospace;
font-size:.8rem;color:#555}dl.run{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dl.run dt{font-weight:600}dl.run dd{margin:0}
"""
PAIR_FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid",
               "database", "origin", "id")
SHOWN_ONLY = ("database", "origin", "id")  # told apart by where they came from, not compared


def write_report(context: ExportContext, out: TextIO) -> int:
    page = Report(context.corpus)
    out.write(page.html())
    return 1


class Report:
    """The report of one corpus, section by section."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.counts = counts(corpus)
        self.decisions = corpus.relevance()
        self.records = list(corpus.canonical_records())
        self.database_of = corpus.record_databases()
        self.runs = corpus.runs()
        self.profile = self.runs.get("filter", {}).get("settings", {}).get("profile") or {}

    def html(self) -> str:
        parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
                 "<title>litcorpus report</title>", f"<style>{CSS}</style></head><body>",
                 "<h1>litcorpus report</h1>", self.flow(), self.databases(), self.to_review(),
                 self.doubtful_pairs(), self.merges(), self.drops(), self.full_texts(),
                 self.sources(),
                 self.run_details(), "</body></html>"]
        return "\n".join(parts)

    # sections -----------------------------------------------------------------------------

    def flow(self) -> str:
        notes = []
        if not self.counts.deduped:
            notes.append("Dedupe has not run on this corpus: no duplicate is counted yet "
                         "(run <code>litcorpus dedupe</code>).")
        if not self.counts.filtered:
            notes.append("The relevance filter has not run: no record is marked ineligible yet.")
        notes.append("Counts after screening are left blank for the review team to fill in (the "
                     "PRISMA CSV from <code>litcorpus export --format prisma</code> holds the same "
                     "counts, with the template's 0 where this diagram is blank).")
        return ("<h2>PRISMA 2020 flow diagram</h2>"
                + "".join(f"<p class='muted'>{note}</p>" for note in notes)
                + f"<div class='diagram'>{flow_diagram(self.counts)}</div>")

    def databases(self) -> str:
        """Per database: records identified, distinct records, unique contribution, overlap."""
        found: dict[str, set[str]] = {name: set() for name in self.counts.by_database}
        for record in self.records:
            for name in self._databases(record):
                found.setdefault(name, set()).add(record.id or "")
        names = [name for name in self.counts.by_database if found.get(name)]
        html = ["<h2>Databases and their overlap</h2>"]
        if not self.counts.deduped:
            html.append("<p class='muted'>Dedupe has not run: every record counts as distinct, so "
                        "the overlap between databases is not known yet.</p>")
        html.append("<table><tr><th>database or kind of file</th><th class='n'>records identified"
                    "</th><th class='n'>distinct records</th><th class='n'>found only here</th>"
                    "</tr>")
        for name, identified in self.counts.by_database.items():
            mine = found.get(name, set())
            only = sum(1 for record in self.records if record.id in mine
                       and self._databases(record) == {name})
            html.append(f"<tr><td>{escape(name)}</td><td class='n'>{identified}</td>"
                        f"<td class='n'>{len(mine)}</td><td class='n'>{only}</td></tr>")
        html.append("</table>")
        if len(names) > 1:
            html.append("<h3>Overlap: distinct records found in both databases</h3>"
                        "<table class='overlap'><tr><th></th>"
                        + "".join(f"<th class='n'>{escape(n)}</th>" for n in names) + "</tr>")
            for a in names:
                cells = []
                for b in names:
                    shared = len(found[a] & found[b])
                    share = shared / max(1, min(len(found[a]), len(found[b])))
                    shade = f" style='background:rgba(60,120,200,{0.08 + 0.5 * share:.2f})'" \
                        if shared else ""
                    cells.append(f"<td class='n'{shade}>{shared}</td>")
                html.append(f"<tr><th>{escape(a)}</th>{''.join(cells)}</tr>")
            html.append("</table><p class='muted'>The diagonal is each database's distinct "
                        "records; a cell is the records found in both its row's and its column's "
                        "database.</p>")
            pairs = [(a, b, len(found[a] & found[b])) for a, b in combinations(names, 2)]
            if not any(shared for _, _, shared in pairs):
                html.append("<p class='muted'>No record was found in more than one database.</p>")
        return "".join(html)

    def to_review(self) -> str:
        html = ["<h2>Records to act on: left for review by the filter</h2>"]
        if not self.counts.filtered:
            return html[0] + "<p class='muted'>The relevance filter has not run.</p>"
        band = [r for r in self.records if self._decision(r) == "review"]
        if not band:
            return html[0] + "<p class='muted'>No record is in the review band.</p>"
        html.append(f"<p>{len(band)} record(s) the filter would neither keep nor drop on its own. "
                    "Decide each with <code>litcorpus filter --set ID=keep</code> (or drop).</p>")
        html.append("<table class='wide'><tr><th>record</th><th>why it is left for review</th></tr>")
        for record in band:
            html.append(f"<tr><td>{self._cite(record)}</td><td>{self._reasons(record)}</td></tr>")
        html.append("</table>")
        return "".join(html)

    def doubtful_pairs(self) -> str:
        html = ["<h2>Records to act on: doubtful duplicates</h2>"]
        if not self.counts.deduped:
            return html[0] + "<p class='muted'>Dedupe has not run on this corpus.</p>"
        pairs = self.corpus.dedupe_pairs("maybe")
        if not pairs:
            return html[0] + "<p class='muted'>No doubtful pair is waiting for a decision.</p>"
        html.append(f"<p>{len(pairs)} pair(s) that may be one paper. Decide them in the file from "
                    "<code>litcorpus export --format review</code>, then run "
                    "<code>litcorpus dedupe --decisions FILE</code>.</p>")
        for n, (a, b, rule, evidence) in enumerate(pairs, start=1):
            left, right = self.corpus.record(a), self.corpus.record(b)
            sides = [self._fields(left, a), self._fields(right, b)]
            differ = [f for f in PAIR_FIELDS if f not in SHOWN_ONLY
                      and _norm(sides[0][f]) != _norm(sides[1][f]) and (sides[0][f] or sides[1][f])]
            html.append(f"<h3>Pair {n}: {escape(pair_words(rule, evidence))}</h3>"
                        f"<p>They differ in: {escape(', '.join(differ) or 'nothing shown here')}.</p>"
                        "<table class='wide pair'><tr><th>field</th><th>first record</th>"
                        "<th>second record</th></tr>")
            for field in PAIR_FIELDS:
                mark = " class='differs'" if field in differ else ""
                html.append(f"<tr{mark}><th>{field}</th><td>{escape(sides[0][field])}</td>"
                            f"<td>{escape(sides[1][field])}</td></tr>")
            html.append("</table>")
        return "".join(html)

    def merges(self) -> str:
        html = ["<h2>Duplicates linked</h2>"]
        if not self.counts.deduped:
            return html[0] + ("<p class='muted'>Dedupe has not run on this corpus "
                              "(run <code>litcorpus dedupe</code>).</p>")
        clusters = [r for r in self.records if len(r.merged_from) > 1]
        if not clusters:
            return html[0] + "<p class='muted'>Dedupe found no duplicates.</p>"
        why = self._merge_reasons()
        html.append("<table class='wide'><tr><th>record</th><th>linked input records</th>"
                    "<th>why they are one paper</th></tr>")
        for record in clusters:
            members = "<br>".join(
                escape(f"{self.database_of.get(m, '')}: {self._origin(self.corpus.record(m))}")
                for m in record.merged_from)
            reasons = sorted({why[m] for m in record.merged_from if m in why})
            html.append(f"<tr><td>{self._cite(record)}</td><td>{members}</td><td>"
                        f"{escape('; '.join(reasons))}</td></tr>")
        html.append("</table>")
        return "".join(html)

    def drops(self) -> str:
        html = ["<h2>Marked ineligible by the relevance filter</h2>"]
        if not self.counts.filtered:
            return html[0] + "<p class='muted'>The relevance filter has not run.</p>"
        dropped = [r for r in self.records if self._decision(r) == "drop"]
        if not dropped:
            return html[0] + "<p class='muted'>The filter dropped no record.</p>"
        html.append("<table class='wide'><tr><th>record</th><th>why it was dropped</th></tr>")
        for record in dropped:
            html.append(f"<tr><td>{self._cite(record)}</td><td>{self._reasons(record)}</td></tr>")
        html.append("</table>")
        return "".join(html)

    def full_texts(self) -> str:
        """Which records have a full text (a PDF or saved article page) linked, and which have none."""
        having = [r for r in self.records if r.files]
        lacking = [r for r in self.records if not r.files]
        html = ["<h2>Full texts</h2>",
                f"<p>{len(having)} of {len(self.records)} records have a full text linked; "
                f"{len(lacking)} have none.</p>"]
        for label, group in (("With a full text", having), ("Without a full text", lacking)):
            if not group:
                continue
            html.append(f"<h3>{label}</h3><table class='wide'><tr><th>record</th><th>files</th></tr>")
            html.extend(f"<tr><td>{self._cite(r)}</td><td>{'<br>'.join(escape(f) for f in r.files)}"
                        "</td></tr>" for r in group)
            html.append("</table>")
        return "".join(html)

    def sources(self) -> str:
        html = ["<h2>Input files</h2><table class='wide'><tr><th>file</th><th>database or kind "
                "of file</th><th>format</th><th>status</th><th class='n'>records</th>"
                "<th>note</th></tr>"]
        for source in self.corpus.sources():
            html.append(f"<tr><td>{escape(source.name)}</td><td>{escape(source.database or '')}"
                        f"</td><td>{escape(source.format or '')}</td><td>"
                        f"{escape(source.status.value)}</td><td class='n'>{source.records}</td>"
                        f"<td>{escape(source.message)}</td></tr>")
        html.append("</table>")
        return "".join(html)

    def run_details(self) -> str:
        from litcorpus import __version__

        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        items = [("report written", f"{now}, litcorpus {__version__}")]
        dates = self.corpus.ingest_dates()
        if dates:
            files = len(self.corpus.sources())
            items.append(("ingested", f"{files} file(s), {_date(dates[0])}"
                          + (f" to {_date(dates[1])}" if dates[1] != dates[0] else "")))
        for stage, label in (("dedupe", "dedupe"), ("filter", "relevance filter")):
            run = self.runs.get(stage)
            if not run:
                items.append((label, "has not run"))
                continue
            settings = {k: v for k, v in run["settings"].items() if k != "profile"}
            shown = "; ".join(f"{k}: {v}" for k, v in settings.items() if v not in (None, "", []))
            items.append((label, f"{_date(run['at'])}, litcorpus {run['version']}"
                          + (f"; {shown}" if shown else "")))
        html = ["<h2>Run details</h2><dl class='run'>"]
        html.extend(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items)
        if self.profile:
            html.append("<dt>topic profile</dt><dd>" + self._profile() + "</dd>")
        html.append("</dl>")
        return "".join(html)

    # helpers ------------------------------------------------------------------------------

    def _databases(self, record: Record) -> set[str]:
        return {self.database_of.get(m, "") for m in (record.merged_from or [record.id or ""])}

    def _decision(self, record: Record) -> str | None:
        found = self.decisions.get(record.id or "")
        return found["decision"] if found else None

    def _reasons(self, record: Record) -> str:
        text = " ".join(filter(None, [record.title, record.abstract, " ".join(record.keywords),
                                      *map(str, self.profile.values())]))
        reasons = [reason_words(r, text) for r in self.decisions[record.id or ""]["reasons"]]
        return "<ul class='reasons'>" + "".join(f"<li>{escape(r)}</li>" for r in reasons
                                                if r) + "</ul>"

    def _cite(self, record: Record) -> str:
        authors = [a.family or a.given or "" for a in record.authors]
        who = ", ".join(authors[:3]) + (" et al." if len(authors) > 3 else ".") if authors else ""
        where = ", ".join(str(x) for x in (record.journal, record.year) if x)
        doi = f" doi:{record.doi}" if record.doi else ""
        return (f"<strong>{escape(record.title or '(no title)')}</strong><br>"
                f"{escape(' '.join(filter(None, [who, where])))}"
                f"{escape(doi)}<br><span class='id'>{escape(record.id or '')}</span>")

    def _fields(self, record: Record | None, record_id: str) -> dict[str, str]:
        if record is None:
            return dict.fromkeys(PAIR_FIELDS, "") | {"id": f"{record_id} (no longer in the corpus)"}
        return {"title": record.title or "", "authors": "; ".join(a.display() for a in record.authors),
                "year": str(record.year or ""), "journal": record.journal or "",
                "volume": record.volume or "", "issue": record.issue or "",
                "pages": record.pages or "", "doi": record.doi or "", "pmid": record.pmid or "",
                "database": self.database_of.get(record_id, ""), "origin": self._origin(record),
                "id": record_id}

    @staticmethod
    def _origin(record: Record | None) -> str:
        if record is None or not record.origins:
            return ""
        origin = record.origins[0]
        return f"{origin.name}:{origin.line}" if origin.line else origin.name

    def _merge_reasons(self) -> dict[str, str]:
        """Member record ID -> the reason it was linked, in words."""
        found: dict[str, str] = {}
        for a, b, rule, evidence in self.corpus.dedupe_pairs("match"):
            for member in (a, b):
                found.setdefault(member, pair_words(rule, evidence))
        return found

    def _profile(self) -> str:
        p = self.profile
        parts = [f"<strong>{escape(str(p.get('topic', '')))}</strong>"]
        if p.get("description"):
            parts.append(f"<br>{escape(str(p['description']).strip())}")
        for key, label in (("include", "include"), ("exclude", "exclude"), ("seeds", "seed papers")):
            if p.get(key):
                parts.append(f"<br>{label}: {escape('; '.join(map(str, p[key])))}")
        return "".join(parts)


def _norm(value: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", value.casefold()).split())


def _date(stamp: str) -> str:
    return stamp.replace("T", " ").replace("+00:00", " UTC")


EXPORTERS = [Exporter("report", write_report,
                      "one self-contained HTML page: PRISMA 2020 diagram, databases and overlap, "
                      "records to act on, merges, drops, run details")]
