"""Scoring extraction against gold annotations (the format of ``shared/gold/seeds/README.md``).

Matching rules (documented in docs/eval.md):

- **figures**: one-to-one on ``(value, category)``.
- **dates**: one-to-one on the ISO string (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``).
- **quotes**: direct quotations only (the gold does not annotate indirect speech); one-to-one on speaker (same canonical actor, or same surname) and start of quote (the gold's first
  words, whitespace and quote marks ignored, occur at the start of the predicted quote text, or the predicted text
  starts inside them).
- **allegations**: set match on distinct ``(claimant, accused, act, stance)``, actors compared after
  canonicalisation through the actor dictionary; a record with several accused counts once per accused.

Scores are micro-averaged over all documents: precision = matched / predicted, recall = matched / gold.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counterclaim.errors import InputError, UsageError
from counterclaim.records import Allegation, DateMention, Figure, Quote, Record

TYPES = ("figures", "quotes", "allegations", "dates")


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    gold: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)  # gold items not found
    extras: list[dict[str, Any]] = field(default_factory=list)  # predicted items not in gold

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            "tp": self.tp, "predicted": self.predicted, "gold": self.gold,
        }
        if details:
            out["misses"] = self.misses
            out["extras"] = self.extras
        return out


@dataclass
class GoldDoc:
    stem: str
    text_path: Path
    gold: dict[str, Any]


def find_gold(gold_dir: Path, text_dirs: Iterable[Path] = ()) -> list[GoldDoc]:
    """Pairs of ``<stem>.gold.json`` and ``<stem>.txt`` (beside it, or in one of ``text_dirs``)."""
    if not gold_dir.is_dir():
        raise UsageError(f"{gold_dir} is not a folder of .gold.json files")
    out = []
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        try:
            gold = json.loads(gold_path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(str(gold_path), f"not a readable gold JSON file: {exc}") from exc
        candidates = [gold_dir / f"{stem}.txt", *(Path(d) / f"{stem}.txt" for d in text_dirs)]
        text_path = next((c for c in candidates if c.exists()), None)
        if text_path is None:
            raise InputError(str(gold_path), f"no {stem}.txt beside it", "pass the text folder with --texts")
        out.append(GoldDoc(stem, text_path, gold))
    if not out:
        raise UsageError(f"no *.gold.json files in {gold_dir}")
    return out


def _norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"[\"'“”‘’«»]", "", text)
    return " ".join(re.findall(r"\w+", text))


def _quote_matches(gold_start: str, pred_text: str) -> bool:
    g, p = _norm(gold_start), _norm(pred_text)
    if not g or not p:
        return False
    head = p[: len(g) + 40]
    return g in head or (len(p) >= 20 and g.startswith(p[: min(len(p), 40)]))


def _speaker_matches(gold: str | None, pred: str | None, canon: Callable[[str], str]) -> bool:
    if not gold or not pred:
        return False
    if canon(gold) == canon(pred):
        return True
    g, p = _norm(gold).split(), _norm(pred).split()
    return bool(g and p) and g[-1] == p[-1]


def _match_multiset(gold_keys: list[tuple[Any, ...]], pred_keys: list[tuple[Any, ...]], score: Score, stem: str) -> None:
    g, p = Counter(gold_keys), Counter(pred_keys)
    score.gold += len(gold_keys)
    score.predicted += len(pred_keys)
    score.tp += sum((g & p).values())
    for k, n in (g - p).items():
        score.misses += [{"doc": stem, "key": list(k)}] * n
    for k, n in (p - g).items():
        score.extras += [{"doc": stem, "key": list(k)}] * n


def score_document(
    stem: str, gold: dict[str, Any], records: list[Record], scores: dict[str, Score], canon: Callable[[str], str]
) -> None:
    figures = [r for r in records if isinstance(r, Figure)]
    _match_multiset(
        [(_num(f["value"]), f["category"]) for f in gold.get("figures", [])],
        [(_num(f.value), f.category) for f in figures], scores["figures"], stem,
    )
    dates = [r for r in records if isinstance(r, DateMention)]
    _match_multiset([(d["date"],) for d in gold.get("dates", [])], [(d.date,) for d in dates], scores["dates"], stem)

    gold_alleg = {
        (canon(a["accuser"]), canon(a["accused"]), a["act"], a["stance"]) for a in gold.get("allegations", [])
    }
    pred_alleg = {
        (canon(a.claimant or ""), canon(acc), a.act, a.stance)
        for a in records if isinstance(a, Allegation) for acc in (a.accused or [""])
    }
    _match_multiset(sorted(gold_alleg), sorted(pred_alleg), scores["allegations"], stem)

    # the gold annotates direct quotations (and Q&A answers) only, so indirect speech is not scored
    quotes = [r for r in records if isinstance(r, Quote) and r.direct]
    s = scores["quotes"]
    s.gold += len(gold.get("quotes", []))
    s.predicted += len(quotes)
    used: set[int] = set()
    for gq in gold.get("quotes", []):
        hit = next(
            (i for i, q in enumerate(quotes) if i not in used and _speaker_matches(gq["speaker"], q.speaker, canon)
             and _quote_matches(gq["quote_start"], q.text)),
            None,
        )
        if hit is None:
            s.misses.append({"doc": stem, "speaker": gq["speaker"], "quote_start": gq["quote_start"]})
        else:
            used.add(hit)
            s.tp += 1
    for i, q in enumerate(quotes):
        if i not in used:
            s.extras.append({"doc": stem, "speaker": q.speaker, "text": q.text[:80]})


def _num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def default_canon() -> Callable[[str], str]:
    """Canonicalise actor names through the actor dictionary (unknown names are only normalised)."""
    from counterclaim.extract.actors import canonical_name

    def canon(name: str) -> str:
        return _norm(canonical_name(name) or name)

    return canon


def evaluate(
    gold_docs: list[GoldDoc], records_by_stem: dict[str, list[Record]], canon: Callable[[str], str] | None = None
) -> dict[str, Score]:
    canon = canon or default_canon()
    scores = {t: Score() for t in TYPES}
    for gd in gold_docs:
        score_document(gd.stem, gd.gold, records_by_stem.get(gd.stem, []), scores, canon)
    return scores


def check_floors(scores: dict[str, Score], floors: dict[str, float]) -> list[str]:
    """Lines naming every record type whose F1 is under its floor."""
    return [
        f"{t}: F1 {scores[t].f1:.3f} is below the floor {floor:.2f}"
        for t, floor in floors.items() if t in scores and scores[t].f1 + 1e-9 < floor
    ]
