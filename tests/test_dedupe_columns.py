"""The key columns, capped blocking and batched comparing that dedupe streams through (issue 19),
on a real export: the same keys as `keys.keys`, every pair that shares a block when nothing is
capped, bounded pairs when it is, and the same evidence as comparing pair by pair."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from itertools import combinations

import numpy as np
import pytest
from rapidfuzz import fuzz, process

import litcorpus
import litcorpus.dedupe as dedupe_module
from litcorpus import collector
from litcorpus.corpus import Corpus
from litcorpus.dedupe import columns as columns_module
from litcorpus.dedupe import dedupe, evidence, fit, prepare
from litcorpus.dedupe.blocking import block_keys, candidate_codes, decode, learning_codes
from litcorpus.dedupe.columns import KeyColumns
from litcorpus.dedupe.evidence import (
    Ceiling,
    cannot_be_queued,
    clearly_two_works,
    compare_candidates,
    demoted_hashes,
    judge_pairs,
    title_scores,
)
from litcorpus.dedupe.identifiers import demoted_identifiers
from litcorpus.dedupe.keys import keys
from litcorpus.dedupe.rules import VETOES, judge
from litcorpus.dedupe.scoring import compare, title_contains
from litcorpus.dedupe.weights import load_prior
from tests.conftest import FIXTURES

# 1,000 records of a Zotero library with its duplicates (ASySD's test export, PROVENANCE.md)
EXPORT = FIXTURES / "formats" / "ris-refmanager-rayyan-zotero" / "asysd_zotero_export.ris"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("columns") / "c.db"
    litcorpus.ingest([EXPORT], db=path, jobs=1)
    return path


@pytest.fixture(scope="module")
def records(db):
    with Corpus(db) as corpus:
        return list(corpus.records())


@pytest.fixture(scope="module")
def columns(records):
    return KeyColumns.from_records(iter(records))


def test_columns_give_back_each_records_keys(records, columns):
    assert len(columns) == len(records) == 1000
    titles = Counter(keys(r, i).title for i, r in enumerate(records))
    for i in (0, 1, 500, 999):
        k = keys(records[i], i)
        back = columns.keys(i)
        assert back.id == columns.id[i] == records[i].id
        assert (back.title, back.doi, back.pmid, back.year, back.journal, back.pages) == \
            (k.title, k.doi, k.pmid, k.year, k.journal, k.pages)
        assert back.people == k.people[:12] and back.authors == k.authors[:12]
        assert back.title_count == (titles[k.title] if k.title else 1)
    assert columns.title.take([3, 1]) == [keys(records[3], 3).title, keys(records[1], 1).title]
    assert columns.nbytes < 1000 * 1024  # well under a KB a record


def test_columns_survive_a_round_trip_through_a_file(columns, tmp_path):
    columns.save(tmp_path / "keys.npz")
    loaded = KeyColumns.load(tmp_path / "keys.npz")
    assert loaded.title.take(range(len(loaded))) == columns.title.take(range(len(columns)))
    assert np.array_equal(loaded.blocks, columns.blocks)
    assert loaded.keys(7) == columns.keys(7)


def test_uncapped_blocking_gives_every_pair_that_shares_a_block(records, columns):
    blocks = defaultdict(list)
    for i, r in enumerate(records):
        for key in block_keys(keys(r, i)):
            blocks[key].append(i)
    expected = sorted({(a, b) for members in blocks.values() for a, b in combinations(members, 2)})
    i, j = decode(candidate_codes(columns, cap=1000), len(columns))
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == expected
    assert len(expected) > 500  # the export holds duplicates: there is something to compare


def test_a_cap_bounds_the_pairs_each_record_brings(columns):
    capped = candidate_codes(columns, cap=3, window=2)
    full = candidate_codes(columns, cap=1000)
    assert set(capped.tolist()) <= set(full.tolist())
    i, j = decode(capped, len(columns))
    per_record = Counter(i.tolist()) + Counter(j.tolist())
    # at most cap-1 pairs per kind of block in a small block, 2*(window-1) in a large one
    assert max(per_record.values()) <= 7 * 2


def test_batched_comparing_keeps_what_comparing_pair_by_pair_keeps(records, columns):
    """The numpy prefilter drops only pairs that `compare` and the vetoes would drop too."""
    codes = candidate_codes(columns)
    demoted = demoted_identifiers(columns)
    compared = compare_candidates(columns, codes, demoted, batch=97)
    all_keys = [keys(r, i) for i, r in enumerate(records)]
    counts = Counter(k.title for k in all_keys)
    for k in all_keys:
        k.title_count = counts[k.title] if k.title else 1
    expected, dropped = {}, Counter()
    for a, b in zip(*(x.tolist() for x in decode(codes, len(columns))), strict=True):
        found = compare(all_keys[a], all_keys[b], frozenset(demoted))
        veto = next((v for v in VETOES if v.holds(found)), None)
        silent = veto is not None and veto.name in ("different_titles", "different_identifiers")
        if silent and (found.title or 0) < 0.8:
            dropped[veto.name] += 1
        else:
            expected[(a, b)] = (found, veto is not None)
    assert [compared.pair(k) for k in range(len(compared))] == sorted(expected)
    for k in range(len(compared)):
        found, vetoed = expected[compared.pair(k)]
        assert compared.evidence(k) == found
        assert bool(compared.vetoed[k]) == vetoed
    assert 0 < len(compared) < len(codes)  # some pairs kept, some dropped as clearly two works
    assert dropped["different_titles"] and dropped["different_identifiers"]


def test_the_numpy_prefilter_drops_only_pairs_compare_would_drop(records, columns):
    """Whatever the numpy prefilter drops, `compare` finds kept apart without a word: clearly
    different titles, or two different article-level identifiers on titles below .8."""
    codes = candidate_codes(columns)
    demoted = demoted_identifiers(columns)
    i, j = decode(codes, len(columns))
    titles = columns.title.take(i), columns.title.take(j)
    ratio = process.cpdist(*titles, scorer=fuzz.ratio, dtype=np.float64)
    dropped = clearly_two_works(columns, i, j, ratio, titles, demoted_hashes(demoted))
    by_identifiers = dropped & (ratio >= 60)
    assert by_identifiers.any()  # the export has different DOIs on titles .6 to .8 similar
    for a, b in zip(i[dropped].tolist(), j[dropped].tolist(), strict=True):
        found = compare(keys(records[a], a), keys(records[b], b), frozenset(demoted))
        veto = next((v for v in VETOES if v.holds(found)), None)
        assert veto is not None and veto.name in ("different_titles", "different_identifiers")
        assert (found.title or 0) < 0.8


def test_batched_title_scores_equal_rapidfuzz_pair_by_pair(columns):
    codes = candidate_codes(columns)
    scores = title_scores(columns, codes, batch=97)
    i, j = decode(codes, len(columns))
    expected = [fuzz.ratio(columns.title[a], columns.title[b]) / 100
                for a, b in zip(i.tolist(), j.tolist(), strict=True)]
    assert np.allclose(scores, expected, atol=1e-6)


def test_judging_once_per_pattern_equals_judging_every_pair(records):
    prepared = prepare(records)
    model = fit(prepared, load_prior())
    judgements, pattern = judge_pairs(prepared.compared, model)
    assert len(judgements) < len(prepared.compared)  # patterns repeat
    for k in range(len(prepared.compared)):
        assert judgements[pattern[k]] == judge(prepared.compared.evidence(k), model)
    assert {j.verdict for j in judgements} == {"match", "maybe", "distinct"}


def test_comparing_in_two_processes_gives_what_one_gives(columns, monkeypatch):
    codes = candidate_codes(columns)
    demoted = demoted_identifiers(columns)
    alone = compare_candidates(columns, codes, demoted, jobs=1)
    monkeypatch.setattr(evidence, "PARALLEL_FROM", 0)
    shared = compare_candidates(columns, codes, demoted, jobs=2, batch=97)
    for name in ("codes", "levels", "title", "year_gap", "facts", "title_count", "vetoed"):
        assert np.array_equal(getattr(alone, name), getattr(shared, name), equal_nan=name == "title")
    assert alone.ids_demoted == shared.ids_demoted


def test_columns_read_by_two_processes_equal_columns_read_by_one(db, columns, monkeypatch):
    monkeypatch.setattr(columns_module, "PARALLEL_FROM", 0)
    with Corpus(db) as corpus:
        assert corpus.record_bounds(2)[1] is not None
        shared = KeyColumns.from_corpus(corpus, jobs=2)
    assert len(shared) == len(columns)
    for name in ("id", "title", "rest"):
        assert np.array_equal(getattr(shared, name).data, getattr(columns, name).data), name
        assert np.array_equal(getattr(shared, name).offsets, getattr(columns, name).offsets), name
    assert shared.keys(999) == columns.keys(999)
    for name in ("title_length", "flags", "script", "language", "numbers", "blocks",
                 "title_count", "title_hash", "year", "volume", "issue", "first_page"):
        assert np.array_equal(getattr(shared, name), getattr(columns, name)), name


def test_the_weights_do_not_depend_on_how_many_pairs_blocking_compares(records, monkeypatch):
    """EM learns from the same pairs whatever the window: a narrower window compares fewer pairs
    and gives the same weights (issue 19: the window can shrink as a corpus grows)."""
    wide = prepare(records)
    monkeypatch.setattr(dedupe_module, "candidate_codes",
                        lambda columns, rank=None, orders=None:
                        candidate_codes(columns, 2, 2, rank, orders))
    narrow = prepare(records)
    assert len(narrow.candidates) < len(wide.candidates)
    assert fit(narrow, load_prior()) == fit(wide, load_prior())


def test_learning_pairs_are_every_pair_that_shares_a_block_or_a_fixed_sample(columns):
    full = learning_codes(columns)
    assert set(candidate_codes(columns).tolist()) <= set(full.tolist())
    assert set(full.tolist()) == set(candidate_codes(columns, cap=100, window=25).tolist())
    sample = learning_codes(columns, size=len(full) // 4)
    assert set(sample.tolist()) < set(full.tolist())
    assert len(full) // 8 < len(sample) < len(full) // 2
    assert np.array_equal(sample, learning_codes(columns, size=len(full) // 4))  # the same each run


def test_pairs_the_weights_cannot_queue_are_kept_apart_by_their_weight(records, columns):
    """Whatever `cannot_be_queued` drops, `judge` keeps apart by a weight below an even chance,
    on titles below .8 similar (a row dedupe does not write), whatever authors and journal say."""
    prepared = prepare(records)
    codes = candidate_codes(columns, cap=1000)  # every pair that shares a block
    i, j = decode(codes, len(columns))
    titles = columns.title.take(i), columns.title.take(j)
    ratio = process.cpdist(*titles, scorer=fuzz.ratio, dtype=np.float64)
    dropped = cannot_be_queued(columns, i, j, ratio, titles, Ceiling.of(prepared.model),
                               demoted_hashes(prepared.demoted))
    assert dropped.sum() > 100
    for a, b in zip(i[dropped].tolist(), j[dropped].tolist(), strict=True):
        found = compare(columns.keys(a), columns.keys(b), frozenset(prepared.demoted))
        judged = judge(found, prepared.model)
        assert (judged.verdict, judged.rule) == ("distinct", "weights")
        assert judged.probability < 0.5 and found.title < 0.8


def test_dedupe_shows_what_comparing_every_candidate_shows(db, tmp_path, monkeypatch):
    """Skipping the pairs the weights cannot queue changes nothing a user sees: the clusters, the
    review queue and every judged row are those of comparing every candidate field by field.
    (Learning from a small sample, so that most candidates are not among the pairs learnt from.)"""
    monkeypatch.setattr(dedupe_module, "learning_codes",
                        lambda columns, rank=None, orders=None:
                        learning_codes(columns, rank, size=400, orders=orders))
    skipped = []
    bounded = evidence.cannot_be_queued

    def counted(*args, **kwargs):
        found = bounded(*args, **kwargs)
        skipped.append(int(found.sum()))
        return found

    seen = []
    for name, check in (("bounded", counted), ("every", lambda *a, **k: np.zeros(len(a[1]), bool))):
        monkeypatch.setattr(evidence, "cannot_be_queued", check)
        copy = tmp_path / f"{name}.db"
        copy.write_bytes(db.read_bytes())
        with Corpus(copy) as corpus:
            dedupe(corpus, jobs=1)
            clusters = sorted(sorted(c.merged_from or [c.id]) for c in corpus.canonical_records())
            rows = sorted(corpus.db.execute("SELECT a, b, verdict, rule, evidence FROM dedupe_pairs"))
        seen.append((clusters, rows))
    assert sum(skipped) > 100
    assert seen[0] == seen[1]
    assert any(row[2] == "maybe" for row in seen[0][1]) and any(len(c) > 1 for c in seen[0][0])


def test_take_each_gives_what_take_gives_for_each_index_array(columns):
    """Every distinct record decoded once, each array's values in its own order (repeats too)."""
    i = np.array([5, 3, 5, 999, 0, 3])
    j = np.array([3, 7, 7, 5])
    first, second = columns.title.take_each(i, j)
    assert first == columns.title.take(i)
    assert second == columns.title.take(j)


