"""PRISMA counts add up; the HTML report renders in headless Chromium with the diagram's numbers."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

import litcorpus
from litcorpus.cli import app
from litcorpus.corpus import Corpus
from litcorpus.dedupe import dedupe
from litcorpus.relevance import filter_corpus, load_profile
from tests.conftest import FIXTURES, SEEDS

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def full_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    for seed in SEEDS.iterdir():
        shutil.copy(seed, folder / seed.name)
    (folder / "truncated.ris").write_bytes(
        (FIXTURES / "formats/ris-scopus/Scopus_ris_example.ris").read_bytes()[:6000])
    db = folder.parent / "c.db"
    litcorpus.ingest([folder], db=db)
    with Corpus(db) as corpus:
        dedupe(corpus)
        filter_corpus(corpus, load_profile(FIXTURES / "profiles/integrated_care.yaml"))
    return db


def prisma(db) -> dict:
    out = io.StringIO()
    litcorpus.export("prisma", out, db=db)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
    return {row["data"]: row["n"] for row in rows}


def test_prisma_numbers_add_up(full_db):
    n = prisma(full_db)
    identified, duplicates = int(n["database_results"]), int(n["duplicates"])
    automatic, other = int(n["excluded_automatic"]), int(n["excluded_other"])
    screened = int(n["records_screened"])
    assert identified - duplicates - automatic - other == screened
    per_source = sum(int(part.rsplit(",", 1)[1]) for part in n["database_specific_results"].split(";"))
    assert per_source == identified
    with Corpus(full_db) as corpus:
        parsed, unique = corpus.count(), sum(1 for _ in corpus.canonical_records())
        unreadable = len(corpus.failures())
    assert (identified, duplicates, automatic, other) == (parsed + unreadable, parsed - unique, 1,
                                                          unreadable)
    assert other >= 1  # the truncated RIS record


def test_report_renders_in_chromium(full_db, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "install Debian's chromium package (make test does when run as root) to run this test"
    page = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "-o", str(page), "--db", str(full_db)])
    assert result.exit_code == 0, result.stderr
    html = page.read_text("utf-8")
    assert "<script" not in html and "http" not in html.split("<body>")[0]
    common = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    shot = tmp_path / "report.png"
    subprocess.run([*common, f"--screenshot={shot}", "--window-size=1100,1400",
                    page.as_uri()], capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    n = prisma(full_db)
    for key in ("database_results", "duplicates", "excluded_automatic", "records_screened"):
        assert f"(n = {n[key]})" in dom, key
    assert "Effects of CDDO-EA" in dom  # the dropped record with its reasons
