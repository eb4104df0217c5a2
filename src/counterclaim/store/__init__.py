"""The SQLite ledger (``Ledger``) and its schema migrations. SQL lives in this package only."""

from counterclaim.store.ledger import DEFAULT_DB, AddResult, Ledger

__all__ = ["DEFAULT_DB", "AddResult", "Ledger"]
