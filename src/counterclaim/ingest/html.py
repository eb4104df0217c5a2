"""HTML → main text and metadata.

Whole pages go through trafilatura (main-text extraction: navigation, footers, share widgets, scripts and comments are
left out) with its metadata (title, author, site name, published date, canonical URL). Fragments (a feed entry's
content, a JSONL ``html`` field too short for trafilatura) are turned into text with lxml, keeping paragraphs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
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
    try:  # huge_tree: libxml2 otherwise stops at 256 levels of nesting and loses the text below
        return lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except (lxml.etree.ParserError, ValueError, TypeError):
        return None


class _StreamText(HTMLParser):
    """Text of HTML read as a stream of tags (no tree, so no depth limit): the fallback for pages nested deeper
    than a parser builds trees, with the same dropped elements and paragraph breaks."""

    def __init__(self, drop: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.drop = frozenset(drop)
        self.skipping = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.drop:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.drop:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _stream_text(html: str | bytes, drop: tuple[str, ...]) -> str:
    parser = _StreamText(drop + ("head",))
    parser.feed(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
    parser.close()
    return "".join(parser.parts)


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
    if not text.strip() and _deeper_than(root, MAX_PARSER_DEPTH):  # nesting beyond what the parser keeps: read it as a stream
        text = _stream_text(html, drop)
    return re.sub(r"\n\s*\n\s*", "\n\n", text).strip()


#: nesting beyond which trafilatura (whose parser keeps 256 levels) only sees the page's shallow parts
MAX_PARSER_DEPTH = 250


def _deeper_than(root: Any, depth: int) -> bool:
    """Whether any element of the tree is nested more than ``depth`` levels deep."""
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        el, n = stack.pop()
        if n > depth:
            return True
        stack.extend((child, n + 1) for child in el)
    return False


def _walk(root: Any, out: list[str]) -> None:
    """Text with paragraph breaks, depth-first without recursion (a page may nest thousands of elements)."""
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag in _BLOCKS
        if closing:
            if block:
                out.append("\n")
            if el is not root and el.tail:
                out.append(el.tail)
            continue
        if block:
            out.append("\n\n" if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote") else "\n")
        if el.text and tag != "head" and tag != "title":
            out.append(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))


def extract_page(html: str | bytes, url: str | None = None) -> HtmlContent | None:
    """Main text and metadata of a whole HTML page, or None when no readable text is in it."""
    import trafilatura

    for name in ("trafilatura", "htmldate", "courlan"):  # their warnings ("discarding data") repeat our problems
        if logging.getLogger(name).level == logging.NOTSET:
            logging.getLogger(name).setLevel(logging.ERROR)
    root = _parse(html)
    if root is not None and _deeper_than(root, MAX_PARSER_DEPTH):  # trafilatura would keep only the shallow parts
        return _fallback(html, root)
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
    return _fallback(html, root, url)


def _fallback(html: str | bytes, root: Any, url: str | None = None) -> HtmlContent | None:
    """The page's text without trafilatura: every block but scripts and page furniture (lxml, or a stream of tags
    when the page nests deeper than a tree is kept)."""
    text = fragment_text(html, whole_page=True)
    if not text.strip():
        return None
    title = root.findtext(".//title") if root is not None else None
    return HtmlContent(text=text, title=title.strip() if title else None, url=url, extractor="lxml")
