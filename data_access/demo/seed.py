"""Seed the three databases with the deterministic demo data set."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from data_access.demo import cases, checks, industry, people, tasks
from data_access.demo.checks import INCOME_LINE
from data_access.demo.regions import build_regions, cnmaps_counties
from data_access.maintenance import update_statistics
from data_access.models import BASES
from data_access.models import app as am
from data_access.models import industry as im
from data_access.models import monitoring as mm
from data_access.scope import ROLES
from data_access.sql import bulk_insert
from data_access.summary import refresh_summaries

Progress = Callable[[float, str], None]
DEMO_ROLES = ("admin", "office", "leader", "screen")
DEMO_PEOPLE = {"admin": 1, "office": 3, "leader": 2, "screen": 1}  # accounts per role

TUOPIN_HOUSEHOLDS = 55_000
OTHER_HOUSEHOLDS = 3_000
CASES = 6_000
PROJECTS = 1_500
PV_STATIONS = 150


def write(engine: Engine, model, df: pd.DataFrame) -> int:
    """Insert a DataFrame into a model's table in one transaction."""
    with engine.begin() as conn:
        return bulk_insert(conn, model.__table__, df)


def _county_weights(regions: pd.DataFrame) -> pd.Series:
    counties = regions[regions["level"] == "county"].set_index("code")
    return counties["is_tuopin_county"].map({True: 2.4, False: 1.0})


def demo_accounts(counties: pd.DataFrame) -> list[dict]:
    """Accounts as a real office has them, with fresh random passwords (not from the seed): one person, one
    account, several per role (the first of each keeps the plain role name), so one person's typos lock only
    their own account on their own device."""
    from data_access.accounts import random_password

    def person(username: str, role: str, display: str, county: str | None = None, **extra) -> dict:
        return dict(username=username, password=random_password(), role=role, county_code=county,
                    display_name=display, **extra)

    rows = []
    for role in DEMO_ROLES:
        rows += [person(role if i == 1 else f"{role}{i}", role, ROLES[role] if i == 1 else f"{ROLES[role]}{i}号")
                 for i in range(1, DEMO_PEOPLE[role] + 1)]
    for code, name in counties[["code", "name"]].itertuples(index=False):
        rows += [person(f"county{code}", "county", f"{name}账号", code, county_name=name),
                 person(f"county{code}.2", "county", f"{name}联络员", code, county_name=name)]
    return rows


@dataclass
class SeedResult:
    """Rows written per table, and the demo accounts with their one-time plain passwords."""

    counts: dict[str, int]
    accounts: list[dict]


