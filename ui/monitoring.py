"""Sections of the 防返贫监测 page: filters, the loop, timeliness, measures, eliminations, visits, alerts, the
guarantees, and the household file; every list scoped and masked by the data layer, exported through the door."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data_access import areas, lists, loop
from data_access.monitoring_board import PERIODS, Filters, median_text, period_start
from data_access.scope import AccessDenied, Scope
from ui import cache, components, household

AREA = {"county": "县(市)区", "township": "乡镇", "village": "村"}
CASE_HEADERS = {"case_id": "案例编号", "township": "乡镇", "village": "村", "head_name": "户主(脱敏)",
                "case_type": "监测类型", "risks": "风险"}
CHART = {"displayModeBar": False}


def filters(scope: Scope) -> Filters:
    """The page's filters; a county account is fixed to its own county."""
    c1, c2, c3, c4, c5 = components.filter_row([2, 2, 2, 2, 2], key="monitoring")
    with c1:
        if scope.role == "county":
            st.selectbox("县(市)区", [scope.county], format_func=components.county_names().get, disabled=True,
                         key="mon_county_fixed")
            county = scope.county
        else:
            county = components.county(key="mon_county")
    with c2:
        towns = cache.regions("township", county) if county else pd.DataFrame(columns=["code", "name"])
        names = dict(towns[["code", "name"]].itertuples(index=False))
        township = st.selectbox("乡镇", [None, *names], format_func=lambda t: "全部乡镇" if t is None else names[t],
                                key="mon_township", disabled=county is None)
    with c3:
        case_type = st.selectbox("监测类型", [None, *loop.CASE_TYPES], format_func=lambda t: t or "全部类型",
                                 key="mon_type")
    with c4:
        risk = st.selectbox("风险类型", [None, *loop.RISKS], format_func=lambda r: r or "全部风险", key="mon_risk")
    with c5:
        as_of = components.as_of(key="mon_as_of")
    p1, p2 = st.columns([3, 2])
    with p1:
        kind = st.segmented_control("时段", list(PERIODS), format_func=PERIODS.get, default="year", key="mon_period")
    custom = None
    with p2:
        if kind == "custom":
            custom = st.date_input("起始日期", date(as_of.year, 1, 1), min_value=date(2021, 1, 1), max_value=as_of,
                                   key="mon_start")
    start = period_start(kind or "year", as_of, custom)
    return Filters(as_of=as_of, start=start, county=county, township=township, case_type=case_type, risk=risk)


def period_text(f: Filters) -> str:
    return f"{components.fmt_date(f.start)}至{components.fmt_date(f.as_of)}"


def headline(f: Filters) -> None:
    """The loop's counts in the period with their change against last week."""
    components.kpi_cards(cache.board("headline", f), per_row=4)


def _table(df: pd.DataFrame, headers: dict[str, str], key: str, height: int | None = None) -> None:
    cols = [c for c in headers if c in df.columns]
    st.dataframe(df[cols].rename(columns=headers), hide_index=True, key=key,
                 height=height or min(38 + 35 * len(df), 460))


def _export_table(scope: Scope, df: pd.DataFrame, headers: dict[str, str], what: str, key: str, f: Filters) -> None:
    components.export_button(scope, label="导出此表(Excel)", key=key, rows=lambda: df, headers=headers,
                             file_name=f"{what}_{f.as_of.isoformat()}.xlsx", what=f"导出{what}(汇总表)",
                             note=f"{what} · {period_text(f)}")


