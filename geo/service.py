"""The configured city's map shapes, built once per process and shared by every page (reference data)."""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd

from data_access import areas
from data_access.settings import settings
from geo.boundaries import county_boundaries
from geo.synthetic import townships as build_townships
from geo.synthetic import villages as build_villages


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


def clear() -> None:
    """Forget every shape (after reseeding or a new boundary file)."""
    for f in (counties, townships, villages):
        f.cache_clear()
