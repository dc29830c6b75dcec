"""Dedupe: keys -> identifier sanity -> blocking -> evidence -> weights (estimated on this corpus)
-> verdicts -> clusters without chaining -> canonical records, by linking, never deleting.

`dedupe(corpus)` recomputes everything from all input records plus the decisions a person made,
and writes one canonical record per cluster. Input records stay untouched; `reset(corpus)` removes
every merge. The same corpus always gives the same clusters; a person's decisions always win.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import orjson

from litcorpus.corpus import Corpus
from litcorpus.dedupe.blocking import block_orders, candidate_codes, learning_codes, title_rank
from litcorpus.dedupe.canonical import canonical_records
from litcorpus.dedupe.cluster import Clusters
from litcorpus.dedupe.columns import KeyColumns
from litcorpus.dedupe.evidence import ComparedPairs, compare_candidates, judge_pairs
from litcorpus.dedupe.identifiers import demoted_identifiers
from litcorpus.dedupe.rules import BY_NAME, Judgement, contradicts
from litcorpus.dedupe.scoring import LEVELS, Evidence, compare
from litcorpus.dedupe.weights import Model, estimate, load_prior
from litcorpus.errors import LitcorpusError
from litcorpus.models import Record

DUPLICATE = {"duplicate", "dup", "same", "yes", "y", "match", "merge"}
DISTINCT = {"distinct", "different", "no", "n", "not duplicate", "keep apart"}
PERSON_RULE = "person"


@dataclass
class DedupeReport:
    """What one dedupe run found."""

    records_in: int = 0
    clusters: int = 0
    records_out: int = 0
    merged_pairs: int = 0
    maybe_pairs: int = 0
    rules: dict[str, int] = field(default_factory=dict)
    """Rule name -> records it linked into another record's cluster (they add up to
    records_in - records_out)."""
    demoted: dict[str, int] = field(default_factory=dict)
    chains_refused: int = 0
    model: Model | None = None


@dataclass
class Explanation:
    """Why a canonical record holds the records it holds."""

    canonical_id: str
    members: list[dict]
    pairs: list[dict]
    field_sources: dict[str, str]
    notes: list[str] = field(default_factory=list)


@dataclass
class Prepared:
    """A corpus's match keys in columns, its demoted identifiers, its candidate pairs, the pairs
    kept after comparing with their evidence, the pairs the weights are learnt from, and the
    weights learnt from them."""

    columns: KeyColumns
    demoted: dict[str, int]
    candidates: np.ndarray  # pair codes i * n + j: blocking's, and the pairs a person decided
    compared: ComparedPairs
    learning: ComparedPairs  # `blocking.learning_codes` (and a person's pairs) kept after comparing
    model: Model | None = None  # `fit` on `learning` with the prior `prepare` was given

    @property
    def pairs(self) -> list[tuple[int, int]]:
        return [self.compared.pair(k) for k in range(len(self.compared))]

    @property
    def evidence(self) -> list[Evidence]:
        return [self.compared.evidence(k) for k in range(len(self.compared))]

    @property
    def vetoed(self) -> list[bool]:
        return self.compared.vetoed.tolist()


def prepare(records: Iterable[Record], extra_pairs: Iterable[tuple[int, int]] = (),
            prior: Model | None = None) -> Prepared:
    """Keys (streamed into columns), demoted identifiers, and the candidate pairs (plus
    `extra_pairs`) compared; pairs whose titles clearly differ, and pairs that the weights
    (learnt with `prior`, default the shipped one) cannot queue, are dropped as soon as they are
    compared."""
    return _prepare(KeyColumns.from_records(records), extra_pairs, _quiet, prior=prior)


def _prepare(columns: KeyColumns, extra_pairs: Iterable[tuple[int, int]],
             stage: Callable[[str], None], jobs: int | None = None,
             prior: Model | None = None) -> Prepared:
    """The pairs to learn from are compared first and the weights learnt from them, so that the
    other candidate pairs are compared field by field only when those weights could merge or
    queue them (`evidence.cannot_be_queued`)."""
    n = len(columns)
    stage("identifiers")
    demoted = demoted_identifiers(columns)
    stage("blocking")
    keep = {min(i, j) * n + max(i, j) for i, j in extra_pairs}
    rank = title_rank(columns)
    orders = block_orders(columns, rank)
    candidates = candidate_codes(columns, rank=rank, orders=orders)
    learn = learning_codes(columns, rank, orders=orders)
    del rank, orders
    if keep:
        candidates = np.union1d(candidates, np.fromiter(keep, np.int64))
        learn = np.union1d(learn, np.fromiter(keep, np.int64))
    stage("comparing")
    learning = compare_candidates(columns, learn, demoted, keep, jobs=jobs)
    model = _fit(learning, prior or load_prior())
    others = compare_candidates(columns, np.setdiff1d(candidates, learn, assume_unique=True),
                                demoted, keep, jobs=jobs, model=model)
    # both sorted and unique: numpy's isin without `assume_unique` hashes all 7M candidates of a
    # million records again (7.8 s, growing faster than they do)
    compared = ComparedPairs.merged(n, [learning.take(np.isin(learning.codes, candidates,
                                                              assume_unique=True)), others])
    return Prepared(columns, demoted, candidates, compared, learning, model)


def _quiet(stage: str) -> None:
    pass


def fit(prepared: Prepared, prior: Model) -> Model:
    """Weights for this corpus: EM over the pairs to learn from (`blocking.learning_codes`) that
    no hard veto rules out, whichever of them blocking then compares."""
    return _fit(prepared.learning, prior)


def _fit(learning: ComparedPairs, prior: Model) -> Model:
    return estimate(learning.levels[~learning.vetoed], prior)


VERDICTS = ("match", "maybe", "distinct")
RULES = tuple(BY_NAME)


def dedupe(corpus: Corpus, *, decisions: Path | None = None, progress=None,
           prior: Model | None = None, jobs: int | None = None) -> DedupeReport:
    """Link duplicates in `corpus` and write canonical records; returns counts.

    Records stream from the corpus once, into key columns; pairs are compared in batches and kept
    as arrays; canonical records are written as the corpus streams past again, so that memory
    grows with the records only through their keys (README, "A million records and beyond").
    `progress(stage, 0, records)` is called as each stage starts (`STAGES`).
    `prior` replaces the shipped prior weights (bench/dedupe_sets.py passes one fitted without
    the set it scores). `jobs`: processes that read keys and compare pairs at once on a large
    corpus (default: the CPUs available; the outcome is the same whatever the number)."""

    def stage(name: str) -> None:
        if progress:
            progress(name, 0, len(columns) if name != "keys" else corpus.count())

    stage("keys")
    if decisions is not None:
        apply_decisions_file(corpus, decisions)
    decided = corpus.dedupe_decisions()
    wanted = {rid for a, b, _ in decided for rid in (a, b)}
    columns = KeyColumns.from_corpus(corpus, jobs)
    n = len(columns)
    index = {columns.id[i]: i for i in range(n) if columns.id[i] in wanted} if wanted else {}
    person: dict[tuple[int, int], str] = {}
    for a, b, decision in decided:
        if a in index and b in index:
            person[tuple(sorted((index[a], index[b])))] = decision
    prepared = _prepare(columns, list(person), stage, jobs, prior)
    stage("weights")
    model = prepared.model
    stage("judging")
    compared = prepared.compared

    judgements, pattern = judge_pairs(compared, model)

    def judgement(k: int) -> Judgement:
        decision = person.get(compared.pair(k))
        if decision:
            verdict = "match" if decision == "duplicate" else "distinct"
            return Judgement(verdict, PERSON_RULE, reasons=[BY_NAME[PERSON_RULE]])
        return judgements[pattern[k]]

    verdict = np.array([VERDICTS.index(j.verdict) for j in judgements], np.int8)[pattern]
    rule = np.array([RULES.index(j.rule) for j in judgements], np.int8)[pattern]
    total = np.array([j.total or 0 for j in judgements], np.float64)[pattern]
    for (i, j), decision in person.items():
        k = compared.find(i, j)
        if k is not None:
            verdict[k] = VERDICTS.index("match" if decision == "duplicate" else "distinct")
            rule[k], total[k] = RULES.index(PERSON_RULE), 0
    stage("clustering")
    clusters = Clusters(n, _conflicts(prepared, model, person))
    for (i, j), decision in person.items():
        if decision != "duplicate":
            clusters.keep_apart(i, j)
    report = DedupeReport(records_in=n, demoted=prepared.demoted, model=model)
    by_person = rule == RULES.index(PERSON_RULE)
    matches = np.flatnonzero(verdict == VERDICTS.index("match"))
    matches = matches[np.lexsort((compared.codes[matches], -total[matches], ~by_person[matches]))]
    refused: dict[int, tuple[int, int, str]] = {}
    for k in matches.tolist():
        i, j = compared.pair(k)
        if clusters.find(i) == clusters.find(j):
            continue  # already together: this pair links no record (`rules` counts records)
        stop = clusters.join(i, j, by_person=bool(by_person[k]))
        if stop is None:
            report.merged_pairs += 1
            report.rules[RULES[rule[k]]] = report.rules.get(RULES[rule[k]], 0) + 1
        else:
            refused[k] = stop
    report.chains_refused = len(refused)
    groups = {root: sorted(members) for root, members in clusters.members.items()}
    report.clusters = report.records_out = n - sum(len(g) - 1 for g in groups.values())

    def rows() -> Iterator[tuple[str, str, str, str, str]]:
        silent = ((verdict == VERDICTS.index("distinct")) & np.isin(rule, [RULES.index(r) for r in _SILENT])
                  & ~(compared.title >= 0.8))  # clearly not a pair: nothing to keep or explain
        silent[list(refused)] = False
        kept = np.flatnonzero(~silent)
        evidence = _EvidenceJson(compared, model, pattern[kept], kept)
        for n, k in enumerate(kept.tolist()):
            i, j = compared.pair(k)
            found = judgement(k)
            verdict_k, rule_k, reasons = found.verdict, found.rule, list(found.reasons)
            if k in refused:
                x, y, why = refused[k]
                verdict_k, rule_k = "maybe", "chain_refused"
                reasons.append(f"merging would put {columns.id[x]} and {columns.id[y]} in one "
                               f"record, but {why}")
            elif verdict_k == "maybe" and clusters.find(i) == clusters.find(j):
                verdict_k = "linked"
            if verdict_k == "maybe":
                report.maybe_pairs += 1
            yield columns.id[i], columns.id[j], verdict_k, rule_k, evidence.row(n, found, reasons)

    stage("writing")
    low = frozenset(prepared.demoted)
    corpus.write_dedupe(rows(), canonical_records(corpus, columns, groups, low), prepared.demoted)
    corpus.record_run("dedupe", {"decisions file": str(decisions) if decisions else None,
                                 "decisions by a person": len(person)})
    stage("done")
    return report


STAGES = ("keys", "identifiers", "blocking", "comparing", "weights", "judging", "clustering",
          "writing", "done")


_SILENT = {"weights", "different_titles", "different_identifiers"}
"""Pairs kept apart by these rules whose titles are below .8 similar are clearly two works: their
rows are not written (two DOIs on two titles merely sharing a start are most pairs of a large
corpus, and nobody asks why they were not merged)."""


def _conflicts(prepared: Prepared, model: Model,
               person: dict[tuple[int, int], str]) -> Callable[[int, int], str | None]:
    """conflict(a, b) for the clustering: why records a and b may not share a cluster."""
    cache: dict[tuple[int, int], str | None] = {}
    low = frozenset(prepared.demoted)
    compared, columns = prepared.compared, prepared.columns

    def conflict(a: int, b: int) -> str | None:
        pair = (a, b)
        if pair not in cache:
            k = compared.find(a, b)
            if pair in person:
                cache[pair] = None if person[pair] == "duplicate" else "a person said so"
            elif k is not None:
                cache[pair] = contradicts(compared.evidence(k), model,
                                          counted=not compared.vetoed[k])
            else:  # a candidate dropped unqueued is judged as if kept (`counted`), as before
                evidence = compare(columns.keys(a), columns.keys(b), low)
                code = a * len(columns) + b
                at = int(np.searchsorted(prepared.candidates, code))
                candidate = at < len(prepared.candidates) and prepared.candidates[at] == code
                cache[pair] = contradicts(evidence, model, counted=bool(candidate))
        return cache[pair]

    return conflict


class _EvidenceJson:
    """The evidence column of judged pairs, `_evidence_json` of each as JSON, made from parts:
    what a pair's judging pattern fixes (`evidence.judge_pairs`: the levels, the yes/no facts,
    hence the weights and the total), worked out once a pattern, and the few values of the pair
    itself (title similarity, year gap, title count, demoted identifiers, reasons). A million
    judged rows cost a fifth of building each pair's `Evidence` and its dict."""

    def __init__(self, compared: ComparedPairs, model: Model, patterns: np.ndarray,
                 kept: np.ndarray):
        self.compared, self.model, self.kept = compared, model, kept.tolist()
        self.patterns, self.counted = patterns.tolist(), (~compared.vetoed[kept]).tolist()
        self.title, self.gap = compared.title[kept].tolist(), compared.year_gap[kept].tolist()
        self.count = compared.title_count[kept].tolist()
        self.fixed: dict[tuple, tuple[dict, str | None, dict]] = {}
        self.memo: dict = {}

    def row(self, n: int, found: Judgement, reasons: list[str]) -> str:
        """The evidence JSON of the n-th kept pair, judged `found`, with these reasons."""
        k, counted = self.kept[n], self.counted[n]
        key = (self.patterns[n], counted, found.rule == PERSON_RULE)
        if key not in self.fixed:
            whole = _evidence_json(self.compared.evidence(k), found, self.model, [], counted,
                                   self.memo)
            self.fixed[key] = (whole["levels"], whole.get("title_via"),
                               {name: value for name, value in whole.items()
                                if name not in _PER_PAIR})
        levels, via, rest = self.fixed[key]
        out: dict = {"levels": levels}
        title, gap, count = self.title[n], self.gap[n], self.count[n]
        if title == title:  # not NaN
            out["title"] = title
        if via:
            out["title_via"] = via
        if gap >= 0:
            out["year_gap"] = gap
        demoted = self.compared.ids_demoted.get(k)
        if demoted:
            out["ids_demoted"] = list(demoted)
        if count > 2:
            out["title_count"] = count
        out.update(rest)
        if reasons:
            out["reasons"] = reasons
        return orjson.dumps(out).decode()


