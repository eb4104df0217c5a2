"""Long documents are analysed in paragraph chunks with spans mapped back; a failing document is skipped."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counterclaim.extract.context import DocInput
from counterclaim.nlp.chunks import chunked, split_spans

CASES = Path(__file__).resolve().parents[1] / "cases"


def real_paragraphs() -> list[str]:
    paras: list[str] = []
    for path in sorted(CASES.glob("*.txt")):
        paras += [p.strip() for p in path.read_text("utf-8").split("\n\n") if len(p.strip()) > 80]
    return paras


@given(st.text(alphabet=st.sampled_from("ab .\n\t"), max_size=3000), st.integers(10, 400))
def test_spans_cover_the_text_in_order_within_the_limit(text: str, limit: int) -> None:
    spans = split_spans(text, limit)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert all(0 < end - start <= limit for start, end in spans) or text == ""


def test_cuts_fall_on_paragraph_breaks_when_there_are_some() -> None:
    paras = real_paragraphs()[:40]
    text = "\n\n".join(paras)
    spans = split_spans(text, 2000)
    assert len(spans) > 3
    for start, _ in spans[1:]:
        assert text[start - 2:start] == "\n\n"  # every chunk starts a paragraph


def test_chunked_records_point_into_the_whole_document(nlp) -> None:  # type: ignore[no-untyped-def]
    from counterclaim.extract.pipeline import Extractor

    text = "\n\n".join(real_paragraphs()[:30])
    ex = Extractor(nlp)
    whole = ex(list([DocInput(id="d", text=text)]))[0]
    (inp, parts), = list(chunked(ex._stream, [DocInput(id="d", text=text)], max_length=1500, max_chars=1500))
    assert inp.text == text and len(split_spans(text, 1500)) > 3
    assert parts, "the chunks gave no records"
    assert len({r.id for r in parts}) == len(parts)
    by_id = {r.id: r for r in parts}
    for r in parts:
        assert 0 <= r.start < r.end <= len(text)
        if r.TYPE in ("date", "actor", "legal"):
            assert text[r.start:r.end] == r.text
        if r.sentence:
            assert r.sentence in text
        if r.TYPE == "figure" and r.parent:
            assert by_id[r.parent].TYPE == "figure"
        if r.TYPE == "allegation":
            assert all(by_id[v].TYPE == "figure" for v in r.victims)
    # records far from a cut are the same claims at the same offsets as in the unchunked analysis
    same = {(r.TYPE, r.start, r.end) for r in whole} & {(r.TYPE, r.start, r.end) for r in parts}
    assert len(same) > 0.8 * len(whole)


def test_a_failing_document_is_reported_and_skipped(ledger) -> None:  # type: ignore[no-untyped-def]
    """A component that fails on one document (as a broken model or rule would): the others are analysed."""
    import spacy
    from spacy.language import Language
    from spacy.tokens import Doc

    from counterclaim.analyze import analyze_ledger
    from counterclaim.extract.pipeline import Extractor
    from counterclaim.records import Document, SourceRef

    @Language.component("harden_test_fails_on_poison")
    def fails(doc: Doc) -> Doc:
        if "POISON" in doc.text:
            raise ValueError("this rule cannot read the document")
        return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("harden_test_fails_on_poison")
    docs = [Document.from_text(f"Document number {i}. " + ("POISON" if i == 3 else "fine")) for i in range(6)]
    for d in docs:
        ledger.add_document(d, SourceRef(source="test.txt"))
    skipped: list[tuple[str, str]] = []
    ex = Extractor(nlp, batch_size=4)
    done, _ = analyze_ledger(ledger, ex, on_skip=lambda doc, why: skipped.append((doc, why)))
    assert done == 5
    assert [d for d, _ in skipped] == [docs[3].id]
    assert "cannot read the document" in skipped[0][1]
    assert ledger.stale_documents(ex.version) == [docs[3].id]  # tried again on the next run
    with pytest.raises(ValueError):  # without on_skip the error still surfaces
        analyze_ledger(ledger, ex)


def cc(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("counterclaim", path=str(Path(sys.executable).parent)) or "counterclaim"
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=900)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_document_over_a_million_characters_is_analysed(tmp_path: Path) -> None:
    paras = real_paragraphs()
    parts: list[str] = []
    size = 0
    while size < 1_050_000:
        parts.append(paras[len(parts) % len(paras)])
        size += len(parts[-1]) + 2
    tail = "On 14 March 2023 the ministry said that 731 civilians were killed in the shelling of Zorvana."
    long_text = "\n\n".join([*parts, tail]) + "\n"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "long-report.txt").write_text(long_text, encoding="utf-8")
    (folder / "short.txt").write_text(paras[0] + "\n", encoding="utf-8")
    db = str(tmp_path / "l.db")
    out = cc("analyze", str(folder), "--db", db, "--json", "--strict")
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Traceback" not in out.stderr
    summary = json.loads(out.stdout)
    assert summary["extracted_documents"] == 2 and summary["skipped"] == []
    docs = {d["chars"]: d["id"] for d in json.loads(cc("docs", "--db", db, "--json").stdout)}
    big = max(docs)
    assert big > 1_000_000
    figures = json.loads(cc("figures", "--db", db, "--json", "--limit", "100000").stdout)
    last = [f for f in figures if f["doc"] == docs[big] and f["value"] == 731]
    assert last, "the figure in the last paragraph was not found"
    shown = json.loads(cc("show", docs[big], "--db", db, "--json").stdout)
    stored = shown["text"]
    assert last[0]["start"] > 1_000_000 and "731" in stored[last[0]["start"]:last[0]["end"]]
    again = cc("analyze", "--db", db, "--json")  # nothing left stale, nothing crashes
    assert again.returncode == 0 and json.loads(again.stdout)["extracted_documents"] == 0


def test_long_and_short_documents_keep_their_order(nlp) -> None:  # type: ignore[no-untyped-def]
    from counterclaim.extract.pipeline import Extractor

    paras = real_paragraphs()
    long_text = "\n\n".join(paras[:12])
    inputs = [DocInput(id="a", text=paras[20]), DocInput(id="long", text=long_text), DocInput(id="b", text=paras[21]),
              DocInput(id="c", text=paras[22])]
    ex = Extractor(nlp)
    out = list(chunked(ex._stream, inputs, max_length=1500, max_chars=1500, chunks_per_call=2))
    assert [inp.id for inp, _ in out] == ["a", "long", "b", "c"]
    assert all(r.doc == inp.id for inp, recs in out for r in recs)
    assert all(r.end <= len(inp.text) for inp, recs in out for r in recs)
    alone = {inp.id: recs for inp, recs in ex.stream([i for i in inputs if i.id != "long"])}
    assert {k: [r.id for r in v] for k, v in alone.items()} == {inp.id: [r.id for r in recs] for inp, recs in out
                                                               if inp.id != "long"}
