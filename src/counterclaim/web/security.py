"""ASGI middleware of the workbench that guards the edge: which host it answers, which origin may change the
ledger, and HEAD answered like GET.

**DNS rebinding.** A web page can re-point its own domain to 127.0.0.1 and then read the workbench as
"same-origin" (and, with ``--allow-edit``, change the ledger). The browser still sends that domain in ``Host``:
:class:`HostGuard` answers only the hosts the server was started for (``127.0.0.1``, ``localhost``, ``::1``,
``--host`` and each ``--allowed-host``) and refuses the rest with 421. On a state-changing request (anything but
GET, HEAD, OPTIONS) a browser's ``Origin`` must be the server itself (``scheme://Host``) and ``Sec-Fetch-Site``, when
sent, must not be ``cross-site``: a page elsewhere, even on this machine, cannot post edits. Clients that send no
``Origin`` (curl, scripts) are not browsers a page could drive, and are let through.

:func:`cross_site_refusal` is the same rule as a plain function for the workbench's own guard (review edits):
a request with neither ``Origin`` nor ``Sec-Fetch-Site`` is not a browser page and goes on.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def host_name(value: str) -> str:
    """The host of a ``Host`` header or netloc, without port, brackets or trailing dot, lower case."""
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8000
        return value[1:value.find("]")] if "]" in value else value[1:]
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The hosts a server listening on ``host`` answers: loopback names, ``host`` itself, and ``extra``."""
    names = {*LOOPBACK_HOSTS, host_name(host), *(host_name(h) for h in extra if h.strip())}
    names.discard("0.0.0.0")
    names.discard("::")
    return frozenset(n for n in names if n)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    accept = _header(scope, b"accept") or ""
    path = str(scope.get("path", ""))
    if path.startswith("/api/") or "json" in accept or "html" not in accept:
        body = json.dumps({"error": {"status": status, "message": message}}).encode()
        ctype = b"application/json"
    else:
        from html import escape

        body = f"<!doctype html><title>{status}</title><p>{escape(message)}</p>".encode()
        ctype = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body if scope.get("method") != "HEAD" else b""})


class HostGuard:
    """Refuse requests for another host (DNS rebinding) and state changes from another origin (see module)."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(host_name(h) for h in hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host")
        if host is None or host_name(host) not in self.hosts:
            shown = (host or "(none)")[:100]
            await _refuse(scope, send, 421, (
                f"this workbench does not answer for host '{shown}' (DNS rebinding protection); it answers "
                f"{', '.join(sorted(self.hosts))}: start it with --allowed-host NAME to add a name"))
            return
        if scope.get("method", "GET") not in SAFE_METHODS:
            problem = self._origin_problem(scope, host)
            if problem:
                await _refuse(scope, send, 403, problem)
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _origin_problem(scope: Scope, host: str) -> str | None:
        origin = _header(scope, b"origin")
        if (_header(scope, b"sec-fetch-site") or "").lower() == "cross-site":
            return "edits from another site are refused (Sec-Fetch-Site: cross-site)"
        if origin is None:
            return None
        parts = urlsplit(origin.strip())
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != host.strip().lower():
            return f"edits from origin '{origin[:100]}' are refused: only pages of this workbench may change the ledger"
        return None


class HeadAsGet:
    """Answer HEAD like GET without the body (routes are declared for GET only)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["method"] = "GET"

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, send_headers_only)



def _origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL, lower-cased, default ports dropped; ``None`` when it has none."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    default = {"http": 80, "https": 443}.get(scheme)
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def cross_site_refusal(method: str, headers: Mapping[str, str], scheme: str) -> str | None:
    """Why a state-changing request must be refused as cross-site, or ``None`` when it may go on.

    ``headers`` are the request's (case-insensitive mapping, as Starlette's), ``scheme`` the request URL's.
    The expected origin is the ``Host`` the request was sent to: a page of this workbench posts to itself.
    """
    if method.upper() in SAFE_METHODS:
        return None
    host = headers.get("host", "")
    expected = _origin_of(f"{scheme}://{host}") if host else None
    origin = headers.get("origin")
    if origin is not None and (origin.strip().lower() == "null" or expected is None or _origin_of(origin) != expected):
        return (f"cross-site request refused: it comes from {origin[:100]!r}, not from this workbench "
                f"({expected or 'unknown host'}); edit from the workbench's own pages")
    site = (headers.get("sec-fetch-site") or "").strip().lower()
    if site and site not in ("same-origin", "none"):
        return f"cross-site request refused (Sec-Fetch-Site: {site[:30]}); edit from the workbench's own pages"
    return None
