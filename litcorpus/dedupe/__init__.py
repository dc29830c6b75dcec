"""Dedupe: keys -> identifier sanity -> blocking -> evidence -> weights (estimated on this corpus)
-> verdicts -> clusters without chaining -> canonical records, by linking, never deleting.

`dedupe(corpus)` recomputes everything from all input records plus the decisions a person made,
and writes one canonical record per cluster. Input records stay untouched; `reset(corpus)` removes
every merge. The same corpus always gives the same clusters; a person's decisions always win.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from litcorpus.corpus import Corpus
from litcorpus.dedupe.blocking import candidate_pairs
from litcorpus.dedupe.cluster import Clusters
from litcorpus.dedupe.identifiers import demoted_identifiers
from litcorpus.dedupe.keys import Keys, keys
from litcorpus.dedupe.merge import merge
from litcorpus.dedupe.rules import BY_NAME, VETOES, Judgement, contradicts, judge
from litcorpus.dedupe.scoring import LEVELS, Evidence, compare
from litcorpus.dedupe.weights import Model, encode, estimate, load_prior
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
    """A corpus's records with their keys, candidate pairs and the evidence on each pair."""

    records: list[Record]
    keys: list[Keys]
    demoted: dict[str, int]
    pairs: list[tuple[int, int]]
    evidence: list[Evidence]
    vetoed: list[bool]


def prepare(records: list[Record], extra_pairs: list[tuple[int, int]] = ()) -> Prepared:
    """Keys, demoted identifiers, and the candidate pairs (plus `extra_pairs`) with their
    evidence; pairs whose titles clearly differ are dropped as soon as they are compared."""
    all_keys = [keys(r, i) for i, r in enumerate(records)]
    counts = Counter(k.title for k in all_keys)
    for k in all_keys:
        k.title_count = counts[k.title] if k.title else 1
    demoted = demoted_identifiers(all_keys)
    candidates = candidate_pairs(all_keys)
    extra = set(extra_pairs)
    candidates.extend(sorted(extra.difference(candidates)))
    low = frozenset(demoted)
    pairs, evidence, vetoed = [], [], []
    for i, j in candidates:
        found = compare(all_keys[i], all_keys[j], low)
        veto = next((v for v in VETOES if v.holds(found)), None)
        if veto is not None and veto.name in _SILENT and (found.title or 0) < 0.8 \
                and (i, j) not in extra:
            continue  # clearly two works: kept neither in memory nor in the corpus
        pairs.append((i, j))
        evidence.append(found)
        vetoed.append(veto is not None)
    return Prepared(records, all_keys, demoted, pairs, evidence, vetoed)


def fit(prepared: Prepared, prior: Model) -> Model:
    """Weights for this corpus: EM over the candidate pairs no hard veto rules out."""
    gammas = encode([e.levels for e, v in zip(prepared.evidence, prepared.vetoed, strict=True)
                     if not v])
    return estimate(gammas, prior)


