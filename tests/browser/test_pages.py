"""Open every page by its URL in headless Chromium: drawn, in Chinese, and fully offline."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.browser.conftest import SCREENSHOTS, sign_in

PAGES = [("/map", "县域地图", True), ("/", "总览", True)]

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


@pytest.mark.parametrize("path,title,has_map", PAGES)
def test_page_opens_by_url(page, path, title, has_map):
    sign_in(page, "office", path)
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    page.get_by_text("演示数据").first.wait_for(timeout=30_000)
    nav = page.locator('[data-testid="stSidebarNav"]')
    entries = nav.inner_text().split("\n")
    assert "县域地图" in entries and "总览" in entries and "app" not in entries, entries
    assert page.title() == "乡村振兴衔接监测考核看板", "app.py's page config did not run"
    assert page.evaluate(CJK_CHECK), "Chinese characters render as boxes: no CJK font"
    if has_map:
        plot = page.locator(".js-plotly-plot").first
        plot.wait_for(timeout=60_000)
        page.locator(".js-plotly-plot canvas").first.wait_for(timeout=30_000)
        page.wait_for_timeout(2500)
        assert _colored_share(plot.screenshot()) > 0.05, "map drew no coloured areas"
        assert any("/geo/counties.geojson" in u for u in page.local), "boundaries not served by server.py"
    page.wait_for_timeout(500)
    assert not page.locator('[data-testid="stException"]').count(), "page shows an exception"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = "overview" if path == "/" else path.strip("/")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert page.outside == [], f"requests left the machine: {page.outside}"


def test_map_drill_down(page):
    sign_in(page, "office", "/map")
    page.get_by_role("heading", name="县域地图").first.wait_for(timeout=60_000)
    page.get_by_text("下钻到县(市)区").first.wait_for()
    page.get_by_role("combobox", name="下钻到县(市)区").click()
    page.get_by_role("option", name="海伦市").click()
    page.get_by_role("heading", name="海伦市:乡镇与村").wait_for(timeout=60_000)
    page.wait_for_timeout(3000)
    maps = page.locator(".js-plotly-plot")
    assert maps.count() == 2
    assert _colored_share(maps.nth(1).screenshot()) > 0.05, "drill-down map drew nothing"
    assert any("/geo/townships/231283.geojson" in u for u in page.local)
    page.screenshot(path=str(SCREENSHOTS / "map-drill.png"), full_page=True)
    assert page.outside == [], f"requests left the machine: {page.outside}"