def _list(scope: Scope, f: Filters, title: str, name: str, args: dict, headers: dict[str, str], key: str) -> None:
    """The list lists.<name> behind a count: the first 500 rows on screen (cached for this caller), the whole
    list through the export door, and a way into each household's file. Roles without row-level access get a
    sentence instead."""
    st.markdown(f"**{title}**")
    if not scope.row_level:
        st.caption("名单仅对领导小组办公室和县(市)区账号开放;本账号只能查看汇总。")
        return
    try:
        df = cache.rows(name, scope, limit=500, **args)
    except AccessDenied as e:
        st.caption(str(e))
        return
    if df.empty:
        st.caption("没有符合条件的记录。")
        return
    total = len(df) if len(df) < 500 else "500 以上"
    st.caption(f"共 {total} 条(屏幕上最多列出 500 条,导出为全部)。户主姓名已脱敏。")
    household.table(scope, df, headers, f.as_of, key, height=min(38 + 35 * len(df), 460))
    components.export_button(scope, label="导出全部名单(Excel)", key=f"{key}_export",
                             rows=lambda: getattr(lists, name)(scope, limit=None, **args),
                             headers=headers, file_name=f"{title}_{f.as_of.isoformat()}.xlsx",
                             what=f"导出{title}名单,统计时点 {f.as_of}", note=f"{title} · {period_text(f)} · 户主姓名已脱敏")


# ---------------------------------------------------------------- sections


def loop_section(scope: Scope, f: Filters) -> None:
    area = AREA[f.level]
    st.caption(f"时段 {period_text(f)}:发现 → 作出认定 → 纳入 → 开始帮扶 → 消除风险;在监测户数为统计时点数。")
    df = cache.board("funnel", f)
    headers = {"name": area, "discovered": "发现", "decided": "作出认定", "refused": "其中不予纳入", "included": "纳入",
               "assisted": "开始帮扶", "eliminated": "消除风险", "households": "在监测户数"}
    _table(df, headers, key="funnel_table")
    _export_table(scope, df, headers, "监测帮扶闭环", "funnel_export", f)
    parts = cache.board("breakdown", f)
    left, right = st.columns(2)
    with left:
        st.markdown("**在监测对象:按监测类型**")
        st.plotly_chart(_bars(parts["types"], "name", "cases", "户"), config=CHART, key="types_chart")
    with right:
        st.markdown("**在监测对象:按风险类型**(一户多项风险分别计)")
        st.plotly_chart(_bars(parts["risks"], "name", "cases", "户"), config=CHART, key="risks_chart")
    st.markdown("**2021年以来每月纳入与消除风险**")
    monthly = parts["monthly"]
    fig = go.Figure([go.Bar(x=monthly["month"], y=monthly["included"], name="纳入"),
                     go.Bar(x=monthly["month"], y=monthly["eliminated"], name="消除风险")])
    fig.update_layout(barmode="group", height=320, margin=dict(l=10, r=10, t=10, b=10), legend=dict(orientation="h"),
                      yaxis=dict(tickformat=",d"), font=dict(size=14))
    st.plotly_chart(fig, config=CHART, key="monthly_chart")


def _bars(df: pd.DataFrame, x: str, y: str, unit: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=df[y], y=df[x], orientation="h", text=[f"{int(v):,}" for v in df[y]],
                           textposition="auto", hovertemplate="%{y}:%{x:,d}" + unit + "<extra></extra>"))
    fig.update_layout(height=40 + 28 * len(df), margin=dict(l=10, r=10, t=10, b=10), xaxis=dict(tickformat=",d"),
                      yaxis=dict(autorange="reversed"), font=dict(size=14))
    return fig


