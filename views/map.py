"""县域地图: choropleth of a chosen indicator with rank, a ranked table, and county drill-down."""

import streamlit as st

from geo.figures import choropleth, drill
from ui import cache, components, frame, people

scope = frame.require("map")
components.header("县域地图", "选择指标查看各县(市)区分布与排名,选择县(市)区下钻到乡镇和村")

c1, c2, c3 = st.columns([3, 2, 2])
with c1:
    ind = components.indicator(key="map_indicator")
with c2:
    as_of = components.as_of(key="map_as_of")
with c3:
    county = components.county(key="map_county", label="下钻到县(市)区", default=scope.county)
components.definition(ind)

table = cache.indicator_table(ind.code, as_of)
left, right = st.columns([3, 2])
with left:
    fig = choropleth(cache.county_shapes(), table, label=ind.name, better=ind.better,
                     geojson=cache.county_geojson())
    st.plotly_chart(fig, config={"displayModeBar": False}, key="county_map")
with right:
    st.markdown(f"**各县(市)区{ind.name}排名**")
    st.dataframe(
        table[["rank", "name", "text"]], hide_index=True,
        column_config={"rank": st.column_config.NumberColumn("排名", format="%d", width="small"),
                       "name": "县(市)区", "text": ind.name},
    )

if county is not None:
    name = table.set_index("code").at[county, "name"]
    st.subheader(f"{name}:乡镇与村")
    st.caption("乡镇边界和村位置为程序生成的示意几何(合成),仅用于展示分布,不代表真实行政边界。")
    towns = cache.indicator_table(ind.code, as_of, "township", county)
    villages = cache.indicator_table(ind.code, as_of, "village", county)
    left, right = st.columns([3, 2])
    with left:
        fig = drill(cache.township_shapes(county), towns, cache.village_points(county), villages,
                    label=ind.name, better=ind.better, geojson=cache.township_geojson(county))
        st.plotly_chart(fig, config={"displayModeBar": False}, key="drill_map")
    with right:
        tab_t, tab_v = st.tabs(["乡镇", "村"])
        cols = {"rank": st.column_config.NumberColumn("排名", format="%d", width="small"), "text": ind.name}
        with tab_t:
            st.dataframe(towns[["rank", "name", "text"]], hide_index=True, height=min(480, 38 + 35 * len(towns)),
                         column_config={**cols, "name": "乡镇"})
        with tab_v:
            st.dataframe(villages[["rank", "name", "text"]], hide_index=True, height=480,
                         column_config={**cols, "name": "村"})
    people.case_section(scope, as_of, county)
