"""Technical metadata with real tools: ``ffprobe`` for video/audio, Pillow + piexif for images.

:func:`probe` returns the verbatim output (ffprobe's JSON; the EXIF IFDs with tag names) and a normalised view
(container, codecs, duration, creation time, encoder, camera, GPS). A file neither tool can read as media is
reported with a ``problem`` (``media_type`` ``unreadable``) rather than an exception; the registry decides.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from counterclaim.errors import EvidenceError

log = logging.getLogger(__name__)

FFPROBE_TIMEOUT_S = 60
#: ffprobe "formats" that read anything (a text file is valid ANSI art): not media evidence
NON_MEDIA_FORMATS = {"tty", "ansi", "txt", "srt", "webvtt", "ass", "lrc", "subviewer"}
ISO6709 = re.compile(r"^\s*([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?")
GPS_KEYS = ("location", "com.apple.quicktime.location.ISO6709", "location-eng")


@dataclass
class ProbeResult:
    """What the tools say about a file."""

    media_type: str  # video | audio | image | unreadable
    raw: dict[str, Any] = field(default_factory=dict)
    normalised: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None

    @property
    def readable(self) -> bool:
        return self.problem is None


def ffprobe_path() -> str:
    path = shutil.which("ffprobe")
    if not path:
        raise EvidenceError("ffprobe is not installed: install ffmpeg (Debian: apt-get install ffmpeg) to register "
                            "video and audio evidence")
    return path


def probe(path: Path) -> ProbeResult:
    """Probe ``path``: an image first (Pillow), then anything ffprobe reads."""
    image = probe_image(path)
    if image.readable:
        return image
    media = probe_media(path)
    if media.readable:
        return media
    return ProbeResult("unreadable", raw={"image": image.raw, "ffprobe": media.raw},
                       problem=f"not an image ({image.problem}) nor audio/video ({media.problem})")


# -- ffprobe --------------------------------------------------------------------------------------------------
def run_ffprobe(path: Path) -> tuple[dict[str, Any] | None, str]:
    """ffprobe's JSON for ``path`` (None when it fails) and its error text."""
    cmd = [ffprobe_path(), "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=FFPROBE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return None, f"ffprobe took longer than {FFPROBE_TIMEOUT_S}s"
    err = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        return None, _error_text(err) or f"ffprobe exit status {proc.returncode}"
    try:
        data: dict[str, Any] = json.loads(proc.stdout.decode("utf-8", "replace") or "{}")
    except json.JSONDecodeError:
        return None, "ffprobe printed no JSON"
    return data, err


_LOG_PREFIX = re.compile(r"^\[[^\]]*@ 0x[0-9a-f]+\]\s*")


def _error_text(text: str) -> str:
    """ffmpeg's error lines, de-duplicated, without the ``[demuxer @ 0x...]`` prefixes: ``moov atom not found;
    Invalid data found when processing input``."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = _LOG_PREFIX.sub("", raw.strip())
        if line and line not in lines:
            lines.append(line)
    return "; ".join(lines)[:300]


def probe_media(path: Path) -> ProbeResult:
    data, err = run_ffprobe(path)
    if data is None:
        return ProbeResult("unreadable", raw={"error": err}, problem=f"ffprobe: {err}")
    fmt = data.get("format", {})
    streams = data.get("streams", [])
    name = str(fmt.get("format_name") or "")
    if name in NON_MEDIA_FORMATS:
        return ProbeResult("unreadable", raw=data, problem=f"ffprobe: not media (format {name})")
    if name == "image2" or name.endswith("_pipe"):  # a still image Pillow could not decode: corrupt or truncated
        return ProbeResult("unreadable", raw=data, problem=f"a still image ({name}) that does not decode")
    video = [s for s in streams if s.get("codec_type") == "video" and int(s.get("width") or 0) > 0
             and not (s.get("disposition") or {}).get("attached_pic")]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    if not video and not audio:
        reason = _error_text(err) or "no decodable video or audio stream"
        return ProbeResult("unreadable", raw=data, problem=f"ffprobe: {reason}")
    return ProbeResult("video" if video else "audio", raw=data, normalised=normalise_ffprobe(data))


def _num(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _rate(value: Any) -> float | None:
    try:
        rate = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None
    return round(float(rate), 3) if rate else None


def parse_iso6709(text: str) -> dict[str, float] | None:
    """``+40.1234+046.5678+120.0/`` -> {lat, lon, alt}; None when it is not a decimal-degree ISO 6709 string."""
    m = ISO6709.match(text or "")
    if not m:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    out = {"lat": lat, "lon": lon}
    if m.group(3):
        out["alt"] = float(m.group(3))
    return out


def normalise_ffprobe(data: dict[str, Any]) -> dict[str, Any]:
    fmt = data.get("format", {})
    tags = {k.lower(): v for k, v in (fmt.get("tags") or {}).items()}
    streams = data.get("streams", [])
    out: dict[str, Any] = {
        "container": fmt.get("format_name"),
        "container_long": fmt.get("format_long_name"),
        "duration_s": _num(fmt.get("duration")),
        "bit_rate": int(fmt["bit_rate"]) if str(fmt.get("bit_rate", "")).isdigit() else None,
        "creation_time": tags.get("creation_time"),
        "encoder": tags.get("encoder"),
        "make": tags.get("com.apple.quicktime.make") or tags.get("make"),
        "model": tags.get("com.apple.quicktime.model") or tags.get("model"),
        "gps": None,
        "streams": [],
    }
    for key in GPS_KEYS:
        if key.lower() in tags:
            out["gps"] = parse_iso6709(tags[key.lower()])
            out["gps_raw"] = tags[key.lower()]
            break
    for s in streams:
        stags = {k.lower(): v for k, v in (s.get("tags") or {}).items()}
        entry: dict[str, Any] = {"type": s.get("codec_type"), "codec": s.get("codec_name"),
                                 "profile": s.get("profile"), "duration_s": _num(s.get("duration")),
                                 "bit_rate": int(s["bit_rate"]) if str(s.get("bit_rate", "")).isdigit() else None}
        if s.get("codec_type") == "video":
            entry.update(width=s.get("width"), height=s.get("height"), fps=_rate(s.get("avg_frame_rate")),
                         pix_fmt=s.get("pix_fmt"), rotation=stags.get("rotate"))
        elif s.get("codec_type") == "audio":
            entry.update(sample_rate=int(s["sample_rate"]) if str(s.get("sample_rate", "")).isdigit() else None,
                         channels=s.get("channels"))
        if stags.get("encoder"):
            entry["encoder"] = stags["encoder"]
        out["creation_time"] = out["creation_time"] or stags.get("creation_time")
        out["streams"].append(entry)
    video = next((s for s in out["streams"] if s["type"] == "video"), None)
    audio = next((s for s in out["streams"] if s["type"] == "audio"), None)
    out["video_codec"] = video["codec"] if video else None
    out["audio_codec"] = audio["codec"] if audio else None
    out["width"] = video["width"] if video else None
    out["height"] = video["height"] if video else None
    return out


# -- images ---------------------------------------------------------------------------------------------------
def probe_image(path: Path) -> ProbeResult:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            fmt, size, mode = img.format, img.size, img.mode
            frames = getattr(img, "n_frames", 1)
            info_exif = img.info.get("exif")
            img.verify()
        with Image.open(path) as img:
            img.load()  # verify() does not decode the pixels; a truncated file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return ProbeResult("unreadable", problem=f"Pillow: {exc}")
    raw: dict[str, Any] = {"format": fmt, "size": list(size), "mode": mode, "frames": frames, "exif": {}}
    if isinstance(info_exif, bytes) and info_exif:
        raw["exif"] = exif_dump(info_exif)
    return ProbeResult("image", raw=raw, normalised=normalise_exif(raw))


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        text = value.rstrip(b"\x00")
        try:
            decoded = text.decode("ascii")
        except UnicodeDecodeError:
            return {"hex": value.hex()}
        return decoded if decoded.isprintable() else {"hex": value.hex()}
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


def exif_dump(exif: bytes) -> dict[str, Any]:
    """The EXIF IFDs as JSON: ``{"0th": {"Make": "Canon", ...}, "Exif": {...}, "GPS": {...}}`` (values verbatim;
    rationals as ``[numerator, denominator]``, binary as ``{"hex": ...}``)."""
    import piexif

    try:
        loaded = piexif.load(exif)
    except Exception as exc:  # piexif raises bare ValueError/struct.error/KeyError on damaged EXIF
        log.info("EXIF not readable: %s", exc)
        return {"error": f"EXIF not readable: {exc}"}
    out: dict[str, Any] = {}
    for ifd, tags in loaded.items():
        if ifd == "thumbnail" or not isinstance(tags, dict):
            continue
        names = piexif.TAGS.get(ifd, {})
        out[ifd] = {names.get(tag, {}).get("name", str(tag)): _jsonable(v) for tag, v in tags.items()}
    return out


def _ratio(value: Any) -> float | None:
    if isinstance(value, list) and len(value) == 2 and value[1]:
        return float(value[0]) / float(value[1])
    return None


def _dms(value: Any) -> float | None:
    if not isinstance(value, list) or len(value) != 3:
        return None
    parts = [_ratio(v) for v in value]
    if any(p is None for p in parts):
        return None
    d, m, s = (float(p or 0) for p in parts)
    return d + m / 60 + s / 3600


def gps_from_exif(gps: dict[str, Any]) -> dict[str, float] | None:
    lat, lon = _dms(gps.get("GPSLatitude")), _dms(gps.get("GPSLongitude"))
    if lat is None or lon is None:
        return None
    if str(gps.get("GPSLatitudeRef", "N")).upper().startswith("S"):
        lat = -lat
    if str(gps.get("GPSLongitudeRef", "E")).upper().startswith("W"):
        lon = -lon
    out = {"lat": round(lat, 7), "lon": round(lon, 7)}
    alt = _ratio(gps.get("GPSAltitude"))
    if alt is not None:
        out["alt"] = -alt if gps.get("GPSAltitudeRef") == 1 else alt
    return out


def normalise_exif(raw: dict[str, Any]) -> dict[str, Any]:
    exif = raw.get("exif") or {}
    zeroth, sub, gps = exif.get("0th", {}), exif.get("Exif", {}), exif.get("GPS", {})
    return {
        "container": str(raw.get("format") or "").lower() or None,
        "width": raw["size"][0], "height": raw["size"][1],
        "make": zeroth.get("Make"), "model": zeroth.get("Model"), "software": zeroth.get("Software"),
        "datetime_original": sub.get("DateTimeOriginal") or zeroth.get("DateTime"),
        "creation_time": sub.get("DateTimeOriginal") or zeroth.get("DateTime"),
        "gps": gps_from_exif(gps) if gps else None,
    }
