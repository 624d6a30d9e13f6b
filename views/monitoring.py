"""防返贫监测: the closed loop from discovery to risk elimination, each step's count and the list behind it."""

import streamlit as st

from ui import components, frame
from ui import monitoring as sections

SECTIONS = {"loop": ("监测帮扶闭环", sections.loop_section), "timeliness": ("识别认定", sections.timeliness_section),
            "coverage": ("帮扶措施", sections.coverage_section), "compliance": ("风险消除", sections.compliance_section),
            "visits": ("跟踪回访", sections.visits_section), "alerts": ("部门预警", sections.alerts_section),
            "guarantees": ("两不愁三保障", sections.guarantees_section)}

scope = frame.require("monitoring")
head = st.container()
f = sections.filters(scope)
with head:
    components.header("防返贫监测", f.as_of, "发现 → 认定 → 纳入 → 帮扶 → 消除风险,每一步的数量和背后的名单")
sections.headline(f)

# one section at a time: only what is on screen is computed
shown = st.segmented_control("内容", list(SECTIONS), format_func=lambda k: SECTIONS[k][0], default="loop",
                             key="mon_section", label_visibility="collapsed") or "loop"
SECTIONS[shown][1](scope, f)
