"""基础设施与公共服务 page service (plan 二(二)2-4, 二(三), 二(四)4, 三(二)): village conditions against the plan's
items, resident teams (驻村帮扶), social assistance (低保, 特困, 临时救助), employment of 脱贫劳动力 and social support
(定点帮扶, 百企兴百村). Aggregated in SQL per area; the level functions (level = city, county, township or village)
also feed the S indicators of data_access.indicators.

Dates (DESIGN.md §11): a figure at as_of reads only records dated on or before it. Village conditions and
employment are yearly figures of the last completed year that has them; teams and assistance are stocks at as_of;
临时救助 is counted from 1 January to as_of; social-support pairs count from the year they were formed (in or
before as_of's year). Names of first secretaries are personal data: always masked, and only row-level roles read
the team rows (a county account its own county's).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Date, and_, case, distinct, func, literal, or_, select

from data_access import areas, masking
from data_access.areas import area_key, group_keys, in_county
from data_access.db import engine
from data_access.models.industry import SocialSupport as SS
from data_access.models.monitoring import AssistanceStandard as AST
from data_access.models.monitoring import EmploymentSummary as ES
from data_access.models.monitoring import Household as H
from data_access.models.monitoring import Region as R
from data_access.models.monitoring import ResidentTeam as RT
from data_access.models.monitoring import SocialAssistance as SA
from data_access.models.monitoring import VillageCondition as VC
from data_access.periods import last_completed_year
from data_access.scope import Scope
from data_access.settings import settings
from data_access.sql import area_frame, count_if, days_between
from data_access.summary import STABLE_MONTHS  # 稳定就业: a job of the year lasting six months or more

EXPRESS_TARGET_YEAR = 2022  # 2022年底,实现有条件建制村“村村通快递”
CARE_FLOOR = 0.5  # 生活不能自理特困人员集中供养率不低于50%
SOON_DAYS = 91  # a team "ends within the next quarter": its term ends within 91 days after as_of
DUTY_DAYS = 220  # 驻村工作队员每年在村工作一般不少于220天
DUTY_MIN_ELAPSED = 90  # the yearly rate of days on duty is judged only after 90 days of a term
PLACES = ("县内", "省内县外", "省外")
KINDS = ("务工", "公益岗位", "以工代赈", "扶贫车间", "生态护林员")
# yes/no items of the village conditions: column -> what a village has
FLAGS = {"express_delivery": "快递进村", "fibre": "光纤宽带", "g4": "4G信号", "garbage_treated": "生活垃圾收运处置",
         "sewage_treated": "生活污水治理", "clinic": "村卫生室", "remote_medical": "远程医疗", "service_facility": "综合服务设施",
         "grid_upgraded": "电网改造升级"}
# what a village falls short of (the plan's full-coverage items): key -> label
SHORT = {"road": "自然村未全部通硬化路", "express": "未通快递", "network": "光纤或4G未覆盖", "remote": "村卫生室无远程医疗",
         "grid": "电网未改造升级"}


# ---------------------------------------------------------------- shared


def _names(county: str | None) -> pd.DataFrame:
    return areas.regions("township" if county else "county", county)[["code", "name"]]


def _board(fn, county: str | None, sums: bool = True, **kw) -> pd.DataFrame:
    """fn per county (per township within a county), every area listed, and a last row for the city or the county
    (code None): the sum of the rows when every counted thing belongs to one area (sums), else computed by fn at
    that level, so that distinct counts (dispatching units, partners) stay distinct."""
    level = "township" if county else "county"
    body = _names(county).merge(fn(level=level, county=county, **kw), on="code", how="left")
    numbers = [c for c in body.columns if c not in ("code", "name")]
    body[numbers] = body[numbers].apply(pd.to_numeric).fillna(0)
    if sums:
        total = pd.DataFrame([body[numbers].sum()])
    else:
        total = fn(level="county" if county else "city", county=county, **kw)
        total = total.iloc[[0]] if len(total) else pd.DataFrame([{}])
    total = total.assign(code=None, name="合计" if county else "全市")
    out = pd.concat([body, total], ignore_index=True)
    out[numbers] = out[numbers].apply(pd.to_numeric).fillna(0)
    return out


def _share(num: pd.Series, den: pd.Series) -> pd.Series:
    return num / den.where(den > 0)


def _located(df: pd.DataFrame) -> pd.DataFrame:
    """County, township and village names of rows with a village_code."""
    names = areas.names_with_townships(df["village_code"].tolist())
    counties = dict(areas.regions("county")[["code", "name"]].itertuples(index=False))
    return df.assign(county=df["village_code"].str[:6].map(counties), township=df["village_code"].str[:9].map(names),
                     village=df["village_code"].map(names))


def _villages(level: str, county: str | None) -> pd.DataFrame:
    """Administrative villages and 脱贫村 per area. Columns: code, villages, tuopin_villages."""
    key = area_key(R.code, level).label("code")
    q = (select(key, func.count(), count_if(R.is_tuopin_village.is_(True)))
         .where(R.level == "village", in_county(R.code, county)).group_by(*group_keys(level, key)))
    return area_frame("monitoring", q, ["code", "villages", "tuopin_villages"])


# ---------------------------------------------------------------- 村情设施 (二(二)3, 二(二)4)


def condition_years(as_of: date) -> list[int]:
    """Completed years with village conditions at as_of, newest first."""
    q = select(VC.year).where(VC.year <= last_completed_year(as_of)).distinct()
    with engine("monitoring").connect() as conn:
        return sorted((int(y) for y in conn.execute(q).scalars()), reverse=True)


def condition_year(as_of: date) -> int | None:
    """The year whose village conditions stand at as_of: the last completed one with figures."""
    years = condition_years(as_of)
    return years[0] if years else None


CONDITION_COLUMNS = ["code", "reporting", "natural", "hardened", "roads_done", *FLAGS, "fibre_g4", "toilet_sum",
                     "water_sum"]


def conditions(*, year: int, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """Village conditions of a year per area: reporting villages, natural villages and those with hardened roads,
    villages whose natural villages all have them (roads_done), villages with each FLAGS item, with both fibre and
    4G (fibre_g4), and the sums of the villages' sanitary-toilet and tap-water shares (toilet_sum, water_sum; over
    reporting they give the average). Columns: CONDITION_COLUMNS."""
    key = area_key(VC.village_code, level).label("code")
    q = (select(key, func.count(), func.sum(VC.natural_villages), func.sum(VC.natural_villages_hardened),
                count_if(VC.natural_villages_hardened >= VC.natural_villages),
                *[count_if(getattr(VC, f).is_(True)) for f in FLAGS], count_if(and_(VC.fibre.is_(True), VC.g4.is_(True))),
                func.sum(VC.sanitary_toilet_share), func.sum(VC.safe_water_share))
         .where(VC.year == year, in_county(VC.village_code, county)).group_by(*group_keys(level, key)))
    return area_frame("monitoring", q, CONDITION_COLUMNS)


def condition_table(*, year: int, county: str | None = None) -> pd.DataFrame:
    """Each plan item as a coverage share per county (per township within a county) with a total row.

    Columns: code, name, villages (administrative), reporting, CONDITION_COLUMNS' counts, roads (hardened over natural
    villages, S1), express_share (S2), fibre_share, g4_share, network (fibre and 4G, S3), toilet (average, S4),
    garbage (S5), sewage (S6), clinic_share, remote (S7), service, grid (S8), water (average); the shortfalls
    road_short, express_short, network_short, remote_short, grid_short (villages); express_goal (the 2022 target in
    words: 已实现 / 未实现,差N个村 / 目标年度前).
    """
    df = _board(conditions, county, year=year)
    vil = _board(lambda level, county: _villages(level, county), county)
    df["villages"] = vil["villages"].to_numpy()
    n = df["reporting"]
    df["roads"] = _share(df["hardened"], df["natural"])
    for col, out in (("express_delivery", "express_share"), ("fibre", "fibre_share"), ("g4", "g4_share"),
                     ("fibre_g4", "network"), ("garbage_treated", "garbage"), ("sewage_treated", "sewage"),
                     ("clinic", "clinic_share"), ("remote_medical", "remote"), ("service_facility", "service"),
                     ("grid_upgraded", "grid"), ("toilet_sum", "toilet"), ("water_sum", "water")):
        df[out] = _share(df[col], n)
    df["road_short"] = n - df["roads_done"]
    for col, out in (("express_delivery", "express_short"), ("fibre_g4", "network_short"),
                     ("remote_medical", "remote_short"), ("grid_upgraded", "grid_short")):
        df[out] = n - df[col]
    df["express_goal"] = [express_goal(year, int(r), int(s)) for r, s in zip(n, df["express_short"])]
    return df


def express_goal(year: int, reporting: int, short: int) -> str:
    """村村通快递 against the plan's 2022年底 target, in words."""
    if year < EXPRESS_TARGET_YEAR:
        return f"目标{EXPRESS_TARGET_YEAR}年底实现"
    if reporting == 0:
        return "—"
    return "已实现" if short == 0 else f"未实现,差{short}个村"


