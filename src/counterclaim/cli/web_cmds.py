"""CLI commands of the web stage: ``counterclaim serve``."""

from __future__ import annotations

import ipaddress
import os
import socket

import click

from counterclaim.cli.options import db_option
from counterclaim.errors import UsageError

TOKEN_ENV = "COUNTERCLAIM_TOKEN"


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, token: str | None) -> None:
    """Refuse to listen beyond this machine without an access token."""
    if not is_loopback(host) and not token:
        raise UsageError(
            f"--host {host} exposes the workbench to other machines; give an access token with --token "
            f"(or ${TOKEN_ENV}) so that every request must present it"
        )
    if token is not None and len(token) < 12:
        raise UsageError("the --token is too short: use at least 12 characters (e.g. 'openssl rand -hex 16')")


def bind(host: str, port: int) -> socket.socket:
    """Listen on ``host:port`` before saying so: a busy port is one line, not a URL followed by a traceback."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UsageError(f"cannot listen on --host {host}: {exc.strerror}") from exc
    family, socktype, proto, _, address = infos[0]
    sock = socket.socket(family, socktype, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc} (is another server running there? "
                         "choose another --port)") from exc
    sock.set_inheritable(True)
    return sock


def register(cli: click.Group) -> None:
    """Add this stage's commands to the main group."""

    @cli.command()
    @db_option
    @click.option("--host", default="127.0.0.1", show_default=True,
                  help="Interface to listen on; anything but loopback requires --token.")
    @click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
    @click.option("--token", default=None, help=f"Access token every request must present (or ${TOKEN_ENV}).")
    @click.option("--allow-edit", is_flag=True, help="Allow correcting records and marking them rejected.")
    @click.option("--allowed-host", "allowed_host", multiple=True, metavar="NAME",
                  help="Another host name the workbench answers (besides 127.0.0.1, localhost and --host), e.g. "
                       "the machine's name when listening on 0.0.0.0; repeatable. Any other Host is refused "
                       "(DNS rebinding protection).")
    def serve(db: str, host: str, port: int, token: str | None, allow_edit: bool, allowed_host: tuple[str, ...]) -> None:
        """Open the local web workbench over the ledger: documents, highlighted records, allegations, figures,
        a timeline and the "who accuses whom" graph, with a JSON API (/openapi.json).

        Read-only and bound to 127.0.0.1 unless told otherwise.

        \b
        Example:
          counterclaim serve --db karabakh.db            # http://127.0.0.1:8000
          counterclaim serve --db k.db --host 0.0.0.0 --token "$(openssl rand -hex 16)"
        """
        import uvicorn

        from counterclaim.web.app import create_app
        from counterclaim.web.security import allowed_hosts

        token = token or os.environ.get(TOKEN_ENV) or None
        check_exposure(host, token)
        app = create_app(db, allow_edit=allow_edit, token=token, hosts=allowed_hosts(host, allowed_host))
        listener = bind(host, port)
        port = listener.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        click.echo(f"counterclaim workbench on http://{shown}:{port}/ ({'editing' if allow_edit else 'read-only'}"
                   f"{', token required' if token else ''}); Ctrl-C to stop", err=True)
        config = uvicorn.Config(app, log_level="warning", server_header=False)
        uvicorn.Server(config).run(sockets=[listener])
