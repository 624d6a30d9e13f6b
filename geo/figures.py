"""Map figures: GeoDataFrames and values in, plotly figures out (no network, no Streamlit).

The maps are plain plotly shapes on hidden axes in Web-Mercator coordinates, drawn as SVG: nothing is
fetched (plotly's tile maps fetch text glyphs from fonts.openmaptiles.org for any label, and its geo maps a
world topojson from a CDN), and area names are written on the map in the browser's own CJK font.
"""

from __future__ import annotations

from functools import cache, lru_cache
from html import escape

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale, sample_colorscale
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

SCALES = {"high": "YlGn", "low": "OrRd", "neutral": "Blues"}
NO_DATA = "#d9d9d9"
EDGE, HIGHLIGHT = "#555555", "#B22222"
FONT = "Noto Sans CJK SC, Microsoft YaHei, sans-serif"


def _merc(lat: np.ndarray) -> np.ndarray:
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def _rings(geom: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:
    """Outer rings of a (multi)polygon as x, y arrays separated by NaN (a gap: each ring fills on its own),
    projected, as float32 (~1 m, half the bytes). Arrays, not lists: plotly validates them in one step."""
    parts = [np.asarray(p.exterior.coords) for p in getattr(geom, "geoms", [geom])]
    gap = np.array([[np.nan, np.nan]])
    xy = np.concatenate([c for part in parts for c in (part, gap)])
    return xy[:, 0].astype(np.float32), _merc(xy[:, 1]).astype(np.float32)


@lru_cache(maxsize=4096)  # shapes are reference data: the same geometry comes back for every map of it
def _label_point(geom: BaseGeometry):
    """Where a name sits: the point of the largest part farthest from its edges (not the centroid, which can
    fall outside a bent shape or onto a neighbour's name)."""
    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    return polylabel(part, tolerance=0.005)


@cache
def _scale(name: str) -> tuple[tuple[float, str], ...]:
    """A named colour scale as plotly.js draws it (its own names lack YlGn and OrRd): (position, colour) pairs."""
    return tuple((float(p), c) for p, c in get_colorscale(name))


def _colours(values: pd.Series, better: str) -> tuple[list[str], float, float]:
    """Fill colour per value on the indicator's scale; grey where there is no value."""
    known = values.dropna()
    lo, hi = (float(known.min()), float(known.max())) if len(known) else (0.0, 1.0)
    span = hi - lo
    # one call for all values (plotly validates the scale anew on every call)
    points = [(v - lo) / span if span else 0.5 for v in known]
    sampled = iter(sample_colorscale(SCALES[better], points) if points else [])
    return [NO_DATA if pd.isna(v) else next(sampled) for v in values], lo, hi


def _dark(colour: str) -> bool:
    r, g, b = (float(c) for c in colour[colour.index("(") + 1:-1].split(",")[:3]) if colour.startswith("rgb") \
        else (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


def _tick_format(unit: str) -> str:
    return ".0%" if unit == "%" else ",d"


def choropleth(gdf: gpd.GeoDataFrame, values: pd.DataFrame, *, label: str, unit: str, better: str,
               height: int = 520, highlight: str | None = None, names: bool = True, name_size: int = 15) -> go.Figure:
    """Areas coloured by value, each with its name written on it; values has code, value, text, rank_text.

    Rates are read as fractions and shown as percentages; `highlight` (an area code) is outlined in red.
    Every string from the data is escaped: names are data, never markup.
    """
    return _figure(_area_traces(gdf, values, label=label, unit=unit, better=better, highlight=highlight, names=names,
                                name_size=name_size), height)


def _area_traces(gdf: gpd.GeoDataFrame, values: pd.DataFrame, *, label: str, unit: str, better: str,
                 highlight: str | None, names: bool, name_size: int) -> list[dict]:
    """The traces of choropleth(), as dicts: go.Figure validates them all in one go (go.Scatter and add_trace per
    area cost twice as much, a map ~0.1 s)."""
    # merged without the geometry column (taking it along costs more than the rest); left rows keep their order
    df = gdf[["code", "name"]].merge(values.drop(columns="name", errors="ignore"), on="code", how="left",
                                     validate="one_to_one")
    geoms = gdf.geometry.to_numpy()
    fills, lo, hi = _colours(df["value"], better)
    ranked = better != "neutral"
    traces = []
    for row, fill, geom in zip(df.itertuples(), fills, geoms):
        xs, ys = _rings(geom)
        mine = row.code == highlight
        hover = f"<b>{escape(str(row.name))}</b><br>{escape(label)}:{escape(_text(row))}"
        if ranked:
            hover += f"<br>排名:{escape(_rank(row))}"
        traces.append(dict(
            type="scatter", x=xs, y=ys, mode="lines", fill="toself", fillcolor=fill, hoveron="fills", hoverinfo="text",
            text=hover, line=dict(color=HIGHLIGHT if mine else EDGE, width=4 if mine else 1), name=str(row.code),
            showlegend=False))
    if names:
        points = [_label_point(g) for g in geoms]
        traces.append(dict(
            type="scatter", x=[round(p.x, 4) for p in points], y=_merc(np.array([p.y for p in points])).round(4), mode="text",
            hoverinfo="skip", showlegend=False,
            text=[escape(str(n)) for n in df["name"]],
            textfont=dict(size=name_size, family=FONT, color=["#ffffff" if _dark(f) else "#1a1a1a" for f in fills])))
    traces.append(dict(  # the colour bar: an invisible marker carrying the scale
        type="scatter", x=[None], y=[None], mode="markers", hoverinfo="skip", showlegend=False,
        marker=dict(colorscale=[list(p) for p in _scale(SCALES[better])], cmin=lo, cmax=hi if hi > lo else lo + 1,
                    color=[lo], showscale=True,
                    colorbar=dict(orientation="h", x=0.5, xanchor="center", y=-0.02, yanchor="top", len=0.75,
                                  thickness=14, tickformat=_tick_format(unit), tickfont=dict(size=14),
                                  title=dict(text=escape(label), side="top", font=dict(size=16))))))
    return traces


def _text(row) -> str:
    return str(row.text) if isinstance(row.text, str) else "—"


def _rank(row) -> str:
    value = getattr(row, "rank_text", None)
    return str(value) if isinstance(value, str) else "—"


def _figure(traces: list[dict], height: int) -> go.Figure:
    """The figure of a map, from traces and layout as plain values (arrays, expanded colour scales): not validated
    property by property, which took 90% of a map's build (tests/geo check that validation changes nothing)."""
    axis = dict(visible=False, showgrid=False, zeroline=False)
    return go.Figure(_validate=False, data=traces, layout=dict(
        xaxis=axis, yaxis=dict(axis, scaleanchor="x", scaleratio=1), height=height, margin=dict(l=0, r=0, t=0, b=70),
        plot_bgcolor="rgba(0,0,0,0)", paper_bgcolor="rgba(0,0,0,0)", dragmode="pan", hovermode="closest",
        font=dict(family=FONT), hoverlabel=dict(font=dict(size=15, family=FONT))))


def drill(towns: gpd.GeoDataFrame, town_values: pd.DataFrame, villages: gpd.GeoDataFrame,
          village_values: pd.DataFrame, *, label: str, unit: str, better: str, height: int = 560) -> go.Figure:
    """Township polygons coloured by value, named, with village points on top (synthetic geometry)."""
    traces = _area_traces(towns, town_values, label=label, unit=unit, better=better, highlight=None, names=True,
                          name_size=12)
    v = villages[["code", "name"]].merge(village_values.drop(columns="name", errors="ignore"), on="code", how="left",
                                         validate="one_to_one")
    texts = [f"<b>{escape(str(n))}</b><br>{escape(label)}:{escape(t if isinstance(t, str) else '—')}"
             for n, t in zip(v["name"], v["text"] if "text" in v else [None] * len(v))]
    traces.append(dict(
        type="scatter", x=villages.geometry.x.round(4).to_numpy(), y=_merc(villages.geometry.y.to_numpy()).round(4),
        mode="markers",
        hoverinfo="text", text=texts, marker=dict(size=7, color="#1f4e79", opacity=0.8), name="村", showlegend=False))
    return _figure(traces, height)


def village_count(fig: go.Figure) -> int:
    """How many village points a drill figure carries (for tests)."""
    return sum(len(t.x) for t in fig.data if t.name == "村")


def area_count(fig: go.Figure) -> int:
    """How many areas a figure draws (for tests)."""
    return sum(1 for t in fig.data if t.fill == "toself")

