"""Data files read by counterclaim (see docs/data.md): furniture patterns, actors, acts, legal instruments."""
