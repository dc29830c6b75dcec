"""PRISMA 2020 counts as the CSV the PRISMA2020 R package and Shiny app read (Haddaway et al.,
prisma-flowdiagram/PRISMA2020, `inst/extdata/PRISMA.csv`, MIT licence, (c) 2020 Neal R Haddaway):
every row of its template with the template's `data`, `node` and `box` names and texts, and the
counts litcorpus knows in `n`.

Every record counts in the databases-and-registers column: identified per database (records plus
unreadable parts of its files), duplicates (records dedupe linked into another), marked ineligible
by automation (the filter's drops), removed for other reasons (unreadable parts of files), and
records screened (what is left). Stages after screening keep the template's 0 for the review team.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from litcorpus.corpus import Corpus
from litcorpus.exporters import ExportContext, Exporter

COLUMNS = ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
_REASONS = "Reason1, xxx; Reason2, xxx; Reason3, xxx"

# The template (PRISMA2020 1.1.4): data, node, box, description, boxtext, tooltips, url, n.
TEMPLATE: tuple[tuple[str, ...], ...] = (
    ("NA", "node4", "prevstud", "Grey title box; Previous studies", "Previous studies",
     "Grey title box; Previous studies", "prevstud.html", "0"),
    ("previous_studies", "node5", "box1", "Studies included in previous version of review",
     "Studies included in previous version of review",
     "Studies included in previous version of review", "previous_studies.html", "0"),
    ("previous_reports", "NA", "box1", "Reports of studies included in previous version of review",
     "Reports of studies included in previous version of review", "NA", "previous_reports.html",
     "0"),
    ("NA", "node6", "newstud",
     "Yellow title box; Identification of new studies via databases and registers",
     "Identification of new studies via databases and registers",
     "Yellow title box; Identification of new studies via databases and registers",
     "newstud.html", "0"),
    ("database_results", "node7", "box2", "Records identified from: Databases", "Databases",
     "Records identified from: Databases and Registers", "database_results.html", "0"),
    ("database_specific_results", "NA", "box2", "Records identified from: specific databases",
     "Specific Databases", "NA", "database_results.html",
     "Database 1, xxx; Database 2, xxx; Database 3, xxx"),
    ("register_results", "NA", "box2", "Records identified from: Registers", "Registers", "NA",
     "NA", "0"),
    ("register_specific_results", "NA", "box2", "Records identified from: specific registers",
     "Specific Registers", "NA", "database_results.html",
     "Register 1, xxx; Register 2, xxx; Register 3, xxx"),
    ("NA", "node16", "othstud", "Grey title box; Identification of new studies via other methods",
     "Identification of new studies via other methods",
     "Grey title box; Identification of new studies via other methods", "othstud.html", "0"),
    ("website_results", "node17", "box11", "Records identified from: Websites", "Websites",
     "Records identified from: Websites, Organisations and Citation Searching",
     "website_results.html", "0"),
    ("organisation_results", "", "box11", "Records identified from: Organisations",
     "Organisations", "NA", "NA", "0"),
    ("citations_results", "NA", "box11", "Records identified from: Citation searching",
     "Citation searching", "NA", "NA", "0"),
    ("duplicates", "node8", "box3", "Duplicate records", "Duplicate records", "Duplicate records",
     "duplicates.html", "0"),
    ("excluded_automatic", "NA", "box3", "Records marked as ineligible by automation tools",
     "Records marked as ineligible by automation tools", "NA", "NA", "0"),
    ("excluded_other", "NA", "box3", "Records removed for other reasons",
     "Records removed for other reasons", "NA", "NA", "0"),
    ("records_screened", "node9", "box4", "Records screened (databases and registers)",
     "Records screened", "Records screened (databases and registers)", "records_screened.html",
     "0"),
    ("records_excluded", "node10", "box5", "Records excluded (databases and registers)",
     "Records excluded", "Records excluded (databases and registers)", "records_excluded.html",
     "0"),
    ("dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)",
     "Reports sought for retrieval", "Reports sought for retrieval (databases and registers)",
     "dbr_sought_reports.html", "0"),
    ("dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)",
     "Reports not retrieved", "Reports not retrieved (databases and registers)",
     "dbr_notretrieved_reports.html", "0"),
    ("other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)",
     "Reports sought for retrieval", "Reports sought for retrieval (other)",
     "other_sought_reports.html", "0"),
    ("other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)",
     "Reports not retrieved", "Reports not retrieved (other)", "other_notretrieved_reports.html",
     "0"),
    ("dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)",
     "Reports assessed for eligibility",
     "Reports assessed for eligibility (databases and registers)", "dbr_assessed.html", "0"),
    ("dbr_excluded", "node14", "box9", "Reports excluded (databases and registers): [separate "
     f"reasons and numbers using ; e.g. {_REASONS}]", "Reports excluded",
     "Reports excluded (databases and registers)", "dbrexcludedrecords.html", _REASONS),
    ("other_assessed", "node20", "box14", "Reports assessed for eligibility (other)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (other)",
     "other_assessed.html", "0"),
    ("other_excluded", "node21", "box15", "Reports excluded (other): [separate reasons and numbers "
     f"using ; e.g. {_REASONS}]", "Reports excluded", "Reports excluded (other)",
     "other_excluded.html", _REASONS),
    ("new_studies", "node15", "box10", "New studies included in review",
     "New studies included in review", "New studies included in review", "new_studies.html", "0"),
    ("new_reports", "NA", "box10", "Reports of new included studies",
     "Reports of new included studies", "NA", "NA", "0"),
    ("total_studies", "node22", "box16", "Total studies included in review",
     "Total studies included in review", "Total studies included in review", "total_studies.html",
     "0"),
    ("total_reports", "NA", "box16", "Reports of total included studies",
     "Reports of total included studies", "NA", "NA", "0"),
    ("identification", "node1", "identification", "Blue identification box", "Identification",
     "Blue identification box", "identification.html", "0"),
    ("screening", "node2", "screening", "Blue screening box", "Screening", "Blue screening box",
     "screening.html", "0"),
    ("included", "node3", "included", "Blue included box", "Included", "Blue included box",
     "included.html", "0"),
    ("total_studies_ma", "node23", "box17", "Total studies included in meta-analysis",
     "Total studies included in meta-analysis", "Total studies included in meta-analysis",
     "total_studies_meta_analysis.html", "0"),
    ("total_reports_ma", "NA", "box17", "Reports of total included studies in meta-analysis",
     "Reports of total included studies in meta-analysis", "NA", "NA", "0"),
)
PLACEHOLDERS = ("register_specific_results", "dbr_excluded", "other_excluded")
"""Rows whose template value is an example ("Reason1, xxx"), not a count: written empty until the
review team fills them in (PRISMA_data() reads an empty value without complaint)."""


@dataclass
class PrismaCounts:
    """The PRISMA 2020 numbers litcorpus knows; they add up by construction and are tested to."""

    by_database: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    excluded_automatic: int = 0
    excluded_other: int = 0
    records_screened: int = 0
    deduped: bool = False
    filtered: bool = False

    @property
    def identified(self) -> int:
        return sum(self.by_database.values())

    def values(self) -> dict[str, str]:
        """`data` name -> `n` for the rows litcorpus fills."""
        return {
            "database_results": str(self.identified),
            "database_specific_results": "; ".join(f"{_listed(name)}, {n}"
                                                   for name, n in self.by_database.items()),
            "register_results": "0",
            "duplicates": str(self.duplicates),
            "excluded_automatic": str(self.excluded_automatic),
            "excluded_other": str(self.excluded_other),
            "records_screened": str(self.records_screened),
        }


def _listed(name: str) -> str:
    """A name as an item of PRISMA's "Name, n; Name, n" list: its own commas and semicolons,
    which would split it, become spaces."""
    return " ".join(name.replace(",", " ").replace(";", " ").split())


def database_of_source(corpus: Corpus) -> dict[str, str]:
    """Input (`file`, or `file!member` for an archive member) -> the database (or kind of file)
    named for it in PRISMA's counts."""
    from litcorpus.databases import name_of

    return {s.name: s.database or name_of(s.format) for s in corpus.sources()}


