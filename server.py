"""ASGI entry (`streamlit run server.py`): the app plus the /auth routes that own the HttpOnly cookies.

Streamlit's script cannot set an HttpOnly cookie; these routes can. After a sign-in the page sends the
browser to /auth/establish with a one-use handoff token, which becomes an HttpOnly, SameSite=Strict
session cookie; a browser reload then resumes the session. /auth/device binds a presentation screen.
/geo/ serves map boundaries (reference data) so figures carry a URL instead of the coordinates.
"""

import os

import streamlit as st
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from data_access import accounts
from data_access.codes import is_code
from ui.auth import COOKIE, DEVICE_COOKIE

GEO_URLS_ENV = "DASHBOARD_GEO_URLS"  # geo.service.URLS_ENV: pages then reference the routes below
os.environ[GEO_URLS_ENV] = "1"

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


def geojson(request: Request) -> Response:
    """County boundaries, or one county's synthetic townships: reference data, no personal data."""
    from geo import service

    county = request.path_params.get("county")
    if county is not None and not is_code(county):
        return Response(status_code=404)
    try:
        body = service.geojson_bytes(county)
    except KeyError:
        return Response(status_code=404)
    return Response(body, media_type="application/geo+json", headers={"Cache-Control": "private, max-age=86400"})


app = st.App("app.py", routes=[Route("/auth/establish", establish), Route("/auth/logout", logout),
                               Route("/auth/device", device), Route("/geo/counties.geojson", geojson),
                               Route("/geo/townships/{county}.geojson", geojson)])
