"""The local web workbench (``counterclaim serve``): server-rendered pages and a JSON API over a ledger."""
