"""Synthetic township polygons (Voronoi cells clipped to the county) and village points."""

from __future__ import annotations

import zlib

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import MultiPoint, Point, voronoi_polygons
from shapely.geometry.base import BaseGeometry


def _rng(code: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(code.encode()))


def _points_in(shape: BaseGeometry, n: int, rng: np.random.Generator) -> list[Point]:
    minx, miny, maxx, maxy = shape.bounds
    pts: list[Point] = []
    while len(pts) < n:
        xy = rng.uniform([minx, miny], [maxx, maxy], size=(max(4 * n, 16), 2))
        pts += [p for p in map(Point, xy) if shape.contains(p)][: n - len(pts)]
    return pts


def townships(county_shape: BaseGeometry, towns: pd.DataFrame) -> gpd.GeoDataFrame:
    """Township polygons (code, name, geometry): Voronoi cells of seeded points in the county."""
    codes = sorted(towns["code"])
    seeds = _points_in(county_shape, len(codes), _rng(codes[0][:6]))
    cells = voronoi_polygons(MultiPoint(seeds), extend_to=county_shape.envelope.buffer(0.5))
    geoms = []
    for p in seeds:
        cell = next(c for c in cells.geoms if c.contains(p))
        geoms.append(cell.intersection(county_shape))
    names = towns.set_index("code")["name"]
    return gpd.GeoDataFrame({"code": codes, "name": [names[c] for c in codes]}, geometry=geoms, crs=4326)


def villages(town_shapes: gpd.GeoDataFrame, vils: pd.DataFrame) -> gpd.GeoDataFrame:
    """Village points (code, name, township, geometry) placed inside their township polygon."""
    rows = []
    for town in town_shapes.itertuples():
        mine = vils[vils["code"].str[:9] == town.code].sort_values("code")
        if mine.empty:
            continue
        for (code, name), pt in zip(mine[["code", "name"]].itertuples(index=False),
                                    _points_in(town.geometry, len(mine), _rng(town.code))):
            rows.append((code, name, town.code, pt))
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=["code", "name", "township", "geometry"]),
                            geometry="geometry", crs=4326)
