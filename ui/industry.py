"""Blocks shared by the 一村一品, 村级集体经济 and 产业项目与资产 pages: filters, formatted tables with their export,
lists that open a village or project file, and the folium village map."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from data_access.scope import AccessDenied, Scope
from ui import cache, components, profiles

AREA = {True: "乡镇", False: "县(市)区"}  # the area column: townships within a county, counties for the city


@dataclass(frozen=True)
class Picked:
    """The page's filters: county (None for the city), year (None when the page has no year yet) and as_of."""

    county: str | None
    year: int | None
    as_of: date

    @property
    def area(self) -> str:
        return AREA[self.county is not None]


def filters(scope: Scope, page: str, years: Callable[[date], list[int]], year_label: str,
            default_year: Callable[[date], int | None] | None = None) -> Picked:
    """County (a county account starts on its own), the year and the 统计时点; the year's options follow the date."""
    c1, c2, c3 = components.filter_row([2, 2, 3], key=page)
    with c3:
        as_of = components.as_of(key=f"{page}_as_of")
    with c1:
        county = components.county(key=f"{page}_county", default=scope.county)
    with c2:
        options = years(as_of)
        if not options:
            st.selectbox(year_label, ["无数据"], disabled=True, key=f"{page}_year_none")
            return Picked(county, None, as_of)
        preferred = default_year(as_of) if default_year else options[0]  # None on the projects page: all years
        current = st.session_state.get(f"{page}_year")
        if current not in options:  # a date change can take the picked year away: fall back to the default
            st.session_state[f"{page}_year"] = preferred if preferred in options else options[0]
        year = st.selectbox(year_label, options, format_func=lambda y: "全部年度" if y is None else f"{y}年",
                            key=f"{page}_year")
    return Picked(county, year, as_of)


def _fmt(v, kind: str) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return "—"
    if kind == "money":
        return f"{float(v) / 1e8:,.2f}亿元" if abs(float(v)) >= 1e8 else f"{float(v) / 1e4:,.2f}万元"
    if kind == "pct":
        return f"{float(v) * 100:.1f}%"
    if kind == "int":
        return f"{int(round(float(v))):,}"
    if kind == "num":
        return f"{float(v):,.0f}"
    return str(v)


def shown(df: pd.DataFrame, cols: list[tuple[str, str, str]]) -> pd.DataFrame:
    """The columns as text in the dashboard's formats (INDICATORS.md conventions), headed in Chinese."""
    return pd.DataFrame({header: [_fmt(v, kind) for v in df[col]] for col, header, kind in cols})


def _export_name(header: str, kind: str) -> str:
    return f"{header}(%)" if kind == "pct" else f"{header}(元)" if kind == "money" else header


def exported(df: pd.DataFrame, cols: list[tuple[str, str, str]]) -> pd.DataFrame:
    """The columns for Excel: numbers stay numbers (money in 元, rates in %), headed with their units."""
    out = {}
    for col, header, kind in cols:
        values = df[col]
        if kind == "pct":
            values = (pd.to_numeric(values, errors="coerce") * 100).round(1)
        elif kind == "money":
            values = pd.to_numeric(values, errors="coerce").round(2)
        out[_export_name(header, kind)] = values
    return pd.DataFrame(out)


def table(scope: Scope, df: pd.DataFrame, cols: list[tuple[str, str, str]], *, key: str, title: str, p: Picked,
          period: str, height: int | None = None) -> None:
    """A summary table and its export (the whole table, audited like every export)."""
    st.dataframe(shown(df, cols), hide_index=True, key=key, height=height or min(38 + 35 * len(df), 520))
    _export(scope, lambda: exported(df, cols), cols, key=f"{key}_export", title=title, p=p, period=period)


def _export(scope: Scope, rows: Callable[[], pd.DataFrame], cols: list[tuple[str, str, str]], *, key: str,
            title: str, p: Picked, period: str) -> None:
    names = [_export_name(header, kind) for _, header, kind in cols]
    area = components.county_names().get(p.county, "全市") if p.county else "全市"
    components.export_button(scope, label="导出此表(Excel)", key=key, rows=rows, headers=dict(zip(names, names)),
                             file_name=f"{title}_{p.as_of.isoformat()}.xlsx", what=f"导出{title}({area},{period})",
                             note=f"{title} · {area} · {period} · 统计时点 {components.fmt_date(p.as_of)}")


