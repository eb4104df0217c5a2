"""The media evidence registry: content-addressed files, metadata, perceptual fingerprints, chain of custody,
Berkeley Protocol verification steps, links to allegations, HTML reports and the ledger's seal manifest.

The entry points are in :mod:`counterclaim.evidence.registry` (add, check, link, verify, similar); SQL lives in
:mod:`counterclaim.store.evidence`.
"""
