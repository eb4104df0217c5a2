"""PDF → text with page numbers (the PDF's text layer, read with pypdf).

pypdf was chosen over pdfminer.six: both are pure Python and permissively licensed (pypdf BSD-3-Clause,
pdfminer.six MIT), but pypdf reads text layers 3.6 times faster per CPU-second on the benchmark's 993 pages (72 vs
20 pages; BENCHMARKS.md, "Ingest: PDF") and has no dependencies; PyMuPDF is faster still but AGPL, which would bind
every user who ships counterclaim, and poppler's pdftotext is a separate GPL program, not a pip package.

* **Pages kept.** Each page is cleaned on its own and the pages are joined with a blank line;
  ``meta["pages"]`` lists ``[page number, offset of its first character]`` in the stored text, so a record's span
  maps back to its page (:func:`page_at`; ``show``, the export and the web UI say "page 12").
* **Running headers and footers** (a line at the top or bottom of most pages, page numbers folded: "Page 3 of 40",
  "A/HRC/52/CRP.4", "United Nations") are removed, so they are not in the text once per page.
* **Document information** (title, author, creation date) is kept as *fallback* metadata: the text's own dateline,
  byline and title come first, the PDF's info dictionary (often "Microsoft Word - draft3.docx") only fills gaps.
* **No text layer** (a scan): refused with one line, "no text layer: run OCR first, e.g. ocrmypdf".
  **Encrypted** (a password is needed) and **broken** PDFs: one clear line each; the rest of the batch goes on.
"""

from __future__ import annotations

import bisect
import io
import logging
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from counterclaim.errors import InputError, InputTooLarge
from counterclaim.ingest.clean import normalise

log = logging.getLogger(__name__)

#: lines looked at, at the top and at the bottom of each page, for running headers and footers
EDGE_LINES = 3
#: a page-edge line is a running header/footer when it is on at least this share of the pages (and on 2 or more)
REPEATED_SHARE = 0.5
#: fewer letters than this in the whole text layer: a scan (OCR it first)
MIN_LETTERS = 40
OCR_HINT = "no text layer: run OCR first, e.g. ocrmypdf scan.pdf scan-ocr.pdf"
#: titles in a PDF's info dictionary that are the name of the tool or file, not of the document
_JUNK_TITLE = re.compile(
    r"^(?:untitled|microsoft (?:word|powerpoint) - .*|.*\.(?:docx?|odt|pdf|rtf|indd|qxd|tex|dvi)|document\d*|"
    r"title|slide \d+|powerpoint presentation|\W*)$", re.I)
_LETTERS = re.compile(r"[^\W\d_]")
_DIGITS = re.compile(r"\d+")


def _edge_key(line: str) -> str:
    """A line as compared across pages: spaces folded, lower case, every number the same ("page 3" = "page 4")."""
    return _DIGITS.sub("#", " ".join(line.split()).lower())


def strip_running_lines(pages: Sequence[str]) -> list[str]:
    """The pages without the lines repeated at their top or bottom (running headers, footers, page numbers)."""
    if len(pages) < 2:
        return list(pages)
    split = [page.split("\n") for page in pages]
    counts: Counter[tuple[int, str]] = Counter()
    for lines in split:
        counts.update(set(_edges(lines).values()))
    threshold = max(2, int(len(pages) * REPEATED_SHARE + 0.999))
    repeated = {edge for edge, n in counts.items() if n >= threshold}
    if not repeated:
        return list(pages)
    out: list[str] = []
    for lines in split:
        drop = {i for i, edge in _edges(lines).items() if edge in repeated}
        out.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return out


