"""Lineage (copies, rewrites, partial reuse), incidents and cross-source reconciliation; entry point ``update_links``."""
