"""产业项目与资产: projects by status, the weak and idle ones and their rectification, the asset ledger, village PV
stations, the county monthly figures (务工, 衔接资金, 消费帮扶, 832) and the map."""

import streamlit as st

from ui import cache, components, frame, industry

SECTIONS = {"status": "项目状态", "troubled": "弱质闲置整改", "assets": "资产台账", "pv": "光伏电站", "monthly": "月度指标",
            "map": "村级地图"}
PROJECT = [("county", "县(市)区", "text"), ("township", "乡镇", "text"), ("village", "村", "text"), ("name", "项目名称", "text"),
           ("industry", "产业", "text"), ("year", "年度", "text")]

scope = frame.require("projects")
head = st.container()
p = industry.filters(scope, "projects", lambda d: [None, *range(d.year, 2020, -1)], "项目年度")
with head:
    components.header("产业项目与资产", p.as_of, "项目运营与整改、扶贫项目资产台账、村级光伏电站和县级月度指标")
years = "全部年度项目" if p.year is None else f"{p.year}年项目"
components.kpi_cards(cache.industry("project_cards", as_of=p.as_of, county=p.county, year=p.year), per_row=5)
shown = st.segmented_control("内容", list(SECTIONS), format_func=SECTIONS.get, default="status", key="prj_section",
                             label_visibility="collapsed") or "status"
now = f"截至{components.fmt_date(p.as_of)}"

if shown == "status":
    industry.year_caption(f"{years}在统计时点的状态(最近一次状态变化);运营正常率(I6)= 运营正常、已盘活、已整改 ÷ 非在建;"
                          "整改率(I7)= 曾弱质或闲置的项目中已盘活、已整改的占比;收益率 = 年收益 ÷ 投资。")
    df = cache.industry("status_table", as_of=p.as_of, county=p.county, year=p.year)
    cols = [("name", p.area, "text"), ("projects", "项目", "int"), *[(s, s, "int") for s in
            ("在建", "运营正常", "弱质", "闲置", "已盘活", "已整改")], ("i6", "运营正常率", "pct"), ("troubled", "曾弱质闲置", "int"),
            ("i7", "整改率", "pct"), ("investment", "投资", "money"), ("revenue", "年收益", "money"),
            ("revenue_rate", "收益率", "pct")]
    industry.table(scope, df, cols, key="prj_status", title="产业项目状态", p=p, period=f"{years},{now}")
elif shown == "troubled":
    industry.year_caption(f"{years}中统计时点以前曾为弱质或闲置的项目:仍未整改的在前(时间最长的在前),已盘活、已整改的在后。")
    kw = dict(as_of=p.as_of, county=p.county, year=p.year)
    df = industry.rows_or_note(scope, p, lambda: cache.scoped("troubled", scope, **kw))
    if df is not None:
        cols = [*PROJECT, ("status", "统计时点状态", "text"), ("troubled_on", "弱质闲置起始", "text"),
                ("fixed_on", "盘活整改日期", "text"), ("progress", "整改进度", "text"), ("households_linked", "联农带农户数", "int"),
                ("investment", "投资", "money"), ("revenue", "年收益", "money"), ("revenue_rate", "收益率", "pct")]
        industry.listing(scope, df, cols, key="prj_troubled", title="弱质闲置项目整改", p=p, period=now, opens="project",
                         full=lambda: cache.scoped("troubled", scope, limit=None, **kw))
