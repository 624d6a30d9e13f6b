"""The presentation screen (大屏): dark, large type, one panel at a time in rotation, aggregates only.

Every figure comes from an aggregate function (the screen role has no row-level access at all: the data layer
refuses it), and the data date is read afresh on each rotation, so new data shows without a reload.
"""

from __future__ import annotations

import html
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data_access import areas, indicators, weekly
from data_access.settings import settings
from ui import cache, components

PANELS = {"kpi": "核心指标", "map": "县域分布", "ranking": "考核排名", "industry": "一村一品与集体经济", "tasks": "重点任务"}
DARK = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"] {display: none !important;}
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {background: #08182b !important; color: #e8eef6;}
[data-testid="stMainBlockContainer"] {padding: 1.2rem 2.5rem; max-width: 100%;}
.stApp h1, .stApp h2, .stApp h3, [data-testid="stMarkdownContainer"] p, [data-testid="stMetricLabel"] p,
[data-testid="stMetricValue"] div {color: #e8eef6 !important;}
[data-testid="stMetric"] {background: #0f2742; border-radius: 10px; padding: 18px 22px;}
[data-testid="stMetricLabel"] p {font-size: 1.6rem !important;}
[data-testid="stMetricValue"] {font-size: 3.4rem !important;}
[data-testid="stMetricDelta"] {font-size: 1.3rem !important; background: #1b3a5c !important;}
[data-testid="stMetricDelta"] div {color: #e8eef6 !important;}
.stApp h1 {font-size: 2.5rem !important; letter-spacing: 0.05em; padding: 0;}
.screen-meta {font-size: 1.5rem; color: #9fb6d0;}
.screen-panel {font-size: 2.1rem; font-weight: 600; color: #ffd479;}
.screen-table {width: 100%; border-collapse: collapse; font-size: 1.7rem;}
.screen-table td, .screen-table th {border-bottom: 1px solid #24405f; padding: 8px 14px; text-align: left;}
.screen-table th {color: #9fb6d0; font-weight: 500;}
.up {color: #5fd38d;} .down {color: #ff7b7b;}
</style>"""
CHART = {"displayModeBar": False, "staticPlot": True}


def style() -> None:
    """Dark theme, large type, no sidebar or toolbar."""
    st.html(DARK)


def title() -> str:
    """绥化市巩固拓展脱贫攻坚成果同乡村振兴有效衔接 (the city's name from the data)."""
    city = cache.regions("city")
    return (str(city["name"].iloc[0]) if len(city) else "") + "巩固拓展脱贫攻坚成果同乡村振兴有效衔接"


def data_date() -> date:
    """The data date read afresh (not from the ten-minute cache): a new data date shows on the next panel."""
    return areas.data_date()


def header(as_of: date, panel: str, index: int) -> None:
    """Title, 数据截至, the panel's name with its place in the rotation, and the time."""
    left, right = st.columns([3, 2])
    with left:
        st.title(title())
        demo = "(演示数据)" if components.is_demo() else ""
        st.markdown(f'<div class="screen-meta">数据截至 {components.fmt_date(as_of)}{demo}</div>', unsafe_allow_html=True)
    with right:
        dots = " ".join("●" if i == index else "○" for i in range(len(PANELS)))
        st.markdown(f'<div class="screen-panel">{html.escape(panel)} <span class="screen-meta">{dots}</span></div>'
                    f'<div class="screen-meta">{datetime.now():%Y年%m月%d日 %H:%M}</div>', unsafe_allow_html=True)


def kpi(as_of: date) -> None:
    components.kpi_cards(cache.kpis(as_of), per_row=4)


def county_map(as_of: date) -> None:
    code = settings().screen_indicator
    ind = indicators.INDICATORS.get(code, indicators.INDICATORS["M1"])
    st.markdown(f'<div class="screen-panel">{html.escape(ind.name)}({html.escape(cache.period_label(ind.code, as_of))})'
                "</div>", unsafe_allow_html=True)
    fig = go.Figure(cache.county_map(ind.code, as_of, None, 820))
    fig.update_layout(paper_bgcolor="#08182b", plot_bgcolor="#08182b", font=dict(color="#e8eef6", size=22))
    st.plotly_chart(fig, config=CHART, key="screen_map")


def ranking(as_of: date) -> None:
    df = cache.assessment("ranking", as_of=as_of)
    rows = []
    for r in df.itertuples():
        cls = "up" if r.change.startswith("↑") else "down" if r.change.startswith("↓") else ""
        rows.append(f"<tr><td>{int(r.rank)}</td><td>{html.escape(str(r.name))}</td><td>{r.total:.2f}</td>"
                    f"<td>{html.escape(r.grade)}</td><td class='{cls}'>{html.escape(r.change)}</td></tr>")
    st.markdown("<table class='screen-table'><tr><th>名次</th><th>县(市)区</th><th>总分</th><th>等次</th><th>较上周</th>"
                "</tr>" + "".join(rows) + "</table>", unsafe_allow_html=True)


def _bars(df: pd.DataFrame, value: str, text: str, title: str, colour: str) -> go.Figure:
    fig = go.Figure(go.Bar(y=[html.escape(str(n)) for n in df["name"]], x=df[value], orientation="h",
                           marker_color=colour, text=df[text], textposition="outside"))
    fig.update_layout(title=dict(text=title, font=dict(size=28, color="#ffd479")), height=760,
                      margin=dict(l=10, r=90, t=70, b=10), paper_bgcolor="#08182b", plot_bgcolor="#08182b",
                      font=dict(color="#e8eef6", size=24), yaxis=dict(autorange="reversed", tickfont=dict(size=24)),
                      xaxis=dict(showgrid=False, visible=False), uniformtext=dict(minsize=20))
    return fig


def industry(as_of: date) -> None:
    left, right = st.columns(2)
    i1 = cache.indicator_table("I1", as_of).sort_values("code")
    i3 = cache.indicator_table("I3", as_of).sort_values("code")
    with left:
        st.plotly_chart(_bars(i1, "value", "text", f"一村一品专业村({cache.period_label('I1', as_of)})", "#5fb3f5"),
                        config=CHART, key="screen_i1")
    with right:
        st.plotly_chart(_bars(i3.fillna({"value": 0}), "value", "text",
                              f"经营性收入10万元以上村占比({cache.period_label('I3', as_of)})", "#5fd38d"),
                        config=CHART, key="screen_i3")


def tasks(as_of: date) -> None:
    df = cache.weekly("key_tasks", as_of=as_of)
    counts = weekly.task_counts(df)
    for col, status in zip(st.columns(4), weekly.STATUSES, strict=True):
        col.metric(status, f"{counts[status]} 项")
    over = df[df["status"] == "逾期"].sort_values("days_over", ascending=False).head(8)
    rows = "".join(f"<tr><td>{html.escape(str(r.title))}</td><td>{html.escape(str(r.lead_department))}</td>"
                   f"<td class='down'>逾期{int(r.days_over)}天</td></tr>" for r in over.itertuples())
    if rows:
        st.markdown("<table class='screen-table'><tr><th>逾期重点任务</th><th>牵头单位</th><th></th></tr>" + rows
                    + "</table>", unsafe_allow_html=True)


DRAW = {"kpi": kpi, "map": county_map, "ranking": ranking, "industry": industry, "tasks": tasks}


def show(index: int) -> None:
    """One panel of the rotation (index modulo the panels), under the header."""
    keys = list(PANELS)
    key = keys[index % len(keys)]
    as_of = data_date()
    header(as_of, PANELS[key], index % len(keys))
    DRAW[key](as_of)
