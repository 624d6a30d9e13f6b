"""Refresh the village summary table that pages read instead of person-level rows."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, case, delete, func, insert, or_, select

from data_access.models.monitoring import GuaranteeCheck as GC
from data_access.models.monitoring import Household as H
from data_access.models.monitoring import Member as M
from data_access.models.monitoring import MonitoringCase as C
from data_access.models.monitoring import VillageSummary
from data_access.sql import count_if


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def summary_frame(engine: Engine, as_of: date) -> pd.DataFrame:
    """Per-village population and G1-G4 counts at as_of, aggregated in SQL."""
    ever = select(C.household_id).where(C.included_on <= as_of)
    in_pop = or_(H.is_tuopin.is_(True), H.id.in_(ever))
    last = (select(GC.household_id, func.max(GC.checked_on).label("d"))
            .where(GC.checked_on <= as_of).group_by(GC.household_id).subquery())
    water_bad = or_(GC.water_quantity_ok.is_(False), GC.water_quality_ok.is_(False),
                    GC.water_convenience_ok.is_(False), GC.water_reliability_ok.is_(False))
    q_hh = (select(H.village_code, H.county_code, func.count().label("households"),
                   count_if(H.is_tuopin.is_(True)).label("tuopin_households"),
                   func.sum(H.size).label("persons"),
                   func.sum(case((H.is_tuopin.is_(True), H.size), else_=0)).label("tuopin_persons"))
            .group_by(H.village_code, H.county_code))
    q_chk = (select(H.village_code, count_if(GC.housing_grade.in_(["C", "D"])).label("unsafe_housing"),
                    count_if(water_bad).label("unsafe_water"))
             .join(last, last.c.household_id == H.id)
             .join(GC, and_(GC.household_id == last.c.household_id, GC.checked_on == last.c.d))
             .where(in_pop).group_by(H.village_code))
    young, old = _years_before(as_of, 6), _years_before(as_of, 16)
    q_mem = (select(H.village_code, func.count().label("guarantee_persons"),
                    count_if(M.medical_insured.is_(True)).label("insured"),
                    count_if(and_(M.dropout.is_(True), M.birth_date <= young, M.birth_date > old))
                    .label("dropouts"))
             .join(H, H.id == M.household_id).where(in_pop).group_by(H.village_code))
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(q_hh).mappings().all())
        for q in (q_chk, q_mem):
            part = pd.DataFrame(conn.execute(q).mappings().all())
            if not part.empty:
                df = df.merge(part, on="village_code", how="left")
    for col in ("unsafe_housing", "unsafe_water", "dropouts", "insured", "guarantee_persons"):
        df[col] = df[col].fillna(0).astype(int) if col in df else 0
    return df


def refresh_summaries(engine: Engine, as_of: date) -> int:
    """Replace the village summary with figures at as_of in one transaction."""
    df = summary_frame(engine, as_of)
    rows = [{k: (int(v) if k not in ("village_code", "county_code") else v) for k, v in r.items()}
            for r in df.to_dict("records")]
    with engine.begin() as conn:
        conn.execute(delete(VillageSummary))
        if rows:
            conn.execute(insert(VillageSummary), rows)
    return len(rows)
