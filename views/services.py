"""基础设施与公共服务: the plan's village conditions against its items and targets, resident teams (驻村帮扶), social
assistance (低保, 特困, 临时救助), employment of 脱贫劳动力 and social support (定点帮扶, 百企兴百村)."""

import streamlit as st

from data_access.indicators import INDICATORS
from ui import cache, components, frame, industry

SECTIONS = {"conditions": "村情设施", "teams": "驻村帮扶", "assistance": "社会救助", "employment": "稳定就业", "support": "社会帮扶"}
PLACE = [("county", "县(市)区", "text"), ("township", "乡镇", "text"), ("village", "村", "text")]

scope = frame.require("services")
head = st.container()
p = industry.filters(scope, "services", lambda d: cache.services("condition_years", d), "村情年度")
with head:
    components.header("基础设施与公共服务", p.as_of, "村情设施、驻村帮扶、社会救助、稳定就业和社会帮扶")
components.kpi_cards(cache.services("cards", as_of=p.as_of, county=p.county), per_row=5)
shown = st.segmented_control("内容", list(SECTIONS), format_func=SECTIONS.get, default="conditions", key="svc_section",
                             label_visibility="collapsed") or "conditions"
now = f"截至{components.fmt_date(p.as_of)}"


def definitions(*codes: str) -> None:
    with st.expander("口径说明"):
        for code in codes:
            components.definition(INDICATORS[code], p.as_of)


if shown == "conditions":
    if industry.no_year(p, "村情"):
        st.stop()
    year = f"{p.year}年度"
    industry.year_caption(f"{year}村情数据(每年报送一次,统计时点以前已结束的年度)。各项为覆盖率:分母为报送村情的行政村,自然村通硬化路按"
                          "自然村数计,卫生厕所和自来水普及率为各村平均。方案目标:2022年底实现有条件建制村村村通快递。")
    df = cache.services("condition_table", year=p.year, county=p.county)
    cols = [("name", p.area, "text"), ("villages", "行政村", "int"), ("reporting", "报送村", "int"),
            ("roads", "自然村通硬化路", "pct"), ("express_share", "通快递", "pct"), ("express_goal", "村村通快递目标", "text"),
            ("network", "光纤和4G", "pct"), ("toilet", "卫生厕所普及率", "pct"), ("garbage", "生活垃圾收运处置", "pct"),
            ("sewage", "生活污水治理", "pct"), ("remote", "卫生室远程医疗", "pct"), ("grid", "电网改造升级", "pct"),
            ("service", "综合服务设施", "pct"), ("water", "自来水普及率", "pct")]
    industry.table(scope, df, cols, key="svc_conditions", title="村情设施覆盖情况", p=p, period=year)
    st.markdown("**未达标的村**(自然村未全部通硬化路、未通快递、光纤或4G未覆盖、村卫生室无远程医疗、电网未改造升级;短板多的在前)")
    short = cache.services("shortfalls", year=p.year, county=p.county)
    industry.listing(scope, short, [*PLACE, ("tuopin", "脱贫村", "text"), ("shortfalls", "短板项数", "int"),
                                    ("problems", "短板", "text")], key="svc_short", title="村情设施未达标村", p=p,
                     period=year, opens="village",
                     full=lambda: cache.services("shortfalls", year=p.year, county=p.county, limit=None))
    definitions("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8")
