"""Check set-up as a newcomer meets it: a fresh clone of this repository's HEAD, `make test` run
in a clean environment (`env -i HOME=<tmp> PATH=/usr/bin:/bin`), with ../shared beside the clone.

    python bench/fresh_clone.py            # make test in a fresh clone
    python bench/fresh_clone.py --demo     # make demo as well

Not a test: it runs `make test` itself (minutes, with the installs). Exit code is make's.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="run make demo after make test")
    args = parser.parse_args()
    shared = ROOT.parent / "shared"
    with tempfile.TemporaryDirectory(prefix="litcorpus-fresh-") as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        clone = work / "main"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        if shared.is_dir():
            (work / "shared").symlink_to(shared)
        else:
            print(f"note: {shared} is missing; tests that read it will say so", file=sys.stderr)
        home = Path(tmp) / "home"
        home.mkdir()
        env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
        print(f"chromium before: {shutil.which('chromium', path=env['PATH']) or 'absent'}",
              file=sys.stderr)
        code = 0
        for target in ["test"] + (["demo"] if args.demo else []):
            start = time.perf_counter()
            run = subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in env.items()),
                                  "make", "-C", str(clone), target])
            print(f"make {target}: exit {run.returncode} in {time.perf_counter() - start:.0f} s",
                  file=sys.stderr)
            code = code or run.returncode
        return code


if __name__ == "__main__":
    sys.exit(main())
