"""考核排名 in headless Chromium: the coloured score matrix and its A4 export for the office, the county account's
own lost points first, nothing fetched off the machine."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.browser.conftest import SCREENSHOTS, settle, sign_in
from tests.browser.test_pages import _colored_share


def test_office_sees_the_coloured_matrix_and_exports_it_for_a4(page):
    page.set_viewport_size({"width": 1600, "height": 1200})
    sign_in(page, "office", "/assessment")
    page.get_by_role("heading", name="考核排名").first.wait_for(timeout=60_000)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=60_000)
    settle(page)
    assert _colored_share(grid.screenshot()) > 0.15, "the score cells are not coloured"
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="导出得分表(Excel,A4横向)").click()
    ws = load_workbook(io.BytesIO(open(dl.value.path(), "rb").read())).active
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    header = [c.value for c in ws[3]]
    assert header[:6] == ["县(市)区", "排名", "总分", "等次", "较上周", "与上一名差距"] and ws.max_row == 13  # note, blank, header, 10
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "assessment.png"))
    assert page.outside == [], f"requests off the machine: {page.outside}"


def test_a_county_account_opens_on_its_lost_points(page):
    page.set_viewport_size({"width": 1600, "height": 1500})
    sign_in(page, "county", "/assessment")
    page.get_by_text("本县(市)区:全市第").first.wait_for(timeout=60_000)
    page.get_by_text("按失分从多到少排列").first.wait_for(timeout=30_000)
    settle(page)
    page.screenshot(path=str(SCREENSHOTS / "assessment_county.png"))
    page.get_by_role("link", name="总览").first.click()
    page.get_by_text("本县考核:全市第").first.wait_for(timeout=60_000)
    assert page.outside == [] and not page.csp
