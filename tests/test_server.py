"""server.py's middleware and the small things a first-time user meets: port, terminal hints."""

from __future__ import annotations

import asyncio
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _get(path: str, accept: str = "text/html,application/xhtml+xml") -> tuple[int, str | None]:
    """Status and Location of a GET through the UnknownPages middleware (the app behind it answers 200)."""
    import server

    async def inner(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "root_path": "",
             "headers": [(b"accept", accept.encode())], "scheme": "http", "server": ("x", 80)}
    # in a thread of its own: the browser tests' Playwright keeps an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, server.UnknownPages(inner)(scope, receive, send)).result()
    start = sent[0]
    headers = dict(start["headers"])
    location = headers.get(b"location")
    return start["status"], location.decode() if location else None


@pytest.mark.parametrize("path", ["/", "/map", "/admin", "/_stcore/health", "/static/js/main.js", "/media/abc.png",
                                  "/auth/logout", "/app/static/x", "/favicon.png", "/component/x/index.html"])
def test_known_addresses_pass(path):
    assert _get(path) == (200, None)


@pytest.mark.parametrize("path,missing", [("/monitoring", "monitoring"), ("/weekly/", "weekly"),
                                          ("/a/b", "a/b"), ("/%E7%9B%91%E6%B5%8B", "%E7%9B%91%E6%B5%8B")])
def test_unknown_pages_go_home_with_a_notice(path, missing):
    status, location = _get(path)
    assert status == 303 and location.startswith("/?missing=")


def test_non_page_requests_are_untouched():
    assert _get("/monitoring", accept="application/json") == (200, None)


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
