"""Refresh the village summary table that pages read instead of person-level rows.

One row per village and reporting date (the data date and every Sunday back to 2021), so that a figure at
any 统计时点 reads only records dated on or before it. Every figure is a count of things that hold over an
interval of dates (a member from birth; a 危房 rating from its check until the next check; a dropout from
the day it is recorded until the child is back at school or turns 16), so all dates are computed in one
pass: +1 where an interval starts, -1 where it ends, and a running sum over the dates.

The employment summary (EmploymentSummary: 脱贫劳动力 with work per village and year) is rebuilt with it, from the
year of `since` on.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, case, delete, distinct, func, select

from data_access.models.monitoring import Employment as E
from data_access.models.monitoring import EmploymentSummary as ES
from data_access.models.monitoring import GuaranteeCheck as GC
from data_access.models.monitoring import Household as H
from data_access.models.monitoring import Member as M
from data_access.models.monitoring import MonitoringCase as C
from data_access.models.monitoring import VillageSummary
from data_access.periods import report_dates
from data_access.sql import bulk_insert

EARLY, LATE = np.datetime64("1900-01-01", "D"), np.datetime64("9999-12-31", "D")
COUNTS = ("households", "tuopin_households", "persons", "tuopin_persons", "guarantee_households",
          "guarantee_persons", "insured", "unsafe_housing", "unsafe_water", "dropouts")


def _days(values) -> np.ndarray:
    """Dates (date objects, strings or None) as datetime64[D], None as NaT."""
    return pd.to_datetime(pd.Series(values, dtype=object)).to_numpy().astype("datetime64[D]")


def _add_years(days: np.ndarray, years: int) -> np.ndarray:
    """periods.add_years for an array: 29 February becomes 1 March in a common year."""
    d = pd.DatetimeIndex(days)
    year, month, day = d.year + years, d.month.to_numpy().copy(), d.day.to_numpy().copy()
    common = ~((year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0)))
    fix = (month == 2) & (day == 29) & common
    month[fix], day[fix] = 3, 1
    return pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day})).to_numpy().astype("datetime64[D]")


class _Intervals:
    """Counts per village and period of intervals [start, end) that contain the period's date."""

    def __init__(self, periods: np.ndarray, villages: int):
        self.periods, self.shape = periods, (villages, len(periods) + 1)

    def count(self, village: np.ndarray, start: np.ndarray, end: np.ndarray | None = None) -> np.ndarray:
        """NaT start: never; NaT (or no) end: never ends."""
        keep = ~np.isnat(start)
        village, start = village[keep], start[keep]
        end = np.full(len(start), LATE) if end is None else np.where(np.isnat(end[keep]), LATE, end[keep])
        first = np.searchsorted(self.periods, start, "left")
        stop = np.searchsorted(self.periods, end, "left")
        live = first < stop
        width = self.shape[1]
        size = self.shape[0] * width
        diff = (np.bincount(village[live] * width + first[live], minlength=size)
                - np.bincount(village[live] * width + stop[live], minlength=size))
        return diff.reshape(self.shape).cumsum(axis=1)[:, :-1]


def _read(conn, q, columns: list[str]) -> pd.DataFrame:
    rows = conn.execute(q).all()
    return pd.DataFrame(dict(zip(columns, zip(*rows))) if rows else {c: [] for c in columns}, columns=columns)


