from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from counterclaim.ingest.clean import normalise
from counterclaim.records import Document, SourceRef
from counterclaim.store import Ledger


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    led = Ledger(tmp_path / "k.db")
    yield led
    led.close()


@pytest.fixture
def add(ledger: Ledger) -> Callable[..., str]:
    def _add(text: str, name: str, published: str | None = None) -> str:
        doc = Document.from_text(normalise(text), published=published, title=name)
        ledger.add_document(doc, SourceRef(name))
        return doc.id

    return _add