def timeliness_section(scope: Scope, f: Filters) -> None:
    t = cache.board("timeliness", f)
    st.caption(f"识别认定及时率:{period_text(f)} 作出认定的监测对象中,认定日期距发现日期不超过15天的占比;"
               "逾期未认定为统计时点发现15天以上仍未认定的户数。")
    areas_ = t["areas"].assign(median=[median_text(v) for v in t["areas"]["median_days"]])
    headers = {"name": AREA[f.level], "decided": "作出认定", "timely": "15天内认定", "rate_text": "及时率",
               "median": "中位用时", "overdue": "逾期未认定"}
    _table(areas_, headers, key="timely_table")
    _export_table(scope, areas_, headers, "识别认定及时性", "timely_export", f)
    left, right = st.columns(2)
    with left:
        st.markdown("**按发现渠道**")
        channels = t["channels"].assign(median=[median_text(v) for v in t["channels"]["median_days"]])
        _table(channels, {"channel": "发现渠道", "decided": "作出认定", "timely": "15天内认定", "rate_text": "及时率",
                          "median": "中位用时"}, key="channel_table")
    with right:
        st.markdown("**从发现到认定的天数分布**")
        days = t["days"]
        fig = go.Figure(go.Bar(x=days["days"], y=days["decisions"],
                               marker_color=["#2e7d32" if d <= 15 else "#c62828" for d in days["days"]],
                               hovertemplate="%{x} 天:%{y:,d} 户<extra></extra>"))
        fig.add_vline(x=15.5, line_dash="dash", line_color="#555")
        fig.update_layout(height=280, margin=dict(l=10, r=10, t=10, b=10), xaxis_title="天数(虚线为15天)",
                          yaxis=dict(tickformat=",d"), font=dict(size=14))
        st.plotly_chart(fig, config=CHART, key="days_chart")
    _list(scope, f, "逾期未认定名单", "overdue_cases", dict(as_of=f.as_of, county=f.county, township=f.township, **f.cases),
          {**CASE_HEADERS, "discovered_on": "发现日期", "days": "已等待天数", "channel": "发现渠道"}, "overdue")


def coverage_section(scope: Scope, f: Filters) -> None:
    st.caption("帮扶措施覆盖率、风险措施匹配率:统计时点在监测且纳入满30天的监测对象;开发式帮扶落实率:家中有16至60周岁具备劳动能力成员的"
               "在监测对象。风险与措施类别的对应关系为设置项。")
    df = cache.board("coverage", f)
    headers = {"name": AREA[f.level], "settled": "纳入满30天", "with_measure": "已有措施", "m6_text": "措施覆盖率",
               "matched": "风险均有对应措施", "m7_text": "风险措施匹配率", "able": "有劳动能力户", "developmental": "有开发式帮扶",
               "m8_text": "开发式帮扶落实率"}
    _table(df, headers, key="coverage_table")
    _export_table(scope, df, headers, "帮扶措施落实", "coverage_export", f)
    kw = dict(as_of=f.as_of, county=f.county, township=f.township, **f.cases)
    _list(scope, f, "无帮扶措施的监测对象", "no_measure_cases", kw,
          {**CASE_HEADERS, "included_on": "纳入日期", "days": "纳入天数"}, "no_measure")
    _list(scope, f, "风险无对应措施的监测对象", "unmatched_cases", kw,
          {**CASE_HEADERS, "unmatched": "无对应措施的风险", "measures": "已有措施"}, "unmatched")
    _list(scope, f, "有劳动能力但无开发式帮扶的监测对象", "no_developmental_cases", kw,
          {**CASE_HEADERS, "able": "有劳动能力人数", "measures": "已有措施"}, "no_dev")


def compliance_section(scope: Scope, f: Filters) -> None:
    st.caption(f"{period_text(f)} 消除风险的监测对象逐条核对消除规则;监测范围(收入线)按省份、年度设置。"
               "风险消除率仅供参考:风险消除不设置比例要求,不排名、不评价好坏。")
    if areas.province() is None:
        st.warning("未设置监测范围所属省份(数据中没有,也未设置 DASHBOARD_PROVINCE),“收入低于监测范围”一条无法核对,计为0。")
    df = cache.board("compliance", f)
    headers = {"name": AREA[f.level], "eliminated": "消除风险", "violating": "违规消除",
               **{k: v for k, v in loop.RULES.items()}, "m12_text": "风险消除率(仅供参考)"}
    _table(df, headers, key="compliance_table")
    _export_table(scope, df, headers, "风险消除合规", "compliance_export", f)
    _list(scope, f, "违规消除名单", "violating_eliminations", dict(
        start=f.start, end=f.as_of, province=areas.province(), county=f.county, township=f.township, **f.cases),
        {**CASE_HEADERS, "included_on": "纳入日期", "eliminated_on": "消除日期", "days": "监测天数",
                     "rules": "违反的规则", "measures_before": "消除前措施数", "income_year": "收入年度", "income": "人均纯收入",
                     "line": "当年监测范围", "check_on": "消除前最近核查", "check_failures": "核查未达标项",
                     "able": "有劳动能力人数"}, "violations")


