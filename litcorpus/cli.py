"""The `litcorpus` command: one short function per command, each calling the library.

Output for people (tables, progress) goes to stderr; data goes to stdout or -o FILE, so pipes stay
clean. Exit codes: 0 success, 1 a check or expectation failed, 2 a usage or input problem.
"""

from __future__ import annotations

import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import litcorpus
from litcorpus.errors import LitcorpusError
from litcorpus.intake import Limits

app = typer.Typer(
    help="Turn a folder of literature downloads and database exports into one clean corpus: "
         "ingest -> dedupe -> filter -> export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Corpus file (default: $LITCORPUS_DB, else ./litcorpus.db).",
                 show_default=False),
]


@contextmanager
def errors_as_messages():
    """Turn library errors into one red line and exit code 2; never a traceback."""
    try:
        yield
    except LitcorpusError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(exc.exit_code) from None
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error
        raise typer.Exit(0) from None
    except OSError as exc:
        err.print(f"[red]error:[/red] {exc.strerror or exc}: {exc.filename or ''}", highlight=False)
        raise typer.Exit(2) from None
    except sqlite3.OperationalError as exc:  # a corpus another run keeps locked past the timeout
        err.print(f"[red]error:[/red] corpus busy or unreadable: {exc}; try again when the other "
                  "litcorpus run ends", highlight=False)
        raise typer.Exit(2) from None


@contextmanager
def output(path: Path | None):
    """The file named by -o (UTF-8), or stdout."""
    if path is None or str(path) == "-":
        yield sys.stdout
    else:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            yield handle


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (read recursively).")],
    db: DbOption = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, show_default=False,
        help="Processes that parse one large file together (default: the CPUs available). "
             "The corpus is the same whatever the number.")] = None,
) -> None:
    """Detect each file's format from its content, parse its records and store them.

    Every file is accounted for: parsed, partly parsed, failed or skipped, with a reason.
    Ingesting the same file content again adds nothing.
    """
    with errors_as_messages():
        # Redrawn at each file rather than by a timer thread: a process running a second thread
        # cannot fork the children that parse a large file (litcorpus.parallel).
        with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
                      transient=True, auto_refresh=False, disable=not err.is_terminal) as bar:
            task = bar.add_task("", total=None)

            def progress(name: str, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total, description=Path(name).name[:40],
                           refresh=True)

            with litcorpus.open(db, limits=Limits.from_env()) as corpus:
                report = corpus.ingest(paths, jobs=jobs, progress=progress)
    _print_ingest_summary(report)
    # a re-run that finds every file already stored has nothing to fix: only new problems fail it
    if not report.records and any(not o.message.endswith("already in the corpus")
                                  for o in report.problems()):
        raise typer.Exit(1)


def _print_ingest_summary(report) -> None:
    statuses = report.by_status()
    table = Table(title="Ingested", title_justify="left")
    table.add_column("format")
    table.add_column("files", justify="right")
    table.add_column("records", justify="right")
    for name, count in report.by_format().items():
        table.add_row(name, str(count.files), str(count.records))
    err.print(table)
    parts = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    err.print(f"{len(report.outcomes)} files, {report.records} records ({parts})", highlight=False)
    problems = report.problems()
    if problems:
        table = Table(title="Files with problems", title_justify="left")
        table.add_column("file", overflow="fold")
        table.add_column("status")
        table.add_column("reason", overflow="fold")
        for outcome in problems:
            table.add_row(outcome.file, outcome.status.value, outcome.message)
        err.print(table)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f",
                                        help="jsonl, sources, ris, bibtex, csv, asreview, review, "
                                             "prisma (see 'litcorpus formats').")] = "jsonl",
    out: Annotated[Path | None, typer.Option("-o", "--output",
                                             help="Write here instead of stdout.")] = None,
    all_records: Annotated[bool, typer.Option("--all", help="Include records the filter dropped, "
                                              "with their relevance decision.")] = False,
    db: DbOption = None,
) -> None:
    """Write the corpus (after dedupe and filter, when they have run) for a review tool."""
    with errors_as_messages(), output(out) as handle, litcorpus.open(db, create=False) as corpus:
        n = corpus.export(format, handle, include_dropped=all_records)
    if out is not None:
        err.print(f"wrote {n} items to {out}", highlight=False)


