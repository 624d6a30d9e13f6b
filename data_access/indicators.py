"""Indicators shown on maps and cards: name, unit, definition (口径) and per-area values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from data_access import areas, industry, monitoring


@dataclass(frozen=True)
class Indicator:
    """One indicator as INDICATORS.md defines it."""

    code: str
    name: str
    unit: str  # 户 人 个 村 % 元
    definition: str
    better: str  # high / low / neutral
    compute: Callable[..., pd.DataFrame]  # (as_of, level, county) -> code, numerator, denominator
    note: str = ""


def _ratio(df: pd.DataFrame, num: str, den: str | None) -> pd.DataFrame:
    out = pd.DataFrame({"code": df["code"], "numerator": df[num].astype(float)})
    out["denominator"] = df[den].astype(float) if den else np.nan
    return out


def _year_start(d: date) -> date:
    return date(d.year, 1, 1)


def _m(col: str, den: str | None = None):
    return lambda as_of, level, county: _ratio(
        monitoring.stock(as_of=as_of, level=level, county=county), col, den)


def _flow(col: str, den: str | None = None):
    return lambda as_of, level, county: _ratio(
        monitoring.flow(start=_year_start(as_of), end=as_of, level=level, county=county), col, den)


def _g(col: str, den: str | None = None):
    return lambda as_of, level, county: _ratio(
        monitoring.guarantees(level=level, county=county), col, den)


def _collective(col: str, with_villages: bool):
    def compute(as_of, level, county):
        year = industry.collective_year(as_of)
        if year is None:
            return pd.DataFrame(columns=["code", "numerator", "denominator"])
        df = industry.collective(year=year, level=level, county=county)
        if with_villages:
            df = areas.village_counts(level, county).merge(df, on="code", how="left").fillna(0)
            return _ratio(df, col, "villages")
        return _ratio(df, col, None)
    return compute


def _specialty(as_of, level, county):
    return _ratio(industry.specialty(year=as_of.year, level=level, county=county), "specialty", None)


def _projects(as_of, level, county):
    return _ratio(industry.projects(as_of=as_of, level=level, county=county), "running", "finished")


INDICATORS: dict[str, Indicator] = {i.code: i for i in [
    Indicator("M1", "监测对象户数", "户", "截至数据日已纳入(县级审定)且未消除风险的监测对象户数", "neutral", _m("households")),
    Indicator("M2", "监测对象人数", "人", "M1 各户在数据日的家庭人口数之和", "neutral", _m("persons")),
    Indicator("M3", "本年新纳入户数", "户", "纳入日期在本年1月1日至数据日之间的监测对象数", "neutral", _flow("included")),
    Indicator("M4", "识别认定及时率", "%", "本年内作出认定的监测对象中,认定日期距发现日期不超过15天的占比", "high",
              _flow("decided_timely", "decided")),
    Indicator("M5", "逾期未认定", "户", "发现日期在数据日15天以前、截至数据日仍未作出认定的监测对象数", "low", _m("overdue")),
    Indicator("M12", "风险消除率(仅供参考)", "%", "截至数据日已消除风险的监测对象占累计纳入的比例;风险消除不设比例要求,不计分",
              "neutral", _m("eliminated_ever", "included_ever")),
    Indicator("G1", "住房安全问题户", "户", "脱贫户和曾纳入监测户中,最近一次核查住房评级为C级或D级的户数", "low",
              _g("unsafe_housing"), note="两不愁三保障指标按最近一次汇总(数据截至日)统计"),
    Indicator("G3", "基本医保参保率", "%", "脱贫户和曾纳入监测户成员中参加基本医保的人数占比", "high",
              _g("insured", "guarantee_persons"), note="两不愁三保障指标按最近一次汇总(数据截至日)统计"),
    Indicator("I1", "一村一品专业村", "村", "当年及以前认定(认定或示范)的一村一品专业村数", "high", _specialty),
    Indicator("I3", "经营性收入10万元以上村占比", "%", "上一完整年度村集体经营性收入不低于10万元的行政村占全部行政村的比例", "high",
              _collective("strong", True)),
    Indicator("I4", "集体经济薄弱村", "村", "上一完整年度村集体经营性收入低于5万元的行政村数(含空壳村)", "low",
              _collective("weak", False)),
    Indicator("I6", "产业项目运营正常率", "%", "截至数据日非在建项目中,状态为运营正常、已盘活或已整改的占比", "high", _projects),
]}


def values(code: str, *, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """Values of one indicator per area: code, numerator, denominator, value, rank.

    A rate whose denominator is zero has value NaN (shown as —), never 0% or 100%.
    Rank is among the areas returned, best first; neutral indicators rank largest first.
    """
    ind = INDICATORS[code]
    df = ind.compute(as_of, level, county).copy()
    if ind.unit == "%":
        den = df["denominator"].where(df["denominator"] > 0)
        df["value"] = df["numerator"] / den
    else:
        df["value"] = df["numerator"]
    df["rank"] = df["value"].rank(ascending=ind.better == "low", method="min")
    return df.reset_index(drop=True)


def format_value(value: float | None, unit: str) -> str:
    """Chinese display of a value: rates with one decimal, counts with thousands separators."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if unit == "%":
        return f"{value * 100:.1f}%"
    if unit == "元":
        return f"{value / 1e8:.2f}亿元" if abs(value) >= 1e8 else f"{value / 1e4:.2f}万元"
    return f"{int(round(value)):,}"


def table(code: str, *, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """Values with area names and display text, best first: code, name, value, text, rank,
    numerator, denominator. Areas without rows appear with value NaN."""
    ind = INDICATORS[code]
    names = areas.regions(level, county)[["code", "name"]]
    df = names.merge(values(code, as_of=as_of, level=level, county=county), on="code", how="left")
    if ind.unit != "%":
        df["value"] = df["value"].fillna(0.0)
        df["numerator"] = df["numerator"].fillna(0.0)
        df["rank"] = df["value"].rank(ascending=ind.better == "low", method="min")
    df["text"] = [format_value(v, ind.unit) for v in df["value"]]
    df["rank"] = df["rank"].astype("Int64")
    order = df["rank"].fillna(len(df) + 1)
    return df.assign(_o=order).sort_values(["_o", "code"]).drop(columns="_o").reset_index(drop=True)
