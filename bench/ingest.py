"""Benchmark: ingest speed (documents per second) and peak memory, plain text files vs one WARC, at two sizes.

Usage:  .venv/bin/python bench/ingest.py [--sizes 2000,20000] [--formats text,warc] [--work DIR] [--write]
        .venv/bin/python bench/ingest.py --pdfs 200 [--write]     # PDFs: pages/s next to pdftotext, same files

PDFs (``--pdfs N``): N generated multi-page PDFs (fpdf2, DejaVu Sans when installed, a running header and footer on
every page; 2-8 pages each) are read four ways in the same run: counterclaim's whole ingest (pypdf text layer, header
and footer removal, cleaning, metadata, language, SQLite) in a child process; pypdf's text extraction alone;
pdfminer.six's alone (when installed: the alternative library); and Debian's ``pdftotext`` (poppler-utils, one
process per file, as a user would run it). ``--write`` replaces the "## Ingest: PDF" section of BENCHMARKS.md.

For each size it generates ``n`` documents of about 5 KB (shuffled real sentences from the seeds and test cases,
with a dateline and a byline so metadata detection runs), written once as ``n`` text files in 100 folders and once as
``n`` HTML pages in one ``.warc.gz`` (warcio). Each ingest runs in a fresh child process into a fresh ledger; the
child reports the ingest's wall time, its CPU time and its own peak RSS (``VmHWM``), so runs do not share memory.
Memory is flat (streaming) when peak RSS at the large size is about the same as at the small one.

``--write`` replaces the "## Ingest" section of BENCHMARKS.md with the results (machine, load, command).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from counterclaim.ingest.prepare import default_jobs

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "examples" / "seeds", ROOT / "tests" / "cases"]
PLACES = ["Kharkiv", "Khartoum", "Gaza City", "Aleppo", "Mekelle", "Sittwe", "Taiz", "Ganja", "Mariupol", "El Fasher"]
PEOPLE = ["Maria Petrenko", "Amina Yusuf", "Omar Haddad", "Leyla Aliyeva", "Daniel Tesfaye", "Khin Maung"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def sentences() -> list[str]:
    out: list[str] = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text("utf-8")
            out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 40]
    return out


def documents(n: int, seed: int = 11) -> list[tuple[str, str]]:
    """``n`` (title, text) pairs of about 5 KB each, every text distinct."""
    rng = random.Random(seed)
    pool = sentences()
    out = []
    for i in range(n):
        parts: list[str] = []
        size = 0
        while size < 4800:
            s = rng.choice(pool)
            parts.append(s)
            size += len(s) + 1
        paragraphs = [" ".join(parts[j : j + 3]) for j in range(0, len(parts), 3)]
        title = f"Statement {i} on the situation in {rng.choice(PLACES)}"
        header = f"{rng.choice(PLACES)}, {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2014, 2024)}\n" \
                 f"By {rng.choice(PEOPLE)}\n{title}\n\n"
        out.append((title, header + "\n\n".join(paragraphs) + f"\n\nReference {i}."))
    return out


def write_text_corpus(folder: Path, docs: list[tuple[str, str]]) -> None:
    for i, (_, text) in enumerate(docs):
        sub = folder / f"part{i % 100:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"doc{i:06d}.txt").write_text(text + "\n\nShare this page\nAll rights reserved.\n", "utf-8")


def page(title: str, text: str) -> str:
    paras = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n"))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title} | Example</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>{title}</h1>\n{paras}</article>"
            f"<footer>All rights reserved. Privacy Policy</footer><script>track()</script></body></html>")


def write_warc(path: Path, docs: list[tuple[str, str]]) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for i, (title, text) in enumerate(docs):
            body = page(title, text).encode("utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(f"https://example.org/news/{i}", "response",
                                               payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)


CHILD = """
import json, resource, sys, time
from counterclaim.ingest import IngestOptions, ingest_paths
from counterclaim.store import Ledger
t0, c0 = time.perf_counter(), time.process_time()
with Ledger(sys.argv[2]) as ledger:
    report = ingest_paths(ledger, [sys.argv[1]], IngestOptions(jobs=int(sys.argv[3])))
wall = time.perf_counter() - t0
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = time.process_time() - c0 + kids.ru_utime + kids.ru_stime
hwm = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
print(json.dumps({"documents": report.documents, "problems": len(report.problems), "wall_s": wall, "cpu_s": cpu,
                  "peak_rss_mb": hwm / 1024, "worker_peak_rss_mb": kids.ru_maxrss / 1024}))
