"""The spaCy pipeline: the English model shipped on PyPI plus counterclaim's own versioned components."""

from counterclaim.nlp.pipeline import MODEL_PACKAGE, load_pipeline, pipeline_version

__all__ = ["MODEL_PACKAGE", "load_pipeline", "pipeline_version"]
