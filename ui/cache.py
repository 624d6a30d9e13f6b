"""The only place that wraps data_access and geo in Streamlit caches; never mutate results."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_access import areas, collective_board, indicators, lists, monitoring_board, overview, ovop, periods, project_board, services_board
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
def report_dates(latest: date) -> list[date]:
    """The 统计时点 options, newest first."""
    return periods.report_dates(latest)


@st.cache_data(ttl=TTL, show_spinner=False)
def indicator_table(code: str, as_of: date, level: str = "county", county: str | None = None,
                    worst_first: bool = False, small_cells: bool = False) -> pd.DataFrame:
    """Indicator values of every area with names and rank (small village cells hidden when asked)."""
    city = city_values(code, as_of, level) if county is not None and level in ("township", "village") else None
    return indicators.table(code, as_of=as_of, level=level, county=county, worst_first=worst_first,
                            small_cells=small_cells, city_values=city)


@st.cache_data(ttl=TTL, show_spinner=False)
def city_values(code: str, as_of: date, level: str) -> pd.DataFrame:
    """An indicator's values for every township or village of the city, which each county's drill-down reads its
    own rows from: computed once for all counties, it costs what three counties one by one did."""
    return indicators.values(code, as_of=as_of, level=level)


@st.cache_data(ttl=TTL, show_spinner=False)
def period_label(code: str, as_of: date) -> str:
    """What an indicator's figure covers at as_of (2025年度, 截至…)."""
    return indicators.period_label(code, as_of)


@st.cache_data(ttl=TTL, show_spinner=False)
def kpis(as_of: date, county: str | None = None) -> pd.DataFrame:
    """Overview cards (with one county's own figures)."""
    return overview.kpis(as_of=as_of, county=county)


@st.cache_data(ttl=TTL, show_spinner=False)
def alerts(as_of: date) -> pd.DataFrame:
    """The week's alerts."""
    return overview.alerts(as_of=as_of)


@st.cache_data(ttl=TTL, show_spinner=False)
def alert_townships(kind: str, as_of: date, county: str) -> pd.DataFrame:
    """An alert's count per township."""
    return overview.alert_townships(kind, as_of=as_of, county=county)


BOARD = frozenset({"headline", "funnel", "timeliness", "coverage", "compliance", "visits", "alerts", "guarantees",
                   "breakdown"})


@st.cache_data(ttl=TTL, show_spinner=False)
def board(section: str, filters: monitoring_board.Filters):
    """One section of the 防返贫监测 page for the picked filters (monitoring_board.<section>)."""
    if section not in BOARD:
        raise ValueError(f"unknown section {section!r}")
    return getattr(monitoring_board, section)(filters)


ROWS = frozenset({"overdue_cases", "late_decisions", "no_measure_cases", "unmatched_cases", "no_developmental_cases",
                  "violating_eliminations", "unvisited_cases", "pending_alerts", "unsafe_housing", "unsafe_water",
                  "dropouts", "uninsured", "weak_projects"})


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=2000)
def rows(name: str, scope, **kwargs) -> pd.DataFrame:
    """A list of lists.<name> for one caller: the scope is part of the key, so no one gets another's rows."""
    if name not in ROWS:
        raise ValueError(f"unknown list {name!r}")
    return getattr(lists, name)(scope, **kwargs)


INDUSTRY = {
    "ovop_years": ovop.years, "ovop_progress": ovop.progress, "ovop_growth": ovop.growth,
    "ovop_industries": ovop.industries, "ovop_by_county": ovop.industries_by_county, "ovop_criteria": ovop.criteria,
    "ovop_chains": ovop.chains, "ovop_metric_year": ovop.metric_year, "ovop_cards": ovop.cards,
    "collective_years": collective_board.years, "tiers": collective_board.tiers, "tier_table": collective_board.tier_table,
    "tier_moves": collective_board.tier_moves, "structure": collective_board.structure,
    "development_types": collective_board.development_types, "top_bottom": collective_board.top_bottom,
    "village_tiers": collective_board.village_tiers, "collective_default_year": collective_board.default_year,
    "collective_cards": collective_board.cards, "project_cards": project_board.cards,
    "status_table": project_board.status_table, "asset_table": project_board.asset_table,
    "asset_classes": project_board.asset_classes, "pv_year": project_board.pv_year, "pv_table": project_board.pv_table,
    "pv_stations": project_board.pv_stations, "monthly": project_board.monthly,
}
SCOPED = {"troubled": project_board.troubled, "asset_problems": project_board.asset_problems,
          "project_points": project_board.project_points, "team_rows": services_board.team_rows}


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=2000)
def industry(name: str, *args, **kwargs):
    """An aggregate of the industry pages (ovop, collective_board, project_board; names in INDUSTRY)."""
    if name not in INDUSTRY:
        raise ValueError(f"unknown industry query {name!r}")
    return INDUSTRY[name](*args, **kwargs)


SERVICES = {name: getattr(services_board, name) for name in (
    "condition_years", "condition_table", "shortfalls", "team_table", "uncovered", "units", "assistance_table",
    "standards", "employment_years", "employment_table", "support_table", "partners", "cards")}


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=2000)
def services(name: str, *args, **kwargs):
    """An aggregate of the 基础设施与公共服务 page (services_board; names in SERVICES)."""
    if name not in SERVICES:
        raise ValueError(f"unknown services query {name!r}")
    return SERVICES[name](*args, **kwargs)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=2000)
def scoped(name: str, scope, **kwargs) -> pd.DataFrame:
    """Project and asset rows for one caller: the scope is part of the key, so no one gets another's rows."""
    if name not in SCOPED:
        raise ValueError(f"unknown list {name!r}")
    return SCOPED[name](scope, **kwargs)


