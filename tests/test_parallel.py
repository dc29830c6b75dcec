"""A large file parsed on several cores gives exactly the corpus that one process gives."""

from __future__ import annotations

import importlib
import os
import sqlite3
import threading

import pytest

import litcorpus
from litcorpus import parallel, stream
from litcorpus.models import Status
from tests.test_streaming import STREAMABLE

ingest_module = importlib.import_module("litcorpus.intake")


def _stored(db) -> tuple[list, list, list]:
    """Everything ingest wrote, as stored: record rows, source rows, failure rows."""
    with sqlite3.connect(db) as conn:
        records = conn.execute("SELECT id, seq, data FROM records ORDER BY rowid").fetchall()
        sources = conn.execute("SELECT file, sha256, format, status, records, message FROM sources"
                               ).fetchall()
        failures = conn.execute("SELECT line, reason, raw FROM failures ORDER BY rowid").fetchall()
    return records, sources, failures


@pytest.mark.parametrize("path", [p for p in STREAMABLE if p.suffix != ".csv"], ids=lambda p: p.name)
def test_parsed_on_three_cores_equals_one(path, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_module, "PARALLEL_BYTES", 0)  # cut every file, however small
    litcorpus.ingest([path], db=tmp_path / "one.db", jobs=1)
    litcorpus.ingest([path], db=tmp_path / "three.db", jobs=3)
    assert _stored(tmp_path / "three.db") == _stored(tmp_path / "one.db")


def test_failures_and_warnings_of_every_piece_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_module, "PARALLEL_BYTES", 0)
    good = "".join(f"TY  - JOUR\nTI  - Title number {k}\nPY  - 2020\nER  - \n\n" for k in range(300))
    data = (good + "TY  - JOUR\nTI  - Caf\xe9 at the end\nER  - \n\nTY  - JOUR\nTI  - Cut off\n"
            ).encode("cp1252")
    path = tmp_path / "late.ris"
    path.write_bytes(data)
    [outcome] = litcorpus.ingest([path], db=tmp_path / "c.db", jobs=2).outcomes
    assert outcome.status is Status.PARTLY_PARSED and outcome.records == 301
    assert "Windows-1252" in outcome.message
    records, _, failures = _stored(tmp_path / "c.db")
    assert [row[0].rsplit("-", 1)[1] for row in records] == [str(n) for n in range(1, 302)]
    assert failures[0][0] == 300 * 5 + 4 + 1  # the cut-off TY line, after the 4-line record


def test_split_cuts_before_record_breaks_and_counts_lines():
    text = "Preamble\nTY  - A\nER  - \nTY  - B\nER  - \nTY  - C\nER  - \nTY  - D\nER  - \n"
    pieces = stream.split(text, "TY  -", 3)
    assert "".join(piece for _, piece in pieces) == text
    assert pieces[0][1].startswith("Preamble\nTY  - A")  # the preamble stays with its record
    assert all(piece.startswith("TY  -") for _, piece in pieces[1:])
    for line, piece in pieces:
        assert text.split("\n")[line - 1] == piece.split("\n")[0]
    assert stream.split("no breaks here\n", "TY  -", 4) == [(1, "no breaks here\n")]


def test_split_gives_pieces_of_about_equal_numbers_of_records():
    """A record costs about the same whatever its length, so long records first and short ones
    after are cut by count, not by characters."""
    long = "".join(f"TY  - JOUR\nAB  - {'word ' * 400}\nER  - \n" for _ in range(100))
    short = "".join("TY  - JOUR\nTI  - Short\nER  - \n" for _ in range(300))
    pieces = stream.split(long + short, "TY  -", 2)
    counts = [piece.count("TY  -") for _, piece in pieces]
    assert sum(counts) == 400 and abs(counts[0] - counts[1]) <= 2


def test_results_keep_order_and_come_from_children():
    parent = os.getpid()
    results = list(parallel.results(lambda n: (n * n, os.getpid() != parent), [1, 2, 3]))
    assert [square for square, _ in results] == [1, 4, 9]
    assert [in_child for _, in_child in results] == [False, True, True]


def test_work_a_child_cannot_finish_is_done_here():
    parent = os.getpid()

    def work(n: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return n + 1

    assert list(parallel.results(work, [1, 2, 3])) == [2, 3, 4]


def test_no_fork_while_another_thread_runs():
    parent, stop = os.getpid(), threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.can_fork()
        assert list(parallel.results(lambda n: os.getpid() == parent, [1, 2])) == [True, True]
    finally:
        stop.set()
        other.join()
