"""Village and project profiles (村档案, 项目档案) opened from any list or map marker of the industry pages:
figures on or before the picked date only; project rows only for row-level roles (a county account's own)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import and_, select

from data_access import areas, industry
from data_access.codes import is_code
from data_access.collective_board import tier_index, tiers
from data_access.db import engine
from data_access.industry import status_at
from data_access.models.industry import CollectiveIncome as CI
from data_access.models.industry import IndustryProject as P
from data_access.models.industry import ProjectAsset as AS
from data_access.models.industry import ProjectStatusChange as PS
from data_access.models.industry import PvStation as PV
from data_access.models.industry import PvYear as PY
from data_access.models.industry import SpecialtyMetric as SM
from data_access.models.industry import SpecialtyVillage as SV
from data_access.scope import AccessDenied, Scope


def _frame(q, columns: list[str]) -> pd.DataFrame:
    with engine("industry").connect() as conn:
        return pd.DataFrame(conn.execute(q).all(), columns=columns)


def village(scope: Scope, code: str, *, as_of: date) -> dict:
    """One village's industry file at as_of.

    Keys: code, name, township, county, tuopin (脱贫村), specialty (a dict or None), metrics (completed years
    before as_of: year, output, agri_output, share, households_linked, per_capita_income), collective (completed
    years: year, operating, tier, total, subsidy_income), projects (status at as_of; None when the caller may not
    read project rows of that county), pv (stations with the last completed year's generation and income).
    """
    if not is_code(code, 12):
        raise ValueError(f"village code must have 12 digits, got {code!r}")
    names = areas.names_with_townships([code])
    counties = dict(areas.regions("county")[["code", "name"]].itertuples(index=False))
    regions = areas.regions("village", code[:6]).set_index("code")
    if code not in regions.index:
        raise KeyError(code)
    last = as_of.year - 1
    sv = _frame(select(SV.id, SV.industry, SV.category, SV.level, SV.year_recognised, SV.status)
                .where(SV.village_code == code, SV.year_recognised <= as_of.year),
                ["id", "industry", "category", "level", "year_recognised", "status"])
    metrics = pd.DataFrame(columns=["year", "output", "agri_output", "share", "households_linked", "per_capita_income"])
    if len(sv):
        metrics = _frame(select(SM.year, SM.industry_output, SM.agri_output, SM.households_linked, SM.per_capita_income)
                         .where(SM.specialty_village_id == int(sv["id"].iloc[0]), SM.year <= last).order_by(SM.year),
                         ["year", "output", "agri_output", "households_linked", "per_capita_income"])
        metrics.insert(3, "share", metrics["output"] / metrics["agri_output"].where(metrics["agri_output"] > 0))
    coll = _frame(select(CI.year, CI.operating_income, CI.total_income, CI.subsidy_income)
                  .where(CI.village_code == code, CI.quarter.is_(None), CI.year <= last).order_by(CI.year),
                  ["year", "operating", "total", "subsidy_income"])
    coll["tier"] = [tiers()[i] for i in tier_index(coll["operating"].astype(float))] if len(coll) else []
    projects = None
    if scope.sees_rows_of(code[:6]):
        st = status_at(as_of)
        projects = _frame(select(P.id, P.name, P.industry, P.year, st.c.status, P.investment, P.revenue)
                          .join(st, st.c.project_id == P.id).where(P.village_code == code).order_by(P.year, P.id),
                          ["project_id", "name", "industry", "year", "status", "investment", "revenue"])
    pv = _frame(select(PV.id, PV.kw, PV.built_year, PY.year, PY.generation_kwh, PY.income)
                .join(PY, and_(PY.station_id == PV.id, PY.year == last), isouter=True)
                .where(PV.village_code == code), ["station_id", "kw", "built_year", "year", "generation", "income"])
    return dict(code=code, name=names.get(code, code), township=names.get(code[:9], ""),
                county=counties.get(code[:6], ""), tuopin=bool(regions.at[code, "is_tuopin_village"]),
                specialty=sv.drop(columns="id").iloc[0].to_dict() if len(sv) else None, metrics=metrics,
                collective=coll, projects=projects, pv=pv)


def project(scope: Scope, project_id: int, *, as_of: date) -> dict:
    """One project's file at as_of: keys project (a dict: name, village, industry, fund_source, year, investment,
    households_linked, revenue, status at as_of), history (its dated statuses up to as_of) and assets (formed
    by as_of). Row-level roles only; a county account only for its own county's projects."""
    with engine("industry").connect() as conn:
        row = conn.execute(select(P.id, P.county_code, P.village_code, P.name, P.industry, P.fund_source, P.year,
                                  P.investment, P.households_linked, P.revenue).where(P.id == int(project_id))
                           ).mappings().first()
    if row is None:
        raise KeyError(project_id)
    if not scope.sees_rows_of(row["county_code"]):
        raise AccessDenied("无权查看其他县(市)区的项目明细")
    history = _frame(select(PS.changed_on, PS.status).where(PS.project_id == row["id"], PS.changed_on <= as_of)
                     .order_by(PS.changed_on, PS.id), ["changed_on", "status"])
    if history.empty:
        raise KeyError(project_id)  # not started by as_of: it does not exist yet at that date
    assets = _frame(select(AS.id, AS.asset_class, AS.kind, AS.value, AS.owner, AS.state, AS.disposal, AS.formed_on)
                    .where(AS.project_id == row["id"], AS.formed_on <= as_of).order_by(AS.id),
                    ["asset_id", "asset_class", "kind", "value", "owner", "state", "disposal", "formed_on"])
    assets["owner"] = assets["owner"].fillna("(未明确)")
    assets["disposal"] = assets["disposal"].fillna("—")
    names = areas.names_with_townships([row["village_code"]])
    info = dict(row) | dict(status=history["status"].iloc[-1], since=history["changed_on"].iloc[-1],
                            village=names.get(row["village_code"], ""),
                            township=names.get(row["village_code"][:9], ""),
                            county=dict(areas.regions("county")[["code", "name"]].itertuples(index=False))
                            .get(row["county_code"], ""))
    return dict(project=info, history=history, assets=assets,
                troubled=bool(history["status"].isin(industry.WEAK_IDLE).any()))
