"""County maps drawn on the server as PNG (for documents such as the 周调度通报): a GeoDataFrame and values in,
image bytes out, with Chinese names in a CJK font found on the machine or shipped with the app."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFont

from geo.figures import _colours, _dark, _label_point, _merc

SHIPPED = Path(__file__).resolve().parents[1] / "assets" / "fonts" / "NotoSansSC-GB2312-Regular.otf"
SC_INDEX = 2  # Noto Sans CJK SC inside Debian's NotoSansCJK-*.ttc collections


@functools.cache
def font_path() -> tuple[str, int]:
    """A font that has Chinese glyphs: the machine's own Simplified Chinese font when fontconfig knows one (it
    covers every character), else the GB 2312 subset shipped in assets/fonts. Returns (path, face index)."""
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", ":lang=zh-cn"], capture_output=True, text=True,
                                 timeout=5).stdout
            path, _, index = out.partition("|")
            if path and Path(path).exists() and _has_hanzi(path, int(index or 0)):
                return path, int(index or 0)
        except (OSError, subprocess.SubprocessError, ValueError):
            pass
    return str(SHIPPED), 0


def _has_hanzi(path: str, index: int) -> bool:
    try:
        font = ImageFont.truetype(path, 32, index=index)
    except OSError:
        return False
    return _glyph(font, "中") != _glyph(font, "国")  # a font without them draws both as the same box


def _glyph(font, ch: str) -> bytes:
    img = Image.new("L", (40, 40), 0)
    ImageDraw.Draw(img).text((2, 2), ch, font=font, fill=255)
    return img.tobytes()


def county_map(gdf: gpd.GeoDataFrame, values: pd.DataFrame, *, title: str, better: str, fmt,
               highlight: str | None = None, size: tuple[int, int] = (1400, 1100)) -> bytes:
    """A choropleth of the counties as PNG: gdf has code, name and geometry (EPSG:4326); values has code and
    value; fmt(value) writes a value under each name. Counties without a value are grey."""
    path, index = font_path()
    name_font = ImageFont.truetype(path, 30, index=index)
    small = ImageFont.truetype(path, 24, index=index)
    title_font = ImageFont.truetype(path, 38, index=index)
    df = gdf.merge(values[["code", "value"]], on="code", how="left")
    fills, lo, hi = _colours(df["value"], better)
    width, height = size
    top, margin = 90, 40
    minx, miny, maxx, maxy = df.total_bounds
    ys = _merc(np.array([miny, maxy]))
    scale = min((width - 2 * margin) / (maxx - minx), (height - top - margin - 60) / (ys[1] - ys[0]))
    ox = (width - (maxx - minx) * scale) / 2

    def xy(lon, lat):
        return ox + (lon - minx) * scale, top + (ys[1] - _merc(np.asarray(lat))) * scale

    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    draw.text((margin, 24), title, font=title_font, fill="#222222")
    for row, fill in zip(df.itertuples(), fills, strict=True):
        for part in getattr(row.geometry, "geoms", [row.geometry]):
            x, y = xy(*np.asarray(part.exterior.coords).T)
            colour = _rgb(fill)
            edge = "#B22222" if row.code == highlight else "#555555"
            draw.polygon(list(zip(x, y, strict=True)), fill=colour, outline=edge, width=4 if row.code == highlight else 2)
    for row, fill in zip(df.itertuples(), fills, strict=True):
        p = _label_point(row.geometry)
        x, y = xy(p.x, p.y)
        ink = "white" if _dark(fill) else "#111111"
        draw.text((x, y - 4), str(row.name), font=name_font, fill=ink, anchor="ms")
        draw.text((x, y + 26), fmt(row.value), font=small, fill=ink, anchor="ms")
    good = {"high": "越大越好", "low": "越小越好"}.get(better, "")
    draw.text((margin, height - 50), f"图例:颜色越深数值越大{(',' + good) if good else ''};灰色为无数据。"
              f"最低 {fmt(lo)},最高 {fmt(hi)}", font=small, fill="#444444")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _rgb(colour: str) -> tuple[int, int, int]:
    if colour.startswith("rgb"):
        r, g, b = (int(float(c)) for c in colour[colour.index("(") + 1:-1].split(",")[:3])
        return r, g, b
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
