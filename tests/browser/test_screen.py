"""大屏 in headless Chromium, bound to its device: the panels rotate, a server restart and the minutes it is away
do not stop it (it reconnects and its device token signs it in again), no error box, nothing off the machine."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.browser.conftest import ROOT, SCREENSHOTS, _free_port, _page, accounts_of, wait_sign_in_form

PANEL = "() => { const el = document.querySelector('.screen-panel'); return el ? el.firstChild.textContent.trim() : null; }"
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def _start(data, port: int) -> subprocess.Popen:
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data), "DASHBOARD_SCREEN_SECONDS": "2"}
    for key in ("MONITORING_DB_URL", "INDUSTRY_DB_URL", "APP_DB_URL"):
        env.pop(key, None)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"], cwd=ROOT, env=env,
                            stdout=open(data / f"screen-{port}.log", "a"), stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail("the screen's server did not start")


def _panels(page, n: int, timeout_s: float = 90) -> list[str]:
    seen, deadline = [], time.time() + timeout_s
    while len(set(seen)) < n and time.time() < deadline:
        name = page.evaluate(PANEL)
        if name and (not seen or seen[-1] != name):
            seen.append(name)
        page.wait_for_timeout(300)
    assert len(set(seen)) >= n, f"the screen showed only {seen}"
    return seen


def test_the_screen_rotates_and_survives_a_server_restart(browser, server):
    from data_access import accounts
    from tests.conftest import using

    base, data = server
    first = _page(browser, base, data)
    first.goto(base + "/", wait_until="domcontentloaded")
    wait_sign_in_form(first)  # the first request on the fresh folder seeds the demo data
    first.context.close()
    with using(DASHBOARD_DATA_DIR=str(data)):
        token = accounts.create_device(accounts_of(data)["screen"]["username"], "会议室大屏", by="test")
    port = _free_port()
    proc = _start(data, port)
    page = _page(browser, f"http://127.0.0.1:{port}", data)
    page.set_viewport_size({"width": 1920, "height": 1080})
    try:
        page.goto(page.base + f"/auth/device?token={token}", wait_until="domcontentloaded")
        page.wait_for_function(f"({PANEL})() !== null", timeout=120_000)
        assert set(_panels(page, 3)) <= {"核心指标", "县域分布", "考核排名", "一村一品与集体经济", "重点任务"}
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "screen.png"))
        proc.terminate()
        proc.wait(timeout=30)
        page.wait_for_timeout(5000)  # the server is away (a restart, a blip): the page waits and retries
        proc = _start(data, port)
        page.wait_for_function(f"({PANEL})() !== null", timeout=120_000)
        _panels(page, 3)
        assert page.locator(ERRORS).count() == 0
        assert page.get_by_label("用户名").count() == 0  # still signed in: the device token did it
        assert page.outside == [] and not page.csp
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        page.context.close()
