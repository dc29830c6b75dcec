"""Dedupe: prep (keys) -> block -> score -> rules -> cluster -> merge, by linking, never deleting.

`dedupe(corpus)` recomputes everything from all input records plus the decisions a person made,
and writes one canonical record per cluster to the corpus's `canonical` table. Input records stay
untouched; `reset(corpus)` removes every merge.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from litcorpus.corpus import Corpus
from litcorpus.dedupe.blocking import candidate_pairs
from litcorpus.dedupe.cluster import Clusters
from litcorpus.dedupe.keys import keys
from litcorpus.dedupe.merge import merge
from litcorpus.dedupe.rules import BY_NAME, decide
from litcorpus.dedupe.scoring import compare
from litcorpus.errors import LitcorpusError

SCHEMA = """
CREATE TABLE IF NOT EXISTS dedupe_pairs (
    a TEXT NOT NULL, b TEXT NOT NULL, verdict TEXT NOT NULL, rule TEXT NOT NULL,
    evidence TEXT NOT NULL, PRIMARY KEY (a, b));
CREATE TABLE IF NOT EXISTS dedupe_decisions (
    a TEXT NOT NULL, b TEXT NOT NULL, decision TEXT NOT NULL, PRIMARY KEY (a, b));
"""
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


@dataclass
class Explanation:
    """Why a canonical record holds the records it holds."""

    canonical_id: str
    members: list[dict]
    pairs: list[dict]
    field_sources: dict[str, str]


def dedupe(corpus: Corpus, *, decisions: Path | None = None, progress=None) -> DedupeReport:
    """Link duplicates in `corpus` and write canonical records; returns counts."""
    corpus.ensure_schema(SCHEMA)
    if decisions is not None:
        apply_decisions_file(corpus, decisions)
    records = list(corpus.records())
    all_keys = [keys(r, i) for i, r in enumerate(records)]
    index = {r.id: i for i, r in enumerate(records)}
    person = {}
    for a, b, decision in corpus.db.execute("SELECT a, b, decision FROM dedupe_decisions"):
        if a in index and b in index:
            person[tuple(sorted((index[a], index[b])))] = decision
    pairs = candidate_pairs(all_keys)
    pairs.extend(sorted(set(person).difference(pairs)))  # person-decided pairs outside the blocks
    if progress:
        progress("scoring", 0, len(pairs))
    judged = []
    for n, (i, j) in enumerate(pairs):
        evidence = compare(all_keys[i], all_keys[j])
        decision = person.get((i, j))
        if decision == "duplicate":
            verdict, rule = "match", PERSON_RULE
        elif decision == "distinct":
            verdict, rule = "distinct", PERSON_RULE
        else:
            found = decide(evidence)
            if found is None or (found.verdict == "distinct" and (evidence.title or 0) < 0.8):
                continue  # a veto on clearly different titles: nothing to keep or explain
            verdict, rule = found.verdict, found.name
        judged.append((i, j, verdict, rule, evidence))
        if progress and n % 5000 == 0:
            progress("scoring", n, len(pairs))
    clusters = Clusters(all_keys)
    for i, j, verdict, rule, _ in judged:
        if rule == PERSON_RULE and verdict == "distinct":
            clusters.keep_apart(i, j)
    strength = {"person": 0, "same_doi": 1, "same_pmid": 2}
    matches = sorted((x for x in judged if x[2] == "match"),
                     key=lambda x: (strength.get(x[3], 3), -(x[4].title or 0)))
    report = DedupeReport(records_in=len(records))
    for i, j, _, rule, _ in matches:
        # a pair inside one cluster already links no record: `rules` counts records linked away
        if clusters.find(i) != clusters.find(j) and clusters.join(i, j):
            report.merged_pairs += 1
            report.rules[rule] = report.rules.get(rule, 0) + 1
    groups = clusters.groups()
    maybes = [x for x in judged if x[2] == "maybe" and clusters.find(x[0]) != clusters.find(x[1])]
    report.maybe_pairs = len(maybes)
    report.clusters = report.records_out = len(groups)
    with corpus.transaction() as db:
        db.execute("DELETE FROM canonical")
        db.execute("DELETE FROM dedupe_pairs")
        db.executemany(
            "INSERT OR REPLACE INTO dedupe_pairs VALUES (?, ?, ?, ?, ?)",
            ((records[i].id, records[j].id,
              "linked" if verdict == "maybe" and clusters.find(i) == clusters.find(j)
              else verdict, rule, json.dumps(evidence.as_dict()))
             for i, j, verdict, rule, evidence in judged))
        db.executemany("INSERT INTO canonical (id, data) VALUES (?, ?)",
                       ((c.id, c.model_dump_json(exclude_defaults=True))
                        for c in (merge([records[i] for i in g]) for g in groups)))
    corpus.record_run("dedupe", {"decisions file": str(decisions) if decisions else None,
                                 "decisions by a person": len(person)})
    return report


def reset(corpus: Corpus) -> None:
    """Remove every merge: exports show the input records again. A person's decisions stay."""
    corpus.ensure_schema(SCHEMA)
    with corpus.transaction() as db:
        db.execute("DELETE FROM canonical")
        db.execute("DELETE FROM dedupe_pairs")