def counts(corpus: Corpus) -> PrismaCounts:
    """The corpus's PRISMA counts: every parsed record and every unreadable part of a file is
    identified, in the database its file came from (most records first)."""
    names = database_of_source(corpus)
    by_database: Counter[str] = Counter()
    for source in corpus.sources():
        by_database[names[source.name]] += source.records
    unreadable = 0
    for file, _ in corpus.failures():
        by_database[names.get(file, "unreadable files")] += 1
        unreadable += 1
    decisions = corpus.relevance()
    dropped = sum(1 for d in decisions.values() if d["decision"] == "drop")
    unique = corpus.canonical_count()
    found = PrismaCounts(
        by_database={name: n for name, n in sorted(by_database.items(), key=lambda x: (-x[1], x[0]))
                     if n},
        duplicates=corpus.count() - unique,
        excluded_automatic=dropped,
        excluded_other=unreadable,
        records_screened=unique - dropped,
        deduped=corpus.has_canonical(),
        filtered=bool(decisions),
    )
    return found


def rows(found: PrismaCounts) -> list[dict[str, str]]:
    """The template's rows with litcorpus's counts in `n`."""
    values = found.values()
    out = []
    for row in TEMPLATE:
        item = dict(zip(COLUMNS, row, strict=True))
        if item["data"] in values:
            item["n"] = values[item["data"]]
        elif item["data"] in PLACEHOLDERS:
            item["n"] = ""
        out.append(item)
    return out


def write_prisma(context: ExportContext, out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    written = rows(counts(context.corpus))
    writer.writerows(written)
    return len(written)


EXPORTERS = [Exporter("prisma", write_prisma,
                      "PRISMA 2020 counts as the PRISMA2020 R package's template CSV (all rows)")]
