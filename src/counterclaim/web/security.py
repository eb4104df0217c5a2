"""Request checks shared by the workbench's guard: cross-site request refusal for state-changing requests.

A browser always says where a state-changing request comes from: the ``Origin`` header (every POST, PUT, PATCH and
DELETE of a current browser) and the ``Sec-Fetch-Site`` header. A request another site makes the analyst's browser
send (cross-site request forgery) is refused when either says it is not this workbench's own page. A request with
neither header does not come from a browser page (curl, a script with the token) and is let through; such a client
is not a confused deputy. Edits must also be ``application/json`` (checked by the guard), which a cross-site form
cannot send without a CORS preflight this app never grants.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
