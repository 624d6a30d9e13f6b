"""产业 query functions (INDICATORS.md I*): one row per area, aggregated in SQL."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import and_, func, select

from data_access.areas import area_key, group_keys, in_county
from data_access.db import engine
from data_access.models.industry import CollectiveIncome as CI
from data_access.models.industry import CountyTarget as T
from data_access.models.industry import IndustryProject as P
from data_access.models.industry import ProjectStatusChange as PS
from data_access.models.industry import SpecialtyVillage as SV
from data_access.periods import last_completed_year
from data_access.sql import area_frame, count_if

STRONG_INCOME = 100_000  # I3: 经营性收入10万元以上
WEAK_INCOME = 50_000  # I4: 薄弱村
RUNNING = ("运营正常", "已盘活", "已整改")
WEAK_IDLE = ("弱质", "闲置")


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
         .where(SV.status.in_(["认定", "示范"]), SV.year_recognised <= year,
                in_county(SV.village_code, county)).group_by(*group_keys(level, key)))
    return area_frame("industry", q, ["code", "specialty"])


def specialty_targets(*, year: int) -> pd.DataFrame:
    """I1 targets of the year per county. Columns: code, target."""
    q = select(T.county_code, T.target).where(T.year == year, T.indicator == "I1")
    return area_frame("industry", q, ["code", "target"])


def projects(*, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """Project status at as_of (last dated status) per area.

    Columns: code, finished (not 在建: I6 denominator), running (运营正常/已盘活/已整改: I6
    numerator), weak_idle (弱质 or 闲置 at as_of).
    """
    last = (select(PS.project_id, func.max(PS.changed_on).label("d"))
            .where(PS.changed_on <= as_of).group_by(PS.project_id).subquery())
    key = area_key(P.village_code, level).label("code")
    q = (select(key, count_if(PS.status != "在建"), count_if(PS.status.in_(RUNNING)),
                count_if(PS.status.in_(WEAK_IDLE)))
         .select_from(P)
         .join(last, last.c.project_id == P.id)
         .join(PS, and_(PS.project_id == last.c.project_id, PS.changed_on == last.c.d))
         .where(in_county(P.village_code, county)).group_by(*group_keys(level, key)))
    return area_frame("industry", q, ["code", "finished", "running", "weak_idle"])
