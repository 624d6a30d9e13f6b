"""Households and members of one county (vectorised)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.demo import names
from data_access.demo.regions import ELSEWHERE_SHARE, OLD_CODES
from data_access.periods import START as PLAN_START

START = np.datetime64(PLAN_START, "D")

SIZE_P = np.array([0.22, 0.35, 0.20, 0.13, 0.07, 0.03])  # sizes 1..6, mean ~2.57
CITY_FORMED = np.datetime64("2000-06-22")  # 绥化 became a prefecture-level city


def households(rng, villages: pd.DataFrame, n_tuopin: int, n_other: int, county: str, start_id: int):
    """Household rows for a county: villages has code and weight columns."""
    n = n_tuopin + n_other
    w = villages["weight"].to_numpy()
    village = rng.choice(villages["code"].to_numpy(), size=n, p=w / w.sum())
    size = rng.choice(np.arange(1, 7), size=n, p=SIZE_P)
    is_tuopin = np.arange(n) < n_tuopin
    return pd.DataFrame({
        "id": np.arange(start_id, start_id + n),
        "village_code": village,
        "county_code": county,
        "size": size,
        "is_tuopin": is_tuopin,
        "is_dibao": rng.random(n) < np.where(is_tuopin, 0.12, 0.05),
        "is_tekun": rng.random(n) < np.where(size == 1, 0.10, 0.0),
    })


def members(rng, hh: pd.DataFrame, as_of: np.datetime64, start_id: int) -> pd.DataFrame:
    """Members of the given households with ID numbers, health, schooling and labour."""
    county = hh["county_code"].iat[0]
    sizes = hh["size"].to_numpy()
    n = int(sizes.sum())
    row = np.repeat(np.arange(len(hh)), sizes)
    hid = hh["id"].to_numpy()[row]
    pos = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    head_age_h = rng.triangular(32, 68, 88, size=len(hh))
    head_age = head_age_h[row]
    spouse = (pos == 1) & (rng.random(n) < 0.85)
    grandchild = (pos >= 3) & (head_age > 60) & (rng.random(n) < 0.5)
    relation = np.select([pos == 0, spouse, grandchild], ["户主", "配偶", "孙子女"], "子女")
    age = np.select(
        [pos == 0, spouse],
        [head_age, head_age + rng.normal(-2, 3, n)],
        np.nan,
    )
    for kind, (lo, hi) in (("子女", (22, 30)), ("孙子女", (45, 58))):
        mask = relation == kind
        age[mask] = _siblings(rng, row[mask], head_age_h - rng.uniform(lo, hi, len(hh)), len(hh))
    age = np.clip(age, 0.2, 95)
    birth = as_of - (age * 365.25).astype("timedelta64[D]")
    male = np.where(relation == "配偶", rng.random(n) < 0.1, rng.random(n) < 0.52)
    male = np.where(pos == 0, rng.random(n) < 0.8, male)
    # the registration code never tells today's county: born before 2000 under 绥化地区 codes
    here = np.where(birth < CITY_FORMED, OLD_CODES.get(county, county), county)
    region = np.where(rng.random(n) < ELSEWHERE_SHARE, rng.choice(names.ELSEWHERE, n), here)
    head_surname = np.repeat(names.surnames(rng, len(hh)), hh["size"].to_numpy())
    own = names.surnames(rng, n)
    surname = np.where((relation == "户主") | (relation == "子女") | (relation == "孙子女"),
                       head_surname, own)
    years = np.floor(age).astype(int)
    stage = np.select(
        [years < 3, years < 6, years < 12, years < 15, years < 18, years < 22],
        [None, "学前", "小学", "初中", "高中", None], None,
    )
    stage = np.where((years >= 18) & (years < 22) & (rng.random(n) < 0.3), "高校", stage)
    stage = np.where((years >= 15) & (years < 18) & (rng.random(n) < 0.35), "中职", stage)
    health = rng.choice(["健康", "长期慢性病", "大病", "残疾"], size=n, p=[0.70, 0.18, 0.05, 0.07])
    health = np.where((years < 40) & (health == "长期慢性病"), "健康", health)
    disability = np.where(health == "残疾", rng.integers(1, 5, n), None)
    working_age = (years >= 16) & (years <= 60)
    capacity = np.where(
        working_age,
        rng.choice(["普通", "弱", "丧失"], size=n, p=[0.76, 0.15, 0.09]),
        np.where((years > 60) & (years <= 65), rng.choice(["弱", "无"], size=n), "无"),
    )
    capacity = np.where(working_age & ((health == "大病") | (disability == 1)), "丧失", capacity)
    capacity = np.where(stage != None, "无", capacity)  # noqa: E711 - numpy elementwise
    works = np.isin(capacity, ["普通", "弱"]) & (rng.random(n) < 0.62)
    place = np.where(works, rng.choice(["县内", "省内县外", "省外"], size=n, p=[0.5, 0.3, 0.2]), None)
    insured = rng.random(n) < 0.998
    enrolled = np.datetime64("2018-01-01") + rng.integers(0, 1000, n).astype("timedelta64[D]")
    campaign = rng.random(n) < 0.012  # enrolled during the 2021-2023 参保动员
    enrolled = np.where(campaign, START + rng.integers(0, 900, n).astype("timedelta64[D]"), enrolled)
    insured_on = np.maximum(enrolled, birth + rng.integers(10, 100, n).astype("timedelta64[D]"))
    insured_on = np.where(insured & (insured_on <= as_of), insured_on, np.datetime64("NaT", "D"))
    return pd.DataFrame({
        "id": np.arange(start_id, start_id + n),
        "household_id": hid,
        "name": np.char.add(surname, names.given_names(rng, n)),
        "id_number": names.id_numbers(rng, region, birth, male),
        "relation": relation,
        "birth_date": birth,
        "sex": np.where(male, "男", "女"),
        "school_stage": stage,
        "dropout_on": np.datetime64("NaT", "D"),
        "returned_on": np.datetime64("NaT", "D"),
        "health": health,
        "disability_level": disability,
        "medical_insured_on": insured_on,
        "pension_insured": (years >= 16) & (stage == None) & (rng.random(n) < 0.93),  # noqa: E711
        "labour_capacity": capacity,
        "work_place": place,
        "work_months": np.where(works, rng.integers(3, 13, n), 0),
    })


def _siblings(rng, row: np.ndarray, eldest: np.ndarray, households: int) -> np.ndarray:
    """Ages of the children (or grandchildren) of each household, at least about 14 months apart: the
    eldest at `eldest` (per household), each next one 1.5-3.5 years younger, the youngest at least 6 months."""
    order = pd.Series(row).groupby(row).cumcount().to_numpy()
    count = np.bincount(row, minlength=households)
    gap = rng.uniform(1.5, 3.5, households)
    first = np.maximum(eldest, 0.5 + (count - 1) * gap)
    return first[row] - order * gap[row] + rng.uniform(-0.15, 0.15, len(row))


def dropouts(rng, mem: pd.DataFrame, as_of: np.datetime64, problem: float) -> pd.DataFrame:
    """Dropout episodes (失学辍学) of children of compulsory-school age since 2021, most brought back to school
    (劝返复学) within months; weak counties have more."""
    birth = mem["birth_date"].to_numpy().astype("datetime64[D]")
    lo = np.maximum(birth + np.timedelta64(6 * 365 + 30, "D"), START)
    hi = np.minimum(birth + np.timedelta64(16 * 365 - 30, "D"), as_of)
    span = (hi - lo).astype(int)
    pick = (span > 0) & (rng.random(len(mem)) < 0.004 + 0.012 * problem)
    on = lo + (rng.random(len(mem)) * np.maximum(span, 0)).astype(int).astype("timedelta64[D]")
    back = on + rng.integers(20, 240, len(mem)).astype("timedelta64[D]")
    nat = np.datetime64("NaT", "D")
    back = np.where((rng.random(len(mem)) < 0.75) & (back <= as_of), back, nat)
    mem = mem.copy()
    mem["dropout_on"] = np.where(pick, on, nat)
    mem["returned_on"] = np.where(pick, back, nat)
    return mem


def finish_households(rng, hh: pd.DataFrame, mem: pd.DataFrame) -> pd.DataFrame:
    """Head name, ID and phone from the head member; labour count from the members."""
    heads = mem[mem["relation"] == "户主"].set_index("household_id")
    hh = hh.copy()
    hh["head_name"] = heads.loc[hh["id"], "name"].to_numpy()
    hh["head_id_number"] = heads.loc[hh["id"], "id_number"].to_numpy()
    hh["phone"] = names.phones(rng, len(hh))
    labour = mem[mem["labour_capacity"].isin(["普通", "弱"])].groupby("household_id").size()
    hh["labour_count"] = labour.reindex(hh["id"]).fillna(0).astype(int).to_numpy()
    return hh
