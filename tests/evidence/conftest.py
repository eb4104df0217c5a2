"""Media fixtures made with ffmpeg and Pillow in tmp dirs (session-scoped: ffmpeg is slow on a shared machine)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HAVE_FFMPEG = bool(shutil.which("ffmpeg") and shutil.which("ffprobe"))
needs_ffmpeg = pytest.mark.skipif(not HAVE_FFMPEG, reason="ffmpeg/ffprobe not installed")


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-nostdin", *args], check=True, timeout=120)


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A clip with GPS/creation tags, a re-encoded copy, a cropped+resized copy, a trimmed copy, an unrelated clip,
    an image with EXIF (camera, date, GPS), a resized copy of it, an unrelated image, and bad inputs."""
    if not HAVE_FFMPEG:
        pytest.skip("ffmpeg/ffprobe not installed")
    d = tmp_path_factory.mktemp("media")
    out = {name: d / name for name in (
        "clip.mp4", "reencoded.webm", "cropped.mp4", "trimmed.mp4", "unrelated.mp4", "photo.jpg", "photo_small.png",
        "other.jpg", "truncated.mp4", "empty.mp4", "text.jpg", "still.jpg", "truncated.jpg",
    )}
    ffmpeg("-f", "lavfi", "-i", "testsrc2=duration=6:size=320x240:rate=25", "-f", "lavfi", "-i",
           "sine=frequency=440:duration=6", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
           "-metadata", "location=+48.4647+035.0462/", "-metadata", "creation_time=2022-09-30T10:15:00Z",
           str(out["clip.mp4"]))
    ffmpeg("-i", str(out["clip.mp4"]), "-c:v", "libvpx", "-b:v", "150k", "-deadline", "realtime", "-cpu-used", "8",
           "-c:a", "libvorbis", str(out["reencoded.webm"]))
    ffmpeg("-i", str(out["clip.mp4"]), "-vf", "crop=288:216:16:12,scale=200:150", "-c:v", "libx264", "-preset",
           "ultrafast", "-crf", "30", "-an", str(out["cropped.mp4"]))
    ffmpeg("-ss", "2", "-i", str(out["clip.mp4"]), "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-an",
           str(out["trimmed.mp4"]))
    ffmpeg("-f", "lavfi", "-i", "mandelbrot=size=320x240:rate=25", "-t", "6", "-c:v", "libx264", "-preset",
           "ultrafast", str(out["unrelated.mp4"]))
    # a screenshot of one of the frames the sampler sees (2 per second), upscaled and saved as JPEG
    ffmpeg("-i", str(out["clip.mp4"]), "-vf", r"fps=2,select=eq(n\,6),scale=480:360", "-frames:v", "1",
           str(out["still.jpg"]))
    _photos(out["photo.jpg"], out["photo_small.png"], out["other.jpg"])
    data = out["clip.mp4"].read_bytes()
    out["truncated.mp4"].write_bytes(data[: len(data) // 3])
    out["empty.mp4"].write_bytes(b"")
    out["truncated.jpg"].write_bytes(out["photo.jpg"].read_bytes()[:3000])
    out["text.jpg"].write_text("this is not a photograph\n", encoding="utf-8")
    return out


def _photos(photo: Path, small: Path, other: Path) -> None:
    import piexif
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (640, 480), "white")
    draw = ImageDraw.Draw(img)
    for i in range(0, 640, 80):
        draw.rectangle([i, (i * 3) % 400, i + 60, (i * 3) % 400 + 70], fill=(i % 255, 40, 200 - i % 200))
    draw.ellipse([200, 150, 440, 330], fill=(10, 120, 30))
    exif = {
        "0th": {piexif.ImageIFD.Make: b"Canon", piexif.ImageIFD.Model: b"EOS 5D"},
        "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2022:09:30 10:15:00"},
        "GPS": {
            piexif.GPSIFD.GPSLatitudeRef: b"N", piexif.GPSIFD.GPSLatitude: ((48, 1), (27, 1), (5292, 100)),
            piexif.GPSIFD.GPSLongitudeRef: b"E", piexif.GPSIFD.GPSLongitude: ((35, 1), (2, 1), (4632, 100)),
        },
    }
    img.save(photo, "JPEG", quality=90, exif=piexif.dump(exif))
    img.resize((320, 240)).save(small, "PNG")
    noise = Image.effect_noise((640, 480), 80).convert("RGB")
    ImageDraw.Draw(noise).rectangle([0, 0, 320, 480], fill=(250, 250, 20))
    noise.save(other, "JPEG")
