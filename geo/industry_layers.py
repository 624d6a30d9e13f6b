"""Point layers of the industry maps: village points and a page's rows in, geo.leaflet.Layer out (pure)."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd

from geo.leaflet import Layer

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf"]
TIER_COLOURS = ["#7f0000", "#d7301f", "#fc8d59", "#a6d96a", "#66bd63", "#1a9850", "#006837"]
STATUS_COLOURS = {"在建": "#78909c", "运营正常": "#2e7d32", "弱质": "#ef6c00", "闲置": "#c62828", "已盘活": "#00897b",
                  "已整改": "#1565c0"}
PV_COLOUR = "#f9a825"


def _wan(v: float) -> str:
    return f"{v / 1e4:,.2f}万元"


def _located(points: gpd.GeoDataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """df's rows with the lat and lon of their village (rows of villages without a point are dropped)."""
    xy = pd.DataFrame({"village_code": points["code"], "lat": points.geometry.y, "lon": points.geometry.x,
                       "village_name": points["name"]})
    return df.merge(xy, on="village_code", how="inner")


def specialty_layer(points: gpd.GeoDataFrame, villages: pd.DataFrame, *, year: int, show: bool) -> Layer:
    """Specialty villages coloured by leading industry; villages has village_code, industry, level, status,
    result, output, share (ovop.criteria)."""
    df = _located(points, villages)
    industries = sorted(villages["industry"].dropna().unique()) if len(villages) else []
    colours = {ind: PALETTE[i % len(PALETTE)] for i, ind in enumerate(industries)}
    df["colour"] = df["industry"].map(colours)
    df["title"] = df["village_name"] + "(一村一品)"
    df["lines"] = [[f"主导产业:{r.industry}", f"{r.level} · {r.status}", f"达标核查:{r.result}"]
                   + ([f"主导产业产值:{_wan(r.output)},占比{r.share * 100:.1f}%"] if _num(r.output) and _num(r.share)
                      else []) + ["点击标记在地图下方查看村档案"] for r in df.itertuples()]
    return Layer(f"{year}年一村一品专业村(按主导产业)", df, show=show, radius=8, legend=colours)


def tier_layer(points: gpd.GeoDataFrame, tiers: pd.DataFrame, labels: list[str], *, year: int, show: bool) -> Layer:
    """Villages coloured by collective operating-income tier; tiers has village_code, operating, tier, tier_label."""
    df = _located(points, tiers)
    df["colour"] = [TIER_COLOURS[min(int(t), len(TIER_COLOURS) - 1)] for t in df["tier"]]
    df["title"] = df["village_name"]
    df["lines"] = [[f"{year}年集体经营性收入:{_wan(r.operating)}", f"分档:{r.tier_label}", "点击标记在地图下方查看村档案"]
                   for r in df.itertuples()]
    legend = {label: TIER_COLOURS[min(i, len(TIER_COLOURS) - 1)] for i, label in enumerate(labels)}
    return Layer(f"{year}年村级集体经济分档", df, show=show, radius=6, legend=legend)


def project_layer(points: gpd.GeoDataFrame, projects: pd.DataFrame, *, show: bool) -> Layer:
    """Projects coloured by status, each a little off its village's point (a fixed offset by project id, so
    several projects of one village stay apart); projects has project_id, village_code, name, status, investment."""
    df = _located(points, projects)
    angle = df["project_id"].astype(float) * 2.399963  # the golden angle: offsets spread evenly round the village
    df["lat"] = df["lat"] + 0.006 * angle.map(math.sin)
    df["lon"] = df["lon"] + 0.009 * angle.map(math.cos)
    df["colour"] = df["status"].map(STATUS_COLOURS).fillna("#000000")
    df["title"] = df["name"]
    df["lines"] = [[f"{r.village_name} · 统计时点状态:{r.status}", f"投资:{_wan(r.investment)}", "点击标记在地图下方查看项目档案"]
                   for r in df.itertuples()]
    return Layer("产业项目(按状态)", df, show=show, radius=6, legend=dict(STATUS_COLOURS))


def pv_layer(points: gpd.GeoDataFrame, stations: pd.DataFrame, *, year: int, show: bool) -> Layer:
    """Village PV stations; stations has village_code, kw, generation, hours, income (project_board.pv_stations)."""
    df = _located(points, stations)
    df["colour"] = PV_COLOUR
    df["title"] = df["village_name"] + "光伏电站"
    df["lines"] = [[f"装机:{r.kw:,.0f}千瓦", f"{year}年发电:{r.generation:,.0f}千瓦时({r.hours:,.0f}小时)",
                    f"{year}年收益:{_wan(r.income)}", "点击标记在地图下方查看村档案"] for r in df.itertuples()]
    return Layer(f"{year}年村级光伏电站", df, show=show, radius=7, legend={"光伏电站": PV_COLOUR})


def _num(v) -> bool:
    return v is not None and not pd.isna(v)


def clicked(layers: list[Layer], lat: float, lon: float, tooltip: str | None = None,
            within: float = 0.1) -> tuple[str, str | int] | None:
    """The marker a click hit: ("project", id) or ("village", code); None when none is near.

    Leaflet reports where the mouse was (not the marker's centre) and the marker's tooltip, which is its title:
    the nearest marker with that title, within `within` degrees.
    """
    best, best_d = None, within ** 2
    for layer in layers:
        pts = layer.points
        if pts.empty:
            continue
        if tooltip is not None:
            pts = pts[pts["title"].astype(str) == tooltip]
            if pts.empty:
                continue
        d = (pts["lat"] - lat) ** 2 + (pts["lon"] - lon) ** 2
        i = d.idxmin()
        if d[i] <= best_d:
            row = pts.loc[i]
            best = ("project", int(row["project_id"])) if "project_id" in row.index else ("village", row["village_code"])
            best_d = d[i]
    return best