def explain(corpus: Corpus, record_id: str) -> Explanation:
    """The members of the canonical record holding `record_id`, the rule and scores behind each
    linking pair, and which member each field came from."""
    corpus.ensure_schema(SCHEMA)
    for canonical in corpus.canonical_records():
        if canonical.id == record_id or record_id in canonical.merged_from:
            break
    else:
        raise LitcorpusError(f"no record {record_id!r} in the corpus",
                             "run 'litcorpus dedupe' first and use an id from the JSONL export")
    ids = canonical.merged_from or [canonical.id]
    members = []
    for rid in ids:
        record = corpus.record(rid)
        origin = record.origins[0] if record and record.origins else None
        members.append({"id": rid, "title": record.title if record else None,
                        "origin": f"{origin.file}:{origin.line} ({origin.format})" if origin else ""})
    marks = ",".join("?" * len(ids))
    rows = corpus.db.execute(
        f"SELECT a, b, verdict, rule, evidence FROM dedupe_pairs WHERE a IN ({marks}) "
        f"AND b IN ({marks})", ids + ids).fetchall() if len(ids) > 1 else []
    pairs = [{"a": a, "b": b, "verdict": v, "rule": r,
              "why": BY_NAME[r].description if r in BY_NAME else "decided by a person",
              "evidence": json.loads(e)} for a, b, v, r, e in rows]
    return Explanation(canonical.id, members, pairs, canonical.field_sources)


def maybe_pairs(corpus: Corpus) -> list[tuple[str, str, str, dict]]:
    """Doubtful pairs a person has not decided: (a, b, rule, evidence)."""
    corpus.ensure_schema(SCHEMA)
    rows = corpus.db.execute(
        "SELECT p.a, p.b, p.rule, p.evidence FROM dedupe_pairs p LEFT JOIN dedupe_decisions d "
        "ON d.a = p.a AND d.b = p.b WHERE p.verdict = 'maybe' AND d.decision IS NULL ORDER BY p.a")
    return [(a, b, rule, json.loads(e)) for a, b, rule, e in rows]


def apply_decisions_file(corpus: Corpus, path: Path) -> int:
    """Store a person's decisions from a filled-in review file (columns a_id, b_id, decision)."""
    corpus.ensure_schema(SCHEMA)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise LitcorpusError(f"cannot read decisions file {path}: {exc.strerror}") from None
    if rows and not {"a_id", "b_id", "decision"} <= set(rows[0]):
        raise LitcorpusError(f"{path} has no a_id, b_id and decision columns",
                             "export it with 'litcorpus export --format review' and fill in "
                             "the decision column")
    stored = 0
    with corpus.transaction() as db:
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
            a, b = sorted((row["a_id"].strip(), row["b_id"].strip()))
            db.execute("INSERT OR REPLACE INTO dedupe_decisions VALUES (?, ?, ?)", (a, b, decision))
            stored += 1
    return stored


__all__ = ["DedupeReport", "Explanation", "apply_decisions_file", "dedupe", "explain",
           "maybe_pairs", "reset"]
