"""Tables of the link component. Append new migrations at the end; never edit one that has shipped."""

MIGRATIONS: list[str] = []
