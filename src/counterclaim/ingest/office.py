"""Word (.docx) and OpenDocument text (.odt) → text with paragraphs, plus their document properties.

* **.docx** is read with python-docx (MIT, maintained, already built on lxml): body paragraphs and tables in
  document order (a table row becomes one line, cells separated by " | "); page headers and footers, which live
  outside the body, are left out.
* **.odt** is a ZIP of XML files; ``content.xml`` is walked with lxml (no entity resolution, no network):
  headings, paragraphs, list items and table cells in document order, ``<text:s/>``, tabs and line breaks kept;
  footnote and annotation bodies left out. ``meta.xml`` gives the properties. No library for ODF reading is both
  small and maintained, and the format is plain XML.

Title, author and creation date from the document properties are *fallback* metadata: what the text itself says
(a dateline, a byline, a heading) comes first. A ZIP whose decompressed parts are larger than the size limit is
refused before it is inflated (a ZIP bomb costs nothing).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from counterclaim.errors import InputError, InputTooLarge

_ODT_MIME = b"mimetypeapplication/vnd.oasis.opendocument.text"
_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}
_T = "{" + _NS["text"] + "}"
_TABLE = "{" + _NS["table"] + "}"
#: ODF elements whose text is not running text (footnote bodies, comments, tracked deletions)
_SKIP = {_T + "note", "{" + _NS["office"] + "}annotation", _T + "tracked-changes", _T + "sequence-decls"}
_JUNK_TITLE = re.compile(r"^(?:untitled|document\d*|title|\W*)$", re.I)


def office_kind(head: bytes, extension: str) -> str | None:
    """"docx" or "odt" for the first bytes of a ZIP that is one (by its parts or, failing that, its name)."""
    if not head.startswith(b"PK\x03\x04"):
        return None
    if head[30:30 + len(_ODT_MIME)] == _ODT_MIME or (extension == ".odt" and b"content.xml" in head):
        return "odt"
    if b"word/" in head[:HEAD_SCAN] or extension == ".docx":
        return "docx"
    return None


HEAD_SCAN = 64 * 1024


def _open_zip(data: bytes, name: str, what: str, max_bytes: int) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(name, f"broken {what} file (not a readable ZIP: {exc})",
                         "the download or copy may be cut short; fetch it again") from exc
    inflated = sum(info.file_size for info in archive.infolist())
    if inflated > max_bytes * 20:  # XML markup is bulky; the text limit is checked again on the text
        raise InputTooLarge(name, f"{what} file that inflates to {inflated:,} bytes", "raise the limit with --max-size")
    return archive


def _clean_prop(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def read_docx(data: bytes, name: str, max_bytes: int) -> tuple[str, dict[str, object], dict[str, str]]:
    """(text, meta, fallback metadata) of a .docx file."""
    import docx
    from docx.table import Table

    _open_zip(data, name, "Word (.docx)", max_bytes).close()
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, PackageNotFoundError ... on damaged files
        raise InputError(name, f"broken Word (.docx) file ({type(exc).__name__}: {str(exc)[:120]})",
                         "open and save it again in Word or LibreOffice") from exc
    blocks: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                        cells.append(text)
                if cells:
                    blocks.append(" | ".join(cells))
        else:
            blocks.append(block.text)
    text = "\n\n".join(b for b in blocks if b.strip())
    props = document.core_properties
    fallback: dict[str, str] = {}
    title = _clean_prop(props.title)
    if title and not _JUNK_TITLE.match(title):
        fallback["title"] = title
    if author := _clean_prop(props.author):
        fallback["author"] = author
    if props.created is not None:
        fallback["published"] = props.created.date().isoformat()
    return text, {"format": "docx"}, fallback


def _odt_text(el: Any, out: list[str]) -> None:
    """Running text of an ODF paragraph element, with spaces, tabs and line breaks as written."""
    if el.text:
        out.append(el.text)
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _SKIP:
            pass
        elif tag == _T + "s":
            out.append(" " * int(child.get(_T + "c", "1") or 1))
        elif tag == _T + "tab":
            out.append("\t")
        elif tag == _T + "line-break":
            out.append("\n")
        else:
            _odt_text(child, out)
        if child.tail:
            out.append(child.tail)


def _odt_blocks(el: Any, out: list[str]) -> None:
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _SKIP:
            continue
        if tag in (_T + "p", _T + "h"):
            parts: list[str] = []
            _odt_text(child, parts)
            out.append("".join(parts))
        elif tag == _TABLE + "table-row":
            cells: list[str] = []
            for cell in child:
                inner: list[str] = []
                _odt_blocks(cell, inner)
                text = " ".join(" ".join(inner).split())
                if text:
                    cells.append(text)
            if cells:
                out.append(" | ".join(cells))
        else:
            _odt_blocks(child, out)


def read_odt(data: bytes, name: str, max_bytes: int) -> tuple[str, dict[str, object], dict[str, str]]:
    """(text, meta, fallback metadata) of an OpenDocument text file."""
    import lxml.etree

    archive = _open_zip(data, name, "OpenDocument (.odt)", max_bytes)
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        with archive:
            content = lxml.etree.fromstring(archive.read("content.xml"), parser)
            meta_xml = archive.read("meta.xml") if "meta.xml" in archive.namelist() else None
    except KeyError as exc:
        raise InputError(name, "broken OpenDocument file (no content.xml)") from exc
    except (lxml.etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(name, f"broken OpenDocument file ({str(exc)[:120]})",
                         "open and save it again in LibreOffice") from exc
    body = content.find("office:body/office:text", _NS)
    if body is None:
        raise InputError(name, "an OpenDocument file without text (a spreadsheet or drawing?)",
                         "only text documents (.odt) are read")
    blocks: list[str] = []
    _odt_blocks(body, blocks)
    text = "\n\n".join(b for b in blocks if b.strip())
    fallback: dict[str, str] = {}
    if meta_xml:
        try:
            meta_root = lxml.etree.fromstring(meta_xml, parser)
        except lxml.etree.XMLSyntaxError:
            meta_root = None
        if meta_root is not None:
            title = _clean_prop(meta_root.findtext(".//dc:title", namespaces=_NS))
            if title and not _JUNK_TITLE.match(title):
                fallback["title"] = title
            author = _clean_prop(meta_root.findtext(".//meta:initial-creator", namespaces=_NS)
                                 or meta_root.findtext(".//dc:creator", namespaces=_NS))
            if author:
                fallback["author"] = author
            created = _clean_prop(meta_root.findtext(".//meta:creation-date", namespaces=_NS))
            if created and re.match(r"\d{4}-\d{2}-\d{2}", created):
                fallback["published"] = created[:10]
    return text, {"format": "odt"}, fallback
