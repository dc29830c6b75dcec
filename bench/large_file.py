"""Peak memory and time of ingesting one large RIS file, streamed vs read whole, as it grows.

    python bench/large_file.py [--mb 50,200]

The file is asysd_zotero_export.ris (1,000 records, 1.1 MB) repeated with distinct accession
numbers until it reaches the size. "streamed" is the default ingest (files over
LITCORPUS_STREAM_MB=64 are read in pieces); "whole" sets LITCORPUS_STREAM_MB high so the file is
read, parsed and held whole, as before streaming existed. Each run is its own process. Pieces are
parsed on every CPU (litcorpus.parallel): "peak MB" is the ingesting process's own peak, "child peak
MB" the largest peak of the children it forked to parse pieces (each shares the parent's pages until
it writes to them), so the two added are an upper bound of what the run held at once.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures/formats/ris-refmanager-rayyan-zotero/asysd_zotero_export.ris"
CODE = """
import json, resource, sys, time
import litcorpus
start = time.perf_counter()
report = litcorpus.ingest([sys.argv[1]], db=sys.argv[2], limits=litcorpus.Limits.from_env())
print(json.dumps({"seconds": time.perf_counter() - start, "records": report.records,
                  "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def make(path: Path, megabytes: int) -> None:
    text = SOURCE.read_text("utf-8")
    with path.open("w", encoding="utf-8") as out:
        copy = 0
        while out.tell() < megabytes << 20:
            copy += 1
            out.write(text.replace("AN  - ", f"AN  - copy{copy}-"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", default="50,200")
    args = parser.parse_args()
    print(f"{'file MB':>8}{'mode':>10}{'records':>10}{'seconds':>9}{'peak MB':>9}"
          f"{'child peak MB':>15}")
    for megabytes in map(int, args.mb.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "big.ris"
            make(path, megabytes)
            for mode, stream_mb in (("streamed", "64"), ("whole", "1000000")):
                env = {**os.environ, "LITCORPUS_STREAM_MB": stream_mb,
                       "LITCORPUS_MAX_FILE_MB": "1000000"}
                out = subprocess.run([sys.executable, "-c", CODE, str(path), f"{tmp}/{mode}.db"],
                                     capture_output=True, text=True, check=True, env=env)
                row = json.loads(out.stdout.strip().splitlines()[-1])
                print(f"{megabytes:>8}{mode:>10}{row['records']:>10}{row['seconds']:>9.1f}"
                      f"{row['mb']:>9.0f}{row['child_mb']:>15.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
