"""Recurring widgets and blocks: header with the picked date and demo badge, pickers, KPI cards, ranking
tables and the one audited export door."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from data_access import audit, exports
from data_access.indicators import INDICATORS, Indicator, format_value
from data_access.periods import cn_date, week_start
from data_access.scope import Scope
from ui import auth, cache

PICKED = "as_of_picked"  # the 统计时点 chosen on any page; every page opens on it
OWN_ROW = "background-color: #fde8e8; font-weight: 600"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
PHONE_CSS = Path(__file__).with_name("phone.css")  # the narrow-screen layout, loaded by header() on every page


def fmt_date(d: date) -> str:
    """2026年11月28日."""
    return cn_date(d)


def md(text: object) -> str:
    """Text from the databases made safe for Streamlit markdown: every markup character is escaped."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def data_date() -> date:
    """The data's latest date."""
    info = cache.dataset_info()
    return date.fromisoformat(info["data_date"]) if "data_date" in info else date.today()


def is_demo() -> bool:
    """True while the data is the synthetic demo set (the 演示数据 badge shows)."""
    return cache.dataset_info().get("source") == "demo"


def header(title: str, as_of: date | None = None, subtitle: str | None = None) -> None:
    """Page title with 数据截至 (the picked date) and, while the data is synthetic, the 演示数据 badge; also loads
    the narrow-screen styles (phone.css), which take no space."""
    st.html(PHONE_CSS)
    st.title(title)
    latest = data_date()
    shown = as_of or latest
    line = st.container(horizontal=True, vertical_alignment="center")
    with line:
        text = f"数据截至 {fmt_date(shown)}"
        if shown != latest:
            text += f"(历史统计时点;最新数据至 {fmt_date(latest)})"
        st.caption(text + (f" · {subtitle}" if subtitle else ""))
        if is_demo():
            st.badge("演示数据", icon=":material/science:", color="orange",
                     help="当前为程序生成的演示数据,不是真实统计数字")


def as_of(key: str) -> date:
    """统计时点 picker: the data date and every Sunday (weekly report date) back to 2021, shared by all pages."""
    latest = data_date()
    options = cache.report_dates(latest)
    picked = st.session_state.get(PICKED)
    value = st.selectbox("统计时点", options, index=options.index(picked) if picked in options else 0, key=key,
                         format_func=lambda d: fmt_date(d) + ("(最新)" if d == latest else "(周报)"),
                         help="可选最新数据日或此前任一周日(周报日);页面上所有数字、名单和排名都按所选时点统计。可输入年月筛选。")
    st.session_state[PICKED] = value
    return value


def week_label(as_of_date: date) -> str:
    """本周(11月23日—11月28日): the week a weekly figure covers."""
    start = week_start(as_of_date)
    return f"本周({start.month}月{start.day}日—{as_of_date.month}月{as_of_date.day}日)"


def county_names() -> dict[str, str]:
    """County code -> name, in code order (shared: never mutate it)."""
    return cache.county_names()


def county(key: str, label: str = "县(市)区", allow_all: bool = True, default: str | None = None) -> str | None:
    """County picker (a county account starts on its own county); None means the whole city."""
    names = county_names()
    codes = ([None] if allow_all else []) + list(names)
    index = codes.index(default) if default in codes else 0
    return st.selectbox(label, codes, index=index, format_func=lambda c: "全市" if c is None else names[c], key=key)


def indicator(key: str, codes: list[str] | None = None) -> Indicator:
    """Indicator picker over the registry (names only; the code is in the 口径 help)."""
    codes = codes or list(INDICATORS)
    code = st.selectbox("指标", codes, format_func=lambda c: INDICATORS[c].name, key=key)
    return INDICATORS[code]


def definition(ind: Indicator, as_of_date: date) -> None:
    """The indicator's definition (口径说明) and the period it covers, next to its numbers."""
    note = f"。{ind.note}" if ind.note else ""
    rank = "" if ind.ranked else "。此项不排名"
    st.caption(md(f"口径说明:{ind.definition}(统计期:{cache.period_label(ind.code, as_of_date)}){note}{rank}。"
                  f"指标代码 {ind.code}"))


def _delta(row) -> tuple[str | None, bool]:
    """Change text and whether it is zero (shown grey, without an arrow)."""
    if any(isinstance(v, float) and math.isnan(v) for v in (row.value, row.previous)):
        return None, True
    diff = row.value - row.previous
    if row.unit == "%":
        points = round(diff * 100, 1)
        return (f"{points:+.1f}个百分点 {row.compare}", False) if points else (f"持平 {row.compare}", True)
    n = round(diff)
    if row.compare == "较目标":
        goal = f"(目标 {row.previous:,.0f} {row.unit})"
        return (f"{n:+,} {row.compare}{goal}", False) if n else (f"达到目标{goal}", True)
    return (f"{n:+,} {row.compare}", False) if n else (f"持平 {row.compare}", True)


def _own(row, county_name: str, counties: int) -> str:
    """The viewer's county on a card: its value and, where the card is ranked, its rank."""
    if isinstance(row.county_value, float) and math.isnan(row.county_value):
        return f"{county_name}:—"
    unit = "" if row.unit == "%" else row.unit
    text = f"{county_name}:{format_value(row.county_value, row.unit)}{unit}"
    if not math.isnan(row.target):  # only the I1 card has a target
        text += f"(目标 {row.target:,.0f})"
    if not math.isnan(row.county_rank):
        text += f",全市第 {int(row.county_rank)} 名 / {counties}"
    return text


