"""The rows behind the counts (alerts, M5-M11): scoped to the caller's county in SQL, names masked.

Each function returns at most `limit` rows (None: all, for the export), worst first, with the township and
village names; a count and its list come from the same conditions (monitoring.py, loop.py, industry.py), and
the page's filters (township, case_type, risk) narrow both alike.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Date, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from data_access import areas, loop, masking
from data_access.areas import in_area
from data_access.db import engine
from data_access.industry import WEAK_IDLE
from data_access.loop import case_filter
from data_access.models.industry import IndustryProject as P
from data_access.models.industry import ProjectStatusChange as PS
from data_access.models.monitoring import CaseRisk, Household, Region
from data_access.models.monitoring import DepartmentAlert as A
from data_access.models.monitoring import GuaranteeCheck as G
from data_access.models.monitoring import IncomeLine as IL
from data_access.models.monitoring import IncomeRecord as IR
from data_access.models.monitoring import Measure as MS
from data_access.models.monitoring import Member as MB
from data_access.models.monitoring import MonitoringCase as C
from data_access.models.monitoring import Visit as V
from data_access.monitoring import TIMELY_DAYS, monitored_at
from data_access.periods import add_years, age_on
from data_access.rules_mapping import RISK_MEASURES
from data_access.scope import Scope
from data_access.sql import days_between

CASE_LIST = ["case_id", "household_id", "township", "village", "head_name", "case_type", "channel", "discovered_on",
             "decided_on", "days", "risks"]
ALERT_LIST = ["alert_id", "household_id", "township", "village", "head_name", "source", "kind", "received_on", "days"]
PROJECT_LIST = ["project_id", "township", "village", "name", "industry", "status", "since", "investment"]
MAX_LIMIT = 5000


def _named(q, village_code):
    """Add township and village names (regions are in the monitoring database)."""
    town, village = aliased(Region), aliased(Region)
    return (q.add_columns(town.name, village.name)
            .join(town, town.code == func.substr(village_code, 1, 9), isouter=True)
            .join(village, village.code == village_code, isouter=True))


def _limit(q, limit: int | None):
    return q if limit is None else q.limit(max(1, min(int(limit), MAX_LIMIT)))


def _grouped(q) -> dict[int, list[str]]:
    """A (case id, value) query as {case id: [values in the query's order]}."""
    with engine("monitoring").connect() as conn:
        rows = conn.execute(q).all()
    out: dict[int, list[str]] = {}
    for cid, value in rows:
        out.setdefault(cid, []).append(value)
    return out


def _risks(case_ids: list[int]) -> dict[int, list[str]]:
    if not case_ids:
        return {}
    return _grouped(select(CaseRisk.case_id, CaseRisk.risk).where(CaseRisk.case_id.in_(case_ids)).order_by(CaseRisk.id))


def _cases(scope: Scope, county: str | None, cond, days, order, limit: int | None, *, township: str | None = None,
           case_type: str | None = None, risk: str | None = None, extra: dict | None = None) -> pd.DataFrame:
    """Cases meeting cond in the caller's scope (and the page's filters): CASE_LIST and the extra columns."""
    county = scope.rows_county(county)
    extra = extra or {}
    q = select(C.id, C.household_id, Household.head_name, C.case_type, C.channel, C.discovered_on, C.decided_on, days,
               *extra.values()).join(Household, Household.id == C.household_id)
    q = _named(q, C.village_code).where(cond, in_area(C.village_code, county, township), case_filter(case_type, risk))
    q = _limit(q.order_by(*order, C.id), limit)
    with engine("monitoring").connect() as conn:
        rows = conn.execute(q).all()
    df = pd.DataFrame(rows, columns=["case_id", "household_id", "head_name", "case_type", "channel", "discovered_on",
                                     "decided_on", "days", *extra, "township", "village"])
    df["head_name"] = df["head_name"].map(masking.name)
    risks = _risks(df["case_id"].tolist())
    df["risks"] = ["、".join(risks.get(c, [])) for c in df["case_id"]]
    return df[CASE_LIST + list(extra)]


def overdue_cases(scope: Scope, *, as_of: date, county: str | None = None, limit: int | None = 500,
                  **filters) -> pd.DataFrame:
    """M5: cases discovered on or before as_of - 15 and not decided by as_of, longest waiting first.

    Columns: CASE_LIST (decided_on empty; days = days since discovery at as_of).
    """
    cond = and_(C.discovered_on <= as_of - timedelta(days=TIMELY_DAYS),
                or_(C.decided_on.is_(None), C.decided_on > as_of))
    df = _cases(scope, county, cond, C.decision_days, [C.discovered_on], limit, **filters)
    df["decided_on"] = None
    df["days"] = [(as_of - d).days for d in df["discovered_on"]]
    return df


def late_decisions(scope: Scope, *, start: date, end: date, county: str | None = None,
                   limit: int | None = 500, **filters) -> pd.DataFrame:
    """Cases decided in [start, end] more than 15 days after discovery, latest first.

    Columns: CASE_LIST (days = decision_days).
    """
    cond = and_(C.decided_on.between(start, end), C.decision_days > TIMELY_DAYS)
    return _cases(scope, county, cond, C.decision_days, [C.decision_days.desc()], limit, **filters)


def _included_days(as_of: date):
    return days_between(literal(as_of, Date), C.included_on)


def no_measure_cases(scope: Scope, *, as_of: date, county: str | None = None, limit: int | None = 500,
                     **filters) -> pd.DataFrame:
    """M6's gap: cases under monitoring at as_of, included 30 days or more before it, with no measure started by
    it; longest without first. Columns: CASE_LIST + included_on (days = days since inclusion)."""
    settled = and_(monitored_at(as_of), C.included_on <= as_of - timedelta(days=loop.SETTLE_DAYS))
    cond = and_(settled, ~loop.has_measure(literal(as_of, Date)))
    return _cases(scope, county, cond, _included_days(as_of), [C.included_on], limit, **filters,
                  extra={"included_on": C.included_on})


def unmatched_cases(scope: Scope, *, as_of: date, county: str | None = None, limit: int | None = 500,
                    **filters) -> pd.DataFrame:
    """M7's gap: settled cases (as M6) in which a risk has no measure of a matching category by as_of.

    Columns: CASE_LIST + included_on, unmatched (the risks without one), measures (categories so far).
    """
    day = literal(as_of, Date)
    settled = and_(monitored_at(as_of), C.included_on <= as_of - timedelta(days=loop.SETTLE_DAYS))
    df = _cases(scope, county, and_(settled, ~loop.all_risks_matched(day)), _included_days(as_of), [C.included_on],
                limit, **filters, extra={"included_on": C.included_on})
    measures = _measures(df["case_id"].tolist(), as_of)
    risks = _risks(df["case_id"].tolist())
    df["unmatched"] = ["、".join(r for r in risks.get(c, []) if not set(RISK_MEASURES[r]) & set(measures.get(c, [])))
                       for c in df["case_id"]]
    df["measures"] = ["、".join(dict.fromkeys(measures.get(c, []))) or "无" for c in df["case_id"]]
    return df


def no_developmental_cases(scope: Scope, *, as_of: date, county: str | None = None, limit: int | None = 500,
                           **filters) -> pd.DataFrame:
    """M8's gap: cases under monitoring at as_of whose household has someone able to work (16-60, 普通 or 弱)
    and no 开发式帮扶 measure by as_of. Columns: CASE_LIST + included_on, able (such members), measures."""
    able = (select(func.count(MB.id)).where(MB.household_id == C.household_id, MB.labour_capacity.in_(loop.LABOUR),
                                            MB.birth_date <= add_years(as_of, -16), MB.birth_date > add_years(as_of, -61))
            .correlate(C).scalar_subquery())
    cond = and_(monitored_at(as_of), loop.able_to_work(as_of), ~loop.developmental(literal(as_of, Date)))
    df = _cases(scope, county, cond, _included_days(as_of), [C.included_on], limit, **filters,
                extra={"included_on": C.included_on, "able": able})
    measures = _measures(df["case_id"].tolist(), as_of)
    df["measures"] = ["、".join(dict.fromkeys(measures.get(c, []))) or "无" for c in df["case_id"]]
    return df


def _measures(case_ids: list[int], as_of: date) -> dict[int, list[str]]:
    if not case_ids:
        return {}
    return _grouped(select(MS.case_id, MS.category).where(MS.case_id.in_(case_ids), MS.started_on <= as_of)
                    .order_by(MS.started_on, MS.id))


def violating_eliminations(scope: Scope, *, start: date, end: date, province: str | None, county: str | None = None,
                           limit: int | None = 500, **filters) -> pd.DataFrame:
    """M9: eliminations in [start, end] that break at least one rule, with each rule broken and the evidence.

    Columns: CASE_LIST (days = days monitored) + included_on, eliminated_on, one 0/1 column per loop.RULES key,
    rules (their names), measures_before, income_year, income, line, check_on, check_failures, able (members
    able to work).
    """
    rules = loop.violations(province)
    last_year = loop._last_income_year()
    income = (select(IR.per_capita_net).where(IR.household_id == C.household_id, IR.year == last_year)
              .correlate(C).limit(1).scalar_subquery())
    line = select(IL.amount).where(IL.province == province, IL.year == last_year).correlate(C).scalar_subquery()
    extra = {"included_on": C.included_on, "eliminated_on": C.eliminated_on,
             **{name: case((cond, 1), else_=0) for name, cond in rules.items()},
             "measures_before": select(func.count(MS.id)).where(MS.case_id == C.id, MS.started_on <= C.eliminated_on)
             .correlate(C).scalar_subquery(),
             "income_year": last_year, "income": income, "line": line, "check_on": loop._last_check_date(),
             "able": select(func.count(MB.id)).where(MB.household_id == C.household_id,
                                                     MB.labour_capacity.in_(loop.LABOUR),
                                                     MB.birth_date <= C.eliminated_on).correlate(C).scalar_subquery()}
    cond = and_(C.eliminated_on.between(start, end), or_(*rules.values()))
    df = _cases(scope, county, cond, days_between(C.eliminated_on, C.included_on), [C.eliminated_on.desc()], limit,
                **filters, extra=extra)
    df["rules"] = ["、".join(loop.RULES[k] for k in loop.RULES if row[k]) for _, row in df.iterrows()]
    failures = _check_failures(list(zip(df["household_id"], df["check_on"])))
    df["check_failures"] = [failures.get((h, d), "") for h, d in zip(df["household_id"], df["check_on"])]
    return df


CHECK_ITEMS = {"food_clothing_ok": "吃穿", "education_ok": "义务教育", "medical_ok": "基本医疗",
               "water_quantity_ok": "饮水水量", "water_quality_ok": "饮水水质", "water_convenience_ok": "用水方便",
               "water_reliability_ok": "供水保证"}


def _check_failures(pairs: list[tuple[int, date]]) -> dict[tuple[int, date], str]:
    """What each (household, check date) check found unmet, in words."""
    pairs = [(h, d) for h, d in pairs if d is not None]
    if not pairs:
        return {}
    cols = [getattr(G, c) for c in CHECK_ITEMS]
    q = select(G.household_id, G.checked_on, G.housing_grade, *cols).where(G.household_id.in_({h for h, _ in pairs}))
    with engine("monitoring").connect() as conn:
        rows = conn.execute(q).all()
    wanted, out = set(pairs), {}
    for hid, on, grade, *flags in rows:
        if (hid, on) in wanted:
            unmet = [name for name, ok in zip(CHECK_ITEMS.values(), flags) if not ok]
            if grade in ("C", "D"):
                unmet.insert(0, f"住房{grade}级")
            out[(hid, on)] = "、".join(unmet) or "全部达标"
    return out


def unvisited_cases(scope: Scope, *, as_of: date, county: str | None = None, limit: int | None = 500,
                    **filters) -> pd.DataFrame:
    """M10's gap: cases under monitoring at as_of without a visit in the 30 days up to it, longest unvisited
    first. Columns: CASE_LIST + included_on, last_visit, visitor (who made it), days (since it, or since
    inclusion when never visited)."""
    last = (select(func.max(V.visited_on)).where(V.household_id == C.household_id, V.visited_on <= as_of)
            .correlate(C).scalar_subquery())
    cond = and_(monitored_at(as_of), ~loop.visited(as_of))
    df = _cases(scope, county, cond, _included_days(as_of), [func.coalesce(last, C.included_on)], limit, **filters,
                extra={"included_on": C.included_on, "last_visit": last})
    visitors = _visitors(list(zip(df["household_id"], df["last_visit"])))
    df["visitor"] = [visitors.get((h, d), "—") for h, d in zip(df["household_id"], df["last_visit"])]
    df["days"] = [(as_of - (v or i)).days for v, i in zip(df["last_visit"], df["included_on"])]
    return df


def _visitors(pairs: list[tuple[int, date]]) -> dict[tuple[int, date], str]:
    pairs = [(h, d) for h, d in pairs if d is not None]
    if not pairs:
        return {}
    q = (select(V.household_id, V.visited_on, V.visitor_role).where(V.household_id.in_({h for h, _ in pairs}))
         .order_by(V.id))
    with engine("monitoring").connect() as conn:
        return {(h, d): role for h, d, role in conn.execute(q).all() if (h, d) in set(pairs)}


def pending_alerts(scope: Scope, *, as_of: date, county: str | None = None, township: str | None = None,
                   limit: int | None = 500) -> pd.DataFrame:
    """Department alerts received on or before as_of - 15 and not verified by as_of, longest waiting first.

    Columns: ALERT_LIST (days = days since receipt at as_of).
    """
    county = scope.rows_county(county)
    cond = and_(A.received_on <= as_of - timedelta(days=TIMELY_DAYS), or_(A.verified_on.is_(None), A.verified_on > as_of))
    q = (select(A.id, A.household_id, Household.head_name, A.source, A.kind, A.received_on)
         .join(Household, Household.id == A.household_id))
    q = _named(q, A.village_code).where(cond, in_area(A.village_code, county, township))
    q = _limit(q.order_by(A.received_on, A.id), limit)
    with engine("monitoring").connect() as conn:
        rows = conn.execute(q).all()
    df = pd.DataFrame(rows, columns=["alert_id", "household_id", "head_name", "source", "kind", "received_on",
                                     "township", "village"])
    df["head_name"] = df["head_name"].map(masking.name)
    df["days"] = [(as_of - d).days for d in df["received_on"]]
    return df[ALERT_LIST]


# ---------------------------------------------------------------- 两不愁三保障 (the rows behind G1-G4)

HOUSEHOLD_LIST = ["household_id", "township", "village", "head_name", "tuopin", "checked_on", "finding"]
MEMBER_LIST = ["household_id", "township", "village", "name", "relation", "age", "detail"]


def _population(as_of: date):
    """脱贫户 and households with a case included on or before as_of (the G population)."""
    ever = select(C.household_id).where(C.included_on <= as_of)
    return or_(Household.is_tuopin.is_(True), Household.id.in_(ever))


def _households(scope, county, township, limit, bad, as_of) -> pd.DataFrame:
    """Households of the population whose last check on or before as_of is `bad`: the bad checks up to as_of
    with no later one (by date, then id) up to as_of, so no aggregate runs over every check of the city."""
    county = scope.rows_county(county)
    later = aliased(G)
    last = ~exists(select(later.id).where(later.household_id == G.household_id, later.checked_on <= as_of,
                                          or_(later.checked_on > G.checked_on,
                                              and_(later.checked_on == G.checked_on, later.id > G.id))))
    q = (select(Household.id, Household.head_name, Household.is_tuopin, G.checked_on, G.housing_grade,
                *[getattr(G, c) for c in CHECK_ITEMS])
         .select_from(G).join(Household, Household.id == G.household_id))
    q = _named(q, Household.village_code).where(G.checked_on <= as_of, bad, last, _population(as_of),
                                                in_area(Household.village_code, county, township))
    with engine("monitoring").connect() as conn:
        rows = conn.execute(_limit(q.order_by(Household.village_code, Household.id), limit)).all()
    df = pd.DataFrame(rows, columns=["household_id", "head_name", "tuopin", "checked_on", "grade", *CHECK_ITEMS,
                                     "township", "village"])
    df["head_name"] = df["head_name"].map(masking.name)
    df["tuopin"] = df["tuopin"].map({True: "脱贫户", False: "监测户"})
    findings = []
    for grade, flags in zip(df["grade"], df[list(CHECK_ITEMS)].itertuples(index=False)):
        unmet = ([f"住房{grade}级"] if grade in ("C", "D") else []) + [n for n, ok in zip(CHECK_ITEMS.values(), flags)
                                                                     if not ok]
        findings.append("、".join(unmet) or "全部达标")
    df["finding"] = pd.Series(findings, index=df.index, dtype=object)
    return df[HOUSEHOLD_LIST]


def unsafe_housing(scope: Scope, *, as_of: date, county: str | None = None, township: str | None = None,
                   limit: int | None = 500) -> pd.DataFrame:
    """G1: households of the population whose last check on or before as_of rates housing C or D.

    Columns: HOUSEHOLD_LIST (checked_on = that check, finding = what it found unmet)."""
    return _households(scope, county, township, limit, G.housing_grade.in_(["C", "D"]), as_of)


def unsafe_water(scope: Scope, *, as_of: date, county: str | None = None, township: str | None = None,
                 limit: int | None = 500) -> pd.DataFrame:
    """G4: households of the population whose last check on or before as_of fails a water item."""
    return _households(scope, county, township, limit, G.water_ok.is_(False), as_of)


def _members(scope, county, township, limit, cond, as_of, detail) -> pd.DataFrame:
    county = scope.rows_county(county)
    q = (select(MB.household_id, MB.name, MB.relation, MB.birth_date, detail)
         .join(Household, Household.id == MB.household_id))
    q = _named(q, Household.village_code).where(cond, MB.birth_date <= as_of, _population(as_of),
                                                in_area(Household.village_code, county, township))
    with engine("monitoring").connect() as conn:
        rows = conn.execute(_limit(q.order_by(Household.village_code, MB.household_id, MB.id), limit)).all()
    df = pd.DataFrame(rows, columns=["household_id", "name", "relation", "birth_date", "detail", "township", "village"])
    df["name"] = df["name"].map(masking.name)
    df["age"] = [age_on(b, as_of) for b in df["birth_date"]]
    return df[MEMBER_LIST]  # age, never the birth date: masked ID numbers hide exactly that


def dropouts(scope: Scope, *, as_of: date, county: str | None = None, township: str | None = None,
             limit: int | None = 500) -> pd.DataFrame:
    """G2: members of the population aged 6-15 at as_of out of school at as_of (detail = since when)."""
    cond = and_(MB.dropout_on <= as_of, or_(MB.returned_on.is_(None), MB.returned_on > as_of),
                MB.birth_date <= add_years(as_of, -6), MB.birth_date > add_years(as_of, -16))
    df = _members(scope, county, township, limit, cond, as_of, MB.dropout_on)
    df["detail"] = ["失学辍学自 " + d.isoformat() for d in df["detail"]]
    return df


def uninsured(scope: Scope, *, as_of: date, county: str | None = None, township: str | None = None,
              limit: int | None = 500) -> pd.DataFrame:
    """G3's gap: members of the population at as_of not insured at as_of (detail = insured later, or never)."""
    cond = or_(MB.medical_insured_on.is_(None), MB.medical_insured_on > as_of)
    df = _members(scope, county, township, limit, cond, as_of, MB.medical_insured_on)
    df["detail"] = ["未参保" if d is None else f"{d.isoformat()} 起参保" for d in df["detail"]]
    return df


def weak_projects(scope: Scope, *, as_of: date, county: str | None = None, limit: int | None = 500) -> pd.DataFrame:
    """Projects whose status at as_of is 弱质 or 闲置, longest in that state first.

    Columns: PROJECT_LIST (since = date of that status; investment in 元).
    """
    county = scope.rows_county(county)
    last = (select(PS.project_id, func.max(PS.changed_on).label("d"))
            .where(PS.changed_on <= as_of).group_by(PS.project_id).subquery())
    q = (select(P.id, P.village_code, P.name, P.industry, PS.status, PS.changed_on, P.investment)
         .join(last, last.c.project_id == P.id)
         .join(PS, and_(PS.project_id == last.c.project_id, PS.changed_on == last.c.d))
         .where(PS.status.in_(WEAK_IDLE), *([P.county_code == county] if county else []))
         .order_by(PS.changed_on, P.id))
    with engine("industry").connect() as conn:
        rows = conn.execute(_limit(q, limit)).all()
    df = pd.DataFrame(rows, columns=["project_id", "village_code", "name", "industry", "status", "since", "investment"])
    names = areas.names_with_townships(df["village_code"].tolist())
    df["township"] = df["village_code"].str[:9].map(names)
    df["village"] = df["village_code"].map(names)
    return df[PROJECT_LIST]