"""


def measure(inputs: Path, db: Path, jobs: int) -> dict[str, float]:
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    proc = subprocess.run([sys.executable, "-c", CHILD, str(inputs), str(db), str(jobs)], capture_output=True,
                          text=True, check=True)
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["docs_per_s"] = result["documents"] / result["wall_s"]
    result["docs_per_cpu_s"] = result["documents"] / result["cpu_s"]
    return result


def machine() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    mem = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")), 0)
    return {"cpus": str(os.cpu_count()), "cpu": cpu, "ram_gib": f"{mem / 1024 / 1024:.0f}",
            "python": platform.python_version(), "system": platform.system()}


def section(results: list[dict[str, object]], info: dict[str, str], command: str, note: str = "") -> str:
    lines = [
        "## Ingest",
        "",
        f"Machine: {info['cpus']} vCPU {info['cpu']}, {info['ram_gib']} GiB RAM, {info['system']}, "
        f"Python {info['python']}; shared with other jobs: the load average (1 min) when each run started is in the "
        "table, and `docs/CPU-s` (documents per second of the ingest process's own CPU time) is the figure that does "
        "not depend on that load.",
        "",
        f"Command: `{command}`",
        "",
        "Each run is a fresh child process ingesting into a fresh ledger: generated documents of about 5 KB (real "
        "sentences from the seeds and test cases, with a dateline and a byline), as text files in 100 folders, or as "
        "HTML pages in one `.warc.gz` (main-text extraction with trafilatura for every page). Peak RSS is the child's "
        "`VmHWM`.",
        "",
        "| input | documents | jobs | wall s | docs/s | docs/CPU-s | peak RSS MiB (worker) | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        worker = f" ({r['worker_peak_rss_mb']:.0f})" if float(str(r["worker_peak_rss_mb"])) > 0 else ""
        lines.append(f"| {r['format']} | {r['documents']} | {r['jobs']} | {r['wall_s']:.1f} | {r['docs_per_s']:.0f} | "
                     f"{r['docs_per_cpu_s']:.0f} | {r['peak_rss_mb']:.0f}{worker} | {r['load']:.1f} |")
    lines += ["", "Target: ≥ 300 docs/s for plain text; peak RSS flat between the two sizes (streaming).", ""]
    if note:
        lines += [note, ""]
    return "\n".join(lines)


def write_section(text: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    current = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Ingest\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text + "\n", current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(updated, "utf-8")


# -- PDFs --------------------------------------------------------------------------------------------------------
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def write_pdfs(folder: Path, n: int, seed: int = 7) -> int:
    """``n`` multi-page PDFs in ``folder``; returns the number of pages written."""
    from fpdf import FPDF

    rng = random.Random(seed)
    pool = sentences()
    folder.mkdir(parents=True, exist_ok=True)
    pages = 0

    class Report(FPDF):
        cc_font = "helvetica"
        cc_code = ""

        def header(self) -> None:
            self.set_font(self.cc_font, size=8)
            self.cell(0, 6, f"UNITED NATIONS · Human Rights Council · {self.cc_code}", align="C")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font(self.cc_font, size=8)
            self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")

    for i in range(n):
        pdf = Report()
        pdf.cc_code = f"A/HRC/{50 + i % 9}/CRP.{i % 7 + 1}"
        family = "helvetica"
        if FONT.exists():
            pdf.add_font("dejavu", fname=str(FONT))
            family = "dejavu"
        pdf.cc_font = family
        pdf.set_title(f"Report {i} on the situation in {rng.choice(PLACES)}")
        for _ in range(rng.randint(2, 8)):
            pdf.add_page()
            pdf.set_font(family, size=10)
            text = " ".join(rng.choice(pool) for _ in range(22))
            if family == "helvetica":
                text = text.encode("latin-1", "replace").decode("latin-1")
            pdf.multi_cell(0, 5, text)
        pdf.output(str(folder / f"report{i:04d}.pdf"))
        pages += pdf.page_no()
    return pages


def _timed(run: Any) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - t0, time.process_time() - c0


def measure_pdfs(n: int, work: Path) -> dict[str, Any]:
    folder = work / "pdfs"
    pages = write_pdfs(folder, n)
    files = sorted(folder.glob("*.pdf"))
    rows: list[dict[str, Any]] = []
    load = os.getloadavg()[0]
    ingest = measure(folder, work / "bench.db", 1)
    rows.append({"reader": "counterclaim ingest (pypdf + cleaning, metadata, language, SQLite)",
                 "wall_s": ingest["wall_s"], "cpu_s": ingest["cpu_s"], "documents": ingest["documents"],
                 "peak_rss_mb": ingest["peak_rss_mb"]})

    def with_pypdf() -> None:
        from pypdf import PdfReader

        for f in files:
            for page in PdfReader(str(f)).pages:
                page.extract_text()

    wall, cpu = _timed(with_pypdf)
    rows.append({"reader": "pypdf extract_text alone", "wall_s": wall, "cpu_s": cpu})
    try:
        from pdfminer.high_level import extract_text
    except ImportError:
        extract_text = None
    if extract_text is not None:
        wall, cpu = _timed(lambda: [extract_text(str(f)) for f in files])
        rows.append({"reader": "pdfminer.six extract_text alone", "wall_s": wall, "cpu_s": cpu})
    if shutil.which("pdftotext"):
        t0 = time.perf_counter()
        before = os.times()
        for f in files:
            subprocess.run(["pdftotext", str(f), "-"], capture_output=True, check=True)
        after = os.times()
        cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
        rows.append({"reader": "pdftotext (poppler-utils, one process per file)", "wall_s": time.perf_counter() - t0,
                     "cpu_s": cpu})
    for r in rows:
        r["pages_per_s"] = pages / r["wall_s"]
        r["pages_per_cpu_s"] = pages / r["cpu_s"] if r["cpu_s"] else float("nan")
    shutil.rmtree(folder)
    return {"files": n, "pages": pages, "load": load, "rows": rows}


def pdf_section(result: dict[str, Any], info: dict[str, str], command: str, note: str = "") -> str:
    lines = [
        "## Ingest: PDF",
        "",
        f"Machine: {info['cpus']} vCPU {info['cpu']}, {info['ram_gib']} GiB RAM, Python {info['python']}; load "
        f"average {result['load']:.1f} when the run started (shared machine: pages per CPU-second is the comparable "
        "figure).",
        "",
        f"Command: `{command}`",
        "",
        f"{result['files']} generated PDFs, {result['pages']} pages (2-8 per file, ~22 sentences a page, a running "
        "header and footer on each), read four ways in the same run on the same files.",
        "",
        "| reader | wall s | pages/s | pages/CPU-s |",
        "|---|---:|---:|---:|",
    ]
    for r in result["rows"]:
        lines.append(f"| {r['reader']} | {r['wall_s']:.1f} | {r['pages_per_s']:.0f} | {r['pages_per_cpu_s']:.0f} |")
    lines.append("")
    if note:
        lines += [note, ""]
    return "\n".join(lines)


def write_pdf_section(text: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    current = path.read_text("utf-8")
    pattern = re.compile(r"^## Ingest: PDF\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text + "\n", current, count=1)
    else:  # right after the Ingest section
        ingest = re.compile(r"^## Ingest\n.*?(?=^## |\Z)", re.S | re.M).search(current)
        at = ingest.end() if ingest else len(current)
        updated = current[:at].rstrip("\n") + "\n\n" + text + "\n" + current[at:]
    path.write_text(updated, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,20000", help="corpus sizes, comma-separated")
    parser.add_argument("--formats", default="text,warc", help="text and/or warc")
    parser.add_argument("--work", help="folder for the generated corpora (default: a temporary one, removed)")
    parser.add_argument("--write", action="store_true", help="write the results into BENCHMARKS.md")
    parser.add_argument("--jobs", default="1,0", help="worker settings to run (1: none, 0: one per CPU), comma-separated")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "ingest.json"))
    parser.add_argument("--from-json", help="do not run: write BENCHMARKS.md from the --out file of an earlier run")
    parser.add_argument("--note", default="", help="a sentence added under the table (e.g. about the machine's load)")
    parser.add_argument("--pdfs", type=int, default=0, help="run the PDF benchmark on this many generated PDFs")
    args = parser.parse_args()
    if args.pdfs:
        work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="cc-bench-pdf-"))
        work.mkdir(parents=True, exist_ok=True)
        try:
            result = measure_pdfs(args.pdfs, work)
        finally:
            if not args.work:
                shutil.rmtree(work, ignore_errors=True)
        command = (".venv/bin/python bench/ingest.py " + " ".join(sys.argv[1:])).strip()
        info = machine()
        out = Path(args.out).with_name("ingest_pdf.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"machine": info, "command": command, **result}, indent=2), "utf-8")
        print(json.dumps(result, indent=2))
        if args.write:
            write_pdf_section(pdf_section(result, info, command, args.note))
            print("wrote the Ingest: PDF section of BENCHMARKS.md")
        return
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text("utf-8"))
        write_section(section(saved["results"], saved["machine"], saved["command"], args.note))
        print("wrote the Ingest section of BENCHMARKS.md")
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="cc-bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, object]] = []
    try:
        for n in sizes:
            docs = documents(n)
            for fmt in formats:
                target = work / f"{fmt}{n}"
                if fmt == "text":
                    write_text_corpus(target, docs)
                else:
                    target.mkdir(exist_ok=True)
                    write_warc(target / "corpus.warc.gz", docs)
                for jobs in [int(j) for j in args.jobs.split(",")]:
                    load = os.getloadavg()[0]
                    r: dict[str, object] = {"format": fmt, "size": n, "load": load,
                                            "jobs": jobs or f"auto ({default_jobs()})",
                                            **measure(target, work / "bench.db", jobs)}
                    print(json.dumps(r), flush=True)
                    results.append(r)
                shutil.rmtree(target)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    info = machine()
    command = ".venv/bin/python bench/ingest.py " + " ".join(a for a in sys.argv[1:])
    Path(args.out).write_text(json.dumps({"machine": info, "command": command.strip(), "results": results}, indent=2),
                              "utf-8")
    if args.write:
        write_section(section(results, info, command.strip(), args.note))
        print("wrote the Ingest section of BENCHMARKS.md")


if __name__ == "__main__":
    main()
