"""Attacks from the browser side: framing, a handoff link sent to someone else, a forged forwarded address, and names
in the databases that are markup (a sign-out forced from another site: test_access.py)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import HOSTILE, _page, accounts_of, settle, sign_in, wait_sign_in_form


def test_every_response_forbids_framing_and_outside_origins(page):
    response = page.goto(page.base + "/", wait_until="domcontentloaded")
    headers = response.headers
    assert headers["x-frame-options"] == "DENY"
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    wait_sign_in_form(page)
    cookie = next(c for c in page.context.cookies() if c["name"] == "rrd_browser")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"


def test_a_handoff_link_signs_nobody_else_in(page, server):
    from data_access import accounts
    from tests.conftest import using

    _, data = server
    with using(DASHBOARD_DATA_DIR=str(data)):
        office = accounts.account(accounts_of(data)["office"]["username"])
        token = accounts.issue_token(office, "handoff", browser="the-attackers-own-browser-cookie")
    page.goto(page.base + f"/auth/establish?t={token}&next=/", wait_until="domcontentloaded")
    wait_sign_in_form(page)
    settle(page)
    assert not any(c["name"] == "rrd_session" for c in page.context.cookies())
    assert page.get_by_role("button", name="退出登录").count() == 0


def test_enter_signs_in_and_a_forged_forwarded_address_is_not_recorded(browser, server):
    """Enter in the password field signs in; the audit log records this machine's address (not nothing), not the
    X-Forwarded-For the browser sends itself."""
    from data_access import audit
    from tests.conftest import using

    page = _page(browser, *server, extra_http_headers={"X-Forwarded-For": "203.0.113.9"})
    try:
        page.goto(page.base + "/", wait_until="domcontentloaded")
        wait_sign_in_form(page)
        row = accounts_of(page.data)["leader"]
        page.get_by_label("用户名").fill(row["username"])
        page.get_by_label("密码").fill(row["password"])
        page.get_by_label("密码").press("Enter")
        page.get_by_role("button", name="退出登录").wait_for(timeout=60_000)
        with using(DASHBOARD_DATA_DIR=str(page.data)):
            log = audit.entries(username=row["username"], action="sign_in", limit=1)
        assert log["address"].iat[0] == "127.0.0.1"
        assert page.outside == [] and not page.csp
    finally:
        page.context.close()


@pytest.fixture()
def hostile_page(browser, hostile_server):
    p = _page(browser, *hostile_server)
    yield p
    p.context.close()


def test_names_that_are_markup_stay_text(hostile_page):
    page = hostile_page
    sign_in(page, "office", "/")
    page.get_by_role("heading", name="总览").first.wait_for(timeout=60_000)
    settle(page)
    page.goto(page.base + "/map", wait_until="domcontentloaded")
    page.get_by_role("heading", name="县域地图").first.wait_for(timeout=60_000)
    page.get_by_role("combobox", name="下钻到县(市)区").click()
    page.get_by_role("option", name=HOSTILE).click()
    page.get_by_text("乡镇与村").first.wait_for(timeout=60_000)
    settle(page)
    html = page.content()
    assert page.title() == "乡村振兴衔接监测考核看板", "an onerror handler from a name ran"
    assert page.locator('img[src="x"]').count() == 0 and page.locator('a[href="http://x.example"]').count() == 0
    assert "<script>alert(1)</script>" not in html
    map_text = " ".join(page.locator(".js-plotly-plot text").evaluate_all("els => els.map(e => e.textContent)"))
    assert "<b>镇</b>" in map_text, "the township's name is drawn as written, not as markup"
    assert page.outside == [], f"a name fetched something from outside: {page.outside}"
    assert not page.csp
