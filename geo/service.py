"""The configured city's map shapes, built once per process and shared by pages and server routes.

Boundaries are reference data, not personal data: server.py may serve them as GeoJSON files so that
a map figure carries a short URL instead of ~150 KB of coordinates on every rerun.
"""

from __future__ import annotations

import json
import os
import zlib
from functools import lru_cache

import geopandas as gpd

from data_access import areas
from data_access.settings import settings
from geo.boundaries import county_boundaries
from geo.synthetic import townships as build_townships
from geo.synthetic import villages as build_villages

URLS_ENV = "DASHBOARD_GEO_URLS"  # set by server.py, whose routes serve the files below


@lru_cache(maxsize=1)
def counties() -> gpd.GeoDataFrame:
    """County boundaries of the city (simplified)."""
    return county_boundaries(areas.regions("county")[["code", "name"]], settings().boundary_file)


@lru_cache(maxsize=32)
def townships(county: str) -> gpd.GeoDataFrame:
    """Synthetic township polygons of a county."""
    shapes = counties()
    outline = shapes.loc[shapes["code"] == county, "geometry"]
    if outline.empty:
        raise KeyError(county)
    return build_townships(outline.iloc[0], areas.regions("township", county))


@lru_cache(maxsize=32)
def villages(county: str) -> gpd.GeoDataFrame:
    """Synthetic village points of a county."""
    return build_villages(townships(county), areas.regions("village", county))


@lru_cache(maxsize=64)
def geojson(county: str | None = None) -> dict:
    """Counties (county=None) or one county's townships as a GeoJSON dict with only a code property."""
    gdf = counties() if county is None else townships(county)
    return json.loads(gdf[["code", "geometry"]].to_json(drop_id=True, to_wgs84=False))


@lru_cache(maxsize=64)
def geojson_bytes(county: str | None = None) -> bytes:
    """The same GeoJSON, encoded once for the server route."""
    return json.dumps(geojson(county), separators=(",", ":")).encode()


def geojson_ref(county: str | None = None) -> str | dict:
    """What a figure should carry: a same-origin URL when server.py serves the files, else the dict."""
    if os.environ.get(URLS_ENV) != "1":
        return geojson(county)
    version = f"{zlib.crc32(geojson_bytes(county)):08x}"
    path = "/geo/counties.geojson" if county is None else f"/geo/townships/{county}.geojson"
    return f"{path}?v={version}"


def clear() -> None:
    """Forget every shape (after reseeding or a new boundary file)."""
    for f in (counties, townships, villages, geojson, geojson_bytes):
        f.cache_clear()
