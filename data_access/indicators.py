"""Indicators shown on maps and cards: name, unit, definition (口径), period and per-area values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from data_access import areas, industry, loop, monitoring, services_board, tasks
from data_access.periods import cn_date, last_completed_year
from data_access.sql import once


@dataclass(frozen=True)
class Indicator:
    """One indicator as INDICATORS.md defines it."""

    code: str
    name: str
    unit: str  # 户 人 个 村 % 元
    definition: str
    better: str  # high / low / neutral
    compute: Callable[..., pd.DataFrame]  # (as_of, level, county) -> code, numerator, denominator
    period: str = "stock"  # stock (at D) / ytd (1 January to D) / year (D's year) / collective_year / metric_year
    # / month (D's month) / month_ytd (January to D's month) / condition_year / employment_year (the last completed
    # year with village conditions / employment records)
    people: bool = True  # counts (or rates over) households and persons: small village cells are hidden
    note: str = ""
    levels: tuple[str, ...] = ("county", "township", "village")  # where the figure has a breakdown
    scored: bool = True  # False: outside the assessment (the S indicators), so shown without ranks (DESIGN.md §11)

    @property
    def ranked(self) -> bool:
        """Only scorable indicators with a direction are ranked; neutral counts, reference figures (M12) and the
        figures outside the assessment (S*) are not."""
        return self.scored and self.better in ("high", "low")


def _ratio(df: pd.DataFrame, num: str, den: str | None) -> pd.DataFrame:
    out = pd.DataFrame({"code": df["code"], "numerator": df[num].astype(float)})
    out["denominator"] = df[den].astype(float) if den else np.nan
    return out


def _m(col: str, den: str | None = None):
    return lambda as_of, level, county: _ratio(
        once(monitoring.stock, as_of=as_of, level=level, county=county), col, den)


def _flow(col: str, den: str | None = None):
    return lambda as_of, level, county: _ratio(
        once(monitoring.flow, start=date(as_of.year, 1, 1), end=as_of, level=level, county=county), col, den)


def _loop(fn, num: str, den: str | None = None, period: bool = False):
    def compute(as_of, level, county):
        when = dict(start=date(as_of.year, 1, 1), end=as_of) if period else dict(as_of=as_of)
        extra = dict(province=areas.province()) if fn is loop.compliance else {}
        return _ratio(once(fn, **when, **extra, level=level, county=county), num, den)
    return compute


def _g(col: str, den: str | None = None):
    return lambda as_of, level, county: _ratio(
        once(monitoring.guarantees, as_of=as_of, level=level, county=county), col, den)


def _collective(col: str, with_villages: bool):
    def compute(as_of, level, county):
        year = industry.collective_year(as_of)
        if year is None:
            return pd.DataFrame(columns=["code", "numerator", "denominator"])
        df = once(industry.collective, year=year, level=level, county=county)
        if with_villages:
            df = areas.village_counts(level, county).merge(df, on="code", how="left").fillna(0)
            return _ratio(df, col, "villages")
        return _ratio(df, col, None)
    return compute


def _specialty(as_of, level, county):
    return _ratio(industry.specialty(year=as_of.year, level=level, county=county), "specialty", None)


def _specialty_check(as_of, level, county):
    df = industry.specialty_check(as_of=as_of, tuopin_counties=areas.tuopin_counties(), level=level, county=county)
    return _ratio(df, "passing", "villages")


def _growth(as_of, level, county):
    year = industry.collective_year(as_of)
    if year is None:
        return pd.DataFrame(columns=["code", "numerator", "denominator"])
    now = once(industry.collective, year=year, level=level, county=county)[["code", "operating_income"]]
    before = once(industry.collective, year=year - 1, level=level, county=county)[["code", "operating_income"]]
    df = now.merge(before, on="code", how="outer", suffixes=("", "_before")).fillna(0)
    df["change"] = df["operating_income"] - df["operating_income_before"]
    return _ratio(df, "change", "operating_income_before")


def _projects(num: str, den: str):
    return lambda as_of, level, county: _ratio(once(industry.projects, as_of=as_of, level=level, county=county), num,
                                               den)


def _assets(as_of, level, county):
    return _ratio(industry.assets(as_of=as_of, level=level, county=county), "owned", "assets")


def _month(num: str, den: str):
    return lambda as_of, level, county: _ratio(once(industry.county_month, as_of=as_of, level=level, county=county),
                                               num, den)


def _tasks(num: str, den: str | None):
    return lambda as_of, level, county: _ratio(once(tasks.county_tasks, as_of=as_of, level=level, county=county), num,
                                               den)


def _yearly(year_of, fn, num: str, den: str | None):
    """An S figure of a yearly table (village conditions, employment): the last completed year with records."""
    def compute(as_of, level, county):
        year = year_of(as_of)
        if year is None:
            return pd.DataFrame(columns=["code", "numerator", "denominator"])
        return _ratio(once(fn, year=year, level=level, county=county), num, den)
    return compute


def _cond(num: str, den: str = "reporting"):
    return _yearly(services_board.condition_year, services_board.conditions, num, den)


def _emp(num: str, den: str | None = None):
    return _yearly(services_board.employment_year, services_board.employment, num, den)


def _at(fn, num: str, den: str | None = None):
    return lambda as_of, level, county: _ratio(once(fn, as_of=as_of, level=level, county=county), num, den)


G_POP = "脱贫户和已纳入监测的户"
C_YEAR = "上一完整年度(有村情数据的最近一年)"
E_YEAR = "上一完整年度(有就业记录的最近一年)"
S_NOTE = "分母为报送村情数据的行政村"


def _order(ind: Indicator) -> tuple[int, int]:
    return "MGITS".index(ind.code[0]), int(ind.code[1:])


INDICATORS: dict[str, Indicator] = {i.code: i for i in sorted([
    Indicator("M1", "监测对象户数", "户", "统计时点已纳入(县级审定)且尚未消除风险的监测对象户数", "neutral",
              _m("households")),
    Indicator("M2", "监测对象人数", "人", "上述监测对象户在统计时点的家庭成员数(统计时点以后出生的不计)", "neutral",
              _m("persons")),
    Indicator("M3", "新纳入户数", "户", "纳入日期在本年1月1日至统计时点之间的监测对象数", "neutral", _flow("included"),
              period="ytd"),
    Indicator("M4", "识别认定及时率", "%", "本年1月1日至统计时点作出认定的监测对象中,认定日期距发现日期不超过15天的占比", "high",
              _flow("decided_timely", "decided"), period="ytd"),
    Indicator("M5", "逾期未认定", "户", "发现日期在统计时点15天以前、截至统计时点仍未作出认定的监测对象数", "low", _m("overdue")),
    Indicator("M6", "帮扶措施覆盖率", "%", "统计时点在监测且纳入已满30天的监测对象中,统计时点前已落实至少一项帮扶措施的占比", "high",
              _loop(loop.coverage, "with_measure", "settled")),
    Indicator("M7", "风险措施匹配率", "%", "同上监测对象中,每一项风险都有对应类别帮扶措施的占比(风险与措施的对应关系为设置项)", "high",
              _loop(loop.coverage, "matched", "settled")),
    Indicator("M8", "开发式帮扶落实率", "%",
              "统计时点在监测、且家中有16至60周岁具备劳动能力(普通或弱)成员的监测对象中,已落实开发式帮扶措施的占比",
              "high", _loop(loop.coverage, "developmental", "able")),
    Indicator("M9", "违规消除风险", "户",
              "本年1月1日至统计时点消除风险的监测对象中,违反任一消除规则的户数:监测不满183天、消除前无帮扶措施、"
              "消除前最近一年人均纯收入低于当年监测范围、消除前最近一次核查“两不愁三保障”或饮水未达标、家中无劳动能力成员", "low",
              _loop(loop.compliance, "violating", period=True), period="ytd"),
    Indicator("M10", "走访及时率", "%", "统计时点在监测的监测对象中,统计时点前30天内(含当天)有走访记录的占比", "high",
              _loop(loop.visits, "visited", "monitored")),
    Indicator("M11", "预警核查及时率", "%", "本年1月1日至统计时点接收、且接收已满15天的部门预警中,15天内完成核查的占比", "high",
              _loop(loop.alert_checks, "timely", "due", period=True), period="ytd"),
    Indicator("M12", "风险消除率(仅供参考)", "%",
              "截至统计时点已消除风险的监测对象占累计纳入的比例;风险消除不设比例要求,不计分、不排名", "neutral",
              _m("eliminated_ever", "included_ever")),
    Indicator("G1", "住房安全问题户", "户", f"{G_POP}中,统计时点以前最近一次核查住房评级为C级或D级的户数", "low",
              _g("unsafe_housing")),
    Indicator("G2", "义务教育失学辍学人数", "人", f"{G_POP}成员中,统计时点年龄6至15周岁且处于失学辍学状态的人数", "low",
              _g("dropouts")),
    Indicator("G3", "基本医保参保率", "%", f"{G_POP}在统计时点的成员中,已参加基本医保的人数占比", "high",
              _g("insured", "guarantee_persons")),
    Indicator("G4", "饮水安全问题户", "户", f"{G_POP}中,统计时点以前最近一次核查水量、水质、用水方便或供水保证率任一项不达标的户数",
              "low", _g("unsafe_water")),
    Indicator("I1", "一村一品专业村", "村", "统计时点所在年度及以前认定(认定或示范)的一村一品专业村数", "high", _specialty,
              period="year", people=False),
    Indicator("I3", "经营性收入10万元以上村占比", "%", "上一完整年度村集体经营性收入不低于10万元的行政村占全部行政村的比例", "high",
              _collective("strong", True), period="collective_year", people=False),
    Indicator("I4", "集体经济薄弱村", "村", "上一完整年度村集体经营性收入低于5万元的行政村数(含空壳村)", "low",
              _collective("weak", False), period="collective_year", people=False),
    Indicator("I2", "专业村达标率", "%",
              "一村一品专业村(同I1)中,上一完整年度主导产业产值超过1000万元且占全村农业总产值50%以上的村所占比例;"
              "脱贫县为超过700万元且30%以上。无年度指标的村计为未达标", "high", _specialty_check, period="metric_year",
              people=False),
    Indicator("I5", "集体经营性收入增速", "%", "上一完整年度村集体经营性收入合计比再上一年度增长的百分比", "high", _growth,
              period="collective_year", people=False),
    Indicator("I6", "产业项目运营正常率", "%", "截至统计时点非在建项目中,状态为运营正常、已盘活或已整改的占比", "high",
              _projects("running", "finished"), people=False),
    Indicator("I7", "弱质闲置项目整改率", "%", "统计时点以前曾为弱质或闲置状态的项目中,统计时点状态为已盘活或已整改的占比", "high",
              _projects("rectified", "troubled"), people=False),
    Indicator("I8", "扶贫资产确权率", "%", "统计时点已形成的扶贫项目资产中,已明确所有权人的占比(流失、损毁资产另列)", "high",
              _assets, people=False),
    Indicator("I9", "衔接资金产业占比", "%", "本年1月至统计时点所在月份累计支出的衔接资金中,用于产业发展的占比(不低于60%)", "high",
              _month("fund_industry", "fund_spent"), period="month_ytd", people=False, levels=("county",)),
    Indicator("I10", "脱贫劳动力务工完成率", "%", "统计时点所在月份脱贫劳动力务工人数占该县当月目标任务的比例", "high",
              _month("labour_employed", "labour_target"), period="month", people=False, levels=("county",)),
    Indicator("T1", "重点任务按期完成率", "%", "本年1月1日至统计时点到期的重点任务(全市任务计入每个县,分派任务计入所分派的县)中,"
              "在期限内完成的占比", "high", _tasks("on_time", "due"), period="ytd", people=False, levels=("county",)),
    Indicator("T2", "逾期重点任务", "项", "期限在统计时点以前、截至统计时点仍未完成的重点任务数(口径同上,不分年度)", "low",
              _tasks("overdue", None), people=False, levels=("county",)),
    Indicator("S1", "自然村通硬化路比例", "%", f"{C_YEAR}通硬化路的自然村数占自然村总数的比例(按各村报送的自然村数合计)", "high",
              _cond("hardened", "natural"), period="condition_year", people=False, scored=False),
    Indicator("S2", "村村通快递覆盖率", "%", f"{C_YEAR}快递进村的行政村占比;{S_NOTE}(未区分是否具备条件)。"
              "方案目标:2022年底实现有条件建制村村村通快递", "high", _cond("express_delivery"), period="condition_year",
              people=False, scored=False),
    Indicator("S3", "光纤宽带和4G覆盖率", "%", f"{C_YEAR}同时通光纤宽带和4G信号的行政村占比;{S_NOTE}", "high",
              _cond("fibre_g4"), period="condition_year", people=False, scored=False),
    Indicator("S4", "卫生厕所普及率", "%", f"{C_YEAR}各行政村卫生厕所普及率的平均值(按村平均,不按户加权)", "high",
              _cond("toilet_sum"), period="condition_year", people=False, scored=False),
    Indicator("S5", "生活垃圾收运处置覆盖率", "%", f"{C_YEAR}生活垃圾得到收运处置的行政村占比;{S_NOTE}", "high",
              _cond("garbage_treated"), period="condition_year", people=False, scored=False),
    Indicator("S6", "生活污水治理覆盖率", "%", f"{C_YEAR}生活污水得到治理的行政村占比;{S_NOTE}", "high",
              _cond("sewage_treated"), period="condition_year", people=False, scored=False),
    Indicator("S7", "村卫生室远程医疗覆盖率", "%", f"{C_YEAR}村卫生室接入远程医疗的行政村占比(无村卫生室的村计为未覆盖);{S_NOTE}",
              "high", _cond("remote_medical"), period="condition_year", people=False, scored=False),
    Indicator("S8", "农村电网改造升级覆盖率", "%", f"{C_YEAR}完成电网改造升级的行政村占比;{S_NOTE}", "high",
              _cond("grid_upgraded"), period="condition_year", people=False, scored=False),
    Indicator("S9", "脱贫村驻村工作队覆盖率", "%", "统计时点有驻村工作队在岗(派驻日期不晚于统计时点、期满日期不早于统计时点)"
              "的脱贫村占脱贫村总数的比例", "high", _at(services_board.teams, "tuopin_covered", "tuopin_villages"),
              people=False, scored=False),
    Indicator("S10", "生活不能自理特困人员集中供养率", "%", "统计时点在享受特困供养、且生活不能自理的人员中,集中供养的比例"
              "(方案要求不低于50%)", "high", _at(services_board.assistance, "centralised", "unable"), scored=False),
    Indicator("S11", "农村低保对象人数", "人", "统计时点在享受农村低保的人数(开始日期不晚于统计时点且未终止)", "neutral",
              _at(services_board.assistance, "dibao"), scored=False),
    Indicator("S12", "脱贫劳动力务工就业人数", "人", f"{E_YEAR}有务工就业记录(务工、公益岗位、以工代赈、扶贫车间、生态护林员)"
              "的脱贫劳动力人数", "neutral", _emp("workers"), period="employment_year", scored=False),
    Indicator("S13", "脱贫劳动力稳定就业率", "%", f"{E_YEAR}有务工就业记录的脱贫劳动力中,至少一项就业全年务工6个月及以上的人数占比",
              "high", _emp("stable", "workers"), period="employment_year", scored=False),
    Indicator("S14", "定点帮扶脱贫村覆盖率", "%", "统计时点所在年度及以前已结对定点帮扶单位的脱贫村占脱贫村总数的比例", "high",
              _at(services_board.fixed_coverage, "covered", "tuopin_villages"), period="year", people=False,
              scored=False),
], key=_order)}


def period_label(code: str, as_of: date) -> str:
    """What the figure covers at as_of, in words: 截至2026年11月28日, 2026年1月1日至11月28日, 2025年度."""
    ind = INDICATORS[code]
    if ind.period == "ytd":
        return f"{as_of.year}年1月1日至{as_of.month}月{as_of.day}日"
    if ind.period == "year":
        return f"{as_of.year}年"
    if ind.period == "collective_year":
        year = industry.collective_year(as_of)
        if code == "I5":
            return f"{year}年度比{year - 1}年度" if year else f"{last_completed_year(as_of)}年度(无数据)"
        return f"{year}年度" if year else f"{last_completed_year(as_of)}年度(无数据)"
    if ind.period == "metric_year":
        year = industry.metric_year(as_of)
        return f"{as_of.year}年专业村,{year}年度指标" if year else f"{as_of.year}年专业村(无年度指标)"
    if ind.period == "month":
        return f"{as_of.year}年{as_of.month}月"
    if ind.period in ("condition_year", "employment_year"):
        of = services_board.condition_year if ind.period == "condition_year" else services_board.employment_year
        year = of(as_of)
        return f"{year}年度" if year else f"{last_completed_year(as_of)}年度(无数据)"
    if ind.period == "month_ytd":
        return f"{as_of.year}年1月至{as_of.month}月"
    return f"截至{cn_date(as_of)}"


def values(code: str, *, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """Values of one indicator per area: code, numerator, denominator, value, rank.

    A rate whose denominator is zero has value NaN (shown as —) and no rank, never 0% or 100%. Rank is
    among the areas returned, 1 the best; neutral indicators (counts, M12) have no rank at all.
    """
    ind = INDICATORS[code]
    df = ind.compute(as_of, level, county).copy()
    if ind.unit == "%":
        den = df["denominator"].where(df["denominator"] > 0)
        df["value"] = df["numerator"] / den
    else:
        df["value"] = df["numerator"]
    df["rank"] = _rank(df["value"], ind)
    return df.reset_index(drop=True)


def _rank(value: pd.Series, ind: Indicator) -> pd.Series:
    if not ind.ranked:
        return pd.Series(np.nan, index=value.index)
    return value.rank(ascending=ind.better == "low", method="min")


def format_value(value: float | None, unit: str) -> str:
    """Chinese display of a value: rates with one decimal, counts with thousands separators."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "—"
    if unit == "%":
        return f"{value * 100:.1f}%"
    if unit == "元":
        return f"{value / 1e8:.2f}亿元" if abs(value) >= 1e8 else f"{value / 1e4:.2f}万元"
    return f"{int(round(value)):,}"


