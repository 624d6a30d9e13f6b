"""The 防返贫监测 page's service: each section's tables per area (with names, rates and display text) for the
picked filters, from monitoring.py and loop.py. No Streamlit here; ui/cache.py caches these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from data_access import areas, loop, monitoring
from data_access.indicators import format_value
from data_access.overview import CARD_COLUMNS
from data_access.periods import START, week_start

PERIODS = {"week": "本周", "month": "本月", "year": "本年", "since2021": "2021年以来", "custom": "自定义"}


@dataclass(frozen=True)
class Filters:
    """What the page's filters pick: where (county, township), which cases (type, risk), and when."""

    as_of: date
    start: date
    county: str | None = None
    township: str | None = None
    case_type: str | None = None
    risk: str | None = None

    @property
    def level(self) -> str:
        """The level the tables break down to: counties, a county's townships, a township's villages."""
        return "village" if self.township else "township" if self.county else "county"

    @property
    def cases(self) -> dict:
        return dict(case_type=self.case_type, risk=self.risk)

    @property
    def area(self) -> dict:
        return dict(level=self.level, county=self.county, township=self.township)

    def week_before(self) -> Filters:
        """The same period kind ending seven days earlier (for the change against last week)."""
        shift = timedelta(days=7)
        return Filters(self.as_of - shift, self.start - shift, self.county, self.township, self.case_type, self.risk)


def period_start(kind: str, as_of: date, custom: date | None = None) -> date:
    """First day of 本周, 本月, 本年, 2021年以来 or a custom period ending on as_of."""
    if kind == "week":
        return week_start(as_of)
    if kind == "month":
        return as_of.replace(day=1)
    if kind == "year":
        return date(as_of.year, 1, 1)
    if kind == "since2021":
        return min(START, as_of)
    if kind == "custom" and custom is not None:
        return min(custom, as_of)
    raise ValueError(f"unknown period {kind!r}")


def _names(f: Filters) -> pd.DataFrame:
    names = areas.regions(f.level, f.county)[["code", "name"]]
    return names[names["code"].str.startswith(f.township)] if f.township else names


