"""防返贫监测 query functions: one row per area, aggregated in SQL (see INDICATORS.md M*, G*)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import and_, case, func, or_, select, true

from data_access.areas import area_key, group_keys, in_area, in_county
from data_access.models.monitoring import DepartmentAlert as A
from data_access.models.monitoring import Measure, Member
from data_access.models.monitoring import MonitoringCase as C
from data_access.models.monitoring import VillageSummary as V
from data_access.sql import area_frame, count_if

TIMELY_DAYS = 15




def monitored_at(as_of: date):
    """A case under monitoring at as_of: included on or before it and not eliminated by then."""
    return and_(C.included_on <= as_of, or_(C.eliminated_on.is_(None), C.eliminated_on > as_of))


def stock(*, as_of: date, level: str = "county", county: str | None = None, township: str | None = None,
          where=None, persons: bool = True) -> pd.DataFrame:
    """Stocks at as_of per area (`where` narrows the cases: loop.case_filter; persons=False skips M2's join of
    the members, for callers that do not show it).

    Columns: code; households (M1), persons (M2: members born on or before as_of of those households),
    cases (cases under monitoring), overdue (M5), included_ever and eliminated_ever (M12 =
    eliminated_ever / included_ever).
    """
    area = and_(in_area(C.village_code, county, township), where if where is not None else true())
    key = area_key(C.village_code, level).label("code")
    monitored = monitored_at(as_of)
    overdue = and_(C.discovered_on <= as_of - timedelta(days=TIMELY_DAYS),
                   or_(C.decided_on.is_(None), C.decided_on > as_of))
    q = (select(key, func.count(func.distinct(case((monitored, C.household_id)))), count_if(monitored),
                count_if(overdue), count_if(C.included_on <= as_of), count_if(C.eliminated_on <= as_of))
         .where(area, C.discovered_on <= as_of).group_by(*group_keys(level, key)))
    cols = ["code", "households", "cases", "overdue", "included_ever", "eliminated_ever"]
    df = area_frame("monitoring", q, cols)
    if not persons:
        return df
    # M2 joins only the members of monitored households (an index lookup per household, not a member scan)
    q_m = (select(key, func.count(func.distinct(Member.id))).select_from(C)
           .join(Member, Member.household_id == C.household_id)
           .where(monitored, Member.birth_date <= as_of, area)
           .group_by(*group_keys(level, key)))
    persons = area_frame("monitoring", q_m, ["code", "persons"])
    df = df.merge(persons, on="code", how="left").fillna({"persons": 0})
    return df[["code", "households", "persons", *cols[2:]]]


def flow(*, start: date, end: date, level: str = "county", county: str | None = None,
         township: str | None = None, where=None) -> pd.DataFrame:
    """Flows in the period [start, end] per area (the loop: discovered -> decided -> included -> assisted ->
    eliminated).

    Columns: code; discovered; included (M3); decided and decided_timely (M4 = timely / decided);
    decided_late; eliminated; refused (不予纳入 decided in the period); assisted (cases whose first measure
    started in the period). `where` narrows the cases (loop.case_filter).
    """
    key = area_key(C.village_code, level).label("code")
    decided = C.decided_on.between(start, end)
    first = select(Measure.case_id, func.min(Measure.started_on).label("first")).group_by(Measure.case_id).subquery()
    q = (select(key, count_if(C.discovered_on.between(start, end)), count_if(C.included_on.between(start, end)),
                count_if(decided), count_if(and_(decided, C.decision_days <= TIMELY_DAYS)),
                count_if(and_(decided, C.decision_days > TIMELY_DAYS)),
                count_if(C.eliminated_on.between(start, end)), count_if(and_(decided, C.decision == "不予纳入")),
                count_if(first.c.first.between(start, end)))
         .select_from(C).join(first, first.c.case_id == C.id, isouter=True)
         .where(in_area(C.village_code, county, township), C.discovered_on <= end, where if where is not None else true())
         .group_by(*group_keys(level, key)))
    return area_frame("monitoring", q, ["code", "discovered", "included", "decided", "decided_timely", "decided_late",
                      "eliminated", "refused", "assisted"])


def alerts_pending(*, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """Department alerts received on or before as_of - 15 days and not verified by as_of.

    Columns: code, pending_alerts.
    """
    key = area_key(A.village_code, level).label("code")
    late = and_(A.received_on <= as_of - timedelta(days=TIMELY_DAYS),
                or_(A.verified_on.is_(None), A.verified_on > as_of))
    q = (select(key, count_if(late)).where(in_county(A.village_code, county), A.received_on <= as_of)
         .group_by(*group_keys(level, key)))
    return area_frame("monitoring", q, ["code", "pending_alerts"])


def guarantees(*, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """G1-G4 per area from the village summary at the latest reporting date on or before as_of.

    The 统计时点 picker offers exactly the reporting dates (the data date and every Sunday before it), so a
    page always reads the figures at its own date. Columns: code, households, tuopin_households, persons,
    guarantee_households, unsafe_housing (G1), dropouts (G2), insured and guarantee_persons (G3 = insured /
    guarantee_persons), unsafe_water (G4).
    """
    key = area_key(V.village_code, level).label("code")
    cols = ["households", "tuopin_households", "persons", "guarantee_households", "unsafe_housing", "dropouts",
            "insured", "guarantee_persons", "unsafe_water"]
    period = select(func.max(V.period_end)).where(V.period_end <= as_of).scalar_subquery()
    q = (select(key, *[func.sum(getattr(V, c)) for c in cols])
         .where(V.period_end == period, in_county(V.village_code, county)).group_by(*group_keys(level, key)))
    return area_frame("monitoring", q, ["code", *cols])
