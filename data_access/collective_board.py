"""村级集体经济 page service: villages by operating-income tier, I3 against the target, the 薄弱村 and 空壳村 that
left the tier or fell back, income structure, development types, growth (I5) and each county's top and bottom
villages. Yearly figures (quarter null) of a completed year; aggregated in SQL."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from data_access import areas, industry
from data_access.areas import in_county
from data_access.db import engine
from data_access.industry import STRONG_INCOME, WEAK_INCOME
from data_access.models.industry import CollectiveIncome as CI
from data_access.models.industry import CountyTarget as T
from data_access.settings import settings
from data_access.sql import area_frame, count_if

PARTS = {"op_business": "经营收入", "op_contracting": "发包及上交收入", "op_investment": "投资收益", "op_other": "其他经营收入",
         "subsidy_income": "补助收入", "other_income": "其他收入"}
OPERATING = ("op_business", "op_contracting", "op_investment", "op_other")


def years(as_of: date) -> list[int]:
    """Completed years with yearly figures at as_of, newest first."""
    q = (select(CI.year).where(CI.quarter.is_(None), CI.year <= as_of.year - 1).distinct())
    with engine("industry").connect() as conn:
        return sorted((int(y) for y in conn.execute(q).scalars()), reverse=True)


def tiers() -> list[str]:
    """Tier labels in order: 空壳 (0), then one per bound of the DASHBOARD_COLLECTIVE_TIERS setting, then the rest."""
    bounds = settings().collective_tiers
    wan = [_wan(b) for b in bounds]
    labels = ["空壳村(0元)", f"薄弱村(0-{wan[0]}万元)"]
    labels += [f"{a}-{b}万元" for a, b in zip(wan, wan[1:])]
    return labels + [f"{wan[-1]}万元及以上"]


def _wan(v: int) -> str:
    return f"{v / 1e4:g}"


def _tier(op):
    """SQL: the tier index (0 空壳, 1 薄弱, ...) of an operating income."""
    bounds = settings().collective_tiers
    return case((op == 0, 0), *[(op < b, i + 1) for i, b in enumerate(bounds)], else_=len(bounds) + 1)


def tier_index(values: pd.Series) -> pd.Series:
    """The tier index of incomes (the same cut as _tier)."""
    bounds = settings().collective_tiers
    idx = np.searchsorted(np.asarray(bounds, dtype=float), values.astype(float).to_numpy(), side="right") + 1
    return pd.Series(np.where(values.to_numpy() == 0, 0, idx), index=values.index)


def _group(county: str | None):
    """Group by county for the city, by township within a county."""
    return func.substr(CI.village_code, 1, 9 if county else 6).label("code")


def _area_names(county: str | None) -> pd.DataFrame:
    level = "township" if county else "county"
    return areas.regions(level, county)[["code", "name"]]


def tier_table(*, year: int, county: str | None = None) -> pd.DataFrame:
    """Villages per tier per county (per township within a county), with I3 against its target.

    Columns: code, name, villages (administrative villages), reporting, one column per tier label, strong (>= 10万),
    strong_share (I3: over all villages), target (the county's I3 target of the year; NaN for townships), weak
    (I4: under 5万, 空壳 included), hollow; a last row 全市 or the county's total (code None).
    """
    key = _group(county)
    op = CI.operating_income
    tier = _tier(op)  # one expression object: GROUP BY repeats its very bound parameters (PostgreSQL checks)
    q = (select(key, tier, func.count(), count_if(op >= STRONG_INCOME))
         .where(CI.year == year, CI.quarter.is_(None), in_county(CI.village_code, county))
         .group_by(key, tier))
    df = area_frame("industry", q, ["code", "tier", "n", "strong"], keys=2)
    labels = tiers()
    out = _area_names(county)
    villages = areas.village_counts("township" if county else "county", county).set_index("code")["villages"]
    out["villages"] = out["code"].map(villages).fillna(0).astype(int)
    out["reporting"] = out["code"].map(df.groupby("code")["n"].sum()).fillna(0).astype(int)
    for i, label in enumerate(labels):
        out[label] = out["code"].map(df[df["tier"] == i].set_index("code")["n"]).fillna(0).astype(int)
    out["strong"] = out["code"].map(df.groupby("code")["strong"].sum()).fillna(0).astype(int)
    out["weak"] = out[labels[0]] + out[labels[1]]
    out["hollow"] = out[labels[0]]
    total = out.drop(columns=["code", "name"]).sum()
    out = pd.concat([out, pd.DataFrame([{"code": None, "name": "合计" if county else "全市", **total.to_dict()}])],
                    ignore_index=True)
    out["strong_share"] = out["strong"] / out["villages"].where(out["villages"] > 0)
    out["target"] = out["code"].map(i3_targets(year=year)) if not county else np.nan
    if county:
        out.loc[out["code"].isna(), "target"] = i3_targets(year=year).get(county, np.nan)
    return out


def i3_targets(*, year: int) -> pd.Series:
    """The counties' I3 targets of the year (a share) by county code."""
    q = select(T.county_code, T.target).where(T.year == year, T.indicator == "I3")
    with engine("industry").connect() as conn:
        return pd.Series(dict(conn.execute(q).all()), dtype=float)


MOVES = {"fell_back": "返回薄弱", "to_hollow": "转为空壳", "left": "脱离薄弱", "left_hollow": "空壳转薄弱"}
MOVE_COLUMNS = ["village_code", "county", "township", "village", "move", "before", "after", "tier_before", "tier_after"]


def tier_moves(*, year: int, county: str | None = None) -> pd.DataFrame:
    """Villages whose 薄弱/空壳 state changed from the year before: fell back (返回薄弱, 转为空壳) first, then those
    that left (脱离薄弱, 空壳转薄弱). Villages with figures in both years only.

    Columns: MOVE_COLUMNS (before and after in 元).
    """
    prev = aliased(CI)
    now_op, prev_op = CI.operating_income, prev.operating_income
    weak_now, weak_before = now_op < WEAK_INCOME, prev_op < WEAK_INCOME
    changed = (weak_now != weak_before) | ((now_op == 0) != (prev_op == 0))
    q = (select(CI.village_code, prev_op, now_op)
         .join(prev, and_(prev.village_code == CI.village_code, prev.year == year - 1, prev.quarter.is_(None)))
         .where(CI.year == year, CI.quarter.is_(None), in_county(CI.village_code, county), changed))
    with engine("industry").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=["village_code", "before", "after"])
    if df.empty:
        return pd.DataFrame(columns=MOVE_COLUMNS)
    b, a = df["before"].astype(float), df["after"].astype(float)
    df["move"] = np.select(
        [(b >= WEAK_INCOME) & (a < WEAK_INCOME), (b > 0) & (a == 0), (b < WEAK_INCOME) & (a >= WEAK_INCOME)],
        [MOVES["fell_back"], MOVES["to_hollow"], MOVES["left"]], MOVES["left_hollow"])
    labels = tiers()
    df["tier_before"] = [labels[i] for i in tier_index(b)]
    df["tier_after"] = [labels[i] for i in tier_index(a)]
    df = _named(df)
    order = {m: i for i, m in enumerate(MOVES.values())}
    df = df.assign(_o=df["move"].map(order)).sort_values(["_o", "after", "village_code"])
    return df[MOVE_COLUMNS].reset_index(drop=True)