def _edges(lines: list[str]) -> dict[int, tuple[int, str]]:
    """Line index → (position from the top, 1..; from the bottom, -1..; key) of a page's first and last lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges: dict[int, tuple[int, str]] = {}
    for pos, i in enumerate(filled[:EDGE_LINES], start=1):
        edges[i] = (pos, _edge_key(lines[i]))
    for pos, i in enumerate(reversed(filled[-EDGE_LINES:]), start=1):
        edges.setdefault(i, (-pos, _edge_key(lines[i])))
    return edges


def join_pages(pages: Sequence[str]) -> tuple[str, list[list[int]]]:
    """Cleaned pages joined by a blank line, and ``[[page number, start offset], ...]`` of the pages with text.

    The result is already normalised (:func:`counterclaim.ingest.clean.normalise` leaves it unchanged), so the
    offsets stay valid in the stored text.
    """
    parts: list[str] = []
    starts: list[list[int]] = []
    pos = 0
    for number, page in enumerate(pages, start=1):
        text = normalise(page)
        if not text:
            continue
        if parts:
            pos += 2  # the blank line between pages
        starts.append([number, pos])
        parts.append(text)
        pos += len(text)
    return "\n\n".join(parts), starts


def page_at(pages: Any, offset: int) -> int | None:
    """The page number holding character ``offset`` of a document whose ``meta["pages"]`` is ``pages``."""
    if not isinstance(pages, list) or not pages:
        return None
    try:
        starts = [int(p[1]) for p in pages]
        index = bisect.bisect_right(starts, offset) - 1
        return int(pages[max(index, 0)][0])
    except (TypeError, ValueError, IndexError):
        return None


def _info_value(info: Any, name: str) -> Any:
    try:
        return getattr(info, name)
    except Exception:  # pypdf parses dates and strings lazily; a malformed value is no value
        return None


def _info(reader: Any) -> dict[str, str]:
    """Title, author and creation date from the PDF's document information (junk titles left out)."""
    try:
        info = reader.metadata
    except Exception:
        return {}
    if info is None:
        return {}
    out: dict[str, str] = {}
    title = _info_value(info, "title")
    if isinstance(title, str) and (title := " ".join(title.split())) and not _JUNK_TITLE.match(title):
        out["title"] = title
    author = _info_value(info, "author")
    if isinstance(author, str) and (author := " ".join(author.split())):
        out["author"] = author
    created = _info_value(info, "creation_date")
    if created is not None and hasattr(created, "date"):
        out["published"] = created.date().isoformat()
    return out


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def read_pdf(data: bytes, name: str, max_text: int) -> tuple[str, dict[str, object], dict[str, str]]:
    """(text, meta, fallback metadata) of a PDF's text layer; :class:`InputError` for scans, encrypted and broken
    files. ``max_text`` bounds the extracted text (as ``--max-size`` does for text files)."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    for noisy in ("pypdf", "pypdf._reader", "pypdf._page", "pypdf.generic"):  # "incorrect startxref" etc.
        if logging.getLogger(noisy).level == logging.NOTSET:
            logging.getLogger(noisy).setLevel(logging.ERROR)
    broken_hint = "the file may be cut short or damaged: download it again, or repair it with 'qpdf in.pdf out.pdf'"
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many PDFs are "encrypted" only against editing, with no password
            except DependencyError as exc:
                raise InputError(name, "encrypted PDF that needs the 'cryptography' package to open",
                                 "pip install cryptography") from exc
            if not opened:
                raise InputError(name, "encrypted PDF: a password is needed to open it",
                                 "decrypt it first, e.g. 'qpdf --decrypt --password=PASSWORD in.pdf out.pdf'")
        count = len(reader.pages)
    except InputError:
        raise
    except FileNotDecryptedError as exc:
        raise InputError(name, "encrypted PDF: a password is needed to open it") from exc
    except (PdfReadError, Exception) as exc:  # pypdf raises many kinds on damaged files
        raise InputError(name, f"broken PDF ({_short(exc)})", broken_hint) from exc
    if count == 0:
        raise InputError(name, "PDF without pages", broken_hint)
    pages: list[str] = []
    failed: list[int] = []
    size = 0
    for number in range(count):
        try:
            text = reader.pages[number].extract_text() or ""
        except Exception:  # one damaged page does not lose the others
            log.debug("page %d of %s unreadable", number + 1, name, exc_info=True)
            text = ""
            failed.append(number + 1)
        size += len(text)
        if size > max_text:
            raise InputTooLarge(name, f"more than {max_text:,} characters of text in the PDF",
                                "raise the limit with --max-size")
        pages.append(text)
    if len(failed) == count:
        raise InputError(name, "broken PDF (no page could be read)", broken_hint)
    text, starts = join_pages(strip_running_lines(pages))
    if len(_LETTERS.findall(text)) < MIN_LETTERS:
        raise InputError(name, OCR_HINT)
    meta: dict[str, object] = {"pages": starts, "page_count": count}
    if failed:
        meta["unreadable_pages"] = failed
    return text, meta, _info(reader)
