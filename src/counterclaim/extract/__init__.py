"""Extraction: a spaCy ``Doc`` of a document → typed records, each tied to its exact character span.

Each module is one extractor with a pure function ``find_*(doc, ctx)``; :mod:`counterclaim.nlp.components`
registers them as versioned spaCy components, and :class:`counterclaim.extract.pipeline.Extractor` runs them in batch.
"""
