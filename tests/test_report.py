"""The HTML report as a review team reads it: rendered in headless Chromium, the PRISMA 2020
diagram's boxes are all there with the CSV's numbers, inside their boxes and not overlapping
(positions read from the DOM); the records to act on and the run details are there, in words."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess

import pytest

import litcorpus
from litcorpus.corpus import Corpus
from litcorpus.dedupe import dedupe
from litcorpus.exporters.report import WORDS, reason_words, rule_words
from litcorpus.relevance import filter_corpus, load_profile
from tests.conftest import FIXTURES, SEEDS

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PROFILE = FIXTURES / "profiles/integrated_care.yaml"
# the boxes of the PRISMA 2020 diagram, by the template's box names (box17, meta-analysis, is an
# extra of the R package, not of PRISMA 2020)
BOXES = {f"box{i}" for i in range(1, 17)} | {"prevstud", "newstud", "othstud", "identification",
                                              "screening", "included"}
GEOMETRY = """<script>
const found = [...document.querySelectorAll('svg.prisma g[data-box]')].map(g => {
  const r = g.querySelector('rect').getBoundingClientRect();
  const t = g.querySelector('text').getBoundingClientRect();
  const lines = [...g.querySelectorAll('tspan')].map(s => s.textContent);
  return {box: g.dataset.box, rect: [r.left, r.top, r.right, r.bottom],
          text: [t.left, t.top, t.right, t.bottom],
          content: lines.length ? lines.join(' ') : g.textContent};
});
const pre = document.createElement('pre');
pre.id = 'geometry';
pre.textContent = JSON.stringify(found);
document.body.appendChild(pre);
</script>"""


def run(inputs, db, profile=True, deduped=True):
    litcorpus.ingest(inputs, db=db)
    with Corpus(db) as corpus:
        if deduped:
            dedupe(corpus)
        if profile:
            filter_corpus(corpus, load_profile(PROFILE))
    return db


def report(db) -> str:
    out = io.StringIO()
    litcorpus.export("report", out, db=db)
    return out.getvalue()


def text_of(html: str) -> str:
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    return run([SEEDS], tmp_path_factory.mktemp("seeds") / "c.db")


def rendered_geometry(html: str, tmp_path) -> list[dict]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "install Debian's chromium package (make test does when run as root)"
    page = tmp_path / "report.html"
    page.write_text(html.replace("</body>", GEOMETRY + "</body>"), "utf-8")
    dom = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                          "--window-size=1400,1600", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    found = re.search(r'<pre id="geometry">(.*?)</pre>', dom, re.S)
    assert found, "the page did not render"
    from html import unescape

    return json.loads(unescape(found.group(1)))


def overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


def inside(inner, outer) -> bool:
    return (inner[0] >= outer[0] - 1 and inner[1] >= outer[1] - 1 and inner[2] <= outer[2] + 1
            and inner[3] <= outer[3] + 1)


def test_diagram_in_chromium_has_every_box_with_the_csv_numbers(seeds_db, tmp_path):
    html = report(seeds_db)
    assert "<script" not in html and "http" not in html.split("<body>")[0]
    boxes = {b["box"]: b for b in rendered_geometry(html, tmp_path)}
    assert set(boxes) == BOXES
    out = io.StringIO()
    litcorpus.export("prisma", out, db=seeds_db)
    n = {row["data"]: row["n"] for row in csv.DictReader(io.StringIO(out.getvalue()))}
    content = {name: " ".join(box["content"].split()) for name, box in boxes.items()}
    assert f"Databases (n = {n['database_results']})" in content["box2"]
    for part in n["database_specific_results"].split("; "):
        name, count = part.rsplit(", ", 1)
        assert f"{name} (n = {count})" in content["box2"]
    assert f"Duplicate records (n = {n['duplicates']})" in content["box3"]
    assert f"automation tools (n = {n['excluded_automatic']})" in content["box3"]
    assert f"other reasons (n = {n['excluded_other']})" in content["box3"]
    assert content["box4"] == f"Records screened (n = {n['records_screened']})"
    assert (n["database_results"], n["duplicates"], n["records_screened"]) == ("19", "1", "17")
    assert content["box5"] == "Records excluded (n = )"  # for the review team to fill in
    names = sorted(boxes)
    for i, a in enumerate(names):
        assert inside(boxes[a]["text"], boxes[a]["rect"]), (a, "text outside its box")
        for b in names[i + 1:]:
            assert not overlap(boxes[a]["rect"], boxes[b]["rect"]), (a, b)


def test_diagram_grows_with_many_databases(tmp_path):
    """Nine databases and kinds of file: box2 grows, still nothing overlaps."""
    folders = ["ris-scopus", "wos-plaintext", "medline-nbib", "ris-ovid-embase", "noteexpress",
               "pubmed-xml", "crossref-json", "csv-other-databases", "endnote-xml"]
    db = run([FIXTURES / "formats" / f for f in folders], tmp_path / "c.db", profile=False)
    boxes = rendered_geometry(report(db), tmp_path)
    assert {b["box"] for b in boxes} == BOXES
    for i, a in enumerate(boxes):
        assert inside(a["text"], a["rect"]), a["box"]
        for b in boxes[i + 1:]:
            assert not overlap(a["rect"], b["rect"]), (a["box"], b["box"])


def test_review_records_with_reasons_in_words_and_run_details(tmp_path):
    # the demo profile sends no seed to review; naming an excluded term sends those naming it
    profile = tmp_path / "p.yaml"
    profile.write_text(PROFILE.read_text("utf-8") + "exclude: [qualitative]\n", "utf-8")
    db = tmp_path / "c.db"
    litcorpus.ingest([SEEDS], db=db)
    with Corpus(db) as corpus:
        dedupe(corpus)
        filter_corpus(corpus, load_profile(profile))
    html = report(db)
    page = text_of(html)
    with Corpus(db) as corpus:
        review = [i for i, d in corpus.relevance().items() if d["decision"] == "review"]
        dropped = [i for i, d in corpus.relevance().items() if d["decision"] == "drop"]
    assert len(review) >= 3 and dropped
    section = text_of(html.split("left for review by the filter")[1].split("<h2>")[0])
    for record_id in review:
        assert record_id in section
    assert "shares the profile's terms: " in section
    assert "Effects of CDDO-EA" in page and "stands apart" in page  # the drop, in words
    for code in ("log-odds", "ti095", "same_doi", "integrat,", "x the corpus median"):
        assert code not in page, code
    assert "integrated" in section  # the stem, as the word it came from
    details = text_of(html.split("Run details")[1])
    assert f"litcorpus {litcorpus.__version__}" in details
    assert "Integrated care and cross-sector collaboration in England's NHS" in details
    assert "dedupe" in details and "relevance filter" in details and "5 file(s)" in details
    assert "the same DOI" in page  # the seed merge, in words


def test_report_on_a_corpus_never_deduped_says_so(tmp_path):
    db = run([SEEDS], tmp_path / "c.db", profile=False, deduped=False)
    page = text_of(report(db))
    assert "Dedupe has not run on this corpus" in page
    assert "The relevance filter has not run" in page
    assert "Databases (n = 19)" in page and "Duplicate records (n = 0)" in page
    assert "dedupe has not run" in page.lower() and "relevance filter has not run" in page


def test_three_database_search_shows_the_overlap_matrix(tmp_path):
    """Scopus RIS, Web of Science plain text and PubMed MEDLINE exports of one topic (synthesisr's
    examples): two papers are in both Scopus and Web of Science, none of PubMed's elsewhere."""
    files = [FIXTURES / "formats/ris-scopus/Scopus_ris_example.ris",
             FIXTURES / "formats/wos-plaintext/WoS_txt_example.txt",
             FIXTURES / "formats/medline-nbib/PubMed_example.txt"]
    html = report(run(files, tmp_path / "c.db", profile=False))
    matrix = html.split("<table class='overlap'>")[1].split("</table>")[0]
    rows = {text_of(m.group(1)): [int(x) for x in re.findall(r">(\d+)</td>", m.group(2))]
            for m in re.finditer(r"<tr><th>([^<]+)</th>(.*?)</tr>", matrix)}
    header = re.findall(r"<th class='n'>([^<]+)</th>", matrix)
    assert header == ["Web of Science", "PubMed", "Scopus"]
    assert rows == {"Web of Science": [4, 0, 2], "PubMed": [0, 3, 0], "Scopus": [2, 0, 3]}
    page = text_of(html)
    assert "Scopus 3 3 1" in page and "Web of Science 4 4 2" in page and "PubMed 3 3 3" in page


