"""总览: KPI cards with their change (and the viewer's own county), a county map and the week's alerts."""

import streamlit as st

from data_access.indicators import INDICATORS
from ui import alerts, assessment, cache, components, frame

scope = frame.require("overview")
head = st.container()
picker, _ = st.columns([1, 3])
with picker:
    as_of = components.as_of(key="overview_as_of")
with head:
    components.header("总览", as_of, "巩固拓展脱贫攻坚成果同乡村振兴有效衔接")

own = components.county_names().get(scope.county) if scope.county else None
assessment.own_rank(scope, as_of)
components.kpi_cards(cache.kpis(as_of, scope.county), county_name=own)

left, right = st.columns([5, 6])
with left:
    ind = INDICATORS["M1"]
    st.subheader("各县(市)区监测对象户数")
    st.plotly_chart(cache.county_map(ind.code, as_of, scope.county, 560),
                    config={"displayModeBar": False, "scrollZoom": False}, key="overview_map")
    components.definition(ind, as_of)
with right:
    alerts.section(as_of)
alerts.opened(scope, as_of)
