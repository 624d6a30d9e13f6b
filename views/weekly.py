"""周调度: the week at a glance (rank changes, movers, alerts), key tasks with their progress, and the meeting's
actions; a presentation mode for the projector."""

import streamlit as st

from assessment.board import previous_week
from ui import components, frame, weekly

SECTIONS = {"glance": "本周概况", "tasks": "重点任务", "actions": "会议议定事项", "briefing": "周调度通报"}

scope = frame.require("weekly")
head = st.container()
c1, c2, c3 = st.columns([2, 4, 1])
with c1:
    as_of = components.as_of(key="wk_as_of")
with c3:
    presenting = st.toggle("投影模式", key="wk_present", help="放大字号,隐藏侧栏和筛选,只保留统计时点")
before = previous_week(as_of)
with head:
    components.header("周调度", as_of, f"{components.week_label(as_of)}与上周({components.fmt_date(before)})对比")
if presenting:
    weekly.present()
with c2:
    section = st.segmented_control("内容", list(SECTIONS), format_func=SECTIONS.get, default="glance", key="wk_section",
                                   label_visibility="collapsed") or "glance"
weekly.flash()
if section == "glance":
    weekly.glance(scope, as_of, before)
elif section == "briefing":
    weekly.briefing(scope, as_of)
elif section == "tasks":
    weekly.tasks(scope, as_of, presenting=presenting)
else:
    weekly.actions(scope, as_of, presenting=presenting)
