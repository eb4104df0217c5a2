"""HTML → main text and metadata.

Whole pages go through trafilatura (main-text extraction: navigation, footers, share widgets, scripts and comments are
left out) with its metadata (title, author, site name, published date, canonical URL). Fragments (a feed entry's
content, a JSONL ``html`` field too short for trafilatura) are turned into text with lxml, keeping paragraphs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import lxml.etree
import lxml.html

log = logging.getLogger(__name__)

#: elements whose text is never document text
_DROP = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select")
#: page furniture left out of the fallback text of a whole page
_FURNITURE = ("nav", "header", "footer", "aside", "menu")
#: block elements: a line break after each
_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "table", "tr", "br", "hr", "dd", "dt", "dl", "figure", "figcaption", "address", "header", "footer",
})


@dataclass
class HtmlContent:
    text: str
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    extractor: str = "trafilatura"


def _parse(html: str | bytes) -> Any:
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError, TypeError):
        return None


def fragment_text(html: str | bytes, *, whole_page: bool = False) -> str:
    """Text of an HTML fragment with one paragraph per block element; empty when there is none.

    With ``whole_page`` the page furniture (nav, header, footer, aside) is dropped as well.
    """
    if isinstance(html, str) and "<" not in html:
        return html
    root = _parse(html)
    if root is None:
        return ""
    drop = _DROP + (_FURNITURE if whole_page else ())
    for el in list(root.iter(*drop)) + list(root.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        if el.getparent() is not None:
            el.drop_tree()
    parts: list[str] = []
    body = root.find("body")
    _walk(body if body is not None else root, parts)
    text = "".join(parts)
    return re.sub(r"\n\s*\n\s*", "\n\n", text).strip()


def _walk(el: Any, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    block = tag in _BLOCKS
    if block:
        out.append("\n\n" if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote") else "\n")
    if el.text and tag != "head" and tag != "title":
        out.append(el.text)
    for child in el:
        _walk(child, out)
        if child.tail:
            out.append(child.tail)
    if block:
        out.append("\n")


def extract_page(html: str | bytes, url: str | None = None) -> HtmlContent | None:
    """Main text and metadata of a whole HTML page, or None when no readable text is in it."""
    import trafilatura

    for name in ("trafilatura", "htmldate", "courlan"):  # their warnings ("discarding data") repeat our problems
        if logging.getLogger(name).level == logging.NOTSET:
            logging.getLogger(name).setLevel(logging.ERROR)
    try:
        result = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True, fast=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura and lxml raise many kinds on broken markup; treated as no main text
        log.debug("trafilatura failed on %s: %s", url or "page", exc)
        result = None
    if result is not None:
        data: dict[str, Any] = result.as_dict() if hasattr(result, "as_dict") else dict(result)
        text = data.get("text") or ""
        if text.strip():
            return HtmlContent(
                text=text, title=data.get("title"), author=data.get("author"), publisher=data.get("sitename"),
                published=data.get("date"), url=data.get("url") or url,
            )
    text = fragment_text(html, whole_page=True)
    if not text.strip():
        return None
    root = _parse(html)
    title = root.findtext(".//title") if root is not None else None
    return HtmlContent(text=text, title=title.strip() if title else None, url=url, extractor="lxml")
