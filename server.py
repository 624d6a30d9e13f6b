"""ASGI entry (`streamlit run server.py`): the app plus the /auth routes that own the HttpOnly cookies.

Streamlit's script cannot set an HttpOnly cookie; these routes can. After a sign-in the page sends the
browser to /auth/establish with a one-use handoff token, bound to that browser's own cookie, which becomes an
HttpOnly, SameSite=Strict session cookie; a browser reload then resumes the session. Sign-out is a POST from
the page itself. /auth/device binds a presentation screen. ui/gate.py (browser cookie, security headers,
unknown addresses) sits in front of everything, and only trusted proxies may forward a client's address.
"""

from pathlib import Path

import streamlit as st
import uvicorn.config
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from data_access import accounts, health
from data_access.settings import settings
from ui import warmup
from ui.auth import COOKIE, DEVICE_COOKIE
from ui.gate import BROWSER_COOKIE, Gate
from ui.nav import PAGES


class TrustedProxies(ProxyHeadersMiddleware):
    """uvicorn's X-Forwarded-For handling, believing only the proxies of DASHBOARD_TRUSTED_PROXIES (none by
    default) instead of every process on this machine (uvicorn's default trusts 127.0.0.1), so a forged header
    never becomes the address in the audit log."""

    def __init__(self, app, trusted_hosts=None):
        super().__init__(app, trusted_hosts=[h.strip() for h in settings().trusted_proxies.split(",") if h.strip()])


# uvicorn imports this file inside Config.load(), just before it wraps the app in ProxyHeadersMiddleware
uvicorn.config.ProxyHeadersMiddleware = TrustedProxies

DEVICE_DAYS = 400
VENDOR = Path(__file__).resolve().parent / "assets" / "vendor"
# browser libraries the maps load (assets/vendor/README.md): an allow-list of files, nothing else under it
VENDOR_FILES = {p.relative_to(VENDOR).as_posix(): p for p in VENDOR.rglob("*")
                if p.suffix in (".js", ".css", ".png")}
MEDIA = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def _safe_next(value: str | None) -> str:
    return value if value and value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")


def establish(request: Request) -> RedirectResponse:
    """Exchange a handoff token for the session cookie, then go back to the page. The token only works in the
    browser that signed in (its browser cookie): a link sent to someone else signs nobody in."""
    response = RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    session = accounts.redeem_handoff(request.query_params.get("t", ""), browser=request.cookies.get(BROWSER_COOKIE))
    if session:
        _cookie(response, request, COOKIE, session, accounts.SESSION_HOURS * 3600)
    return response


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin") or request.headers.get("referer") or ""
    host = request.headers.get("host", "")
    return bool(host) and origin.split("://", 1)[-1].split("/", 1)[0] == host


def logout(request: Request) -> Response:
    """Sign-out, by POST from the app's own page: revoke the session token and clear its cookie (a screen's
    device cookie stays). Another site cannot sign a user out."""
    if not _same_origin(request):
        return Response("拒绝:只能从本系统页面退出登录", status_code=403, media_type="text/plain; charset=utf-8")
    token = request.cookies.get(COOKIE)
    if token:
        accounts.revoke(token)
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/")
    return response


def device(request: Request) -> RedirectResponse:
    """Bind this browser to a screen account with a revocable device token (opened once on the screen)."""
    token = request.query_params.get("token", "")
    response = RedirectResponse("/", status_code=303)
    if accounts.resume(token, "device") is not None:
        _cookie(response, request, DEVICE_COOKIE, token, DEVICE_DAYS * 86400)
    return response


def vendor(request: Request) -> Response:
    """A vendored browser library file (Leaflet and its plugins), cached by the browser for a day."""
    path = VENDOR_FILES.get(request.path_params.get("path", ""))
    if path is None:
        return Response(status_code=404)
    return Response(path.read_bytes(), media_type=MEDIA[path.suffix], headers={"Cache-Control": "public, max-age=86400"})


_readiness = health.Readiness()


def ready(request: Request) -> JSONResponse:
    """Readiness for a load balancer: 503 while any database cannot be reached (Streamlit's /_stcore/health only
    says the process is alive). Names the databases, never their hosts."""
    probes = _readiness()
    body = {"status": "ok" if not any(probes.values()) else "unavailable",
            "databases": {name: "unavailable" if cause else "ok" for name, cause in probes.items()}}
    return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503,
                        headers={"Cache-Control": "no-store"})


ROUTES = [Route("/auth/establish", establish), Route("/auth/logout", logout, methods=["POST"]),
          Route("/auth/device", device), Route("/vendor/{path:path}", vendor),
          Route("/ready", ready)]
app = st.App("app.py", routes=ROUTES,
             middleware=[Middleware(Gate, pages={p.url_path for p in PAGES})])
warmup.start()
