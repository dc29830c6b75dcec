"""The public API: the README's example run as written, and each verb's typed result."""

from __future__ import annotations

import io
import re
import shutil

import pytest

import litcorpus
from litcorpus.errors import CorpusError, LitcorpusError
from litcorpus.intake import FormatCount, IngestReport
from tests.conftest import FIXTURES, ROOT, SEEDS


def readme_example() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## From Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs_as_written(tmp_path, monkeypatch):
    shutil.copytree(SEEDS, tmp_path / "fixtures/seeds")
    shutil.copytree(FIXTURES / "profiles", tmp_path / "fixtures/profiles")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(readme_example(), "README.md", "exec"), namespace)
    report = namespace["report"]
    assert isinstance(report, IngestReport) and report.records > 0
    written = (tmp_path / "screening.ris").read_text("utf-8")
    with litcorpus.open("review.db", create=False) as corpus:
        stats = corpus.stats()
    assert written.count("ER  - ") == stats.unique_records - stats.relevance.get("drop", 0)
    assert stats.records == report.records and stats.unique_records < stats.records


def test_every_verb_returns_a_typed_result(tmp_path):
    with litcorpus.open(tmp_path / "c.db") as corpus:
        report = corpus.ingest(SEEDS, jobs=1)
        assert report.by_format()["listing"] == FormatCount(files=1, records=15)
        deduped = corpus.dedupe()
        assert deduped.records_in == report.records
        merged = next(r for r in corpus.records() if r.merged_from)
        explained = corpus.explain(merged.id)
        assert {m["id"] for m in explained.members} == set(merged.merged_from)
        filtered = corpus.filter(FIXTURES / "profiles/integrated_care.yaml",
                                 decisions={merged.id: "drop"})
        assert filtered.counts["drop"] >= 1
        out = io.StringIO()
        assert corpus.export("jsonl", out) == sum(filtered.counts[d] for d in ("keep", "review"))
        stats = corpus.stats()
        assert (stats.files, stats.records, stats.unique_records) == (
            len(report.outcomes), report.records, deduped.records_out)
        corpus.undo_dedupe()
        assert corpus.stats().unique_records is None


def test_check_compares_the_open_corpus(tmp_path):
    with litcorpus.open(tmp_path / "c.db") as corpus:
        corpus.ingest([SEEDS])
        assert corpus.check(FIXTURES / "seeds.expect.yaml").ok


def test_limits_are_arguments_not_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LITCORPUS_MAX_FILE_MB", "0")  # the library does not read it
    path = FIXTURES / "formats/pubmed-xml/pubmed2.xml"
    with litcorpus.open(tmp_path / "a.db") as corpus:
        assert corpus.ingest([path]).records == 2
    limited = litcorpus.Limits(stream_mb=0, max_file_mb=0)
    with litcorpus.open(tmp_path / "b.db", limits=limited) as corpus:
        [outcome] = corpus.ingest([path]).outcomes
    assert outcome.status is litcorpus.Status.SKIPPED
    assert litcorpus.Limits.from_env().max_file_mb == 0  # what the CLI passes


def test_opening_a_missing_corpus_without_create_says_how_to_fix_it(tmp_path):
    with pytest.raises(CorpusError, match="run 'litcorpus ingest FOLDER' first"):
        litcorpus.open(tmp_path / "missing.db", create=False)
    with litcorpus.open(tmp_path / "c.db") as corpus, pytest.raises(LitcorpusError, match="unknown"):
        corpus.export("docx", io.StringIO())


def test_no_module_shares_its_name_with_a_function_of_the_package():
    import importlib
    import pkgutil

    modules = {m.name for m in pkgutil.iter_modules(litcorpus.__path__)}
    functions = {name for name in dir(litcorpus) if callable(getattr(litcorpus, name))
                 and not isinstance(getattr(litcorpus, name), type)}
    assert not modules & functions
    assert importlib.import_module("litcorpus.intake").__name__ == "litcorpus.intake"
