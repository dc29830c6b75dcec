"""The evidence on every candidate pair, computed in batches and kept as arrays.

Most candidate pairs are two works whose titles merely start or end alike. For a batch of pairs the
title keys are compared in C (`rapidfuzz.process.cpdist`), and a pair that a veto would keep apart
without a word is dropped there, in numpy (`clearly_two_works`): titles of one script and language
below .6 similar (`different_titles`), or two article-level DOIs or PMIDs that differ on titles
below .8 similar (`different_identifiers`), when nothing on either side (an erratum, a part number,
a preprint, a full text, a bilingual title) lets another rule speak first. Such a pair is neither
kept nor explained, as before: its row would not be written, and EM leaves vetoed pairs out.
Every other pair is compared field by field (`scoring.compare` on `Keys` rebuilt from the columns,
the one definition of the evidence) and its evidence packed: one int8 level per field, which EM
reads, and the few facts the rules read beside them (`ComparedPairs.evidence` gives the `Evidence`
back).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from litcorpus import collector, parallel
from litcorpus.dedupe.blocking import BLOCK_KINDS, decode
from litcorpus.dedupe.columns import (
    COMMENT,
    ERRATUM,
    FULL_TEXT,
    LANGUAGES,
    NUMBERS,
    PART,
    PARTS,
    PREPRINT,
    RETRACTION,
    KeyColumns,
    stable_hash,
)
from litcorpus.dedupe.rules import RECURRING, VETOES, Judgement, judge
from litcorpus.dedupe.scoring import (
    CLEARLY_DIFFERENT,
    FIELDS,
    LEVELS,
    Evidence,
    compare,
    title_contains,
)
from litcorpus.dedupe.weights import IDENTIFIER, Model

BATCH = 100_000
SILENT_VETOES = ("different_titles", "different_identifiers")
"""Vetoes whose pairs, on titles below `SILENT_BELOW` similar, are dropped as soon as compared."""
SILENT_BELOW = 0.8
_FACTS = ("title_via", "scripts_differ", "erratum_mismatch", "retraction_mismatch",
          "comment_mismatch", "part_mismatch", "preprint_mismatch", "full_text_side")
"""The yes/no facts of an `Evidence`, one bit each (`title_via` is "part" or None)."""


@dataclass
class ComparedPairs:
    """Pairs that were compared and kept, in code order, with their evidence."""

    n: int                                  # records in the corpus (codes are i * n + j)
    codes: np.ndarray                       # int64, sorted
    levels: np.ndarray                      # int8 (pairs x FIELDS), -1 where a field is missing
    title: np.ndarray                       # float64, NaN where the titles cannot be compared
    year_gap: np.ndarray                    # int16, -1 where a year is missing
    facts: np.ndarray                       # uint8, bits of _FACTS
    title_count: np.ndarray                 # int32
    vetoed: np.ndarray                      # bool: a hard veto holds (EM leaves these out)
    ids_demoted: dict[int, tuple[str, ...]] = field(default_factory=dict)  # pair -> identifiers

    def __len__(self) -> int:
        return len(self.codes)

    @classmethod
    def joined(cls, n: int, parts: list[ComparedPairs]) -> ComparedPairs:
        """Runs of compared pairs, in order, as one."""
        if len(parts) == 1:
            return parts[0]
        ids_demoted, offset = {}, 0
        for part in parts:
            ids_demoted.update({offset + k: v for k, v in part.ids_demoted.items()})
            offset += len(part)
        arrays = [np.concatenate([getattr(p, name) for p in parts]) for name in _ARRAYS]
        return cls(n, *arrays, ids_demoted=ids_demoted)

    @classmethod
    def merged(cls, n: int, parts: list[ComparedPairs]) -> ComparedPairs:
        """Runs of compared pairs with no pair in two of them, as one in code order."""
        joined = cls.joined(n, parts)
        order = np.argsort(joined.codes, kind="stable")
        return joined.take(order)

    def take(self, where: np.ndarray) -> ComparedPairs:
        """The pairs at `where` (a bool mask, in order; or positions, in their order)."""
        positions = np.flatnonzero(where) if where.dtype == bool else where
        new = {int(k): i for i, k in enumerate(positions.tolist()) if int(k) in self.ids_demoted} \
            if self.ids_demoted else {}
        return ComparedPairs(self.n, *(getattr(self, name)[positions] for name in _ARRAYS),
                             ids_demoted={i: self.ids_demoted[k] for k, i in new.items()})

    def pair(self, k: int) -> tuple[int, int]:
        i, j = divmod(int(self.codes[k]), self.n)
        return i, j

    def find(self, i: int, j: int) -> int | None:
        """The position of pair (i, j), i < j, or None when it was not kept."""
        code = i * self.n + j
        k = int(np.searchsorted(self.codes, code))
        return k if k < len(self.codes) and self.codes[k] == code else None

    def evidence(self, k: int) -> Evidence:
        levels = self.levels[k].tolist()
        title = float(self.title[k])
        gap = int(self.year_gap[k])
        bits = int(self.facts[k])
        facts = {name: bool(bits >> n & 1) for n, name in enumerate(_FACTS)}
        return Evidence(
            levels={name: None if x < 0 else x for name, x in zip(FIELDS, levels, strict=True)},
            title=None if title != title else title, title_via="part" if facts.pop("title_via") else None,
            year_gap=None if gap < 0 else gap, ids_demoted=self.ids_demoted.get(k, ()),
            title_count=int(self.title_count[k]), **facts)


_ARRAYS = ("codes", "levels", "title", "year_gap", "facts", "title_count", "vetoed")


class _Packer:
    """Collects compared pairs into growing arrays."""

    def __init__(self):
        self.codes, self.levels, self.title = array("q"), array("b"), array("d")
        self.year_gap, self.facts, self.title_count = array("h"), array("B"), array("i")
        self.vetoed, self.ids_demoted = array("B"), {}

    def add(self, code: int, e: Evidence, vetoed: bool) -> None:
        if e.ids_demoted:
            self.ids_demoted[len(self.codes)] = e.ids_demoted
        self.codes.append(code)
        self.levels.extend(-1 if e.levels[name] is None else e.levels[name] for name in FIELDS)
        self.title.append(float("nan") if e.title is None else e.title)
        self.year_gap.append(-1 if e.year_gap is None else e.year_gap)
        self.facts.append(sum(1 << n for n, name in enumerate(_FACTS)
                              if (e.title_via if name == "title_via" else getattr(e, name))))
        self.title_count.append(e.title_count)
        self.vetoed.append(vetoed)

    def result(self, n: int) -> ComparedPairs:
        return ComparedPairs(
            n, np.frombuffer(self.codes, np.int64),
            np.frombuffer(self.levels, np.int8).reshape(-1, len(FIELDS)),
            np.frombuffer(self.title, np.float64), np.frombuffer(self.year_gap, np.int16),
            np.frombuffer(self.facts, np.uint8), np.frombuffer(self.title_count, np.int32),
            np.frombuffer(self.vetoed, np.uint8).astype(bool), self.ids_demoted)


def judge_pairs(compared: ComparedPairs, model: Model) -> tuple[list[Judgement], np.ndarray]:
    """`rules.judge` on every compared pair, once per pattern of what it reads: the levels, the
    yes/no facts, where the title similarity falls (missing, below `CLEARLY_DIFFERENT`, below .95,
    .95 or more) and the title count once it reaches `RECURRING` (a reason names it). Returns the
    judgements of the patterns and each pair's pattern: a corpus has a few thousand patterns and
    millions of pairs, and every pair of a pattern gets an equal judgement."""
    m = len(compared)
    title = compared.title
    where = np.select([np.isnan(title), title < CLEARLY_DIFFERENT, title < 0.95], [0, 1, 2], 3)
    count = np.where(compared.title_count >= RECURRING, compared.title_count, 0).astype(np.int32)
    signature = np.empty((m, len(FIELDS) + 6), np.uint8)
    signature[:, :len(FIELDS)] = compared.levels.view(np.uint8)
    signature[:, len(FIELDS)] = compared.facts
    signature[:, len(FIELDS) + 1] = where
    signature[:, len(FIELDS) + 2:] = count.view(np.uint8).reshape(m, 4)
    rows = np.ascontiguousarray(signature).view(np.dtype((np.void, signature.shape[1]))).ravel()
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    return [judge(compared.evidence(k), model) for k in first.tolist()], inverse.ravel()


def clearly_two_works(columns: KeyColumns, i: np.ndarray, j: np.ndarray, ratio: np.ndarray,
                      titles: tuple[list[str], list[str]],
                      low: np.ndarray | None = None) -> np.ndarray:
    """For pairs (i, j) with title keys `titles` and their ratios `ratio` (0..100): whether
    `compare` is sure to find the `different_titles` veto the first to hold (titles below
    `CLEARLY_DIFFERENT`), or `different_identifiers` (or `different_titles`) on titles below
    `SILENT_BELOW`. `low`: block-key hashes of the demoted identifiers (`demoted_hashes`). Where
    the columns cannot tell (a bilingual title, a part number on both sides ...) this is False and
    the pair is compared field by field."""
    fa, fb = columns.flags[i], columns.flags[j]
    la, lb = columns.title_length[i], columns.title_length[j]
    short, long = np.minimum(la, lb), np.maximum(la, lb)
    other = LANGUAGES.index("other")
    language_a, language_b = columns.language[i], columns.language[j]
    two_languages = (language_a != language_b) & (language_a != other) & (language_b != other)
    # no veto before these two can hold: erratum, retraction, comment, part, preprint
    plain = (((fa ^ fb) & (ERRATUM | RETRACTION | COMMENT | PREPRINT) == 0)
             & ((fa & fb & PART) == 0)
             & (((fa & fb & NUMBERS) == 0) | (columns.numbers[i] == columns.numbers[j])))
    clear = (plain & (short > 0) & (columns.script[i] == columns.script[j]) & ~two_languages
             & ((fa | fb) & (PARTS | FULL_TEXT) == 0)
             & (ratio / 100 < CLEARLY_DIFFERENT))
    # one title holding the other (then not clearly different) is at least 2s / (s + l) similar
    # for lengths s < l: below .6 only when the longer is over 2.33 times the shorter
    for k in np.flatnonzero(clear & (short >= 20) & (long > 2 * short)
                            & may_contain(ratio, short, long)).tolist():
        if title_contains(titles[0][k], titles[1][k]):
            clear[k] = False
    # without a bilingual title, `compare`'s title similarity is this ratio (or none at all)
    return clear | (plain & ((fa | fb) & PARTS == 0) & (ratio / 100 < SILENT_BELOW)
                    & identifiers_differ(columns, i, j, low))


def may_contain(ratio: np.ndarray, short: np.ndarray, long: np.ndarray) -> np.ndarray:
    """Whether a title of `short` characters can be held in one of `long` (`title_contains`),
    given their `ratio` (0..100): rapidfuzz's ratio is 200 * LCS / (s + l), and the longest
    common subsequence is at most s, all of the shorter title, only when the shorter is a
    subsequence of the longer (as a prefix or suffix is). Below that ratio, it is not held."""
    return ratio >= 200 * short / np.maximum(short + long, 1) - 1e-6


def identifiers_differ(columns: KeyColumns, i: np.ndarray, j: np.ndarray,
                       low: np.ndarray | None = None) -> np.ndarray:
    """Whether both records of each pair carry a DOI (or a PMID) that is not demoted (`low`: their
    block-key hashes) and the two differ: `compare`'s identifier level "different DOIs or PMIDs".
    Two hashes that differ are two identifiers; two that are equal leave the pair to `compare`."""
    low = np.zeros(0, np.int64) if low is None else low
    differ = np.zeros(len(i), bool)
    for kind in ("doi", "pmid"):
        a = columns.blocks[i, BLOCK_KINDS.index(kind)]
        b = columns.blocks[j, BLOCK_KINDS.index(kind)]
        differ |= (a != 0) & (b != 0) & (a != b) & ~np.isin(a, low) & ~np.isin(b, low)
    return differ


@dataclass
class Ceiling:
    """The most each field level can weigh for a pair judged by `model` (as `rules.judge` judges
    it: by the model estimated without that pair, `Model.without`), and the most the prior can."""

    weight: dict[str, np.ndarray]  # field -> upper bound of the weight of each level (bits)
    prior: float                   # upper bound of the prior log2-odds

    @classmethod
    def of(cls, model: Model) -> Ceiling:
        """Taking one pair out of EM's counts lowers m and u of its own levels (and of no other
        level it has): m at most to what it was, u at most to the share left when a whole pair
        is taken out of that level."""
        st = model.stats
        weight = {}
        for name in FIELDS:
            levels = range(len(LEVELS[name]))
            if not st or name in IDENTIFIER:
                weight[name] = np.array([model.weight(name, level) for level in levels])
                continue
            s, hm, hu = st["strength"], np.array(st["m"][name]), np.array(st["u"][name])
            out = np.minimum(hu, 1.0)
            m = np.maximum((hm + s * np.array(st["prior_m"][name])) / (hm.sum() + s), model.m[name])
            u = np.minimum((hu - out + s * np.array(st["prior_u"][name])) / (hu.sum() - out + s),
                           model.u[name])
            weight[name] = np.log2(m / u)
        prior = model.prior
        if st:
            prior = max(prior, (st["matches"] + st["strength"] * st["prior"])
                        / (st["pairs"] - 1 + st["strength"]))
        return cls(weight, math.log2(prior / (1 - prior)) if prior < 1 else math.inf)


def cannot_be_queued(columns: KeyColumns, i: np.ndarray, j: np.ndarray, ratio: np.ndarray,
                     titles: tuple[list[str], list[str]], ceiling: Ceiling,
                     low: np.ndarray | None = None) -> np.ndarray:
    """`_cannot_be_queued`, worked out only for the pairs whose titles are .6 to .8 similar (a
    few of a large corpus's candidates); False for the others."""
    out = np.zeros(len(i), bool)
    at = np.flatnonzero((ratio / 100 >= CLEARLY_DIFFERENT) & (ratio / 100 < SILENT_BELOW))
    if len(at):
        places = at.tolist()
        out[at] = _cannot_be_queued(columns, i[at], j[at], ratio[at],
                                    ([titles[0][k] for k in places], [titles[1][k] for k in places]),
                                    ceiling, low)
    return out


def _cannot_be_queued(columns: KeyColumns, i: np.ndarray, j: np.ndarray, ratio: np.ndarray,
                      titles: tuple[list[str], list[str]], ceiling: Ceiling,
                      low: np.ndarray | None = None) -> np.ndarray:
    """For pairs (i, j) whose titles are .6 to .8 similar: whether `rules.judge` is sure to keep
    the pair apart by its weight, below `QUEUE_AT` (a silent row, as `dedupe` writes none of
    those), whatever the fields the columns do not hold (authors, journal) say. No veto may hold
    (the columns tell) and the identifiers may not differ (`clearly_two_works` has those); the
    title level is known from the ratio (`one contains the other` or `somewhat similar`), the year,
    volume, issue and first page from their columns, and every other field counts at its best level.
    Where the columns cannot tell, this is False and the pair is compared field by field.
    (It holds while `rules.judge` queues or merges no pair without a veto below `QUEUE_AT` whose
    titles are below .95 similar; a rule that does must be read here too.)"""
    fa, fb = columns.flags[i], columns.flags[j]
    other = LANGUAGES.index("other")
    language_a, language_b = columns.language[i], columns.language[j]
    two_languages = (language_a != language_b) & (language_a != other) & (language_b != other)
    scope = ((((fa ^ fb) & (ERRATUM | RETRACTION | COMMENT | PREPRINT)) == 0)
             & ((fa & fb & PART) == 0)
             & (((fa & fb & NUMBERS) == 0) | (columns.numbers[i] == columns.numbers[j]))
             & (columns.title_length[i] > 0) & (columns.title_length[j] > 0)
             & (columns.script[i] == columns.script[j]) & ~two_languages
             & ((fa | fb) & (PARTS | FULL_TEXT) == 0)
             & (ratio / 100 >= CLEARLY_DIFFERENT) & (ratio / 100 < SILENT_BELOW)
             & ~identifiers_differ(columns, i, j, low))
    w = ceiling.weight
    contained = np.zeros(len(i), bool)
    la, lb = columns.title_length[i], columns.title_length[j]
    short, long = np.minimum(la, lb), np.maximum(la, lb)
    for k in np.flatnonzero(scope & (short >= 20) & may_contain(ratio, short, long)).tolist():
        contained[k] = title_contains(titles[0][k], titles[1][k])
    total = ceiling.prior + np.where(contained, w["title"][4], w["title"][6])
    ya, yb = columns.year[i], columns.year[j]
    gap = np.minimum(np.abs(ya.astype(np.int64) - yb), 2)
    total += np.where((ya != 0) & (yb != 0), w["year"][gap], 0.0)
    for name in ("volume", "issue"):
        a, b = getattr(columns, name)[i], getattr(columns, name)[j]
        total += np.where((a != 0) & (b != 0), np.where(a == b, w[name][0], w[name][1]), 0.0)
    a, b = columns.first_page[i], columns.first_page[j]
    total += np.where((a != 0) & (b != 0), np.where(a == b, w["pages"][:2].max(), max(w["pages"][2], 0.0)), 0.0)
    same_id = np.zeros(len(i), bool)
    for kind in ("doi", "pmid"):
        a = columns.blocks[i, BLOCK_KINDS.index(kind)]
        b = columns.blocks[j, BLOCK_KINDS.index(kind)]
        same_id |= (a != 0) & (a == b)
    total += np.where(same_id, max(w["identifier"][0], 0.0), 0.0)
    for name in ("authors", "journal"):
        total += max(w[name].max(), 0.0)
    return scope & (total < -MARGIN)


MARGIN = 0.5
"""Bits below an even chance that `cannot_be_queued` asks for (rounding, nothing more)."""


def demoted_hashes(demoted: Iterable[str]) -> np.ndarray:
    """The block-key hashes a demoted identifier has as a DOI or as a PMID (`columns.blocks`)."""
    return np.array(sorted({stable_hash(kind, value) for value in demoted
                            for kind in ("doi", "pmid")}), np.int64)


def compare_candidates(columns: KeyColumns, codes: np.ndarray, demoted: dict[str, int],
                       keep: set[int] = frozenset(), batch: int = BATCH,
                       jobs: int | None = None, model: Model | None = None) -> ComparedPairs:
    """Compare every candidate pair (codes, sorted) and keep those whose titles do not clearly
    differ, with their evidence; pairs in `keep` (a person decided them) are always kept.

    With many pairs, the codes are cut into `jobs` runs (default: the CPUs this process may use)
    compared at once, each after the first in a forked child (`litcorpus.parallel`); the runs'
    results are joined in order, so the outcome is the same whatever the number. With `model`
    (the weights these pairs will be judged by), pairs that `cannot_be_queued` are dropped too:
    they are neither kept nor explained, and EM, which learnt `model`, did not read them."""
    jobs = jobs or parallel.cpus()
    if len(codes) < PARALLEL_FROM:
        jobs = 1
    cuts = np.linspace(0, len(codes), jobs + 1).astype(int)
    parts = [codes[a:b] for a, b in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True)]
    low = frozenset(demoted)
    ceiling = Ceiling.of(model) if model is not None else None
    return ComparedPairs.joined(len(columns), list(parallel.results(
        lambda part: _compare(columns, part, low, keep, batch, ceiling), parts)))


