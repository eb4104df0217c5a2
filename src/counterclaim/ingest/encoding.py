"""Bytes → text for plain text and HTML: byte-order marks, declared charsets, UTF-8, then detection.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; else valid UTF-8 is UTF-8 (real text in another encoding
is practically never valid UTF-8, while pages declaring "iso-8859-1" but sent as UTF-8 are common); else, for HTML,
the charset the transport (a WARC record's HTTP header) or the page (``<meta charset>``, ``http-equiv``, the XML
declaration) declares, "iso-8859-1" and "ascii" read as windows-1252 as browsers do; else the encoding is detected
with charset-normalizer (windows-1252, ISO-8859-x, KOI8-R, windows-1251, Shift-JIS ...). Only bytes that no encoding reads
as plausible text are refused. The result says which encoding was used and how it was chosen, and the reader records
both in the document's metadata (``meta.encoding``, ``meta.encoding_by``), so a detected (guessed) encoding is
visible to whoever checks the text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from counterclaim.errors import InputError

#: byte-order marks, longest first (UTF-32 LE starts like UTF-16 LE)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
#: labels browsers read as windows-1252 (WHATWG Encoding Standard)
_AS_1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "cp819", "iso-ir-100",
            "windows-1252", "cp1252", "x-cp1252"}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{2,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([\w.:-]{2,40})["']""", re.I)
#: how much of a file the detector reads (it samples chunks of it; more costs time and changes nothing)
_DETECT_BYTES = 256 * 1024


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a common name: utf-8, utf-16, windows-1252, iso-8859-5, koi8-r ...
    by: str  # bom | declared | utf-8 | detected


def common_name(encoding: str) -> str:
    """Python's codec name → the name people write: cp1252 → windows-1252, iso8859_5 → iso-8859-5."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding.lower()
    if m := re.fullmatch(r"cp(125\d)", name):
        return f"windows-{m.group(1)}"
    if m := re.fullmatch(r"iso8859-(\d+)", name):
        return f"iso-8859-{m.group(1)}"
    return {"utf-8-sig": "utf-8", "koi8-r": "koi8-r", "mac-roman": "macintosh"}.get(name, name)


def _bom(data: bytes) -> str | None:
    return next((enc for bom, enc in _BOMS if data.startswith(bom)), None)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML or XML document declares in its first 4 KiB (a known codec), else None."""
    head = data[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    label = m.group(1).decode("ascii", "replace").strip().lower()
    if label in _AS_1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


#: when several encodings read a text equally well (the same little "chaos", close "coherence"), the one used most
#: for documents of this kind wins: windows-1252 over windows-1250 for an English text whose only accents are é and ï
_PREFERRED = ("cp1252", "cp1251", "koi8_r", "iso8859_2", "cp1250", "iso8859_15", "iso8859_5", "cp1256", "iso8859_6",
              "cp1253", "iso8859_7", "cp1254", "iso8859_9", "cp1255", "iso8859_8", "cp1257", "shift_jis", "euc_jp",
              "gb18030", "big5", "euc_kr", "latin_1")


#: symbols that almost never occur in prose but are what letters of another code page turn into ("³" for "ł")
_RARE = re.compile("[\u00a4\u00a5\u00a6\u00a8\u00aa\u00af\u00b2\u00b3\u00b4\u00b8\u00b9\u00ba\u00bc\u00bd\u00be]")


def _rank(charsets: list[str], sample: bytes) -> tuple[int, int, str]:
    """(rare symbols in the decoded sample, how common the encoding is, its name): lower is better."""
    charset = min(charsets, key=lambda c: _PREFERRED.index(c) if c in _PREFERRED else len(_PREFERRED))
    try:
        rare = len(_RARE.findall(sample.decode(charset)))
    except (UnicodeDecodeError, LookupError):
        return (1 << 30, 0, charset)
    common = _PREFERRED.index(charset) if charset in _PREFERRED else len(_PREFERRED)
    return (rare, common, charset)


def detect(data: bytes) -> str | None:
    """The most plausible single encoding of ``data`` (charset-normalizer), or None when none reads it as text.

    Among the encodings with the least chaos, those within a few points of the best language coherence are
    equally plausible: the one whose reading has the fewest rare symbols ("³", "¹" for Polish letters read as
    windows-1252) wins, then the most common one (``_PREFERRED``).
    """
    from charset_normalizer import from_bytes

    sample = data[:_DETECT_BYTES]
    matches = list(from_bytes(sample))
    if not matches:
        return None
    least = min(m.percent_chaos for m in matches)
    calm = [m for m in matches if m.percent_chaos <= least + 0.5]
    best = max(m.percent_coherence for m in calm)
    return min(_rank(list(m.could_be_from_charset) or [m.encoding], sample) for m in calm
               if m.percent_coherence >= best - 3.0)[2]


def charset_label(label: str | None) -> str | None:
    """A charset label (from an HTTP ``Content-Type``) → a known codec name, windows-1252 for Latin-1; else None."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_text(data: bytes, source: str, *, html: bool = False, charset: str | None = None) -> Decoded:
    """Decode a text (or, with ``html``, an HTML page); :class:`InputError` when no encoding reads it.

    ``charset``: the encoding the transport declared (the HTTP ``Content-Type`` of a WARC record), which comes
    before the page's own declaration, as in browsers."""
    bom = _bom(data)
    if bom:
        try:
            return Decoded(data.decode(bom), common_name(bom), "bom")
        except UnicodeDecodeError as exc:
            raise InputError(source, f"bad {common_name(bom).upper()} text (it starts with a byte-order mark)",
                             "convert the file to UTF-8") from exc
    try:  # valid UTF-8 with any non-ASCII byte is UTF-8, whatever a (often wrong) "iso-8859-1" header says
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if html or charset:
        declared = charset_label(charset) or (declared_charset(data) if html else None)
        if declared:
            try:
                return Decoded(data.decode(declared), common_name(declared), "declared")
            except UnicodeDecodeError:
                pass  # a wrong declaration: read it as if there were none
    guessed = detect(data)
    if guessed:
        try:
            return Decoded(data.decode(guessed), common_name(guessed), "detected")
        except UnicodeDecodeError:
            pass  # the detector read a sample; the rest of the file disagrees
    raise InputError(
        source, f"undecodable text: not UTF-8 (byte 0x{data[first_bad]:02x} at offset {first_bad}) and no "
        "other encoding reads it", "convert it to UTF-8, e.g. 'iconv -f WINDOWS-1252 -t UTF-8'",
    )