def dedupe(corpus: Corpus, *, decisions: Path | None = None, progress=None,
           prior: Model | None = None) -> DedupeReport:
    """Link duplicates in `corpus` and write canonical records; returns counts.

    `prior` replaces the shipped prior weights (bench/dedupe_sets.py passes one fitted without
    the set it scores)."""
    if decisions is not None:
        apply_decisions_file(corpus, decisions)
    records = list(corpus.records())
    index = {r.id: i for i, r in enumerate(records)}
    person: dict[tuple[int, int], str] = {}
    for a, b, decision in corpus.dedupe_decisions():
        if a in index and b in index:
            person[tuple(sorted((index[a], index[b])))] = decision
    if progress:
        progress("comparing", 0, len(records))
    prepared = prepare(records, list(person))
    model = fit(prepared, prior or load_prior())
    judged: dict[tuple[int, int], tuple[Judgement, Evidence]] = {}
    counted = {}
    for pair, evidence, vetoed in zip(prepared.pairs, prepared.evidence, prepared.vetoed,
                                      strict=True):
        counted[pair] = not vetoed
        decision = person.get(pair)
        if decision:
            verdict = "match" if decision == "duplicate" else "distinct"
            found = Judgement(verdict, PERSON_RULE, reasons=[BY_NAME[PERSON_RULE]])
        else:
            found = judge(evidence, model)
        judged[pair] = (found, evidence)
    conflict = _conflicts(prepared, model, judged, counted)
    clusters = Clusters(len(records), conflict)
    for pair, (found, _) in judged.items():
        if found.rule == PERSON_RULE and found.verdict == "distinct":
            clusters.keep_apart(*pair)
    report = DedupeReport(records_in=len(records), demoted=prepared.demoted, model=model)
    matches = sorted((p for p, (j, _) in judged.items() if j.verdict == "match"),
                     key=lambda p: (judged[p][0].rule != PERSON_RULE, -(judged[p][0].total or 0), p))
    refused: dict[tuple[int, int], tuple[int, int, str]] = {}
    for pair in matches:
        found = judged[pair][0]
        if clusters.find(pair[0]) == clusters.find(pair[1]):
            continue  # already together: this pair links no record (`rules` counts records)
        stop = clusters.join(*pair, by_person=found.rule == PERSON_RULE)
        if stop is None:
            report.merged_pairs += 1
            report.rules[found.rule] = report.rules.get(found.rule, 0) + 1
        else:
            refused[pair] = stop
    report.chains_refused = len(refused)
    groups = clusters.groups()
    rows = []
    for pair, (found, evidence) in judged.items():
        i, j = pair
        together = clusters.find(i) == clusters.find(j)
        verdict, rule, reasons = found.verdict, found.rule, list(found.reasons)
        if pair in refused:
            x, y, why = refused[pair]
            verdict, rule = "maybe", "chain_refused"
            reasons.append(f"merging would put {records[x].id} and {records[y].id} in one record, "
                           f"but {why}")
        elif verdict == "maybe" and together:
            verdict = "linked"
        elif verdict == "distinct" and found.rule in _SILENT and (evidence.title or 0) < 0.8:
            continue  # clearly not a pair: nothing to keep or explain
        if verdict == "maybe":
            report.maybe_pairs += 1
        rows.append((records[i].id, records[j].id, verdict, rule,
                     json.dumps(_evidence_json(evidence, found, model, reasons,
                                               counted[pair]))))
    report.clusters = report.records_out = len(groups)
    low = set(prepared.demoted)
    corpus.write_dedupe(rows, (merge([records[i] for i in g], demoted=low) for g in groups),
                        prepared.demoted)
    corpus.record_run("dedupe", {"decisions file": str(decisions) if decisions else None,
                                 "decisions by a person": len(person)})
    return report


_SILENT = {"weights", "different_titles"}


def _conflicts(prepared: Prepared, model: Model, judged: dict,
               counted: dict) -> Callable[[int, int], str | None]:
    """conflict(a, b) for the clustering: why records a and b may not share a cluster."""
    cache: dict[tuple[int, int], str | None] = {}
    low = frozenset(prepared.demoted)

    def conflict(a: int, b: int) -> str | None:
        pair = (a, b)
        if pair not in cache:
            if pair in judged and judged[pair][0].rule == PERSON_RULE:
                cache[pair] = None if judged[pair][0].verdict == "match" else "a person said so"
            elif pair in judged:
                cache[pair] = contradicts(judged[pair][1], model, counted=counted[pair])
            else:
                evidence = compare(prepared.keys[a], prepared.keys[b], low)
                cache[pair] = contradicts(evidence, model, counted=False)
        return cache[pair]

    return conflict


def _evidence_json(evidence: Evidence, found: Judgement, model: Model, reasons: list[str],
                   counted: bool) -> dict:
    if counted:
        model = model.without(evidence.levels)
    out = evidence.as_dict()
    out["weights"] = {k: round(v, 2) for k, v in model.weights(evidence.levels).items()}
    out["prior"] = round(model.total({k: None for k in LEVELS}), 2)
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
    whose titles are similar, .8 or more, or that a named rule kept apart), notes on identifiers
    found issue-level, and which member each field came from."""
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