elif shown == "teams":
    industry.year_caption(f"{now}在岗的驻村工作队(派驻日期不晚于统计时点、期满日期不早于统计时点),每队一名第一书记。"
                          "年均在村天数 = 在村天数 ÷ 任期已过天数 × 365,按数据日期的累计记录计算,不足220天的另列;"
                          "三个月内期满指期满日期在统计时点后91天内。")
    df = cache.services("team_table", as_of=p.as_of, county=p.county)
    cols = [("name", p.area, "text"), ("tuopin_villages", "脱贫村", "int"), ("tuopin_covered", "有工作队的脱贫村", "int"),
            ("tuopin_share", "脱贫村覆盖率", "pct"), ("uncovered", "无工作队的脱贫村", "int"), ("other_covered", "其他有工作队的村", "int"),
            ("teams", "工作队(第一书记)", "int"), ("members", "队员", "int"), ("units", "派出单位", "int"),
            ("yearly_days", "年均在村天数", "num"), ("low_duty", "在村不足220天", "int"), ("ending", "三个月内期满", "int")]
    industry.table(scope, df, cols, key="svc_teams", title="驻村帮扶情况", p=p, period=now)
    team = [*PLACE, ("tuopin", "脱贫村", "text"), ("first_secretary", "第一书记", "text"), ("dispatching_unit", "派出单位", "text"),
            ("team_size", "队员", "int"), ("started_on", "派驻日期", "text"), ("ended_on", "期满日期", "text")]
    for which, title, extra in (("ending", "三个月内期满的驻村工作队", [("days_left", "距期满天数", "int")]),
                                ("low_duty", "年均在村不足220天的驻村工作队", [("yearly_days", "年均在村天数", "num")])):
        st.markdown(f"**{title}**")
        kw = dict(as_of=p.as_of, county=p.county, which=which)
        rows = industry.rows_or_note(scope, p, lambda kw=kw: cache.scoped("team_rows", scope, **kw), what="驻村工作队")
        if rows is not None:
            industry.listing(scope, rows, [*team, *extra], key=f"svc_{which}", title=title, p=p, period=now,
                             opens="village", full=lambda kw=kw: cache.scoped("team_rows", scope, limit=None, **kw))
    st.markdown("**无驻村工作队的脱贫村**")
    industry.listing(scope, cache.services("uncovered", as_of=p.as_of, county=p.county),
                     [*PLACE, ("last_ended", "上一支工作队期满", "text"), ("last_unit", "上一派出单位", "text")],
                     key="svc_uncovered", title="无驻村工作队的脱贫村", p=p, period=now, opens="village")
    st.markdown("**派出单位**")
    industry.table(scope, cache.services("units", as_of=p.as_of, county=p.county),
                   [("unit", "派出单位", "text"), ("teams", "工作队", "int"), ("villages", "村", "int"), ("tuopin", "脱贫村", "int"),
                    ("members", "队员", "int"), ("ending", "三个月内期满", "int")], key="svc_units", title="驻村工作队派出单位", p=p,
                   period=now)
    definitions("S9")
elif shown == "assistance":
    industry.year_caption(f"{now}在享受低保、特困供养的人员(开始日期不晚于统计时点且未终止),标准为所在县本年度月标准;加发为低保对象中"
                          "重度残疾、重病等人员的月加发;临时救助按救助日期统计本年1月1日至统计时点和上一年度全年。集中供养率不低于50%。")
    df = cache.services("assistance_table", as_of=p.as_of, county=p.county)
    cols = [("name", p.area, "text"), ("dibao", "低保人数", "int"), ("dibao_households", "低保户数", "int"),
            ("dibao_standard", "低保标准(元/月)", "num"), ("topup_persons", "加发人数", "int"), ("topup", "月加发金额", "money"),
            ("tekun", "特困人数", "int"), ("tekun_standard", "特困标准(元/月)", "num"), ("unable", "生活不能自理", "int"),
            ("centralised", "集中供养", "int"), ("care_share", "集中供养率", "pct"), ("below_floor", "对照50%底线", "text"),
            ("temporary", f"{p.as_of.year}年临时救助(人次)", "int"), ("temporary_amount", f"{p.as_of.year}年临时救助金额", "money"),
            ("temporary_last", f"{p.as_of.year - 1}年临时救助(人次)", "int"),
            ("temporary_last_amount", f"{p.as_of.year - 1}年临时救助金额", "money")]
    industry.table(scope, df, cols, key="svc_assistance", title="社会救助情况", p=p, period=now)
    st.markdown("**低保和特困供养标准**(元/月,逐年调整)")
    std = cache.services("standards", as_of=p.as_of, county=p.county)
    years = [c for c in std.columns if c.endswith("年")]
    industry.table(scope, std, [("name", "县(市)区", "text"), ("kind", "类别", "text"), *[(y, y, "num") for y in years],
                                ("rising", "调整情况", "text")], key="svc_standards", title="低保特困供养标准", p=p, period=now)
    definitions("S10", "S11")
