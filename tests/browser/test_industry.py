"""The 一村一品, 村级集体经济 and 产业项目与资产 pages in headless Chromium: each opens by its URL, its folium map draws
from the app's own Leaflet files with nothing fetched off the machine, a marker's click opens its file, and a
village whose name is markup stays text on the map."""

from __future__ import annotations

import pytest

from tests.browser.conftest import HOSTILE, ROOT, SCREENSHOTS, received, settle, sign_in
from tests.browser.test_security import hostile_page  # noqa: F401 - the fixture

ARTIFACTS = ROOT / "test-artifacts"  # ignored by git: what a failed click looked like
PAGES = [("/ovop", "一村一品", None, "村代码"), ("/collective", "村级集体经济", "海伦市", "村代码"),
         ("/projects", "产业项目与资产", "海伦市", "项目编号")]
MARKERS = """() => { const m = Object.values(window).find(v => v instanceof L.Map); const pts = [];
  m.eachLayer(l => { if (l instanceof L.CircleMarker) { const p = m.latLngToContainerPoint(l.getLatLng());
    const s = m.getSize(); if (p.x > 20 && p.y > 20 && p.x < s.x - 320 && p.y < s.y - 20) pts.push([p.x, p.y]); } });
  return pts; }"""

POPUP = """() => { const m = Object.values(window).find(v => v instanceof L.Map); let hit = null;
  m.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) l.getLayers().forEach(c => {
    if (!hit && String(c.getTooltip() && c.getTooltip().getContent()).includes('alert(1)')) hit = c; }); });
  if (!hit) return null;
  L.popup().setLatLng(hit.getLatLng()).setContent(hit.getPopup().getContent()).openOn(m);
  const el = document.querySelector('.leaflet-popup-content');
  return {text: el.textContent, elements: [...el.querySelectorAll('script, img, iframe')].map(e => e.tagName)}; }"""


def _pick_county(page, name: str) -> None:
    page.get_by_role("combobox", name="县(市)区").click()
    before = received(page)
    page.get_by_role("option", name=name, exact=True).click()
    settle(page, before)


def _tab(page, name: str) -> None:
    before = received(page)
    page.locator('[data-testid="stButtonGroup"]').get_by_text(name, exact=True).first.click()
    settle(page, before)


def _open_map(page):
    """Show the 村级地图 section and return the map's frame once Leaflet has drawn its markers."""
    _tab(page, "村级地图")
    frame_el = page.locator('iframe[title="streamlit_folium.st_folium"]')
    frame_el.wait_for(timeout=60_000)
    for _ in range(300):
        frame = next((f for f in page.frames if "st_folium" in f.url), None)
        if frame is not None and frame.evaluate("() => typeof L !== 'undefined' && "
                                                "Object.values(window).some(v => v instanceof L.Map)"):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the Leaflet map never drew")
    settle(page)  # the map's first value may start a run: Streamlit removes stale elements when it ends
    last = frame_el.bounding_box()
    for _ in range(30):  # and wait until the map stops moving
        page.wait_for_timeout(300)
        now = frame_el.bounding_box()
        if now == last:
            break
        last = now
    return frame_el, frame


@pytest.mark.parametrize("path,title,county,file_mark", PAGES)
def test_page_and_its_offline_map(page, path, title, county, file_mark):
    page.set_viewport_size({"width": 1600, "height": 1700})  # the whole map on screen: markers are clicked on it
    sign_in(page, "office", path)
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    assert title in page.locator('[data-testid="stSidebarNav"]').inner_text()
    if county:
        _pick_county(page, county)
    frame_el, frame = _open_map(page)
    layers = frame.locator(".leaflet-control-layers-overlays").inner_text()
    assert "县(市)区界" in layers and "光伏电站" in layers, layers
    points = frame.evaluate(MARKERS)
    assert len(points) > 0, "no marker on the map"
    vendor = [u for u in page.local if "/vendor/" in u]
    assert any("leaflet.js" in u for u in vendor) and any("leaflet.markercluster.js" in u for u in vendor), vendor
    box = frame_el.bounding_box()
    for x, y in (points[len(points) // 2], points[0], points[-1]):  # a marker's click opens its file under the map
        page.mouse.click(box["x"] + x, box["y"] + y)
        try:
            page.get_by_text(file_mark).first.wait_for(timeout=20_000)
            break
        except Exception:  # noqa: BLE001 - try the next marker, then say so below
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"failed_{path.strip('/')}_click.png"))
    else:
        raise AssertionError(f"no marker click opened a file: {points[:3]}")
    name = path.strip("/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.screenshot(path=str(SCREENSHOTS / f"{name}_map.png"))
    assert page.outside == [], f"requests off the machine: {page.outside}"


def test_ovop_sections_and_export(page):
    sign_in(page, "office", "/ovop")
    page.get_by_role("heading", name="一村一品").first.wait_for(timeout=60_000)
    _tab(page, "达标核查")
    page.get_by_text("逐村核查").first.wait_for(timeout=60_000)
    page.get_by_text("未达标").first.wait_for(timeout=30_000)
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="导出此表(Excel)").first.click()
    assert dl.value.suggested_filename.startswith("一村一品专业村达标核查_")
    page.set_viewport_size({"width": 1600, "height": 1500})
    settle(page)
    page.screenshot(path=str(SCREENSHOTS / "ovop.png"))
    assert page.outside == []


def test_a_markup_village_name_stays_text_on_the_map(hostile_page):  # noqa: F811 - the fixture
    page = hostile_page
    sign_in(page, "office", "/collective")
    page.get_by_role("heading", name="村级集体经济").first.wait_for(timeout=60_000)
    _pick_county(page, HOSTILE)
    _, frame = _open_map(page)
    shown = frame.evaluate(POPUP)  # the hostile village's popup, opened: its text, and any element it made
    assert shown is not None, "the hostile village has no marker"
    assert "<script>alert(1)</script>村" in shown["text"] and shown["elements"] == [], shown
    assert frame.locator('img[src="x"]').count() == 0
    assert page.title() == "乡村振兴衔接监测考核看板"
    assert page.outside == [] and not page.csp
