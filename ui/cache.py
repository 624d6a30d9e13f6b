"""The only place that wraps data_access and geo in Streamlit caches; never mutate results."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_access import areas, indicators, overview

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


def _geo():
    """geo.service, imported on the first map (geopandas is slow to import), not at sign-in."""
    from geo import service

    return service


def county_shapes():
    """County boundaries of the city (simplified), built once per process; read-only."""
    return _geo().counties()


def county_geojson() -> str | dict:
    """The counties' GeoJSON for a figure: a same-origin URL under server.py, else the dict."""
    return _geo().geojson_ref()


def township_shapes(county: str):
    """Synthetic township polygons of a county; read-only."""
    return _geo().townships(county)


def township_geojson(county: str) -> str | dict:
    """A county's townships' GeoJSON for a figure."""
    return _geo().geojson_ref(county)


def village_points(county: str):
    """Synthetic village points of a county; read-only."""
    return _geo().villages(county)


def clear() -> None:
    """Forget every cached result (after seeding or an import)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    _geo().clear()
