"""Instructions an ingest costs (valgrind's callgrind), for before/after comparisons that a busy
machine does not blur.

    python bench/ingest_instructions.py [--before CHECKOUT] [--inputs ris,medline,listing]

For each input, `litcorpus.ingest([file], jobs=1)` runs in one process under callgrind, and so does
the same script without the ingest (imports, input and langdetect's profiles warmed in both); the
difference is the ingest's instruction count. `--before` names another checkout of litcorpus (a
`git worktree` of an older commit) to measure beside this one. Needs valgrind (Debian: `apt-get
install valgrind`); each run takes a minute or two.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(root: Path, label: str, mode: str) -> None:
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
    else:
        path = tmp / "listing.txt"
        path.write_text(ingest_listing.build(2000), "utf-8")
    litcorpus.ingest([root / "fixtures/formats/ris-edgecases/example_bom.ris"], db=tmp / "warm.db",
                     jobs=1)
    language.detect("Ceci est une phrase en français pour charger les profils de langue.")
    if mode == "ingest":
        litcorpus.ingest([path], db=tmp / "c.db", jobs=1)
    shutil.rmtree(tmp)


def instructions(root: Path, label: str, mode: str) -> int:
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          sys.executable, __file__, "--run", str(root), label, mode],
                         capture_output=True, text=True, check=True)
    return int(re.search(r"Collected\s*:\s*(\d+)", out.stderr).group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout to measure beside this one")
    parser.add_argument("--inputs", default="ris,medline,listing")
    parser.add_argument("--run", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run(Path(args.run[0]), args.run[1], args.run[2])
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    roots = [("before", args.before.resolve())] if args.before else []
    roots.append(("this checkout", ROOT))
    print(f"{'input':<10}{'checkout':<16}{'instructions':>16}")
    for label in args.inputs.split(","):
        for name, root in roots:
            cost = instructions(root, label, "ingest") - instructions(root, label, "setup")
            print(f"{label:<10}{name:<16}{cost / 1e6:>14,.0f} M")
    return 0


if __name__ == "__main__":
    sys.exit(main())
