"""The 周调度 page's sections: the week at a glance, key tasks with their progress, and the meeting's actions."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from data_access import audit, weekly
from data_access.scope import Scope
from ui import alerts, auth, cache, components

STATUS_CSS = {"逾期": "background-color: #f4a6a6", "滞后": "background-color: #fff3c4", "按期": "background-color: #e5f5e0",
              "完成": "background-color: #c7e9c0", "进行中": "", "已完成": "background-color: #c7e9c0"}
OFFICE = ("office", "admin")
PRESENT_CSS = """<style>
[data-testid="stMainBlockContainer"] {font-size: 1.35rem;}
[data-testid="stMainBlockContainer"] h1 {font-size: 3.2rem;}
[data-testid="stMainBlockContainer"] h3 {font-size: 2.1rem;}
[data-testid="stMetricValue"] {font-size: 3rem;}
[data-testid="stSidebar"] {display: none;}
</style>"""


FLASH = "wk_flash"


def _done(message: str) -> None:
    """After a record: fresh figures on a rerun, with the message shown at the top of the section."""
    cache.weekly.clear()
    cache.weekly_report.clear()
    cache.weekly_files.clear()
    st.session_state[FLASH] = message
    st.rerun()


def flash() -> None:
    """The message of the last record, once."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)


def present() -> None:
    """Projector type: larger text, no sidebar (the week picker stays)."""
    st.html(PRESENT_CSS)


def glance(scope: Scope, as_of: date, before: date) -> None:
    """What changed since last week: rank changes, the largest movers, the alerts, each opening its list."""
    ranking = cache.assessment("ranking", as_of=as_of)
    moved = ranking[ranking["change"].str[:1].isin(["↑", "↓"])]
    st.subheader("考核排名变化")
    if moved.empty:
        st.caption(f"与 {components.fmt_date(before)} 相比,各县(市)区名次没有变化。")
    else:
        st.markdown(" · ".join(f"**{components.md(r.name)}** 第{int(r.rank)}名({r.change})" for r in moved.itertuples()))
    st.caption("名次为考核排名的正式结果(每周日计算并保存);点击左侧“考核排名”查看各县失分说明。")
    movers = cache.weekly("movers", as_of=as_of, before=before)
    left, right = st.columns(2)
    headers = {"county_name": "县(市)区", "name": "指标", "text": "变化", "points_change": "得分变化"}
    for col, better, title in ((left, True, "进步最大"), (right, False, "退步最大")):
        part = movers[movers["better"] == better]
        with col:
            st.markdown(f"**{title}**(较 {components.fmt_date(before)})")
            if part.empty:
                st.caption("无")
                continue
            st.dataframe(part[list(headers)].rename(columns=headers).style.format({"得分变化": "{:+.2f}"}),
                         hide_index=True, key=f"wk_movers_{int(better)}")
    alerts.section(as_of)
    alerts.opened(scope, as_of)


TASK_HEADERS = {"status": "状态", "plan_section": "实施方案条目", "title": "重点任务", "lead_department": "牵头单位",
                "counties": "责任地区", "target": "目标", "deadline": "完成时限", "percent": "最近进度(%)",
                "expected": "应达进度(%)", "note": "进展情况", "week_end": "报告周", "days_over": "逾期天数"}


