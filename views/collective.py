"""村级集体经济: villages by operating-income tier against the I3 target, the weak and hollow villages that moved,
income structure and development types, growth (I5) with each county's top and bottom villages, and the map."""

import streamlit as st

from geo.industry_layers import TIER_COLOURS
from ui import cache, charts, components, frame, industry

SECTIONS = {"tiers": "收入分档", "moves": "薄弱村变化", "structure": "收入结构", "growth": "增速与排行", "map": "村级地图"}

scope = frame.require("collective")
head = st.container()
p = industry.filters(scope, "collective", lambda d: cache.industry("collective_years", d), "年度",
                     default_year=lambda d: cache.industry("collective_default_year", d))
with head:
    components.header("村级集体经济", p.as_of, "经营性收入分档、薄弱村和空壳村变化、收入结构与增长")
if industry.no_year(p, "村级集体经济"):
    st.stop()
components.kpi_cards(cache.industry("collective_cards", year=p.year, county=p.county))
year = f"{p.year}年度"
shown = st.segmented_control("内容", list(SECTIONS), format_func=SECTIONS.get, default="tiers", key="coll_section",
                             label_visibility="collapsed") or "tiers"
labels = cache.industry("tiers")

if shown == "tiers":
    industry.year_caption(f"{year}村集体经营性收入(经营+发包及上交+投资收益+其他经营)分档;10万元以上村占比(I3)的分母为全部行政村,"
                          "未报送的村计入分母。分档界限为设置项。")
    df = cache.industry("tier_table", year=p.year, county=p.county)
    cols = [("name", p.area, "text"), ("villages", "行政村", "int"), ("reporting", "报送村", "int"),
            *[(label, label, "int") for label in labels], ("strong_share", "10万元以上占比", "pct"),
            *([] if p.county else [("target", f"{p.year}年目标", "pct")])]
    industry.table(scope, df, cols, key="coll_tiers", title="村级集体经济收入分档", p=p, period=year)
    body = df[df["code"].notna()]
    fig = charts.stacked_bars(body, name="name", parts=labels, unit="个村",
                              colours=[TIER_COLOURS[min(i, len(TIER_COLOURS) - 1)] for i in range(len(labels))])
    st.plotly_chart(fig, config=charts.CONFIG, key="coll_tier_chart")
elif shown == "moves":
    industry.year_caption(f"{year}与{p.year - 1}年度对比:返回薄弱(经营性收入从5万元以上降到5万元以下)、转为空壳在前,"
                          "脱离薄弱、空壳转薄弱在后;两年都有数据的村。")
    df = cache.industry("tier_moves", year=p.year, county=p.county)
    counts = df["move"].value_counts()
    st.markdown(" · ".join(f"**{k}** {counts.get(k, 0):,} 个" for k in ("返回薄弱", "转为空壳", "脱离薄弱", "空壳转薄弱")))
    cols = [("county", "县(市)区", "text"), ("township", "乡镇", "text"), ("village", "村", "text"), ("move", "变化", "text"),
            ("before", f"{p.year - 1}年经营性收入", "money"), ("after", f"{p.year}年经营性收入", "money"),
            ("tier_before", f"{p.year - 1}年分档", "text"), ("tier_after", f"{p.year}年分档", "text")]
    industry.listing(scope, df, cols, key="coll_moves", title="薄弱村空壳村变化", p=p, period=f"{year}比{p.year - 1}年度",
                     opens="village")
elif shown == "structure":
    industry.year_caption(f"{year}村集体收入来源;经营性收入为前四项之和,补助收入和其他收入不计入经营性收入。")
    df = cache.industry("structure", year=p.year, county=p.county)
    parts = [("op_business", "经营收入"), ("op_contracting", "发包及上交"), ("op_investment", "投资收益"),
             ("op_other", "其他经营"), ("subsidy_income", "补助收入"), ("other_income", "其他收入")]
    cols = [("name", p.area, "text"), *[(c, h, "money") for c, h in parts], ("operating", "经营性收入", "money"),
            ("total", "总收入", "money")]
    industry.table(scope, df, cols, key="coll_structure", title="村级集体收入结构", p=p, period=year)
    types = cache.industry("development_types", year=p.year, county=p.county)
    st.markdown("**按发展类型**")
    industry.table(scope, types, [("development_type", "发展类型", "text"), ("villages", "村数", "int"),
                                  ("operating", "经营性收入", "money"), ("average", "村均经营性收入", "money")],
                   key="coll_types", title="村级集体经济发展类型", p=p, period=year)
elif shown == "growth":
    industry.year_caption(f"{year}村集体经营性收入合计比{p.year - 1}年度的增长(I5),以及各县(市)区经营性收入最高和最低的5个村。")
    df = cache.industry("structure", year=p.year, county=p.county)
    industry.table(scope, df, [("name", p.area, "text"), ("previous", f"{p.year - 1}年经营性收入", "money"),
                               ("operating", f"{p.year}年经营性收入", "money"), ("growth", "增速", "pct")],
                   key="coll_growth", title="村集体经营性收入增速", p=p, period=f"{year}比{p.year - 1}年度")
    ranks = cache.industry("top_bottom", year=p.year, county=p.county)
    cols = [("county", "县(市)区", "text"), ("end", "排序", "text"), ("place", "名次", "int"), ("township", "乡镇", "text"),
            ("village", "村", "text"), ("operating", "经营性收入", "money"), ("previous", "上年", "money"),
            ("growth", "增速", "pct"), ("tier", "分档", "text")]
    st.markdown("**各县(市)区经营性收入最高和最低的村**")
    industry.listing(scope, ranks, cols, key="coll_ranks", title="村集体经营性收入最高最低村", p=p, period=year,
                     opens="village")
else:
    industry.village_map(scope, p, own="collective", key="coll_map", years=dict(
        ovop=p.as_of.year, collective=p.year, pv=cache.industry("pv_year", p.as_of)))
