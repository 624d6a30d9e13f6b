"""The 防返贫监测 page in a real browser: every role as it should be, a list exported whole and audited, a
household's file opened from a list, nothing loaded from outside."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.browser.conftest import SCREENSHOTS, accounts_of, received, settle, sign_in, sign_in_screen, sign_out


def _tab(page, name: str) -> None:
    before = received(page)
    page.locator('[data-testid="stButtonGroup"]').get_by_text(name, exact=True).first.click()
    settle(page, before)


def test_office_exports_a_list_and_opens_a_household_file(page, server):
    from data_access import audit
    from tests.conftest import using

    sign_in(page, "office", "/monitoring")
    page.get_by_role("heading", name="防返贫监测").first.wait_for(timeout=60_000)
    page.get_by_text("发现 → 作出认定 → 纳入 → 开始帮扶 → 消除风险").first.wait_for(timeout=60_000)
    page.set_viewport_size({"width": 1600, "height": 2000})
    settle(page)
    page.screenshot(path=str(SCREENSHOTS / "monitoring.png"))
    _tab(page, "风险消除")
    page.get_by_text("违规消除名单").wait_for(timeout=60_000)
    panel = page
    with page.expect_download(timeout=60_000) as info:
        panel.get_by_role("button", name="导出全部名单(Excel)").click()
    rows = list(load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "案例编号")
    assert rows[header][-1] == "有劳动能力人数" and len(rows) - header - 1 > 0
    assert all("*" in str(r[rows[header].index("户主(脱敏)")]) for r in rows[header + 1:])
    with using(DASHBOARD_DATA_DIR=str(page.data)):
        log = audit.entries(username=accounts_of(page.data)["office"]["username"], action="export", limit=1)
    assert "违规消除名单" in log["detail"].iat[0]
    table = page.locator('[data-testid="stDataFrame"]').last
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 54)  # the row selector of the first row
    page.get_by_role("button", name="打开户档案").click(timeout=30_000)
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("家庭成员").wait_for(timeout=60_000)
    dialog.get_by_text("两不愁三保障及饮水核查").wait_for()
    settle(page)
    page.screenshot(path=str(SCREENSHOTS / "household-file.png"))
    assert page.outside == []


def test_county_sees_its_own_lists_and_leader_only_aggregates(page, browser, server):
    row = sign_in(page, "county", "/monitoring")
    page.get_by_role("heading", name="防返贫监测").first.wait_for(timeout=60_000)
    _tab(page, "跟踪回访")
    page.get_by_text("30天内未走访的监测对象").wait_for(timeout=60_000)
    assert page.get_by_text("户主姓名已脱敏").count() >= 1 and row["role"] == "county"
    sign_out(page)
    sign_in(page, "leader", "/monitoring")
    page.get_by_role("heading", name="防返贫监测").first.wait_for(timeout=60_000)
    _tab(page, "识别认定")
    page.get_by_text("名单仅对领导小组办公室和县(市)区账号开放").wait_for(timeout=60_000)
    assert page.get_by_role("button", name="导出全部名单(Excel)").count() == 0
    sign_out(page)
    sign_in_screen(page, "/monitoring")  # the screen account only ever sees its screen
    assert page.get_by_role("heading", name="防返贫监测").count() == 0
    assert page.outside == []