def listing(scope: Scope, df: pd.DataFrame, cols: list[tuple[str, str, str]], *, key: str, title: str, p: Picked,
            period: str, opens: str, full: Callable[[], pd.DataFrame] | None = None, limit: int = 500) -> None:
    """A list whose rows open a village file (opens="village", rows with village_code) or a project file
    (opens="project", rows with project_id); the whole list exports through the audited door."""
    if df.empty:
        st.caption("没有符合条件的记录。")
        return
    more = "(屏幕上最多列出 500 条,导出为全部)" if full is not None and len(df) >= limit else ""
    st.caption(f"共 {len(df):,} 条{more}。选中一行可打开{'项目' if opens == 'project' else '村'}档案。")
    event = st.dataframe(shown(df, cols), hide_index=True, key=key, height=min(38 + 35 * len(df), 460),
                         on_select="rerun", selection_mode="single-row")
    rows = event.selection.rows if event else []
    if rows:
        row = df.iloc[rows[0]]
        if opens == "project":
            if st.button(f"打开项目档案:{components.md(row['name'])}", key=f"{key}_open", icon=":material/folder_open:"):
                profiles.project_dialog(scope, int(row["project_id"]), p.as_of)
        elif st.button(f"打开村档案:{components.md(row['village'])}", key=f"{key}_open", icon=":material/folder_open:"):
            profiles.village_dialog(scope, str(row["village_code"]), p.as_of)
    source = full or (lambda: df)
    _export(scope, lambda: exported(source(), cols), cols, key=f"{key}_export", title=title, p=p, period=period)


def rows_or_note(scope: Scope, p: Picked, fetch: Callable[[], pd.DataFrame],
                 what: str = "项目和资产") -> pd.DataFrame | None:
    """Project and asset (or other) rows for who may read them (a county account its own county's); else a sentence."""
    if not scope.row_level:
        st.caption(f"{what}明细仅对领导小组办公室和县(市)区账号开放;本账号只能查看汇总。")
        return None
    if not scope.sees_rows_of(p.county):  # 全市 too: a county account's list would be its own county's, not the city's
        st.caption(f"县(市)区账号只能查看本县(市)区的{what}明细;请在上方选择本县(市)区。")
        return None
    try:
        return fetch()
    except AccessDenied as e:
        st.caption(str(e))
        return None


def year_caption(text: str) -> None:
    """The year a yearly figure belongs to, said next to it."""
    st.caption(components.md(text))


def no_year(p: Picked, what: str) -> bool:
    """True (with a note) when the date has no completed year of these figures yet."""
    if p.year is None:
        st.info(f"统计时点 {components.fmt_date(p.as_of)} 之前没有已结束年度的{what}数据。", icon=":material/info:")
        return True
    return False


def village_map(scope: Scope, p: Picked, *, own: str, years: dict[str, int | None], key: str) -> None:
    """The page's folium map: county (and, within a county, township) outlines and the four layers, the page's
    own shown; a click on a marker opens its village or project file under the map."""
    from streamlit_folium import st_folium

    from geo import industry_layers as il
    from geo.leaflet import Outline, legend_html
    from geo.leaflet import village_map as build

    counties = cache.county_shapes()
    outlines = [Outline("县(市)区界", counties if p.county is None else counties[counties["code"] == p.county])]
    codes = [p.county] if p.county else list(components.county_names())
    points = pd.concat([cache.village_points(c) for c in codes], ignore_index=True)
    if p.county:
        outlines.append(Outline("乡镇界(示意)", cache.township_shapes(p.county), colour="#90a4ae", weight=1))
    layers = []
    if years.get("ovop"):
        layers.append(il.specialty_layer(points, cache.industry("ovop_criteria", as_of=p.as_of, year=years["ovop"],
                                                                county=p.county),
                                         year=years["ovop"], show=own == "ovop"))
    if p.county and years.get("collective"):
        layers.append(il.tier_layer(points, cache.industry("village_tiers", year=years["collective"], county=p.county),
                                    cache.industry("tiers"), year=years["collective"], show=own == "collective"))
    if p.county and scope.sees_rows_of(p.county):
        projects = cache.scoped("project_points", scope, as_of=p.as_of, county=p.county)
        layers.append(il.project_layer(points, projects, show=own == "projects"))
    if years.get("pv"):
        layers.append(il.pv_layer(points, cache.industry("pv_stations", year=years["pv"], county=p.county),
                                  year=years["pv"], show=own == "pv"))
    settings = cache.map_settings()
    fig = build(outlines=outlines, layers=layers, tiles=settings["tile_url"], attribution=settings["attribution"],
                assets=settings["assets"])
    notes = []
    if p.county is None:
        notes.append("选择县(市)区后显示村级集体经济分档和产业项目图层")
    elif not scope.sees_rows_of(p.county):
        notes.append("产业项目图层仅对领导小组办公室和本县(市)区账号显示")
    st.caption(components.md("右上角可切换图层;点击标记查看档案。乡镇边界和村位置为程序生成的示意几何。" + ";".join(notes)))
    out = st_folium(fig, key=key, height=560, use_container_width=True,
                    returned_objects=["last_object_clicked", "last_object_clicked_tooltip"])
    for layer in layers:
        if layer.show and layer.legend:
            st.markdown(legend_html(layer), unsafe_allow_html=True)
    where = (out or {}).get("last_object_clicked")
    if where:
        hit = il.clicked(layers, float(where["lat"]), float(where["lng"]), out.get("last_object_clicked_tooltip"))
        if hit:
            with st.container(border=True):
                if hit[0] == "project":
                    profiles.project_file(scope, int(hit[1]), p.as_of)
                else:
                    profiles.village_file(scope, str(hit[1]), p.as_of)