_PER_PAIR = {"levels", "title", "title_via", "year_gap", "ids_demoted", "title_count", "reasons"}
"""Keys of `_evidence_json` that are the pair's own; the others follow from its pattern."""


def _evidence_json(evidence: Evidence, found: Judgement, model: Model, reasons: list[str],
                   counted: bool, memo: dict | None = None) -> dict:
    """The evidence column of a judged pair; `memo` keeps the weights of each level pattern."""
    memo = {} if memo is None else memo
    pattern = (tuple(evidence.levels.values()), counted)
    if pattern not in memo:
        fitted = model.without(evidence.levels) if counted else model
        memo[pattern] = ({k: round(v, 2) for k, v in fitted.weights(evidence.levels).items()},
                         round(fitted.total({k: None for k in LEVELS}), 2))
    out = evidence.as_dict()
    out["weights"], out["prior"] = dict(memo[pattern][0]), memo[pattern][1]
    if found.total is not None:
        out["total"] = round(found.total, 2)
        out["probability"] = round(found.probability, 6)
    if reasons:
        out["reasons"] = reasons
    return out


def reset(corpus: Corpus) -> None:
    """Remove every merge: exports show the input records again. A person's decisions stay."""
    corpus.reset_dedupe()


def explain(corpus: Corpus, record_id: str) -> Explanation:
    """The members of the canonical record holding `record_id`, the weights or rule behind each
    linking pair in plain words, the pairs with a member that were queued or kept apart (those
    whose titles are similar, .8 or more, or that a named rule other than different identifiers
    kept apart), notes on identifiers found issue-level, and which member each field came from."""
    for canonical in corpus.canonical_records():
        if canonical.id == record_id or record_id in canonical.merged_from:
            break
    else:
        raise LitcorpusError(f"no record {record_id!r} in the corpus",
                             "run 'litcorpus dedupe' first and use an id from the JSONL export")
    ids = canonical.merged_from or [canonical.id]
    members = []
    carried: dict[str, list[str]] = {}
    for rid in ids:
        record = corpus.record(rid)
        origin = record.origins[0] if record and record.origins else None
        members.append({"id": rid, "title": record.title if record else None,
                        "origin": f"{origin.file}:{origin.line} ({origin.format})" if origin else ""})
        for identifier in (record.doi, record.pmid) if record else ():
            if identifier:
                carried.setdefault(identifier, []).append(rid)
    notes = [f"{identifier} (carried by {', '.join(carried[identifier])}) is shared in this corpus "
             f"by {n} records whose titles clearly differ: an issue- or book-level identifier "
             "here, so it merged nothing on its own"
             for identifier, n in corpus.demoted_identifiers(sorted(carried)).items()]
    pairs = []
    for a, b, verdict, rule, data in corpus.judged_pairs(ids, touching=True):
        evidence = json.loads(data)
        pairs.append({"a": a, "b": b, "verdict": verdict, "rule": rule,
                      "why": BY_NAME.get(rule, rule), "evidence": evidence,
                      "words": in_words(evidence)})
    return Explanation(canonical.id, members, pairs, canonical.field_sources, notes)


