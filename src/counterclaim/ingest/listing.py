"""Listing and archive pages: one HTML page holding several dated stories.

A page of a news site's archive ("2020/02/page/3"), a ministry's "latest statements" page or an infinite-scroll page
holds several stories, each in its own block with a heading and a date. Main-text extraction would glue them into
one document with one date, so their claims would be attributed to the wrong day and to each other.

* **Split**: when at least two blocks (``<article>``, or an element whose class says post / entry / story /
  news-item) each have a heading, a date (``<time datetime>``, else a date written near the top of the block) and
  a story's worth of text (``MIN_STORY_CHARS``), each becomes a document of its own with its heading as title and
  its date as publication date; the locator says ``story N``.
* **Refused**: when the page holds only teasers (three or more dated headings with a line or two each and no full
  story), it is refused with one line: the stories' own pages must be ingested instead.
* Anything else (an article page with a "related stories" box) is read as one page, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import lxml.etree
import lxml.html

from counterclaim.errors import InputError
from counterclaim.ingest.html import fragment_text
from counterclaim.ingest.metadata import find_date, parse_published

#: characters of text (heading excluded) that make a block a story rather than a teaser
MIN_STORY_CHARS = 300
#: dated teasers without any full story that make a page a listing to refuse
MIN_TEASERS = 3
_STORY_CLASS = re.compile(r"(?:^|[\s_-])(?:post|entry|hentry|story|news-item|article-item|views-row)(?:$|[\s_-])", re.I)
_HEADINGS = ("h1", "h2", "h3", "h4")


@dataclass
class Story:
    title: str
    published: str | None
    text: str


def _blocks(root: Any) -> list[Any]:
    """Story-like blocks, outermost first, none inside another."""
    found: list[Any] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        story_like = el.tag == "article" or (
            el.tag in ("div", "section", "li") and _STORY_CLASS.search(el.get("class") or "") is not None)
        if story_like and not any(a in found for a in el.iterancestors()):
            found.append(el)
    return found


def _story(el: Any) -> Story | None:
    heading = next((h for h in el.iter(*_HEADINGS)), None)
    if heading is None:
        return None
    title = " ".join(heading.text_content().split())
    if not title:
        return None
    published = None
    for time_el in el.iter("time"):
        published = parse_published(time_el.get("datetime") or time_el.text_content())
        if published:
            break
    text = fragment_text(lxml.html.tostring(el, encoding="unicode"))
    body = text.replace(title, "", 1).strip()
    if published is None:
        found = find_date(body[:300])
        published = found[0] if found else None
    return Story(title=title, published=published, text=text) if published else None


def split_listing(html: str | bytes, where: str) -> list[Story] | None:
    """The stories of a listing page, None for an ordinary page; :class:`InputError` for a page of teasers."""
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError, TypeError):
        return None
    for el in list(root.iter("script", "style", "noscript", "template", "nav", "aside", "footer")):
        if el.getparent() is not None:
            el.drop_tree()
    stories = [s for s in (_story(b) for b in _blocks(root)) if s is not None]
    full = [s for s in stories if len(s.text) - len(s.title) >= MIN_STORY_CHARS]
    if len(full) >= 2:
        return full
    if not full and len(stories) >= MIN_TEASERS:
        raise InputError(where, f"a listing page of {len(stories)} dated stories with only a line or two of each",
                         "ingest the stories' own pages (or a feed of the site) instead")
    return None
