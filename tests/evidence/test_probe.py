from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counterclaim.evidence.probe import gps_from_exif, normalise_ffprobe, parse_iso6709

lat_st = st.floats(-90, 90, allow_nan=False)
lon_st = st.floats(-180, 180, allow_nan=False)


@given(lat_st, lon_st, st.one_of(st.none(), st.floats(-400, 9000, allow_nan=False)))
def test_iso6709_round_trip(lat: float, lon: float, alt: float | None) -> None:
    text = f"{lat:+08.4f}{lon:+09.4f}" + (f"{alt:+.1f}" if alt is not None else "") + "/"
    got = parse_iso6709(text)
    assert got is not None
    assert got["lat"] == pytest.approx(lat, abs=1e-4) and got["lon"] == pytest.approx(lon, abs=1e-4)
    assert ("alt" in got) == (alt is not None)


@given(st.text(max_size=40))
def test_iso6709_never_raises(text: str) -> None:
    got = parse_iso6709(text)
    assert got is None or (-90 <= got["lat"] <= 90 and -180 <= got["lon"] <= 180)


@given(lat_st, lon_st)
def test_exif_dms_round_trip(lat: float, lon: float) -> None:
    def dms(value: float) -> list[list[int]]:
        value = abs(value)
        d = int(value)
        m = int((value - d) * 60)
        s = round(((value - d) * 60 - m) * 60 * 10000)
        return [[d, 1], [m, 1], [s, 10000]]

    gps = {"GPSLatitudeRef": "S" if lat < 0 else "N", "GPSLatitude": dms(lat),
           "GPSLongitudeRef": "W" if lon < 0 else "E", "GPSLongitude": dms(lon)}
    got = gps_from_exif(gps)
    assert got is not None
    assert got["lat"] == pytest.approx(lat, abs=1e-6) and got["lon"] == pytest.approx(lon, abs=1e-6)


def test_exif_gps_damaged_values_give_none() -> None:
    assert gps_from_exif({"GPSLatitude": [[1, 0], [2, 1], [3, 1]], "GPSLongitude": [[1, 1], [2, 1], [3, 1]]}) is None
    assert gps_from_exif({"GPSLatitude": "garbage"}) is None


def test_normalise_ffprobe_reads_apple_location_and_stream_creation_time() -> None:
    data = {
        "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "12.5", "bit_rate": "800000",
                   "tags": {"com.apple.quicktime.location.ISO6709": "+31.5017+034.4668+012.000/",
                            "com.apple.quicktime.make": "Apple", "com.apple.quicktime.model": "iPhone 12"}},
        "streams": [{"codec_type": "video", "codec_name": "hevc", "width": 1920, "height": 1080,
                     "avg_frame_rate": "30000/1001", "tags": {"creation_time": "2023-10-17T18:59:00.000000Z"}},
                    {"codec_type": "audio", "codec_name": "aac", "sample_rate": "48000", "channels": 2}],
    }
    meta = normalise_ffprobe(data)
    assert meta["gps"] == {"lat": 31.5017, "lon": 34.4668, "alt": 12.0}
    assert (meta["make"], meta["model"]) == ("Apple", "iPhone 12")
    assert meta["creation_time"] == "2023-10-17T18:59:00.000000Z"
    assert meta["video_codec"] == "hevc" and meta["streams"][0]["fps"] == pytest.approx(29.97)
    assert meta["duration_s"] == 12.5 and meta["bit_rate"] == 800000