def test_no_title_held_in_another_is_passed_over_by_the_ratio_bound(columns):
    """`may_contain` only skips pairs where `title_contains` cannot hold: on every pair that
    shares a block, whenever one title holds the other, the bound lets the pair through."""
    i, j = decode(candidate_codes(columns, cap=1000), len(columns))
    titles = columns.title.take(i), columns.title.take(j)
    ratio = process.cpdist(*titles, scorer=fuzz.ratio, dtype=np.float64)
    la, lb = columns.title_length[i], columns.title_length[j]
    allowed = evidence.may_contain(ratio, np.minimum(la, lb), np.maximum(la, lb))
    held = np.array([title_contains(a, b) for a, b in zip(*titles, strict=True)])
    assert held.sum() > 5  # subtitles and titles cut short are in this library
    assert allowed[held].all()
    assert (~allowed).sum() > len(allowed) // 2  # and most pairs need no look at their strings


def test_judged_rows_json_is_each_pairs_evidence(records):
    """The rows dedupe writes, built from parts fixed by each judging pattern, are the evidence
    of each pair built whole, for every compared pair, with reasons added where there are any."""
    prepared = prepare(records)
    compared, model = prepared.compared, prepared.model
    judgements, pattern = judge_pairs(compared, model)
    kept = np.arange(len(compared))
    rows = dedupe_module._EvidenceJson(compared, model, pattern, kept)
    for n, k in enumerate(kept.tolist()):
        found = judgements[pattern[k]]
        reasons = list(found.reasons) + (["a reason of this pair"] if n % 7 == 0 else [])
        whole = dedupe_module._evidence_json(compared.evidence(k), found, model, reasons,
                                             not compared.vetoed[k])
        assert list(json.loads(rows.row(n, found, reasons)).items()) == list(whole.items())


def test_comparing_leaves_the_cycle_collector_as_it_found_it(columns):
    """Comparing turns Python's cycle collector off for its batches and back on after, even when
    comparing fails; a caller that had it off finds it off."""
    import gc

    codes = candidate_codes(columns)
    assert gc.isenabled()
    compare_candidates(columns, codes, {}, batch=97)
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        assert not gc.isenabled()
        raise RuntimeError("a batch failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