def tasks(scope: Scope, as_of: date, *, presenting: bool) -> None:
    """Key tasks by plan section with status colours, the overdue list, and progress reports (office)."""
    df = cache.weekly("key_tasks", as_of=as_of)
    counts = weekly.task_counts(df)
    cols = st.columns(4)
    for col, status in zip(cols, weekly.STATUSES, strict=True):
        col.metric(status, f"{counts[status]} 项")
    st.caption(f"{as_of.year}年重点任务(按《实施方案》条目分解)及此前年度逾期未完成的任务。逾期:已过完成时限仍未完成;"
               f"滞后:最近报告的进度比时间进度落后{weekly.BEHIND}个百分点以上或从未报告;完成:已在统计时点前完成。")
    if not presenting:
        c1, c2 = st.columns(2)
        status = c1.multiselect("状态", list(weekly.STATUSES), key="wk_task_status", placeholder="全部")
        dept = c2.multiselect("牵头单位", sorted(df["lead_department"].unique()), key="wk_task_dept", placeholder="全部")
        if status:
            df = df[df["status"].isin(status)]
        if dept:
            df = df[df["lead_department"].isin(dept)]
    shown = df
    view = shown[list(TASK_HEADERS)].rename(columns=TASK_HEADERS)
    styled = view.style.map(lambda v: STATUS_CSS.get(v, ""), subset=["状态"]).format(
        {"最近进度(%)": "{:.0f}", "应达进度(%)": "{:.0f}"}, na_rep="—")
    st.dataframe(styled, hide_index=True, key="wk_tasks",
                 height=min(38 + 35 * len(view), 560))
    components.export_button(scope, label="导出重点任务(Excel)", key="wk_tasks_export", rows=lambda: shown,
                             headers=TASK_HEADERS, file_name=f"重点任务推进_{as_of.isoformat()}.xlsx",
                             what=f"导出重点任务推进表,统计时点 {as_of}",
                             note=f"重点任务推进情况 · 统计时点 {components.fmt_date(as_of)}")
    if presenting or scope.role not in OFFICE:
        return
    with st.form("wk_progress_form", clear_on_submit=True):
        st.markdown(f"**报告进度**({components.fmt_date(weekly.report_week(as_of))}所在周;同一周再次报告以最后一次为准)")
        open_tasks = df[df["status"] != "完成"]
        labels = dict(zip(open_tasks["id"], open_tasks["title"] + "(" + open_tasks["lead_department"] + ")"))
        c1, c2, c3 = st.columns([4, 1, 1])
        task = c1.selectbox("重点任务", list(labels), format_func=labels.get, key="wk_progress_task")
        percent = c2.number_input("进度(%)", 0.0, 100.0, step=5.0, key="wk_progress_percent")
        done = c3.checkbox("已完成", key="wk_progress_done")
        note = st.text_input("进展情况(由牵头单位报送,或办公室代为录入)", max_chars=200, key="wk_progress_note")
        if st.form_submit_button("保存进度"):
            _report(scope, task, as_of, percent, note, done, labels)


def _report(scope: Scope, task, as_of: date, percent: float, note: str, done: bool, labels: dict) -> None:
    if task is None:
        st.error("请选择重点任务")
        return
    try:
        weekly.report_progress(task_id=int(task), as_of=as_of, percent=percent, note=note, username=scope.username,
                               completed=done)
    except ValueError as e:
        st.error(str(e))
        return
    audit.record(scope.username, "task_progress", f"#{task} {labels.get(task, '')} 进度{percent:g}%"
                 + (",已完成" if done else "") + f":{note.strip()}", auth.address())
    _done("进度已保存。")


ACTION_HEADERS = {"status": "状态", "meeting_date": "会议日期", "decision": "议定事项", "owner": "责任单位", "due_on": "完成时限",
                  "days_over": "逾期天数", "closed_on": "办结日期", "followups": "跟进情况"}


def actions(scope: Scope, as_of: date, *, presenting: bool) -> None:
    """Decisions of the meetings: last week's first, overdue flagged; a county sees its own."""
    county = scope.county if scope.role == "county" else None
    df = cache.weekly("actions", as_of=as_of, county=county)
    last = df[df["last_week"].astype(bool)]
    over = df[df["status"] == "逾期"]
    st.markdown(f"上周会议议定 **{len(last)}** 项(其中已完成 {int((last['status'] == '已完成').sum())} 项);"
                f"逾期未办结 **{len(over)}** 项。" + ("只列出本县(市)区承办和各县(市)区共同承办的事项。" if county else ""))
    if not presenting:
        show_all = st.toggle("显示已办结事项", key="wk_actions_all")
        if not show_all:
            df = df[df["status"] != "已完成"]
    view = df[list(ACTION_HEADERS)].rename(columns=ACTION_HEADERS)
    st.dataframe(view.style.map(lambda v: STATUS_CSS.get(v, ""), subset=["状态"]).format(na_rep="—"), hide_index=True,
                 key="wk_actions",
                 height=min(38 + 35 * max(len(view), 1), 560),
                 column_config={"议定事项": st.column_config.TextColumn(width="large"),
                                "跟进情况": st.column_config.TextColumn(width="large")})
    components.export_button(scope, label="导出议定事项(Excel)", key="wk_actions_export", rows=lambda: df,
                             headers=ACTION_HEADERS, file_name=f"会议议定事项_{as_of.isoformat()}.xlsx",
                             what=f"导出会议议定事项,统计时点 {as_of}",
                             note=f"周调度会议议定事项 · 统计时点 {components.fmt_date(as_of)}")
    if presenting:
        return
    open_ = df[df["status"] != "已完成"]
    if scope.role in OFFICE or (county and len(open_)):
        _followup_form(scope, as_of, open_)
    if scope.role in OFFICE:
        _decision_form(scope, as_of)


