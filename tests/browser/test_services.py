"""The 基础设施与公共服务 page (/services) in headless Chromium: it opens by its URL, every section draws in Chinese with
nothing fetched off the machine, and the list of resident teams ending within the next quarter leaves only through
the audited export, whole and with the first secretaries' names masked."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.browser.conftest import accounts_of, received, settle, sign_in
from tests.browser.test_pages import CJK_CHECK, _tall_screenshot

SECTIONS = ["村情设施", "驻村帮扶", "社会救助", "稳定就业", "社会帮扶"]


def _tab(page, name: str) -> None:
    before = received(page)
    page.locator('[data-testid="stButtonGroup"]').get_by_text(name, exact=True).first.click()
    settle(page, before)


def test_services_page_sections_and_audited_team_export(page, server):
    from data_access import areas, audit, services_board
    from data_access.scope import Scope
    from tests.conftest import using

    _, data = server
    sign_in(page, "office", "/services")
    page.get_by_role("heading", name="基础设施与公共服务").first.wait_for(timeout=60_000)
    assert "基础设施与公共服务" in page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert page.evaluate(CJK_CHECK), "Chinese characters render as boxes: no CJK font"
    page.get_by_text("演示数据").first.wait_for(timeout=30_000)
    for name in SECTIONS:
        _tab(page, name)
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
        assert not page.locator('[data-testid="stException"]').count(), name
        assert "Traceback" not in page.content()
        if name == "村情设施":
            _tall_screenshot(page, "services")
    _tab(page, "驻村帮扶")
    page.get_by_text("三个月内期满的驻村工作队").wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="导出此表(Excel)").nth(1).click()
    download = info.value
    assert download.suggested_filename.startswith("三个月内期满的驻村工作队_") and download.suggested_filename.endswith(".xlsx")
    rows = list(load_workbook(io.BytesIO(open(download.path(), "rb").read())).active.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "县(市)区"))
    body = rows[header + 1:]
    with using(DASHBOARD_DATA_DIR=str(data)):
        total = len(services_board.team_rows(Scope("t", "office"), as_of=areas.data_date(), limit=None))
        log = audit.entries(username=accounts_of(data)["office"]["username"], action="export", limit=1)
    assert len(body) == total > 0
    assert all("*" in r[rows[header].index("第一书记")] for r in body)
    assert "导出三个月内期满的驻村工作队" in log["detail"].iat[0] and f"共 {total:,} 条" in log["detail"].iat[0]
    assert page.outside == [], f"requests left the machine: {page.outside}"
