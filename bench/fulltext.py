"""Full-text ingest: 100 PDFs on every CPU against one process, and hostile files' time and memory.

    python bench/fulltext.py [--pdfs 100] [--hostile]

The 100 PDFs are the 13 of ../shared/fulltext/pdf (or fixtures/fulltext/pdf) copied round-robin,
each given a distinct trailing comment after %%EOF so that no two have the same content. Each
ingest runs as `litcorpus ingest` in its own process; the figure is its wall-clock time and the
peak memory of it and its children (wait4). Hostile files are generated (tests/pdfmake.py): a
bomb of nested objects, a page that inflates to 2 GB, a 200 MB PDF (pages small, a 200 MB stream
beside them), and a 50 MB HTML page; the issue's bound is 30 s and 1 GB each.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import pdfmake  # noqa: E402

SOURCES = [ROOT.parent / "shared" / "fulltext" / "pdf", ROOT / "fixtures" / "fulltext" / "pdf"]
LITCORPUS = str(Path(sys.executable).with_name("litcorpus"))


def run(args: list[str]) -> tuple[float, float, str, float]:
    """Wall seconds, peak memory in MB (the process and its children), stderr's last line and the
    CPU seconds the process and its children used (a figure a busy machine does not inflate)."""
    start = time.perf_counter()
    process = subprocess.Popen([LITCORPUS, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = process.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, (err.strip().splitlines() or [""])[-1], \
        usage.ru_utime + usage.ru_stime


def folder_of_pdfs(target: Path, n: int) -> int:
    source = next((s for s in SOURCES if s.is_dir()), None)
    if source is None:
        sys.exit("no PDFs found in ../shared/fulltext/pdf or fixtures/fulltext/pdf")
    pdfs = sorted(source.glob("*.pdf"))
    size = 0
    for i in range(n):
        data = pdfs[i % len(pdfs)].read_bytes() + b"\n%% copy %d\n" % i
        (target / f"{i:03d}_{pdfs[i % len(pdfs)].name}").write_bytes(data)
        size += len(data)
    return size


def bench_pdfs(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pdfs"
        folder.mkdir()
        size = folder_of_pdfs(folder, n)
        print(f"{n} PDFs, {size / 2**20:.1f} MB; CPUs available: {len(os.sched_getaffinity(0))}")
        for jobs in (None, 1):
            db = Path(tmp) / f"c{jobs}.db"
            args = ["ingest", str(folder), "--db", str(db)] + (["--jobs", str(jobs)] if jobs else [])
            wall, peak, last, cpu = run(args)
            label = "every CPU" if jobs is None else "one process"
            print(f"  ingest on {label:11}: {wall:6.1f} s wall, {cpu:6.1f} s CPU, {n / wall:5.1f} PDFs/s, "
                  f"peak {peak:5.0f} MB  ({last}; load average {os.getloadavg()[0]:.1f})")


def bench_hostile() -> None:
    cases = {
        "nested.pdf": lambda: pdfmake.nested_bomb(),
        "inflate-2GB.pdf": lambda: pdfmake.inflate_bomb(2048),
        "padded-200MB.pdf": lambda: pdfmake.text_pdf(
            [pdfmake.article_page(["A large file whose pages are small"], "Ada Lovelace and Mary Somerville",
                                  doi="10.1234/large.200"), [(10, 72, 700, "2")]], padding=200 << 20),
        "page-50MB.html": lambda: (
            "<!DOCTYPE html><html><head><title>Saved page</title><meta name='citation_title' "
            "content='A page saved with its images inline'><meta name='citation_doi' "
            "content='10.1234/inline.50'></head><body><div><img src='data:image/png;base64,"
            + "A" * (50 << 20) + "'></div></body></html>").encode(),
        "nested-50MB.html": lambda: ("<!DOCTYPE html><html><head><title>Deep</title></head><body>"
                                     + "<div>" * (10 << 20) + "</body></html>").encode(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in cases.items():
            path = Path(tmp) / name
            path.write_bytes(make())
            wall, peak, _, _ = run(["ingest", str(path), "--db", str(Path(tmp) / f"{name}.db")])
            out = subprocess.run([LITCORPUS, "export", "--format", "sources", "--db",
                                  str(Path(tmp) / f"{name}.db")], capture_output=True, text=True).stdout
            print(f"  {name:17} {path.stat().st_size / 2**20:6.0f} MB: {wall:5.1f} s, peak {peak:5.0f} MB"
                  f"  {out.strip()[:160]}")
            path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=int, default=100)
    parser.add_argument("--hostile", action="store_true", help="also time the hostile files")
    args = parser.parse_args()
    bench_pdfs(args.pdfs)
    if args.hostile:
        print("hostile and large files (bound: 30 s and 1 GB each):")
        bench_hostile()


if __name__ == "__main__":
    main()
