"""Industry data: specialty villages, collective economy, projects, assets, PV, county months."""

from __future__ import annotations

import numpy as np
import pandas as pd

INDUSTRIES = {"鲜食玉米": "种植", "食用菌": "种植", "果蔬": "种植", "水稻": "种植", "大豆": "种植",
              "生猪": "养殖", "肉牛": "养殖", "大鹅": "养殖", "乡村旅游": "乡村旅游", "杂粮加工": "加工"}
DEV_TYPES = ["产业带动型", "资产经营型", "资源开发型", "服务创收型", "乡村旅游型", "自主经营型", "资金入股型"]
FUNDS = ["中央衔接资金", "省级衔接资金", "市县衔接资金", "涉农整合资金"]
ASSET_KINDS = {"经营性": ["温室大棚", "养殖场", "加工车间", "光伏电站", "冷库", "农机具"],
               "公益性": ["村内道路", "饮水工程", "文化广场", "桥涵"],
               "到户类": ["庭院设施", "种养殖补助形成资产"]}
PARTNERS = ["省农业农村厅", "省财政厅", "市委组织部", "市直机关工委", "龙江银行", "国网绥化供电公司",
            "北大荒集团", "飞鹤乳业", "象屿农产", "昊天玉米", "中国移动绥化分公司", "伊利乳业"]


def specialty(rng, villages: pd.DataFrame, tuopin: bool, problem: float, as_of, start_id: int):
    """Specialty villages of a county (about one in eight villages) and their yearly metrics."""
    n = max(int(round(len(villages) * rng.uniform(0.10, 0.16))), 3)
    pick = villages.sample(n, random_state=int(rng.integers(1 << 30)))
    industry = rng.choice(list(INDUSTRIES), n)
    year_rec = rng.integers(2019, int(str(as_of)[:4]) + 1, n)
    status = rng.choice(["培育", "认定", "示范"], n, p=[0.15, 0.7, 0.15])
    level = np.where(status == "示范", rng.choice(["省级", "全国一村一品示范村"], n, p=[0.8, 0.2]), "市级")
    sv = pd.DataFrame({"id": np.arange(start_id, start_id + n), "village_code": pick["code"].to_numpy(),
                       "county_code": pick["code"].str[:6].to_numpy(), "industry": industry,
                       "category": [INDUSTRIES[i] for i in industry], "level": level,
                       "year_recognised": year_rec, "status": status})
    rows = []
    threshold = 7e6 if tuopin else 1e7
    for r in sv.itertuples():
        strong = rng.random() > 0.15 + 0.35 * problem
        base = threshold * (rng.uniform(1.05, 2.5) if strong else rng.uniform(0.45, 0.95))
        for y in range(max(r.year_recognised - 1, 2021), int(str(as_of)[:4])):
            out = base * 1.07 ** (y - 2021)
            share = rng.uniform(0.52, 0.8) if strong else rng.uniform(0.2, 0.5)
            total = int(rng.integers(180, 520))
            rows.append(dict(specialty_village_id=r.id, year=y, industry_output=round(out),
                             agri_output=round(out / share), households_engaged=int(total * share),
                             households_total=total, per_capita_income=round(rng.uniform(15000, 24000)),
                             county_per_capita_income=16500.0, chain_production=True,
                             chain_processing=bool(rng.random() < 0.5), chain_circulation=bool(rng.random() < 0.6),
                             chain_service=bool(rng.random() < 0.3),
                             brand=f"{r.industry}品牌" if rng.random() < 0.5 else None,
                             certification=rng.choice(["绿色", "有机", "地理标志", None]),
                             cooperatives=int(rng.integers(1, 6)), households_linked=int(total * share * 0.8)))
    return sv, pd.DataFrame(rows)


