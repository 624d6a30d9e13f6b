"""Yearly guarantee checks, incomes, village conditions, teams, assistance and employment."""

from __future__ import annotations

import numpy as np
import pandas as pd

INCOME_LINE = {2021: 6000, 2022: 6500, 2023: 7000, 2024: 7300, 2025: 7600, 2026: 7900}
UNITS = ["市委组织部", "市财政局", "市农业农村局", "市交通运输局", "市卫健委", "市教育局", "市住建局",
         "市水务局", "市人社局", "市民政局", "县委办", "县发改局", "县农业农村局", "县供电公司",
         "农业银行", "邮储银行", "县人民医院", "县自然资源局"]


def _dates(year_start: int, years: int, n: int, rng, as_of) -> np.ndarray:
    base = np.array([np.datetime64(f"{year_start + y}-09-01") for y in range(years)])
    d = np.repeat(base, n) + rng.integers(0, 75, n * years).astype("timedelta64[D]")
    return np.minimum(d, as_of - np.timedelta64(1, "D"))


def guarantee_checks(rng, hh: pd.DataFrame, bad: pd.Series, problem: float, as_of,
                     start_id: int) -> pd.DataFrame:
    """One check a year (2023 on) per household; bad (household -> elimination date) fail."""
    years = int(str(as_of)[:4]) - 2023 + 1
    n = len(hh)
    hid = np.tile(hh["id"].to_numpy(), years)
    total = n * years
    checked = _dates(2023, years, n, rng, as_of)
    last = np.arange(total) >= n * (years - 1)
    fail = lambda p: rng.random(total) < p  # noqa: E731
    housing = rng.choice(["A", "B"], total, p=[0.7, 0.3])
    housing = np.where(fail(0.001 + 0.006 * problem) & last, rng.choice(["C", "D"], total), housing)
    water = {k: ~(fail(0.0005 + 0.003 * problem) & last) for k in
             ("water_quantity_ok", "water_quality_ok", "water_convenience_ok", "water_reliability_ok")}
    df = pd.DataFrame({"id": np.arange(start_id, start_id + total), "household_id": hid,
                       "checked_on": checked, "food_clothing_ok": True, "education_ok": True,
                       "medical_ok": True, "housing_grade": housing, **water})
    elim = bad.reindex(hid).to_numpy().astype("datetime64[D]")
    broken = ~pd.isna(elim) & (checked <= elim)
    df.loc[broken, "housing_grade"] = "C"
    df.loc[broken, "medical_ok"] = False
    return df


def incomes(rng, hh: pd.DataFrame, low: pd.Series, as_of, start_id: int) -> pd.DataFrame:
    """Yearly incomes 2022 to last year; low (household -> elimination year) under the line."""
    last_year = int(str(as_of)[:4]) - 1
    years = np.arange(2022, last_year + 1)
    n = len(hh)
    hid = np.tile(hh["id"].to_numpy(), len(years))
    year = np.repeat(years, n)
    size = np.tile(hh["size"].to_numpy(), len(years))
    growth = 1.06 ** (year - 2022)
    wage = rng.lognormal(9.6, 0.6, n * len(years)) * growth
    business = rng.lognormal(8.6, 0.8, n * len(years)) * growth
    prop = rng.lognormal(6.5, 0.7, n * len(years))
    transfer = rng.lognormal(8.2, 0.5, n * len(years))
    rigid = rng.lognormal(7.5, 0.8, n * len(years))
    net = (wage + business + prop + transfer - rigid) / size
    floor = np.vectorize(INCOME_LINE.get)(year) * 1.05
    net = np.maximum(net, floor + rng.uniform(0, 3000, len(net)))
    below = low.reindex(hid).to_numpy() - 1 == year
    net = np.where(below, np.vectorize(INCOME_LINE.get)(year) * rng.uniform(0.7, 0.95, len(net)), net)
    return pd.DataFrame({"id": np.arange(start_id, start_id + len(hid)), "household_id": hid,
                         "year": year, "wage": wage.round(0), "business": business.round(0),
                         "property": prop.round(0), "transfer": transfer.round(0),
                         "rigid_expenditure": rigid.round(0), "per_capita_net": net.round(0)})