elif shown == "assets":
    industry.year_caption("统计时点已形成的扶贫项目资产;确权率(I8)= 明确所有权人的资产 ÷ 全部资产,流失、损毁资产另列。")
    df = cache.industry("asset_table", as_of=p.as_of, county=p.county)
    cols = [("name", p.area, "text"), ("assets", "资产", "int"), ("value", "资产价值", "money"), ("owned", "已确权", "int"),
            ("i8", "确权率", "pct"), ("unowned", "未确权", "int"), ("idle", "闲置", "int"), ("damaged", "损毁", "int"),
            ("lost", "流失", "int"), ("unapproved", "处置未经审批", "int")]
    industry.table(scope, df, cols, key="prj_assets", title="扶贫项目资产台账", p=p, period=now)
    classes = cache.industry("asset_classes", as_of=p.as_of, county=p.county)
    st.markdown("**按资产类别和状态**")
    industry.table(scope, classes, [("asset_class", "类别", "text"), *[(s, s, "int") for s in ("正常", "闲置", "损毁", "流失")],
                                    ("assets", "合计", "int"), ("value", "价值", "money"), ("yearly_income", "年收益", "money")],
                   key="prj_classes", title="扶贫项目资产分类", p=p, period=now)
    st.markdown("**需关注的资产**(未确权、闲置、损毁、流失或处置未经审批;价值高的在前)")
    kw = dict(as_of=p.as_of, county=p.county)
    rows = industry.rows_or_note(scope, p, lambda: cache.scoped("asset_problems", scope, **kw))
    if rows is not None:
        cols = [("county", "县(市)区", "text"), ("township", "乡镇", "text"), ("village", "村", "text"),
                ("project", "所属项目", "text"), ("asset_class", "类别", "text"), ("kind", "资产", "text"),
                ("value", "价值", "money"), ("owner", "所有权人", "text"), ("state", "状态", "text"), ("problem", "问题", "text")]
        industry.listing(scope, rows, cols, key="prj_problems", title="需关注的扶贫项目资产", p=p, period=now, opens="village",
                         full=lambda: cache.scoped("asset_problems", scope, limit=None, **kw))
elif shown == "pv":
    pv = cache.industry("pv_year", p.as_of)
    if pv is None:
        st.info("统计时点之前没有已结束年度的光伏电站发电数据。", icon=":material/info:")
    else:
        industry.year_caption(f"{pv}年度村级光伏电站发电和收益;收益用于公益岗位、小型公益事业和奖励补助,未分配为收益减去三项之和。")
        df = cache.industry("pv_table", year=pv, county=p.county)
        cols = [("name", p.area, "text"), ("stations", "电站", "int"), ("kw", "装机(千瓦)", "num"),
                ("generation", "发电量(千瓦时)", "num"), ("hours", "等效利用小时", "num"), ("income", "收益", "money"),
                ("use_public_jobs", "公益岗位", "money"), ("use_public_works", "小型公益事业", "money"),
                ("use_rewards", "奖励补助", "money"), ("unused", "未分配", "money")]
        industry.table(scope, df, cols, key="prj_pv", title="村级光伏电站", p=p, period=f"{pv}年度")
        st.markdown("**各电站**(等效利用小时低的在前)")
        stations = cache.industry("pv_stations", year=pv, county=p.county)
        industry.listing(scope, stations, [("county", "县(市)区", "text"), ("township", "乡镇", "text"), ("village", "村", "text"),
                                           *cols[2:5], *cols[5:9]], key="prj_stations", title="村级光伏电站明细", p=p,
                         period=f"{pv}年度", opens="village")
elif shown == "monthly":
    industry.year_caption(f"{p.as_of.year}年{p.as_of.month}月(统计时点所在月份,未报送的县取本年最近一个月):脱贫劳动力务工对照目标"
                          "(I10);衔接资金为本年累计,产业占比(I9)不低于60%;消费帮扶和832平台采购为本年累计,采购对照预留份额。")
    df = cache.industry("monthly", as_of=p.as_of, county=p.county)
    cols = [("name", "县(市)区", "text"), ("month_text", "月份", "text"), ("labour_employed", "务工人数", "int"),
            ("labour_target", "目标", "int"), ("i10", "完成率", "pct"), ("fund_spent", "衔接资金支出", "money"),
            ("fund_industry", "用于产业", "money"), ("i9", "产业占比", "pct"), ("floor_text", "提示", "text"),
            ("consumption_sales", "消费帮扶销售额", "money"), ("purchase_832", "832平台采购", "money"),
            ("purchase_reserved", "预留份额", "money"), ("p832_rate", "采购完成率", "pct")]
    industry.table(scope, df, cols, key="prj_monthly", title="县级月度指标", p=p, period=f"{p.as_of.year}年{p.as_of.month}月")
else:
    industry.village_map(scope, p, own="projects", key="prj_map", years=dict(
        ovop=p.as_of.year, collective=cache.industry("collective_default_year", p.as_of),
        pv=cache.industry("pv_year", p.as_of)))
