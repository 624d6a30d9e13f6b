"""The folium builders: offline assets only, no tiles unless configured, escaped text, and clicks mapped back to
the marker that was hit."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, box

import server
from geo import industry_layers as il
from geo.leaflet import Layer, OfflineCluster, OfflineMap, Outline, legend_html, village_map

COUNTY = gpd.GeoDataFrame({"code": ["231283"], "name": ["<b>海伦市</b>"]}, geometry=[box(126.5, 46.8, 127.5, 47.7)],
                          crs=4326)
POINTS = gpd.GeoDataFrame({"code": ["231283101201", "231283101202"], "name": ["<script>alert(1)</script>村", "东村"]},
                          geometry=[Point(126.9, 47.2), Point(127.1, 47.4)], crs=4326)


def _layers():
    villages = pd.DataFrame({"village_code": ["231283101201", "231283101202"], "industry": ["大豆", "<i>生猪</i>"],
                             "level": ["市级", "省级"], "status": ["认定", "示范"], "result": ["达标", "未达标"],
                             "output": [1.2e7, None], "share": [0.6, None]})
    projects = pd.DataFrame({"project_id": [7], "village_code": ["231283101202"], "name": ["东村大棚项目"],
                             "status": ["闲置"], "investment": [500_000.0]})
    return [il.specialty_layer(POINTS, villages, year=2026, show=True), il.project_layer(POINTS, projects, show=False)]


def _html(**kw) -> str:
    return village_map(outlines=[Outline("县界", COUNTY)], layers=_layers(), **kw).get_root().render()


def test_every_asset_is_served_by_the_app_and_nothing_else_is_named():
    m = OfflineMap(assets="/vendor")
    cluster = OfflineCluster(assets="/vendor")
    links = [src for _, src in m.default_js + m.default_css + cluster.default_js + cluster.default_css]
    assert all(link.startswith("/vendor/") for link in links), links
    assert all(link.removeprefix("/vendor/") in server.VENDOR_FILES for link in links), links  # and it is there
    assert not re.findall(r"https?://", _html()), "the map names an outside address"


def test_a_base_path_prefixes_the_assets():
    assert OfflineMap(assets="/dash/vendor").default_js[0][1] == "/dash/vendor/leaflet-1.9.4/leaflet.js"


def test_tiles_only_when_configured():
    assert "tileLayer" not in _html()
    html = _html(tiles="http://tiles.intranet/{z}/{x}/{y}.png", attribution="<b>内网</b>")
    assert "http://tiles.intranet/{z}/{x}/{y}.png" in html
    assert "\\u0026lt;b\\u0026gt;" in html and "<b>内网" not in html  # the attribution escaped, then JSON-encoded


def test_names_from_the_databases_are_escaped():
    html = _html()
    assert "<script>alert(1)</script>村" not in html and "alert(1)&lt;/script" not in html
    # the marker's escaped text, JSON-encoded again inside the script that builds the markers
    assert "\\u0026lt;script\\u0026gt;alert(1)\\u0026lt;/script\\u0026gt;" in html
    assert "<b>海伦市</b>" not in html and "<i>生猪</i>" not in html
    legend = legend_html(_layers()[0])
    assert "&lt;i&gt;生猪&lt;/i&gt;" in legend and "<i>" not in legend


def test_layers_are_placed_coloured_and_explained():
    spec, prj = _layers()
    assert list(spec.points["lat"]) == [47.2, 47.4] and spec.legend == {"<i>生猪</i>": il.PALETTE[0], "大豆": il.PALETTE[1]}
    assert spec.points.loc[0, "lines"][-2] == "主导产业产值:1,200.00万元,占比60.0%"
    assert "主导产业产值" not in " ".join(spec.points.loc[1, "lines"])  # no metrics: no made-up figure
    assert prj.points.loc[0, "colour"] == il.STATUS_COLOURS["闲置"] and not prj.show
    assert abs(prj.points.loc[0, "lat"] - 47.4) < 0.01 and prj.points.loc[0, "lat"] != 47.4  # beside its village


def test_a_click_finds_the_marker_by_its_tooltip_and_position():
    layers = _layers()
    prj = layers[1].points.iloc[0]
    # the mouse a few pixels off the marker's centre
    assert il.clicked(layers, prj["lat"] + 0.002, prj["lon"] - 0.002, "东村大棚项目") == ("project", 7)
    assert il.clicked(layers, 47.401, 127.099, "东村(一村一品)") == ("village", "231283101202")
    assert il.clicked(layers, 47.401, 127.099) == ("village", "231283101202")  # no tooltip: the nearest
    assert il.clicked(layers, 46.0, 125.0, "东村(一村一品)") is None  # too far from any marker
    assert il.clicked(layers, 47.4, 127.1, "别的村") is None
    assert il.clicked([Layer("空", pd.DataFrame())], 47.4, 127.1) is None
