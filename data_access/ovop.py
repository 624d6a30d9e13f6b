"""一村一品 page service: specialty villages against the year's target, leading industries, the I2 criteria check
village by village, and chains, brands and 联农带农. Aggregated in SQL; one row per county or village."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, select

from data_access import areas, industry
from data_access.areas import in_county
from data_access.db import engine
from data_access.industry import RECOGNISED
from data_access.models.industry import SpecialtyMetric as SM
from data_access.models.industry import SpecialtyVillage as SV
from data_access.sql import area_frame, count_if

LEVELS = ("市级", "省级", "全国一村一品示范村")
STATUSES = ("培育", "认定", "示范")
CHAIN = {"chain_production": "生产", "chain_processing": "加工", "chain_circulation": "流通", "chain_service": "服务"}
CERTIFICATIONS = ("绿色", "有机", "地理标志")
CLOSE_OUTPUT, CLOSE_SHARE = 0.9, 0.05  # 接近达标: output within 10% of the line and share within 5 points
FIRST_YEAR = 2021


def years(as_of: date) -> list[int]:
    """The years the page can show at as_of, newest first."""
    return list(range(as_of.year, FIRST_YEAR - 1, -1))


def metric_year(as_of: date, year: int) -> int | None:
    """The metrics year standing for the picked year at as_of: that year once it has closed, else the last
    completed one (with metrics)."""
    return industry.metric_year(min(as_of, date(year + 1, 1, 1)))


def _names() -> dict[str, str]:
    return dict(areas.regions("county")[["code", "name"]].itertuples(index=False))


def progress(*, year: int, county: str | None = None) -> pd.DataFrame:
    """Specialty villages per county at the end of the year (recognised in or before it) against its target.

    Columns: code, name, specialty (I1), target, gap (target - specialty, 0 when met), the three LEVELS (of the
    recognised villages) and the three STATUSES (培育 included); a last row 全市 (code None) with the sums (its
    gap the sum of the counties' gaps).
    """
    q = (select(SV.county_code, SV.level, SV.status, func.count())
         .where(SV.year_recognised <= year, in_county(SV.village_code, county))
         .group_by(SV.county_code, SV.level, SV.status))
    counts = area_frame("industry", q, ["code", "level", "status", "n"], keys=3)
    names = _names()
    codes = [county] if county else list(names)
    out = pd.DataFrame({"code": codes, "name": [names.get(c, c) for c in codes]})
    recognised = counts[counts["status"].isin(RECOGNISED)]
    out["specialty"] = out["code"].map(recognised.groupby("code")["n"].sum()).fillna(0).astype(int)
    targets = industry.specialty_targets(year=year).set_index("code")["target"]
    out["target"] = out["code"].map(targets)
    for level in LEVELS:
        sel = recognised[recognised["level"] == level]
        out[level] = out["code"].map(sel.groupby("code")["n"].sum()).fillna(0).astype(int)
    for status in STATUSES:
        sel = counts[counts["status"] == status]
        out[status] = out["code"].map(sel.groupby("code")["n"].sum()).fillna(0).astype(int)
    out["gap"] = (out["target"] - out["specialty"]).clip(lower=0)
    if county is None:  # the city's gap is what the lagging counties still need, not the net of all counties
        total = out.drop(columns=["code", "name"]).sum(numeric_only=True, min_count=1)
        out = pd.concat([out, pd.DataFrame([{"code": None, "name": "全市", **total.to_dict()}])], ignore_index=True)
    return out


def growth(*, year: int, county: str | None = None) -> pd.DataFrame:
    """Recognised specialty villages at the end of each year since 2021 (the year counted cumulatively).

    Columns: year, code, name, specialty; one row per county and year (a county's line; the city is their sum).
    """
    q = (select(SV.county_code, SV.year_recognised, func.count())
         .where(SV.status.in_(RECOGNISED), SV.year_recognised <= year, in_county(SV.village_code, county))
         .group_by(SV.county_code, SV.year_recognised))
    df = area_frame("industry", q, ["code", "year_recognised", "n"], keys=2)
    names = _names()
    codes = [county] if county else list(names)
    rows = []
    for code in codes:
        mine = df[df["code"] == code]
        for y in range(FIRST_YEAR, year + 1):
            rows.append((y, code, names.get(code, code), int(mine.loc[mine["year_recognised"] <= y, "n"].sum())))
    return pd.DataFrame(rows, columns=["year", "code", "name", "specialty"])


def industries(*, year: int, county: str | None = None) -> pd.DataFrame:
    """Recognised specialty villages by leading industry. Columns: category, industry, villages, counties (how
    many counties have it), largest first."""
    q = (select(SV.category, SV.industry, func.count(), func.count(func.distinct(SV.county_code)))
         .where(SV.status.in_(RECOGNISED), SV.year_recognised <= year, in_county(SV.village_code, county))
         .group_by(SV.category, SV.industry))
    df = area_frame("industry", q, ["category", "industry", "villages", "counties"], keys=2)
    return df.sort_values(["villages", "industry"], ascending=[False, True]).reset_index(drop=True)


def industries_by_county(*, year: int, county: str | None = None) -> pd.DataFrame:
    """Recognised specialty villages per county and category. Columns: name (county), then one column per
    category found."""
    q = (select(SV.county_code, SV.category, func.count())
         .where(SV.status.in_(RECOGNISED), SV.year_recognised <= year, in_county(SV.village_code, county))
         .group_by(SV.county_code, SV.category))
    df = area_frame("industry", q, ["code", "category", "villages"], keys=2)
    names = _names()
    wide = df.pivot_table(index="code", columns="category", values="villages", aggfunc="sum", fill_value=0)
    codes = [county] if county else list(names)
    wide = wide.reindex(codes, fill_value=0).astype(int)
    wide.columns.name = None
    return wide.reset_index().assign(name=lambda d: d["code"].map(names)).drop(columns="code")[
        ["name", *wide.columns]]


CHECK_COLUMNS = ["village_code", "county", "township", "village", "industry", "level", "status", "metric_year",
                 "output", "agri_output", "share", "output_line", "share_line", "result", "output_gap", "share_gap",
                 "gap_text", "households_linked"]


def criteria(*, as_of: date, year: int, county: str | None = None) -> pd.DataFrame:
    """I2 village by village: every specialty village recognised in or before the year with its metrics of
    metric_year(as_of, year), the line it is held to (脱贫县 lower), and the result, worst first.

    Columns: CHECK_COLUMNS. result is 未达标 / 无年度指标 / 接近达标 (failing but within CLOSE_OUTPUT of the output line
    and CLOSE_SHARE of the share line) / 达标; output_gap (元) and share_gap (a fraction) are what is missing.
    """
    my = metric_year(as_of, year)
    q = (select(SV.village_code, SV.county_code, SV.industry, SV.level, SV.status, SM.industry_output, SM.agri_output,
                SM.households_linked)
         .select_from(SV).join(SM, and_(SM.specialty_village_id == SV.id, SM.year == my), isouter=True)
         .where(SV.status.in_(RECOGNISED), SV.year_recognised <= year, in_county(SV.village_code, county)))
    with engine("industry").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=["village_code", "county_code", "industry", "level", "status",
                                                          "output", "agri_output", "households_linked"])
    if df.empty:
        return pd.DataFrame(columns=CHECK_COLUMNS)
    tuopin = df["county_code"].isin(areas.tuopin_counties())
    df["output_line"] = np.where(tuopin, industry.TUOPIN_OUTPUT, industry.OUTPUT).astype(float)
    tenths = np.where(tuopin, industry.TUOPIN_SHARE_TENTHS, industry.SHARE_TENTHS)
    df["share_line"] = tenths / 10
    out, agri = df["output"].astype(float), df["agri_output"].astype(float)
    df["share"] = out / agri.where(agri > 0)
    has = out.notna()
    ok_out = out > df["output_line"]
    ok_share = out * 10 >= agri * tenths  # the same exact comparison as the SQL criterion
    passing = has & ok_out & ok_share
    df["output_gap"] = np.where(has & ~ok_out, df["output_line"] - out, 0.0)
    df["share_gap"] = np.where(has & ~ok_share, df["share_line"] - df["share"].fillna(0), 0.0)
    close = has & ~passing & (out >= CLOSE_OUTPUT * df["output_line"]) & (df["share_gap"] <= CLOSE_SHARE)
    df["result"] = np.select([passing, close, has], ["达标", "接近达标", "未达标"], "无年度指标")
    df["gap_text"] = [_gap(r) for r in df.itertuples()]
    df["metric_year"] = my
    names = areas.names_with_townships(df["village_code"].tolist())
    df["county"] = df["county_code"].map(_names())
    df["township"] = df["village_code"].str[:9].map(names)
    df["village"] = df["village_code"].map(names)
    severity = df["result"].map({"未达标": 0, "无年度指标": 1, "接近达标": 2, "达标": 3})
    relative = np.maximum(df["output_gap"] / df["output_line"], df["share_gap"] / df["share_line"])
    df = df.assign(_s=severity, _r=-relative).sort_values(["_s", "_r", "village_code"])
    return df[CHECK_COLUMNS].reset_index(drop=True)


def _gap(r) -> str:
    if r.result == "无年度指标":
        return "未报送年度指标"
    parts = []
    if r.output <= r.output_line:
        parts.append(f"产值差{r.output_gap / 1e4:,.2f}万元" if r.output_gap > 0
                     else f"产值恰为{r.output_line / 1e4:g}万元,须超过")
    if r.share_gap > 0:
        parts.append(f"占比差{r.share_gap * 100:.1f}个百分点")
    return ";".join(parts) or "—"


def chains(*, as_of: date, year: int, county: str | None = None) -> pd.DataFrame:
    """Chains, brands, certifications, cooperatives and 联农带农 of the recognised specialty villages, per county,
    from the metrics of metric_year(as_of, year).

    Columns: code, name, villages (with metrics), the four CHAIN links, full_chain (all four), brand, the three
    CERTIFICATIONS, cooperatives, households_linked, households_engaged, income (villagers' average per-capita
    income, 元), county_income (the counties' own, averaged), income_ratio; a last row 全市 (code None).
    """
    my = metric_year(as_of, year)
    links = [getattr(SM, c) for c in CHAIN]
    q = (select(SV.county_code, func.count(), *[count_if(c.is_(True)) for c in links], count_if(and_(*links)),
                count_if(SM.brand.is_not(None)), *[count_if(SM.certification == c) for c in CERTIFICATIONS],
                func.sum(SM.cooperatives), func.sum(SM.households_linked), func.sum(SM.households_engaged),
                func.sum(SM.per_capita_income), func.sum(SM.county_per_capita_income))
         .select_from(SV).join(SM, and_(SM.specialty_village_id == SV.id, SM.year == my))
         .where(SV.status.in_(RECOGNISED), SV.year_recognised <= year, in_county(SV.village_code, county))
         .group_by(SV.county_code))
    cols = ["code", "villages", *CHAIN, "full_chain", "brand", *CERTIFICATIONS, "cooperatives", "households_linked",
            "households_engaged", "income_sum", "county_income_sum"]
    df = area_frame("industry", q, cols)
    names = _names()
    codes = [county] if county else list(names)
    df = pd.DataFrame({"code": codes}).merge(df, on="code", how="left").fillna(0)
    if county is None:
        total = df.drop(columns="code").sum()
        df = pd.concat([df, pd.DataFrame([{"code": None, **total.to_dict()}])], ignore_index=True)
    df.insert(1, "name", [names.get(c, "全市") if c else "全市" for c in df["code"]])
    villages = df["villages"].where(df["villages"] > 0)
    df["income"] = df.pop("income_sum") / villages
    df["county_income"] = df.pop("county_income_sum") / villages
    df["income_ratio"] = df["income"] / df["county_income"]
    df["metric_year"] = my
    return df


def _total(df: pd.DataFrame, county: str | None) -> pd.Series:
    """The row of the county, or the 全市 row."""
    return df[df["code"] == county].iloc[0] if county else df[df["code"].isna()].iloc[0]


def cards(*, as_of: date, year: int, county: str | None = None) -> pd.DataFrame:
    """The page's headline cards (overview.CARD_COLUMNS) for the city or one county: I1 against the target, I2,
    全国一村一品示范村 and villages with all four chain links, each against the year before."""
    from data_access.overview import CARD_COLUMNS

    now, before = (_total(progress(year=y, county=county), county) for y in (year, year - 1))
    check_now, check_before = (criteria(as_of=as_of, year=y, county=county) for y in (year, year - 1))
    chain_now, chain_before = (_total(chains(as_of=as_of, year=y, county=county), county) for y in (year, year - 1))
    rate = lambda df: (df["result"] == "达标").mean() if len(df) else np.nan  # noqa: E731
    full = lambda r: r["full_chain"] / r["villages"] if r["villages"] else np.nan  # noqa: E731
    my = metric_year(as_of, year)
    nan = np.nan
    rows = [
        ("I1", f"{year}年一村一品专业村", float(now["specialty"]), float(now["target"]), "村", "较目标", "high",
         f"{year}年及以前认定(认定或示范)的专业村数,对比{year}年目标"),
        ("I2", f"专业村达标率({my}年度指标)" if my else "专业村达标率(无年度指标)", rate(check_now), rate(check_before), "%",
         "较上年", "high", "专业村中主导产业产值和占比达到标准的比例(脱贫县700万元、30%,其他1000万元、50%)"),
        ("national", "全国一村一品示范村", float(now["全国一村一品示范村"]), float(before["全国一村一品示范村"]), "村", "较上年",
         "neutral", f"{year}年及以前认定的全国一村一品示范村数"),
        ("chain", "产业链四环节齐全", full(chain_now), full(chain_before), "%", "较上年", "high",
         "有年度指标的专业村中,生产、加工、流通、服务四个环节齐全的比例"),
    ]
    return pd.DataFrame([(*r, nan, nan, nan) for r in rows], columns=CARD_COLUMNS)
