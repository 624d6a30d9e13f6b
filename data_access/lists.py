"""The rows behind the overview's alert counts: scoped to the caller's county in SQL, names masked.

Each function returns at most `limit` rows (None: all, for the export), worst first, with the township and
village names; an alert's count and its list come from the same conditions as monitoring.stock, .flow,
.alerts_pending and industry.projects.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from data_access import masking
from data_access.db import engine
from data_access.industry import WEAK_IDLE
from data_access.models.industry import IndustryProject as P
from data_access.models.industry import ProjectStatusChange as PS
from data_access.models.monitoring import CaseRisk, Household, Region
from data_access.models.monitoring import DepartmentAlert as A
from data_access.models.monitoring import MonitoringCase as C
from data_access.monitoring import TIMELY_DAYS
from data_access.scope import Scope

CASE_LIST = ["case_id", "township", "village", "head_name", "case_type", "channel", "discovered_on", "decided_on",
             "days", "risks"]
ALERT_LIST = ["alert_id", "township", "village", "head_name", "source", "kind", "received_on", "days"]
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


def _risks(case_ids: list[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    q = select(CaseRisk.case_id, CaseRisk.risk).where(CaseRisk.case_id.in_(case_ids)).order_by(CaseRisk.id)
    with engine("monitoring").connect() as conn:
        rows = conn.execute(q).all()
    out: dict[int, list[str]] = {}
    for cid, risk in rows:
        out.setdefault(cid, []).append(risk)
    return {k: "、".join(v) for k, v in out.items()}


def _cases(scope: Scope, county: str | None, cond, days, order, limit: int | None) -> pd.DataFrame:
    county = scope.rows_county(county)
    q = select(C.id, Household.head_name, C.case_type, C.channel, C.discovered_on, C.decided_on, days).join(
        Household, Household.id == C.household_id)
    q = _named(q, C.village_code).where(cond, *([C.county_code == county] if county else []))
    q = _limit(q.order_by(*order, C.id), limit)
    with engine("monitoring").connect() as conn:
        rows = conn.execute(q).all()
    df = pd.DataFrame(rows, columns=["case_id", "head_name", "case_type", "channel", "discovered_on", "decided_on",
                                     "days", "township", "village"])
    df["head_name"] = df["head_name"].map(masking.name)
    risks = _risks(df["case_id"].tolist())
    df["risks"] = [risks.get(c, "") for c in df["case_id"]]
    return df[CASE_LIST]


def overdue_cases(scope: Scope, *, as_of: date, county: str | None = None, limit: int | None = 500) -> pd.DataFrame:
    """M5: cases discovered on or before as_of - 15 and not decided by as_of, longest waiting first.

    Columns: CASE_LIST (decided_on empty; days = days since discovery at as_of).
    """
    cond = and_(C.discovered_on <= as_of - timedelta(days=TIMELY_DAYS),
                or_(C.decided_on.is_(None), C.decided_on > as_of))
    df = _cases(scope, county, cond, C.decision_days, [C.discovered_on], limit)
    df["decided_on"] = None
    df["days"] = [(as_of - d).days for d in df["discovered_on"]]
    return df


def late_decisions(scope: Scope, *, start: date, end: date, county: str | None = None,
                   limit: int | None = 500) -> pd.DataFrame:
    """Cases decided in [start, end] more than 15 days after discovery, latest first.

    Columns: CASE_LIST (days = decision_days).
    """
    cond = and_(C.decided_on.between(start, end), C.decision_days > TIMELY_DAYS)
    return _cases(scope, county, cond, C.decision_days, [C.decision_days.desc()], limit)


def pending_alerts(scope: Scope, *, as_of: date, county: str | None = None, limit: int | None = 500) -> pd.DataFrame:
    """Department alerts received on or before as_of - 15 and not verified by as_of, longest waiting first.

    Columns: ALERT_LIST (days = days since receipt at as_of).
    """
    county = scope.rows_county(county)
    cond = and_(A.received_on <= as_of - timedelta(days=TIMELY_DAYS), or_(A.verified_on.is_(None), A.verified_on > as_of))
    q = select(A.id, Household.head_name, A.source, A.kind, A.received_on).join(Household, Household.id == A.household_id)
    q = _named(q, A.village_code).where(cond, *([A.county_code == county] if county else []))
    q = _limit(q.order_by(A.received_on, A.id), limit)
    with engine("monitoring").connect() as conn:
        rows = conn.execute(q).all()
    df = pd.DataFrame(rows, columns=["alert_id", "head_name", "source", "kind", "received_on", "township", "village"])
    df["head_name"] = df["head_name"].map(masking.name)
    df["days"] = [(as_of - d).days for d in df["received_on"]]
    return df[ALERT_LIST]


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
    names = _region_names(df["village_code"].tolist())
    df["township"] = df["village_code"].str[:9].map(names)
    df["village"] = df["village_code"].map(names)
    return df[PROJECT_LIST]


def _region_names(village_codes: list[str]) -> dict[str, str]:
    """Names of these villages and their townships (projects live in the industry database)."""
    codes = sorted(set(village_codes) | {c[:9] for c in village_codes})
    if not codes:
        return {}
    with engine("monitoring").connect() as conn:
        return dict(conn.execute(select(Region.code, Region.name).where(Region.code.in_(codes))).all())
