"""Instructions (valgrind's callgrind) each stage of a one-process ingest costs, beside rispy.loads:
where what is left of an ingest goes, on a busy machine too.

    python bench/ingest_stages.py [FILE]

FILE defaults to the RIS file of distinct titles and abstracts that bench/parse_vs_rispy.py writes
(needs ../shared). Each figure is one callgrind run minus a run that only sets up (imports, a warm
ingest of a small file, the file read), the stages cumulative: decode + detect + parse, then
+ normalise, + language, + JSON; the whole ingest (`jobs=1`, store included) and rispy.loads of the
file's text are counted the same way. Needs valgrind; each run takes a minute or so.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("parse", "normalise", "language", "json")


def run(path: Path, level: str) -> None:
    """Inside callgrind: set up, then do the work of `level`."""
    import shutil

    import rispy

    import litcorpus
    from litcorpus import formats, intake, language, normalize, textio
    from litcorpus.corpus import to_json

    formats.registry()
    tmp = Path(tempfile.mkdtemp())
    litcorpus.ingest([ROOT / "fixtures/formats/ris-edgecases/example_bom.ris"], db=tmp / "w.db", jobs=1)
    data = path.read_bytes()
    with intake._fewer_collections():  # as ingest runs
        if level == "rispy":
            rispy.loads(path.read_text("utf-8"))
        elif level == "ingest":
            litcorpus.ingest([path], db=tmp / "c.db", jobs=1)
        elif level in STAGES:
            upto = STAGES.index(level)
            normalize.clear_caches()
            text = textio.clean(textio.decode(data, line_ends=False).text)
            fmt = formats.detect(textio.clean(text[:formats.SNIFF_CHARS]), path.name)
            records = fmt.parse(text, path.name).records
            if upto >= 1:
                records = [normalize.record(r) for r in records]
            if upto >= 2:
                for record in records:
                    language.assign(record)
            if upto >= 3:
                for record in records:
                    to_json(record)
    shutil.rmtree(tmp)


def instructions(path: Path, level: str) -> int:
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          sys.executable, __file__, "--run", str(path), level],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "0"})
    return int(re.search(r"Collected\s*:\s*(\d+)", out.stderr).group(1))


def main() -> int:
    if sys.argv[1:2] == ["--run"]:
        run(Path(sys.argv[2]), sys.argv[3])
        return 0
    if subprocess.run(["which", "valgrind"], capture_output=True).returncode:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        if len(sys.argv) > 1:
            path = Path(sys.argv[1])
        else:
            sys.path.insert(0, str(ROOT / "bench"))
            import parse_vs_rispy

            path = Path(tmp) / "abstracts.ris"
            if parse_vs_rispy.write_abstracts_ris(path) is None:
                print(f"{parse_vs_rispy.RELEVANCE} is missing", file=sys.stderr)
                return 2
        setup = instructions(path, "setup")
        bare = instructions(path, "rispy") - setup
        print(f"{'rispy.loads':<34}{bare / 1e6:>10,.0f} M")
        before = 0
        for level in STAGES:
            total = instructions(path, level) - setup
            print(f"{'+ ' + level if before else 'decode + detect + parse':<34}"
                  f"{(total - before) / 1e6:>10,.0f} M   cumulative {total / 1e6:>8,.0f} M", flush=True)
            before = total
        ingest = instructions(path, "ingest") - setup
        print(f"{'ingest (1 process, store included)':<34}{ingest / 1e6:>10,.0f} M   "
              f"= {ingest / bare:.2f}x rispy; store and the rest {(ingest - before) / 1e6:,.0f} M")
    return 0


if __name__ == "__main__":
    sys.exit(main())