def test_doubtful_pair_side_by_side_with_the_fields_that_differ(tmp_path):
    """One abstract printed twice in one issue on other pages (Rathbone et al.'s stroke set):
    dedupe asks a person, and the report shows both records with what differs."""
    db = run([FIXTURES / "report/stroke_doubtful_pair.csv"], tmp_path / "c.db", profile=False)
    html = report(db)
    section = html.split("doubtful duplicates</h2>")[1].split("<h2>")[0]
    assert section.count("<table class='wide pair'>") == 1
    page = text_of(section)
    assert "They differ in: title, pages." in page
    assert "symptom's of the posttraumatic" in page and "symptoms of the posttraumatic" in page
    assert "e8-e9" in page and "e3" in page
    assert section.count("class='differs'") == 2
    assert "bits" not in page and "weights_guarded" not in page


def test_every_rule_and_reason_has_words():
    from litcorpus.dedupe.rules import BY_NAME, VETOES

    vetoes = {v.name for v in VETOES}
    for rule in BY_NAME:
        if rule not in vetoes:
            assert rule in WORDS, rule
        assert "_" not in rule_words(rule)
    assert reason_words("log-odds -5.3 of belonging to the corpus's on-topic part") == \
        "its wording places it well outside the main topic of this search"
    assert reason_words("matches profile words: integrat, nhs", "Integrated care in the NHS") == \
        "shares these words with the profile: Integrated, NHS"
    assert reason_words({"code": "excluded_terms", "terms": "mouse"}) == \
        "mentions terms the profile excludes: mouse"
    assert rule_words("a_rule_added_later") == "a rule added later"
