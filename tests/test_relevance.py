"""The relevance filter: seeds acceptance, profile validation, little text, person overrides,
reasons in words, scores in the JSONL, excluded terms."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

import litcorpus
from litcorpus.cli import app
from litcorpus.corpus import Corpus
from litcorpus.dedupe import dedupe
from litcorpus.errors import LitcorpusError
from litcorpus.relevance import filter_corpus, load_profile, set_decision
from tests.conftest import FIXTURES, SEEDS, SHARED

PROFILE = FIXTURES / "profiles" / "integrated_care.yaml"
SEPSIS = "10.36740/wlek202403119"


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("relevance") / "c.db"
    litcorpus.ingest([SEEDS], db=db)
    with Corpus(db) as corpus:
        dedupe(corpus)
        report = filter_corpus(corpus, load_profile(PROFILE))
    return db, report


def test_plain_profile_has_only_topic_and_description():
    profile = load_profile(PROFILE)
    assert profile.topic and profile.description
    assert not (profile.include or profile.exclude or profile.seeds)


def test_seeds_drop_only_the_sepsis_mouse_study(seeds_db):
    db, report = seeds_db
    assert report.counts["drop"] == 1
    out = io.StringIO()
    litcorpus.export("jsonl", out, db=db, include_dropped=True)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == 18
    dropped = [r for r in records if r["relevance"]["decision"] == "drop"]
    assert [r["doi"] for r in dropped] == [SEPSIS]
    assert any("stands apart" in reason for reason in dropped[0]["relevance"]["reasons"])
    kept = io.StringIO()
    litcorpus.export("jsonl", kept, db=db)
    assert SEPSIS not in kept.getvalue() and len(kept.getvalue().splitlines()) == 17


def test_one_line_profile_drops_only_the_sepsis_mouse_study(tmp_path):
    db = tmp_path / "c.db"
    litcorpus.ingest([SEEDS], db=db)
    one_line = tmp_path / "one.yaml"
    one_line.write_text("topic: Integrated care and cross-sector collaboration in England's NHS\n",
                        "utf-8")
    with Corpus(db) as corpus:
        dedupe(corpus)
        report = filter_corpus(corpus, load_profile(one_line))
        dropped = [r.doi for r in corpus.canonical_records()
                   if corpus.relevance()[r.id]["decision"] == "drop"]
    assert report.counts["drop"] == 1 and dropped == [SEPSIS]


def test_reasons_are_words_and_scores_are_in_the_jsonl(seeds_db):
    db, _ = seeds_db
    out = io.StringIO()
    litcorpus.export("jsonl", out, db=db, include_dropped=True)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    sepsis = next(r for r in records if r.get("doi") == SEPSIS)["relevance"]
    assert "shares none of the profile's terms" in sepsis["reasons"]
    assert sepsis["scores"]["distance_from_core"] < 0
    assert {"relevance_gap", "wording_gap", "wording"} <= set(sepsis["scores"])
    kept = [r["relevance"] for r in records if r["relevance"]["decision"] == "keep"]
    shared = [reason for k in kept for reason in k["reasons"] if reason.startswith("shares the")]
    # the profile's words as the profile writes them, not their stems
    assert any("integrated" in reason for reason in shared)
    assert not any("integrat," in reason or reason.endswith("integrat") for reason in shared)
    assert all(not any(ch.isdigit() for ch in reason) for k in kept for reason in k["reasons"])


def test_excluded_terms_are_named_and_never_kept_silently(tmp_path):
    db = tmp_path / "c.db"
    litcorpus.ingest([SEEDS], db=db)
    profile = tmp_path / "p.yaml"
    profile.write_text(PROFILE.read_text("utf-8") + "exclude: [mouse model, COVID-19]\n", "utf-8")
    with Corpus(db) as corpus:
        dedupe(corpus)
        filter_corpus(corpus, load_profile(profile))
        decided = {r.doi: corpus.relevance()[r.id] for r in corpus.canonical_records()}
    assert decided[SEPSIS]["decision"] == "drop"
    assert "mentions the profile's excluded terms: mouse model" in decided[SEPSIS]["reasons"]
    flagged = [d for d in decided.values() if any("excluded terms" in r for r in d["reasons"])]
    assert all(d["decision"] in ("review", "drop") for d in flagged)


def test_relevance_keeps_no_sql_of_its_own():
    """The store owns its SQL: the relevance package calls Corpus methods."""
    package = FIXTURES.parent / "litcorpus" / "relevance"
    assert not [p.name for p in package.glob("*.py") if "execute(" in p.read_text("utf-8")]


def test_deterministic(seeds_db):
    db, first = seeds_db
    with Corpus(db) as corpus:
        again = filter_corpus(corpus, load_profile(PROFILE))
    assert [(d.id, d.decision, d.score) for d in again.decisions] == [(d.id, d.decision, d.score) for d in first.decisions]


def test_person_decision_survives_rerun(tmp_path):
    db = tmp_path / "c.db"
    litcorpus.ingest([SEEDS], db=db)
    with Corpus(db) as corpus:
        sepsis = next(r for r in corpus.canonical_records() if r.doi == SEPSIS)
        other = next(r for r in corpus.canonical_records() if r.doi and r.doi != SEPSIS)
        set_decision(corpus, sepsis.id, "keep")
        set_decision(corpus, other.id, "drop")
        report = filter_corpus(corpus, load_profile(PROFILE))
        filter_corpus(corpus, load_profile(PROFILE))
        assert corpus.relevance()[sepsis.id]["decision"] == "keep"
        assert corpus.relevance()[sepsis.id]["by_person"]
        assert corpus.relevance()[other.id]["decision"] == "drop"
    assert report.counts["drop"] == 1


def test_little_text_is_never_dropped(tmp_path):
    rows = ["id,title,abstract"]
    for n in range(30):
        rows.append(f"r{n},Integrated care systems and partnerships in the English NHS {n},"
                    f"\"Integrated care systems bring together the NHS, local authorities and "
                    f"social care to plan services and reduce health inequalities in England {n}.\"")
    rows.append("lone,Murine sepsis,")  # a bare, off-topic title
    table = tmp_path / "t.csv"
    table.write_text("\n".join(rows) + "\n", "utf-8")
    litcorpus.ingest([table], db=tmp_path / "c.db")
    with Corpus(tmp_path / "c.db") as corpus:
        report = filter_corpus(corpus, load_profile(PROFILE))
    lone = next(d for d in report.decisions if d.title == "Murine sepsis")
    assert lone.decision != "drop"
    assert any("little text" in reason for reason in lone.reasons)


@pytest.mark.parametrize("text,field", [
    ("description: no topic here\n", "topic"),
    ("topic: [a, b]\n", "topic"),
    ("topic: fine\nincldue: [x]\n", "incldue"),
    ("topic: fine\nexclude: 3\n", "exclude"),
])
def test_invalid_profiles_name_the_field(tmp_path, text, field):
    path = tmp_path / "p.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(LitcorpusError, match=field):
        load_profile(path)


def test_filter_command_reports_and_exit_codes(tmp_path):
    db = tmp_path / "c.db"
    runner = CliRunner()
    runner.invoke(app, ["ingest", str(SEEDS), "--db", str(db)])
    result = runner.invoke(app, ["filter", "--profile", str(PROFILE), "--db", str(db)])
    assert result.exit_code == 0
    assert "1 drop" in result.stderr and "sepsis" in result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("topic:\n  - not\n  - a line\n", "utf-8")
    result = runner.invoke(app, ["filter", "--profile", str(bad), "--db", str(db)])
    assert result.exit_code == 2 and "topic" in result.stderr


def test_intruders_from_another_field_are_dropped_and_the_review_kept(tmp_path):
    """A small intruder test on real labelled records: an NSAID drug-class review's candidates plus
    software-engineering papers. Every included record stays; software papers go (the review's own
    records may go too: most are ones its reviewers excluded)."""
    import csv

    from litcorpus.relevance import Profile

    relevance = SHARED / "relevance"
    if not relevance.exists():
        pytest.skip("../shared/relevance is not beside the project")
    topics = json.loads((relevance / "topics.json").read_text("utf-8"))
    def rows(name: str) -> list[dict]:
        with open(relevance / name, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    own, other = rows("Cohen_2006/NSAIDS.csv"), rows("Kitchenham_2010/Kitchenham_2010.csv")[::12]
    table = tmp_path / "candidates.csv"
    with open(table, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "abstract"])
        writer.writerows([f"T-{r['record_id']}", r["title"], r["abstract"]] for r in own)
        writer.writerows([f"X-{r['record_id']}", r["title"], r["abstract"]] for r in other)
    litcorpus.ingest([table], db=tmp_path / "c.db")
    topic = topics["Cohen_2006/NSAIDS.csv"]
    with Corpus(tmp_path / "c.db") as corpus:
        filter_corpus(corpus, Profile(topic=topic["title"], description=topic["profile"]))
        source = {r.id: r.origins[0].source_id for r in corpus.records()}
        decision = {source[i]: d["decision"] for i, d in corpus.relevance().items()}
    included = [f"T-{r['record_id']}" for r in own if r["label_included"] == "1"]
    # a row with neither title nor abstract is reported as unreadable, not made a record
    assert included and all(decision.get(i) != "drop" for i in included)
    intruders_dropped = sum(decision[f"X-{r['record_id']}"] == "drop" for r in other) / len(other)
    assert intruders_dropped >= 0.9, intruders_dropped


def test_a_clean_search_keeps_every_included_record_and_words_weigh_the_same(tmp_path):
    """The same review's records alone (a search with nothing off-topic): every included record is
    still kept, and a word weighs the same whatever else the corpus holds (the background is
    general English, not the corpus)."""
    import csv

    from litcorpus.relevance import Profile
    from litcorpus.relevance.scoring import Space

    relevance = SHARED / "relevance"
    if not relevance.exists():
        pytest.skip("../shared/relevance is not beside the project")
    topic = json.loads((relevance / "topics.json").read_text("utf-8"))["Cohen_2006/Estrogens.csv"]
    with open(relevance / "Cohen_2006/Estrogens.csv", encoding="utf-8", newline="") as handle:
        own = list(csv.DictReader(handle))
    table = tmp_path / "candidates.csv"
    with open(table, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "abstract"])
        writer.writerows([r["record_id"], r["title"], r["abstract"]] for r in own)
    litcorpus.ingest([table], db=tmp_path / "c.db")
    with Corpus(tmp_path / "c.db") as corpus:
        filter_corpus(corpus, Profile(topic=topic["title"], description=topic["profile"]))
        source = {r.id: r.origins[0].source_id for r in corpus.records()}
        decision = {source[i]: d["decision"] for i, d in corpus.relevance().items()}
    included = [r["record_id"] for r in own if r["label_included"] == "1"]
    assert included and all(decision.get(i) != "drop" for i in included)
    alone = Space.build([r["title"] for r in own])
    mixed = Space.build([r["title"] for r in own] + ["Pair programming in software teams"] * 500)
    assert alone.weights["estrogen"] == mixed.weights["estrogen"] > mixed.weights["women"]


def _signals(n_core: int = 40, n_far: int = 10):
    """A corpus as the filter measures it: on-topic records near the core, a field apart."""
    from litcorpus.relevance.decide import Signals

    core = [Signals(profile=0.3, spread=0.9 + 0.002 * i, wording=2.0 + 0.01 * i, nearest=0.5,
                    tokens=120, matched=["integrated"]) for i in range(n_core)]
    far = [Signals(profile=0.0, spread=0.1, wording=-1.0 - 0.1 * i, nearest=0.4, tokens=90)
           for i in range(n_far)]
    return core, far


def test_far_records_drop_and_the_rest_is_read_against_the_core():
    from litcorpus.relevance.decide import Margins, decide_all

    core, far = _signals()
    decisions = decide_all(core + far)
    assert {d.decision for d in decisions[:len(core)]} == {"keep"}
    assert {d.decision for d in decisions[len(core):]} == {"drop"}
    reasons = decisions[-1].reasons
    assert "shares none of the profile's terms" in reasons
    assert "its wording sets it apart from the corpus's on-topic records" in reasons
    assert any("less than a quarter as well" in r for r in reasons)
    assert decisions[-1].scores["distance_from_core"] < Margins().drop
    # the same records with a more cautious margin
    assert all(d.decision != "drop" for d in decide_all(core + far, Margins(2.0, -999.0)))


def test_little_text_seeds_and_excluded_terms_override_the_margin():
    from dataclasses import replace

    from litcorpus.relevance.decide import decide_all

    core, far = _signals()
    short = replace(far[0], tokens=4)
    seed = replace(far[1], seed=True)
    excluded_on_topic = replace(core[20], excluded=["mouse"])
    excluded_far = replace(far[2], excluded=["mouse"])
    decisions = decide_all([excluded_on_topic, *core[:20], *core[21:], short, seed, excluded_far,
                            *far[3:]])
    assert decisions[0].decision == "review"
    assert "mentions the profile's excluded terms: mouse" in decisions[0].reasons
    on_short, on_seed = decisions[len(core)], decisions[len(core) + 1]
    assert on_short.decision == "review" and any("little text" in r for r in on_short.reasons)
    assert on_seed.decision == "keep"
    assert decisions[len(core) + 2].decision == "drop"


def test_run_settings_record_the_design_and_the_cut(seeds_db):
    from litcorpus.relevance import DESIGN, Margins

    db, _ = seeds_db
    with Corpus(db) as corpus:
        settings = corpus.runs()["filter"]["settings"]
    assert settings["design"] == {"alpha": DESIGN.alpha, "mass": DESIGN.mass,
                                  "core": DESIGN.core, "smoothing": DESIGN.smoothing}
    assert settings["margins"]["drop"] == Margins().drop < 0


def test_design_parameters_reach_the_signals_without_measuring_again(seeds_db):
    from litcorpus.relevance import Design, link_records, score_records, signals_of

    db, _ = seeds_db
    profile = load_profile(PROFILE)
    with Corpus(db) as corpus:
        records = list(corpus.canonical_records())
    linked = link_records(records, profile)
    assert signals_of(linked) == score_records(records, profile)
    # a larger mass that counts for nothing: every record inherits less from its neighbours
    weaker = signals_of(linked, Design(mass=10.0))
    assert all(w.spread <= s.spread + 1e-12 for w, s in zip(weaker, signals_of(linked), strict=True))
    assert any(w.spread < s.spread for w, s in zip(weaker, signals_of(linked), strict=True))