def village_conditions(rng, villages: pd.DataFrame, problem: float, as_of) -> pd.DataFrame:
    """Village conditions per year from 2021, improving over time."""
    rows = []
    nat = rng.integers(2, 9, len(villages))
    for year in range(2021, int(str(as_of)[:4]) + 1):
        t = (year - 2021) / 5
        p = lambda a, b: rng.random(len(villages)) < a + (b - a) * t - 0.1 * problem  # noqa: E731
        rows.append(pd.DataFrame({
            "village_code": villages["code"].to_numpy(), "year": year,
            "county_code": villages["code"].str[:6].to_numpy(),
            "natural_villages": nat,
            "natural_villages_hardened": np.minimum(nat, (nat * (0.6 + 0.4 * t) + rng.integers(0, 2, len(nat))).astype(int)),
            "express_delivery": p(0.55, 1.05), "fibre": p(0.85, 1.1), "g4": p(0.95, 1.1),
            "sanitary_toilet_share": np.clip(rng.normal(0.45 + 0.35 * t, 0.1, len(nat)), 0, 1).round(3),
            "garbage_treated": p(0.7, 1.05), "sewage_treated": p(0.15, 0.45),
            "clinic": p(0.9, 1.05), "remote_medical": p(0.4, 1.0), "service_facility": p(0.8, 1.05),
            "grid_upgraded": p(0.6, 1.0),
            "safe_water_share": np.clip(rng.normal(0.93 + 0.05 * t, 0.03, len(nat)), 0, 1).round(3),
        }))
    return pd.concat(rows, ignore_index=True)


def resident_teams(rng, villages: pd.DataFrame, names_pool: np.ndarray, as_of, start_id: int):
    """Teams in 脱贫村 and some others, rotated in 2021 and 2023."""
    pick = villages[villages["is_tuopin_village"] | (rng.random(len(villages)) < 0.1)]
    rows = []
    for start, end in (("2021-06-01", "2023-05-31"), ("2023-06-01", None)):
        s = np.datetime64(start) + rng.integers(0, 40, len(pick)).astype("timedelta64[D]")
        e = np.full(len(pick), np.datetime64(end) if end else np.datetime64("NaT", "D"))
        stop = np.where(pd.isna(e), as_of, e)
        rows.append(pd.DataFrame({
            "village_code": pick["code"].to_numpy(), "county_code": pick["code"].str[:6].to_numpy(),
            "first_secretary": rng.choice(names_pool, len(pick)), "team_size": rng.integers(2, 5, len(pick)),
            "dispatching_unit": rng.choice(UNITS, len(pick)), "started_on": s, "ended_on": e,
            "days_on_duty": ((stop - s).astype(int) * rng.uniform(0.55, 0.75, len(pick))).astype(int),
        }))
    df = pd.concat(rows, ignore_index=True)
    df.insert(0, "id", np.arange(start_id, start_id + len(df)))
    return df


def assistance(rng, hh: pd.DataFrame, mem: pd.DataFrame, problem: float, start_id: int):
    """低保 for members of 低保 households, 特困 for 特困 heads, some 临时救助."""
    m = mem.merge(hh[["id", "is_dibao", "is_tekun", "county_code"]], left_on="household_id",
                  right_on="id", suffixes=("", "_h"))
    dibao = m[m["is_dibao"]]
    tekun = m[m["is_tekun"] & (m["relation"] == "户主")]
    temp = m[(m["relation"] == "户主")].sample(frac=0.015, random_state=int(rng.integers(1 << 30)))
    unable = rng.random(len(tekun)) < 0.45
    care = unable & (rng.random(len(tekun)) < 0.75 - 0.4 * problem)
    parts = [
        (dibao, "低保", 520.0, np.where(dibao["health"].isin(["大病", "残疾"]), 78.0, 0.0), False, False),
        (tekun, "特困", 780.0, 0.0, unable, care),
        (temp, "临时救助", 1500.0, 0.0, False, False),
    ]
    out = []
    for df, kind, std, topup, un, ca in parts:
        start = np.datetime64("2021-01-01") + rng.integers(0, 1600, len(df)).astype("timedelta64[D]")
        out.append(pd.DataFrame({
            "member_id": df["id"].to_numpy(), "household_id": df["household_id"].to_numpy(),
            "county_code": df["county_code"].to_numpy(), "kind": kind, "standard": std,
            "topup": topup, "started_on": start, "ended_on": np.datetime64("NaT", "D"),
            "unable_self_care": un, "centralised_care": ca,
        }))
    df = pd.concat(out, ignore_index=True)
    df.insert(0, "id", np.arange(start_id, start_id + len(df)))
    return df


def employment(rng, hh: pd.DataFrame, mem: pd.DataFrame, as_of, start_id: int) -> pd.DataFrame:
    """This and last year's work of 脱贫劳动力 who work."""
    tp = hh.loc[hh["is_tuopin"], "id"]
    w = mem[mem["household_id"].isin(tp) & mem["work_place"].notna()]
    year = int(str(as_of)[:4])
    out = []
    for y in (year - 1, year):
        out.append(pd.DataFrame({
            "member_id": w["id"].to_numpy(), "county_code": hh["county_code"].iat[0], "year": y,
            "place": w["work_place"].to_numpy(), "months": w["work_months"].to_numpy(),
            "kind": rng.choice(["务工", "公益岗位", "以工代赈", "扶贫车间", "生态护林员"], len(w),
                               p=[0.78, 0.1, 0.04, 0.03, 0.05]),
            "trained": rng.random(len(w)) < 0.3,
        }))
    df = pd.concat(out, ignore_index=True)
    df.insert(0, "id", np.arange(start_id, start_id + len(df)))
    return df
