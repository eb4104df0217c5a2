"""Benchmark: lineage over generated corpora with planted copies, rewrites and partial reuse.

Usage:  .venv/bin/python bench/lineage.py [--sizes 10000 50000] [--slice 2000] [--out bench/out/lineage.json]

Each size runs in its own child process (so its peak RSS is its own) through the library's lineage steps:
fingerprint (content words + MinHash) → candidate pairs (MinHash-LSH + rare keys) → sentence alignment → link type.
Reported per size: time per step, peak RSS, candidate pairs, recall of the candidate step on the planted pairs, and
precision / recall of the links. On the ``--slice`` corpus the all-pairs baseline is measured too: every pair
compared (content-word Jaccard over all pairs, timed in full; alignment of all pairs, timed on a sample and
extrapolated), against the same slice through LSH.

The corpus: "base" documents are statements about generated topics (a place, actors, dates and figures shared by
the topic's documents, so documents on the same topic are hard negatives that share rare keys); derived documents
are planted: copies (site furniture added), rewrites (synonym substitution of 20–45 % of the content words, clause
reordering, sentences dropped, merged and added, attribution added) and partial reuses (3–5 sentences of a base
inside a new text). Words are generated pseudo-words (the steps measured never look words up), so sentence
embeddings are measured separately: throughput of the MiniLM encoder on real sentences and how many candidate
pairs would need it, extrapolated (see BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STOPS = ("the", "of", "and", "to", "in", "a", "that", "on", "for", "with", "by", "was", "were", "has", "is", "at")
FURNITURE_TOP = ["Home / News / World", "By Staff Reporter", "Listen to this article", "Updated 3 hours ago"]
FURNITURE_END = ["Read also: {w} talks stall again", "Photo: archive", "Related: {w} {w} report",
                 "Follow us on social media"]
ATTRIBUTION = ["the ministry said", "officials stated", "according to the statement", "the spokesperson added"]


class Generator:
    def __init__(self, seed: int = 11, vocab: int = 20000) -> None:
        self.rng = random.Random(seed)
        syll = ["ka", "lo", "ren", "mi", "tu", "sa", "vor", "de", "li", "nam", "ter", "os", "bri", "gal", "un", "pe",
                "zor", "chi", "mar", "qel", "dan", "ru", "fen", "ho", "sib", "at", "vek", "lun", "ma", "tis"]
        words: set[str] = set()
        while len(words) < vocab:
            words.add("".join(self.rng.choice(syll) for _ in range(self.rng.randint(2, 4))))
        self.words = sorted(words)
        self.rng.shuffle(self.words)
        self.cum: list[float] = []
        total = 0.0
        for i in range(len(self.words)):  # Zipf-like frequencies
            total += 1 / (i + 10)
            self.cum.append(total)
        self.synonym = dict(zip(self.words, self.rng.sample(self.words, len(self.words)), strict=True))

    def word(self) -> str:
        return self.rng.choices(self.words, cum_weights=self.cum)[0]

    def topic(self) -> dict[str, Any]:
        r = self.rng
        return {
            "place": self.word().capitalize(), "actor": self.word().capitalize() + " " + self.word().capitalize(),
            "numbers": [str(r.randint(3, 900)) for _ in range(3)], "year": str(r.randint(1990, 2024)),
            "words": [self.word() for _ in range(40)],
        }

    def sentence(self, topic: dict[str, Any]) -> str:
        r = self.rng
        out = []
        for _ in range(r.randint(9, 18)):
            if r.random() < 0.35:
                out.append(r.choice(STOPS))
            out.append(r.choice(topic["words"]) if r.random() < 0.25 else self.word())
        slot = r.random()
        if slot < 0.25:
            out.insert(r.randrange(len(out)), "in " + topic["place"])
        elif slot < 0.45:
            out.insert(r.randrange(len(out)), r.choice(topic["numbers"]))
        elif slot < 0.55:
            out.insert(r.randrange(len(out)), topic["actor"])
        elif slot < 0.65:
            out.insert(r.randrange(len(out)), f"in {topic['year']}")
        text = " ".join(out)
        return text[0].upper() + text[1:] + "."

    def document(self, topic: dict[str, Any]) -> list[str]:
        return [self.sentence(topic) for _ in range(self.rng.randint(8, 16))]

    def copy(self, sents: list[str]) -> str:
        r = self.rng
        top = r.sample(FURNITURE_TOP, r.randint(1, 3))
        end = [f.format(w=self.word().capitalize()) for f in r.sample(FURNITURE_END, r.randint(1, 2))]
        return "\n".join(top) + "\n\n" + " ".join(sents) + "\n\n" + "\n".join(end)

    def rewrite(self, sents: list[str], topic: dict[str, Any]) -> str:
        r = self.rng
        rate = r.uniform(0.2, 0.45)
        kept = [s for s in sents if r.random() > 0.15] or sents[:1]
        out: list[str] = []
        for s in kept:
            toks = s.rstrip(".").split()
            toks = [self.synonym[t] if t in self.synonym and r.random() < rate else t for t in toks]
            if r.random() < 0.3 and len(toks) > 6:  # clause reordering
                cut = r.randint(3, len(toks) - 3)
                toks = toks[cut:] + toks[:cut]
            if r.random() < 0.3:
                toks += [",", r.choice(ATTRIBUTION)]
            text = " ".join(toks).replace(" ,", ",")
            out.append(text[0].upper() + text[1:] + ".")
        if len(out) > 3 and r.random() < 0.3:  # two sentences merged into one
            i = r.randrange(len(out) - 1)
            out[i : i + 2] = [out[i].rstrip(".") + " and " + out[i + 1][0].lower() + out[i + 1][1:]]
        for _ in range(r.randint(0, 2)):  # new sentences
            out.insert(r.randrange(len(out) + 1), self.sentence(topic))
        return " ".join(out)

    def partial(self, sents: list[str], topic: dict[str, Any]) -> str:
        r = self.rng
        k = min(len(sents), r.randint(3, 5))
        i = r.randrange(len(sents) - k + 1)
        own = [self.sentence(topic) for _ in range(r.randint(6, 10))]
        j = r.randrange(len(own) + 1)
        return " ".join(own[:j] + sents[i : i + k] + own[j:])


def corpus(n: int, seed: int = 11) -> tuple[dict[str, str], dict[tuple[str, str], str], dict[str, str]]:
    """``n`` documents, the planted pairs (sorted ids → kind) and each document's family (its base document)."""
    g = Generator(seed)
    docs: dict[str, str] = {}
    truth: dict[tuple[str, str], str] = {}
    family: dict[str, str] = {}
    bases: list[tuple[str, list[str], dict[str, Any]]] = []
    topics = [g.topic() for _ in range(max(1, n // 8))]  # ~5 base documents per topic: hard negatives
    while len(docs) < n:
        roll = g.rng.random()
        if bases and roll < 0.25:
            base_id, sents, topic = g.rng.choice(bases)
            kind = "duplicate" if roll < 0.08 else "rewrite" if roll < 0.20 else "partial"
            text = g.copy(sents) if kind == "duplicate" else g.rewrite(sents, topic) if kind == "rewrite" else (
                g.partial(sents, topic))
            doc_id = f"d{len(docs):06d}"
            docs[doc_id] = text
            truth[(min(doc_id, base_id), max(doc_id, base_id))] = kind
            family[doc_id] = base_id
        else:
            topic = g.rng.choice(topics)
            sents = g.document(topic)
            doc_id = f"d{len(docs):06d}"
            docs[doc_id] = " ".join(sents)
            bases.append((doc_id, sents, topic))
            family[doc_id] = doc_id
    return docs, truth, family


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(n: int, baseline: bool) -> dict[str, Any]:
    from counterclaim.link.align import align
    from counterclaim.link.candidates import candidate_pairs, fingerprint, recall
    from counterclaim.link.lineage import link_kind
    from counterclaim.link.text import content_words, normalised_body, split_sentences

    t0 = time.perf_counter()
    docs, truth, family = corpus(n)
    out: dict[str, Any] = {"documents": n, "planted": dict(_count(truth.values())), "generate_s": _since(t0)}
    rss0 = peak_rss_mib()

    cpu0 = time.process_time()
    t = time.perf_counter()
    fps = [fingerprint(d, text) for d, text in docs.items()]
    out["fingerprint_s"] = _since(t)
    t = time.perf_counter()
    pairs = candidate_pairs([], fps)
    out["candidates_s"] = _since(t)
    out["candidate_pairs"] = len(pairs)
    out["candidate_recall"] = round(recall(pairs, truth), 4)
    out["candidate_recall_by_kind"] = {
        k: round(recall(pairs, {p: v for p, v in truth.items() if v == k}), 4) for k in ("duplicate", "rewrite", "partial")
    }

    t = time.perf_counter()
    prepared: dict[str, Any] = {}

    def prep(d: str) -> Any:
        if d not in prepared:
            prepared[d] = (split_sentences(docs[d]), normalised_body(docs[d]))
        return prepared[d]

    found: dict[tuple[str, str], str] = {}
    for a, b in pairs:
        (sa, ba), (sb, bb) = prep(a), prep(b)
        kind = link_kind(align(sa, sb), ba == bb and bool(ba))
        if kind:
            found[(a, b)] = kind
    out["align_s"] = _since(t)
    out["total_s"] = round(out["fingerprint_s"] + out["candidates_s"] + out["align_s"], 2)
    out["total_cpu_s"] = round(time.process_time() - cpu0, 2)  # wall time is inflated when the machine is shared
    out["links"] = len(found)
    out.update(_quality(found, truth, family))
    out["peak_rss_mib"] = round(peak_rss_mib(), 1)
    out["rss_before_linking_mib"] = round(rss0, 1)

    if baseline:
        words = {d: set(content_words(text)) for d, text in docs.items()}
        ids = sorted(docs)
        t = time.perf_counter()
        c = time.process_time()
        jac_pairs = 0
        for i, a in enumerate(ids):
            wa = words[a]
            for b in ids[i + 1 :]:
                wb = words[b]
                if len(wa & wb) / (len(wa | wb) or 1) >= 0.3:
                    jac_pairs += 1
        out["allpairs_jaccard_s"] = _since(t)
        out["allpairs_jaccard_cpu_s"] = round(time.process_time() - c, 2)
        out["allpairs_jaccard_pairs_over_0.3"] = jac_pairs
        rng = random.Random(3)
        sample = [tuple(rng.sample(ids, 2)) for _ in range(3000)]
        for a, b in sample:  # sentences split outside the timing, as for the LSH run's cache
            prep(a), prep(b)
        c = time.process_time()
        for a, b in sample:
            align(prep(a)[0], prep(b)[0])
        per_pair = (time.process_time() - c) / len(sample)
        total_pairs = len(ids) * (len(ids) - 1) // 2
        out["allpairs_pairs"] = total_pairs
        out["allpairs_align_cpu_s_extrapolated"] = round(per_pair * total_pairs, 1)
        out["allpairs_align_per_pair_ms"] = round(per_pair * 1000, 3)
    return out


def run_ledger(n: int) -> dict[str, Any]:
    """update_links on a real ledger: first run over 90 % of the corpus, then the incremental run for the rest."""
    import tempfile

    from counterclaim.link.update import update_links
    from counterclaim.records import Document, SourceRef
    from counterclaim.store import Ledger
    from counterclaim.store.links import LinkStore

    docs, truth, family = corpus(n)
    ids = list(docs)
    cut = int(len(ids) * 0.9)
    out: dict[str, Any] = {"documents": n}
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(Path(tmp) / "bench.db")
        real: dict[str, str] = {}

        def add(batch: list[str]) -> None:
            for d in batch:
                doc = Document.from_text(docs[d])
                ledger.add_document(doc, SourceRef(d))
                real[doc.id] = d

        add(ids[:cut])
        t = time.perf_counter()
        first = update_links(ledger, use_embeddings=False, rebuild_incidents=False)
        out["first_run_s"], out["first_run_docs"] = _since(t), first.documents
        add(ids[cut:])
        t = time.perf_counter()
        second = update_links(ledger, use_embeddings=False, rebuild_incidents=False)
        out["incremental_run_s"], out["incremental_docs"] = _since(t), second.documents
        found = {tuple(sorted((real[lk["doc"]], real[lk["other"]]))): lk["kind"] for lk in LinkStore(ledger).links()}
        ledger.close()
    out.update(_quality(found, truth, family))  # type: ignore[arg-type]
    out["peak_rss_mib"] = round(peak_rss_mib(), 1)
    return out


def _quality(found: dict[tuple[str, str], str], truth: dict[tuple[str, str], str], family: dict[str, str]) -> dict[str, Any]:
    """Precision: a link is right when both documents descend from one base. Recall: planted pairs linked."""
    right = sum(family[a] == family[b] for a, b in found)
    out: dict[str, Any] = {"precision": round(right / len(found), 4) if found else 1.0}
    for kind in ("duplicate", "rewrite", "partial"):
        planted = [p for p, k in truth.items() if k == kind]
        linked = [p for p in planted if p in found]
        out[f"recall_{kind}"] = round(len(linked) / len(planted), 4) if planted else None
        out[f"kind_accuracy_{kind}"] = round(sum(found[p] == kind for p in linked) / len(linked), 4) if linked else None
    out["recall_all"] = round(sum(p in found for p in truth) / len(truth), 4) if truth else 1.0
    return out


def _count(values: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def _since(t: float) -> float:
    return round(time.perf_counter() - t, 2)


def encoder_throughput(sentences: int = 256) -> dict[str, Any]:
    """Sentences per second of the MiniLM encoder on real sentences (seeds), batched, on this CPU."""
    from counterclaim.ingest.clean import normalise
    from counterclaim.link.embed import load_encoder
    from counterclaim.link.text import split_sentences

    texts = [s.text for p in sorted((ROOT / "examples" / "seeds").glob("*.txt"))
             for s in split_sentences(normalise(p.read_text("utf-8")))]
    texts = (texts * (sentences // max(1, len(texts)) + 1))[:sentences]
    texts = [f"{t} ({i})" for i, t in enumerate(texts)]  # distinct sentences
    t = time.perf_counter()
    enc = load_encoder(required=True)
    load = _since(t)
    assert enc is not None
    t = time.perf_counter()
    enc.encode(texts)
    secs = time.perf_counter() - t
    return {"load_s": load, "sentences": len(texts), "sentences_per_s": round(len(texts) / secs, 1),
            "peak_rss_mib": round(peak_rss_mib(), 1)}


def child(args: list[str]) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"child {args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10000, 50000])
    ap.add_argument("--slice", type=int, default=2000)
    ap.add_argument("--no-encoder", action="store_true", help="Skip the encoder throughput measurement.")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "lineage.json"))
    ap.add_argument("--child-size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--child-baseline", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--child-encoder", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--child-ledger", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--ledger", type=int, default=5000, help="Also run update_links on a ledger of this many documents "
                    "(90 %% first, then the rest incrementally); 0 to skip.")
    args = ap.parse_args()
    if args.child_size:
        print(json.dumps(run_size(args.child_size, args.child_baseline)))
        return
    if args.child_ledger:
        print(json.dumps(run_ledger(args.child_ledger)))
        return
    if args.child_encoder:
        print(json.dumps(encoder_throughput()))
        return
    result: dict[str, Any] = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}",
        "slice": child(["--child-size", str(args.slice), "--child-baseline"]),
        "sizes": [child(["--child-size", str(n)]) for n in args.sizes],
    }
    if len(result["sizes"]) >= 2:
        a, b = result["sizes"][0], result["sizes"][-1]
        result["growth"] = {"docs_ratio": round(b["documents"] / a["documents"], 2),
                            "time_ratio": round(b["total_s"] / a["total_s"], 2),
                            "cpu_ratio": round(b["total_cpu_s"] / a["total_cpu_s"], 2),
                            "candidate_ratio": round(b["candidate_pairs"] / max(1, a["candidate_pairs"]), 2)}
    if args.ledger:
        result["ledger"] = child(["--child-ledger", str(args.ledger)])
    if not args.no_encoder:
        enc = child(["--child-encoder"])
        big = result["sizes"][-1] if result["sizes"] else result["slice"]
        enc["extrapolated_s_to_embed_all_candidate_docs"] = round(
            big["candidate_pairs"] * 2 * 12 / enc["sentences_per_s"], 1)  # ~12 sentences a document, both sides
        result["encoder"] = enc
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
