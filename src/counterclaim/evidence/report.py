"""A printable HTML report of one evidence item: fixity (re-hashed when the report is made), collection,
verification steps and status, links, metadata, and the chain of custody with its hashes (re-verified).
Print it to PDF from a browser (the stylesheet has print rules)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources

import jinja2

from counterclaim import __version__
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