elif shown == "employment":
    years = cache.services("employment_years", p.as_of)
    ey = p.year if p.year in years else (years[0] if years else None)
    month = f"{p.as_of.year}年{p.as_of.month}月"
    industry.year_caption(f"{month}脱贫劳动力务工人数对照各县目标任务(I10,县级月报);{ey or '—'}年度按务工地点和就业方式统计的脱贫劳动力"
                          "(一人多项就业时各项分别计入),稳定就业为至少一项就业全年务工6个月及以上。")
    st.markdown(f"**{month}脱贫劳动力务工人数对照目标任务**")
    monthly = cache.industry("monthly", as_of=p.as_of, county=p.county)
    industry.table(scope, monthly, [("name", "县(市)区", "text"), ("month_text", "月份", "text"), ("labour_employed", "务工人数", "int"),
                                    ("labour_target", "目标任务", "int"), ("i10", "完成率", "pct")],
                   key="svc_labour", title="脱贫劳动力务工月度完成情况", p=p, period=month)
    if ey is None:
        st.info("统计时点之前没有已结束年度的脱贫劳动力就业记录。", icon=":material/info:")
    else:
        st.markdown(f"**{ey}年度脱贫劳动力务工就业**(按务工地点和就业方式)")
        df = cache.services("employment_table", year=ey, county=p.county)
        cols = [("name", p.area, "text"), ("workers", "务工就业人数", "int"),
                *[(f"share_{c}", c, "pct") for c in ("县内", "省内县外", "省外", "务工", "公益岗位", "以工代赈", "扶贫车间", "生态护林员")],
                ("avg_months_text", "人均务工月数", "text"), ("stable_share", "稳定就业率", "pct"), ("trained", "参加培训", "int"),
                ("trained_share", "培训占比", "pct")]
        industry.table(scope, df, cols, key="svc_employment", title="脱贫劳动力务工就业", p=p, period=f"{ey}年度")
    definitions("I10", "S12", "S13")
else:
    year = f"{p.as_of.year}年及以前结对"
    industry.year_caption(f"{year}的定点帮扶(党政机关、国有企业等)和“百企兴百村”(民营企业)结对,投入资金和引进项目为结对以来累计。")
    df = cache.services("support_table", as_of=p.as_of, county=p.county)
    cols = [("name", p.area, "text"), ("fixed_pairs", "定点帮扶结对", "int"), ("fixed_units", "帮扶单位", "int"),
            ("tuopin_villages", "脱贫村", "int"), ("tuopin_covered", "已结对脱贫村", "int"), ("fixed_share", "脱贫村覆盖率", "pct"),
            ("fixed_funds", "定点帮扶投入", "money"), ("enterprise_pairs", "百企兴百村结对", "int"), ("enterprises", "企业", "int"),
            ("enterprise_funds", "企业投入", "money"), ("projects", "引进项目", "int")]
    industry.table(scope, df, cols, key="svc_support", title="社会帮扶情况", p=p, period=year)
    st.markdown("**帮扶单位和企业**(投入资金多的在前)")
    industry.table(scope, cache.services("partners", as_of=p.as_of, county=p.county),
                   [("partner", "单位(企业)", "text"), ("kind", "类型", "text"), ("villages", "结对村", "int"),
                    ("counties", "涉及县(市)区", "int"), ("funds", "投入资金", "money"), ("projects", "引进项目", "int"),
                    ("since", "最早结对年度", "text")], key="svc_partners", title="社会帮扶单位和企业", p=p, period=year)
    definitions("S14")
