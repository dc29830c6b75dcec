"""Ingest time of the largest RIS and MEDLINE files against the bare parse, in the same run.

    python bench/parse_vs_rispy.py [--repeat 5]

RIS: rispy.loads on the file's text (the bare parse) vs litcorpus's ingest of the same file into a
fresh corpus (decode, detect, parse, normalise, language, store). MEDLINE has no reference parser
here: the baseline is reading the file and splitting it into tagged lines. The MEDLINE sample is
PubMed_example.txt repeated 500 times with distinct PMIDs.

"RIS with abstracts" is written at bench time from the distinct titles and abstracts of
../shared/relevance's Nagtegaal_2019 and Kitchenham_2010 sets (about 3,700 records, nearly all with
an abstract; distinct texts, so no cache flatters it); it is left out, with a note, when ../shared
is missing.

By default each ingest runs in this process, so costs paid once per process (loading langdetect's
profiles, 0.4-0.6 s, when a text needs it) are paid by the first run only and the best of
`--repeat` leaves them out. `--fresh` runs each ingest in a new process, as `litcorpus ingest`
does, with litcorpus and its format modules imported before the clock starts: one-time costs
that the data calls for are then counted every time.

The target is checked on ingest as it runs by default, on every CPU this process may use
(`litcorpus.parallel`); ingest in one process (`--jobs 1`) is shown beside it. In this process
(without `--fresh`), the CPU time of the same runs follows (the least of `--repeat`; for ingest
on several CPUs, the forked parse processes' CPU time is added): on a shared machine it moves less
than wall-clock time, but it counts the work of every CPU, so it is no measure of the target.
"""

from __future__ import annotations

import argparse
import csv
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RIS = ROOT / "fixtures/formats/ris-refmanager-rayyan-zotero/asysd_zotero_export.ris"
MEDLINE = ROOT / "fixtures/formats/medline-nbib/PubMed_example.txt"
RELEVANCE = ROOT.parent / "shared" / "relevance"
ABSTRACT_SETS = ("Nagtegaal_2019/Nagtegaal_2019.csv", "Kitchenham_2010/Kitchenham_2010.csv")
INGEST = """
import sys, time
import litcorpus
from litcorpus import formats
formats.registry()  # imports every format module, as the first file of any ingest does
start = time.perf_counter()
litcorpus.ingest([sys.argv[1]], db=sys.argv[2], jobs=int(sys.argv[3]) or None)
print(time.perf_counter() - start)
"""


def write_abstracts_ris(out: Path) -> int | None:
    """A RIS file of the distinct (title, abstract) pairs of two relevance sets; None when
    ../shared/relevance is missing. Returns the number of records."""
    if not all((RELEVANCE / name).exists() for name in ABSTRACT_SETS):
        return None
    seen: dict[tuple[str, str], dict] = {}
    for name in ABSTRACT_SETS:
        with open(RELEVANCE / name, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key = (row["title"].strip(), row["abstract"].strip())
                if key[0] and key not in seen:
                    seen[key] = row
    lines = []
    for n, ((title, abstract), row) in enumerate(seen.items(), 1):
        lines += ["TY  - JOUR", f"ID  - {n}", f"TI  - {' '.join(title.split())}"]
        if abstract:
            lines.append(f"AB  - {' '.join(abstract.split())}")
        if row.get("year", "").strip():
            lines.append(f"PY  - {row['year'].strip()}")
        lines += ["ER  - ", ""]
    out.write_text("\n".join(lines), "utf-8")
    return len(seen)


def ingest_in_process(path: Path, db: Path, jobs: int | None) -> float:
    """Ingest time measured inside a fresh Python process (imports not counted)."""
    out = subprocess.run([sys.executable, "-c", INGEST, str(path), str(db), str(jobs or 0)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def cpu_time() -> float:
    """CPU time of this process and of its children waited for (the forked parse processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def best(fn, repeat: int) -> tuple[float, float]:
    """The least wall-clock time and the least CPU time of `repeat` calls; a call that returns a
    float reports its own wall-clock time (its CPU time is then not known here: NaN)."""
    times, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), cpu_time()
        own = fn()
        times.append(own if isinstance(own, float) else time.perf_counter() - start)
        cpus.append(float("nan") if isinstance(own, float) else cpu_time() - cpu)
    return min(times), min(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fresh", action="store_true",
                        help="each ingest in a new process (one-time costs counted every time)")
    args = parser.parse_args()
    import rispy

    import litcorpus
    from litcorpus import parallel

    with tempfile.TemporaryDirectory() as tmp:
        medline = Path(tmp) / "medline.txt"
        text = MEDLINE.read_text("utf-8")
        medline.write_text("\n".join(re.sub(r"PMID- (\d+)", f"PMID- {n}\\1", text)
                                     for n in range(1, 501)), "utf-8")
        abstracts = Path(tmp) / "abstracts.ris"
        n_abstracts = write_abstracts_ris(abstracts)
        files = [
            ("RIS (1,000 Zotero records)", RIS,
             lambda: rispy.loads(RIS.read_text("utf-8"))),
            ("MEDLINE (1,500 records)", medline,
             lambda: [re.match(r"^([A-Z]{2,4}) *- ", line)
                      for line in medline.read_text("utf-8").split("\n")]),
        ]
        if n_abstracts:
            files.append((f"RIS with abstracts ({n_abstracts:,})", abstracts,
                          lambda: rispy.loads(abstracts.read_text("utf-8"))))
        else:
            print(f"{RELEVANCE} is missing: the RIS file with abstracts is left out",
                  file=sys.stderr)
        rows = []
        counter = iter(range(10_000))
        for name, path, bare in files:
            def ingest(jobs, path=path):
                def run():
                    db = Path(tmp) / f"c{next(counter)}.db"
                    if not args.fresh:
                        litcorpus.ingest([path], db=db, jobs=jobs)
                        return None
                    return ingest_in_process(path, db, jobs)
                return run

            rows.append((name, best(bare, args.repeat), best(ingest(None), args.repeat),
                         best(ingest(1), args.repeat)))
    cpus = parallel.cpus()
    print(f"{'file':<30}{'bare parse s':>14}{f'ingest s ({cpus} CPUs)':>22}{'ratio':>8}"
          f"{'1 process s':>14}{'ratio':>8}   target <= 3x")
    ok = True
    for name, (bare_s, _), (ingest_s, _), (single_s, _) in rows:
        ok &= ingest_s / bare_s <= 3
        print(f"{name:<30}{bare_s:>14.3f}{ingest_s:>22.3f}{ingest_s / bare_s:>7.1f}x"
              f"{single_s:>14.3f}{single_s / bare_s:>7.1f}x")
    how = "each ingest in a fresh process" if args.fresh else "in this process"
    print(f"best of {args.repeat} runs each, {how}; " + ("target met" if ok else "target NOT met"))
    if not args.fresh:  # on a shared machine CPU time moves less than wall-clock time
        print(f"\nCPU time, same runs ({cpus} CPUs: this process and its parse processes together)")
        print(f"{'file':<30}{'bare parse s':>14}{f'ingest s ({cpus} CPUs)':>22}{'ratio':>8}"
              f"{'1 process s':>14}{'ratio':>8}")
        for name, (_, bare_c), (_, ingest_c), (_, single_c) in rows:
            print(f"{name:<30}{bare_c:>14.3f}{ingest_c:>22.3f}{ingest_c / bare_c:>7.1f}x"
                  f"{single_c:>14.3f}{single_c / bare_c:>7.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
