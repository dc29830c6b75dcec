"""Large synthetic corpora whose titles, authors and venues do not repeat at a million records.

    python bench/generate_corpus.py N OUT.csv [--duplicates 0.15] [--seed 7] [--exclude SET]
        [--truth TRUTH.csv]

Everything is composed from the word and name distributions of the real records beside the
project (../shared/dedupe's labelled sets, ../shared/relevance's titles, fixtures/formats):
- titles, family names, given names and journals are drawn by a Pitman-Yor process seeded with the
  real counts: a common value stays common (`Editorial`, `Wang`, `PLOS ONE`), and new values arrive
  at the rate at which the real ones keep arriving (the discount is the Heaps exponent of the real
  values, measured, not chosen);
- a new title comes from a word-level Markov chain (order 2, backing off to order 1 where a context
  was never seen) over the real titles of one topic (one real set, drawn by its size), so common
  openings (`The effect of ...`) are as common as in real corpora and the rest recombines; a title
  that already exists is drawn again. New names come from a character model of real names, new
  journals from a word model of real journal names;
- volume follows the journal's first year, pages run on within a volume, DOIs are per journal.
A share of the works (15 % of the records) is then exported again, with each field changed as the
labelled sets' true duplicate pairs show, at the rates measured on those pairs: case, punctuation,
initials vs full given names, `&` vs `and`, abbreviated or truncated journals, missing pages or
DOIs, bracketed annotations, typos, a year one apart. `--exclude SET` leaves a labelled set out of
everything the generator learns, so that it can be compared with that set held out.

The CSV has the labelled sets' columns; `--truth` also writes each record's work (ID,work).
Deterministic: the same arguments give the same file.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import math
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from itertools import accumulate, combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
LABELLED = ("cytology_screening", "stroke", "digital_work")
COLUMNS = ["ID", "title", "author", "journal", "year", "volume", "number", "pages", "doi"]
END = "\x00"
LAMBDA = 1.0  # order 2 wherever the context was seen: the closest to real collisions (BENCHMARKS.md)


# ---- what the generator learns from real records -------------------------------------------

def real_rows(exclude: Iterable[str] = ()) -> list[dict]:
    """Real records as dicts with title, author (`Family, Given and ...`), journal, year, pages."""
    exclude = set(exclude)
    rows: list[dict] = []
    for folder in sorted((SHARED / "dedupe").iterdir()):
        path = folder / "records_pre_merged.csv"
        if folder.name in exclude or not path.exists():
            continue
        with open(folder / "merged_record_ids.csv", encoding="utf-8") as handle:
            copies = {rid for row in csv.DictReader(handle) for rid in row["merged_ids"].split(";")[1:]}
        with open(path, encoding="utf-8") as handle:  # one row per work
            rows.extend(dict(r, set=folder.name) for r in csv.DictReader(handle)
                        if r["ID"] not in copies)
    for path in sorted((SHARED / "relevance").glob("*/*.csv")):
        if path.parent.name in exclude or path.stem in exclude:
            continue
        with open(path, encoding="utf-8") as handle:
            for r in csv.DictReader(handle):
                if (r.get("duplicate_record_id") or "").strip():
                    continue
                names = [n.strip() for n in (r.get("authors") or "").split(";") if n.strip()]
                # Cohen's `E J Reimer`: initials first, family name last
                author = " and ".join(f"{n.split()[-1]}, {' '.join(n.split()[:-1])}".strip(", ")
                                      for n in names)
                rows.append({"title": r.get("title") or "", "author": author,
                             "year": r.get("year") or "", "set": path.stem})
    if "formats" not in exclude:
        rows.extend(_fixture_rows())
    return rows


def _fixture_rows() -> list[dict]:
    """The records of fixtures/formats, read by litcorpus itself, one per title (the same samples
    come in several formats)."""
    import litcorpus
    from litcorpus.corpus import Corpus

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "c.db")
        litcorpus.ingest([str(ROOT / "fixtures" / "formats")], db=db)
        with Corpus(db) as corpus:
            records = {(r.title or "").lower(): r for r in corpus.records()}
            return [{"title": r.title or "", "journal": r.journal or "", "year": str(r.year or ""),
                     "pages": r.pages or "", "set": "formats",
                     "author": " and ".join(f"{a.family}, {a.given or ''}".strip(", ")
                                            for a in r.authors if a.family)}
                    for r in records.values()]


def split_author(text: str) -> tuple[str, str]:
    family, _, given = text.partition(",")
    return family.strip(), given.strip()


def heaps_exponent(stream: list[str]) -> float:
    """Slope of log(distinct values) on log(values seen) along a real stream of names."""
    stream = list(stream)
    random.Random(0).shuffle(stream)  # the real files' order (set after set) is no growth curve
    seen: set[str] = set()
    points = []
    marks = {int(len(stream) * f) for f in (0.05, 0.1, 0.2, 0.4, 0.7, 1.0)}
    for n, value in enumerate(stream, start=1):
        seen.add(value)
        if n in marks:
            points.append((math.log(n), math.log(len(seen))))
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    return min(max(slope, 0.05), 0.999)


class PitmanYor:
    """Draws that favour what is already common and bring in new values at a rate that falls as
    the real rate falls: P(new) = d*K/n, P(value i) ~ (n_i - d); seeded with the real counts."""

    def __init__(self, counts: Counter, new: Callable[[random.Random], str], rng: random.Random,
                 discount: float):
        self.counts = Counter(counts)
        self.draws = list(self.counts.elements())
        rng.shuffle(self.draws)
        self.new, self.rng, self.d = new, rng, discount

    def draw(self) -> str:
        rng, n = self.rng, len(self.draws)
        if rng.random() < self.d * len(self.counts) / n:
            value = self.new(rng)
        else:
            while True:  # proportional to n_i, accepted with (n_i - d) / n_i
                value = self.draws[rng.randrange(n)]
                if rng.random() * self.counts[value] >= self.d:
                    break
        self.counts[value] += 1
        self.draws.append(value)
        return value


class Chain:
    """A Markov chain over tokens. Each step uses the longest context (up to `order` tokens) that
    was seen, except that a shorter one is taken with probability 1 - `mix` at each level, so that
    long real phrases recombine instead of being copied. Tokens are sampled as written; contexts
    are their lower-cased forms."""

    def __init__(self, sequences: Iterable[list[str]], order: int, mix: float):
        tables: list[dict[tuple, Counter]] = [defaultdict(Counter) for _ in range(order)]
        lengths = []
        for tokens in sequences:
            lengths.append(len(tokens))
            context = ("",) * order
            for token in [*tokens, END]:
                for k in range(order):
                    tables[k][context[order - k - 1:]][token] += 1
                context = (*context[1:], token.lower())
        self.tables = [{c: self._table(t) for c, t in table.items()} for table in tables]
        self.order, self.mix, self.lengths = order, mix, lengths

    @staticmethod
    def _table(counter: Counter) -> tuple[list[str], list[int]]:
        tokens = list(counter)
        return tokens, list(accumulate(counter[t] for t in tokens))

    def sample(self, rng: random.Random, limit: int = 60, mix: float | None = None) -> list[str]:
        """One sequence whose length is drawn from the real lengths: an end drawn too early is
        drawn again, and past the length the sequence stops at the next end it meets."""
        mix = self.mix if mix is None else mix
        target = rng.choice(self.lengths)
        out: list[str] = []
        context = ("",) * self.order
        while len(out) < limit:
            k = self.order - 1
            while k > 0 and (rng.random() >= mix or context[self.order - k - 1:]
                             not in self.tables[k]):
                k -= 1
            tokens, cum = self.tables[k][context[self.order - k - 1:]]
            for _ in range(3 if len(out) < target else 1):
                token = tokens[bisect.bisect_right(cum, rng.random() * cum[-1])]
                if token != END:
                    break
            if token == END or len(out) >= target + 4:
                break
            out.append(token)
            context = (*context[1:], token.lower())
        return out


def classify(x: str, y: str) -> str:
    """How two values of one field in a true duplicate pair differ."""
    x, y = x.strip(), y.strip()
    if x == y:
        return "same"
    if not x or not y:
        return "missing"
    if x.lower() == y.lower():
        return "case"
    if re.sub(r"[^a-z0-9]+", " ", x.lower()).strip() == re.sub(r"[^a-z0-9]+", " ", y.lower()).strip():
        return "punct"
    return "differ"


FIELDS = ("title", "author", "journal", "pages", "volume", "number", "year", "doi")


def pair_rates(exclude: Iterable[str] = ()) -> dict[str, dict[str, float]]:
    """Per field, how often the copies of one work differ and how (mean over the labelled sets)."""
    per_set = []
    for name in LABELLED:
        if name in exclude:
            continue
        folder = SHARED / "dedupe" / name
        with open(folder / "records_pre_merged.csv", encoding="utf-8") as handle:
            rows = {r["ID"]: r for r in csv.DictReader(handle)}
        with open(folder / "merged_record_ids.csv", encoding="utf-8") as handle:
            groups = [r["merged_ids"].split(";") for r in csv.DictReader(handle)]
        counts: dict[str, Counter] = defaultdict(Counter)
        for group in groups:
            for a, b in combinations(group, 2):
                for f in FIELDS:
                    if f in rows[a]:
                        counts[f][classify(rows[a][f] or "", rows[b][f] or "")] += 1
        per_set.append({f: {k: v / sum(c.values()) for k, v in c.items()} for f, c in counts.items()})
    return {f: {k: sum(s.get(f, {}).get(k, 0.0) for s in per_set if f in s)
                / sum(1 for s in per_set if f in s)
                for k in ("missing", "case", "punct", "differ")}
            for f in FIELDS if any(f in s for s in per_set)}


class Model:
    """Everything learnt from real records, and the draws of new works."""

    def __init__(self, rows: list[dict], rates: dict[str, dict[str, float]], rng: random.Random,
                 mix: float = LAMBDA):
        self.rng, self.rates = rng, rates
        by_topic: dict[str, list[str]] = defaultdict(list)
        sizes_ok = {k for k, v in Counter(r["set"] for r in rows).items() if v >= 200}
        for r in rows:  # a set too small to be a topic of its own joins the mixed one
            if r["title"].strip():
                by_topic[r["set"] if r["set"] in sizes_ok else "formats"].append(r["title"].strip())
        self.topics = list(by_topic)
        self.topic_sizes = list(accumulate(len(by_topic[t]) for t in self.topics))
        self.chains = {t: Chain((x.split() for x in titles), 2, mix) for t, titles in by_topic.items()}
        surface = {t.lower(): t for titles in by_topic.values() for t in titles}
        # how often a work's title repeats another work's: from the sets whose works are known
        # (fixtures/formats holds the same samples in several formats)
        seen = [t.lower() for topic, titles in by_topic.items() if topic != "formats" for t in titles]
        random.Random(0).shuffle(seen)
        self.known_titles = set(surface)
        self.titles = PitmanYor(Counter(surface[t] for t in seen), self._new_title, rng,
                                heaps_exponent(seen))
        families, givens, sizes = [], [], []
        for r in rows:
            names = [split_author(a) for a in r.get("author", "").split(" and ") if a.strip()]
            if names:
                sizes.append(min(len(names), 30))
            for family, given in names:
                if family:
                    families.append(family)
                first = given.split()[0] if given else ""
                if len(first) > 1 and first[1:].islower() and first.isalpha():
                    givens.append(first)
        journals = [r["journal"].strip() for r in rows if r.get("journal", "").strip()]
        self.family_letters = Chain((list(f.lower()) for f in sorted(set(families))), 3, 1.0)
        self.given_letters = Chain((list(g.lower()) for g in sorted(set(givens))), 3, 1.0)
        self.journal_words = Chain((j.split() for j in sorted(set(journals))), 2, 0.5)
        self.families = PitmanYor(Counter(families), self._new_family, rng, heaps_exponent(families))
        self.givens = PitmanYor(Counter(givens), self._new_given, rng, heaps_exponent(givens))
        self.journals = PitmanYor(Counter(journals), self._new_journal, rng, heaps_exponent(journals))
        self.author_counts = sizes
        self.years = [int(r["year"]) for r in rows if str(r.get("year", "")).isdigit()
                      and 1950 <= int(r["year"]) <= 2025]
        self.page_lengths = [int(b) - int(a) for a, b in
                             (re.findall(r"\d+", r.get("pages", ""))[:2] for r in rows
                              if len(re.findall(r"\d+", r.get("pages", ""))) >= 2)
                             if 0 < int(b) - int(a) < 60]
        self.venue: dict[str, dict] = {}
        self.missing = {f: sum(1 for r in rows if f in r and not r[f].strip())
                        / max(1, sum(1 for r in rows if f in r))
                        for f in ("pages", "volume", "number", "journal")}

    def _new_title(self, rng) -> str:
        """A title from the chain of one topic (a real set), drawn by the topic's size."""
        k = bisect.bisect_right(self.topic_sizes, rng.random() * self.topic_sizes[-1])
        title, tries = "", 0
        while len(title) < 12 or title.lower() in self.known_titles:  # new means new
            # a chain that keeps giving known titles backs off to shorter contexts
            mix = 1.0 if tries < 3 else 0.5 if tries < 6 else 0.0
            title = " ".join(self.chains[self.topics[k]].sample(rng, mix=mix))
            tries += 1
        self.known_titles.add(title.lower())
        return title

    def _new_family(self, rng) -> str:
        return "".join(self.family_letters.sample(rng, 16)).title() or "Smith"

    def _new_given(self, rng) -> str:
        return "".join(self.given_letters.sample(rng, 12)).title() or "Anna"

    def _new_journal(self, rng) -> str:
        return " ".join(self.journal_words.sample(rng, 12)) or "Journal"

    def _journal(self, name: str) -> dict:
        venue = self.venue.get(name)
        if venue is None:
            rng = self.rng
            code = re.sub(r"[^a-z]", "", "".join(w[:1] for w in name.lower().split()))[:6] or "j"
            venue = self.venue[name] = {
                "first": rng.randrange(1950, 2020), "issues": rng.choice((1, 4, 6, 12, 24)),
                "doi": rng.random() < 0.75, "prefix": f"10.{1000 + len(self.venue) % 9000}",
                "code": code, "next": {}, "numbers": rng.random() < 0.1}
        return venue

    def work(self, k: int) -> dict:
        """One new work, as a first export prints it."""
        rng = self.rng
        title = self.titles.draw()
        full = rng.random() < 0.5  # this export prints given names in full, else initials
        authors = []
        for _ in range(rng.choice(self.author_counts)):
            given = [self.givens.draw()] + ([self.givens.draw()] if rng.random() < 0.3 else [])
            authors.append((self.families.draw(), given))
        journal = self.journals.draw()
        venue = self._journal(journal)
        year = max(rng.choice(self.years), venue["first"])
        volume = year - venue["first"] + 1
        issue = rng.randrange(1, venue["issues"] + 1)
        if venue["numbers"]:
            pages = f"e{rng.randrange(1000, 99999)}"
        else:
            first = venue["next"].get(volume) or rng.randrange(1, 1500)
            length = rng.choice(self.page_lengths) if self.page_lengths else 8
            venue["next"][volume] = first + length + 1
            pages = f"{first}-{first + length}"
        row = {"title": title, "author": format_authors(authors, full), "journal": journal,
               "year": str(year), "volume": str(volume), "number": str(issue), "pages": pages,
               "doi": f"{venue['prefix']}/{venue['code']}.{year}.{k:07d}" if venue["doi"] else ""}
        for f, share in self.missing.items():
            if rng.random() < share:
                row[f] = ""
        return {"row": row, "authors": authors, "full": full}

    def copy(self, work: dict) -> dict:
        """The same work exported again, each field changed as real duplicate pairs show."""
        rng, row = self.rng, dict(work["row"])
        for f in FIELDS:
            roll, kind = rng.random(), None
            for name, share in self.rates.get(f, {}).items():
                roll -= share
                if roll < 0:
                    kind = name
                    break
            if kind == "missing":
                row[f] = "" if f != "author" else row[f]
            elif kind is not None and row[f]:
                row[f] = PERTURB[f](row[f], kind, rng, work)
        return row


