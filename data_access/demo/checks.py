"""Yearly guarantee checks, incomes, village conditions, teams, assistance and employment."""

from __future__ import annotations

import numpy as np
import pandas as pd

INCOME_LINE = {2020: 5600, 2021: 6000, 2022: 6500, 2023: 7000, 2024: 7300, 2025: 7600, 2026: 7900}
FIRST_CHECK_YEAR = 2020  # the 2020 脱贫攻坚普查, so that 2021 eliminations have a check before them
FIRST_INCOME_YEAR = 2020
UNITS = ["市委组织部", "市财政局", "市农业农村局", "市交通运输局", "市卫健委", "市教育局", "市住建局",
         "市水务局", "市人社局", "市民政局", "县委办", "县发改局", "县农业农村局", "县供电公司",
         "农业银行", "邮储银行", "县人民医院", "县自然资源局"]
START = np.datetime64("2021-01-01", "D")
WATER = ("water_quantity_ok", "water_quality_ok", "water_convenience_ok", "water_reliability_ok")


def _year(as_of) -> int:
    return int(str(as_of)[:4])


def guarantee_checks(rng, hh: pd.DataFrame, bad: pd.Series, problem: float, as_of,
                     start_id: int) -> pd.DataFrame:
    """One check a year (September to November, 2020 on) per household, none after as_of.

    Problems arise and are fixed year by year (most 危房 and water failures are put right by the next
    check), so each year has its share; bad (household -> elimination date) fail their last check before it.
    """
    n = len(hh)
    housing_bad = np.zeros(n, dtype=bool)
    water_bad = np.zeros(n, dtype=bool)
    parts = []
    for year in range(FIRST_CHECK_YEAR, _year(as_of) + 1):
        on = np.datetime64(f"{year}-09-01") + rng.integers(0, 75, n).astype("timedelta64[D]")
        housing_bad = np.where(housing_bad, rng.random(n) > 0.7, rng.random(n) < 0.001 + 0.006 * problem)
        water_bad = np.where(water_bad, rng.random(n) > 0.75, rng.random(n) < 0.0005 + 0.003 * problem)
        failing = rng.integers(0, len(WATER), n)
        grade = np.where(housing_bad, rng.choice(["C", "D"], n), rng.choice(["A", "B"], n, p=[0.7, 0.3]))
        done = on <= as_of
        parts.append(pd.DataFrame({"household_id": hh["id"].to_numpy()[done], "checked_on": on[done],
                                   "food_clothing_ok": True, "education_ok": True, "medical_ok": True,
                                   "housing_grade": grade[done],
                                   **{w: ~(water_bad & (failing == k))[done] for k, w in enumerate(WATER)}}))
    df = pd.concat(parts, ignore_index=True)
    df["water_ok"] = df[list(WATER)].all(axis=1)
    elim = bad.reindex(df["household_id"]).to_numpy().astype("datetime64[D]")
    before = ~np.isnat(elim) & (df["checked_on"].to_numpy() <= elim)
    last = before & (df["checked_on"] == df["checked_on"].where(before).groupby(df["household_id"]).transform("max"))
    df.loc[last, "housing_grade"] = "C"
    df.loc[last, "medical_ok"] = False
    df.insert(0, "id", np.arange(start_id, start_id + len(df)))
    return df


def incomes(rng, hh: pd.DataFrame, low: pd.Series, as_of, start_id: int) -> pd.DataFrame:
    """Yearly incomes 2020 to last year; low (household -> elimination year) under the line the year before.

    per_capita_net = (wage + business + property + transfer - rigid_expenditure) / size, to the fen.
    """
    years = np.arange(FIRST_INCOME_YEAR, _year(as_of))
    n = len(hh)
    k = n * len(years)
    hid = np.tile(hh["id"].to_numpy(), len(years))
    year = np.repeat(years, n)
    size = np.tile(hh["size"].to_numpy(), len(years))
    growth = 1.06 ** (year - FIRST_INCOME_YEAR)
    wage = rng.lognormal(9.6, 0.6, k) * growth
    business = rng.lognormal(8.6, 0.8, k) * growth
    prop = rng.lognormal(6.5, 0.7, k)
    transfer = rng.lognormal(8.2, 0.5, k)
    rigid = rng.lognormal(7.5, 0.8, k)
    line = np.vectorize(INCOME_LINE.get)(year)
    raw = (wage + business + prop + transfer - rigid) / size
    target = np.maximum(raw, line * 1.05 + rng.uniform(0, 3000, k))
    below = low.reindex(hid).to_numpy() - 1 == year
    target = np.where(below, line * rng.uniform(0.7, 0.95, k), target)
    wage = wage + (target - raw) * size  # the wage absorbs the difference; what it cannot, rigid spending does
    rigid = rigid - np.minimum(wage, 0)
    wage = np.maximum(wage, 0)
    parts = {c: v.round(0) for c, v in (("wage", wage), ("business", business), ("property", prop),
                                        ("transfer", transfer), ("rigid_expenditure", rigid))}
    net = (parts["wage"] + parts["business"] + parts["property"] + parts["transfer"]
           - parts["rigid_expenditure"]) / size
    return pd.DataFrame({"id": np.arange(start_id, start_id + k), "household_id": hid, "year": year, **parts,
                         "per_capita_net": net.round(2)})


