"""The columnar key store and capped blocking (issue 19 prototype) on a real export: the same keys,
the same pairs as today's blocking when nothing is capped, bounded pairs when it is."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from rapidfuzz import fuzz

import litcorpus
from litcorpus.corpus import Corpus
from litcorpus.dedupe.blocking import candidate_pairs
from litcorpus.dedupe.capped import candidate_codes, decode, title_scores
from litcorpus.dedupe.columns import KeyColumns
from litcorpus.dedupe.keys import keys
from tests.conftest import FIXTURES

# 1,000 records of a Zotero library with its duplicates (ASySD's test export, PROVENANCE.md)
EXPORT = FIXTURES / "formats" / "ris-refmanager-rayyan-zotero" / "asysd_zotero_export.ris"


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    db = tmp_path_factory.mktemp("columns") / "c.db"
    litcorpus.ingest([EXPORT], db=db, jobs=1)
    with Corpus(db) as corpus:
        return list(corpus.records())


@pytest.fixture(scope="module")
def columns(records):
    return KeyColumns.from_records(iter(records))


def test_columns_hold_the_match_keys(records, columns):
    assert len(columns) == len(records) == 1000
    for i in (0, 1, 500, 999):
        k = keys(records[i], i)
        assert columns.text["id"][i] == k.id
        assert columns.text["title"][i] == k.title
        assert columns.text["doi"][i] == (k.doi or "")
        assert int(columns.year[i]) == (k.year or 0)
    assert columns.text["title"].take([3, 1]) == [keys(records[3], 3).title,
                                                  keys(records[1], 1).title]
    assert columns.nbytes < 1000 * 1024  # well under a KB a record


def test_columns_survive_a_round_trip_through_a_file(columns, tmp_path):
    columns.save(tmp_path / "keys.npz")
    loaded = KeyColumns.load(tmp_path / "keys.npz")
    assert loaded.text["title"].take(range(len(loaded))) == columns.text["title"].take(
        range(len(columns)))
    assert np.array_equal(loaded.blocks, columns.blocks)


def test_uncapped_blocking_gives_todays_pairs(records, columns):
    today = candidate_pairs([keys(r, i) for i, r in enumerate(records)])
    i, j = decode(candidate_codes(columns, cap=200), len(columns))
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == today
    assert len(today) > 500  # the export holds duplicates: there is something to compare


def test_a_cap_bounds_the_pairs_each_record_brings(columns):
    capped = candidate_codes(columns, cap=3, window=2)
    full = candidate_codes(columns, cap=200)
    assert set(capped.tolist()) <= set(full.tolist())
    i, j = decode(capped, len(columns))
    per_record = Counter(i.tolist()) + Counter(j.tolist())
    # at most cap-1 pairs per kind of block in a small block, 2*(window-1) in a large one
    assert max(per_record.values()) <= 7 * 2


def test_batched_title_scores_equal_rapidfuzz_pair_by_pair(columns):
    codes = candidate_codes(columns)
    scores = title_scores(columns, codes, batch=97)
    i, j = decode(codes, len(columns))
    title = columns.text["title"]
    expected = [fuzz.ratio(title[a], title[b]) / 100 for a, b in zip(i.tolist(), j.tolist(), strict=True)]
    assert np.allclose(scores, expected, atol=1e-6)
