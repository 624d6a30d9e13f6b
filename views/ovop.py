"""一村一品: specialty villages against each county's target, leading industries, the criteria check village by
village, chains and 联农带农, and the village map."""

import streamlit as st

from ui import cache, charts, components, frame, industry

SECTIONS = {"progress": "目标进度", "industries": "主导产业", "criteria": "达标核查", "chains": "产业链与联农带农", "map": "村级地图"}

scope = frame.require("ovop")
head = st.container()
p = industry.filters(scope, "ovop", lambda d: cache.industry("ovop_years", d), "年度", default_year=lambda d: d.year)
with head:
    components.header("一村一品", p.as_of, "专业村建设对照年度目标、达标核查、产业链和联农带农")
components.kpi_cards(cache.industry("ovop_cards", as_of=p.as_of, year=p.year, county=p.county))
my = cache.industry("ovop_metric_year", p.as_of, p.year)
metrics = f"{my}年度指标" if my else "尚无已结束年度的指标"
shown = st.segmented_control("内容", list(SECTIONS), format_func=SECTIONS.get, default="progress", key="ovop_section",
                             label_visibility="collapsed") or "progress"

if shown == "progress":
    industry.year_caption(f"{p.year}年末专业村数(认定或示范,含以前年度认定)对照{p.year}年目标;级别为已认定专业村的认定级别,状态含培育村。")
    df = cache.industry("ovop_progress", year=p.year, county=p.county)
    cols = [("name", "县(市)区", "text"), ("specialty", "专业村", "int"), ("target", f"{p.year}年目标", "int"),
            ("gap", "距目标", "int"), ("市级", "市级", "int"), ("省级", "省级", "int"),
            ("全国一村一品示范村", "全国示范村", "int"), ("培育", "培育", "int"), ("认定", "认定", "int"), ("示范", "示范", "int")]
    industry.table(scope, df, cols, key="ovop_progress", title="一村一品专业村目标进度", p=p, period=f"{p.year}年")
    growth = cache.industry("ovop_growth", year=p.year, county=p.county)
    st.markdown("**2021年以来专业村数量**(各年末累计)")
    fig = charts.lines(growth, x="year", y="specialty", series="name", unit="个", y_title="专业村(个)", legend="县(市)区")
    st.plotly_chart(fig, config=charts.CONFIG, key="ovop_growth_chart")
elif shown == "industries":
    industry.year_caption(f"{p.year}年末已认定专业村的主导产业(按村计)。")
    df = cache.industry("ovop_industries", year=p.year, county=p.county)
    if df.empty:
        st.caption("没有已认定的专业村。")
    else:
        tree = charts.treemap(df, parent="category", child="industry", value="villages", unit="个村")
        st.plotly_chart(tree, config=charts.CONFIG, key="ovop_tree")
        industry.table(scope, df, [("category", "类别", "text"), ("industry", "主导产业", "text"), ("villages", "专业村", "int"),
                                   ("counties", "涉及县(市)区", "int")], key="ovop_industry_table", title="专业村主导产业",
                       p=p, period=f"{p.year}年")
        by_county = cache.industry("ovop_by_county", year=p.year, county=p.county)
        st.markdown("**各县(市)区专业村:按产业类别**")
        cols = [("name", "县(市)区", "text")] + [(c, c, "int") for c in by_county.columns if c != "name"]
        industry.table(scope, by_county, cols, key="ovop_by_county", title="各县专业村产业类别", p=p, period=f"{p.year}年")
elif shown == "criteria":
    industry.year_caption(f"{p.year}年末专业村逐村核查,使用{metrics}:主导产业产值超过1000万元且占全村农业总产值50%以上;脱贫县超过700万元且"
                          "30%以上。接近达标:产值不低于标准的90%且占比差距不超过5个百分点。未达标在前,差距大的在前。")
    df = cache.industry("ovop_criteria", as_of=p.as_of, year=p.year, county=p.county)
    counts = df["result"].value_counts()
    st.markdown(" · ".join(f"**{k}** {counts.get(k, 0):,} 个" for k in ("未达标", "无年度指标", "接近达标", "达标")))
    cols = [("county", "县(市)区", "text"), ("township", "乡镇", "text"), ("village", "村", "text"),
            ("industry", "主导产业", "text"), ("level", "级别", "text"), ("result", "核查结果", "text"),
            ("output", "主导产业产值", "money"), ("share", "产值占比", "pct"), ("output_line", "产值标准", "money"),
            ("share_line", "占比标准", "pct"), ("gap_text", "差距", "text")]
    industry.listing(scope, df, cols, key="ovop_criteria", title="一村一品专业村达标核查", p=p,
                     period=f"{p.year}年专业村,{metrics}", opens="village")
elif shown == "chains":
    industry.year_caption(f"{p.year}年末专业村,{metrics}:产业链环节、品牌认证、合作社和联农带农;村民人均收入与所在县对比。")
    df = cache.industry("ovop_chains", as_of=p.as_of, year=p.year, county=p.county)
    cols = [("name", "县(市)区", "text"), ("villages", "有指标的专业村", "int"), ("chain_production", "生产", "int"),
            ("chain_processing", "加工", "int"), ("chain_circulation", "流通", "int"), ("chain_service", "服务", "int"),
            ("full_chain", "四环节齐全", "int"), ("brand", "注册品牌", "int"), ("绿色", "绿色", "int"), ("有机", "有机", "int"),
            ("地理标志", "地理标志", "int"), ("cooperatives", "合作社", "int"), ("households_linked", "联农带农户数", "int"),
            ("income", "村民人均收入(元)", "num"), ("county_income", "所在县人均收入(元)", "num"),
            ("income_ratio", "收入比", "pct")]
    industry.table(scope, df, cols, key="ovop_chains", title="专业村产业链与联农带农", p=p, period=metrics)
else:
    industry.village_map(scope, p, own="ovop", key="ovop_map", years=dict(
        ovop=p.year, collective=cache.industry("collective_default_year", p.as_of), pv=cache.industry("pv_year", p.as_of)))
