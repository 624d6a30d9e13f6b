"""ASGI entry (`streamlit run server.py`): the app plus the /auth routes that own the HttpOnly cookies.

Streamlit's script cannot set an HttpOnly cookie; these routes can. After a sign-in the page sends the
browser to /auth/establish with a one-use handoff token, which becomes an HttpOnly, SameSite=Strict
session cookie; a browser reload then resumes the session. /auth/device binds a presentation screen.
A browser opening an address the app has no page for goes to the overview with a Chinese notice instead of
Streamlit's English "Page not found" dialog.
"""

from urllib.parse import quote

import streamlit as st
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from data_access import accounts
from ui.auth import COOKIE, DEVICE_COOKIE
from ui.frame import MISSING
from ui.nav import PAGES

DEVICE_DAYS = 400


def _safe_next(value: str | None) -> str:
    return value if value and value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


def _cookie(response: RedirectResponse, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")


def establish(request: Request) -> RedirectResponse:
    """Exchange a handoff token for the session cookie, then go back to the page."""
    response = RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    session = accounts.redeem_handoff(request.query_params.get("t", ""))
    if session:
        _cookie(response, request, COOKIE, session, accounts.SESSION_HOURS * 3600)
    return response


def logout(request: Request) -> RedirectResponse:
    """Revoke and clear the session cookie (the device cookie of a screen stays)."""
    token = request.cookies.get(COOKIE)
    if token:
        accounts.revoke(token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def device(request: Request) -> RedirectResponse:
    """Bind this browser to a screen account with a revocable device token (opened once on the screen)."""
    token = request.query_params.get("token", "")
    response = RedirectResponse("/", status_code=303)
    if accounts.resume(token, "device") is not None:
        _cookie(response, request, DEVICE_COOKIE, token, DEVICE_DAYS * 86400)
    return response


# First path segments that are not pages: Streamlit's own routes, this file's routes, Streamlit's sign-in
RESERVED = frozenset({"_stcore", "static", "media", "component", "app", "auth", "oauth2callback"})


class UnknownPages:
    """ASGI middleware: a browser's GET of a page address the app does not have is sent to the overview,
    which says so in Chinese; assets, Streamlit's routes and the known pages pass untouched."""

    def __init__(self, app):
        self.app = app
        self.pages = {p.url_path for p in PAGES}

    def _unknown(self, scope) -> str | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        base = (st.config.get_option("server.baseUrlPath") or "").strip("/")
        path = scope["path"].strip("/")
        if base:
            if not (path == base or path.startswith(base + "/")):
                return None
            path = path[len(base):].strip("/")
        first, last = path.split("/")[0], path.split("/")[-1]
        accept = dict(scope["headers"]).get(b"accept", b"").decode("latin-1")
        if not path or first in RESERVED or "." in last or "text/html" not in accept:
            return None
        return None if path in self.pages else path

    async def __call__(self, scope, receive, send):
        missing = self._unknown(scope)
        if missing is None:
            return await self.app(scope, receive, send)
        base = (st.config.get_option("server.baseUrlPath") or "").strip("/")
        home = f"/{base}/" if base else "/"
        response = RedirectResponse(f"{home}?{MISSING}={quote(missing[:100])}", status_code=303)
        await response(scope, receive, send)


app = st.App("app.py", routes=[Route("/auth/establish", establish), Route("/auth/logout", logout),
                               Route("/auth/device", device)],
             middleware=[Middleware(UnknownPages)])