@app.command()
def stats(db: DbOption = None) -> None:
    """Show counts: files by status, records by format, unique records, filter decisions."""
    with errors_as_messages(), litcorpus.open(db, create=False) as corpus:
        found = corpus.stats()
    table = Table(show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("files", str(found.files))
    for status, n in sorted(found.files_by_status.items()):
        table.add_row(f"  {status}", str(n))
    table.add_row("records", str(found.records))
    for name, n in sorted(found.records_by_format.items()):
        table.add_row(f"  {name}", str(n))
    if found.unique_records is not None:
        table.add_row("unique records after dedupe", str(found.unique_records))
    for decision, n in sorted(found.relevance.items()):
        table.add_row(f"filter: {decision}", str(n))
    Console().print(table)


@app.command()
def dedupe(
    reset: Annotated[bool, typer.Option("--reset", help="Undo every merge (input records are "
                                        "never changed; your decisions are kept).")] = False,
    decisions: Annotated[Path | None, typer.Option(
        "--decisions", help="A filled-in review file (from 'export --format review') whose "
                            "'decision' column says duplicate or distinct.")] = None,
    db: DbOption = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, show_default=False,
        help="Processes that read and compare a large corpus together (default: the CPUs "
             "available). The clusters are the same whatever the number.")] = None,
) -> None:
    """Link duplicate records into one canonical record each, keeping every origin.

    Each field's agreement is weighed with weights estimated on this corpus; what is never the
    same record (an erratum, clearly different titles, different DOIs) is kept apart, and no
    cluster holds two records that contradict each other. Doubtful pairs go to a review queue:
    'litcorpus export --format review'.
    """
    with errors_as_messages(), litcorpus.open(db, create=False) as corpus:
        if reset:
            corpus.undo_dedupe()
            err.print("dedupe undone: exports show every input record again")
            return
        # Redrawn at each stage, not by a timer thread: dedupe forks processes on a large corpus.
        with Progress(TextColumn("[bold]dedupe"), TextColumn("{task.description}"),
                      TimeElapsedColumn(), console=err, transient=True, auto_refresh=False,
                      disable=not err.is_terminal) as bar:
            task = bar.add_task("", total=None)

            def progress(stage: str, done: int, total: int) -> None:
                bar.update(task, description=f"{stage} ({total:,} records)", refresh=True)

            report = corpus.dedupe(decisions=decisions, jobs=jobs, progress=progress)
    table = Table(title="Dedupe", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("records in", str(report.records_in))
    table.add_row("records out (one per cluster)", str(report.records_out))
    table.add_row("duplicate records linked", str(report.records_in - report.records_out))
    if report.demoted:
        table.add_row("DOIs/PMIDs found issue-level here", str(len(report.demoted)))
    if report.chains_refused:
        table.add_row("joins refused (would chain)", str(report.chains_refused))
    for rule, n in sorted(report.rules.items()):
        table.add_row(f"  records linked by rule {rule}", str(n))
    table.add_row("doubtful pairs for review", str(report.maybe_pairs))
    err.print(table)
    if report.maybe_pairs:
        err.print("review the doubtful pairs: litcorpus export --format review -o review.csv")


@app.command()
def explain(
    record_id: Annotated[str, typer.Argument(help="A record ID from the JSONL export.")],
    db: DbOption = None,
) -> None:
    """Show why a record was merged: its members, the weight of each field behind each link in
    plain words, pairs kept apart or queued, and which member each field came from."""
    with errors_as_messages(), litcorpus.open(db, create=False) as corpus:
        found = corpus.explain(record_id)
    out = Console()
    out.print(f"[bold]{found.canonical_id}[/bold]: {len(found.members)} input record(s)")
    members = Table("id", "title", "origin")
    for member in found.members:
        members.add_row(member["id"], member["title"] or "(no title)", member["origin"])
    out.print(members)
    for note in found.notes:
        out.print(note, highlight=False)
    for pair in found.pairs:
        out.print(f"[bold]{pair['a']} ~ {pair['b']}[/bold]: {pair['verdict']} ({pair['rule']}: "
                  f"{pair['why']})", highlight=False)
        for line in pair["words"]:
            out.print(f"  {line}", highlight=False)
    if found.field_sources:
        out.print("fields taken from: " + ", ".join(
            f"{field} <- {rid}" for field, rid in found.field_sources.items()))


@app.command("filter")
def filter_records(
    profile: Annotated[Path, typer.Option("--profile", "-p", help="Topic profile (YAML): topic, "
                                          "description, optional include, exclude, seeds.")],
    decide: Annotated[list[str] | None, typer.Option(
        "--set", help="A person's decision, ID=keep|review|drop (repeatable); later filter runs "
                      "never override it.")] = None,
    db: DbOption = None,
) -> None:
    """Decide keep, review or drop for every record, with reasons.

    Drops only what stands clearly apart from both the profile and the corpus's own main body;
    a record with little text is never dropped for that alone. 'litcorpus export' then leaves
    dropped records out unless --all is given.
    """
    from litcorpus import relevance

    with errors_as_messages(), litcorpus.open(db, create=False) as corpus:
        decided = {}
        for item in decide or []:
            record_id, _, value = item.partition("=")
            decided[record_id.strip()] = value.strip().lower()
        report = corpus.filter(profile, decisions=decided)
    counts = ", ".join(f"{report.counts[d]} {d}" for d in relevance.DECISIONS)
    err.print(f"filter: {counts}", highlight=False)
    shown = [d for d in report.decisions if d.decision != "keep"]
    if shown:
        table = Table(title="Drops and reviews", title_justify="left")
        table.add_column("decision")
        table.add_column("id")
        table.add_column("title", overflow="fold")
        table.add_column("reasons", overflow="fold")
        for d in sorted(shown, key=lambda d: d.decision):
            table.add_row(d.decision, d.id, d.title or "(no title)", "; ".join(d.reasons))
        err.print(table)


@app.command()
def check(
    folder: Annotated[Path, typer.Argument(help="A folder of inputs, e.g. fixtures/seeds.")],
    expect: Annotated[Path, typer.Option("--expect", help="Expectations (YAML): records, unique, "
                                         "kept, duplicates, distinct, dropped, records_expected, "
                                         "profile.")],
) -> None:
    """Run ingest, dedupe and filter on FOLDER in a temporary corpus and compare the outcome with
    expectations. Exit 0 when all hold, 1 when any does not (each is named with expected and
    actual values)."""
    from litcorpus.check import check as run_check

    with errors_as_messages():
        report = run_check(folder, expect, limits=Limits.from_env())
    table = Table(title=f"check {folder}", title_justify="left")
    table.add_column("")
    table.add_column("expectation", overflow="fold")
    table.add_column("expected", overflow="fold")
    table.add_column("actual", overflow="fold")
    for outcome in report.outcomes:
        mark = "[green]ok[/green]" if outcome.ok else "[red]FAIL[/red]"
        table.add_row(mark, outcome.what, str(outcome.expected), str(outcome.actual))
    err.print(table)
    failed = [o for o in report.outcomes if not o.ok]
    if failed:
        err.print(f"[red]{len(failed)} of {len(report.outcomes)} expectations not met[/red]")
        raise typer.Exit(1)
    err.print(f"all {len(report.outcomes)} expectations met")


@app.command()
def report(
    out: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")] = Path(
        "report.html"),
    db: DbOption = None,
) -> None:
    """Write one self-contained HTML page: the complete PRISMA 2020 flow diagram, records and
    overlap per database, the records to act on (the filter's review band, doubtful duplicate
    pairs side by side), merges and drops with reasons in words, and the run's details."""
    with errors_as_messages(), output(out) as handle, litcorpus.open(db, create=False) as corpus:
        corpus.export("report", handle, include_dropped=True)
    err.print(f"wrote {out}", highlight=False)


@app.command("formats")
def list_formats() -> None:
    """List the input formats litcorpus detects and the export formats it writes."""
    from litcorpus.exporters import registry as exporters
    from litcorpus.formats import registry as readers

    table = Table(title="Input formats (detected from content)", title_justify="left")
    table.add_column("name")
    table.add_column("description")
    for fmt in readers().values():
        table.add_row(fmt.name, fmt.description)
    Console().print(table)
    table = Table(title="Export formats (--format)", title_justify="left")
    table.add_column("name")
    table.add_column("description")
    for exporter in exporters().values():
        table.add_row(exporter.name, exporter.description)
    Console().print(table)
