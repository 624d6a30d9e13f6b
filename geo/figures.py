"""Map figures: GeoDataFrames and values in, plotly figures out (no network, no Streamlit)."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

# "white-bg" draws no tiles and fetches nothing: maps work on an intranet with no internet.
MAP_STYLE = "white-bg"
SCALES = {"high": "YlGn", "low": "OrRd", "neutral": "Blues"}


def _merc(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _view(gdf: gpd.GeoDataFrame, height: int) -> dict:
    """Centre and zoom that fit the shapes into a map about height px tall and 1.2x as wide."""
    minx, miny, maxx, maxy = gdf.total_bounds
    lon_span = max(maxx - minx, 0.01)
    lat_span = max(_merc(maxy) - _merc(miny), 0.01)
    # MapLibre: 512 px per 360 degrees at zoom 0
    zoom = min(math.log2(height * 1.2 * 360 / (512 * lon_span)),
               math.log2(height * 360 / (512 * lat_span))) - 0.25
    return dict(center=dict(lon=(minx + maxx) / 2, lat=(miny + maxy) / 2), zoom=zoom)


def _layout(fig: go.Figure, gdf: gpd.GeoDataFrame, height: int, tile_url: str | None) -> go.Figure:
    layers = []
    style = MAP_STYLE
    if tile_url:  # an intranet tile server the office configured
        layers = [dict(sourcetype="raster", source=[tile_url], below="traces")]
    fig.update_layout(map=dict(style=style, layers=layers, **_view(gdf, height)),
                      height=height, margin=dict(l=0, r=0, t=0, b=0),
                      paper_bgcolor="rgba(0,0,0,0)", font=dict(family="Noto Sans CJK SC, sans-serif"))
    return fig


def choropleth(gdf: gpd.GeoDataFrame, values: pd.DataFrame, *, label: str, better: str,
               height: int = 520, tile_url: str | None = None, geojson: str | dict | None = None) -> go.Figure:
    """Areas coloured by value (better: high/low/neutral); values has code, value, text, rank.

    geojson, when given, is gdf as GeoJSON built once by the caller, or a same-origin URL of it.
    """
    df = gdf[["code", "name"]].merge(values.drop(columns="name", errors="ignore"), on="code", how="left")
    fig = go.Figure(go.Choroplethmap(
        geojson=geojson or gdf[["code", "geometry"]].__geo_interface__, featureidkey="properties.code",
        locations=df["code"], z=df["value"],
        colorscale=SCALES[better],
        marker=dict(line=dict(width=1.2, color="#555"), opacity=0.85),
        customdata=df[["name", "text", "rank"]].fillna("—").to_numpy(),
        hovertemplate="<b>%{customdata[0]}</b><br>" + label + ":%{customdata[1]}"
                      "<br>排名:%{customdata[2]}<extra></extra>",
        colorbar=dict(title=dict(text=label, side="right"), thickness=12, len=0.8),
    ))
    return _layout(fig, gdf, height, tile_url)


def drill(towns: gpd.GeoDataFrame, town_values: pd.DataFrame, villages: gpd.GeoDataFrame,
          village_values: pd.DataFrame, *, label: str, better: str, height: int = 560,
          tile_url: str | None = None, geojson: str | dict | None = None) -> go.Figure:
    """Township polygons coloured by value with village points on top (synthetic geometry)."""
    fig = choropleth(towns, town_values, label=label, better=better,
                     height=height, tile_url=tile_url, geojson=geojson)
    v = villages.merge(village_values.drop(columns="name", errors="ignore"), on="code", how="left")
    fig.add_trace(go.Scattermap(
        lon=v.geometry.x, lat=v.geometry.y, mode="markers",
        marker=dict(size=7, color="#1f4e79", opacity=0.8),
        customdata=v[["name", "text"]].fillna("—").to_numpy(),
        hovertemplate="<b>%{customdata[0]}</b><br>" + label + ":%{customdata[1]}<extra>村</extra>",
        name="村",
    ))
    fig.update_layout(showlegend=False)
    return fig
