"""Ingest time of the largest RIS and MEDLINE files against the bare parse, in the same run.

    python bench/parse_vs_rispy.py [--repeat 5]

RIS: rispy.loads on the file's text (the bare parse) vs litcorpus's ingest of the same file into a
fresh corpus (decode, detect, parse, normalise, language, store). MEDLINE has no reference parser
here: the baseline is reading the file and splitting it into tagged lines. The MEDLINE sample is
PubMed_example.txt repeated 500 times with distinct PMIDs.

The target is checked on ingest as it runs by default, on every CPU this process may use
(`litcorpus.parallel`); ingest in one process (`--jobs 1`) is shown beside it.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RIS = ROOT / "fixtures/formats/ris-refmanager-rayyan-zotero/asysd_zotero_export.ris"
MEDLINE = ROOT / "fixtures/formats/medline-nbib/PubMed_example.txt"


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import rispy

    import litcorpus
    from litcorpus import parallel

    with tempfile.TemporaryDirectory() as tmp:
        medline = Path(tmp) / "medline.txt"
        text = MEDLINE.read_text("utf-8")
        medline.write_text("\n".join(re.sub(r"PMID- (\d+)", f"PMID- {n}\\1", text)
                                     for n in range(1, 501)), "utf-8")
        rows = []
        for name, path, bare in (
            ("RIS (1,000 Zotero records)", RIS,
             lambda: rispy.loads(RIS.read_text("utf-8"))),
            ("MEDLINE (1,500 records)", medline,
             lambda: [re.match(r"^([A-Z]{2,4}) *- ", line)
                      for line in medline.read_text("utf-8").split("\n")]),
        ):
            counter = iter(range(10_000))

            def ingest(jobs, path=path, counter=counter):
                return lambda: litcorpus.ingest([path], db=Path(tmp) / f"c{next(counter)}.db",
                                                jobs=jobs)

            rows.append((name, best(bare, args.repeat), best(ingest(None), args.repeat),
                         best(ingest(1), args.repeat)))
    cpus = parallel.cpus()
    print(f"{'file':<30}{'bare parse s':>14}{f'ingest s ({cpus} CPUs)':>22}{'ratio':>8}"
          f"{'1 process s':>14}{'ratio':>8}   target <= 3x")
    ok = True
    for name, bare_s, ingest_s, single_s in rows:
        ok &= ingest_s / bare_s <= 3
        print(f"{name:<30}{bare_s:>14.3f}{ingest_s:>22.3f}{ingest_s / bare_s:>7.1f}x"
              f"{single_s:>14.3f}{single_s / bare_s:>7.1f}x")
    print(f"best of {args.repeat} runs each; " + ("target met" if ok else "target NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