SHORT_COLUMNS = ["village_code", "county", "township", "village", "tuopin", "natural", "hardened", "shortfalls",
                 "problems"]


def shortfalls(*, year: int, county: str | None = None, limit: int | None = 500) -> pd.DataFrame:
    """Villages that fall short of the plan's full-coverage items in the year (SHORT): the most shortfalls first.

    Columns: SHORT_COLUMNS; tuopin is 脱贫村 or empty, problems names the shortfalls.
    """
    flags = {"road": VC.natural_villages_hardened < VC.natural_villages, "express": VC.express_delivery.is_(False),
             "network": or_(VC.fibre.is_(False), VC.g4.is_(False)), "remote": VC.remote_medical.is_(False),
             "grid": VC.grid_upgraded.is_(False)}
    score = sum(case((c, 1), else_=0) for c in flags.values())
    q = (select(VC.village_code, R.is_tuopin_village, VC.natural_villages, VC.natural_villages_hardened,
                *[case((c, 1), else_=0) for c in flags.values()], score)
         .select_from(VC).join(R, R.code == VC.village_code, isouter=True)
         .where(VC.year == year, in_county(VC.village_code, county), or_(*flags.values()))
         .order_by(score.desc(), VC.village_code))
    if limit is not None:
        q = q.limit(limit)
    with engine("monitoring").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=["village_code", "tuopin", "natural", "hardened", *flags,
                                                          "shortfalls"])
    if df.empty:
        return pd.DataFrame(columns=SHORT_COLUMNS)
    df["tuopin"] = np.where(df["tuopin"].fillna(False).astype(bool), "脱贫村", "")
    road = [f"({int(h)}/{int(n)})" for h, n in zip(df["hardened"], df["natural"])]
    df["problems"] = ["、".join(SHORT[k] + (road[i] if k == "road" else "") for k in flags if df.at[i, k])
                      for i in df.index]
    return _located(df)[SHORT_COLUMNS]