def collective(rng, villages: pd.DataFrame, problem: float, as_of, start_id: int) -> pd.DataFrame:
    """Yearly collective income 2021..last year and quarters of this year so far.

    Villages move between tiers from year to year: 空壳村 start earning, 薄弱村 climb above 5万 with a new
    project or asset, and some others fall back when a project fails (more often in weak counties).
    """
    n = len(villages)
    weak = rng.random(n) < 0.04 + 0.22 * problem
    hollow = weak & (rng.random(n) < 0.25)
    op = np.where(weak, rng.uniform(5000, 49000, n), rng.lognormal(np.log(150000), 0.75, n))
    op = np.where(hollow, 0.0, op)
    year_now = int(str(as_of)[:4])
    month = int(str(as_of)[5:7])
    dev = rng.choice(DEV_TYPES, n)
    level = {}
    for y in range(2021, year_now + 1):
        if y > 2021:
            op = op * 1.09 * rng.uniform(0.85, 1.15, n)
            starts = (op == 0) & (rng.random(n) < 0.35)
            climbs = (op > 0) & (op < 50_000) & (rng.random(n) < 0.3)
            falls = (op >= 50_000) & (rng.random(n) < 0.015 + 0.03 * problem)
            op = np.where(starts, rng.uniform(5000, 40000, n), op)
            op = np.where(climbs, rng.uniform(50_000, 120_000, n), op)
            op = np.where(falls, np.where(rng.random(n) < 0.3, 0.0, rng.uniform(5000, 45000, n)), op)
        level[y] = op
    periods = [(y, None, 1.0) for y in range(2021, year_now)]
    periods += [(year_now, q, 0.25) for q in range(1, (month - 1) // 3 + 1)]
    rows = []
    for y, q, frac in periods:
        parts = rng.dirichlet([4, 3, 2, 1], n) * (level[y] * frac)[:, None]
        subsidy = rng.uniform(30000, 120000, n) * frac
        other = rng.uniform(0, 20000, n) * frac
        rows.append(pd.DataFrame({
            "village_code": villages["code"].to_numpy(), "county_code": villages["code"].str[:6].to_numpy(),
            "year": y, "quarter": q, "total_income": (parts.sum(axis=1) + subsidy + other).round(0),
            "op_business": parts[:, 0].round(0), "op_contracting": parts[:, 1].round(0),
            "op_investment": parts[:, 2].round(0), "op_other": parts[:, 3].round(0),
            "subsidy_income": subsidy.round(0), "other_income": other.round(0), "development_type": dev,
            "assets": (level[y] * 6 + rng.uniform(2e5, 2e6, n)).round(0),
            "debts": rng.uniform(0, 3e5, n).round(0),
        }))
    df = pd.concat(rows, ignore_index=True)
    # the parts are rounded separately: keep the identity 经营性收入 = sum of its parts exact
    df["operating_income"] = df[["op_business", "op_contracting", "op_investment", "op_other"]].sum(axis=1)
    df["total_income"] = df["operating_income"] + df["subsidy_income"] + df["other_income"]
    df.insert(0, "id", np.arange(start_id, start_id + len(df)))
    return df


def projects(rng, villages: pd.DataFrame, n: int, problem: float, as_of, pid: int, hid: int):
    """Projects with dated status history; weak counties keep more weak and idle ones."""
    pick = villages.sample(n, replace=True, random_state=int(rng.integers(1 << 30)))
    year_now = int(str(as_of)[:4])
    year = rng.integers(2021, year_now + 1, n)
    industry = rng.choice(list(INDUSTRIES), n)
    kinds = rng.choice(["温室大棚", "养殖小区", "加工车间", "冷链仓储", "光伏", "农机合作社"], n)
    built = np.array([np.datetime64(f"{y}-04-01") for y in year]) + rng.integers(0, 120, n).astype("timedelta64[D]")
    done = built + rng.integers(90, 240, n).astype("timedelta64[D]")
    trouble = rng.random(n) < 0.08 + 0.25 * problem
    fixed = trouble & (rng.random(n) < 0.75 - 0.5 * problem)
    hist, status = [], []
    for i in range(n):
        h = [(built[i], "在建")]
        if done[i] <= as_of:
            h.append((done[i], "运营正常"))
            if trouble[i]:
                bad_on = done[i] + np.timedelta64(int(rng.integers(60, 500)), "D")
                if bad_on <= as_of:
                    h.append((bad_on, str(rng.choice(["弱质", "闲置"]))))
                    fix_on = bad_on + np.timedelta64(int(rng.integers(60, 300)), "D")
                    if fixed[i] and fix_on <= as_of:
                        h.append((fix_on, str(rng.choice(["已盘活", "已整改"]))))
        status.append(h[-1][1])
        hist += [(pid + i, d, s) for d, s in h]
    prj = pd.DataFrame({
        "id": np.arange(pid, pid + n), "county_code": pick["code"].str[:6].to_numpy(),
        "village_code": pick["code"].to_numpy(),
        "name": [f"{v}{ind}{k}项目" for v, ind, k in zip(pick["name"], industry, kinds)],
        "industry": industry, "fund_source": rng.choice(FUNDS, n),
        "investment": (rng.lognormal(np.log(800000), 0.8, n)).round(-3), "year": year,
        "status": status, "households_linked": rng.integers(5, 300, n),
        "revenue": (rng.lognormal(np.log(60000), 0.9, n)).round(0),
    })
    prj.loc[prj["status"].isin(["在建", "闲置"]), "revenue"] = 0.0
    h = pd.DataFrame(hist, columns=["project_id", "changed_on", "status"])
    h.insert(0, "id", np.arange(hid, hid + len(h)))
    return prj, h


def assets(rng, prj: pd.DataFrame, hist: pd.DataFrame, problem: float, start_id: int) -> pd.DataFrame:
    """Two to three assets per finished project, formed the day it went into operation; some lost, damaged
    or without an owner."""
    done = prj[prj["status"] != "在建"]
    opened = hist[hist["status"] != "在建"].groupby("project_id")["changed_on"].min()
    k = rng.integers(2, 4, len(done))
    p = done.loc[done.index.repeat(k)]
    n = len(p)
    cls = rng.choice(list(ASSET_KINDS), n, p=[0.55, 0.3, 0.15])
    state = rng.choice(["正常", "闲置", "损毁", "流失"], n,
                       p=[0.93 - 0.1 * problem, 0.04 + 0.05 * problem, 0.02 + 0.03 * problem, 0.01 + 0.02 * problem])
    state = np.where(p["status"].isin(["闲置"]).to_numpy() & (state == "正常"), "闲置", state)
    villages = p["name"].str.split("村").str[0].to_numpy().astype(str)  # project names start with their village
    owner = np.where(rng.random(n) < 0.02 + 0.1 * problem, None, np.char.add(villages, "村股份经济合作社"))
    disposal = np.where(state == "损毁", rng.choice(["报损", "报废", None], n), None)
    return pd.DataFrame({
        "id": np.arange(start_id, start_id + n), "project_id": p["id"].to_numpy(),
        "county_code": p["county_code"].to_numpy(), "village_code": p["village_code"].to_numpy(),
        "asset_class": cls, "kind": [rng.choice(ASSET_KINDS[c]) for c in cls],
        "value": (p["investment"].to_numpy() / np.repeat(k, k)).round(0),
        "owner": owner, "state": state,
        "yearly_income": np.where(cls == "经营性", rng.uniform(5000, 80000, n), 0.0).round(0),
        "formed_on": opened.loc[p["id"]].to_numpy().astype("datetime64[D]"),
        "disposal": disposal,
        "disposal_approved": np.where(disposal != None, rng.random(n) < 0.8, None),  # noqa: E711
    })


def pv(rng, villages: pd.DataFrame, n: int, as_of, start_id: int):
    """PV stations in 脱贫村 first and their yearly generation and income use."""
    pool = villages.sort_values("is_tuopin_village", ascending=False).head(max(n * 2, n))
    pick = pool.sample(min(n, len(pool)), random_state=int(rng.integers(1 << 30)))
    st = pd.DataFrame({"id": np.arange(start_id, start_id + len(pick)), "village_code": pick["code"].to_numpy(),
                       "county_code": pick["code"].str[:6].to_numpy(),
                       "kw": rng.choice([100.0, 200.0, 300.0, 500.0], len(pick)),
                       "built_year": rng.integers(2017, 2021, len(pick))})
    rows = []
    for s in st.itertuples():
        for y in range(2021, int(str(as_of)[:4])):
            gen = s.kw * rng.uniform(1100, 1350) * (0.5 if rng.random() < 0.05 else 1.0)
            inc = gen * 0.374
            a, b = rng.uniform(0.5, 0.7), rng.uniform(0.15, 0.3)
            rows.append(dict(station_id=s.id, year=y, generation_kwh=round(gen), income=round(inc),
                             use_public_jobs=round(inc * a), use_public_works=round(inc * b),
                             use_rewards=round(inc * (1 - a - b))))
    return st, pd.DataFrame(rows)


def county_months(rng, county: str, labour: int, problem: float, as_of) -> pd.DataFrame:
    """Monthly labour, 衔接资金 (year to date: it never goes down within a year), 消费帮扶 and 832 purchases."""
    months = pd.date_range("2021-01-01", pd.Timestamp(as_of), freq="MS")
    target = int(labour * 0.9)
    m = months.month.to_numpy()
    year = months.year.to_numpy()
    season = np.where((m >= 4) & (m <= 10), 1.0, 0.8)
    employed = (target * season * rng.uniform(0.95 - 0.12 * problem, 1.08, len(months))).astype(int)
    budget = rng.uniform(1.5e8, 3.5e8)
    monthly = budget / 12 * rng.uniform(0.6, 1.3, len(months))
    industry = monthly * rng.uniform(0.62 - 0.08 * problem, 0.7, len(months))
    by_year = pd.Series(year)
    return pd.DataFrame({
        "county_code": county, "month": months.date, "labour_employed": employed,
        "labour_target": (target * season).astype(int),
        "fund_spent": pd.Series(monthly).groupby(by_year).cumsum().round(0).to_numpy(),
        "fund_industry": pd.Series(industry).groupby(by_year).cumsum().round(0).to_numpy(),
        "consumption_sales": rng.uniform(3e6, 9e6, len(months)).round(0),
        "purchase_832": rng.uniform(2e5, 9e5, len(months)).round(0),
        "purchase_reserved": rng.uniform(4e5, 8e5, len(months)).round(0),
    })


def social_support(rng, villages: pd.DataFrame, start_id: int) -> pd.DataFrame:
    """定点帮扶 of 脱贫村 and 百企兴百村 pairs."""
    tp = villages[villages["is_tuopin_village"]]
    other = villages.sample(max(len(villages) // 12, 1), random_state=int(rng.integers(1 << 30)))
    parts = [(tp, "定点帮扶"), (other, "百企兴百村")]
    out = []
    for df, kind in parts:
        out.append(pd.DataFrame({"kind": kind, "partner": rng.choice(PARTNERS, len(df)),
                                 "village_code": df["code"].to_numpy(), "county_code": df["code"].str[:6].to_numpy(),
                                 "started_year": rng.integers(2021, 2026, len(df)),
                                 "funds": rng.lognormal(np.log(200000), 0.7, len(df)).round(-2),
                                 "projects": rng.integers(0, 4, len(df))}))
    df = pd.concat(out, ignore_index=True)
    df.insert(0, "id", np.arange(start_id, start_id + len(df)))
    return df
