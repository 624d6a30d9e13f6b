"""考核排名: the score matrix with rank changes, each county's lost points and the rows behind them, the history
since 2021, what-if weights, the office's entries and the rules in force."""

import streamlit as st

from assessment.rules import RulesError
from ui import assessment, cache, components, frame

SECTIONS = {"matrix": "得分排名", "county": "失分说明", "history": "历史走势", "whatif": "模拟测算", "entries": "评定与加减分",
            "rules": "考核规则"}
OFFICE = ("office", "admin")

scope = frame.require("assessment")
head = st.container()
c1, c2, c3 = st.columns([2, 2, 5])
with c1:
    as_of = components.as_of(key="asm_as_of")
with head:
    components.header("考核排名", as_of, "县(市)区巩固拓展脱贫攻坚成果同乡村振兴有效衔接实绩考核")
shown = [k for k in SECTIONS if k != "whatif" or scope.role in OFFICE]
with c3:
    section = st.segmented_control("内容", shown, format_func=SECTIONS.get, key="asm_section",
                                   default="county" if scope.role == "county" else "matrix",
                                   label_visibility="collapsed") or ("county" if scope.role == "county" else "matrix")
if section == "county":
    with c2:
        county = components.county(key="asm_county", allow_all=False, default=scope.county)
try:
    if scope.role == "county" and section != "county":
        assessment.summary_line(cache.assessment("county_summary", as_of=as_of, county=scope.county), own=True)
    if section == "matrix":
        assessment.matrix_section(scope, as_of, scope.county)
    elif section == "county":
        assessment.county_section(scope, as_of, county)
    elif section == "history":
        assessment.history_section(as_of, scope.county)
    elif section == "whatif":
        assessment.whatif_section(as_of)
    elif section == "entries":
        assessment.entries_section(scope, components.data_date())
    else:
        assessment.rules_section(as_of)
except RulesError as e:  # a rules file that does not validate: say where, score nothing
    st.error(str(e))
