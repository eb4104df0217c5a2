"""A printable HTML report of one evidence item: fixity (re-hashed when the report is made), collection,
verification steps and status, links, metadata, and the chain of custody with its hashes (re-verified).
The stylesheet has print rules; :func:`write_pdf` prints it with a local headless Chromium when one is installed."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import jinja2

from counterclaim import __version__
from counterclaim.errors import EvidenceError
from counterclaim.evidence import custody, registry
from counterclaim.evidence import store as files
from counterclaim.evidence.models import EvidenceItem
from counterclaim.store import Ledger
from counterclaim.store import evidence as db


def _template() -> jinja2.Template:
    text = resources.files("counterclaim.evidence").joinpath("report.html.j2").read_text("utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(text)


def render_report(ledger: Ledger, item: EvidenceItem) -> str:
    """The HTML report of ``item``."""
    info = registry.details(ledger, item)
    entries = db.custody_entries(ledger.conn, item.id)
    chain_problems = [p.detail for p in custody.verify_chain(item.id, item.sha256, entries)]
    fixity = [p for p in registry.check_item(files.store_root(ledger.path), item, entries)
              if p.kind in ("changed", "missing")]
    return _template().render(
        item=info, generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), version=__version__,
        ledger=str(ledger.path.resolve()), chain_ok=not chain_problems, chain_problems=chain_problems,
        fixity_ok=not fixity, fixity_problem="; ".join(p.detail for p in fixity),
        raw_json=json.dumps(item.metadata_raw, ensure_ascii=False, indent=2, sort_keys=True),
    )


def browser_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(html: str, out: Path, timeout_s: int = 120) -> None:
    """Print the report to PDF with a local headless Chromium (no network: the report has no external resources)."""
    browser = browser_path()
    if not browser:
        raise EvidenceError("a PDF report needs Chromium (Debian: apt-get install chromium); write --out FILE.html "
                            "and print it from a browser instead")
    with tempfile.TemporaryDirectory(prefix="cc-report-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out.resolve()}", page.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            raise EvidenceError(f"Chromium did not print the PDF within {timeout_s}s; write an HTML report "
                                "instead") from exc
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EvidenceError(f"Chromium could not print {out}: {err[-1] if err else proc.returncode}; write an HTML "
                            "report instead")
