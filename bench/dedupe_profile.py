"""Where dedupe's time and memory go, stage by stage, on an ingested corpus.

    python bench/dedupe_profile.py CORPUS.db

Runs the steps `litcorpus.dedupe.dedupe` runs (records -> keys -> candidate pairs -> scoring ->
clusters -> canonical records), each timed in CPU seconds (the machine may be shared), with the
resident memory it leaves behind, the size of the blocks and where the candidate pairs come from.
It writes nothing to the corpus. Make a corpus with
`python bench/dedupe_scale.py --sizes 100000 --keep DIR`.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections import Counter, defaultdict

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    gc.collect()
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    args = parser.parse_args()
    from litcorpus.corpus import Corpus
    from litcorpus.dedupe.blocking import MAX_BLOCK, block_keys, candidate_pairs
    from litcorpus.dedupe.cluster import Clusters
    from litcorpus.dedupe.keys import keys
    from litcorpus.dedupe.merge import merge
    from litcorpus.dedupe.rules import decide
    from litcorpus.dedupe.scoring import compare

    rows = []

    def step(name: str, start: float, before: float, note: str = "") -> None:
        seconds = time.process_time() - start  # before gc.collect in rss_mb, which is not dedupe's
        after = rss_mb()
        rows.append((name, seconds, after - before, after, note))

    base = rss_mb()
    with Corpus(args.db, create=False) as corpus:
        t, m = time.process_time(), rss_mb()
        records = list(corpus.records())
        n = len(records)
        step("records (pydantic)", t, m)
    t, m = time.process_time(), rss_mb()
    all_keys = [keys(r, i) for i, r in enumerate(records)]
    step("match keys", t, m)
    t, m = time.process_time(), rss_mb()
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for k in all_keys:
        for key in block_keys(k):
            blocks[key].append(k.index)
    sizes = Counter()
    kinds: Counter = Counter()
    for key, members in blocks.items():
        if len(members) > 1:
            pairs_here = (len(members) * (len(members) - 1) // 2 if len(members) <= MAX_BLOCK
                          else len(members) * 24)
            kinds[key[0]] += pairs_here
            sizes["> 200 (sorted neighbourhood)" if len(members) > MAX_BLOCK else
                  "21-200" if len(members) > 20 else "2-20"] += pairs_here
    big = sorted(blocks.items(), key=lambda kv: -len(kv[1]))[:5]
    step("blocks (dict of lists)", t, m, f"{len(blocks):,} blocks")
    del blocks
    t, m = time.process_time(), rss_mb()
    pairs = candidate_pairs(all_keys)
    step("candidate pairs", t, m, f"{len(pairs):,} pairs, {len(pairs) / n:.2f} per record")
    t, m = time.process_time(), rss_mb()
    judged = []
    for i, j in pairs:
        evidence = compare(all_keys[i], all_keys[j])
        found = decide(evidence)
        if found is None or (found.verdict == "distinct" and (evidence.title or 0) < 0.8):
            continue
        judged.append((i, j, found.verdict, found.name, evidence))
    step("scoring + rules", t, m, f"{len(judged):,} pairs kept with evidence")
    t, m = time.process_time(), rss_mb()
    clusters = Clusters(all_keys)
    for i, j, verdict, _, _ in judged:
        if verdict == "match":
            clusters.join(i, j)
    groups = clusters.groups()
    step("clusters", t, m, f"{len(groups):,} clusters")
    t, m = time.process_time(), rss_mb()
    written = sum(len(merge([records[i] for i in g]).model_dump_json(exclude_defaults=True))
                  for g in groups)
    step("canonical records (serialised)", t, m, f"{written / 2**20:.0f} MB of JSON")
    print(f"{n:,} records; start {base:.0f} MB resident")
    print(f"{'stage':<34}{'CPU s':>9}{'+MB kept':>10}{'MB':>8}  note")
    for name, seconds, delta, total, note in rows:
        note = note or f"{delta * 2**20 / n:.0f} B/record"
        print(f"{name:<34}{seconds:>9.2f}{delta:>10.0f}{total:>8.0f}  {note}")
    print("candidate pairs by block kind (before uniqueness):",
          ", ".join(f"{k} {v:,}" for k, v in kinds.most_common()))
    print("by block size:", ", ".join(f"{k}: {v:,}" for k, v in sizes.most_common()))
    print("largest blocks:", "; ".join(f"{key[0]} {key[1:]!s:.40} ({len(m):,})" for key, m in big))
    return 0


if __name__ == "__main__":
    sys.exit(main())
