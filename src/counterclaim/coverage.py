"""Which documents the extraction pipeline can analyse, and the note shown for those it cannot.

The extractors (quotes, figures, allegations ...) are English rules over an English spaCy model. A document whose
detected language is another one is not run through them (that would yield nothing, silently, or noise); it is
marked instead, in ``analyze``'s summary, ``docs``, ``show``, the web list and the export:
``not analysed: language fr``. A document whose language could not be detected (too short) is analysed.
"""

from __future__ import annotations

#: ISO 639-1 codes of the languages the extraction pipeline reads
ANALYSED_LANGUAGES: tuple[str, ...] = ("en",)


def analysis_note(language: str | None) -> str | None:
    """``"not analysed: language fr"`` for a language the pipeline does not read, else None."""
    if language and language not in ANALYSED_LANGUAGES:
        return f"not analysed: language {language}"
    return None
