"""产业 query functions (INDICATORS.md I*): one row per area, aggregated in SQL."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import and_, exists, func, or_, select

from data_access.areas import area_key, group_keys, in_county
from data_access.db import engine
from data_access.models.industry import CollectiveIncome as CI
from data_access.models.industry import CountyMonthly as CM
from data_access.models.industry import CountyTarget as T
from data_access.models.industry import IndustryProject as P
from data_access.models.industry import ProjectAsset as AS
from data_access.models.industry import ProjectStatusChange as PS
from data_access.models.industry import SpecialtyMetric as SM
from data_access.models.industry import SpecialtyVillage as SV
from data_access.periods import last_completed_year
from data_access.sql import area_frame, count_if

STRONG_INCOME = 100_000  # I3: 经营性收入10万元以上
WEAK_INCOME = 50_000  # I4: 薄弱村
RUNNING = ("运营正常", "已盘活", "已整改")
WEAK_IDLE = ("弱质", "闲置")
FIXED = ("已盘活", "已整改")
RECOGNISED = ("认定", "示范")
# I2: leading-industry output over 1000万 and at least 50% of the village's agricultural output; in a 脱贫县 over
# 700万 and at least 30%. Shares as integer ratios (tenths), so exactly 30% compares exactly on every database.
OUTPUT, SHARE_TENTHS = 10_000_000, 5
TUOPIN_OUTPUT, TUOPIN_SHARE_TENTHS = 7_000_000, 3


def collective_year(as_of: date) -> int | None:
    """The year whose collective-income figures stand at as_of: the last year completed before as_of that
    has yearly figures (a year still running never counts, whatever its quarters say)."""
    q = select(func.max(CI.year)).where(CI.quarter.is_(None), CI.year <= last_completed_year(as_of))
    with engine("industry").connect() as conn:
        return conn.execute(q).scalar()


def collective(*, year: int, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """Collective economy of a year per area.

    Columns: code, reporting (villages with figures), strong (I3 numerator, >= 10万), weak (I4,
    < 5万), hollow (I4, = 0), operating_income (元).
    """
    key = area_key(CI.village_code, level).label("code")
    op = CI.operating_income
    q = (select(key, func.count(), count_if(op >= STRONG_INCOME), count_if(op < WEAK_INCOME), count_if(op == 0),
                func.sum(op))
         .where(CI.year == year, CI.quarter.is_(None), in_county(CI.village_code, county))
         .group_by(*group_keys(level, key)))
    return area_frame("industry", q, ["code", "reporting", "strong", "weak", "hollow", "operating_income"])


def specialty(*, year: int, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """I1: specialty villages recognised (认定 or 示范) in or before the year per area.

    Columns: code, specialty.
    """
    key = area_key(SV.village_code, level).label("code")
    q = (select(key, func.count())
         .where(SV.status.in_(RECOGNISED), SV.year_recognised <= year,
                in_county(SV.village_code, county)).group_by(*group_keys(level, key)))
    return area_frame("industry", q, ["code", "specialty"])


def specialty_targets(*, year: int) -> pd.DataFrame:
    """I1 targets of the year per county. Columns: code, target."""
    q = select(T.county_code, T.target).where(T.year == year, T.indicator == "I1")
    return area_frame("industry", q, ["code", "target"])


def status_at(as_of: date):
    """Each project's last dated status on or before as_of: a subquery (project_id, status, since)."""
    last = (select(PS.project_id, func.max(PS.changed_on).label("d"))
            .where(PS.changed_on <= as_of).group_by(PS.project_id).subquery())
    return (select(PS.project_id, PS.status, PS.changed_on.label("since"))
            .join(last, and_(PS.project_id == last.c.project_id, PS.changed_on == last.c.d)).subquery())


def ever_troubled(as_of: date):
    """The project was 弱质 or 闲置 at some time on or before as_of (I7)."""
    return exists(select(PS.id).where(PS.project_id == P.id, PS.status.in_(WEAK_IDLE), PS.changed_on <= as_of))


def projects(*, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """Project status at as_of (last dated status) per area.

    Columns: code, finished (not 在建: I6 denominator), running (运营正常/已盘活/已整改: I6
    numerator), weak_idle (弱质 or 闲置 at as_of), troubled (ever 弱质 or 闲置 by as_of: I7 denominator),
    rectified (of those, 已盘活 or 已整改 at as_of: I7 numerator), investment and revenue (元) of the projects
    started by as_of.
    """
    st = status_at(as_of)
    key = area_key(P.village_code, level).label("code")
    troubled = ever_troubled(as_of)
    q = (select(key, count_if(st.c.status != "在建"), count_if(st.c.status.in_(RUNNING)),
                count_if(st.c.status.in_(WEAK_IDLE)), count_if(troubled),
                count_if(and_(troubled, st.c.status.in_(FIXED))), func.sum(P.investment), func.sum(P.revenue))
         .select_from(P).join(st, st.c.project_id == P.id)
         .where(in_county(P.village_code, county)).group_by(*group_keys(level, key)))
    return area_frame("industry", q, ["code", "finished", "running", "weak_idle", "troubled", "rectified",
                                      "investment", "revenue"])


def assets(*, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """The asset ledger at as_of (assets formed on or before it) per area.

    Columns: code, assets, owned (with an owner: I8 numerator over assets), idle, damaged, lost (闲置, 损毁,
    流失), unapproved (disposed of without approval), value (元).
    """
    key = area_key(AS.village_code, level).label("code")
    q = (select(key, func.count(), count_if(AS.owner.is_not(None)), count_if(AS.state == "闲置"),
                count_if(AS.state == "损毁"), count_if(AS.state == "流失"),
                count_if(and_(AS.disposal.is_not(None), AS.disposal_approved.is_(False))), func.sum(AS.value))
         .where(AS.formed_on <= as_of, in_county(AS.village_code, county)).group_by(*group_keys(level, key)))
    return area_frame("industry", q, ["code", "assets", "owned", "idle", "damaged", "lost", "unapproved", "value"])


def metric_year(as_of: date) -> int | None:
    """The year whose specialty-village metrics stand at as_of: the last completed year with metrics."""
    q = select(func.max(SM.year)).where(SM.year <= last_completed_year(as_of))
    with engine("industry").connect() as conn:
        return conn.execute(q).scalar()


def meets_criterion(tuopin_counties: list[str]):
    """I2's criterion on a metric row: leading-industry output over 1000万 and at least 50% of the village's
    agricultural output; in a 脱贫县 over 700万 and at least 30%."""
    tuopin = SV.county_code.in_(tuopin_counties or ["------"])
    out, agri = SM.industry_output, SM.agri_output
    return or_(and_(tuopin, out > TUOPIN_OUTPUT, out * 10 >= agri * TUOPIN_SHARE_TENTHS),
               and_(~tuopin, out > OUTPUT, out * 10 >= agri * SHARE_TENTHS))


def specialty_check(*, as_of: date, tuopin_counties: list[str], level: str = "county",
                    county: str | None = None) -> pd.DataFrame:
    """I2 per area: the I1 villages (recognised in or before as_of's year) and those whose metrics of the last
    completed year meet the criterion. Columns: code, villages, with_metrics, passing."""
    key = area_key(SV.village_code, level).label("code")
    year = metric_year(as_of)
    metric = and_(SM.specialty_village_id == SV.id, SM.year == year)
    q = (select(key, func.count(), count_if(SM.year.is_not(None)),
                count_if(meets_criterion(tuopin_counties)))
         .select_from(SV).join(SM, metric, isouter=True)
         .where(SV.status.in_(RECOGNISED), SV.year_recognised <= as_of.year, in_county(SV.village_code, county))
         .group_by(*group_keys(level, key)))
    return area_frame("industry", q, ["code", "villages", "with_metrics", "passing"])


def county_month(*, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """County monthly figures at as_of: each county's latest month of as_of's year up to it (the month of D
    when reported). Labour of that month (I10), year-to-date 衔接资金 of that month's row (I9), and 消费帮扶
    sales and 832 purchases summed over the year's months to it. Per county or for the city (sums); these
    figures have no township or village breakdown (an empty frame at those levels).

    Columns: code, month (the latest month, a date), labour_employed, labour_target, fund_spent, fund_industry,
    consumption_sales, purchase_832, purchase_reserved.
    """
    cols = ["code", "month", "labour_employed", "labour_target", "fund_spent", "fund_industry", "consumption_sales",
            "purchase_832", "purchase_reserved"]
    if level not in ("city", "county"):
        return pd.DataFrame(columns=cols)
    year = and_(CM.month <= as_of, CM.month >= date(as_of.year, 1, 1))
    latest = (select(CM.county_code, func.max(CM.month).label("m"))
              .where(year, in_county(CM.county_code, county)).group_by(CM.county_code).subquery())
    sums = (select(CM.county_code, func.sum(CM.consumption_sales).label("sales"),
                   func.sum(CM.purchase_832).label("p832"), func.sum(CM.purchase_reserved).label("reserved"))
            .where(year, in_county(CM.county_code, county)).group_by(CM.county_code).subquery())
    key = area_key(CM.county_code, level).label("code")
    q = (select(key, func.max(CM.month), func.sum(CM.labour_employed), func.sum(CM.labour_target),
                func.sum(CM.fund_spent), func.sum(CM.fund_industry), func.sum(sums.c.sales), func.sum(sums.c.p832),
                func.sum(sums.c.reserved))
         .join(latest, and_(latest.c.county_code == CM.county_code, latest.c.m == CM.month))
         .join(sums, sums.c.county_code == CM.county_code)
         .group_by(*group_keys(level, key)))
    df = area_frame("industry", q, cols, keys=2)
    df["month"] = pd.to_datetime(df["month"]).dt.date
    return df