def format_authors(authors: list[tuple[str, list[str]]], full: bool, dots: bool = True) -> str:
    def given(names: list[str]) -> str:
        if full:
            return " ".join(names)
        return " ".join(n[0] + ("." if dots else "") for n in names)
    return " and ".join(f"{family}, {given(names)}" for family, names in authors)


# ---- perturbations seen in real duplicate pairs ---------------------------------------------

def _case(text: str, rng: random.Random) -> str:
    return rng.choice((str.upper, str.lower, str.title, lambda t: t[:1] + t[1:].lower()))(text)


def _title(text: str, kind: str, rng: random.Random, work: dict) -> str:
    if kind == "case":
        return _case(text, rng)
    if kind == "punct":
        choice = rng.randrange(4)
        if choice == 0 and ":" in text:
            return text.replace(": ", rng.choice((" - ", ". ", "--", " : ")), 1)
        if choice == 1:
            return text.rstrip(".") + "."
        if choice == 2:
            return re.sub(r"[-,:;]", " ", text)
        return text.replace("-", "--", 1) if "-" in text else text + "."
    choice = rng.randrange(6)
    if choice == 0:  # MEDLINE's annotations and language tags
        return text + rng.choice((" [Review]", ". [Review] [33 refs]", ". [Chinese]", " [German]",
                                  ". [Spanish]"))
    if choice == 1:
        return f"[{text}]" + rng.choice(("", ". [Russian]", ". [Japanese]"))
    if choice == 2 and len(text) > 12:  # two letters swapped
        i = rng.randrange(1, len(text) - 2)
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if choice == 3:  # markup and entities
        return text.replace("&", "&amp;") if "&" in text else text.replace(" ", " <i>", 1) + "</i>"
    if choice == 4 and len(text) > 80:  # a field length limit
        return text[:rng.randrange(60, 80)]
    return text.replace("'", "") if "'" in text else text.replace(" ", "  ", 1).replace("s ", "'s ", 1)