PARALLEL_FROM = 50_000
"""Candidate pairs from which comparing is shared among processes."""


def _compare(columns: KeyColumns, codes: np.ndarray, low: frozenset[str], keep: set[int],
             batch: int, ceiling: Ceiling | None = None) -> ComparedPairs:
    n = len(columns)
    packer = _Packer()
    hashes = demoted_hashes(low)
    with collector.paused():  # a batch's Keys and Evidence hold no cycles
        for start in range(0, len(codes), batch):
            chunk = codes[start:start + batch]
            i, j = decode(chunk, n)
            titles = columns.title.take_each(i, j)
            ratio = process.cpdist(*titles, scorer=fuzz.ratio, dtype=np.float64)
            dropped = clearly_two_works(columns, i, j, ratio, titles, hashes)
            if ceiling is not None:
                dropped |= cannot_be_queued(columns, i, j, ratio, titles, ceiling, hashes)
            del titles
            if keep:
                dropped &= ~np.isin(chunk, np.fromiter(keep, np.int64))
            cache: dict[int, object] = {}
            for code, a, b in zip(chunk[~dropped].tolist(), i[~dropped].tolist(), j[~dropped].tolist(),
                                  strict=True):
                ka = cache.get(a) or cache.setdefault(a, columns.keys(a))
                kb = cache.get(b) or cache.setdefault(b, columns.keys(b))
                found = compare(ka, kb, low)
                veto = next((v for v in VETOES if v.holds(found)), None)
                if veto is not None and veto.name in SILENT_VETOES \
                        and (found.title or 0) < SILENT_BELOW and code not in keep:
                    continue  # clearly two works: kept neither in memory nor in the corpus
                packer.add(code, found, veto is not None)
    return packer.result(n)


def title_scores(columns: KeyColumns, codes: np.ndarray, batch: int = BATCH) -> np.ndarray:
    """rapidfuzz's `ratio` of the two title keys of every pair (0..1, float32), in batches (for
    benchmarks: `compare_candidates` computes the same inside its own batches)."""
    n = len(columns)
    out = np.empty(len(codes), np.float32)
    for start in range(0, len(codes), batch):
        i, j = decode(codes[start:start + batch], n)
        out[start:start + batch] = process.cpdist(columns.title.take(i), columns.title.take(j),
                                                  scorer=fuzz.ratio, dtype=np.float32) / 100
    return out