def village_conditions(rng, villages: pd.DataFrame, problem: float, as_of) -> pd.DataFrame:
    """Village conditions per year from 2021, improving over time."""
    rows = []
    nat = rng.integers(2, 9, len(villages))
    for year in range(2021, _year(as_of) + 1):
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
    """Teams in 脱贫村 and some others, rotated in 2021 and 2023; ended_on is the last day of the term.

    Deliberate problems of the current rotation, drawn from a generator of the county's own (so that the seed's
    stream, and every other table, stays as it was): about one team in eight ends its term within 91 days after
    as_of (任期将满, no successor named yet) and about one in thirty left 30-150 days before as_of with no
    successor, leaving its village without a team. days_on_duty counts to the end of the term or to as_of.
    """
    pick = villages[villages["is_tuopin_village"] | (rng.random(len(villages)) < 0.1)]
    own = np.random.default_rng(int(villages["code"].iat[0][:6]) if len(villages) else 0)
    day = np.datetime64(as_of, "D")
    rows = []
    for start, end in (("2021-06-01", "2023-05-31"), ("2023-06-01", None)):
        s = np.datetime64(start) + rng.integers(0, 40, len(pick)).astype("timedelta64[D]")
        e = np.full(len(pick), np.datetime64(end) if end else np.datetime64("NaT", "D"))
        secretary = rng.choice(names_pool, len(pick))
        size = rng.integers(2, 5, len(pick))
        unit = rng.choice(UNITS, len(pick))
        share = rng.uniform(0.55, 0.75, len(pick))
        if end is None and (s <= day).all():
            draw = own.random(len(pick))
            e = np.where(draw < 0.125, day + own.integers(1, 92, len(pick)).astype("timedelta64[D]"), e)
            left = np.maximum(day - own.integers(30, 151, len(pick)).astype("timedelta64[D]"), s + 1)
            e = np.where(draw > 1 - 1 / 30, left, e)
        stop = np.where(pd.isna(e) | (e > day), day, e)
        rows.append(pd.DataFrame({
            "village_code": pick["code"].to_numpy(), "county_code": pick["code"].str[:6].to_numpy(),
            "first_secretary": secretary, "team_size": size, "dispatching_unit": unit, "started_on": s, "ended_on": e,
            "days_on_duty": ((stop - s).astype(int) * share).astype(int),
        }))
    df = pd.concat(rows, ignore_index=True)
    df.insert(0, "id", np.arange(start_id, start_id + len(df)))
    return df


def standards(rng, county: str, as_of) -> pd.DataFrame:
    """Monthly 低保 and 特困 standards of a county by year, raised every year (民政 sets them yearly)."""
    years = np.arange(2021, _year(as_of) + 1)
    dibao = 470 + rng.integers(-20, 21) + np.cumsum(np.r_[0, rng.integers(15, 36, len(years) - 1)])
    return pd.concat([pd.DataFrame({"county_code": county, "year": years, "kind": "低保", "monthly": dibao.astype(float)}),
                      pd.DataFrame({"county_code": county, "year": years, "kind": "特困",
                                    "monthly": (np.round(dibao * 1.3 / 10) * 10).astype(float)})], ignore_index=True)


def assistance(rng, hh: pd.DataFrame, mem: pd.DataFrame, problem: float, standard: pd.DataFrame, as_of,
               start_id: int):
    """低保 for members of 低保 households, 特困 for 特困 heads, some 临时救助 (granted from 2021 to as_of).

    A record's standard is the one in force in the data date's year (the standard it is paid at now);
    重残重病 in 低保 get a 15% top-up.
    """
    m = mem.merge(hh[["id", "is_dibao", "is_tekun", "county_code"]], left_on="household_id",
                  right_on="id", suffixes=("", "_h"))
    dibao = m[m["is_dibao"]]
    tekun = m[m["is_tekun"] & (m["relation"] == "户主")]
    temp = m[(m["relation"] == "户主")].sample(frac=0.015, random_state=int(rng.integers(1 << 30)))
    unable = rng.random(len(tekun)) < 0.45
    care = unable & (rng.random(len(tekun)) < 0.75 - 0.4 * problem)
    now = standard[standard["year"] == _year(as_of)].set_index("kind")["monthly"]
    serious = dibao["health"].isin(["大病", "残疾"]).to_numpy()
    parts = [
        (dibao, "低保", now["低保"], np.where(serious, round(now["低保"] * 0.15), 0.0), False, False),
        (tekun, "特困", now["特困"], 0.0, unable, care),
        (temp, "临时救助", 1500.0, 0.0, False, False),
    ]
    out = []
    for df, kind, std, topup, un, ca in parts:
        start = START + rng.integers(0, 1600, len(df)).astype("timedelta64[D]")
        out.append(pd.DataFrame({
            "member_id": df["id"].to_numpy(), "household_id": df["household_id"].to_numpy(),
            "county_code": df["county_code"].to_numpy(), "kind": kind, "standard": float(std),
            "topup": topup, "started_on": start, "ended_on": np.datetime64("NaT", "D"),
            "unable_self_care": un, "centralised_care": ca,
        }))
    df = pd.concat(out, ignore_index=True)
    # 临时救助 is granted all the time, up to as_of: its dates come from a generator of the county's own, so the
    # seed's stream (and every other table) stays as it was
    temp = (df["kind"] == "临时救助").to_numpy()
    own = np.random.default_rng(int(hh["county_code"].iat[0]) + 1 if len(hh) else 1)
    span = int((np.datetime64(as_of, "D") - START).astype(int)) + 1
    df.loc[temp, "started_on"] = START + own.integers(0, span, int(temp.sum())).astype("timedelta64[D]")
    df.insert(0, "id", np.arange(start_id, start_id + len(df)))
    return df


def employment(rng, hh: pd.DataFrame, mem: pd.DataFrame, as_of, start_id: int) -> pd.DataFrame:
    """Each year's work (2021 on) of 脱贫劳动力 who work."""
    tp = hh.loc[hh["is_tuopin"], "id"]
    w = mem[mem["household_id"].isin(tp) & mem["work_place"].notna()]
    out = []
    for y in range(2021, _year(as_of) + 1):
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