def _author(text: str, kind: str, rng: random.Random, work: dict) -> str:
    authors, full = work["authors"], work["full"]
    if kind == "case":
        return text.upper()
    if kind == "punct":
        return text.replace(".", "") if "." in text else format_authors(authors, False, dots=True)
    choice = rng.random()
    if choice < 0.7:  # the other export prints initials (or full names)
        return format_authors(authors, not full, dots=rng.random() < 0.5)
    if choice < 0.85 and len(authors) > 1:  # the last author lost
        return format_authors(authors[:-1], full)
    return format_authors([(f, g[:1]) for f, g in authors], full)  # middle names dropped


def _journal_change(text: str, kind: str, rng: random.Random, work: dict) -> str:
    if kind == "case":
        return _case(text, rng)
    if kind == "punct":
        return text.replace(":", "") if ":" in text else text + "."
    choice = rng.randrange(5)
    if choice == 0:
        return text.replace(" and ", " & ") if " and " in text else text.replace(" & ", " and ")
    if choice == 1:  # abbreviated word by word
        return " ".join(w[:4] if len(w) > 5 else w for w in text.split() if w.lower() != "of")
    if choice == 2 and len(text) > 26:
        return text[:25]
    if choice == 3:
        return text + rng.choice((".Conf", " [Electronic Resource]", "."))
    return text.upper()


