"""A fresh app server on a fresh data folder, and headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("浏览器测试跳过: /usr/bin/chromium 不存在 (以 root 运行 make test 会用 apt-get 安装 chromium)")
    if shutil.which("fc-list") and "CJK" not in subprocess.run(
            ["fc-list", ":lang=zh"], capture_output=True, text=True).stdout:
        pytest.skip("浏览器测试跳过: 没有中文字体 fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Start the app exactly as a newcomer would, on an empty data folder (it seeds itself)."""
    data = tmp_path_factory.mktemp("fresh-data")
    yield from _serve(data, scale="1")


HOSTILE = '<img src=x onerror="document.title=1">![p](http://x.example/p.png)**海伦**'


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory):
    """A small demo set whose names are hostile markup (a county, a township, a village), served as usual."""
    import sqlite3
    from datetime import date

    from data_access import bootstrap
    from tests.conftest import recent_weeks, using

    data = tmp_path_factory.mktemp("hostile-data")
    with using(DASHBOARD_DATA_DIR=str(data)):
        bootstrap.seed_demo(scale=0.05, seed=5, as_of=date(2026, 11, 28), then=recent_weeks)
    with sqlite3.connect(data / "monitoring.db") as con:
        con.execute("UPDATE region SET name = ? WHERE code = '231283'", (HOSTILE,))
        con.execute("UPDATE region SET name = ? WHERE code = '231283101'", ("<b>镇</b>[链接](http://x.example)",))
        con.execute("UPDATE region SET name = ? WHERE code = '231283101201'", ("<script>alert(1)</script>村",))
    yield from _serve(data, scale="0.05")


def _serve(data, scale: str, log_name: str = "server.log"):
    port = _free_port()
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data), "DASHBOARD_DEMO_SCALE": scale}
    for key in ("MONITORING_DB_URL", "INDUSTRY_DB_URL", "APP_DB_URL"):
        env.pop(key, None)
    log = open(data / log_name, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("app server did not start: " + (data / log_name).read_text())
    yield base, data
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


LOCAL = {"127.0.0.1", "localhost", "::1", "[::1]"}


def accounts_of(data: Path) -> dict[str, dict]:
    """demo-accounts.csv of the server's data folder."""
    from tests.conftest import read_accounts

    return read_accounts(data)


@pytest.fixture()
def page(browser, server):
    """A new browser context (no cookies) whose requests may only go to this machine."""
    p = _page(browser, *server)
    yield p
    assert not p.csp, f"the content policy blocked something the app needs: {p.csp}"
    p.context.close()


def _page(browser, base, data, **context_args):
    """A page in a new context (no cookies) whose requests may only go to this machine; console messages
    about the content policy are collected in page.csp."""
    from urllib.parse import urlparse

    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN", **context_args)
    outside: list[str] = []
    local: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname in LOCAL:
            local.append(url)
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    context.add_init_script(script=WS_WATCH)
    p = context.new_page()
    p.outside, p.local, p.base, p.data, p.csp = outside, local, base, data, []
    p.on("console", lambda m: p.csp.append(m.text) if "Content Security Policy" in m.text else None)
    return p


# Every page counts the messages its websocket receives from the app server (a script run sends several, and the
# app is idle once its run has ended and nothing has come for a moment). Streamlit marks the state of the run on
# stApp (data-test-script-state, for its own tests); a short run can start and end within one render, so the
# state alone cannot tell that an action's run has happened.
WS_WATCH = """(() => { const Native = window.WebSocket; if (!Native || Native.watched) return;
  class Watched extends Native { constructor(...args) { super(...args); this.addEventListener('message', () => {
    window.__wsIn = (window.__wsIn || 0) + 1; window.__wsAt = performance.now(); }); } }
  Watched.watched = true; window.WebSocket = Watched; })();"""

IDLE = """([after, quiet, expect]) => {
  const app = document.querySelector('[data-testid="stApp"]'), since = window.__settleFrom;
  const answered = (window.__wsIn || 0) > after || since === undefined || Date.now() - since >= expect;
  return answered && !!app && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]') && performance.now() - (window.__wsAt || 0) >= quiet;
}"""


def received(page) -> int:
    """How many messages this page has received from the app server (pass it to settle() before an action)."""
    return page.evaluate("window.__wsIn || 0")


def settle(page, after: int = -1, quiet_ms: int = 500, expect_ms: int = 10_000, timeout: int = 120_000) -> None:
    """Wait until the app is idle: its script run has ended and nothing has come from the server for quiet_ms (with
    `after`, the count of received() before an action: only once something came after it, waited for up to
    expect_ms), then until the browser has drawn two frames. What a fixed pause after a click or a page load
    guessed at, without the guess."""
    page.evaluate("() => { window.__settleFrom = Date.now(); }")  # gone after a page load: nothing is waited for
    page.wait_for_function(IDLE, arg=[after, quiet_ms, expect_ms], polling=100, timeout=timeout)
    if after >= 0 and received(page) <= after:
        warnings.warn(f"settle: nothing came from the server within {expect_ms} ms of the action on {page.url}",
                      stacklevel=2)
    drawn(page)


def drawn(page) -> None:
    """Wait until the browser has drawn two more frames (after a scroll or a resize, what is on screen is current)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def sign_in_screen(page, path: str = "/") -> None:
    """Sign the screen account in at path: it lands on its one page, /screen, which has no sidebar (no 退出登录 to
    wait for): wait for the session cookie of the handoff, then for a panel."""
    from ui.auth import COOKIE

    page.goto(page.base + path, wait_until="domcontentloaded")
    wait_sign_in_form(page)
    row = accounts_of(page.data)["screen"]
    page.get_by_label("用户名").fill(row["username"])
    page.get_by_label("密码").fill(row["password"])
    page.get_by_role("button", name="登录", exact=True).click()
    for _ in range(120):
        if any(c["name"] == COOKIE for c in page.context.cookies()):
            break
        page.wait_for_timeout(250)
    page.locator(".screen-panel").first.wait_for(timeout=60_000)


def wait_sign_in_form(page, timeout: int = 240_000) -> None:
    """The sign-in form (the first request on a fresh folder seeds the demo data first). Exact names: 登录 is also
    part of 退出登录, the button of a page still signed in."""
    page.get_by_role("button", name="登录", exact=True).wait_for(timeout=timeout)
    page.get_by_label("用户名").wait_for(timeout=30_000)


def sign_out(page) -> None:
    """Click 退出登录 and wait for the whole sign-out: the POST to /auth/logout, then the reload of / with its form
    (a next goto before that reload would race it)."""
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(page.base + "/", timeout=30_000)
    page.get_by_label("用户名").wait_for(timeout=60_000)


def sign_in(page, who: str, path: str = "/") -> dict:
    """Open path, sign in with a demo account (by role or username), wait for the page."""
    page.goto(page.base + path, wait_until="domcontentloaded")
    wait_sign_in_form(page)
    row = accounts_of(page.data)[who]
    page.get_by_label("用户名").fill(row["username"])
    page.get_by_label("密码").fill(row["password"])
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url("**" + path, timeout=30_000)
    page.get_by_role("button", name="退出登录").wait_for(timeout=60_000)
    # the page is signed in before the background fetch of /auth/establish has set the HttpOnly session cookie:
    # a reload or a cookie check straight after must wait for it
    from ui.auth import COOKIE

    for _ in range(120):
        if any(c["name"] == COOKIE for c in page.context.cookies()):
            break
        page.wait_for_timeout(250)
    return row