def _followup_form(scope: Scope, as_of: date, open_: pd.DataFrame) -> None:
    labels = dict(zip(open_["id"], open_["meeting_date"].astype(str) + " " + open_["owner"] + ":" + open_["decision"]))
    with st.form("wk_followup_form", clear_on_submit=True):
        st.markdown("**跟进或办结**")
        action = st.selectbox("议定事项", list(labels), format_func=labels.get, key="wk_followup_action")
        c1, c2 = st.columns(2)
        note = c1.text_input("跟进情况", max_chars=200, key="wk_followup_note")
        evidence = c2.text_input("佐证材料(文件名、文号等)", max_chars=300, key="wk_followup_evidence")
        close = st.checkbox("已办结", key="wk_followup_close", disabled=scope.role not in OFFICE,
                            help="办结由领导小组办公室确认")
        if st.form_submit_button("保存"):
            _follow(scope, as_of, action, note, evidence, close, labels)


def _follow(scope, as_of, action, note, evidence, close, labels) -> None:
    if action is None:
        st.error("请选择议定事项")
        return
    try:
        weekly.add_followup(action_id=int(action), at=as_of, note=note, evidence=evidence, username=scope.username)
    except ValueError as e:
        st.error(str(e))
        return
    audit.record(scope.username, "action_followup", f"#{action} {labels.get(action, '')}:{note.strip()}", auth.address())
    if close and scope.role in OFFICE:
        weekly.close_action(action_id=int(action), on=as_of)
        audit.record(scope.username, "action_close", f"#{action} {labels.get(action, '')}", auth.address())
    _done("跟进情况已保存。" + ("事项已办结。" if close and scope.role in OFFICE else ""))


def _decision_form(scope: Scope, as_of: date) -> None:
    names = components.county_names()
    owners = ["市乡村振兴局", "市农业农村局", "市民政局", "市教育局", "市住建局", "市人社局", "市医保局", "市水务局", "市财政局",
              "各县(市)区", *names]
    with st.form("wk_decision_form", clear_on_submit=True):
        st.markdown("**新增会议议定事项**")
        c1, c2, c3 = st.columns([1, 1, 1])
        meeting = c1.date_input("会议日期", value=as_of, max_value=as_of, key="wk_decision_date")
        owner = c2.selectbox("责任单位", owners, format_func=lambda o: names.get(o, o), key="wk_decision_owner")
        due = c3.date_input("完成时限", value=as_of + timedelta(days=14), key="wk_decision_due")
        decision = st.text_input("议定事项", max_chars=200, key="wk_decision_text")
        if st.form_submit_button("保存议定事项"):
            try:
                aid = weekly.add_action(meeting_date=meeting, decision=decision, owner=names.get(owner, owner),
                                        owner_county=owner if owner in names else None, due_on=due)
            except ValueError as e:
                st.error(str(e))
                return
            audit.record(scope.username, "action_add", f"#{aid} {names.get(owner, owner)}:{decision.strip()}",
                         auth.address())
            _done("议定事项已保存。")


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def briefing(scope: Scope, as_of: date) -> None:
    """The 周调度通报: its text on the page, the Word document and the tables, built when clicked."""
    st.caption("通报由看板根据数据自动生成:考核排名及变化、防返贫监测逾期事项、重点任务、会议议定事项和指标变化;附排名表、"
               "考核总分分布图、按县汇总的逾期事项、逾期任务和议定事项。只含汇总数字,不含个人信息。")
    for heading, text in cache.weekly_report("narrative", as_of):
        st.markdown(f"**{heading}**")
        st.markdown(components.md(text))
    c1, c2 = st.columns(2)
    stamp = as_of.isoformat()
    with c1:
        components.document_button(scope, label="下载周调度通报(Word)", key="wk_docx",
                                    build=lambda: cache.weekly_report("docx", as_of), file_name=f"周调度通报_{stamp}.docx",
                                    mime=DOCX, what=f"导出周调度通报(Word),统计时点 {as_of}")
    with c2:
        components.document_button(scope, label="下载通报附表(Excel)", key="wk_report_xlsx",
                                    build=lambda: cache.weekly_report("xlsx", as_of),
                                    file_name=f"周调度通报附表_{stamp}.xlsx", mime="application/vnd.openxmlformats-"
                                    "officedocument.spreadsheetml.sheet", what=f"导出周调度通报附表,统计时点 {as_of}")