def _pages(text: str, kind: str, rng: random.Random, work: dict) -> str:
    first, _, last = text.partition("-")
    if kind == "punct":
        return text.replace("-", "--")
    if not last:
        return text + "-" + text if first.isdigit() else text
    choice = rng.randrange(4)
    if choice == 0 and last.isdigit():
        return f"{first}-{int(last) + rng.choice((-1, 1, 2))}"
    if choice == 1:
        return first
    if choice == 2 and len(first) == len(last) and len(first) > 1:
        return f"{first}-{last[len(last) - 2:]}"  # 1019-27
    return f"Suppl-{last[-2:]}"


def _volume(text: str, kind: str, rng: random.Random, work: dict) -> str:
    return text + " Suppl 1" if rng.random() < 0.5 else f"v. {text}"


def _number(text: str, kind: str, rng: random.Random, work: dict) -> str:
    if kind == "punct":
        return f"{text}/{int(text) + 1}" if text.isdigit() else text
    return rng.choice((f"Pt {text}", f"{text}, SI", str(rng.randrange(100, 999))))


def _year(text: str, kind: str, rng: random.Random, work: dict) -> str:
    return str(int(text) + rng.choice((-1, 1)))


def _doi(text: str, kind: str, rng: random.Random, work: dict) -> str:
    if kind in ("case", "punct"):
        return "https://doi.org/" + text.upper()
    return text + "/abstract" if rng.random() < 0.5 else text[:-3] + f"{rng.randrange(1000):03d}"