def seed(engines: dict[str, Engine], *, scale: float = 1.0, seed: int = 20210101,
         as_of: date | None = None, city: str = "231200",
         progress: Progress | None = None) -> SeedResult:
    """Drop, create and fill the three databases, with demo accounts; returns counts and accounts.

    Deliberate problems, stronger in counties with a higher problem level (a permutation of
    0.1..1.0 drawn from the seed): decisions later than 15 days after discovery; cases waiting
    more than 15 days for a decision; eliminations after under 183 days of monitoring, with no
    measure, with the last income below the line, with a failing last guarantee check, or in
    households with nobody able to work; included cases without measures or with measures that
    match none of their risks; cases not visited for 40-150 days; late alert verification; 危房
    and failing water in last checks; dropouts aged 6-15; too few 特困 in centralised care;
    weak (<5万) and hollow (0) villages; specialty villages below the output criterion; weak and
    idle projects left unfixed; lost, damaged and ownerless assets; overdue key tasks and actions.
    """
    t0 = time.time()
    say = progress or (lambda f, m: None)
    as_of = as_of or date.today()
    d = np.datetime64(as_of.isoformat())
    rng = np.random.default_rng(seed)
    counts: dict[str, int] = {}

    def put(db: str, model, df: pd.DataFrame) -> None:
        counts[model.__tablename__] = counts.get(model.__tablename__, 0) + write(engines[db], model, df)

    say(0.01, "建立数据库表")
    for name, base in BASES.items():
        base.metadata.drop_all(engines[name])
        base.metadata.create_all(engines[name])

    regions = build_regions(rng, city)
    put("monitoring", mm.Region, regions)
    province = cnmaps_counties(city)["province"].iat[0]  # the income line is set per province and year
    put("monitoring", mm.IncomeLine, pd.DataFrame(
        [dict(province=province, year=y, amount=float(a)) for y, a in INCOME_LINE.items()]))
    weights = _county_weights(regions)
    share = weights / weights.sum()
    codes = list(share.index)
    problem = dict(zip(codes, rng.permutation(np.linspace(0.1, 1.0, len(codes)))))
    villages_all = regions[regions["level"] == "village"].copy()
    villages_all["weight"] = rng.lognormal(0, 0.35, len(villages_all))
    ids = dict(hh=1, mem=1, case=1, risk=1, measure=1, visit=1, alert=1, check=1, income=1,
               team=1, assist=1, emp=1, sv=1, coll=1, prj=1, hist=1, asset=1, pv=1, sup=1)
    names_pool = None
    for i, county in enumerate(codes):
        say(0.03 + 0.8 * i / len(codes), f"生成{regions.set_index('code').at[county, 'name']}的数据")
        p = float(problem[county])
        vil = villages_all[villages_all["code"].str[:6] == county]
        n_tp = int(round(TUOPIN_HOUSEHOLDS * scale * share[county]))
        n_other = int(round(OTHER_HOUSEHOLDS * scale * share[county]))
        hh = people.households(rng, vil, n_tp, n_other, county, ids["hh"])
        mem = people.members(rng, hh, d, ids["mem"])
        mem = people.dropouts(rng, mem, d, p)
        hh = people.finish_households(rng, hh, mem)
        names_pool = mem["name"].to_numpy()[:5000]
        n_cases = int(round(CASES * scale * share[county]))
        cs = cases.cases(rng, hh, mem, n_cases, d, p, ids["case"])
        rk = cases.risks(rng, cs, ids["risk"])
        ms = cases.measures(rng, cs, rk, hh, p, ids["measure"], d)
        vs = cases.visits(rng, cs, p, ids["visit"], d)
        al = cases.alerts(rng, cs, hh, p, ids["alert"], d)
        gone = cs[cs["status"] == "风险已消除"]
        bad = gone.sample(frac=0.005 + 0.03 * p, random_state=int(rng.integers(1 << 30)))
        low = gone.sample(frac=0.005 + 0.03 * p, random_state=int(rng.integers(1 << 30)))
        bad_s = pd.Series(bad["eliminated_on"].to_numpy(), index=bad["household_id"].to_numpy())
        low_s = pd.Series(pd.to_datetime(low["eliminated_on"]).dt.year.to_numpy(),
                          index=low["household_id"].to_numpy())
        gc = checks.guarantee_checks(rng, hh, bad_s, p, d, ids["check"])
        inc = checks.incomes(rng, hh, low_s, d, ids["income"])
        teams = checks.resident_teams(rng, vil, names_pool, d, ids["team"])
        std = checks.standards(rng, county, d)
        sa = checks.assistance(rng, hh, mem, p, std, d, ids["assist"])
        emp = checks.employment(rng, hh, mem, d, ids["emp"])
        for model, df, key in ((mm.Household, hh, "hh"), (mm.Member, mem, "mem"),
                               (mm.MonitoringCase, cs, "case"), (mm.CaseRisk, rk, "risk"),
                               (mm.Measure, ms, "measure"), (mm.Visit, vs, "visit"),
                               (mm.DepartmentAlert, al, "alert"), (mm.GuaranteeCheck, gc, "check"),
                               (mm.IncomeRecord, inc, "income"), (mm.ResidentTeam, teams, "team"),
                               (mm.SocialAssistance, sa, "assist"), (mm.Employment, emp, "emp")):
            put("monitoring", model, df)
            ids[key] += len(df)
        put("monitoring", mm.VillageCondition, checks.village_conditions(rng, vil, p, d))
        put("monitoring", mm.AssistanceStandard, std)

        tuopin = bool(regions.set_index("code").at[county, "is_tuopin_county"])
        sv, sm = industry.specialty(rng, vil, tuopin, p, d, ids["sv"])
        coll = industry.collective(rng, vil, p, d, ids["coll"])
        prj, hist = industry.projects(rng, vil, max(int(PROJECTS * scale * share[county]), 5), p, d,
                                      ids["prj"], ids["hist"])
        ast = industry.assets(rng, prj, hist, p, ids["asset"])
        st, pvy = industry.pv(rng, vil, max(int(PV_STATIONS * share[county]), 2), d, ids["pv"])
        sup = industry.social_support(rng, vil, ids["sup"])
        labour = int(emp[emp["year"] == as_of.year].shape[0])
        cm = industry.county_months(rng, county, labour, p, d)
        recognised = sv[sv["status"] != "培育"]
        target = pd.DataFrame([dict(county_code=county, year=y, indicator="I1", target=float(max(round(
            (recognised["year_recognised"] <= y).sum() * rng.uniform(0.85, 1.2)), 2)))
            for y in range(2021, as_of.year + 1)])
        yearly = coll[coll["quarter"].isna()]
        strong = yearly.groupby("year")["operating_income"].apply(lambda s: (s >= 100_000).sum() / len(vil))
        i3 = pd.DataFrame([dict(county_code=county, year=int(y), indicator="I3",  # some counties fall short
                                target=round(min(share * rng.uniform(0.95, 1.12), 0.95), 2))
                           for y, share in strong.items()])
        target = pd.concat([target, i3], ignore_index=True)
        for model, df, key in ((im.SpecialtyVillage, sv, "sv"), (im.SpecialtyMetric, sm, None),
                               (im.CollectiveIncome, coll, "coll"), (im.IndustryProject, prj, "prj"),
                               (im.ProjectStatusChange, hist, "hist"), (im.ProjectAsset, ast, "asset"),
                               (im.PvStation, st, "pv"), (im.PvYear, pvy, None),
                               (im.SocialSupport, sup, "sup"), (im.CountyMonthly, cm, None),
                               (im.CountyTarget, target, None)):
            put("industry", model, df)
            if key:
                ids[key] += len(df)

    say(0.85, "生成重点任务与周调度")
    kt, tp = tasks.key_tasks(rng, as_of, problem)
    county_rows = regions[regions["level"] == "county"]
    ma, fu = tasks.meeting_actions(rng, as_of, dict(zip(county_rows["code"], county_rows["name"])))
    ae = tasks.assessment_entries(rng, as_of, problem)
    for model, df in ((am.KeyTask, kt), (am.TaskProgress, tp), (am.MeetingAction, ma),
                      (am.ActionFollowup, fu), (am.AssessmentEntry, ae)):
        put("app", model, df)

    say(0.88, "创建演示账号")
    accounts = demo_accounts(regions[regions["level"] == "county"])
    from data_access.accounts import hash_password

    now = datetime.now()
    put("app", am.User, pd.DataFrame([dict(username=a["username"], password_hash=hash_password(a["password"]),
                                          role=a["role"], county_code=a["county_code"], disabled=False,
                                          failed_count=0, created_at=now, display_name=a["display_name"])
                                     for a in accounts]))

    say(0.9, "汇总村级统计表")
    refresh_summaries(engines["monitoring"], as_of)
    info = dict(source="demo", data_date=as_of.isoformat(), seed=str(seed), scale=str(scale),
                city=city, province=province, seeded_at=time.strftime("%Y-%m-%d %H:%M:%S"))
    for db, model in (("monitoring", mm.DatasetInfo), ("industry", im.IndustryDatasetInfo)):
        put(db, model, pd.DataFrame([dict(key=k, value=v) for k, v in info.items()]))
    say(0.98, "更新数据库查询统计信息")
    for eng in engines.values():
        update_statistics(eng)
    say(1.0, f"演示数据生成完成,用时 {time.time() - t0:.0f} 秒")
    return SeedResult(counts, accounts)