def _named(df: pd.DataFrame) -> pd.DataFrame:
    names = areas.names_with_townships(df["village_code"].tolist())
    counties = dict(areas.regions("county")[["code", "name"]].itertuples(index=False))
    return df.assign(county=df["village_code"].str[:6].map(counties), township=df["village_code"].str[:9].map(names),
                     village=df["village_code"].map(names))


def structure(*, year: int, county: str | None = None) -> pd.DataFrame:
    """Income by source per county (per township within a county), in 元.

    Columns: code, name, the PARTS, operating (经营性收入), total, previous (last year's operating income), growth
    (I5: operating over previous - 1); a last row 全市 or 合计 (code None).
    """
    key = _group(county)
    cols = [getattr(CI, p) for p in PARTS]
    now = (select(key, *[func.sum(c) for c in cols], func.sum(CI.operating_income), func.sum(CI.total_income))
           .where(CI.year == year, CI.quarter.is_(None), in_county(CI.village_code, county)).group_by(key))
    df = area_frame("industry", now, ["code", *PARTS, "operating", "total"])
    before = (select(key, func.sum(CI.operating_income))
              .where(CI.year == year - 1, CI.quarter.is_(None), in_county(CI.village_code, county)).group_by(key))
    prev = area_frame("industry", before, ["code", "previous"])
    out = _area_names(county).merge(df, on="code", how="left").merge(prev, on="code", how="left")
    out[[*PARTS, "operating", "total"]] = out[[*PARTS, "operating", "total"]].fillna(0)
    total = out.drop(columns=["code", "name"]).sum(min_count=1)
    out = pd.concat([out, pd.DataFrame([{"code": None, "name": "合计" if county else "全市", **total.to_dict()}])],
                    ignore_index=True)
    out["growth"] = out["operating"] / out["previous"].where(out["previous"] > 0) - 1
    return out


def development_types(*, year: int, county: str | None = None) -> pd.DataFrame:
    """Villages and their operating income by development type. Columns: development_type, villages, operating,
    average (元 per village), largest first."""
    q = (select(CI.development_type, func.count(), func.sum(CI.operating_income))
         .where(CI.year == year, CI.quarter.is_(None), in_county(CI.village_code, county))
         .group_by(CI.development_type))
    df = area_frame("industry", q, ["development_type", "villages", "operating"])
    df["average"] = df["operating"] / df["villages"].where(df["villages"] > 0)
    return df.sort_values(["villages", "development_type"], ascending=[False, True]).reset_index(drop=True)


