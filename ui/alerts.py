"""The overview's 本周预警: every alert visible, coloured by level, each opening the list behind it."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_access import lists
from data_access.periods import week_start
from data_access.scope import Scope
from ui import cache, components

OPEN = "alert_open"  # (kind, county code) of the alert whose list is shown
BADGE = {"红": "red", "黄": "orange"}
UNIT = {"overdue": "户", "late": "户", "pending_alerts": "条", "weak_projects": "个"}
CASE_HEADERS = {"case_id": "案例编号", "township": "乡镇", "village": "村", "head_name": "户主(脱敏)",
                "case_type": "监测类型", "channel": "发现渠道", "discovered_on": "发现日期", "decided_on": "认定日期",
                "days": "天数", "risks": "风险"}
ALERT_HEADERS = {"alert_id": "预警编号", "township": "乡镇", "village": "村", "head_name": "户主(脱敏)", "source": "预警部门",
                 "kind": "预警类型", "received_on": "接收日期", "days": "已等待天数"}
PROJECT_HEADERS = {"project_id": "项目编号", "township": "乡镇", "village": "村", "name": "项目名称", "industry": "产业",
                   "status": "状态", "since": "状态起始日期", "investment": "投资额(元)"}


def _toggle(kind: str, county: str) -> None:
    st.session_state[OPEN] = None if st.session_state.get(OPEN) == (kind, county) else (kind, county)


def section(as_of: date) -> None:
    """The week's alerts grouped by item, red first; a county opens its list (drawn by opened())."""
    st.subheader(f"{components.week_label(as_of)}预警")
    df = cache.alerts(as_of)
    if df.empty:
        st.success("本周无预警事项。")
        return
    red = df[df["level"] == "红"]
    st.caption(f"红色预警 {len(red)} 项,黄色预警 {len(df) - len(red)} 项。红色为识别认定超期,须在周调度会上逐项销号;"
               "点击县(市)区查看背后的名单。")
    names = components.county_names()
    for (level, item, kind), group in df.groupby(["level", "item", "kind"], sort=False):
        with st.container(horizontal=True, vertical_alignment="center"):
            st.badge(f"{level}色", color=BADGE[level])
            total = int(group["count"].sum())
            st.markdown(f"**{item}**(共 {total:,} {UNIT.get(kind, '项')})")
        if kind == "task":
            _tasks(group)
            continue
        with st.container(horizontal=True, gap="small"):  # wraps onto more rows when the counties do not fit
            for code, n in zip(group["county_code"], group["count"]):
                chosen = st.session_state.get(OPEN) == (kind, code)
                st.button(f"{components.md(names.get(code, code))} {n:,}", key=f"alert_{kind}_{code}", on_click=_toggle,
                          args=(kind, code), type="primary" if chosen else "secondary")


def opened(scope: Scope, as_of: date) -> None:
    """The list behind the alert the user opened, full width under the overview."""
    df = cache.alerts(as_of)
    chosen = st.session_state.get(OPEN)
    if chosen and chosen[1] in set(df.loc[df["kind"] == chosen[0], "county_code"]):
        _behind(scope, as_of, *chosen, components.county_names())


def _tasks(group: pd.DataFrame) -> None:
    """Overdue key tasks in full, one line each: lead department, how late, the last progress reported."""
    st.markdown("\n".join(f"- {components.md(detail)}" for detail in group["detail"]))


def _behind(scope: Scope, as_of: date, kind: str, county: str, names: dict[str, str]) -> None:
    """The list behind one alert: rows for roles that may read them (county accounts: their own county),
    the count per township for the others."""
    name = names.get(county, county)
    title = {"overdue": "逾期未认定", "late": "本周超期认定", "pending_alerts": "部门预警超期未核查",
             "weak_projects": "弱质闲置项目"}[kind]
    st.subheader(f"{components.md(name)} · {title}({components.week_label(as_of) if kind == 'late' else '统计时点'}名单)")
    if not scope.row_level or (scope.role == "county" and county != scope.county):
        st.caption("本账号只能查看汇总:以下为各乡镇数量。名单仅对领导小组办公室和本县(市)区账号开放。")
        st.dataframe(_by_township(kind, as_of, county), hide_index=True)
        return
    fetch, headers = _list(scope, kind, as_of, county)
    df = fetch(500)
    st.dataframe(df.rename(columns=headers), hide_index=True, height=min(38 + 35 * len(df), 420),
                 column_order=list(headers.values()))
    components.export_button(
        scope, label="导出名单(Excel)", key=f"export_{kind}", rows=lambda: fetch(None), headers=headers,
        file_name=f"{title}_{name}_{as_of.isoformat()}.xlsx", what=f"导出{title}名单:{name},统计时点 {as_of}",
        note=f"{name}{title}名单,统计时点 {components.fmt_date(as_of)}" + ("(户主姓名已脱敏)" if kind != "weak_projects" else ""))


def _list(scope: Scope, kind: str, as_of: date, county: str):
    if kind == "overdue":
        return (lambda n: lists.overdue_cases(scope, as_of=as_of, county=county, limit=n)), \
            {k: v for k, v in CASE_HEADERS.items() if k != "decided_on"} | {"days": "已等待天数"}
    if kind == "late":
        return (lambda n: lists.late_decisions(scope, start=week_start(as_of), end=as_of, county=county, limit=n)), \
            CASE_HEADERS | {"days": "认定用时(天)"}
    if kind == "pending_alerts":
        return (lambda n: lists.pending_alerts(scope, as_of=as_of, county=county, limit=n)), ALERT_HEADERS
    return (lambda n: lists.weak_projects(scope, as_of=as_of, county=county, limit=n)), PROJECT_HEADERS


def _by_township(kind: str, as_of: date, county: str) -> pd.DataFrame:
    return cache.alert_townships(kind, as_of, county).rename(columns={"name": "乡镇", "count": "数量"})
