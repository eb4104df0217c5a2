"""The actor dictionary: surface forms → canonical actors, loaded once from ``data/actors.yaml`` (+ a user file).

A user extends the shipped dictionary for their conflict with a YAML file in the same format, named by the
environment variable ``COUNTERCLAIM_ACTORS`` (see docs/data.md, "actors"). Its entries are merged into the shipped
ones: a new canonical name adds an actor, an existing one gains the new aliases.

:func:`canonical_name` maps any surface form ("Yerevan", "the Armenian side", "Armenian MFA", "Ministry of Foreign
Affairs of Armenia", "Armenians", "EU") to its canonical actor name ("Armenia", "European Union"), or ``None``.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from counterclaim.errors import InputError

log = logging.getLogger(__name__)

ENV_VAR = "COUNTERCLAIM_ACTORS"
KINDS = ("state", "organ", "igo", "court", "ngo", "person", "group", "outlet")
#: sections of the YAML whose entries are ``<name>: [aliases]`` and the kind of actor they hold
LIST_SECTIONS = {"igo": "igo", "court": "court", "ngo": "ngo", "group": "group", "person": "person", "outlet": "outlet"}


@dataclass(frozen=True)
class Surface:
    """What one surface form means: the canonical actor, its kind and which form it is."""

    actor: str
    kind: str  # state | organ | igo | court | ngo | group
    form: str  # name | alias | capital | adj | people | organ
    role: str | None = None  # for named organs: "armed forces"
    state: str | None = None  # the state a named organ or group belongs to


@dataclass
class ActorDictionary:
    """Every known surface form (normalised) with its meaning, plus the generic organ words."""

    surfaces: dict[str, Surface] = field(default_factory=dict)
    #: the form as written in the dictionary, per normalised key (for case rules and the entity ruler)
    written: dict[str, set[str]] = field(default_factory=dict)
    organs: dict[str, str] = field(default_factory=dict)  # normalised organ word → role
    kinds: dict[str, str] = field(default_factory=dict)  # canonical name → kind
    #: ``name_cues``: titles and ranks before a name ("Brig", "Dr"), as written, no full stop
    honorifics: set[str] = field(default_factory=set)
    #: ``name_cues``: words that make "<place> <Word>" a place or a thing, not a person ("city", "post")
    not_surnames: set[str] = field(default_factory=set)
    #: ``name_cues``: compass words ending a name that a capitalised word continues ("the West" of "West Darfur")
    compass: set[str] = field(default_factory=set)
    #: ``name_cues``: staff titles after "the group's" that make the group an NGO ("executive director")
    ngo_titles: set[str] = field(default_factory=set)
    #: ``name_cues``: words of an office's name, never of a person's ("Minister of Defence X": "defence")
    office_words: set[str] = field(default_factory=set)
    layer: int = 0  # files merged so far: a user file's forms override the shipped ones
    _layers: dict[str, int] = field(default_factory=dict)

    def add(self, written: str, surface: Surface) -> None:
        key = normalise(written)
        if not key:
            return
        old = self.surfaces.get(key)
        # a later file overrides; within a file a state's own forms win over the same words elsewhere
        # ("Myanmar" is a name and an adjective: keep the name)
        if (
            old is None or self._layers.get(key, 0) < self.layer
            or _FORM_RANK.get(surface.form, 9) < _FORM_RANK.get(old.form, 9)
        ):
            self.surfaces[key] = surface
            self._layers[key] = self.layer
        self.written.setdefault(key, set()).add(written.strip())
        self.kinds.setdefault(surface.actor, surface.kind)

    def lookup(self, text: str) -> Surface | None:
        return self.surfaces.get(normalise(text))

    def canonical(self, name: str) -> str | None:
        """The canonical actor of a surface form, organs and "the X side" included; ``None`` when unknown."""
        key = normalise(name)
        if not key:
            return None
        hit = self.surfaces.get(key)
        if hit is not None:
            return hit.state if hit.kind in ("organ", "igo") and hit.state else hit.actor
        parsed = self.parse_organ(key)
        return parsed[0] if parsed else None

    def parse_organ(self, key: str) -> tuple[str, str] | None:
        """``(state, role)`` of a normalised organ phrase: "armenian foreign ministry", "army of armenia", "armenia's mfa"."""
        m = _organ_regexes(self).after.match(key)
        if m:
            hit = self.surfaces.get(m.group("x"))
            if hit is not None and hit.kind == "state":
                return hit.actor, self.organs[normalise(m.group("organ"))]
        m = _organ_regexes(self).before.match(key)
        if m:
            hit = self.surfaces.get(m.group("x"))
            if hit is not None and hit.kind == "state":
                return hit.actor, self.organs[normalise(m.group("organ"))]
        return None


_FORM_RANK = {"name": 0, "alias": 1, "capital": 2, "people": 3, "adj": 4, "organ": 5}


@dataclass(frozen=True)
class _OrganRegexes:
    after: re.Pattern[str]  # "<state or adj> <organ>" on a normalised key
    before: re.Pattern[str]  # "<organ> of <state>" on a normalised key


_REGEX_CACHE: dict[int, _OrganRegexes] = {}


def _organ_regexes(d: ActorDictionary) -> _OrganRegexes:
    got = _REGEX_CACHE.get(id(d))
    if got is None:
        alt = "|".join(re.escape(o) for o in sorted(d.organs, key=len, reverse=True))
        mod = r"(?:(?:then|former|current|acting|de facto)[- ])?"
        got = _OrganRegexes(
            after=re.compile(rf"^(?P<x>.+?)(?:'s)?[ -]{mod}(?P<organ>{alt})$"),
            before=re.compile(rf"^{mod}(?P<organ>{alt}) of (?:the )?(?P<x>.+)$"),
        )
        _REGEX_CACHE[id(d)] = got
    return got


def normalise(text: str) -> str:
    """Lower case, NFKC, straight apostrophes, single spaces, no leading "the", no surrounding punctuation."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").lower()
    text = " ".join(text.split()).strip(" \t\n,.;:!?\"“”«»()[]")
    if text.startswith("the "):
        text = text[4:]
    return text


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    raise ValueError(f"expected a string or a list of strings, got {value!r}")


