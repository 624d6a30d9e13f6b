"""Monitoring cases with risks, measures, visits and department alerts for one county."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.rules_mapping import DEVELOPMENTAL, RISK_MEASURES

RISKS = ["因病", "因残", "因学", "因灾", "缺劳动力", "因意外事故", "因产业项目失败", "因务工就业不稳", "其他"]
RISK_P = np.array([35, 15, 8, 10, 12, 5, 3, 8, 4], dtype=float)
DISASTERS = ["洪涝", "干旱", "风雹", "低温冷冻", "病虫害"]
ALL_MEASURES = sorted({m for ms in RISK_MEASURES.values() for m in ms} | {"生产生活条件改善", "搬迁"})
DEPARTMENTS = {"产业": "农业农村局", "就业": "人社局", "金融": "金融办", "公益岗位": "人社局",
               "健康": "卫健局", "义务教育保障": "教育局", "其他教育": "教育局", "住房安全": "住建局",
               "饮水安全": "水务局", "综合保障(低保/特困/临时救助)": "民政局", "社会帮扶": "乡村振兴局",
               "搬迁": "发改局", "生产生活条件改善": "乡村振兴局"}
ALERT_KINDS = {"民政": "低保边缘家庭", "教育": "疑似失学辍学", "人社": "务工收入骤减", "住建": "疑似危房",
               "医保": "大额医疗自付费用", "卫健": "新发大病", "应急": "受灾损失", "残联": "新增重度残疾",
               "水利": "饮水保障不稳定"}
VISITORS = ["驻村工作队", "第一书记", "村干部", "乡镇干部"]
FINDINGS = ["收支稳定", "帮扶措施落实", "风险仍存在", "收入有所增加", "需补充帮扶措施"]
START = np.datetime64("2021-01-01", "D")


def _days(rng, lo, hi, n):
    return rng.integers(lo, hi + 1, size=n).astype("timedelta64[D]")


def cases(rng, hh: pd.DataFrame, mem: pd.DataFrame, n_cases: int, as_of, problem: float,
          start_id: int) -> pd.DataFrame:
    """Cases on distinct households: every non-脱贫户 household and some 脱贫户 households.

    The county's problem level (0..1) drives late decisions, overdue and short monitoring.
    """
    others = hh.loc[~hh["is_tuopin"], "id"].to_numpy()
    n_tp = max(n_cases - len(others), 0)
    tp = rng.choice(hh.loc[hh["is_tuopin"], "id"].to_numpy(), size=n_tp, replace=False)
    hid = np.concatenate([others, tp])
    n = len(hid)
    h = hh.set_index("id").loc[hid]
    span = int((as_of - START).astype(int))
    discovered = START + np.sort(rng.integers(0, span - 2, n)).astype("timedelta64[D]")
    rng.shuffle(discovered)
    case_type = np.where(np.isin(hid, tp), "脱贫不稳定户",
                         rng.choice(["边缘易致贫户", "突发严重困难户"], size=n, p=[0.7, 0.3]))
    channel = rng.choice(["农户自主申报", "基层干部排查", "部门筛查预警"], size=n, p=[0.25, 0.55, 0.20])
    late = rng.random(n) < 0.02 + 0.16 * problem
    delay = np.where(late, _days(rng, 16, 60, n), _days(rng, 2, 14, n))
    decided = discovered + delay
    # recent cases may be waiting; in weak counties some wait far beyond 15 days (M5)
    age = (as_of - discovered).astype(int)
    pending = decided > as_of
    pending |= (age > 15) & (age < 90) & (rng.random(n) < 0.08 * problem)
    decision = np.where(rng.random(n) < 0.9, "纳入", "不予纳入")
    included = np.where(decision == "纳入", decided, np.datetime64("NaT", "D"))
    duration = np.where(rng.random(n) < 0.01 + 0.06 * problem, _days(rng, 60, 182, n),
                        _days(rng, 190, 1100, n))
    keep = (h["labour_count"].to_numpy() == 0) & (rng.random(n) < 0.9)  # 兜底 cases stay (a few are wrongly closed)
    eliminated = included + duration
    gone = (decision == "纳入") & ~pending & ~keep & (eliminated <= as_of)
    eliminated = np.where(gone, eliminated, np.datetime64("NaT", "D"))
    status = np.select([pending, decision == "不予纳入", gone], ["待认定", "不予纳入", "风险已消除"], "监测中")
    nat = np.datetime64("NaT", "D")
    return pd.DataFrame({
        "id": np.arange(start_id, start_id + n),
        "household_id": hid,
        "village_code": h["village_code"].to_numpy(),
        "county_code": h["county_code"].to_numpy(),
        "persons": h["size"].to_numpy(),
        "case_type": case_type,
        "channel": channel,
        "discovered_on": discovered,
        "decision": np.where(pending, None, decision),
        "decided_on": np.where(pending, nat, decided),
        "decision_days": np.where(pending, None, (decided - discovered).astype(int)),
        "included_on": np.where(pending, nat, included),
        "income_per_capita": np.round(rng.normal(6200, 1500, n).clip(1500, 12000), 0),
        "status": status,
        "eliminated_on": eliminated,
        "elimination_kind": np.where(gone, rng.choice(["稳定消除", "自然消除"], size=n, p=[0.88, 0.12]),
                                     None),
    })


def risks(rng, cs: pd.DataFrame, start_id: int) -> pd.DataFrame:
    """One to three distinct risks per case."""
    k = rng.choice([1, 2, 3], size=len(cs), p=[0.5, 0.35, 0.15])
    case_id = np.repeat(cs["id"].to_numpy(), k)
    p = RISK_P / RISK_P.sum()
    picks = [rng.choice(RISKS, size=kk, replace=False, p=p) for kk in k]
    risk = np.concatenate(picks)
    return pd.DataFrame({
        "id": np.arange(start_id, start_id + len(risk)),
        "case_id": case_id,
        "risk": risk,
        "disaster_subtype": np.where(risk == "因灾", rng.choice(DISASTERS, len(risk)), None),
    })


def measures(rng, cs: pd.DataFrame, rk: pd.DataFrame, hh: pd.DataFrame, problem: float, start_id: int, as_of):
    """Measures matching each risk; some cases get none, some get mismatched ones; most households that can
    work also get a 开发式帮扶 measure (产业, 就业, 公益岗位 or 金融), fewer in weak counties."""
    inc = cs[cs["included_on"].notna()]
    closed = inc["eliminated_on"].notna().to_numpy()  # a case closed without any measure is rarer
    none = rng.random(len(inc)) < np.where(closed, 0.003 + 0.02 * problem, 0.01 + 0.10 * problem)
    mismatch = rng.random(len(inc)) < 0.02 + 0.12 * problem
    flags = pd.DataFrame({"case_id": inc["id"].to_numpy(), "none": none, "mismatch": mismatch,
                          "included_on": inc["included_on"].to_numpy()})
    m = rk.merge(flags, on="case_id")
    m = m[~m["none"]]
    pools = [RISK_MEASURES[r] for r in m["risk"]]
    cat = np.array([rng.choice(p) for p in pools], dtype=object)
    wrong = rng.choice(["社会帮扶", "生产生活条件改善"], size=len(m))
    cat = np.where(m["mismatch"].to_numpy(), wrong, cat)
    started = m["included_on"].to_numpy() + _days(rng, 0, 30, len(m))
    labour = hh.set_index("id")["labour_count"].reindex(inc["household_id"]).to_numpy()
    dev = (~none) & (labour > 0) & (rng.random(len(inc)) < 0.93 - 0.3 * problem)
    extra = rng.choice(sorted(DEVELOPMENTAL), size=int(dev.sum()))
    case_id = np.concatenate([m["case_id"].to_numpy(), inc["id"].to_numpy()[dev]])
    cat = np.concatenate([cat, extra])
    started = np.concatenate([started, inc["included_on"].to_numpy()[dev] + _days(rng, 10, 60, int(dev.sum()))])
    started = np.minimum(started, as_of)
    amount = np.round(rng.lognormal(7.5, 0.9, len(cat)), 0)
    return pd.DataFrame({
        "id": np.arange(start_id, start_id + len(cat)),
        "case_id": case_id,
        "category": cat,
        "started_on": started,
        "amount": amount,
        "department": [DEPARTMENTS[c] for c in cat],
        "is_developmental": np.isin(cat, list(DEVELOPMENTAL)),
    })


def visits(rng, cs: pd.DataFrame, problem: float, start_id: int, as_of) -> pd.DataFrame:
    """About monthly visits while a case is monitored; weak counties stop visiting some."""
    inc = cs[cs["included_on"].notna()]
    end = inc["eliminated_on"].fillna(as_of).to_numpy().astype("datetime64[D]")
    stop = rng.random(len(inc)) < 0.02 + 0.15 * problem
    end = np.where(stop & inc["eliminated_on"].isna().to_numpy(),
                   end - _days(rng, 40, 150, len(inc)), end)
    start = inc["included_on"].to_numpy().astype("datetime64[D]")
    n_visits = np.maximum(((end - start).astype(int)) // 30, 0) + 1
    case_id = np.repeat(inc["id"].to_numpy(), n_visits)
    hid = np.repeat(inc["household_id"].to_numpy(), n_visits)
    k = np.arange(n_visits.sum()) - np.repeat(np.cumsum(n_visits) - n_visits, n_visits)
    day = np.repeat(start, n_visits) + (k * 30 + rng.integers(0, 8, len(k))).astype("timedelta64[D]")
    ok = day <= np.repeat(end, n_visits)
    n = int(ok.sum())
    return pd.DataFrame({
        "id": np.arange(start_id, start_id + n),
        "household_id": hid[ok],
        "case_id": case_id[ok],
        "visited_on": day[ok],
        "visitor_role": rng.choice(VISITORS, n),
        "finding": rng.choice(FINDINGS, n),
    })


def alerts(rng, cs: pd.DataFrame, hh: pd.DataFrame, problem: float, start_id: int, as_of):
    """Department alerts whose results agree with the cases.

    Behind each 部门筛查预警 case is one alert, verified on the day the case was opened (its discovery),
    with the case's decision as its result once decided (纳入 / 不纳入). Screened-out alerts on other
    households are 已是监测对象 exactly when the household was under monitoring on the verification day,
    else 不纳入. Weak counties verify late more often.
    """
    nat = np.datetime64("NaT", "D")
    from_cases = cs[cs["channel"] == "部门筛查预警"]
    nc = len(from_cases)
    late = rng.random(nc) < 0.03 + 0.2 * problem
    verified_c = from_cases["discovered_on"].to_numpy().astype("datetime64[D]")
    received_c = np.maximum(verified_c - np.where(late, _days(rng, 16, 45, nc), _days(rng, 0, 12, nc)), START)
    decided = ~pd.isna(from_cases["decided_on"]).to_numpy()
    result_c = np.where(decided, np.where(from_cases["decision"].to_numpy() == "纳入", "纳入", "不纳入"), None)

    n_extra = len(cs)  # data comparisons raise many alerts; most are screened out
    case_hh = cs["household_id"].unique()
    extra_h = np.where(rng.random(n_extra) < 0.25, rng.choice(case_hh, n_extra), rng.choice(hh["id"].to_numpy(), n_extra))
    span = int((as_of - START).astype(int))
    received_x = START + rng.integers(0, span, n_extra).astype("timedelta64[D]")
    late_x = rng.random(n_extra) < 0.03 + 0.25 * problem
    verified_x = received_x + np.where(late_x, _days(rng, 16, 90, n_extra), _days(rng, 1, 12, n_extra))
    verified_x = np.where(verified_x <= as_of, verified_x, nat)
    alert = pd.DataFrame({"k": np.arange(n_extra), "household_id": extra_h, "verified": verified_x})
    spans = cs.loc[cs["included_on"].notna(), ["household_id", "included_on", "eliminated_on"]]
    hit = alert.merge(spans, on="household_id")
    inc = hit["included_on"].to_numpy().astype("datetime64[D]")
    out = hit["eliminated_on"].to_numpy().astype("datetime64[D]")
    ver = hit["verified"].to_numpy().astype("datetime64[D]")
    monitored = (inc <= ver) & (np.isnat(out) | (out > ver))
    already = np.zeros(n_extra, dtype=bool)
    already[hit.loc[monitored, "k"].to_numpy()] = True
    result_x = np.where(np.isnat(verified_x), None, np.where(already, "已是监测对象", "不纳入"))

    village = hh.set_index("id")["village_code"]
    hid = np.concatenate([from_cases["household_id"].to_numpy(), extra_h])
    n = len(hid)
    source = rng.choice(list(ALERT_KINDS), n)
    return pd.DataFrame({
        "id": np.arange(start_id, start_id + n),
        "source": source,
        "household_id": hid,
        "village_code": village.loc[hid].to_numpy(),
        "county_code": cs["county_code"].iat[0],
        "person_id_number": None,
        "kind": [ALERT_KINDS[s] for s in source],
        "received_on": np.concatenate([received_c, received_x]),
        "verified_on": np.concatenate([verified_c, verified_x]),
        "result": np.concatenate([result_c, result_x]),
    })
