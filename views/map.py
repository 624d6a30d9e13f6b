"""县域地图: a chosen indicator on the county map with its ranking, and the drill-down to townships and villages."""

import streamlit as st

from ui import assessment, cache, components, frame, people

MAP_CONFIG = {"displayModeBar": False, "scrollZoom": True}

scope = frame.require("map")
head = st.container()
c1, c2, c3, c4 = components.filter_row([3, 2, 2, 2], key="map")
with c1:
    ind = components.indicator(key="map_indicator")
with c2:
    as_of = components.as_of(key="map_as_of")
with c3:
    county = components.county(key="map_county", label="下钻到县(市)区", default=scope.county)
with c4:
    worst_first = components.order(ind, key="map_order")
with head:
    components.header("县域地图", as_of, "选择指标查看各县(市)区分布与排名,选择县(市)区下钻到乡镇和村")
assessment.own_rank(scope, as_of)
components.definition(ind, as_of)
period = cache.period_label(ind.code, as_of)

table = cache.indicator_table(ind.code, as_of, worst_first=worst_first)
left, right = st.columns([3, 2])
with left:
    st.plotly_chart(cache.county_map(ind.code, as_of, scope.county), config=MAP_CONFIG, key="county_map")
with right:
    st.markdown(f"**各县(市)区{ind.name}**({period})")
    components.ranking_table(table, ind, area_label="县(市)区", key="county_table", highlight=scope.county)

if county is not None and "township" not in ind.levels:
    st.info(f"{ind.name}按县(市)区统计,没有乡镇和村的分项数据;请在上表查看各县(市)区数值。", icon=":material/info:")
elif county is not None:
    name = components.county_names()[county]
    st.subheader(f"{components.md(name)}:乡镇与村")
    st.caption("乡镇边界和村位置为程序生成的示意几何(合成),仅用于展示分布,不代表真实行政边界。")
    towns = cache.indicator_table(ind.code, as_of, "township", county, worst_first)
    villages = cache.indicator_table(ind.code, as_of, "village", county, worst_first, not scope.sees_rows_of(county))
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(cache.drill_map(ind.code, as_of, county, worst_first, not scope.sees_rows_of(county)),
                        config=MAP_CONFIG, key="drill_map")
    with right:
        tab_t, tab_v = st.tabs([f"乡镇({len(towns)})", f"村({len(villages)})"])
        with tab_t:
            components.ranking_table(towns, ind, area_label="乡镇", key="town_table",
                                     height=min(480, 38 + 35 * len(towns)))
        with tab_v:
            components.ranking_table(villages, ind, area_label="村", key="village_table", height=480)
    people.case_section(scope, as_of, county)
