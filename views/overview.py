"""总览: KPI cards with the change against last week, a county map and the week's alerts."""

import streamlit as st

from data_access.indicators import INDICATORS
from geo.figures import choropleth
from ui import cache, components, frame

frame.require("overview")
components.header("总览", "巩固拓展脱贫攻坚成果同乡村振兴有效衔接")
as_of = components.as_of(key="overview_as_of")

components.kpi_cards(cache.kpis(as_of))

left, right = st.columns([5, 6])
with left:
    ind = INDICATORS["M1"]
    st.subheader("各县(市)区监测对象户数")
    table = cache.indicator_table(ind.code, as_of)
    fig = choropleth(cache.county_shapes(), table, label=ind.name, better=ind.better, height=380,
                     geojson=cache.county_geojson())
    st.plotly_chart(fig, config={"displayModeBar": False, "scrollZoom": False}, key="overview_map")
    components.definition(ind)
with right:
    st.subheader("本周预警")
    alerts = cache.alerts(as_of)
    if alerts.empty:
        st.success("本周无预警事项。")
    else:
        red = int((alerts["level"] == "红").sum())
        st.caption(f"红色预警 {red} 项,黄色预警 {len(alerts) - red} 项。红色为识别认定超期,须在周调度会上逐项销号。")
        st.dataframe(
            alerts, hide_index=True, height=380,
            column_config={
                "level": st.column_config.TextColumn("级别", width="small"),
                "county": st.column_config.TextColumn("县(市)区", width="small"),
                "item": st.column_config.TextColumn("事项"),
                "count": st.column_config.NumberColumn("数量", format="%d", width="small"),
                "detail": st.column_config.TextColumn("说明", width="large"),
            },
        )
