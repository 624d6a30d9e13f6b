"""Folium (Leaflet) village maps: boundaries and clustered point layers in, a folium.Map out. Every browser asset
is served by the app (server.py's /vendor route, files in assets/vendor); no tile layer unless an intranet tile
URL is configured. Text from the databases is escaped here, the one place that writes the map's HTML."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.plugins import MarkerCluster
from folium.template import Template

LEAFLET = "leaflet-1.9.4"
JQUERY = "jquery-3.7.1"
CLUSTER = "leaflet.markercluster-1.5.3"


@dataclass(frozen=True)
class Layer:
    """A point layer: points has lat, lon, colour, title and lines (plain text; escaped here), one row a marker."""

    name: str
    points: pd.DataFrame
    show: bool = True
    radius: int = 7
    legend: dict[str, str] = field(default_factory=dict)  # category -> colour, for the legend under the map


@dataclass(frozen=True)
class Outline:
    """A boundary layer: gdf has name and geometry."""

    name: str
    gdf: gpd.GeoDataFrame
    colour: str = "#37474f"
    weight: float = 2.0
    show: bool = True


class OfflineMap(folium.Map):
    """folium.Map loading Leaflet and jQuery (folium builds popups with $(...)) from the app's own /vendor files;
    not Bootstrap or the icon fonts, which circle markers and popups do not use."""

    def __init__(self, *args, assets: str = "/vendor", **kwargs):
        super().__init__(*args, **kwargs)
        self.default_js = [("leaflet", f"{assets}/{LEAFLET}/leaflet.js"), ("jquery", f"{assets}/{JQUERY}/jquery.min.js")]
        self.default_css = [("leaflet_css", f"{assets}/{LEAFLET}/leaflet.css")]


class OfflineCluster(MarkerCluster):
    """MarkerCluster loading its plugin from the app's own /vendor files."""

    def __init__(self, *args, assets: str = "/vendor", **kwargs):
        super().__init__(*args, **kwargs)
        self.default_js = [("markerclusterjs", f"{assets}/{CLUSTER}/leaflet.markercluster.js")]
        self.default_css = [("markerclustercss", f"{assets}/{CLUSTER}/MarkerCluster.css"),
                            ("markerclusterdefaultcss", f"{assets}/{CLUSTER}/MarkerCluster.Default.css")]


class Points(MacroElement):
    """A layer's circle markers, created in the browser from one JSON array and added to their cluster in one
    call: a folium object per marker costs about 2 ms to render, and a county at scale 10 has thousands.
    Each point is [lat, lon, colour, tooltip, popup]; tooltip and popup are already escaped HTML, and tojson
    escapes <, > and & again, so nothing in them can close the script."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var markers = {{ this.points|tojson }}.map(function (p) {
                return L.circleMarker([p[0], p[1]], {radius: {{ this.radius }}, color: "#ffffff", weight: 1,
                                                     fill: true, fillColor: p[2], fillOpacity: 0.95})
                    .bindTooltip(p[3]).bindPopup(p[4], {maxWidth: 320});
            });
            {{ this._parent.get_name() }}.addLayers(markers);
        })();
        {% endmacro %}
    """)

    def __init__(self, points: list[list], radius: int):
        super().__init__()
        self._name = "Points"
        self.points, self.radius = points, int(radius)


def popup_html(title: str, lines: list[str]) -> str:
    """A marker's popup: the escaped title in bold, then one escaped line each."""
    body = "".join(f"<div>{html.escape(str(x))}</div>" for x in lines)
    return f'<div style="font-size:14px;line-height:1.5"><b>{html.escape(str(title))}</b>{body}</div>'


def village_map(*, outlines: list[Outline], layers: list[Layer], tiles: str | None = None, attribution: str = "",
                assets: str = "/vendor") -> folium.Map:
    """The map: outlines (county, township) and point layers with clustered circle markers, a layer control, and
    the view fitted to the first outline. Only layers with points appear in the control."""
    m = OfflineMap(tiles=None, prefer_canvas=True, control_scale=True, zoom_control=True, assets=assets, maxZoom=18,
                   minZoom=6, zoomSnap=0.25)
    if tiles:
        folium.TileLayer(tiles=tiles, attr=html.escape(attribution) or "内网底图", name="底图", overlay=False).add_to(m)
    for o in outlines:
        gdf = o.gdf[["name", "geometry"]].copy()
        gdf["name"] = [html.escape(str(n)) for n in gdf["name"]]
        style = dict(color=o.colour, weight=o.weight, fillOpacity=0.04, fillColor=o.colour)
        folium.GeoJson(gdf.to_json(), name=html.escape(o.name), show=o.show, style_function=lambda _, s=style: s,
                       tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False), control=True).add_to(m)
    for layer in layers:
        if layer.points.empty:
            continue
        cluster = OfflineCluster(name=html.escape(layer.name), show=layer.show, assets=assets,
                                 options=dict(maxClusterRadius=35, disableClusteringAtZoom=9,
                                              showCoverageOnHover=False))
        points = [[float(p.lat), float(p.lon), str(p.colour), html.escape(str(p.title)), popup_html(p.title, list(p.lines))]
                  for p in layer.points.itertuples()]
        Points(points, layer.radius).add_to(cluster)
        cluster.add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    if outlines:
        minx, miny, maxx, maxy = outlines[0].gdf.total_bounds
        # keep the right-hand side clear for the layer control (top right, about 230 px wide)
        m.fit_bounds([(miny, minx), (maxy, maxx)], padding_top_left=(16, 16), padding_bottom_right=(240, 16))
    return m


def legend_html(layer: Layer) -> str:
    """The layer's colours as a line of escaped HTML chips (for st.markdown under the map)."""
    chips = "".join(f'<span style="display:inline-block;margin-right:14px;white-space:nowrap">'
                    f'<span style="display:inline-block;width:12px;height:12px;border-radius:6px;'
                    f'background:{html.escape(colour)};margin-right:4px"></span>{html.escape(label)}</span>'
                    for label, colour in layer.legend.items())
    return f'<div style="font-size:15px"><b>{html.escape(layer.name)}</b>:{chips}</div>'
