"""counterclaim's spaCy components, registered by versioned name (``counterclaim_figures_v1``: spaCy forbids dots in factory names).

Each component reads the per-document :class:`~counterclaim.extract.context.Context` from ``doc._.cc`` (set before
the pipeline runs), calls one pure extractor function and stores its records back on the context. The component
order is the order of :data:`COMPONENTS`: later extractors (quotes, allegations) use what earlier ones found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from counterclaim.extract import actors, allegations, dates, figures, legal, quotes
from counterclaim.extract.context import Context, DocInput
from counterclaim.nlp import line_breaks

if not Doc.has_extension("cc"):
    Doc.set_extension("cc", default=None)

# (factory name, context attribute, extractor function, module with VERSION)
COMPONENTS: tuple[tuple[str, str, Callable[[Doc, Context], list[Any]], Any], ...] = (
    ("counterclaim_actors_v1", "actors", actors.find_actors, actors),
    ("counterclaim_dates_v1", "dates", dates.find_dates, dates),
    ("counterclaim_figures_v1", "figures", figures.find_figures, figures),
    ("counterclaim_legal_v1", "legal", legal.find_legal_refs, legal),
    ("counterclaim_quotes_v1", "quotes", quotes.find_quotes, quotes),
    ("counterclaim_allegations_v1", "allegations", allegations.find_allegations, allegations),
)


def component_versions() -> list[str]:
    return [line_breaks.VERSION, *(module.VERSION for _, _, _, module in COMPONENTS)]


class _Step:
    def __init__(self, attr: str, func: Callable[[Doc, Context], list[Any]]) -> None:
        self.attr = attr
        self.func = func

    def __call__(self, doc: Doc) -> Doc:
        ctx: Context | None = doc._.cc
        if ctx is None:  # a Doc made without metadata (nlp("text")): extract with an anonymous input
            ctx = Context(DocInput(id="", text=doc.text))
            doc._.cc = ctx
        setattr(ctx, self.attr, self.func(doc, ctx))
        return doc


def _register() -> None:
    for name, attr, func, _module in COMPONENTS:
        if name in Language.factories:
            continue

        def make(nlp: Language, name: str, attr: str = attr, func: Callable[[Doc, Context], list[Any]] = func) -> _Step:
            return _Step(attr, func)

        Language.factory(name, func=make)


_register()


def add_components(nlp: Language) -> Language:
    """Add every counterclaim component to ``nlp`` (after the model's own components)."""
    from counterclaim.extract.actors import add_actor_ruler

    if "counterclaim_line_breaks_v1" not in nlp.pipe_names:
        where = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
        nlp.add_pipe("counterclaim_line_breaks_v1", **where)
    add_actor_ruler(nlp)
    for name, *_ in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp
