"""产业项目与资产 page service: projects by status (I6, I7), the weak and idle ones with their rectification, the asset
ledger (I8), village PV stations and the county monthly figures (I9, I10, 消费帮扶, 832). Aggregates for every
role that may open the page; project and asset rows only for row-level roles, pinned to a county account's own."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, select

from data_access import areas, industry
from data_access.areas import in_county
from data_access.db import engine
from data_access.industry import FIXED, WEAK_IDLE, status_at
from data_access.models.industry import IndustryProject as P
from data_access.models.industry import ProjectAsset as AS
from data_access.models.industry import ProjectStatusChange as PS
from data_access.models.industry import PvStation as PV
from data_access.models.industry import PvYear as PY
from data_access.scope import Scope
from data_access.sql import area_frame, count_if, days_between

STATUSES = ("在建", "运营正常", "弱质", "闲置", "已盘活", "已整改")
CLASSES = ("经营性", "公益性", "到户类")
STATES = ("正常", "闲置", "损毁", "流失")
FUND_FLOOR = 0.6  # I9: at least 60% of 衔接资金 on industry
PV_USES = {"use_public_jobs": "公益岗位", "use_public_works": "小型公益事业", "use_rewards": "奖励补助"}


def _names(county: str | None) -> pd.DataFrame:
    return areas.regions("township" if county else "county", county)[["code", "name"]]


def _key(village_code, county: str | None):
    return func.substr(village_code, 1, 9 if county else 6).label("code")


def _with_total(df: pd.DataFrame, county: str | None) -> pd.DataFrame:
    total = df.drop(columns=["code", "name"]).sum(numeric_only=True)
    return pd.concat([df, pd.DataFrame([{"code": None, "name": "合计" if county else "全市", **total.to_dict()}])],
                     ignore_index=True)


def status_table(*, as_of: date, county: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Projects by their status at as_of per county (per township within a county), optionally of one start year.

    Columns: code, name, projects, one column per STATUS, finished, running, i6 (running / finished), troubled
    (ever 弱质 or 闲置), rectified, i7, investment, revenue (元), revenue_rate (revenue / investment); a total row.
    """
    st = status_at(as_of)
    key = _key(P.village_code, county)
    troubled = industry.ever_troubled(as_of)
    q = (select(key, func.count(), *[count_if(st.c.status == s) for s in STATUSES], count_if(troubled),
                count_if(and_(troubled, st.c.status.in_(FIXED))), func.sum(P.investment), func.sum(P.revenue))
         .select_from(P).join(st, st.c.project_id == P.id)
         .where(in_county(P.village_code, county), *([P.year == year] if year else [])).group_by(key))
    cols = ["code", "projects", *STATUSES, "troubled", "rectified", "investment", "revenue"]
    df = _names(county).merge(area_frame("industry", q, cols), on="code", how="left").fillna(0)
    df = _with_total(df, county)
    df["finished"] = df["projects"] - df["在建"]
    df["running"] = df["运营正常"] + df["已盘活"] + df["已整改"]
    df["i6"] = df["running"] / df["finished"].where(df["finished"] > 0)
    df["i7"] = df["rectified"] / df["troubled"].where(df["troubled"] > 0)
    df["revenue_rate"] = df["revenue"] / df["investment"].where(df["investment"] > 0)
    return df


TROUBLED_COLUMNS = ["project_id", "county", "township", "village", "name", "industry", "year", "status", "troubled_on",
                    "fixed_on", "days", "progress", "households_linked", "investment", "revenue", "revenue_rate"]


def troubled(scope: Scope, *, as_of: date, county: str | None = None, year: int | None = None,
             limit: int | None = 500) -> pd.DataFrame:
    """Projects ever 弱质 or 闲置 by as_of with their rectification: still weak or idle first (longest first), then
    the rectified ones (slowest first).

    Columns: TROUBLED_COLUMNS. troubled_on is the start of the last 弱质/闲置 spell by as_of; fixed_on the day it
    became 已盘活 or 已整改 (None while not); days the spell's length to fixed_on or to as_of.
    """
    county = scope.rows_county(county)
    st = status_at(as_of)
    spell = (select(PS.project_id, func.max(PS.changed_on).label("bad"))
             .where(PS.status.in_(WEAK_IDLE), PS.changed_on <= as_of).group_by(PS.project_id).subquery())
    fixed_on = (select(func.min(PS.changed_on)).where(PS.project_id == P.id, PS.status.in_(FIXED),
                                                      PS.changed_on >= spell.c.bad, PS.changed_on <= as_of)
                .correlate(P, spell).scalar_subquery())
    open_days = days_between(func.coalesce(fixed_on, as_of), spell.c.bad)
    q = (select(P.id, P.village_code, P.name, P.industry, P.year, st.c.status, spell.c.bad, fixed_on, open_days,
                P.households_linked, P.investment, P.revenue)
         .select_from(P).join(st, st.c.project_id == P.id).join(spell, spell.c.project_id == P.id)
         .where(in_county(P.village_code, county), *([P.year == year] if year else []))
         .order_by(st.c.status.in_(FIXED), spell.c.bad, P.id))
    if limit is not None:
        q = q.limit(limit)
    with engine("industry").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=[
            "project_id", "village_code", "name", "industry", "year", "status", "troubled_on", "fixed_on", "days",
            "households_linked", "investment", "revenue"])
    df["troubled_on"] = pd.to_datetime(df["troubled_on"]).dt.date
    df["fixed_on"] = [d.date() if pd.notna(d) else None for d in pd.to_datetime(df["fixed_on"])]
    df["progress"] = [f"{s},用时{int(d)}天" if s in FIXED else f"{s}中,已{int(d)}天未整改"
                      for s, d in zip(df["status"], df["days"])]
    df["revenue_rate"] = df["revenue"].astype(float) / df["investment"].astype(float).where(df["investment"] > 0)
    df = _located(df)
    return df[TROUBLED_COLUMNS]


def _located(df: pd.DataFrame) -> pd.DataFrame:
    names = areas.names_with_townships(df["village_code"].tolist())
    counties = dict(areas.regions("county")[["code", "name"]].itertuples(index=False))
    return df.assign(county=df["village_code"].str[:6].map(counties), township=df["village_code"].str[:9].map(names),
                     village=df["village_code"].map(names))


def asset_table(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """The asset ledger at as_of per county (per township within a county): assets, value, owned and I8, and the
    problems. Columns: code, name, assets, value, owned, i8, unowned, idle, damaged, lost, unapproved; a total row."""
    key = _key(AS.village_code, county)
    q = (select(key, func.count(), func.sum(AS.value), count_if(AS.owner.is_not(None)),
                *[count_if(AS.state == s) for s in STATES[1:]],
                count_if(and_(AS.disposal.is_not(None), AS.disposal_approved.is_(False))))
         .where(AS.formed_on <= as_of, in_county(AS.village_code, county)).group_by(key))
    cols = ["code", "assets", "value", "owned", "idle", "damaged", "lost", "unapproved"]
    df = _names(county).merge(area_frame("industry", q, cols), on="code", how="left").fillna(0)
    df = _with_total(df, county)
    df["unowned"] = df["assets"] - df["owned"]
    df["i8"] = df["owned"] / df["assets"].where(df["assets"] > 0)
    return df


def asset_classes(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """Assets by class and state at as_of. Columns: asset_class, then per state its count, assets, value,
    yearly_income (元)."""
    q = (select(AS.asset_class, *[count_if(AS.state == s) for s in STATES], func.count(), func.sum(AS.value),
                func.sum(AS.yearly_income))
         .where(AS.formed_on <= as_of, in_county(AS.village_code, county)).group_by(AS.asset_class))
    df = area_frame("industry", q, ["asset_class", *STATES, "assets", "value", "yearly_income"])
    return pd.DataFrame({"asset_class": CLASSES}).merge(df, on="asset_class", how="left").fillna(0)


ASSET_COLUMNS = ["asset_id", "village_code", "county", "township", "village", "project", "asset_class", "kind", "value", "owner",
                 "state", "disposal", "problem", "formed_on"]


def asset_problems(scope: Scope, *, as_of: date, county: str | None = None, limit: int | None = 500) -> pd.DataFrame:
    """Assets formed by as_of that need attention: no owner, 闲置, 损毁, 流失, or disposed of without approval;
    the most valuable first. Columns: ASSET_COLUMNS (problem names every problem of the asset)."""
    county = scope.rows_county(county)
    unapproved = and_(AS.disposal.is_not(None), AS.disposal_approved.is_(False))
    q = (select(AS.id, AS.village_code, P.name, AS.asset_class, AS.kind, AS.value, AS.owner, AS.state, AS.disposal,
                AS.disposal_approved, AS.formed_on)
         .select_from(AS).join(P, P.id == AS.project_id, isouter=True)
         .where(AS.formed_on <= as_of, in_county(AS.village_code, county),
                AS.owner.is_(None) | AS.state.in_(STATES[1:]) | unapproved)
         .order_by(AS.value.desc(), AS.id))
    if limit is not None:
        q = q.limit(limit)
    with engine("industry").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=[
            "asset_id", "village_code", "project", "asset_class", "kind", "value", "owner", "state", "disposal",
            "approved", "formed_on"])
    problems = []
    for r in df.itertuples():
        p = ["未确权"] if pd.isna(r.owner) else []
        p += [r.state] if r.state != "正常" else []
        p += [f"{r.disposal}未经审批"] if r.disposal and r.approved is False else []
        problems.append("、".join(p))
    df["problem"] = problems
    df["owner"] = df["owner"].fillna("(未明确)")
    df["formed_on"] = pd.to_datetime(df["formed_on"]).dt.date
    return _located(df)[ASSET_COLUMNS]


def pv_year(as_of: date) -> int | None:
    """The PV year standing at as_of: the last completed year with generation figures."""
    q = select(func.max(PY.year)).where(PY.year <= as_of.year - 1)
    with engine("industry").connect() as conn:
        return conn.execute(q).scalar()


def pv_table(*, year: int, county: str | None = None) -> pd.DataFrame:
    """Village PV stations per county (per township within a county) in the year: stations, kW, generation (kWh),
    hours (kWh per kW), income and its uses (元), unused (income not assigned to a use); a total row."""
    key = _key(PV.village_code, county)
    q = (select(key, func.count(), func.sum(PV.kw), func.sum(PY.generation_kwh), func.sum(PY.income),
                *[func.sum(getattr(PY, u)) for u in PV_USES])
         .select_from(PV).join(PY, and_(PY.station_id == PV.id, PY.year == year))
         .where(in_county(PV.village_code, county)).group_by(key))
    cols = ["code", "stations", "kw", "generation", "income", *PV_USES]
    df = _names(county).merge(area_frame("industry", q, cols), on="code", how="left").fillna(0)
    df = _with_total(df, county)
    df["hours"] = df["generation"] / df["kw"].where(df["kw"] > 0)
    df["unused"] = df["income"] - df[list(PV_USES)].sum(axis=1)
    return df


PV_COLUMNS = ["station_id", "village_code", "county", "township", "village", "kw", "built_year", "generation", "hours", "income",
              *PV_USES]


def pv_stations(*, year: int, county: str | None = None, limit: int = 500) -> pd.DataFrame:
    """Stations of the year, lowest yield (hours) first: the ones to check. Columns: PV_COLUMNS."""
    hours = PY.generation_kwh / PV.kw
    q = (select(PV.id, PV.village_code, PV.kw, PV.built_year, PY.generation_kwh, hours, PY.income,
                *[getattr(PY, u) for u in PV_USES])
         .select_from(PV).join(PY, and_(PY.station_id == PV.id, PY.year == year))
         .where(in_county(PV.village_code, county)).order_by(hours, PV.id).limit(limit))
    with engine("industry").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=["station_id", "village_code", "kw", "built_year",
                                                          "generation", "hours", "income", *PV_USES])
    return _located(df)[PV_COLUMNS]


def monthly(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """County monthly figures at as_of (industry.county_month) per county with the rates: i10 (务工完成率), i9
    (产业占比), below_floor (I9 under 60%), p832_rate (832 purchases over the reserved share); a 全市 row.

    Columns: code, name, month, month_text (2026年11月), labour_employed, labour_target, i10, fund_spent,
    fund_industry, i9, below_floor, floor_text, consumption_sales, purchase_832, purchase_reserved, p832_rate.
    """
    names = areas.regions("county", county)[["code", "name"]]
    df = names.merge(industry.county_month(as_of=as_of, county=county), on="code", how="left")
    if county is None:
        city = industry.county_month(as_of=as_of, level="city").assign(name="全市", code=None)
        df = pd.concat([df, city], ignore_index=True)
    df["i10"] = df["labour_employed"] / df["labour_target"].where(df["labour_target"] > 0)
    df["i9"] = df["fund_industry"] / df["fund_spent"].where(df["fund_spent"] > 0)
    df["below_floor"] = df["i9"] < FUND_FLOOR
    df["floor_text"] = np.where(df["below_floor"], "低于60%", "")
    df["month_text"] = [f"{m.year}年{m.month}月" if pd.notna(m) else "未报送" for m in df["month"]]
    df["p832_rate"] = df["purchase_832"] / df["purchase_reserved"].where(df["purchase_reserved"] > 0)
    return df


def project_points(scope: Scope, *, as_of: date, county: str) -> pd.DataFrame:
    """Every project of one county with its status at as_of (for the map). Columns: project_id, village_code,
    name, status, investment."""
    county = scope.rows_county(county)
    st = status_at(as_of)
    q = (select(P.id, P.village_code, P.name, st.c.status, P.investment)
         .select_from(P).join(st, st.c.project_id == P.id).where(in_county(P.village_code, county)))
    with engine("industry").connect() as conn:
        return pd.DataFrame(conn.execute(q).all(), columns=["project_id", "village_code", "name", "status",
                                                           "investment"])


def share_text(value: float) -> str:
    """A rate as 12.3%, — when there is none."""
    return "—" if value is None or np.isnan(value) else f"{value * 100:.1f}%"


def cards(*, as_of: date, county: str | None = None, year: int | None = None) -> pd.DataFrame:
    """The page's headline cards (overview.CARD_COLUMNS) for the city or one county: I6, I7, I8 at as_of against
    seven days before, and I9, I10 of as_of's month against the month before."""
    from datetime import timedelta

    from data_access.overview import CARD_COLUMNS

    def total(df: pd.DataFrame) -> pd.Series:
        return df[df["code"].isna()].iloc[0] if county is None or df["code"].isna().any() else df.iloc[0]

    week = as_of - timedelta(days=7)
    s_now, s_before = (total(status_table(as_of=d, county=county, year=year)) for d in (as_of, week))
    a_now, a_before = (total(asset_table(as_of=d, county=county)) for d in (as_of, week))
    month_before = date(as_of.year, as_of.month, 1) - timedelta(days=1)
    m_now, m_before = (total(monthly(as_of=d, county=county)) for d in (as_of, month_before))
    nan = np.nan
    rows = [
        ("I6", "产业项目运营正常率", s_now["i6"], s_before["i6"], "%", "较上周", "high", "非在建项目中运营正常、已盘活或已整改的占比"),
        ("I7", "弱质闲置项目整改率", s_now["i7"], s_before["i7"], "%", "较上周", "high",
         "统计时点以前曾为弱质或闲置的项目中,已盘活或已整改的占比"),
        ("I8", "扶贫资产确权率", a_now["i8"], a_before["i8"], "%", "较上周", "high", "已形成资产中明确所有权人的占比"),
        ("I9", f"{as_of.month}月衔接资金产业占比", m_now["i9"], m_before["i9"] if as_of.month > 1 else nan,
         "%", "较上月", "high", "本年累计衔接资金支出中用于产业发展的占比,不低于60%"),
        ("I10", f"{as_of.month}月脱贫劳动力务工完成率", m_now["i10"], m_before["i10"], "%", "较上月", "high",
         "当月脱贫劳动力务工人数占目标任务的比例"),
    ]
    return pd.DataFrame([(*r, nan, nan, nan) for r in rows], columns=CARD_COLUMNS)
