"""The HTTP gate in front of the app (ASGI middleware, installed by server.py).

- A browser cookie (BROWSER_COOKIE) on every page, so a sign-in handoff is bound to the browser that signed in.
- Security headers on every response: no framing, and a content policy allowing only this origin (which also
  holds the offline promise inside the browser).
- A browser opening a page address the app does not have is sent to the overview with a Chinese notice.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

import streamlit as st

BROWSER_COOKIE = "rrd_browser"
MISSING = "missing"  # query parameter of the overview naming the address that does not exist
# First path segments that are not pages: Streamlit's own routes, server.py's routes, Streamlit's sign-in
RESERVED = frozenset({"_stcore", "static", "media", "component", "app", "auth", "oauth2callback", "vendor", "ready"})
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' {ws}; worker-src 'self' blob:; "
       "frame-src 'self' blob: data:; frame-ancestors {ancestors}; base-uri 'self'; form-action 'self'; object-src 'none'")
# Streamlit components (the folium map) are pages the app frames itself: only they may be framed, by the app only
FRAMED = "component"


class Gate:
    """ASGI middleware: browser cookie, security headers, unknown page addresses."""

    def __init__(self, app, pages: set[str]):
        self.app, self.pages = app, pages

    def _base(self) -> str:
        return (st.config.get_option("server.baseUrlPath") or "").strip("/")

    def _first_segment(self, path: str) -> str:
        """The first path segment after the base path."""
        base, path = self._base(), path.strip("/")
        if base and (path == base or path.startswith(base + "/")):
            path = path[len(base):].strip("/")
        return path.split("/")[0]

    def _unknown(self, scope, headers: dict) -> str | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        base, path = self._base(), scope["path"].strip("/")
        if base:
            if not (path == base or path.startswith(base + "/")):
                return None
            path = path[len(base):].strip("/")
        first, last = path.split("/")[0], path.split("/")[-1]
        if not path or first in RESERVED or "." in last or "text/html" not in headers.get(b"accept", b"").decode("latin-1"):
            return None
        return None if path in self.pages else path

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        missing = self._unknown(scope, headers)
        if missing is not None:
            home = f"/{self._base()}/" if self._base() else "/"
            return await self._redirect(send, f"{home}?{MISSING}={quote(missing[:100])}")
        wants_cookie = BROWSER_COOKIE.encode() + b"=" not in headers.get(b"cookie", b"")
        host = headers.get(b"host", b"").decode("latin-1")
        https = scope.get("scheme") == "https"

        framed = self._first_segment(scope["path"]) == FRAMED
        policy = CSP.format(ws=f"ws://{host} wss://{host}", ancestors="'self'" if framed else "'none'")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = [(b"x-frame-options", b"SAMEORIGIN" if framed else b"DENY"),
                         (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
                         (b"content-security-policy", policy.encode("latin-1"))]
                content_type = dict(message.get("headers") or []).get(b"content-type", b"")
                if wants_cookie and content_type.startswith(b"text/html"):
                    cookie = (f"{BROWSER_COOKIE}={secrets.token_urlsafe(24)}; Path=/; HttpOnly; SameSite=Strict"
                              + ("; Secure" if https else ""))
                    extra.append((b"set-cookie", cookie.encode()))
                message = {**message, "headers": [*(message.get("headers") or []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _redirect(self, send, location: str) -> None:
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0"),
                                (b"x-frame-options", b"DENY")]})
        await send({"type": "http.response.body", "body": b""})
