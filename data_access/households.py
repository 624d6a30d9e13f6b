"""Row-level reads of monitored households: always scoped in SQL, masked unless unmasked with audit."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import and_, case, func, or_, select

from data_access import audit, lists, masking
from data_access.accounts import bounded
from data_access.codes import is_code
from data_access.db import engine
from data_access.models.monitoring import (
    CaseRisk,
    DepartmentAlert,
    GuaranteeCheck,
    Household,
    IncomeRecord,
    Measure,
    Member,
    MonitoringCase,
    Region,
    Visit,
)
from data_access.periods import age_on, last_completed_year
from data_access.scope import AccessDenied, Scope

REASON_MAX = 200
STATUSES = ("待认定", "监测中", "风险已消除", "不予纳入")
MAX_OFFSET = 10**9  # far beyond any real list, well inside every backend's integer range
CASE_COLUMNS = ["case_id", "household_id", "village_code", "village", "head_name", "head_id_number", "phone",
                "persons", "case_type", "risks", "discovered_on", "decided_on", "included_on", "status"]


def _code(value: str | None, length: int, what: str) -> str | None:
    if value is None:
        return None
    if not is_code(value, length):
        raise ValueError(f"{what} must be a {length}-digit code")
    return value


def status_at(as_of: date):
    """A case's status on a date (not today's status column): 待认定, 不予纳入, 监测中 or 风险已消除."""
    c = MonitoringCase
    return case(
        (or_(c.decided_on.is_(None), c.decided_on > as_of), "待认定"),
        (c.decision == "不予纳入", "不予纳入"),
        (and_(c.eliminated_on.is_not(None), c.eliminated_on <= as_of), "风险已消除"),
        else_="监测中",
    )


def _known(column, as_of: date):
    return case((column <= as_of, column), else_=None)


def _filters(scope: Scope, as_of: date, county: str | None, village: str | None, status: str | None):
    county = scope.rows_county(_code(county, 6, "county"))  # a county Scope's own code is checked on creation
    village = _code(village, 12, "village")
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    cond = [MonitoringCase.discovered_on <= as_of]
    if county:
        cond.append(MonitoringCase.county_code == county)
    if village:
        cond.append(MonitoringCase.village_code == village)
    if status:
        cond.append(status_at(as_of) == status)
    return and_(*cond)


def _case_rows(scope: Scope, as_of: date, county, village, status, limit: int | None, offset: int) -> pd.DataFrame:
    # counted per listed case through ix_case_risk_case_id, not by joining an aggregate of the whole table
    risks = select(func.count()).where(CaseRisk.case_id == MonitoringCase.id).scalar_subquery()
    persons = (select(func.count()).where(Member.household_id == MonitoringCase.household_id,
                                          Member.birth_date <= as_of).scalar_subquery())
    q = (select(MonitoringCase.id, MonitoringCase.household_id, MonitoringCase.village_code, Region.name,
                Household.head_name, Household.head_id_number, Household.phone, persons,
                MonitoringCase.case_type, risks, MonitoringCase.discovered_on,
                _known(MonitoringCase.decided_on, as_of), _known(MonitoringCase.included_on, as_of), status_at(as_of))
         .join(Household, Household.id == MonitoringCase.household_id)
         .join(Region, Region.code == MonitoringCase.village_code, isouter=True)
         .where(_filters(scope, as_of, county, village, status))
         .order_by(MonitoringCase.discovered_on.desc(), MonitoringCase.id.desc())
         .offset(max(0, min(int(offset), MAX_OFFSET))))
    if limit is not None:
        q = q.limit(max(1, min(int(limit), 1000)))
    with engine("monitoring").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=CASE_COLUMNS)
    df["head_name"] = df["head_name"].map(masking.name)
    df["head_id_number"] = df["head_id_number"].map(masking.id_number)
    df["phone"] = df["phone"].map(masking.phone)
    df["risks"] = df["risks"].fillna(0).astype(int)
    return df


def case_list(scope: Scope, *, as_of: date, county: str | None = None, village: str | None = None,
              status: str | None = None, limit: int = 200, offset: int = 0) -> pd.DataFrame:
    """One page of cases with their household head, masked; a county account only ever gets its own county.

    Columns: CASE_COLUMNS (names, ID numbers and phones masked; persons = members born by as_of; status as
    of the date; decision and inclusion dates after as_of are not yet known and shown empty).
    """
    return _case_rows(scope, as_of, county, village, status, limit, offset)


def case_export(scope: Scope, *, as_of: date, county: str | None = None, village: str | None = None,
                status: str | None = None) -> pd.DataFrame:
    """The whole filtered list (every page) for the audited export; same columns and masking as case_list."""
    return _case_rows(scope, as_of, county, village, status, None, 0)


def case_count(scope: Scope, *, as_of: date, county: str | None = None, village: str | None = None,
               status: str | None = None) -> int:
    """How many cases case_list would page through."""
    q = select(func.count()).select_from(MonitoringCase).where(_filters(scope, as_of, county, village, status))
    with engine("monitoring").connect() as conn:
        return int(conn.execute(q).scalar() or 0)


def household_members(scope: Scope, household_id: int, *, as_of: date | None = None, unmask: bool = False,
                      reason: str = "", address: str | None = None) -> pd.DataFrame:
    """Members of one household in the caller's scope (those born by as_of, when given); unmasking needs
    office/admin and a reason (audited).

    Columns: name, id_number, relation, sex, age (whole years at as_of, or today), health, labour_capacity,
    medical_insured (insured at as_of), phone (the head's); unmasked, birth_date follows age. Masked, there is
    no birth date: the masked digits 7-14 of an ID number are exactly the birth date. Empty when the
    household is outside the caller's county.
    """
    county = scope.rows_county(None)
    if unmask:
        if not scope.can_unmask:
            raise AccessDenied("该角色无权查看完整个人信息")
        if len(reason.strip()) < 4:
            raise ValueError("查看完整个人信息须填写理由(至少4个字)")
        if len(reason.strip()) > REASON_MAX:
            raise ValueError(f"理由不超过{REASON_MAX}个字")
    cond = [Member.household_id == int(household_id)]
    if county:
        cond.append(Household.county_code == county)
    insured = Member.medical_insured_on.is_not(None)
    if as_of is not None:
        cond.append(Member.birth_date <= as_of)
        insured = and_(insured, Member.medical_insured_on <= as_of)
    q = (select(Member.name, Member.id_number, Member.relation, Member.sex, Member.birth_date, Member.health,
                Member.labour_capacity, case((insured, True), else_=False), Household.phone)
         .join(Household, Household.id == Member.household_id).where(*cond).order_by(Member.id))
    with engine("monitoring").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=["name", "id_number", "relation", "sex", "birth_date",
                                                          "health", "labour_capacity", "medical_insured", "phone"])
    df.insert(4, "age", [age_on(b, as_of or date.today()) for b in df["birth_date"]])
    if unmask and not df.empty:
        audit.record(scope.username, "unmask", f"户 {int(household_id)}:{bounded(reason.strip(), REASON_MAX)}", address)
        return df
    df = df.drop(columns="birth_date")
    df["name"] = df["name"].map(masking.name)
    df["id_number"] = df["id_number"].map(masking.id_number)
    df["phone"] = df["phone"].map(masking.phone)
    return df


FILE_PARTS = ("household", "members", "cases", "measures", "visits", "alerts", "checks", "incomes")


def household_file(scope: Scope, household_id: int, *, as_of: date) -> dict[str, pd.DataFrame] | None:
    """One household on one screen, as known at as_of: household (one row), members (masked, as
    household_members), cases (with risks and their status at as_of), measures (with start dates and the
    开发式帮扶 flag), visits, department alerts, guarantee checks and income history (completed years).

    None when the household does not exist or lies outside the caller's county. Names, ID numbers and phones
    are masked; unmasking the members goes through household_members (audited).
    """
    county = scope.rows_county(None)
    cond = [Household.id == int(household_id)] + ([Household.county_code == county] if county else [])
    q = lists._named(select(Household.id, Household.head_name, Household.head_id_number, Household.phone,
                            Household.size, Household.is_tuopin, Household.is_dibao, Household.is_tekun),
                     Household.village_code).where(*cond)
    with engine("monitoring").connect() as conn:
        head = conn.execute(q).first()
        if head is None:
            return None

        def frame(query, columns):
            return pd.DataFrame(conn.execute(query).all(), columns=columns)

        hid = int(household_id)
        c = MonitoringCase
        cases = frame(select(c.id, c.case_type, c.channel, c.discovered_on, _known(c.decided_on, as_of),
                             case((c.decided_on <= as_of, c.decision), else_=None), _known(c.included_on, as_of),
                             status_at(as_of), _known(c.eliminated_on, as_of),
                             case((c.eliminated_on <= as_of, c.elimination_kind), else_=None))
                      .where(c.household_id == hid, c.discovered_on <= as_of).order_by(c.discovered_on),
                      ["case_id", "case_type", "channel", "discovered_on", "decided_on", "decision", "included_on",
                       "status", "eliminated_on", "elimination_kind"])
        ids = cases["case_id"].tolist() or [-1]
        measures = frame(select(Measure.case_id, Measure.category, Measure.started_on, Measure.amount,
                                Measure.department, Measure.is_developmental)
                         .where(Measure.case_id.in_(ids), Measure.started_on <= as_of).order_by(Measure.started_on),
                         ["case_id", "category", "started_on", "amount", "department", "developmental"])
        visits = frame(select(Visit.visited_on, Visit.visitor_role, Visit.finding)
                       .where(Visit.household_id == hid, Visit.visited_on <= as_of).order_by(Visit.visited_on.desc()),
                       ["visited_on", "visitor", "finding"])
        alerts = frame(select(DepartmentAlert.source, DepartmentAlert.kind, DepartmentAlert.received_on,
                              _known(DepartmentAlert.verified_on, as_of),
                              case((DepartmentAlert.verified_on <= as_of, DepartmentAlert.result), else_=None))
                       .where(DepartmentAlert.household_id == hid, DepartmentAlert.received_on <= as_of)
                       .order_by(DepartmentAlert.received_on), ["source", "kind", "received_on", "verified_on", "result"])
        g = GuaranteeCheck
        checks = frame(select(g.checked_on, g.food_clothing_ok, g.education_ok, g.medical_ok, g.housing_grade,
                              g.water_quantity_ok, g.water_quality_ok, g.water_convenience_ok, g.water_reliability_ok)
                       .where(g.household_id == hid, g.checked_on <= as_of).order_by(g.checked_on.desc()),
                       ["checked_on", "food_clothing", "education", "medical", "housing", "water_quantity",
                        "water_quality", "water_convenience", "water_reliability"])
        r = IncomeRecord
        incomes = frame(select(r.year, r.wage, r.business, r.property, r.transfer, r.rigid_expenditure, r.per_capita_net)
                        .where(r.household_id == hid, r.year <= last_completed_year(as_of)).order_by(r.year.desc()),
                        ["year", "wage", "business", "property", "transfer", "rigid_expenditure", "per_capita_net"])
    risks = lists._risks(cases["case_id"].tolist())
    cases["risks"] = ["、".join(risks.get(i, [])) for i in cases["case_id"]]
    household = pd.DataFrame([dict(household_id=head[0], head_name=masking.name(head[1]),
                                   head_id_number=masking.id_number(head[2]), phone=masking.phone(head[3]),
                                   size=head[4], tuopin=bool(head[5]), dibao=bool(head[6]), tekun=bool(head[7]),
                                   township=head[8], village=head[9])])
    return {"household": household, "members": household_members(scope, hid, as_of=as_of), "cases": cases,
            "measures": measures, "visits": visits, "alerts": alerts, "checks": checks, "incomes": incomes}