def visits_section(scope: Scope, f: Filters) -> None:
    st.caption("走访及时率:统计时点在监测的监测对象中,统计时点前30天内(含当天)有走访记录的占比。")
    df = cache.board("visits", f)
    headers = {"name": AREA[f.level], "monitored": "在监测", "visited": "30天内已走访", "unvisited": "未走访",
               "m10_text": "走访及时率"}
    _table(df, headers, key="visits_table")
    _export_table(scope, df, headers, "跟踪回访", "visits_export", f)
    _list(scope, f, "30天内未走访的监测对象", "unvisited_cases",
          dict(as_of=f.as_of, county=f.county, township=f.township, **f.cases),
        {**CASE_HEADERS, "included_on": "纳入日期", "last_visit": "最近走访", "visitor": "走访人", "days": "距今天数"},
        "unvisited")


def alerts_section(scope: Scope, f: Filters) -> None:
    st.caption(f"预警核查及时率:{period_text(f)} 接收、且接收已满15天的部门预警中,15天内完成核查的占比。")
    t = cache.board("alerts", f)
    headers = {"name": AREA[f.level], "received": "接收", "due": "已满15天", "timely": "15天内核查", "m11_text": "及时率",
               "verified": "已核查", "pending_alerts": "超期未核查"}
    _table(t["areas"], headers, key="alert_area_table")
    st.markdown("**按预警部门**")
    s_headers = {"source": "预警部门", "received": "接收", "due": "已满15天", "timely": "15天内核查", "m11_text": "及时率",
                 "included": "核查后纳入", "refused": "不纳入", "already": "已是监测对象", "waiting": "超期未核查"}
    _table(t["sources"], s_headers, key="alert_source_table")
    _export_table(scope, t["sources"], s_headers, "部门预警核查", "alerts_export", f)
    _list(scope, f, "超期未核查的部门预警", "pending_alerts", dict(as_of=f.as_of, county=f.county, township=f.township),
        {"alert_id": "预警编号", "township": "乡镇", "village": "村", "head_name": "户主(脱敏)", "source": "预警部门",
         "kind": "预警类型", "received_on": "接收日期", "days": "已等待天数"}, "pending")


def guarantees_section(scope: Scope, f: Filters) -> None:
    st.caption("两不愁三保障及饮水:脱贫户和已纳入监测的户,按统计时点以前最近一次核查;失学辍学为6至15周岁。"
               "此节不受监测类型、风险类型筛选影响。")
    df = cache.board("guarantees", f)
    headers = {"name": AREA[f.level], "guarantee_households": "户数", "unsafe_housing": "住房安全问题户",
               "dropouts": "失学辍学人数", "guarantee_persons": "人数", "insured": "参加基本医保", "g3_text": "参保率",
               "unsafe_water": "饮水安全问题户"}
    _table(df, headers, key="guarantee_table")
    _export_table(scope, df, headers, "两不愁三保障及饮水", "guarantee_export", f)
    kw = dict(as_of=f.as_of, county=f.county, township=f.township)
    h_headers = {"township": "乡镇", "village": "村", "head_name": "户主(脱敏)", "tuopin": "类别", "checked_on": "核查日期",
                 "finding": "未达标项"}
    m_headers = {"township": "乡镇", "village": "村", "name": "姓名(脱敏)", "relation": "与户主关系", "age": "年龄",
                 "detail": "情况"}
    choices = {"g1": ("住房安全问题户", "unsafe_housing", h_headers), "g2": ("失学辍学人员", "dropouts", m_headers),
               "g3": ("未参加基本医保人员", "uninsured", m_headers), "g4": ("饮水安全问题户", "unsafe_water", h_headers)}
    key = st.segmented_control("名单", list(choices), format_func=lambda k: choices[k][0], default="g1",
                               key="mon_g_list") or "g1"
    title, name, headers_ = choices[key]
    _list(scope, f, title, name, kw, headers_, key)
