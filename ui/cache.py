"""The only place that wraps data_access and geo in Streamlit caches; never mutate results."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_access import areas, indicators, overview
from data_access.settings import settings

TTL = 600  # seconds: imports refresh summaries; ten minutes later every page shows them


@st.cache_data(ttl=TTL, show_spinner=False)
def dataset_info() -> dict[str, str]:
    """Facts about the loaded data."""
    return areas.dataset_info()


@st.cache_data(ttl=TTL, show_spinner=False)
def regions(level: str, county: str | None = None) -> pd.DataFrame:
    """Regions of a level (optionally within a county)."""
    return areas.regions(level, county)


@st.cache_data(ttl=TTL, show_spinner=False)
def indicator_table(code: str, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """Indicator values with names and rank."""
    return indicators.table(code, as_of=as_of, level=level, county=county)


@st.cache_data(ttl=TTL, show_spinner=False)
def kpis(as_of: date) -> pd.DataFrame:
    """Overview cards."""
    return overview.kpis(as_of=as_of)


@st.cache_data(ttl=TTL, show_spinner=False)
def alerts(as_of: date) -> pd.DataFrame:
    """The week's alerts."""
    return overview.alerts(as_of=as_of)


@st.cache_resource(show_spinner=False)
def county_shapes():
    """County boundaries of the city (simplified), read once per process."""
    from geo.boundaries import county_boundaries

    return county_boundaries(areas.regions("county")[["code", "name"]], settings().boundary_file)


@st.cache_resource(show_spinner=False)
def county_geojson() -> dict:
    """County shapes as GeoJSON, built once (read-only)."""
    return county_shapes()[["code", "geometry"]].__geo_interface__


@st.cache_resource(show_spinner=False)
def township_shapes(county: str):
    """Synthetic township polygons of a county."""
    from geo.synthetic import townships

    shapes = county_shapes()
    outline = shapes.loc[shapes["code"] == county, "geometry"].iloc[0]
    return townships(outline, areas.regions("township", county))


@st.cache_resource(show_spinner=False)
def village_points(county: str):
    """Synthetic village points of a county."""
    from geo.synthetic import villages

    return villages(township_shapes(county), areas.regions("village", county))


def clear() -> None:
    """Forget every cached result (after seeding or an import)."""
    st.cache_data.clear()
    st.cache_resource.clear()