def _table(f: Filters, frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Every area of the level with the frames' columns (0 where an area has no rows), and a 合计 row."""
    df = _names(f)
    for frame in frames:
        df = df.merge(frame, on="code", how="left")
    nums = [c for c in df.columns if c not in ("code", "name")]
    df[nums] = df[nums].fillna(0)
    total = pd.DataFrame([{"code": "", "name": "合计", **df[nums].sum().to_dict()}])
    return pd.concat([df, total], ignore_index=True)


def _rate(df: pd.DataFrame, num: str, den: str, col: str) -> None:
    df[col] = df[num] / df[den].where(df[den] > 0)
    df[col + "_text"] = [format_value(v, "%") for v in df[col]]


def headline(f: Filters) -> pd.DataFrame:
    """The loop's counts for the whole selection with their change against last week, as KPI cards.

    Columns: overview.CARD_COLUMNS (previous = the same period kind ending seven days earlier).
    """
    province = areas.province()

    def counts(g: Filters) -> dict[str, float]:
        fl = monitoring.flow(start=g.start, end=g.as_of, level="city", county=g.county, township=g.township,
                             where=loop.case_filter(**g.cases))
        st = monitoring.stock(as_of=g.as_of, level="city", county=g.county, township=g.township,
                              where=loop.case_filter(**g.cases), persons=False)
        m9 = loop.compliance(start=g.start, end=g.as_of, province=province, level="city", county=g.county,
                             township=g.township, **g.cases)
        first = lambda df, col: float(df[col].iloc[0]) if len(df) else 0.0  # noqa: E731
        return {k: first(fl, k) for k in ("discovered", "decided", "included", "assisted", "eliminated")} | {
            "households": first(st, "households"), "overdue": first(st, "overdue"), "violating": first(m9, "violating")}

    now, before = counts(f), counts(f.week_before())
    cards = [("discovered", "发现", "neutral", "时段内发现的监测对象"),
             ("decided", "作出认定", "neutral", "时段内作出认定(纳入或不予纳入)"),
             ("included", "纳入(县级审定)", "neutral", "时段内县级审定纳入"),
             ("assisted", "开始帮扶", "neutral", "时段内首次落实帮扶措施"),
             ("eliminated", "消除风险", "neutral", "时段内消除风险"),
             ("households", "在监测户数", "neutral", "统计时点在监测的户数"),
             ("overdue", "逾期未认定", "low", "发现15天以上、统计时点仍未认定"),
             ("violating", "违规消除", "low", "时段内消除风险但违反消除规则的户数")]
    return pd.DataFrame([(k, label, now[k], before[k], "户", "较上周", better, definition, np.nan, np.nan, np.nan)
                         for k, label, better, definition in cards], columns=CARD_COLUMNS)


def funnel(f: Filters) -> pd.DataFrame:
    """The loop per area in the period: discovered, decided (refused of them), included, assisted, eliminated,
    and households under monitoring at as_of. Columns: code, name and those."""
    fl = monitoring.flow(start=f.start, end=f.as_of, **f.area, where=loop.case_filter(**f.cases))
    st = monitoring.stock(as_of=f.as_of, **f.area, where=loop.case_filter(**f.cases), persons=False)
    cols = ["code", "discovered", "decided", "refused", "included", "assisted", "eliminated"]
    return _table(f, [fl[cols], st[["code", "households"]]])


def timeliness(f: Filters) -> dict[str, pd.DataFrame]:
    """M4 and M5: the spread of decision days, per area and per channel decided / within 15 days / median, and
    the cases overdue at as_of per area."""
    t = loop.timeliness(start=f.start, end=f.as_of, **f.area, **f.cases)
    overdue = monitoring.stock(as_of=f.as_of, **f.area, where=loop.case_filter(**f.cases), persons=False)[
        ["code", "overdue"]]
    areas_ = _table(f, [t["areas"].drop(columns="median_days"), overdue])
    medians = t["areas"].set_index("code")["median_days"]
    areas_["median_days"] = areas_["code"].map(medians)
    total = t["days"]
    if len(total):
        half = total.sort_values("days")["decisions"].cumsum() >= total["decisions"].sum() / 2
        areas_.loc[areas_["name"] == "合计", "median_days"] = float(total.sort_values("days").loc[half, "days"].iloc[0])
    _rate(areas_, "timely", "decided", "rate")
    channels = t["channels"].copy()
    _rate(channels, "timely", "decided", "rate")
    return {"days": total, "areas": areas_, "channels": channels}


def coverage(f: Filters) -> pd.DataFrame:
    """M6, M7, M8 per area at as_of, with rates and display text."""
    df = _table(f, [loop.coverage(as_of=f.as_of, **f.area, **f.cases)])
    _rate(df, "with_measure", "settled", "m6")
    _rate(df, "matched", "settled", "m7")
    _rate(df, "developmental", "able", "m8")
    return df


def compliance(f: Filters) -> pd.DataFrame:
    """M9 per area in the period, with each rule's count, and M12 (reference only) at as_of."""
    df = _table(f, [loop.compliance(start=f.start, end=f.as_of, province=areas.province(), **f.area, **f.cases),
                    monitoring.stock(as_of=f.as_of, **f.area, where=loop.case_filter(**f.cases), persons=False)[
                        ["code", "included_ever", "eliminated_ever"]]])
    _rate(df, "eliminated_ever", "included_ever", "m12")
    return df


def visits(f: Filters) -> pd.DataFrame:
    """M10 per area at as_of."""
    df = _table(f, [loop.visits(as_of=f.as_of, **f.area, **f.cases)])
    df["unvisited"] = df["monitored"] - df["visited"]
    _rate(df, "visited", "monitored", "m10")
    return df


def alerts(f: Filters) -> dict[str, pd.DataFrame]:
    """M11 per area and per source department in the period."""
    where = dict(county=f.county, township=f.township)
    per_area = _table(f, [loop.alert_checks(start=f.start, end=f.as_of, level=f.level, **where),
                          monitoring.alerts_pending(as_of=f.as_of, level=f.level, county=f.county)])
    _rate(per_area, "timely", "due", "m11")
    sources = loop.alert_sources(start=f.start, end=f.as_of, **where)
    _rate(sources, "timely", "due", "m11")
    return {"areas": per_area, "sources": sources}


def guarantees(f: Filters) -> pd.DataFrame:
    """G1-G4 per area at as_of (the summary at the latest reporting date on or before it)."""
    g = monitoring.guarantees(as_of=f.as_of, level=f.level, county=f.county)
    df = _table(f, [g[["code", "guarantee_households", "unsafe_housing", "dropouts", "insured", "guarantee_persons",
                       "unsafe_water"]]])
    _rate(df, "insured", "guarantee_persons", "g3")
    return df


def breakdown(f: Filters) -> dict[str, pd.DataFrame]:
    """Cases under monitoring by type and by risk at as_of, and the monthly trend since 2021."""
    where = dict(county=f.county, township=f.township)
    return {"types": loop.monitored_by(as_of=f.as_of, by="type", **where),
            "risks": loop.monitored_by(as_of=f.as_of, by="risk", **where),
            "monthly": loop.monthly(as_of=f.as_of, **where, **f.cases)}


def median_text(value: float) -> str:
    return "—" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{value:.0f} 天"
