"""`litcorpus check FOLDER --expect FILE.yaml`: run the whole pipeline on a folder in a temporary
corpus and compare the outcome with written expectations (the CI check on a seed folder);
`Library.check(expect)` compares a corpus already ingested."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import yaml

from litcorpus import normalize
from litcorpus.corpus import Corpus
from litcorpus.errors import LitcorpusError
from litcorpus.intake import Limits
from litcorpus.models import Record

KEYS = {"profile", "records", "unique", "kept", "duplicates", "distinct", "dropped",
        "records_expected"}


@dataclass
class Outcome:
    what: str
    expected: Any
    actual: Any
    ok: bool


@dataclass
class CheckReport:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.outcomes)

    def add(self, what: str, expected: Any, actual: Any, ok: bool | None = None) -> None:
        self.outcomes.append(Outcome(what, expected, actual, expected == actual if ok is None else ok))


def load_expectations(path: Path) -> dict:
    """Read an expectation file (yaml.safe_load); unknown keys are errors naming the key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise LitcorpusError(f"cannot read expectations {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise LitcorpusError(f"{path} is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise LitcorpusError(f"{path} must be a mapping of expectations",
                             f"use the keys: {', '.join(sorted(KEYS))}")
    unknown = set(data) - KEYS
    if unknown:
        raise LitcorpusError(f"{path}: unknown key '{sorted(unknown)[0]}'",
                             f"use the keys: {', '.join(sorted(KEYS))}")
    for key in ("records", "unique", "kept"):
        if key in data and not isinstance(data[key], int):
            raise LitcorpusError(f"{path}: '{key}' must be a whole number")
    for key in ("duplicates", "distinct"):
        if not all(isinstance(g, list) and len(g) >= 2 for g in data.get(key, []) or []):
            raise LitcorpusError(f"{path}: '{key}' must be a list of lists of two or more "
                                 "file names, DOIs or PMIDs")
    return data


def _matches(record: Record, ref: str) -> bool:
    """Whether a canonical record answers to a file name, DOI or PMID."""
    ref = str(ref).strip()
    if normalize.doi(ref) and record.doi and normalize.doi(ref) == record.doi:
        return True
    if ref.isdigit() and record.pmid == ref:
        return True
    return any(ref in (Path(o.file).name, o.file, o.member, o.name) or
               (o.member and PurePath(o.member).name == ref) for o in record.origins)


def _find(records: list[Record], ref: str) -> list[Record]:
    return [r for r in records if _matches(r, ref)]


def check(folder: str | Path, expect: str | Path, progress=None,
          limits: Limits | None = None) -> CheckReport:
    """Ingest `folder` into a temporary corpus, then `compare` it with the expectations."""
    from litcorpus.library import Library

    expect = Path(expect)
    load_expectations(expect)  # a broken expectation file fails before any work
    with tempfile.TemporaryDirectory(prefix="litcorpus-check-") as tmp, \
            Library(Path(tmp) / "check.db", limits=limits) as library:
        library.ingest([folder], progress=progress)
        return library.check(expect)


def compare(corpus: Corpus, expect: Path) -> CheckReport:
    """Dedupe and (when a profile is named) filter `corpus`, and compare the outcome with the
    expectations in `expect`."""
    from litcorpus.dedupe import dedupe
    from litcorpus.relevance import filter_corpus, load_profile

    data = load_expectations(expect)
    report = CheckReport()
    deduped = dedupe(corpus)
    relevance = {}
    if data.get("profile"):
        profile = load_profile(expect.parent / data["profile"])
        filter_corpus(corpus, profile)
        relevance = corpus.relevance()
    records = list(corpus.canonical_records())
    kept = [r for r in records if relevance.get(r.id, {}).get("decision") != "drop"]
    if "records" in data:
        report.add("records parsed", data["records"], corpus.count())
    if "unique" in data:
        report.add("unique records after dedupe", data["unique"], deduped.records_out)
    if "kept" in data:
        report.add("records kept by the filter", data["kept"], len(kept))
    for group in data.get("duplicates") or []:
        ids = {r.id for ref in group for r in _find(records, ref)}
        found = [ref for ref in group if _find(records, ref)]
        report.add(f"duplicates {group} end as one record", 1,
                   len(ids) if len(found) == len(group) else f"missing {set(group) - set(found)}")
    for pair in data.get("distinct") or []:
        ids = [{r.id for r in _find(records, ref)} for ref in pair]
        apart = all(ids) and len(set().union(*ids)) == len(pair)
        report.add(f"distinct {pair} stay apart", "apart",
                   "apart" if apart else ("not found" if not all(ids) else "merged"))
    for ref in data.get("dropped") or []:
        found = _find(records, ref)
        actual = relevance.get(found[0].id, {}).get("decision") if found else "not found"
        report.add(f"{ref} is dropped", "drop", actual)
    for ref, fields in (data.get("records_expected") or {}).items():
        found = _find(records, ref)
        if not found:
            report.add(f"record {ref}", "present", "not found")
            continue
        exported = found[0].model_dump(mode="json")
        for name, value in (fields or {}).items():
            actual = exported.get(name)
            if name == "authors":
                actual = [a["family"] for a in actual]
            report.add(f"{ref} {name}", value, actual)
    return report
