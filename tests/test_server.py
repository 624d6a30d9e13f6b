"""server.py's middleware and the small things a first-time user meets: port, terminal hints."""

from __future__ import annotations

import asyncio
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(coro):
    """Run a coroutine in a thread of its own: the browser tests' Playwright keeps a loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _through_gate(path: str, *, kind: str = "http", accept: str = "text/html,application/xhtml+xml",
                  headers: list | None = None, client=("198.51.100.7", 5000),
                  content_type: bytes = b"text/html; charset=utf-8"):
    """(status, response headers, the scope the app behind the gate saw) for one request through ui.gate.Gate."""
    from ui.gate import Gate

    seen = {}

    async def inner(scope, receive, send):
        seen.update(scope)
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]})
            await send({"type": "http.response.body", "body": b""})

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": kind, "path": path, "query_string": b"", "root_path": "", "scheme": "http",
             "server": ("x", 80), "client": client,
             "headers": [(b"accept", accept.encode()), (b"host", b"dash.example:8501"), *(headers or [])]}
    if kind == "http":
        scope["method"] = "GET"
    _run(Gate(inner, pages={"map", "admin"})(scope, receive, send))
    if not sent:
        return None, {}, seen
    out: dict = {}
    for k, v in sent[0]["headers"]:
        out.setdefault(k.decode(), []).append(v.decode())
    return sent[0]["status"], out, seen


@pytest.mark.parametrize("path", ["/", "/map", "/admin", "/_stcore/health", "/static/js/main.js", "/media/abc.png",
                                  "/auth/logout", "/app/static/x", "/favicon.png", "/component/x/index.html"])
def test_known_addresses_pass(path):
    status, headers, _ = _through_gate(path)
    assert status == 200 and "location" not in headers


@pytest.mark.parametrize("path", ["/monitoring", "/weekly/", "/a/b", "/%E7%9B%91%E6%B5%8B"])
def test_unknown_pages_go_home_with_a_notice(path):
    status, headers, _ = _through_gate(path)
    assert status == 303 and headers["location"][0].startswith("/?missing=")


def test_non_page_requests_are_untouched():
    assert _through_gate("/monitoring", accept="application/json")[0] == 200


def test_security_headers_on_every_response():
    _, headers, _ = _through_gate("/_stcore/health", content_type=b"application/json")
    assert headers["x-frame-options"] == ["DENY"]
    csp = headers["content-security-policy"][0]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "connect-src 'self' ws://dash.example:8501 wss://dash.example:8501" in csp
    assert "http" not in csp.replace("ws://", "").replace("wss://", "")  # no outside origin is allowed


def test_browser_cookie_on_pages_only_and_only_once():
    _, headers, _ = _through_gate("/")
    cookie = headers["set-cookie"][0]
    assert cookie.startswith("rrd_browser=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "set-cookie" not in _through_gate("/", headers=[(b"cookie", b"rrd_browser=abc")])[1]
    assert "set-cookie" not in _through_gate("/_stcore/health", content_type=b"application/json")[1]


def _client_seen(peer: str, forwarded: str | None, monkeypatch, trusted: str = "") -> str:
    """The client address the app sees behind server.TrustedProxies (what uvicorn wraps it in)."""
    import server

    monkeypatch.setenv("DASHBOARD_TRUSTED_PROXIES", trusted)
    from data_access import db

    db.reset()
    seen = {}

    async def inner(scope, receive, send):
        seen.update(scope)

    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    scope = {"type": "websocket", "path": "/_stcore/stream", "headers": headers, "client": (peer, 1)}
    _run(server.TrustedProxies(inner)(scope, None, None))
    db.reset()
    return seen["client"][0]


def test_forwarded_address_only_from_trusted_proxies(monkeypatch):
    import uvicorn.config

    import server

    assert uvicorn.config.ProxyHeadersMiddleware is server.TrustedProxies, "uvicorn wraps the app in ours"
    assert _client_seen("198.51.100.7", "203.0.113.9", monkeypatch) == "198.51.100.7"
    assert _client_seen("127.0.0.1", "203.0.113.9", monkeypatch) == "127.0.0.1", "a local process cannot forge it"
    assert _client_seen("10.0.0.1", "203.0.113.9, 10.0.0.2", monkeypatch, trusted="10.0.0.0/24") == "203.0.113.9"


def test_make_run_uses_the_port_asked_for():
    env = {**os.environ, "STREAMLIT_SERVER_PORT": "8600"}
    out = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True).stdout
    assert "--server.port 8600" in out and "--url http://localhost:8600" in out
    out = subprocess.run(["make", "-n", "run", "PORT=8700"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "--server.port 8700" in out


def test_terminal_names_each_county_and_says_where_to_sign_in(capsys, tmp_path):
    from data_access import bootstrap

    accounts = [dict(username="office", password="x1", role="office", county_code=None),
                dict(username="county231283", password="x2", role="county", county_code="231283", county_name="海伦市")]
    bootstrap.print_accounts(accounts, tmp_path / "demo-accounts.csv")
    bootstrap.print_next_step("http://localhost:8600")
    err = capsys.readouterr().err
    assert "海伦市(231283)" in err and "领导小组办公室" in err
    assert "打开 http://localhost:8600" in err and "登录" in err


def _request(path: str, *, method: str = "GET", query: str = "", cookies: dict | None = None,
             headers: dict | None = None):
    from starlette.requests import Request

    raw = [(b"host", b"dash.example")]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    if cookies:
        raw.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    return Request({"type": "http", "method": method, "path": path, "query_string": query.encode(), "headers": raw,
                    "scheme": "http", "server": ("dash.example", 80), "client": ("127.0.0.1", 1), "root_path": ""})


def test_sign_in_handoff_only_in_the_browser_that_signed_in(demo_data):
    import server
    from data_access import accounts

    acc = accounts.account("office")
    handoff = accounts.issue_token(acc, "handoff", browser="mine")
    elsewhere = server.establish(_request("/auth/establish", query=f"t={handoff}&next=/map",
                                          cookies={"rrd_browser": "victims"}))
    assert elsewhere.status_code == 303 and "rrd_session" not in elsewhere.headers.get("set-cookie", "")
    mine = server.establish(_request("/auth/establish", query=f"t={handoff}&next=/map", cookies={"rrd_browser": "mine"}))
    assert "rrd_session=" in mine.headers["set-cookie"], "a refused attempt used the handoff up"


def test_sign_out_only_by_a_post_from_this_site(demo_data):
    import server
    from data_access import accounts

    assert next(r for r in server.ROUTES if r.path == "/auth/logout").methods == {"POST"}
    acc = accounts.account("office")
    session = accounts.issue_token(acc, "session")
    cross = server.logout(_request("/auth/logout", method="POST", cookies={"rrd_session": session},
                                   headers={"Origin": "http://evil.example"}))
    assert cross.status_code == 403 and accounts.resume(session) is not None
    own = server.logout(_request("/auth/logout", method="POST", cookies={"rrd_session": session},
                                 headers={"Origin": "http://dash.example"}))
    assert own.status_code == 204 and 'rrd_session=""' in own.headers["set-cookie"]
    assert accounts.resume(session) is None, "the token is revoked, not only the cookie cleared"


def test_only_component_pages_may_be_framed_and_only_by_the_app():
    # the folium map is a Streamlit component: an iframe of the app's own /component/ page
    _, headers, _ = _through_gate("/component/streamlit_folium.st_folium/index.html")
    assert headers["x-frame-options"] == ["SAMEORIGIN"]
    assert "frame-ancestors 'self';" in headers["content-security-policy"][0]
    for path in ("/", "/ovop", "/vendor/leaflet-1.9.4/leaflet.js", "/componentx"):
        _, headers, _ = _through_gate(path, accept="*/*")
        assert headers["x-frame-options"] == ["DENY"], path
        assert "frame-ancestors 'none'" in headers["content-security-policy"][0], path
