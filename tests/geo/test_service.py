"""geo.service shapes and server.py's /geo routes: a URL under server.py, the GeoJSON otherwise."""

from __future__ import annotations

import json

import pytest
from starlette.requests import Request

from geo import service


@pytest.fixture()
def shapes(demo_data):
    service.clear()
    yield
    service.clear()


def test_geojson_inline_or_url(shapes, monkeypatch):
    monkeypatch.delenv(service.URLS_ENV, raising=False)
    inline = service.geojson_ref()
    assert inline["type"] == "FeatureCollection" and len(inline["features"]) == 10
    assert set(inline["features"][0]["properties"]) == {"code"}
    monkeypatch.setenv(service.URLS_ENV, "1")
    assert service.geojson_ref().startswith("/geo/counties.geojson?v=")
    assert service.geojson_ref("231283").startswith("/geo/townships/231283.geojson?v=")


def test_geo_routes(shapes, monkeypatch):
    monkeypatch.setenv(service.URLS_ENV, "1")  # restored afterwards: importing server.py sets it
    import server

    def get(county=None):
        scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b"",
                 "path_params": {} if county is None else {"county": county}}
        return server.geojson(Request(scope))

    counties = get()
    assert counties.status_code == 200 and counties.media_type == "application/geo+json"
    assert len(json.loads(counties.body)["features"]) == 10
    towns = json.loads(get("231283").body)
    assert len(towns["features"]) == 23
    assert get("999999").status_code == 404 and get("23128%").status_code == 404