def _own_tiles(df: pd.DataFrame, county_name: str, counties: int) -> str:
    """The viewer's county figures as compact tiles (HTML, every text escaped): shown before the cards on a
    phone only (phone.css), where the cards' own lines are hidden instead."""
    tiles = []
    for row in df.itertuples():
        if row.key == "T1":  # city-wide key tasks: no county figure
            continue
        known = not (isinstance(row.county_value, float) and math.isnan(row.county_value))
        value = format_value(row.county_value, row.unit) if known else "—"
        unit = "" if row.unit == "%" or not known else row.unit
        notes = []
        if not math.isnan(row.target):
            notes.append(f"目标 {row.target:,.0f}")
        if not math.isnan(row.county_rank):
            notes.append(f"全市第 {int(row.county_rank)} 名 / {counties}")
        tiles.append(f'<div class="own-kpi"><div class="own-label">{html.escape(str(row.label))}</div>'
                     f'<div class="own-value">{html.escape(value + unit)}</div>'
                     f'<div class="own-note">{html.escape(" · ".join(notes) or "不排名")}</div></div>')
    return (f'<div class="own-kpis"><div class="own-title">{html.escape(county_name)}(本县)</div>'
            + "".join(tiles) + "</div>")


def kpi_cards(df: pd.DataFrame, county_name: str | None = None, per_row: int = 4, key: str = "kpis") -> None:
    """Metric cards with change and definition (口径) in the help tooltip; a county account sees its own
    figure and rank under the city's (on a phone: its own figures first, as tiles, then the cards two to a row)."""
    colors = {"high": "normal", "low": "inverse", "neutral": "off"}
    counties = len(county_names())
    box = st.container(key=key)
    if county_name:
        box.html(_own_tiles(df, county_name, counties))
    for start in range(0, len(df), per_row):
        for i, (col, row) in enumerate(zip(box.columns(per_row), df.iloc[start:start + per_row].itertuples())):
            with col, st.container(border=True, key=f"kpicard_{key}_{start + i}"):
                value = format_value(row.value, row.unit)
                unit = "" if row.unit == "%" else row.unit
                delta, flat = _delta(row)
                st.metric(row.label, f"{value}{unit}" if value != "—" else value, delta,
                          delta_color="off" if flat else colors[row.better], delta_arrow="off" if flat else "auto",
                          help="口径:" + row.definition)
                if county_name and row.key != "T1":
                    st.markdown(f"**{md(_own(row, county_name, counties))}**")


def filter_row(spec: list[int] | int, key: str) -> list:
    """Columns for a row of pickers: side by side on a wide screen, two to a row on a phone (phone.css)."""
    return st.container(key=f"filters_{key}").columns(spec)


def ranking_table(df: pd.DataFrame, ind: Indicator, *, area_label: str, key: str, highlight: str | None = None,
                  height: int | None = None) -> None:
    """An indicator's table of areas: rank (ranked indicators only), name and value; the viewer's row marked."""
    cols = (["rank_text"] if ind.ranked else []) + ["name", "text"]
    view = df[["code", *cols]].reset_index(drop=True)
    own = view["code"].eq(highlight) if highlight else None
    # a Styler costs its whole table in marshalling (18% of the map page's CPU under load, mostly village tables
    # with no own row): only the table that holds the viewer's own row is styled
    styled = view.style.apply(lambda d: pd.DataFrame(
        [[OWN_ROW if mark else ""] * len(d.columns) for mark in own], index=d.index, columns=d.columns),
        axis=None) if own is not None and own.any() else view
    st.dataframe(styled, hide_index=True, key=key, height=height or "auto", column_order=cols,
                 column_config={"rank_text": st.column_config.TextColumn("排名", width="small"),
                                "name": area_label, "text": ind.name})


def export_button(scope: Scope, *, label: str, key: str, rows: Callable[[], pd.DataFrame], headers: dict[str, str],
                  file_name: str, what: str, note: str) -> None:
    """The one door personal data leaves by: the whole list as .xlsx, built only when clicked, audited then.

    rows() must return the list already scoped and masked for this scope by the data layer.
    """
    address = auth.address()

    def build() -> bytes:
        df = rows()
        audit.record(scope.username, "export", f"{what},共 {len(df):,} 条", address)
        return exports.xlsx(df, headers, note=note)

    st.download_button(label, data=build, file_name=file_name, mime=exports.XLSX, key=key, on_click="ignore",
                       icon=":material/download:")


def document_button(scope: Scope, *, label: str, key: str, build: Callable[[], bytes], file_name: str, mime: str,
                    what: str) -> None:
    """A document built on the server (the 周调度通报), only when clicked, and audited then like every export."""
    address = auth.address()

    def made() -> bytes:
        data = build()
        audit.record(scope.username, "export", what, address)
        return data

    st.download_button(label, data=made, file_name=file_name, mime=mime, key=key, on_click="ignore",
                       icon=":material/download:")


def order(ind: Indicator, key: str) -> bool:
    """Ranking order picker: worst first (to find who lags, the default) or best first; True for worst first."""
    if not ind.ranked:
        st.caption("此项为参考数,不排名(按数值从大到小列出)。")
        return False
    choice = st.segmented_control("排序", ["落后在前", "领先在前"], default="落后在前", key=key)
    return choice != "领先在前"
