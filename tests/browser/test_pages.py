"""Open every page by its URL in headless Chromium: drawn, in Chinese, fully offline, and personal data
leaving only through the audited export."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import pytest
from openpyxl import load_workbook
from PIL import Image

from tests.browser.conftest import SCREENSHOTS, accounts_of, settle, sign_in

PAGES = [("/map", "县域地图"), ("/", "总览")]

# Two different characters render identically only when the font lacks them (tofu boxes).
CJK_CHECK = """() => {
  const draw = (ch) => { const c = document.createElement('canvas'); c.width = 40; c.height = 40;
    const x = c.getContext('2d'); x.font = '32px sans-serif'; x.fillText(ch, 2, 34);
    return Array.from(x.getImageData(0, 0, 40, 40).data).join(','); };
  return draw('中') !== draw('国') && draw('中') !== draw('\\u0378');
}"""


def _colored_share(png: bytes) -> float:
    img = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 120))
    px = list(img.get_flattened_data())
    return sum(1 for r, g, b in px if max(r, g, b) - min(r, g, b) > 30) / len(px)


def _tall_screenshot(page, name: str, height: int = 1800) -> None:
    """Streamlit scrolls inside its own frame: a tall window shows the whole page."""
    page.set_viewport_size({"width": 1600, "height": height})
    settle(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _drill(page, county: str) -> None:
    page.get_by_role("combobox", name="下钻到县(市)区").click()
    page.get_by_role("option", name=county).click()
    page.get_by_role("heading", name=f"{county}:乡镇与村").wait_for(timeout=60_000)


@pytest.mark.parametrize("path,title", PAGES)
def test_page_opens_by_url(page, path, title):
    sign_in(page, "office", path)
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    if path == "/map":  # a ranked rate shows the map at its most telling: percentages, worst first
        page.get_by_role("combobox", name="指标").click()
        page.get_by_role("option", name="识别认定及时率").click()
        page.get_by_text("各县(市)区识别认定及时率").wait_for(timeout=60_000)
    page.get_by_text("演示数据").first.wait_for(timeout=30_000)
    nav = page.locator('[data-testid="stSidebarNav"]')
    entries = nav.inner_text().split("\n")
    assert "县域地图" in entries and "总览" in entries and "app" not in entries, entries
    assert page.title() == "乡村振兴衔接监测考核看板", "app.py's page config did not run"
    assert page.evaluate(CJK_CHECK), "Chinese characters render as boxes: no CJK font"
    plot = page.locator(".js-plotly-plot").first
    plot.wait_for(timeout=60_000)
    settle(page)
    assert _colored_share(plot.screenshot()) > 0.05, "map drew no coloured areas"
    names = " ".join(plot.locator("text").evaluate_all("els => els.map(e => e.textContent)"))
    assert "海伦市" in names and "北林区" in names, "county names are written on the map"
    assert not page.locator('[data-testid="stException"]').count(), "page shows an exception"
    assert "Traceback" not in page.content()
    _tall_screenshot(page, "overview" if path == "/" else path.strip("/"))
    assert page.outside == [], f"requests left the machine: {page.outside}"


def _toolbar_buttons(page) -> list[str]:
    """Labels of every dataframe toolbar button, after hovering each table."""
    labels = []
    for frame in page.locator('[data-testid="stDataFrame"]').all():
        if not frame.is_visible():  # in a tab not shown
            continue
        frame.scroll_into_view_if_needed()
        frame.hover()
        page.wait_for_timeout(300)
        labels += [b.get_attribute("aria-label") or b.inner_text()
                   for b in page.locator('[data-testid="stElementToolbarButton"] button').all()]
    return labels


def test_map_drill_down_tables_of_people_offer_no_download_and_exports_are_whole_and_audited(page, server):
    """The drill-down map of a county draws; its list of people can be unmasked one household at a time, no table
    offers its own download, and the export is the whole list, masked and audited."""
    from data_access import audit, households
    from data_access.scope import Scope
    from tests.conftest import using

    _, data = server
    sign_in(page, "office", "/map")
    page.get_by_role("heading", name="县域地图").first.wait_for(timeout=60_000)
    _drill(page, "海伦市")
    settle(page)
    maps = page.locator(".js-plotly-plot")
    assert maps.count() == 2
    assert _colored_share(maps.nth(1).screenshot()) > 0.05, "drill-down map drew nothing"
    maps.nth(1).scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "map-drill.png"))
    page.get_by_text("姓名、身份证号、电话已脱敏").wait_for(timeout=60_000)
    # unmask one household: its members show, but no table offers its own download
    page.get_by_text("查看一户的完整个人信息").click()
    page.get_by_label("查看理由").fill("核实走访记录中的联系电话")
    page.get_by_role("button", name="查看完整信息").click()
    page.get_by_text("与户主关系").first.wait_for(state="attached", timeout=30_000)
    labels = _toolbar_buttons(page)
    assert labels and not [x for x in labels if "Download" in x or "下载" in x or "CSV" in x], labels
    files = [u for u in page.local if urlparse(u).path.startswith("/media/") and not u.endswith(".png")]
    assert not files, f"nothing is pre-rendered for download: {files}"
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="导出全部").click()
    download = info.value
    assert download.suggested_filename.startswith("监测对象名单_海伦市_全部村_") and download.suggested_filename.endswith(".xlsx")
    rows = list(load_workbook(io.BytesIO(open(download.path(), "rb").read())).active.iter_rows(values_only=True))
    with using(DASHBOARD_DATA_DIR=str(data)):
        total = households.case_count(Scope("t", "office"), as_of=households_date(data), county="231283")
        log = audit.entries(username=accounts_of(data)["office"]["username"], action="export", limit=5)
    header = rows.index(next(r for r in rows if r and r[0] == "案例编号"))
    body = rows[header + 1:]
    assert len(body) == total > 50, "the whole filtered list, not the page on screen"
    names = [r[rows[header].index("户主")] for r in body]
    assert all("*" in n for n in names)
    assert "导出监测对象名单:海伦市" in log["detail"].iat[0] and f"共 {total:,} 条" in log["detail"].iat[0]
    assert page.outside == []


def households_date(data):
    from data_access import areas
    from tests.conftest import using

    with using(DASHBOARD_DATA_DIR=str(data)):
        return areas.data_date()


def test_an_unknown_address_says_so_in_chinese(page):
    sign_in(page, "office", "/")
    page.goto(page.base + "/no-such-page", wait_until="domcontentloaded")
    page.get_by_text("/no-such-page 不存在或尚未开放").wait_for(timeout=60_000)
    page.get_by_role("heading", name="总览").first.wait_for(timeout=60_000)
    assert page.get_by_text("Page not found").count() == 0
    assert page.outside == []
