"""Recurring widgets and blocks: header with data date and demo badge, pickers, KPI cards."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from data_access.indicators import INDICATORS, Indicator, format_value
from ui import cache

WEEKS_BACK = 12


def fmt_date(d: date) -> str:
    """2026年11月28日."""
    return f"{d.year}年{d.month}月{d.day}日"


def data_date() -> date:
    """The data's as-of date (数据截至)."""
    info = cache.dataset_info()
    return date.fromisoformat(info["data_date"]) if "data_date" in info else date.today()


def is_demo() -> bool:
    """True while the data is the synthetic demo set (the 演示数据 badge shows)."""
    return cache.dataset_info().get("source") == "demo"


def header(title: str, subtitle: str | None = None) -> None:
    """Page title with 数据截至 and, while the data is synthetic, the 演示数据 badge."""
    st.title(title)
    line = st.container(horizontal=True, vertical_alignment="center")
    with line:
        st.caption(f"数据截至 {fmt_date(data_date())}" + (f" · {subtitle}" if subtitle else ""))
        if is_demo():
            st.badge("演示数据", icon=":material/science:", color="orange",
                     help="当前为程序生成的演示数据,不是真实统计数字")


def as_of(key: str) -> date:
    """As-of picker: the data date and the previous Sundays (weekly report dates)."""
    latest = data_date()
    sunday = latest - timedelta(days=(latest.weekday() + 1) % 7)
    sundays = [sunday - timedelta(weeks=k) for k in range(WEEKS_BACK)]
    options = [latest] + [d for d in sundays if d != latest]
    return st.selectbox("统计时点", options, key=key,
                        format_func=lambda d: fmt_date(d) + ("(最新)" if d == latest else "(周报)"))


def county_names() -> dict[str, str]:
    """County code -> name, in code order."""
    return dict(cache.regions("county")[["code", "name"]].itertuples(index=False))


def county(key: str, label: str = "县(市)区", allow_all: bool = True, default: str | None = None) -> str | None:
    """County picker (a county account starts on its own county); None means the whole city."""
    names = county_names()
    codes = ([None] if allow_all else []) + list(names)
    index = codes.index(default) if default in codes else 0
    return st.selectbox(label, codes, index=index, format_func=lambda c: "全市" if c is None else names[c], key=key)


def indicator(key: str, codes: list[str] | None = None) -> Indicator:
    """Indicator picker over the registry."""
    codes = codes or list(INDICATORS)
    code = st.selectbox("指标", codes, format_func=lambda c: f"{INDICATORS[c].name}({c})", key=key)
    return INDICATORS[code]


def _delta(row) -> tuple[str | None, bool]:
    """Change text and whether it is zero (shown grey, without an arrow)."""
    if any(isinstance(v, float) and math.isnan(v) for v in (row.value, row.previous)):
        return None, True
    diff = row.value - row.previous
    if row.unit == "%":
        points = round(diff * 100, 1)
        return (f"{points:+.1f}个百分点 {row.compare}", False) if points else (f"持平 {row.compare}", True)
    n = round(diff)
    return (f"{n:+,} {row.compare}", False) if n else (f"持平 {row.compare}", True)


def kpi_cards(df: pd.DataFrame, per_row: int = 4) -> None:
    """Metric cards with change and definition (口径) in the help tooltip."""
    colors = {"high": "normal", "low": "inverse", "neutral": "off"}
    rows = [df.iloc[i:i + per_row] for i in range(0, len(df), per_row)]
    for chunk in rows:
        for col, row in zip(st.columns(per_row), chunk.itertuples()):
            with col:
                value = format_value(row.value, row.unit)
                unit = "" if row.unit == "%" else row.unit
                delta, flat = _delta(row)
                st.metric(row.label, f"{value}{unit}" if value != "—" else value, delta,
                          delta_color="off" if flat else colors[row.better], delta_arrow="off" if flat else "auto",
                          help="口径:" + row.definition, border=True)


def definition(ind: Indicator) -> None:
    """The indicator's definition (口径说明) next to its numbers."""
    st.caption(f"口径说明({ind.code}):{ind.definition}" + (f"。{ind.note}" if ind.note else ""))