# ---------------------------------------------------------------- 驻村帮扶 (三(二))


def _on_duty(as_of: date):
    return and_(RT.started_on <= as_of, or_(RT.ended_on.is_(None), RT.ended_on >= as_of))


def _ending(as_of: date):
    return and_(RT.ended_on.is_not(None), RT.ended_on >= as_of, RT.ended_on <= as_of + timedelta(days=SOON_DAYS))


def _elapsed():
    """Days of a team's term to the data date (or its end, when earlier): days_on_duty is counted to then."""
    data_day = literal(areas.data_date(), Date)
    end = case((and_(RT.ended_on.is_not(None), RT.ended_on < data_day), RT.ended_on), else_=data_day)
    return days_between(end, RT.started_on)


def _low_duty():
    elapsed = _elapsed()
    return and_(elapsed >= DUTY_MIN_ELAPSED, RT.days_on_duty * 365 < DUTY_DAYS * elapsed)


TEAM_COLUMNS = ["code", "teams", "members", "covered", "tuopin_covered", "units", "ending", "low_duty", "days",
                "elapsed"]


def teams(*, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """Resident teams on duty at as_of per area, with the villages and 脱贫村 they cover.

    Columns: code, villages, tuopin_villages, then TEAM_COLUMNS: teams (each with one first secretary), members
    (team members), covered (villages with a team), tuopin_covered (S9's numerator), units (distinct dispatching
    units), ending (terms ending within SOON_DAYS), low_duty (on duty under DUTY_DAYS a year), days and elapsed
    (days on duty and days of the terms to the data date; days / elapsed * 365 is the yearly rate).
    """
    key = area_key(RT.village_code, level).label("code")
    q = (select(key, func.count(), func.sum(RT.team_size), func.count(distinct(RT.village_code)),
                func.count(distinct(case((R.is_tuopin_village.is_(True), RT.village_code)))),
                func.count(distinct(RT.dispatching_unit)), count_if(_ending(as_of)), count_if(_low_duty()),
                func.sum(RT.days_on_duty), func.sum(_elapsed()))
         .select_from(RT).join(R, R.code == RT.village_code, isouter=True)
         .where(_on_duty(as_of), in_county(RT.village_code, county)).group_by(*group_keys(level, key)))
    df = area_frame("monitoring", q, TEAM_COLUMNS)
    out = _villages(level, county).merge(df, on="code", how="left")
    return out.fillna({c: 0 for c in TEAM_COLUMNS[1:]})


def team_table(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """teams() per county (per township within a county) with a total row, and tuopin_share (S9), other_covered
    (other villages with a team), uncovered (脱贫村 without one), yearly_days (average days on duty a year)."""
    df = _board(teams, county, sums=False, as_of=as_of)
    df["tuopin_share"] = _share(df["tuopin_covered"], df["tuopin_villages"])
    df["other_covered"] = df["covered"] - df["tuopin_covered"]
    df["uncovered"] = df["tuopin_villages"] - df["tuopin_covered"]
    df["yearly_days"] = _share(df["days"], df["elapsed"]) * 365
    return df


TEAM_LIST = ["team_id", "village_code", "county", "township", "village", "tuopin", "first_secretary", "dispatching_unit",
             "team_size", "started_on", "ended_on", "days_left", "days_on_duty", "yearly_days"]


def team_rows(scope: Scope, *, as_of: date, county: str | None = None, which: str = "ending",
              limit: int | None = 500) -> pd.DataFrame:
    """Teams on duty at as_of whose term ends within SOON_DAYS (which="ending", soonest first) or who are on duty
    under DUTY_DAYS a year (which="low_duty", fewest first); first secretaries' names masked. Row-level roles only,
    a county account its own county's. Columns: TEAM_LIST (days_left from as_of to the end of the term)."""
    county = scope.rows_county(county)
    if which not in ("ending", "low_duty"):
        raise ValueError(f"unknown team list {which!r}")
    elapsed = _elapsed()
    rate = RT.days_on_duty * 365.0 / func.nullif(elapsed, 0)
    cond, order = (_ending(as_of), (RT.ended_on, RT.id)) if which == "ending" else (_low_duty(), (rate, RT.id))
    q = (select(RT.id, RT.village_code, R.is_tuopin_village, RT.first_secretary, RT.dispatching_unit, RT.team_size,
                RT.started_on, RT.ended_on, RT.days_on_duty, rate)
         .select_from(RT).join(R, R.code == RT.village_code, isouter=True)
         .where(_on_duty(as_of), in_county(RT.village_code, county), cond).order_by(*order))
    if limit is not None:
        q = q.limit(limit)
    with engine("monitoring").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=[
            "team_id", "village_code", "tuopin", "first_secretary", "dispatching_unit", "team_size", "started_on",
            "ended_on", "days_on_duty", "yearly_days"])
    if df.empty:
        return pd.DataFrame(columns=TEAM_LIST)
    df["tuopin"] = np.where(df["tuopin"].fillna(False).astype(bool), "脱贫村", "")
    df["first_secretary"] = df["first_secretary"].map(masking.name)
    df["started_on"] = pd.to_datetime(df["started_on"]).dt.date
    ended = pd.to_datetime(df["ended_on"])
    df["ended_on"] = [d.date() if pd.notna(d) else None for d in ended]
    df["days_left"] = (ended - pd.Timestamp(as_of)).dt.days
    df["yearly_days"] = df["yearly_days"].astype(float)
    return _located(df)[TEAM_LIST]


UNCOVERED = ["village_code", "county", "township", "village", "last_ended", "last_unit"]


def uncovered(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """脱贫村 without a team on duty at as_of, with the end of their last team before it (None: never had one).
    Villages, not people: every role. Columns: UNCOVERED."""
    last = (select(RT.village_code, func.max(RT.ended_on).label("ended"))
            .where(RT.started_on <= as_of, RT.ended_on < as_of).group_by(RT.village_code).subquery())
    unit = (select(RT.dispatching_unit).where(RT.village_code == R.code, RT.ended_on == last.c.ended)
            .order_by(RT.id.desc()).limit(1).correlate(R, last).scalar_subquery())
    duty = select(RT.village_code).where(_on_duty(as_of))
    q = (select(R.code, last.c.ended, unit).select_from(R).join(last, last.c.village_code == R.code, isouter=True)
         .where(R.level == "village", R.is_tuopin_village.is_(True), in_county(R.code, county), R.code.not_in(duty))
         .order_by(R.code))
    with engine("monitoring").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=["village_code", "last_ended", "last_unit"])
    if df.empty:
        return pd.DataFrame(columns=UNCOVERED)
    df["last_ended"] = [d.date() if pd.notna(d) else None for d in pd.to_datetime(df["last_ended"])]
    return _located(df)[UNCOVERED]


def units(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """Dispatching units of the teams on duty at as_of: unit, teams, villages, tuopin (脱贫村), members, ending;
    most teams first."""
    q = (select(RT.dispatching_unit, func.count(), func.count(distinct(RT.village_code)),
                func.count(distinct(case((R.is_tuopin_village.is_(True), RT.village_code)))), func.sum(RT.team_size),
                count_if(_ending(as_of)))
         .select_from(RT).join(R, R.code == RT.village_code, isouter=True)
         .where(_on_duty(as_of), in_county(RT.village_code, county)).group_by(RT.dispatching_unit))
    df = area_frame("monitoring", q, ["unit", "teams", "villages", "tuopin", "members", "ending"])
    return df.sort_values(["teams", "unit"], ascending=[False, True]).reset_index(drop=True)


# ---------------------------------------------------------------- 社会救助 (二(三)3, 5, 6)


def _receiving(as_of: date):
    return and_(SA.started_on <= as_of, or_(SA.ended_on.is_(None), SA.ended_on > as_of))


ASSIST_COLUMNS = ["code", "dibao", "dibao_households", "tekun", "unable", "centralised", "topup_persons", "topup",
                  "temporary", "temporary_amount", "temporary_last", "temporary_last_amount"]


def assistance(*, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """Social assistance at as_of per area (the household's village places a person).

    Columns: ASSIST_COLUMNS: dibao (低保 persons receiving at as_of), dibao_households, tekun (特困 persons), unable
    (特困 unable to look after themselves), centralised (of those, in centralised care: S10's numerator),
    topup_persons and topup (低保 persons with a 重残重病 top-up and its monthly sum, 元), temporary and
    temporary_amount (临时救助 granted from 1 January to as_of, and their amounts, 元), temporary_last and
    temporary_last_amount (the same over the whole previous year).
    """
    on = _receiving(as_of)
    dibao, tekun = and_(on, SA.kind == "低保"), and_(on, SA.kind == "特困")
    unable = and_(tekun, SA.unable_self_care.is_(True))
    topup = and_(dibao, SA.topup > 0)
    temp = and_(SA.kind == "临时救助", SA.started_on >= date(as_of.year, 1, 1), SA.started_on <= as_of)
    last = and_(SA.kind == "临时救助", SA.started_on >= date(as_of.year - 1, 1, 1), SA.started_on < date(as_of.year, 1, 1))
    person_level = level in ("township", "village")
    place = H.village_code if person_level else SA.county_code
    key = area_key(place, level).label("code")
    q = (select(key, count_if(dibao), func.count(distinct(case((dibao, SA.household_id)))), count_if(tekun),
                count_if(unable), count_if(and_(unable, SA.centralised_care.is_(True))), count_if(topup),
                func.sum(case((topup, SA.topup), else_=0)), count_if(temp), func.sum(case((temp, SA.standard), else_=0)),
                count_if(last), func.sum(case((last, SA.standard), else_=0)))
         .where(SA.started_on <= as_of, in_county(place, county)).group_by(*group_keys(level, key)))
    if person_level:
        q = q.select_from(SA).join(H, H.id == SA.household_id)
    return area_frame("monitoring", q, ASSIST_COLUMNS)


def standards_now(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """Each county's monthly 低保 and 特困 standards in force at as_of (its year's). Columns: code, dibao_standard,
    tekun_standard (元/月; NaN when not set)."""
    q = (select(AST.county_code, AST.kind, AST.monthly)
         .where(AST.year == as_of.year, in_county(AST.county_code, county)))
    with engine("monitoring").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=["code", "kind", "monthly"])
    out = pd.DataFrame({"code": sorted(set(df["code"]))})
    for kind, col in (("低保", "dibao_standard"), ("特困", "tekun_standard")):
        out[col] = out["code"].map(df[df["kind"] == kind].set_index("code")["monthly"]).astype(float)
    return out


def assistance_table(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """assistance() per county (per township within a county) with a total row, and care_share (S10), below_floor
    (against the 50% floor in words: 低于50%, 达到, or — without a denominator), dibao_standard and tekun_standard
    (the county's, 元/月; the county's on its townships' rows; NaN on the city row)."""
    df = _board(assistance, county, as_of=as_of)
    df["care_share"] = _share(df["centralised"], df["unable"])
    df["below_floor"] = np.select([df["care_share"] < CARE_FLOOR, df["care_share"] >= CARE_FLOOR], ["低于50%", "达到"], "—")
    std = standards_now(as_of=as_of, county=county).set_index("code")
    key = df["code"].str[:6] if county is None else pd.Series(county, index=df.index)
    for col in ("dibao_standard", "tekun_standard"):
        df[col] = key.map(std[col]) if len(std) else np.nan
    return df


def standards(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """Monthly standards by county, kind and year (years up to as_of's): code, name, kind, one column per year
    ("2021年" ...; 元/月), rising (逐年提高, or the years in which it did not rise)."""
    q = (select(AST.county_code, AST.kind, AST.year, AST.monthly)
         .where(AST.year <= as_of.year, in_county(AST.county_code, county)))
    with engine("monitoring").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=["code", "kind", "year", "monthly"])
    years = sorted(set(df["year"].astype(int)))
    rows = []
    for (code, kind), g in df.groupby(["code", "kind"], sort=True):
        by_year = g.set_index(g["year"].astype(int))["monthly"].astype(float)
        flat = [y for y in years[1:] if y in by_year and y - 1 in by_year and by_year[y] <= by_year[y - 1]]
        rows.append({"code": code, "kind": kind, **{f"{y}年": by_year.get(y, np.nan) for y in years},
                     "rising": "逐年提高" if not flat else "未提高:" + "、".join(f"{y}年" for y in flat)})
    out = pd.DataFrame(rows, columns=["code", "kind", *[f"{y}年" for y in years], "rising"])
    names = dict(areas.regions("county")[["code", "name"]].itertuples(index=False))
    out.insert(1, "name", out["code"].map(names))
    return out


def standard_years(*, as_of: date) -> list[int]:
    """The years standards() has columns for at as_of."""
    q = select(AST.year).where(AST.year <= as_of.year).distinct()
    with engine("monitoring").connect() as conn:
        return sorted(int(y) for y in conn.execute(q).scalars())


# ---------------------------------------------------------------- 稳定就业 (二(二)2)


def employment_years(as_of: date) -> list[int]:
    """Completed years with employment figures at as_of, newest first."""
    q = select(ES.year).where(ES.year <= last_completed_year(as_of)).distinct()
    with engine("monitoring").connect() as conn:
        return sorted((int(y) for y in conn.execute(q).scalars()), reverse=True)


def employment_year(as_of: date) -> int | None:
    """The year whose employment figures stand at as_of: the last completed one with records."""
    years = employment_years(as_of)
    return years[0] if years else None


EMPLOY_COLUMNS = ["code", "workers", *PLACES, *KINDS, "months", "stable", "trained"]
_SUMMED = {"workers": ES.workers, "县内": ES.in_county, "省内县外": ES.in_province, "省外": ES.out_province,
           "务工": ES.kind_work, "公益岗位": ES.kind_public, "以工代赈": ES.kind_relief, "扶贫车间": ES.kind_workshop,
           "生态护林员": ES.kind_ranger, "months": ES.months, "stable": ES.stable, "trained": ES.trained}


def employment(*, year: int, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """脱贫劳动力 with work in a year per area (the household's village places a person), summed from the employment
    summary (summary.refresh_employment), never from the person-level records.

    Columns: EMPLOY_COLUMNS: workers (persons), per place and per kind the persons with such work, months (months
    worked, summed over the records), stable (persons with a job of STABLE_MONTHS months or more: S13's numerator),
    trained (persons trained).
    """
    key = area_key(ES.village_code, level).label("code")
    q = (select(key, *[func.sum(_SUMMED[c]) for c in EMPLOY_COLUMNS[1:]])
         .where(ES.year == year, in_county(ES.village_code, county)).group_by(*group_keys(level, key)))
    return area_frame("monitoring", q, EMPLOY_COLUMNS)


def employment_table(*, year: int, county: str | None = None) -> pd.DataFrame:
    """employment() per county (per township within a county) with a total row, and the shares: place and kind
    columns as share_<name> of workers, avg_months (per worker; avg_months_text to one decimal), stable_share (S13),
    trained_share."""
    df = _board(employment, county, year=year)
    for col in (*PLACES, *KINDS):
        df[f"share_{col}"] = _share(df[col], df["workers"])
    df["avg_months"] = _share(df["months"], df["workers"])
    df["avg_months_text"] = [f"{v:.1f}" if v == v else "—" for v in df["avg_months"]]
    df["stable_share"] = _share(df["stable"], df["workers"])
    df["trained_share"] = _share(df["trained"], df["workers"])
    return df


# ---------------------------------------------------------------- 社会帮扶 (二(四)4)


SUPPORT_COLUMNS = ["code", "fixed_pairs", "fixed_units", "fixed_villages", "enterprise_pairs", "enterprises",
                   "enterprise_villages", "fixed_funds", "enterprise_funds", "projects"]


def support(*, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """Social-support pairs formed in or before as_of's year per area.

    Columns: SUPPORT_COLUMNS: 定点帮扶 pairs, units and villages; 百企兴百村 pairs, enterprises and villages; funds
    brought in by each (元) and projects.
    """
    key = area_key(SS.village_code, level).label("code")
    fixed, firm = SS.kind == "定点帮扶", SS.kind == "百企兴百村"
    q = (select(key, count_if(fixed), func.count(distinct(case((fixed, SS.partner)))),
                func.count(distinct(case((fixed, SS.village_code)))), count_if(firm),
                func.count(distinct(case((firm, SS.partner)))), func.count(distinct(case((firm, SS.village_code)))),
                func.sum(case((fixed, SS.funds), else_=0)), func.sum(case((firm, SS.funds), else_=0)),
                func.sum(SS.projects))
         .where(SS.started_year <= as_of.year, in_county(SS.village_code, county)).group_by(*group_keys(level, key)))
    return area_frame("industry", q, SUPPORT_COLUMNS)


def fixed_coverage(*, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """脱贫村 with a 定点帮扶 unit (paired in or before as_of's year) per area: code, tuopin_villages, covered (S14).
    The pairs are in the industry database and the 脱贫村 flags in the monitoring one: the paired villages are read
    and matched here."""
    q = select(SS.village_code).where(SS.kind == "定点帮扶", SS.started_year <= as_of.year,
                                      in_county(SS.village_code, county)).distinct()
    with engine("industry").connect() as conn:
        paired = set(conn.execute(q).scalars())
    v = areas.regions("village", county)
    v = v[v["is_tuopin_village"].astype(bool)]
    codes = v["code"]
    if level == "city":
        area = pd.Series(settings().city_adcode, index=codes.index, dtype=object)
    else:
        area = codes if level == "village" else codes.str[:{"county": 6, "township": 9}[level]]
    df = pd.DataFrame({"code": area.to_numpy(), "tuopin_villages": 1, "covered": codes.isin(paired).astype(int)})
    return df.groupby("code", as_index=False)[["tuopin_villages", "covered"]].sum()


def support_table(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """support() and fixed_coverage() per county (per township within a county) with a total row; fixed_share
    (S14), funds (both kinds, 元)."""
    df = _board(support, county, sums=False, as_of=as_of)
    cov = _board(fixed_coverage, county, as_of=as_of)
    df["tuopin_villages"], df["tuopin_covered"] = cov["tuopin_villages"].to_numpy(), cov["covered"].to_numpy()
    df["fixed_share"] = _share(df["tuopin_covered"], df["tuopin_villages"])
    df["funds"] = df["fixed_funds"] + df["enterprise_funds"]
    return df


def partners(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """Units and enterprises with their pairs formed in or before as_of's year: partner, kind, villages, counties
    (names), funds (元), projects, since (first year); most funds first."""
    q = (select(SS.partner, SS.kind, func.count(distinct(SS.village_code)), func.count(distinct(SS.county_code)),
                func.sum(SS.funds), func.sum(SS.projects), func.min(SS.started_year))
         .where(SS.started_year <= as_of.year, in_county(SS.village_code, county)).group_by(SS.partner, SS.kind))
    df = area_frame("industry", q, ["partner", "kind", "villages", "counties", "funds", "projects", "since"], keys=2)
    df["since"] = df["since"].astype(int)
    return df.sort_values(["funds", "partner"], ascending=[False, True]).reset_index(drop=True)


# ---------------------------------------------------------------- cards


def cards(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """The page's headline cards (overview.CARD_COLUMNS) for the city or one county: S1 and S2 of the village
    conditions' year against the year before, S9 and S10 at as_of against seven days before, S13 of the employment
    year against the year before. Each reads only the city's (or the county's) total."""
    from data_access.overview import CARD_COLUMNS

    level = "county" if county else "city"

    def total(fn, **kw) -> pd.Series:
        df = fn(level=level, county=county, **kw)
        return df.iloc[0] if len(df) else pd.Series(0.0, index=df.columns)

    def share(row: pd.Series, num: str, den: str) -> float:
        return row[num] / row[den] if row[den] > 0 else np.nan

    nan = np.nan
    rows = []
    cy = condition_year(as_of)
    if cy is not None:
        now, before = total(conditions, year=cy), total(conditions, year=cy - 1)
        goal = express_goal(cy, int(now["reporting"]), int(now["reporting"] - now["express_delivery"]))
        rows += [("S1", f"{cy}年自然村通硬化路", share(now, "hardened", "natural"), share(before, "hardened", "natural"),
                  "%", "较上年", "high", "自然村通硬化路比例:通硬化路的自然村占自然村总数的比例"),
                 ("S2", f"{cy}年村村通快递", share(now, "express_delivery", "reporting"),
                  share(before, "express_delivery", "reporting"), "%", "较上年", "high",
                  f"村村通快递覆盖率:通快递的行政村占报送村的比例;目标{EXPRESS_TARGET_YEAR}年底实现村村通快递({goal})")]
    week = as_of - timedelta(days=7)
    t_now, t_before = (total(teams, as_of=d) for d in (as_of, week))
    a_now, a_before = (total(assistance, as_of=d) for d in (as_of, week))
    rows += [("S9", "脱贫村驻村覆盖率", share(t_now, "tuopin_covered", "tuopin_villages"),
              share(t_before, "tuopin_covered", "tuopin_villages"), "%", "较上周", "high",
              "脱贫村驻村工作队覆盖率:统计时点有驻村工作队在岗的脱贫村占脱贫村总数的比例"),
             ("S10", "特困集中供养率", share(a_now, "centralised", "unable"), share(a_before, "centralised", "unable"), "%",
              "较上周", "high", "生活不能自理特困人员集中供养率:生活不能自理的特困人员中集中供养的比例,不低于50%")]
    ey = employment_year(as_of)
    if ey is not None:
        e_now, e_before = (total(employment, year=y) for y in (ey, ey - 1))
        rows.append(("S13", f"{ey}年稳定就业率", share(e_now, "stable", "workers"), share(e_before, "stable", "workers"),
                     "%", "较上年", "high",
                     f"脱贫劳动力稳定就业率:当年有务工记录的脱贫劳动力中,至少一项就业务工{STABLE_MONTHS}个月以上的比例"))
    return pd.DataFrame([(*r, nan, nan, nan) for r in rows], columns=CARD_COLUMNS)