def summary_frame(engine: Engine, periods: list[date], counties: list[str] | None = None) -> pd.DataFrame:
    """Per-village counts at each of the given dates (of the given counties' villages, or all): period_end,
    village_code, county_code and COUNTS."""
    mine = [H.county_code.in_(counties)] if counties is not None else []
    houses = select(H.id).where(*mine)
    with engine.connect() as conn:
        hh = _read(conn, select(H.id, H.village_code, H.is_tuopin).where(*mine).order_by(H.id),
                   ["id", "village", "tuopin"])
        first_in = _read(conn, select(C.household_id, func.min(C.included_on)).where(
            C.included_on.is_not(None), *([C.household_id.in_(houses)] if mine else [])).group_by(C.household_id),
            ["id", "included"])
        mem = _read(conn, select(M.household_id, M.birth_date, M.medical_insured_on, M.dropout_on, M.returned_on)
                    .where(*([M.household_id.in_(houses)] if mine else [])),
                    ["hh", "birth", "insured", "dropout", "returned"])
        chk = _read(conn, select(GC.household_id, GC.checked_on, GC.housing_grade.in_(["C", "D"]), GC.water_ok.is_(False))
                    .where(*([GC.household_id.in_(houses)] if mine else []))
                    .order_by(GC.household_id, GC.checked_on, GC.id), ["hh", "on", "housing_bad", "water_bad"])
    villages = np.array(sorted(hh["village"].unique()), dtype=object)
    per = np.array(sorted(periods), dtype="datetime64[D]")
    counter = _Intervals(per, len(villages))
    hh_village = np.searchsorted(villages, hh["village"].to_numpy())
    tuopin = hh["tuopin"].astype(bool).to_numpy()
    # the 两不愁三保障 population: 脱贫户 always, other households from their first inclusion
    included = pd.Series(_days(first_in["included"]), index=first_in["id"].to_numpy())
    pop_start = np.where(tuopin, EARLY, included.reindex(hh["id"]).to_numpy().astype("datetime64[D]"))
    row = pd.Index(hh["id"]).get_indexer
    always = np.full(len(hh), EARLY)
    out = {"households": counter.count(hh_village, always),
           "tuopin_households": counter.count(hh_village[tuopin], always[tuopin]),
           "guarantee_households": counter.count(hh_village, pop_start)}

    m = row(mem["hh"].to_numpy())
    birth, v, m_pop = _days(mem["birth"]), hh_village[m], pop_start[m]
    in_pop = np.maximum(birth, m_pop)
    out["persons"] = counter.count(v, birth)
    out["tuopin_persons"] = counter.count(v[tuopin[m]], birth[tuopin[m]])
    out["guarantee_persons"] = counter.count(v, in_pop)
    out["insured"] = counter.count(v, np.maximum(in_pop, _days(mem["insured"])))
    # G2: aged 6-15 (from the 6th birthday to the day before the 16th) and recorded as a dropout
    school_age = np.maximum(in_pop, _add_years(birth, 6))
    dropout_from = np.maximum(school_age, _days(mem["dropout"]))
    returned = np.where(np.isnat(_days(mem["returned"])), LATE, _days(mem["returned"]))
    out["dropouts"] = counter.count(v, dropout_from, np.minimum(returned, _add_years(birth, 16)))

    c = row(chk["hh"].to_numpy())
    on = _days(chk["on"])
    same_next = np.r_[chk["hh"].to_numpy()[1:] == chk["hh"].to_numpy()[:-1], False]
    until = np.where(same_next, np.r_[on[1:], LATE], LATE)  # a check holds until the household's next one
    from_ = np.maximum(on, pop_start[c])
    for col, flag in (("unsafe_housing", "housing_bad"), ("unsafe_water", "water_bad")):
        bad = chk[flag].astype(bool).to_numpy()
        out[col] = counter.count(hh_village[c][bad], from_[bad], until[bad])

    n_v, n_p = len(villages), len(per)
    df = pd.DataFrame({"period_end": np.tile(per, n_v), "village_code": np.repeat(villages, n_p)})
    df["county_code"] = df["village_code"].str[:6]
    for col in COUNTS:
        df[col] = out[col].reshape(-1)
    return df


def refresh_summaries(engine: Engine, data_date: date, since: date | None = None,
                      counties: list[str] | None = None) -> int:
    """Rebuild the summary rows of the reporting dates from `since` (default: all), of the villages of `counties`
    (default: all), in one transaction.

    An import passes the earliest date and the counties its records carry; the seeder rebuilds everything.
    Returns the number of rows written.
    """
    periods = [p for p in report_dates(data_date) if since is None or p >= since]
    df = summary_frame(engine, periods, counties) if periods else pd.DataFrame()
    stale = delete(VillageSummary).where(*([VillageSummary.county_code.in_(counties)] if counties is not None else []))
    with engine.begin() as conn:
        conn.execute(stale if since is None else stale.where(VillageSummary.period_end >= since))
        written = bulk_insert(conn, VillageSummary.__table__, df)
        refresh_employment(conn, None if since is None else since.year, counties)
        return written


STABLE_MONTHS = 6  # 稳定就业: a job of the year lasting six months or more
# persons with a record matching each condition, per village and year (EmploymentSummary's columns)
_EMPLOYED = {"in_county": E.place == "县内", "in_province": E.place == "省内县外", "out_province": E.place == "省外",
             "kind_work": E.kind == "务工", "kind_public": E.kind == "公益岗位", "kind_relief": E.kind == "以工代赈",
             "kind_workshop": E.kind == "扶贫车间", "kind_ranger": E.kind == "生态护林员", "stable": E.months >= STABLE_MONTHS,
             "trained": E.trained.is_(True)}


def refresh_employment(conn: Connection, since_year: int | None = None, counties: list[str] | None = None) -> int:
    """Rebuild EmploymentSummary from the employment records (of since_year on, of the counties' villages, when
    given) in SQL; returns the rows written."""
    village = H.village_code
    q = (select(E.year, village, func.substr(village, 1, 6), func.count(distinct(E.member_id)),
                *[func.count(distinct(case((cond, E.member_id)))) for cond in _EMPLOYED.values()], func.sum(E.months))
         .select_from(E).join(M, M.id == E.member_id).join(H, H.id == M.household_id)
         .where(*([E.year >= since_year] if since_year is not None else []),
                *([H.county_code.in_(counties)] if counties is not None else []))
         .group_by(E.year, village))
    cols = ["year", "village_code", "county_code", "workers", *_EMPLOYED, "months"]
    df = _read(conn, q, cols)
    stale = delete(ES).where(*([ES.county_code.in_(counties)] if counties is not None else []))
    conn.execute(stale if since_year is None else stale.where(ES.year >= since_year))
    return bulk_insert(conn, ES.__table__, df)
