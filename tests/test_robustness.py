"""Bad input never stops ingest: every file gets a status and a one-line reason, no traceback."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import litcorpus
from litcorpus import formats
from litcorpus.corpus import Corpus
from litcorpus.errors import LitcorpusError
from litcorpus.intake import Limits
from litcorpus.models import Status
from tests.conftest import FIXTURES, SEEDS

GOOD_RIS = (FIXTURES / "formats/ris-scopus/Scopus_ris_example.ris").read_bytes()
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<ArticleTitle>&lol3;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<ArticleTitle>&xxe;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"""


def run_cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "litcorpus", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.fixture
def hostile(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "good.ris").write_bytes(GOOD_RIS)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.bin").write_bytes(os.urandom(4096))
    (folder / "paper.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2048))
    (folder / "truncated.ris").write_bytes(GOOD_RIS[: len(GOOD_RIS) // 2])
    (folder / "one-line.txt").write_bytes(b"x" * 20_000_000)
    (folder / "laughs.xml").write_bytes(BILLION_LAUGHS)
    (folder / "xxe.xml").write_bytes(XXE)
    (folder / "nested.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    (folder / "odd name ü -x.ris").write_bytes(GOOD_RIS)
    (folder / "-leading-dash.ris").write_bytes(GOOD_RIS.replace(b"Soil", b"Sand"))
    (folder / "new\nline.csv").write_text("id,title,year\nr1,A title,2020\n", "utf-8")
    loop = folder / "loop"
    loop.mkdir()
    (loop / "up").symlink_to(folder, target_is_directory=True)
    (folder / "self-link").symlink_to(folder / "self-link")
    return folder


def test_hostile_folder_is_accounted_for(hostile, tmp_path):
    db = tmp_path / "c.db"
    result = run_cli("ingest", str(hostile), "--db", str(db))
    assert "Traceback" not in result.stderr
    assert result.returncode == 0
    sources = run_cli("export", "--format", "sources", "--db", str(db))
    rows = {json.loads(line)["file"].rsplit("/", 1)[-1]: json.loads(line)
            for line in sources.stdout.splitlines()}
    names = {"good.ris", "empty.txt", "random.bin", "paper.pdf", "truncated.ris", "one-line.txt",
             "laughs.xml", "xxe.xml", "nested.json", "odd name ü -x.ris", "-leading-dash.ris",
             "new\nline.csv", "self-link"}
    assert names <= set(rows)
    assert rows["good.ris"]["status"] == "parsed" and rows["good.ris"]["records"] == 3
    assert rows["odd name ü -x.ris"]["status"] == "skipped"  # same content as good.ris
    assert rows["-leading-dash.ris"]["status"] == "parsed"
    assert rows["empty.txt"]["status"] == "skipped"
    assert rows["paper.pdf"]["status"] == "failed" and "PDF" in rows["paper.pdf"]["message"]
    assert rows["truncated.ris"]["status"] in ("partly parsed", "failed")
    assert "ER" in rows["truncated.ris"]["message"]
    for name in ("random.bin", "one-line.txt", "laughs.xml", "xxe.xml", "nested.json",
                 "self-link"):
        assert rows[name]["status"] in ("failed", "skipped"), name
        assert rows[name]["message"] and "\n" not in rows[name]["message"], name
    assert "passwd" not in sources.stdout and "root:" not in sources.stdout


def test_xml_entities_are_refused_not_expanded():
    from litcorpus.intake import read

    for data in (BILLION_LAUGHS, XXE):
        outcome, result = read("x.xml", data)
        assert outcome.status is Status.FAILED
        assert "refused" in outcome.message
        assert not result.records


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"),
                                          ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                          ("cp1252", b"")])
def test_encodings(tmp_path, encoding, bom):
    text = "id,title,author,year\r\nr1,Gröne and Müller on Ñandú care,\"Müller, Jörg\",2020\r\n"
    path = tmp_path / "refs.csv"
    path.write_bytes(bom + text.encode(encoding))
    report = litcorpus.ingest([path], db=tmp_path / "c.db")
    with Corpus(tmp_path / "c.db") as corpus:
        [record] = list(corpus.records())
    assert record.title == "Gröne and Müller on Ñandú care"
    assert record.authors[0].family == "Müller"
    if encoding == "cp1252":
        assert "Windows-1252" in report.outcomes[0].message


def test_archives_are_read_in_memory(tmp_path):
    archive = tmp_path / "exports.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("scopus.ris", GOOD_RIS)
        handle.writestr("pubmed.txt", (FIXTURES / "formats/medline-nbib/PubMed_example.txt")
                        .read_bytes())
        handle.writestr("broken.xml", b"<PubmedArticleSet><oops")
    gz = tmp_path / "wos.txt.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "formats/wos-plaintext/WoS_txt_example.txt")
                                 .read_bytes()))
    report = litcorpus.ingest([archive, gz], db=tmp_path / "c.db")
    by_name = {o.name.rsplit("/", 1)[-1]: o for o in report.outcomes}
    assert by_name["exports.zip!scopus.ris"].records == 3
    assert by_name["exports.zip!pubmed.txt"].records == 3
    assert by_name["exports.zip!broken.xml"].status is Status.FAILED
    assert by_name["wos.txt.gz!wos.txt"].records == 4
    assert {o.file for o in report.outcomes} == {str(archive), str(gz)}  # the paths as given
    assert not list(tmp_path.glob("*.ris"))  # nothing unpacked to disk


