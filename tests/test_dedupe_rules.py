"""Dedupe rules on pair cases written as data (fixtures/dedupe/pair_cases.yaml), each with a note."""

from __future__ import annotations

import pytest
import yaml

from litcorpus import normalize
from litcorpus.corpus import Corpus
from litcorpus.dedupe import dedupe
from litcorpus.dedupe.cluster import Clusters
from litcorpus.dedupe.keys import keys
from litcorpus.dedupe.rules import decide
from litcorpus.dedupe.scoring import compare
from litcorpus.models import Author, Origin, Record, SourceOutcome, Status
from tests.conftest import FIXTURES

CASES = yaml.safe_load((FIXTURES / "dedupe" / "pair_cases.yaml").read_text("utf-8"))


def make(spec: dict, rid: str) -> Record:
    data = dict(spec)
    authors = [Author(family=f, given=g) for f, g in data.pop("authors", [])]
    record = Record(id=rid, authors=authors, origins=[Origin(file="cases", format="test")], **data)
    return normalize.fix_record(record)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_pair_case(case):
    a, b = make(case["a"], "a"), make(case["b"], "b")
    rule = decide(compare(keys(a, 0), keys(b, 1)))
    verdict = rule.verdict if rule else "distinct"
    assert (verdict == "match") is case["duplicate"], f"{case['note']} (rule: {rule and rule.name})"


def test_chain_through_different_dois_is_refused():
    """a~b and b~c match, but a and c carry different DOIs: never one cluster."""
    a = make({"title": "A long title about integrated care systems in England", "doi": "10.1000/a",
              "authors": [["Mays", "N"]], "year": 2022}, "a")
    b = make({"title": "A long title about integrated care systems in England",
              "authors": [["Mays", "N"]], "year": 2022}, "b")
    c = make({"title": "A long title about integrated care systems in England", "doi": "10.1000/c",
              "authors": [["Mays", "N"]], "year": 2022}, "c")
    all_keys = [keys(r, i) for i, r in enumerate((a, b, c))]
    clusters = Clusters(all_keys)
    assert clusters.join(0, 1)
    assert not clusters.join(1, 2)
    assert clusters.find(0) != clusters.find(2)


def _corpus_with(tmp_path, records: list[Record]) -> Corpus:
    corpus = Corpus(tmp_path / "c.db")
    corpus.add_source(SourceOutcome(file="cases", format="test", status=Status.PARSED,
                                    records=len(records)), records)
    return corpus


def test_merge_keeps_both_sides_and_reset_undoes(tmp_path):
    case = next(c for c in CASES if c["id"] == "abbreviated-journal")
    corpus = _corpus_with(tmp_path, [make(case["a"], "a"), make(case["b"], "b")])
    report = dedupe(corpus)
    assert (report.records_in, report.records_out) == (2, 1)
    [canonical] = list(corpus.canonical_records())
    assert canonical.merged_from == ["a", "b"]
    assert len(canonical.origins) == 2
    assert canonical.journal == "BMC Health Services Research"
    assert canonical.authors[0].given == "Beck"
    assert corpus.count() == 2  # input records are never deleted
    from litcorpus.dedupe import reset

    reset(corpus)
    assert [r.id for r in corpus.canonical_records()] == ["a", "b"]