ASSESSMENT = frozenset({"ranking", "matrix", "category_matrix", "county_view", "county_summary", "history", "rules_table",
                        "entry_choices", "entries_table", "rules_rows"})


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=500)
def assessment(name: str, **kwargs):
    """A view of the official assessment (assessment.board.<name>): stored weeks are read, not recomputed."""
    from assessment import board

    if name not in ASSESSMENT:
        raise ValueError(f"unknown assessment view {name!r}")
    return getattr(board, name)(**kwargs)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=50)
def simulate(as_of: date, weights: dict[str, float], targets: dict[str, float], floors: dict[str, float]):
    """What-if scoring (never stored): the simulated ranking beside the official one, or an error."""
    from assessment import board

    return board.simulate(as_of=as_of, weights=weights, targets=targets, floors=floors)


WEEKLY = frozenset({"movers", "key_tasks", "actions"})


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=500)
def weekly(name: str, **kwargs) -> pd.DataFrame:
    """A section of the 周调度 page (data_access.weekly.<name>); cleared when the office records something."""
    from data_access import weekly as service

    if name not in WEEKLY:
        raise ValueError(f"unknown weekly view {name!r}")
    return getattr(service, name)(**kwargs)


QUALITY = frozenset({"freshness", "rules", "completeness", "registry"})


@st.cache_data(ttl=TTL, show_spinner="正在检查数据质量…", max_entries=100)
def quality(name: str, **kwargs) -> pd.DataFrame:
    """A section of the 数据质量 tab (data_access.quality.<name>): counts per county, no personal data."""
    from data_access import quality as service

    if name not in QUALITY:
        raise ValueError(f"unknown quality view {name!r}")
    return getattr(service, name)(**kwargs)


@st.cache_data(ttl=TTL, show_spinner="正在读取问题记录…", max_entries=200)
def quality_rows(rule: str, scope, county: str | None = None) -> pd.DataFrame:
    """The records behind one rule for one caller (the scope is part of the key; a county account reads only its
    own county's), unmasked: the page masks them."""
    from data_access import quality as service

    return service.rule_rows(rule, county=scope.rows_county(county))


@st.cache_data(ttl=TTL, show_spinner="正在生成通报…", max_entries=20)
def weekly_report(part: str, as_of: date):
    """The 周调度通报 at as_of: its narrative (a list of heading, text), or the .docx or .xlsx bytes."""
    from reports import weekly as report

    if part == "narrative":
        return report.narrative(report.facts(as_of=as_of))
    if part not in ("docx", "xlsx"):
        raise ValueError(f"unknown report part {part!r}")
    return weekly_files(as_of)[part]


@st.cache_data(ttl=TTL, show_spinner="正在生成通报…", max_entries=20)
def weekly_files(as_of: date) -> dict[str, bytes]:
    """The 周调度通报's files at as_of, built once: docx, xlsx and the map png."""
    from reports import weekly as report

    return report.build(as_of=as_of)


def map_settings() -> dict[str, str | None]:
    """Where the folium maps load Leaflet from (under the app's base path) and the optional intranet tile layer."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return dict(assets=f"/{base}/vendor" if base else "/vendor", tile_url=settings().tile_url,
                attribution=settings().tile_attribution)


def _geo():
    """geo.service, imported on the first map (geopandas is slow to import), not at sign-in."""
    from geo import service

    return service


def county_shapes():
    """County boundaries of the city (simplified), built once per process; read-only."""
    return _geo().counties()


@st.cache_resource(ttl=TTL, max_entries=64, show_spinner=False)
def county_map(code: str, as_of: date, highlight: str | None, height: int = 520):
    """The county map of an indicator (a plotly figure, built once per indicator, date and viewer's county and
    shared: st.plotly_chart only reads it; never mutate it)."""
    from data_access.indicators import INDICATORS
    from geo.figures import choropleth

    ind = INDICATORS[code]
    label = f"{ind.name}({'%' if ind.unit == '%' else ind.unit})"
    return choropleth(county_shapes(), indicator_table(code, as_of), label=label, unit=ind.unit, better=ind.better,
                      highlight=highlight, height=height)


@st.cache_resource(ttl=TTL, show_spinner=False)
def county_names() -> dict[str, str]:
    """County code -> name in code order, one shared dict (a page asks many times a run; st.cache_data would
    unpickle the regions frame each time): never mutate it."""
    return dict(areas.regions("county")[["code", "name"]].itertuples(index=False))


@st.cache_resource(ttl=TTL, max_entries=64, show_spinner=False)
def drill_map(code: str, as_of: date, county: str, worst_first: bool, small_cells: bool):
    """The township and village map of an indicator in a county, built once and shared like county_map."""
    from data_access.indicators import INDICATORS
    from geo.figures import drill

    ind = INDICATORS[code]
    label = f"{ind.name}({'%' if ind.unit == '%' else ind.unit})"
    return drill(township_shapes(county), indicator_table(code, as_of, "township", county, worst_first),
                 village_points(county), indicator_table(code, as_of, "village", county, worst_first, small_cells),
                 label=label, unit=ind.unit, better=ind.better)


def township_shapes(county: str):
    """Synthetic township polygons of a county; read-only."""
    return _geo().townships(county)


def village_points(county: str):
    """Synthetic village points of a county; read-only."""
    return _geo().villages(county)


@st.cache_data(ttl=3600, show_spinner=False)
def template(kind: str) -> bytes:
    """The Excel template of an importable table."""
    from data_access.imports import KINDS, templates

    return templates.template(KINDS[kind])


def clear() -> None:
    """Forget every cached result (after seeding or an import)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    _geo().clear()
