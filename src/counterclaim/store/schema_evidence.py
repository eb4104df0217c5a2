"""Tables of the evidence component. Append new migrations at the end; never edit one that has shipped."""

MIGRATIONS: list[str] = []
