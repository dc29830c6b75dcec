"""Instructions an ingest costs (valgrind's callgrind), for before/after comparisons that a busy
machine does not blur.

    python bench/ingest_instructions.py [--before CHECKOUT] [--inputs ris,medline,listing,abstracts]
                                        [--jobs 1] [--rispy]

For each input, `litcorpus.ingest([file], jobs=1)` runs in one process under callgrind, after
imports, the input and langdetect's profiles are warmed; only the ingest is counted (it runs inside
`sys.call_tracing`, which nothing else calls, and callgrind collects only inside that call).
`abstracts` is the RIS file of distinct titles and abstracts that bench/parse_vs_rispy.py writes
(needs ../shared). `--jobs 2` counts the ingesting process (the parent: the path the wall clock
follows on a quiet machine) and, apart, the forked parse process, whose count starts from its
parent's at the fork (callgrind copies the counters with the process), so it includes the parent's
work before the fork. `--rispy` adds `rispy.loads` of each RIS input (its text read from the file, as
bench/parse_vs_rispy.py times it) and the ratio. `--before` names another checkout of litcorpus
(a `git worktree` of an older commit) to measure beside this one. Needs valgrind (Debian:
`apt-get install valgrind`); each run takes a minute or two.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(root: Path, label: str, mode: str, jobs: int = 1) -> None:
    """Inside callgrind: set up `label` from checkout `root`, and ingest it when `mode` is ingest."""
    sys.path.insert(0, str(root))
    sys.path.insert(0, str(root / "bench"))
    import ingest_listing

    import litcorpus
    from litcorpus import language

    tmp = Path(tempfile.mkdtemp())
    if label == "ris":
        path = root / "fixtures/formats/ris-refmanager-rayyan-zotero/asysd_zotero_export.ris"
    elif label == "medline":
        text = (root / "fixtures/formats/medline-nbib/PubMed_example.txt").read_text("utf-8")
        path = tmp / "medline.txt"
        path.write_text("\n".join(re.sub(r"PMID- (\d+)", f"PMID- {n}\\1", text)
                                  for n in range(1, 501)), "utf-8")
    elif label == "abstracts":  # written by this checkout's bench script, from ../shared beside it
        import importlib.util

        spec = importlib.util.spec_from_file_location("parse_vs_rispy", ROOT / "bench/parse_vs_rispy.py")
        writer = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(writer)
        path = tmp / "abstracts.ris"
        if writer.write_abstracts_ris(path) is None:
            raise SystemExit(f"{writer.RELEVANCE} is missing: the abstracts file is made from it")
    else:
        path = tmp / "listing.txt"
        path.write_text(ingest_listing.build(2000), "utf-8")
    litcorpus.ingest([root / "fixtures/formats/ris-edgecases/example_bom.ris"], db=tmp / "warm.db",
                     jobs=1)
    language.detect("Ceci est une phrase en français pour charger les profils de langue.")
    import rispy

    if mode == "ingest":
        sys.call_tracing(lambda: litcorpus.ingest([path], db=tmp / "c.db", jobs=jobs), ())
    elif mode == "rispy":
        sys.call_tracing(lambda: rispy.loads(path.read_text("utf-8")), ())
    shutil.rmtree(tmp)


def instructions(root: Path, label: str, mode: str, jobs: int = 1) -> tuple[int, list[int]]:
    """Instructions of the work counted, in the process started and in each forked child."""
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          "--collect-atstart=no", "--toggle-collect=sys_call_tracing",
                          sys.executable, __file__, "--run", str(root), label, mode, str(jobs)],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "0"})
    parent = re.search(r"==(\d+)==", out.stderr).group(1)
    counts = {pid: int(n) for pid, n in re.findall(r"==(\d+)== Collected\s*:\s*(\d+)", out.stderr)}
    children = [n for pid, n in counts.items() if pid != parent]
    return counts[parent], children


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout to measure beside this one")
    parser.add_argument("--inputs", default="ris,medline,listing")
    parser.add_argument("--jobs", type=int, default=1, help="parse processes (2: the parent counted)")
    parser.add_argument("--rispy", action="store_true", help="count rispy.loads of RIS inputs too")
    parser.add_argument("--run", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run(Path(args.run[0]), args.run[1], args.run[2], int(args.run[3]))
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    roots = [("before", args.before.resolve())] if args.before else []
    roots.append(("this checkout", ROOT))
    print(f"{'input':<10}{'checkout':<16}{'instructions':>16}")
    for label in args.inputs.split(","):
        for name, root in roots:
            cost, children = instructions(root, label, "ingest", args.jobs)
            line = f"{label:<10}{name:<16}{cost / 1e6:>14,.0f} M"
            if children:
                line += (" (forked parse process, from the parent's count at the fork: "
                         + ", ".join(f"{n / 1e6:,.0f} M" for n in children) + ")")
            if args.rispy and label in ("ris", "abstracts"):
                bare, _ = instructions(root, label, "rispy")
                line += f"   rispy.loads {bare / 1e6:,.0f} M: {cost / bare:.2f}x"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