RANK_COLUMNS = ["village_code", "county", "township", "village", "end", "place", "operating", "previous", "growth",
                "tier"]


def top_bottom(*, year: int, county: str | None = None, n: int = 5) -> pd.DataFrame:
    """Each county's n highest and n lowest villages by operating income (a window per county in SQL).

    Columns: RANK_COLUMNS: end is 最高 or 最低, place 1..n from that end; previous is last year's income.
    """
    op = CI.operating_income
    high = func.row_number().over(partition_by=CI.county_code, order_by=(op.desc(), CI.village_code)).label("hi")
    low = func.row_number().over(partition_by=CI.county_code, order_by=(op.asc(), CI.village_code)).label("lo")
    ranked = (select(CI.village_code, op.label("operating"), high, low)
              .where(CI.year == year, CI.quarter.is_(None), in_county(CI.village_code, county)).subquery())
    prev = aliased(CI)
    q = (select(ranked.c.village_code, ranked.c.operating, ranked.c.hi, ranked.c.lo, prev.operating_income)
         .join(prev, and_(prev.village_code == ranked.c.village_code, prev.year == year - 1, prev.quarter.is_(None)),
               isouter=True)
         .where((ranked.c.hi <= n) | (ranked.c.lo <= n)))
    with engine("industry").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=["village_code", "operating", "hi", "lo", "previous"])
    if df.empty:
        return pd.DataFrame(columns=RANK_COLUMNS)
    top = df[df["hi"] <= n].assign(end="最高", place=lambda d: d["hi"], _e=0)
    bottom = df[df["lo"] <= n].assign(end="最低", place=lambda d: d["lo"], _e=1)
    out = _named(pd.concat([top, bottom], ignore_index=True))
    out["operating"] = out["operating"].astype(float)
    out["previous"] = pd.to_numeric(out["previous"])
    out["growth"] = out["operating"] / out["previous"].where(out["previous"] > 0) - 1
    out["tier"] = [tiers()[i] for i in tier_index(out["operating"])]
    out = out.assign(_c=out["village_code"].str[:6]).sort_values(["_c", "_e", "place"])
    return out[RANK_COLUMNS].reset_index(drop=True)


def village_tiers(*, year: int, county: str | None = None) -> pd.DataFrame:
    """Every reporting village's operating income and tier (for the map). Columns: village_code, operating, tier
    (index), tier_label."""
    q = (select(CI.village_code, CI.operating_income)
         .where(CI.year == year, CI.quarter.is_(None), in_county(CI.village_code, county)))
    with engine("industry").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=["village_code", "operating"])
    df["operating"] = df["operating"].astype(float)
    df["tier"] = tier_index(df["operating"]) if len(df) else pd.Series(dtype=int)
    labels = tiers()
    df["tier_label"] = [labels[i] for i in df["tier"]]
    return df


def default_year(as_of: date) -> int | None:
    """The year the page opens on at as_of: the one I3 and I4 report (collective_year)."""
    return industry.collective_year(as_of)


def cards(*, year: int, county: str | None = None) -> pd.DataFrame:
    """The page's headline cards (overview.CARD_COLUMNS) for the city or one county: I3 against the year before
    (and the target in its definition), 薄弱村 and 空壳村 (I4) and the growth of operating income (I5)."""
    from data_access.overview import CARD_COLUMNS

    def total(df: pd.DataFrame) -> pd.Series:
        return df[df["code"].isna()].iloc[0]

    now, before = total(tier_table(year=year, county=county)), total(tier_table(year=year - 1, county=county))
    growth_now, growth_before = (total(structure(year=y, county=county))["growth"] for y in (year, year - 1))
    target = now["target"]
    goal = f";{year}年目标 {target * 100:.1f}%" if target == target else ""
    nan = np.nan
    rows = [
        ("I3", f"{year}年度经营性收入10万元以上村占比", now["strong_share"], before["strong_share"], "%", "较上年", "high",
         f"经营性收入不低于10万元的行政村占全部行政村的比例{goal}"),
        ("I4", f"{year}年度薄弱村", float(now["weak"]), float(before["weak"]) if before["reporting"] else nan, "村", "较上年",
         "low", "经营性收入低于5万元的村(含空壳村)"),
        ("hollow", f"{year}年度空壳村", float(now["hollow"]), float(before["hollow"]) if before["reporting"] else nan, "村",
         "较上年", "low", "经营性收入为0的村"),
        ("I5", f"{year}年度集体经营性收入增速", growth_now, growth_before, "%", "较上年", "high",
         f"{year}年度村集体经营性收入合计比{year - 1}年度增长的百分比"),
    ]
    return pd.DataFrame([(*r, nan, nan, nan) for r in rows], columns=CARD_COLUMNS)
