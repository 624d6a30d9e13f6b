"""总览 service: city KPI cards with week-on-week change and the week's alerts."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from data_access import areas, industry, monitoring, tasks


def week_start(d: date) -> date:
    """Monday of the week (Monday to Sunday) that contains d."""
    return d - timedelta(days=d.weekday())


def _city(df: pd.DataFrame, col: str) -> float:
    return float(df[col].sum()) if not df.empty else 0.0


def kpis(*, as_of: date) -> pd.DataFrame:
    """One row per card: key, label, value, previous, unit, compare (较上周/较上年/较目标), better, definition.

    previous is the same definition at as_of - 7 days (or the previous year for yearly figures).
    """
    prev = as_of - timedelta(days=7)
    now_s, prev_s = (monitoring.stock(as_of=d, level="city") for d in (as_of, prev))
    now_f = monitoring.flow(start=week_start(as_of), end=as_of, level="city")
    prev_f = monitoring.flow(start=week_start(prev), end=prev, level="city")
    rows = [
        ("M1", "监测对象户数", _city(now_s, "households"), _city(prev_s, "households"), "户", "较上周", "neutral",
         "已纳入(县级审定)且未消除风险的监测对象户数"),
        ("M2", "监测对象人数", _city(now_s, "persons"), _city(prev_s, "persons"), "人", "较上周", "neutral",
         "监测对象户的家庭人口数之和"),
        ("cases", "在监测案例", _city(now_s, "cases"), _city(prev_s, "cases"), "个", "较上周", "neutral",
         "状态为监测中的监测对象案例数"),
        ("M3", "本周新纳入", _city(now_f, "included"), _city(prev_f, "included"), "户", "较上周", "neutral",
         "纳入日期在本周一至数据日之间的监测对象数;上周为同一口径"),
        ("M5", "逾期未认定", _city(now_s, "overdue"), _city(prev_s, "overdue"), "户", "较上周", "low",
         "发现15天以上仍未作出认定的监测对象数"),
    ]
    targets = industry.specialty_targets(year=as_of.year)
    spec = industry.specialty(year=as_of.year, level="city")
    rows.append(("I1", "一村一品专业村", _city(spec, "specialty"), _city(targets, "target"), "村", "较目标",
                 "high", "当年及以前认定(认定或示范)的专业村数,对比全市年度目标"))
    year = industry.collective_year(as_of)
    villages = _city(areas.village_counts("city"), "villages")
    share = prev_share = float("nan")
    if year is not None and villages:
        share = _city(industry.collective(year=year, level="city"), "strong") / villages
        prev_share = _city(industry.collective(year=year - 1, level="city"), "strong") / villages
    rows.append(("I3", f"{year}年经营性收入10万元以上村" if year else "经营性收入10万元以上村",
                 share, prev_share, "%", "较上年", "high",
                 "村集体经营性收入不低于10万元的行政村占全部行政村的比例"))
    t_now, t_prev = tasks.task_summary(as_of=as_of), tasks.task_summary(as_of=prev)
    rate = lambda t: t["on_time"] / t["due"] if t["due"] else float("nan")  # noqa: E731
    rows.append(("T1", "重点任务按期完成率", rate(t_now), rate(t_prev), "%", "较上周", "high",
                 "截止日期已到的重点任务中,在截止日期前完成的占比"))
    return pd.DataFrame(rows, columns=["key", "label", "value", "previous", "unit", "compare", "better",
                                       "definition"])


def alerts(*, as_of: date) -> pd.DataFrame:
    """The week's alerts, most serious first: level (红/黄), county, item, count, detail."""
    names = areas.regions("county").set_index("code")["name"]
    stock = monitoring.stock(as_of=as_of).set_index("code")
    week = monitoring.flow(start=week_start(as_of), end=as_of).set_index("code")
    pending = monitoring.alerts_pending(as_of=as_of).set_index("code")
    proj = industry.projects(as_of=as_of).set_index("code")
    rows = []
    for code, name in names.items():
        checks = [
            ("红", "逾期未认定", stock["overdue"].get(code, 0), "发现超过15天仍未认定的监测对象"),
            ("红", "本周超期认定", week["decided_late"].get(code, 0), "本周作出认定但距发现超过15天"),
            ("黄", "部门预警超期未核查", pending["pending_alerts"].get(code, 0), "部门预警接收超过15天仍未核查"),
            ("黄", "弱质闲置项目", proj["weak_idle"].get(code, 0), "当前状态为弱质或闲置的产业项目"),
        ]
        rows += [(lvl, name, item, int(n), detail) for lvl, item, n, detail in checks if n > 0]
    overdue = tasks.overdue_tasks(as_of=as_of)
    rows += [("黄", "全市", "重点任务逾期", 1, f"{t.title}(牵头:{t.lead_department},截止 {t.deadline})")
             for t in overdue.itertuples()]
    df = pd.DataFrame(rows, columns=["level", "county", "item", "count", "detail"])
    df["_o"] = df["level"].map({"红": 0, "黄": 1})
    return df.sort_values(["_o", "count"], ascending=[True, False]).drop(columns="_o").reset_index(drop=True)
