"""Village and project files (村档案, 项目档案) of the industry pages: inline under a map, or in a dialog from a list."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_access import profiles
from data_access.scope import AccessDenied, Scope
from ui import components

MONEY = st.column_config.NumberColumn(format="%.0f")


def _wan(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{float(v) / 1e4:,.2f}万元"


def _pct(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{float(v) * 100:.1f}%"


def village_file(scope: Scope, code: str, as_of: date) -> None:
    """One village's specialty industry, collective income, projects and PV station at the picked date."""
    try:
        v = profiles.village(scope, code, as_of=as_of)
    except (KeyError, ValueError):
        st.warning("没有找到该村。")
        return
    tag = " · 脱贫村" if v["tuopin"] else ""
    st.markdown(f"#### {components.md(v['county'])} {components.md(v['township'])} {components.md(v['name'])}{tag}")
    st.caption(f"村代码 {v['code']} · 统计时点 {components.fmt_date(as_of)} · 年度数字为已结束年度")
    sv = v["specialty"]
    if sv:
        st.markdown(components.md(f"一村一品:{sv['industry']}({sv['category']}),{sv['level']},{sv['year_recognised']}年"
                                  f"{'列入培育' if sv['status'] == '培育' else '认定'},当前状态{sv['status']}"))
        if len(v["metrics"]):
            m = v["metrics"].assign(output=lambda d: d["output"].map(_wan), agri_output=lambda d: d["agri_output"].map(_wan),
                                    share=lambda d: d["share"].map(_pct))
            st.dataframe(m.rename(columns={"year": "年度", "output": "主导产业产值", "agri_output": "农业总产值",
                                           "share": "产值占比", "households_linked": "联农带农户数",
                                           "per_capita_income": "村民人均收入(元)"}), hide_index=True)
    else:
        st.caption("该村不是一村一品专业村。")
    st.markdown("**村集体经营性收入**")
    if v["collective"].empty:
        st.caption("没有已结束年度的集体经济数据。")
    else:
        c = v["collective"].assign(operating=lambda d: d["operating"].map(_wan), total=lambda d: d["total"].map(_wan),
                                   subsidy_income=lambda d: d["subsidy_income"].map(_wan))
        st.dataframe(c.rename(columns={"year": "年度", "operating": "经营性收入", "tier": "分档", "total": "总收入",
                                       "subsidy_income": "补助收入"}), hide_index=True)
    st.markdown("**产业项目**")
    if v["projects"] is None:
        st.caption("项目明细仅对领导小组办公室和本县(市)区账号开放。")
    elif v["projects"].empty:
        st.caption("该村在统计时点没有产业项目。")
    else:
        st.dataframe(v["projects"].rename(columns=PROJECT_HEADERS), hide_index=True,
                     column_config={"投资(元)": MONEY, "年收益(元)": MONEY})
    if len(v["pv"]):
        st.markdown("**村级光伏电站**")
        st.dataframe(v["pv"].rename(columns={"station_id": "电站编号", "kw": "装机(千瓦)", "built_year": "建成年份",
                                             "year": "年度", "generation": "发电量(千瓦时)", "income": "收益(元)"}),
                     hide_index=True)


PROJECT_HEADERS = {"project_id": "项目编号", "name": "项目名称", "industry": "产业", "year": "年度", "status": "统计时点状态",
                   "investment": "投资(元)", "revenue": "年收益(元)"}


def project_file(scope: Scope, project_id: int, as_of: date) -> None:
    """One project's facts, dated statuses up to the picked date and assets."""
    try:
        p = profiles.project(scope, project_id, as_of=as_of)
    except AccessDenied as e:
        st.warning(str(e))
        return
    except KeyError:
        st.warning("统计时点没有该项目(尚未开工或不存在)。")
        return
    info = p["project"]
    st.markdown(f"#### {components.md(info['name'])}")
    st.caption(components.md(f"{info['county']} {info['township']} {info['village']} · 项目编号 {info['id']} · "
                             f"{info['year']}年 · {info['fund_source']} · 统计时点 {components.fmt_date(as_of)}"))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("统计时点状态", info["status"], help=f"自 {info['since']} 起")
    c2.metric("投资", _wan(info["investment"]))
    c3.metric("年收益", _wan(info["revenue"]))
    c4.metric("联农带农户数", f"{int(info['households_linked']):,}")
    left, right = st.columns([1, 2])
    with left:
        st.markdown("**状态变化**")
        st.dataframe(p["history"].rename(columns={"changed_on": "日期", "status": "状态"}), hide_index=True)
    with right:
        st.markdown("**形成资产**")
        if p["assets"].empty:
            st.caption("统计时点尚未形成资产。")
        else:
            st.dataframe(p["assets"].rename(columns=ASSET_HEADERS), hide_index=True, column_config={"价值(元)": MONEY})


ASSET_HEADERS = {"asset_id": "资产编号", "asset_class": "类别", "kind": "资产", "value": "价值(元)", "owner": "所有权人",
                 "state": "状态", "disposal": "处置", "formed_on": "形成日期"}


@st.dialog("村档案", width="large")
def village_dialog(scope: Scope, code: str, as_of: date) -> None:
    """The village file in a dialog."""
    village_file(scope, code, as_of)


@st.dialog("项目档案", width="large")
def project_dialog(scope: Scope, project_id: int, as_of: date) -> None:
    """The project file in a dialog."""
    project_file(scope, project_id, as_of)
