"""总览 service: KPI cards with their change, the viewer's own county on each, and the week's alerts."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from data_access import areas, industry, monitoring, tasks
from data_access.periods import week_start

CARD_COLUMNS = ["key", "label", "value", "previous", "unit", "compare", "better", "definition", "target",
                "county_value", "county_rank"]


def _by_county(df: pd.DataFrame, col: str, counties: pd.Index) -> pd.Series:
    """One value per county (0 where a county has no row)."""
    if df.empty:
        return pd.Series(0.0, index=counties)
    return df.set_index("code")[col].astype(float).reindex(counties).fillna(0.0)


def _rank(values: pd.Series, better: str) -> pd.Series:
    if better not in ("high", "low"):
        return pd.Series(np.nan, index=values.index)
    return values.rank(ascending=better == "low", method="min")


def _ratio(num: float, den: float) -> float:
    return num / den if den else float("nan")


def kpis(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """One row per card: CARD_COLUMNS. value and previous are the city's; previous is the same definition at
    as_of - 7 days (the previous year for yearly figures; the target for I1, whose target column holds it).
    With a county, county_value is that county's figure and county_rank its rank among the counties
    (ranked cards only; the I1 card's target becomes the county's target)."""
    counties = pd.Index(areas.regions("county")["code"])
    prev = as_of - timedelta(days=7)
    s_now, s_prev = (monitoring.stock(as_of=d) for d in (as_of, prev))
    f_now = monitoring.flow(start=week_start(as_of), end=as_of)
    f_prev = monitoring.flow(start=week_start(prev), end=prev)
    rows = []

    def card(key, label, per_county: pd.Series, city: float, previous: float, unit, compare, better, definition,
             target: pd.Series | None = None):
        mine = float(per_county.get(county, np.nan)) if county else np.nan
        rank = float(_rank(per_county, better).get(county, np.nan)) if county else np.nan
        goal = np.nan if target is None else float(target.get(county, np.nan) if county else target.sum())
        rows.append((key, label, city, previous, unit, compare, better, definition, goal, mine, rank))

    for key, label, now, before, col, unit, better, definition in (
        ("M1", "监测对象户数", s_now, s_prev, "households", "户", "neutral", "统计时点已纳入(县级审定)且尚未消除风险的监测对象户数"),
        ("M2", "监测对象人数", s_now, s_prev, "persons", "人", "neutral", "监测对象户在统计时点的家庭成员数"),
        ("eliminated", "本周消除风险", f_now, f_prev, "eliminated", "户", "neutral",
         "消除风险日期在本周一至统计时点之间的监测对象数;上周为同一口径"),
        ("M3", "本周新纳入", f_now, f_prev, "included", "户", "neutral",
         "纳入日期在本周一至统计时点之间的监测对象数;上周为同一口径"),
        ("M5", "逾期未认定", s_now, s_prev, "overdue", "户", "low", "发现15天以上、截至统计时点仍未作出认定的监测对象数"),
    ):
        per = _by_county(now, col, counties)
        card(key, label, per, float(per.sum()), float(_by_county(before, col, counties).sum()), unit, "较上周", better,
             definition)

    spec = _by_county(industry.specialty(year=as_of.year), "specialty", counties)
    targets = _by_county(industry.specialty_targets(year=as_of.year), "target", counties)
    card("I1", f"{as_of.year}年一村一品专业村", spec, float(spec.sum()), float(targets.sum()), "村", "较目标", "high",
         f"{as_of.year}年及以前认定(认定或示范)的专业村数,对比{as_of.year}年目标", target=targets)

    year = industry.collective_year(as_of)
    villages = _by_county(areas.village_counts("county"), "villages", counties)
    share, city_share, prev_share = pd.Series(np.nan, index=counties), float("nan"), float("nan")
    if year is not None:
        strong = _by_county(industry.collective(year=year), "strong", counties)
        share, city_share = strong / villages.where(villages > 0), _ratio(strong.sum(), villages.sum())
        before = industry.collective(year=year - 1)
        if not before.empty:  # no figures for the year before: no comparison, not 0%
            prev_share = _ratio(_by_county(before, "strong", counties).sum(), villages.sum())
    card("I3", f"{year}年度经营性收入10万元以上村" if year else "经营性收入10万元以上村", share, city_share, prev_share,
         "%", "较上年", "high", "上一完整年度村集体经营性收入不低于10万元的行政村占全部行政村的比例")

    t_now, t_prev = tasks.task_summary(as_of=as_of), tasks.task_summary(as_of=prev)
    rows.append(("T1", "重点任务按期完成率", _ratio(t_now["on_time"], t_now["due"]), _ratio(t_prev["on_time"], t_prev["due"]),
                 "%", "较上周", "high", "截止日期已到的全市重点任务中,在截止日期前完成的占比", np.nan, np.nan, np.nan))
    return pd.DataFrame(rows, columns=CARD_COLUMNS)


ALERT_COLUMNS = ["level", "county_code", "county", "item", "kind", "count", "detail"]
ITEM_ORDER = {"overdue": 0, "late": 1, "task": 2, "pending_alerts": 3, "weak_projects": 4}


def alerts(*, as_of: date) -> pd.DataFrame:
    """The week's alerts, in the order a meeting goes through them: red first, then the overdue key tasks,
    then the other yellow items, each by count, largest first. Columns: ALERT_COLUMNS; kind says which list
    lies behind the alert (overdue, late, pending_alerts, weak_projects, task); county_code is None for
    city-wide tasks."""
    names = areas.regions("county").set_index("code")["name"]
    stock = monitoring.stock(as_of=as_of).set_index("code")
    week = monitoring.flow(start=week_start(as_of), end=as_of).set_index("code")
    pending = monitoring.alerts_pending(as_of=as_of).set_index("code")
    proj = industry.projects(as_of=as_of).set_index("code")
    rows = []
    for code, name in names.items():
        checks = [
            ("红", "逾期未认定", "overdue", stock["overdue"].get(code, 0), "发现超过15天仍未认定的监测对象"),
            ("红", "本周超期认定", "late", week["decided_late"].get(code, 0), "本周作出认定、但距发现超过15天"),
            ("黄", "部门预警超期未核查", "pending_alerts", pending["pending_alerts"].get(code, 0),
             "部门预警接收超过15天仍未核查"),
            ("黄", "弱质闲置项目", "weak_projects", proj["weak_idle"].get(code, 0), "统计时点状态为弱质或闲置的产业项目"),
        ]
        rows += [(lvl, code, name, item, kind, int(n), detail) for lvl, item, kind, n, detail in checks if n > 0]
    overdue = tasks.overdue_tasks(as_of=as_of, limit=100)
    rows += [("黄", None, "全市", "重点任务逾期", "task", 1,
              f"{t.title}(牵头:{t.lead_department},截止 {t.deadline},已逾期{(as_of - t.deadline).days}天,"
              + (f"最近报告进度{t.percent:.0f}%)" if pd.notna(t.percent) else "未报告进度)"))
             for t in overdue.itertuples()]
    df = pd.DataFrame(rows, columns=ALERT_COLUMNS)
    df["_l"] = df["level"].map({"红": 0, "黄": 1})
    df["_i"] = df["kind"].map(ITEM_ORDER)
    df = df.sort_values(["_l", "_i", "count", "county_code"], ascending=[True, True, False, True], na_position="last")
    return df.drop(columns=["_l", "_i"]).reset_index(drop=True)


def alert_townships(kind: str, *, as_of: date, county: str) -> pd.DataFrame:
    """An alert's count per township of a county, for roles that may not read the rows behind it.

    Columns: name, count (townships with a count, largest first).
    """
    counts = {
        "overdue": lambda: monitoring.stock(as_of=as_of, level="township", county=county)[["code", "overdue"]],
        "late": lambda: monitoring.flow(start=week_start(as_of), end=as_of, level="township",
                                        county=county)[["code", "decided_late"]],
        "pending_alerts": lambda: monitoring.alerts_pending(as_of=as_of, level="township", county=county),
        "weak_projects": lambda: industry.projects(as_of=as_of, level="township", county=county)[["code", "weak_idle"]],
    }[kind]()
    counts.columns = ["code", "count"]
    names = areas.regions("township", county)[["code", "name"]]
    df = names.merge(counts[counts["count"] > 0], on="code")
    df["count"] = df["count"].astype(int)
    return df.sort_values(["count", "code"], ascending=[False, True])[["name", "count"]].reset_index(drop=True)