def test_two_ingests_at_once_do_not_corrupt(tmp_path):
    db = tmp_path / "c.db"
    folders = []
    for n in range(2):
        folder = tmp_path / f"in{n}"
        folder.mkdir()
        for k in range(20):
            (folder / f"{k}.csv").write_text(f"id,title,year\nr{n}-{k},Paper {n} {k},2020\n",
                                             "utf-8")
        folders.append(folder)
    procs = [subprocess.Popen([sys.executable, "-m", "litcorpus", "ingest", str(f), "--db",
                               str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for f in folders]
    for proc in procs:
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
    with Corpus(db) as corpus:
        assert corpus.count() == 40
        assert corpus.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_killed_ingest_leaves_a_consistent_corpus_and_rerun_completes(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for k in range(300):
        (folder / f"{k:03}.csv").write_text(
            "id,title,year\n" + "".join(f"r{k}-{i},Paper {k} {i},2020\n" for i in range(50)),
            "utf-8")
    db = tmp_path / "c.db"
    proc = subprocess.Popen([sys.executable, "-m", "litcorpus", "ingest", str(folder), "--db",
                             str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        time.sleep(0.2)
        if db.exists():
            with Corpus(db) as corpus:
                if corpus.count() > 500:
                    break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Corpus(db) as corpus:
        for source in corpus.sources():  # no half file: each file has all its records or none
            stored = corpus.db.execute("SELECT COUNT(*) FROM records r JOIN sources s ON "
                                       "s.id = r.source WHERE s.file = ?", (source.file,))
            assert stored.fetchone()[0] == source.records
    result = run_cli("ingest", str(folder), "--db", str(db))
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-2000:]
    with Corpus(db) as corpus:
        assert corpus.count() == 300 * 50


def test_rerun_on_an_ingested_folder_succeeds_and_a_folder_of_failures_does_not(tmp_path):
    (tmp_path / "refs.csv").write_text("id,title,year\nr1,A paper,2020\n", "utf-8")
    db = str(tmp_path / "c.db")
    assert run_cli("ingest", str(tmp_path / "refs.csv"), "--db", db).returncode == 0
    again = run_cli("ingest", str(tmp_path / "refs.csv"), "--db", db)
    assert again.returncode == 0  # nothing new is not a failure: scripts re-run ingest
    (tmp_path / "notes.txt").write_text("just some notes, not an export\n", "utf-8")
    assert run_cli("ingest", str(tmp_path / "notes.txt"), "--db", db).returncode == 1


SNIPPETS = [p.read_text("utf-8", errors="replace")[:3000]
            for p in sorted((FIXTURES / "formats").rglob("*.*"))[:70:5]] + \
           [p.read_text("utf-8")[:3000] for p in sorted(SEEDS.iterdir())]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=2000),
                 st.tuples(st.sampled_from(SNIPPETS), st.integers(0, 3000), st.text(max_size=50))
                 .map(lambda t: t[0][: t[1]] + t[2] + t[0][t[1]:])))
def test_no_parser_raises_on_arbitrary_text(text):
    for fmt in formats.registry().values():
        fmt.sniff(text, "x")
        try:
            fmt.parse(text, "x")
        except LitcorpusError:
            pass  # a clear, one-line refusal (e.g. broken XML) is allowed


def test_stdout_stays_clean_for_pipes(tmp_path):
    db = tmp_path / "c.db"
    run_cli("ingest", str(SEEDS), "--db", str(db))
    out = run_cli("export", "--format", "jsonl", "--db", str(db))
    assert all(line.startswith("{") for line in out.stdout.splitlines())
    assert len(io.StringIO(out.stdout).readlines()) == 19


def test_files_over_the_size_limit_are_skipped_with_a_reason(tmp_path, monkeypatch):

    big = tmp_path / "big.json"  # a format read whole (a large CSV would be streamed)
    big.write_text(json.dumps({"message": {"items": [{"title": [f"Title {k}"], "DOI": f"10.1/{k}"}
                                                     for k in range(30_000)]}}), "utf-8")
    report = litcorpus.ingest([big], db=tmp_path / "c.db", limits=Limits(max_file_mb=1))
    [outcome] = report.outcomes
    assert outcome.status is Status.SKIPPED and "LITCORPUS_MAX_FILE_MB" in outcome.message
