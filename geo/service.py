"""The configured city's map shapes, built once per process and shared by every page (reference data)."""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd

from data_access import areas
from data_access.settings import settings
from geo.boundaries import county_boundaries
from geo.synthetic import townships as build_townships
from geo.synthetic import villages as build_villages


def _source() -> tuple[str, str | None]:
    """What the shapes depend on: the regions' database and the boundary file (a key, so that another data set in
    the same process, as in the tests, never gets these shapes)."""
    s = settings()
    return s.monitoring_url, s.boundary_file


def counties() -> gpd.GeoDataFrame:
    """County boundaries of the city (simplified)."""
    return _counties(*_source())


def townships(county: str) -> gpd.GeoDataFrame:
    """Synthetic township polygons of a county."""
    return _townships(*_source(), county)


def villages(county: str) -> gpd.GeoDataFrame:
    """Synthetic village points of a county."""
    return _villages(*_source(), county)


@lru_cache(maxsize=4)
def _counties(url: str, boundary_file: str | None) -> gpd.GeoDataFrame:
    return county_boundaries(areas.regions("county")[["code", "name"]], boundary_file)


@lru_cache(maxsize=64)
def _townships(url: str, boundary_file: str | None, county: str) -> gpd.GeoDataFrame:
    shapes = _counties(url, boundary_file)
    outline = shapes.loc[shapes["code"] == county, "geometry"]
    if outline.empty:
        raise KeyError(county)
    return build_townships(outline.iloc[0], areas.regions("township", county))


@lru_cache(maxsize=64)
def _villages(url: str, boundary_file: str | None, county: str) -> gpd.GeoDataFrame:
    return build_villages(_townships(url, boundary_file, county), areas.regions("village", county))


def clear() -> None:
    """Forget every shape (after reseeding or a new boundary file)."""
    for f in (_counties, _townships, _villages):
        f.cache_clear()
