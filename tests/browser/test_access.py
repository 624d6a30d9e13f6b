"""Sign-in in a real browser: anonymous deep links, cookies that survive a reload, roles, devices."""

from __future__ import annotations

from tests.browser.conftest import SCREENSHOTS, accounts_of, settle, sign_in, sign_in_screen, sign_out, wait_sign_in_form

URLS = ["/map", "/admin", "/"]


def test_fresh_server_every_url_first_shows_only_the_sign_in_form(page):
    """Runs first: the very first requests of a new server are anonymous deep links."""
    for path in URLS:
        page.goto(page.base + path, wait_until="domcontentloaded")
        wait_sign_in_form(page)
        settle(page)  # the run has finished: nothing else is coming
        assert page.get_by_label("用户名").count() == 1 and page.get_by_label("密码").count() == 1
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
        assert page.locator('[data-testid="stMetric"]').count() == 0
        assert page.locator(".js-plotly-plot").count() == 0
        assert page.title() == "乡村振兴衔接监测考核看板"
    page.screenshot(path=str(SCREENSHOTS / "sign-in.png"))
    assert page.outside == []


def test_reload_keeps_the_session_only_sign_out_ends_it(page):
    """The session cookie survives a reload; a sign-out forced from elsewhere (a GET, a POST from another site)
    does nothing; 退出登录 ends it."""
    sign_in(page, "office", "/map")
    page.get_by_role("heading", name="县域地图").first.wait_for(timeout=60_000)
    cookie = next(c for c in page.context.cookies() if c["name"] == "rrd_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "rrd_session" not in page.evaluate("document.cookie")
    got = page.request.get(page.base + "/auth/logout")  # a link or an image on another site: not a sign-out
    assert not [h for h in got.headers_array if h["name"].lower() == "set-cookie" and "rrd_session" in h["value"]]
    cross = page.request.post(page.base + "/auth/logout", headers={"Origin": "http://evil.example"})
    assert cross.status == 403
    assert any(c["name"] == "rrd_session" for c in page.context.cookies())
    page.reload(wait_until="domcontentloaded")
    page.get_by_role("heading", name="县域地图").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="退出登录").wait_for(timeout=60_000)  # still signed in
    sign_out(page)  # the POST to /auth/logout, then the reload of / with its form
    assert not any(c["name"] == "rrd_session" for c in page.context.cookies())
    page.reload(wait_until="domcontentloaded")
    wait_sign_in_form(page, 30_000)
    assert page.outside == []


def test_county_account(page):
    row = sign_in(page, "county", "/map")
    page.get_by_role("heading", name="县域地图").first.wait_for(timeout=60_000)
    page.get_by_text("监测对象名单").wait_for(timeout=60_000)
    page.get_by_text("姓名、身份证号、电话已脱敏").wait_for()
    assert page.get_by_text("查看一户的完整个人信息").count() == 0
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "系统管理" not in nav and "县域地图" in nav
    page.get_by_text("姓名、身份证号、电话已脱敏").scroll_into_view_if_needed()
    settle(page)
    page.screenshot(path=str(SCREENSHOTS / "county-cases.png"))
    page.get_by_role("button", name="修改密码").click()
    page.get_by_label("原密码").wait_for(timeout=30_000)
    page.keyboard.press("Escape")
    page.get_by_label("原密码").wait_for(state="detached", timeout=30_000)
    page.goto(page.base + "/admin", wait_until="domcontentloaded")
    page.get_by_text("无权限").wait_for(timeout=30_000)
    assert row["role"] == "county" and page.outside == []


def test_screen_account_and_device_binding(page, server):
    sign_in_screen(page, "/")  # sent to its one page, the screen (no sidebar)
    assert page.locator('[data-testid="stSidebar"]').is_hidden()
    page.goto(page.base + "/map", wait_until="domcontentloaded")
    page.locator(".screen-panel").first.wait_for(timeout=60_000)
    assert page.get_by_text("县域地图").count() == 0

    from data_access import accounts
    from tests.conftest import using

    _, data = server
    with using(DASHBOARD_DATA_DIR=str(data)):
        screen = accounts_of(data)["screen"]["username"]
        token = accounts.create_device(screen, "测试大屏", by="test")
    kiosk = page.context.browser.new_context(viewport={"width": 1600, "height": 1000})
    p = kiosk.new_page()
    p.goto(page.base + f"/auth/device?token={token}", wait_until="domcontentloaded")
    p.locator(".screen-panel").first.wait_for(timeout=60_000)
    p.reload(wait_until="domcontentloaded")  # a power cut: the device cookie signs it in again
    p.locator(".screen-panel").first.wait_for(timeout=60_000)
    with using(DASHBOARD_DATA_DIR=str(data)):
        device_id = int(accounts.devices().iloc[0]["id"])
        accounts.revoke_device(device_id, by="test")
    p2 = kiosk.new_page()
    p2.goto(page.base + "/", wait_until="domcontentloaded")
    wait_sign_in_form(p2, 30_000)
    kiosk.close()
