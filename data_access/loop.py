"""The closed loop after discovery (INDICATORS.md M6-M11): measures, eliminations by the rules, visits and
department alerts, per area and aggregated in SQL; plus the breakdowns and trends of the 防返贫监测 page.

Every function takes the as-of date (or a period ending on it) and reads only records dated on or before it.
The SQL conditions are shared with lists.py, so a count and the list behind it never disagree.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Date, and_, exists, extract, func, literal, or_, select, true
from sqlalchemy.orm import aliased

from data_access.areas import area_key, group_keys, in_area
from data_access.models.monitoring import CaseRisk as R
from data_access.models.monitoring import DepartmentAlert as A
from data_access.models.monitoring import GuaranteeCheck as G
from data_access.models.monitoring import IncomeLine as L
from data_access.models.monitoring import IncomeRecord as IR
from data_access.models.monitoring import Measure as MS
from data_access.models.monitoring import Member as MB
from data_access.models.monitoring import MonitoringCase as C
from data_access.models.monitoring import Visit as V
from data_access.monitoring import TIMELY_DAYS, monitored_at
from data_access.periods import add_years
from data_access.rules_mapping import RISK_MEASURES
from data_access.sql import area_frame, count_if, days_between

CASE_TYPES = ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户")
RISKS = tuple(RISK_MEASURES)
CHANNELS = ("农户自主申报", "基层干部排查", "部门筛查预警")
LABOUR = ("普通", "弱")
SETTLE_DAYS = 30  # M6/M7: a case included at least 30 days ago should have its measures
MIN_MONITORED_DAYS = 183  # M9
VISIT_DAYS = 30  # M10
RULES = {"short": "监测不满6个月", "no_measure": "消除前无帮扶措施", "low_income": "收入低于监测范围",
         "check_failed": "两不愁三保障或饮水未达标", "no_labour": "家中无劳动能力成员"}


def case_filter(case_type: str | None = None, risk: str | None = None):
    """Cases of one monitoring type and/or with one risk (None: all)."""
    if case_type is not None and case_type not in CASE_TYPES:
        raise ValueError(f"unknown case type {case_type!r}")
    if risk is not None and risk not in RISKS:
        raise ValueError(f"unknown risk {risk!r}")
    cond = [true()]
    if case_type:
        cond.append(C.case_type == case_type)
    if risk:
        cond.append(exists(select(R.id).where(R.case_id == C.id, R.risk == risk)))
    return and_(*cond)


def _day(d: date):
    return literal(d, Date)


# ---------------------------------------------------------------- conditions on a case (correlated to C)


def has_measure(by) -> object:
    """At least one measure started on or before `by` (a date or a date column)."""
    return exists(select(MS.id).where(MS.case_id == C.id, MS.started_on <= by))


def all_risks_matched(by) -> object:
    """Every risk of the case has a measure of a matching category (rules_mapping) started on or before `by`."""
    matching = or_(*[and_(R.risk == risk, MS.category.in_(cats)) for risk, cats in RISK_MEASURES.items()])
    # two levels down, name what is the outer row's: the risk and the case are, the measure is not
    answered = exists(select(MS.id).where(MS.case_id == C.id, MS.started_on <= by, matching)).correlate_except(MS)
    return ~exists(select(R.id).where(R.case_id == C.id, ~answered)).correlate_except(R)


def able_to_work(as_of: date) -> object:
    """The household has a member aged 16-60 at as_of with labour capacity 普通 or 弱 (M8)."""
    return exists(select(MB.id).where(MB.household_id == C.household_id, MB.labour_capacity.in_(LABOUR),
                                      MB.birth_date <= add_years(as_of, -16), MB.birth_date > add_years(as_of, -61)))


def developmental(by) -> object:
    """A measure marked 开发式帮扶 started on or before `by`."""
    return exists(select(MS.id).where(MS.case_id == C.id, MS.is_developmental.is_(True), MS.started_on <= by))


def visited(as_of: date) -> object:
    """A visit to the household in the 30 days up to as_of (as_of - 29 to as_of)."""
    return exists(select(V.id).where(V.household_id == C.household_id, V.visited_on > as_of - timedelta(days=VISIT_DAYS),
                                     V.visited_on <= as_of))


def _last_income_year():
    earlier = aliased(IR)  # its own alias: inside a query over IR it must not correlate to the outer row
    return (select(func.max(earlier.year)).where(earlier.household_id == C.household_id,
                                                 earlier.year < extract("year", C.eliminated_on))
            .correlate(C).scalar_subquery())


def _last_check_date():
    earlier = aliased(G)
    return (select(func.max(earlier.checked_on)).where(earlier.household_id == C.household_id,
                                                       earlier.checked_on <= C.eliminated_on)
            .correlate(C).scalar_subquery())


def check_fails():
    """Any of 吃穿, 义务教育, 基本医疗, 住房 (C/D), 饮水 not met in a guarantee check."""
    return or_(G.food_clothing_ok.is_(False), G.education_ok.is_(False), G.medical_ok.is_(False),
               G.housing_grade.in_(["C", "D"]), G.water_quantity_ok.is_(False), G.water_quality_ok.is_(False),
               G.water_convenience_ok.is_(False), G.water_reliability_ok.is_(False))


def violations(province: str | None) -> dict[str, object]:
    """M9's rules for an eliminated case, each a condition that is true when the elimination breaks it.

    Dates are inclusive: a measure or a check on the elimination day counts as before it; monitored days are
    elimination minus inclusion (183 is enough); income equal to the line is not below it; the income record is
    the last one of a year before the elimination's year, against that year's line of the province.
    """
    low_income = exists(select(IR.id).join(L, and_(L.year == IR.year, L.province == province))
                        .where(IR.household_id == C.household_id, IR.year == _last_income_year(),
                               IR.per_capita_net < L.amount)).correlate(C)
    failed = exists(select(G.id).where(G.household_id == C.household_id, G.checked_on == _last_check_date(),
                                       check_fails())).correlate(C)
    return {
        "short": days_between(C.eliminated_on, C.included_on) < MIN_MONITORED_DAYS,
        "no_measure": ~has_measure(C.eliminated_on),
        "low_income": low_income,
        "check_failed": failed,
        "no_labour": ~exists(select(MB.id).where(MB.household_id == C.household_id, MB.labour_capacity.in_(LABOUR),
                                                 MB.birth_date <= C.eliminated_on)),
    }


# ---------------------------------------------------------------- per area


def _where(county, township, case_type, risk):
    return and_(in_area(C.village_code, county, township), case_filter(case_type, risk))


def coverage(*, as_of: date, level: str = "county", county: str | None = None, township: str | None = None,
             case_type: str | None = None, risk: str | None = None) -> pd.DataFrame:
    """M6, M7, M8 per area at as_of.

    Columns: code; settled (under monitoring, included on or before as_of - 30: M6 and M7 denominator),
    with_measure (M6 numerator), matched (M7 numerator), able (under monitoring with a member able to work:
    M8 denominator), developmental (M8 numerator).
    """
    key = area_key(C.village_code, level).label("code")
    monitored = monitored_at(as_of)
    settled = and_(monitored, C.included_on <= as_of - timedelta(days=SETTLE_DAYS))
    able = and_(monitored, able_to_work(as_of))
    q = (select(key, count_if(settled), count_if(and_(settled, has_measure(_day(as_of)))),
                count_if(and_(settled, all_risks_matched(_day(as_of)))), count_if(able),
                count_if(and_(able, developmental(_day(as_of)))))
         .where(C.included_on <= as_of, _where(county, township, case_type, risk)).group_by(*group_keys(level, key)))
    return area_frame("monitoring", q, ["code", "settled", "with_measure", "matched", "able", "developmental"])


def compliance(*, start: date, end: date, province: str | None, level: str = "county", county: str | None = None,
               township: str | None = None, case_type: str | None = None, risk: str | None = None) -> pd.DataFrame:
    """M9 per area: eliminations in [start, end] and those breaking each rule.

    Columns: code, eliminated, violating (breaking at least one rule: M9), and one column per RULES key.
    """
    key = area_key(C.village_code, level).label("code")
    rules = violations(province)
    q = (select(key, func.count(), count_if(or_(*rules.values())), *[count_if(r) for r in rules.values()])
         .where(C.eliminated_on.between(start, end), _where(county, township, case_type, risk))
         .group_by(*group_keys(level, key)))
    return area_frame("monitoring", q, ["code", "eliminated", "violating", *rules])


def visits(*, as_of: date, level: str = "county", county: str | None = None, township: str | None = None,
           case_type: str | None = None, risk: str | None = None) -> pd.DataFrame:
    """M10 per area: cases under monitoring at as_of and those visited in the last 30 days.

    Columns: code, monitored, visited.
    """
    key = area_key(C.village_code, level).label("code")
    monitored = monitored_at(as_of)
    q = (select(key, count_if(monitored), count_if(and_(monitored, visited(as_of))))
         .where(C.included_on <= as_of, _where(county, township, case_type, risk)).group_by(*group_keys(level, key)))
    return area_frame("monitoring", q, ["code", "monitored", "visited"])


def _alert_conditions(start: date, end: date):
    received = A.received_on.between(start, end)
    due = and_(received, A.received_on <= end - timedelta(days=TIMELY_DAYS))
    verified = and_(A.verified_on.is_not(None), A.verified_on <= end)
    timely = and_(due, verified, days_between(A.verified_on, A.received_on) <= TIMELY_DAYS)
    return received, due, verified, timely


def alert_checks(*, start: date, end: date, level: str = "county", county: str | None = None,
                 township: str | None = None) -> pd.DataFrame:
    """M11 per area: department alerts received in [start, end], those due (received on or before end - 15), and
    those verified within 15 days. Columns: code, received, due, timely, verified."""
    key = area_key(A.village_code, level).label("code")
    received, due, verified, timely = _alert_conditions(start, end)
    q = (select(key, count_if(received), count_if(due), count_if(timely), count_if(and_(received, verified)))
         .where(in_area(A.village_code, county, township), A.received_on <= end).group_by(*group_keys(level, key)))
    return area_frame("monitoring", q, ["code", "received", "due", "timely", "verified"])


def alert_sources(*, start: date, end: date, county: str | None = None, township: str | None = None) -> pd.DataFrame:
    """M11 by source department, with results. Columns: source, received, due, timely, verified, included
    (纳入), refused (不纳入), already (已是监测对象), waiting (due and not verified by end)."""
    received, due, verified, timely = _alert_conditions(start, end)
    result = lambda r: count_if(and_(received, verified, A.result == r))  # noqa: E731
    q = (select(A.source, count_if(received), count_if(due), count_if(timely), count_if(and_(received, verified)),
                result("纳入"), result("不纳入"), result("已是监测对象"), count_if(and_(due, ~verified)))
         .where(in_area(A.village_code, county, township), A.received_on <= end).group_by(A.source)
         .order_by(A.source))
    return area_frame("monitoring", q, ["source", "received", "due", "timely", "verified", "included", "refused",
                                        "already", "waiting"])


# ---------------------------------------------------------------- breakdowns and trends


def monitored_by(*, as_of: date, by: str, county: str | None = None, township: str | None = None) -> pd.DataFrame:
    """Cases under monitoring at as_of by monitoring type (by="type") or by risk (by="risk": a case counts once
    under each of its risks). Columns: name, cases."""
    monitored = and_(monitored_at(as_of), in_area(C.village_code, county, township))
    if by == "type":
        q = select(C.case_type, func.count()).where(monitored).group_by(C.case_type)
        names = CASE_TYPES
    elif by == "risk":
        q = select(R.risk, func.count(func.distinct(C.id))).join(C, C.id == R.case_id).where(monitored).group_by(R.risk)
        names = RISKS
    else:
        raise ValueError(f"unknown breakdown {by!r}")
    df = area_frame("monitoring", q, ["name", "cases"])
    return pd.DataFrame({"name": names}).merge(df, on="name", how="left").fillna({"cases": 0})


def monthly(*, as_of: date, county: str | None = None, township: str | None = None, case_type: str | None = None,
            risk: str | None = None) -> pd.DataFrame:
    """Inclusions and eliminations per month from January 2021 to as_of's month (as_of's month up to as_of).

    Columns: month (YYYY-MM), included, eliminated.
    """
    where = _where(county, township, case_type, risk)
    out = []
    for col, name in ((C.included_on, "included"), (C.eliminated_on, "eliminated")):
        q = (select(extract("year", col), extract("month", col), func.count())
             .where(col <= as_of, col >= date(2021, 1, 1), where).group_by(extract("year", col), extract("month", col)))
        df = area_frame("monitoring", q, ["year", "month", name])
        df.index = [f"{int(y):04d}-{int(m):02d}" for y, m in zip(df.pop("year"), df.pop("month"))]
        out.append(df[name])
    months = pd.period_range("2021-01", pd.Period(as_of, "M"), freq="M").strftime("%Y-%m")
    frame = pd.concat(out, axis=1).reindex(months).fillna(0).astype(int)
    return frame.rename_axis("month").reset_index()


def timeliness(*, start: date, end: date, level: str = "county", county: str | None = None,
               township: str | None = None, case_type: str | None = None, risk: str | None = None) -> dict[str, pd.DataFrame]:
    """M4 for decisions in [start, end]: the spread of days from discovery to decision, and per area and per
    discovery channel the decisions, those within 15 days and the median days.

    Returns {"days": days, decisions (all areas); "areas": code, decided, timely, median_days;
    "channels": channel, decided, timely, median_days}.
    """
    key = area_key(C.village_code, level).label("code")
    q = (select(key, C.channel, C.decision_days, func.count())
         .where(C.decided_on.between(start, end), _where(county, township, case_type, risk))
         .group_by(*group_keys(level, key), C.channel, C.decision_days))
    df = area_frame("monitoring", q, ["code", "channel", "days", "decisions"], keys=2)

    def summary(by: str) -> pd.DataFrame:
        rows = []
        for value, g in df.groupby(by):
            g = g.sort_values("days")
            total = int(g["decisions"].sum())
            half = g["decisions"].cumsum() >= total / 2
            rows.append((value, total, int(g.loc[g["days"] <= TIMELY_DAYS, "decisions"].sum()),
                         float(g.loc[half, "days"].iloc[0]) if total else float("nan")))
        return pd.DataFrame(rows, columns=[by, "decided", "timely", "median_days"])

    spread = df.groupby("days", as_index=False)["decisions"].sum()
    channels = pd.DataFrame({"channel": CHANNELS}).merge(summary("channel"), on="channel", how="left")
    return {"days": spread, "areas": summary("code"), "channels": channels.fillna({"decided": 0, "timely": 0})}
