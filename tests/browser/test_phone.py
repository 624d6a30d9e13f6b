"""A county secretary's phone (390x844): every page a county account opens fits the width, the county's own
figures come first and the map within two screens, tables scroll inside their own frame."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS, _page, accounts_of, drawn, settle, sign_in

WIDTH, HEIGHT = 390, 844
# path, title, what shows once the page has drawn
PAGES = [("/", "总览", '[data-testid="stPlotlyChart"]'), ("/map", "县域地图", '[data-testid="stPlotlyChart"]'),
         ("/monitoring", "防返贫监测", '[data-testid="stMetric"]'), ("/ovop", "一村一品", '[data-testid="stDataFrame"]'),
         ("/collective", "村级集体经济", '[data-testid="stDataFrame"]'),
         ("/projects", "产业项目与资产", '[data-testid="stDataFrame"]'),
         ("/assessment", "考核排名", '[data-testid="stDataFrame"]'), ("/weekly", "周调度", '[data-testid="stDataFrame"]')]

# Positions in the page (Streamlit scrolls inside stMain, not the document) and widths, in CSS pixels.
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const at = (e) => { const r = e.getBoundingClientRect();
    return {top: Math.round(r.top + main.scrollTop), left: Math.round(r.left), right: Math.round(r.right),
            width: Math.round(r.width), shown: r.width > 0 && r.height > 0}; };
  const all = (s) => Array.from(document.querySelectorAll(s)).map(at).filter(b => b.shown);
  return {inner: window.innerWidth, page: document.documentElement.scrollWidth, main: main.scrollWidth,
          metrics: all('[data-testid="stMetric"]'), own: all('.own-kpi'),
          plots: all('[data-testid="stPlotlyChart"], .js-plotly-plot'), frames: all('iframe'),
          tables: all('[data-testid="stDataFrame"], [data-testid="stTable"]'),
          errors: document.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContentError"]').length};
}"""


@pytest.fixture()
def phone(browser, server):
    """A phone-sized page (touch, 2x pixels) in a new context whose requests may only go to this machine."""
    p = _page(browser, *server, device_scale_factor=2, is_mobile=True, has_touch=True)
    p.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    yield p
    assert not p.csp, f"the content policy blocked something the app needs: {p.csp}"
    p.context.close()


def _settled(page, selector: str) -> None:
    """The page's main element is drawn and the script has finished, with no run for a moment."""
    page.locator(selector).first.wait_for(state="attached", timeout=120_000)
    settle(page)


def _plots_drawn(page) -> None:
    """plotly draws a chart only once it is near the screen: bring each into view, then back to the top."""
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        charts.nth(i).locator(".js-plotly-plot").wait_for(timeout=60_000)
    page.locator('[data-testid="stMain"]').evaluate("m => m.scrollTo(0, 0)")
    drawn(page)


def _fits(m: dict, path: str) -> None:
    inner = m["inner"]
    assert inner == WIDTH, f"{path}: the window is {inner} px wide"
    assert m["page"] <= inner + 1 and m["main"] <= inner + 1, f"{path}: the page scrolls sideways: {m}"
    for kind in ("plots", "frames", "tables"):
        for box in m[kind]:
            assert box["left"] >= -1 and box["right"] <= inner + 1, f"{path}: a {kind[:-1]} is wider than the screen: {box}"
    assert not m["errors"], f"{path}: the page shows an error"


def test_county_account_on_a_phone(phone):
    """Every page of a county account at 390x844: nothing wider than the screen; the county's own figures first."""
    sign_in(phone, "county")
    for path, title, ready in PAGES:
        if path != "/":
            phone.goto(phone.base + path, wait_until="domcontentloaded")
        phone.get_by_role("heading", name=title).first.wait_for(timeout=120_000)
        _settled(phone, ready)
        _plots_drawn(phone)
        m = phone.evaluate(MEASURE)
        _fits(m, path)
        if path == "/":
            own, cards, maps = m["own"], m["metrics"], m["plots"]
            assert len(own) == 7, f"the county's own figures are shown as tiles on a phone: {own}"
            assert own[0]["top"] < HEIGHT, f"the county's first figure is below the first screen: {own[0]}"
            assert own[0]["top"] < cards[0]["top"], "the county's figures come before the city's cards"
            assert cards[0]["top"] < 2 * HEIGHT, f"the first card is not within two screens: {cards[0]}"
            assert cards[0]["width"] < WIDTH / 2 and cards[0]["top"] == cards[1]["top"], "cards sit two to a row"
            assert maps[0]["top"] < 2 * HEIGHT, f"the map starts beyond two screens: {maps[0]}"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            phone.screenshot(path=str(SCREENSHOTS / "phone-overview.png"))
            _alert_list(phone)
        elif m["metrics"]:
            assert m["metrics"][0]["top"] < 2 * HEIGHT, f"{path}: the first card is not within two screens"
        if path == "/ovop":
            _village_map(phone)
    assert phone.outside == [], f"requests left the machine: {phone.outside}"


def _alert_list(page) -> None:
    """The list behind an alert (the county's own where it has one) opens full width and scrolls in its frame."""
    county = accounts_of(page.data)["county"]["county_code"]
    buttons = page.locator('[class*="st-key-alert_"] button')
    own = page.locator(f'[class*="st-key-alert_"][class*="_{county}"] button')
    (own if own.count() else buttons).first.click()
    page.get_by_role("heading", name="名单").first.wait_for(timeout=60_000)
    _settled(page, '[data-testid="stDataFrame"]')
    _fits(page.evaluate(MEASURE), "/ (alert list)")


def _village_map(page) -> None:
    """The folium village map of an industry page fits the width too."""
    page.locator('[data-testid="stButtonGroup"]').get_by_text("村级地图", exact=True).first.click()
    frame = page.locator('iframe[title="streamlit_folium.st_folium"]')
    frame.wait_for(timeout=60_000)
    page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(".leaflet-container").wait_for(timeout=60_000)
    _settled(page, 'iframe[title="streamlit_folium.st_folium"]')
    frame.scroll_into_view_if_needed()
    drawn(page)
    m = page.evaluate(MEASURE)
    assert m["frames"], "the village map is drawn"
    _fits(m, "/ovop (村级地图)")