def _merge(d: ActorDictionary, data: dict[str, Any], source: str) -> None:
    if not isinstance(data, dict):
        raise InputError(source, "the actor dictionary must be a YAML mapping", "see docs/data.md, section actors")
    try:
        for name, spec in (data.get("states") or {}).items():
            spec = spec or {}
            kind = str(spec.get("kind", "state"))
            d.add(name, Surface(name, kind, "name"))
            for alias in _as_list(spec.get("aka")):
                d.add(alias, Surface(name, kind, "alias"))
            for cap in _as_list(spec.get("capital")):
                d.add(cap, Surface(name, kind, "capital"))
            for adj in _as_list(spec.get("adj")):
                d.add(adj, Surface(name, kind, "adj"))
            for people in _as_list(spec.get("people")):
                d.add(people, Surface(name, "group", "people", state=name))
        for role, forms in (data.get("organs") or {}).items():
            for form in [role, *_as_list(forms)]:
                d.organs[normalise(form)] = role
        for name, spec in (data.get("named_organs") or {}).items():
            spec = spec or {}
            state, role = spec.get("state"), spec.get("role")
            for alias in [name, *_as_list(spec.get("aka"))]:
                d.add(alias, Surface(str(state or name), "organ", "alias", role=role or name, state=state))
        cues = data.get("name_cues") or {}
        d.honorifics.update(w.strip().rstrip(".") for w in _as_list(cues.get("honorifics")))
        d.not_surnames.update(normalise(w) for w in _as_list(cues.get("not_surnames")))
        d.compass.update(normalise(w) for w in _as_list(cues.get("compass")))
        d.ngo_titles.update(normalise(w) for w in _as_list(cues.get("ngo_titles")))
        d.office_words.update(normalise(w) for w in _as_list(cues.get("office_words")))
        for section, default_kind in LIST_SECTIONS.items():
            for name, spec in (data.get(section) or {}).items():
                if isinstance(spec, dict):
                    aliases, kind = _as_list(spec.get("aka")), str(spec.get("kind", default_kind))
                    state = spec.get("state") or spec.get("part_of")  # the state or organisation it belongs to
                else:
                    aliases, kind, state = _as_list(spec), default_kind, None
                if kind not in KINDS:
                    raise ValueError(f"unknown kind {kind!r} for {name!r} (one of {', '.join(KINDS)})")
                for alias in [name, *aliases]:
                    d.add(alias, Surface(name, kind, "name" if alias == name else "alias", state=state))
    except (AttributeError, ValueError, TypeError) as exc:
        raise InputError(source, f"bad entry in the actor dictionary: {exc}", "see docs/data.md, section actors") from exc
    _REGEX_CACHE.pop(id(d), None)


def build_dictionary(*texts: tuple[str, str]) -> ActorDictionary:
    """A dictionary from ``(source, yaml_text)`` pairs, later ones extending earlier ones."""
    d = ActorDictionary()
    for layer, (source, text) in enumerate(texts):
        d.layer = layer
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise InputError(source, f"not valid YAML: {exc}", "fix the file or unset " + ENV_VAR) from exc
        _merge(d, data, source)
    return d


@lru_cache(maxsize=4)
def load_dictionary(user_file: str | None = None) -> ActorDictionary:
    """The shipped dictionary plus ``user_file`` (default: the file named by ``COUNTERCLAIM_ACTORS``), loaded once."""
    texts = [("actors.yaml", resources.files("counterclaim.data").joinpath("actors.yaml").read_text("utf-8"))]
    path = user_file if user_file is not None else os.environ.get(ENV_VAR)
    if path:
        p = Path(path).expanduser()
        try:
            texts.append((str(p), p.read_text("utf-8")))
        except OSError as exc:
            raise InputError(str(p), f"cannot read the actor dictionary: {exc.strerror}", f"check {ENV_VAR}") from exc
        log.info("actor dictionary extended with %s", p)
    return build_dictionary(*texts)


def get_dictionary() -> ActorDictionary:
    return load_dictionary(None)


def canonical_name(name: str) -> str | None:
    """The canonical actor for any surface form ("Yerevan", "the Armenian side", "EU"), ``None`` when unknown."""
    return get_dictionary().canonical(name)