def in_words(evidence: dict) -> list[str]:
    """A pair's evidence as sentences: each field's level and weight, the total, the reasons."""
    lines = []
    weights = evidence.get("weights", {})
    for name, level in evidence.get("levels", {}).items():
        said = LEVELS[name][level]
        if name == "title" and evidence.get("title") is not None:
            said += f" ({evidence['title']:.2f}" + (
                ", one language of a bilingual title" if evidence.get("title_via") else "") + ")"
        if name in weights:
            lines.append(f"{name}: {said}, {weights[name]:+.1f} bits")
    for identifier in evidence.get("ids_demoted", []):
        lines.append(f"identifier {identifier}: shared here by records with clearly different "
                     "titles, so an issue- or book-level identifier; it did not count")
    if "total" in evidence:
        lines.append(f"total {evidence['total']:+.1f} bits (prior {evidence.get('prior', 0):+.1f})"
                     f": probability of a duplicate {evidence['probability']:.4f}")
    lines.extend(evidence.get("reasons", []))
    return lines


def maybe_pairs(corpus: Corpus) -> list[tuple[str, str, str, dict]]:
    """Doubtful pairs a person has not decided: (a, b, rule, evidence)."""
    return corpus.dedupe_pairs("maybe")


def apply_decisions_file(corpus: Corpus, path: Path) -> int:
    """Store a person's decisions from a filled-in review file (columns a_id, b_id, decision)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise LitcorpusError(f"cannot read decisions file {path}: {exc.strerror}") from None
    if rows and not {"a_id", "b_id", "decision"} <= set(rows[0]):
        raise LitcorpusError(f"{path} has no a_id, b_id and decision columns",
                             "export it with 'litcorpus export --format review' and fill in "
                             "the decision column")
    found = []
    for line, row in enumerate(rows, start=2):
        value = (row.get("decision") or "").strip().lower()
        if not value:
            continue
        if value in DUPLICATE:
            decision = "duplicate"
        elif value in DISTINCT:
            decision = "distinct"
        else:
            raise LitcorpusError(f"{path} line {line}: decision {value!r} is not understood",
                                 "write 'duplicate' or 'distinct', or leave it empty")
        found.append((row["a_id"].strip(), row["b_id"].strip(), decision))
    corpus.set_dedupe_decisions(found)
    return len(found)


__all__ = ["DedupeReport", "Explanation", "apply_decisions_file", "dedupe", "explain",
           "in_words", "maybe_pairs", "prepare", "reset"]