SMALL = 3  # the small-cell rule: village counts of people under 3 are shown as <3 to who may not read the rows


def table(code: str, *, as_of: date, level: str = "county", county: str | None = None,
          worst_first: bool = False, small_cells: bool = False, city_values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every area of the level with its value: code, name, value, text, rank, rank_text, numerator, denominator.

    Areas without rows appear too (counts 0, rates —). Ranked indicators come best first (or worst first, to
    find who lags), neutral ones largest first; areas without a value always come last. With small_cells (a
    viewer who may not read that county's rows), a village count of people of 1 or 2 shows as <3 and a rate
    over fewer than 3 people as —, without a value or rank: such a cell would point at a household.
    city_values, when given, is values() of this level for the whole city: a county's rows are read from it
    instead of computed (each area's figure does not depend on the county asked for; ranks are the county's).
    """
    ind = INDICATORS[code]
    names = areas.regions(level, county)[["code", "name"]]
    own = values(code, as_of=as_of, level=level, county=county) if city_values is None else city_values
    df = names.merge(own, on="code", how="left")
    if ind.unit != "%":
        df["value"] = df["value"].fillna(0.0)
        df["numerator"] = df["numerator"].fillna(0.0)
    hide = pd.Series(False, index=df.index)
    if small_cells and level == "village" and ind.people:
        size = df["denominator"] if ind.unit == "%" else df["value"]
        hide = size.between(1, SMALL - 1)
        df.loc[hide, ["value", "numerator", "denominator"]] = np.nan
    df["rank"] = _rank(df["value"], ind)
    df["text"] = [format_value(v, ind.unit) for v in df["value"]]
    if ind.unit != "%":
        df.loc[hide, "text"] = f"<{SMALL}"
    df["rank"] = df["rank"].astype("Int64")
    df["rank_text"] = [str(r) if pd.notna(r) else "—" for r in df["rank"]]
    if ind.ranked:
        key = df["rank"].astype(float)
        key = -key if worst_first else key
    else:
        key = -df["value"]
    df["_o"] = key.fillna(np.inf)
    return df.sort_values(["_o", "code"]).drop(columns="_o").reset_index(drop=True)