PERTURB = {"title": _title, "author": _author, "journal": _journal_change, "pages": _pages,
           "volume": _volume, "number": _number, "year": _year, "doi": _doi}


def generate(n: int, duplicates: float = 0.15, seed: int = 7, exclude: Iterable[str] = (),
             mix: float = LAMBDA) -> Iterable[tuple[dict, int]]:
    """(row, work) for n records; the first n*(1-duplicates) are distinct works."""
    rng = random.Random(seed)
    exclude = tuple(exclude)
    model = Model(real_rows(exclude), pair_rates(exclude), rng, mix)
    unique = int(n * (1 - duplicates))
    works = []
    for k in range(unique):
        work = model.work(k)
        works.append(work)
        yield dict(work["row"], ID=f"u{k}"), k
    for k in range(n - unique):
        w = rng.randrange(unique)
        yield dict(model.copy(works[w]), ID=f"d{k}"), w


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--duplicates", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--exclude", default="", help="comma-separated labelled sets to leave out")
    parser.add_argument("--truth", type=Path, help="also write ID,work for every record")
    parser.add_argument("--mix", type=float, default=LAMBDA,
                        help="weight of the order-2 context in the title chain")
    args = parser.parse_args()
    if not (SHARED / "dedupe").exists():
        print(f"{SHARED} is missing: the generator learns from its real records", file=sys.stderr)
        return 2
    exclude = [s for s in args.exclude.split(",") if s]
    truth = open(args.truth, "w", encoding="utf-8", newline="") if args.truth else None
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        if truth:
            truth.write("ID,work\n")
        for row, work in generate(args.n, args.duplicates, args.seed, exclude, args.mix):
            writer.writerow(row)
            if truth:
                truth.write(f"{row['ID']},{work}\n")
    if truth:
        truth.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
