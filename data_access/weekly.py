"""周调度: the week's movers from the assessment snapshots, key tasks with their progress and status, and the
meeting's actions with follow-ups; the office's records of progress, decisions and follow-ups."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import and_, delete, func, or_, select, update

from data_access import areas, indicators
from data_access.db import engine
from data_access.models.app import ActionFollowup as F
from data_access.models.app import KeyTask as K
from data_access.models.app import MeetingAction as A
from data_access.models.app import ScoreSnapshot as S
from data_access.models.app import TaskProgress as P
from data_access.periods import week_start

STATUSES = ("逾期", "滞后", "按期", "完成")  # key tasks, worst first
BEHIND = 10  # percentage points short of the time elapsed: 滞后
TASK_COLS = ["id", "year", "plan_section", "title", "category", "lead_department", "counties", "deadline", "target",
             "completed_on", "percent", "note", "week_end", "reported_by", "expected", "status", "days_over"]
ACTION_COLS = ["id", "meeting_date", "decision", "owner", "owner_county", "due_on", "closed_on", "status", "days_over",
               "last_week", "followups"]


def report_week(as_of: date) -> date:
    """The Sunday ending as_of's week: the week a progress report filed at as_of belongs to."""
    return week_start(as_of) + timedelta(days=6)


def movers(*, as_of: date, before: date, limit: int = 8) -> pd.DataFrame:
    """The largest changes between two stored assessment weeks, county by county, better and worse apart.

    Read from the snapshots (values as scored then), so only scored indicators appear. A rate's change is in
    percentage points, a count's in its unit; the size that orders them is the change in points of the score
    (how much the change mattered), then the change itself. Columns: indicator, name, unit, county, county_name,
    before, after, change, points_change, better (True when the county improved), text.
    """
    q = (select(S.week_end, S.county_code, S.indicator, S.name, S.value, S.points)
         .where(S.week_end.in_([as_of, before]), S.method != "manual"))
    with engine("app").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=["week_end", "county", "indicator", "name", "value", "points"])
    cols = ["indicator", "name", "unit", "county", "county_name", "before", "after", "change", "points_change", "better",
            "text"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    now = df[df["week_end"] == as_of].drop(columns="week_end")
    then = df[df["week_end"] == before][["county", "indicator", "value", "points"]]
    both = now.merge(then, on=["county", "indicator"], suffixes=("", "_before"))
    both = both[both["value"].notna() & both["value_before"].notna() & (both["value"] != both["value_before"])]
    if both.empty:
        return pd.DataFrame(columns=cols)
    ind = indicators.INDICATORS
    both["unit"] = both["indicator"].map(lambda c: ind[c].unit if c in ind else "")
    both["change"] = both["value"] - both["value_before"]
    high = both["indicator"].map(lambda c: ind[c].better == "high" if c in ind else True)
    both["better"] = np.where(high, both["change"] > 0, both["change"] < 0)
    both["points_change"] = both["points"] - both["points_before"]
    both["county_name"] = both["county"].map(dict(areas.regions("county")[["code", "name"]].itertuples(index=False)))
    both["text"] = [_change_text(c, u) for c, u in zip(both["change"], both["unit"], strict=True)]
    both = both.rename(columns={"value_before": "before", "value": "after"})
    both["_size"] = both["points_change"].abs()
    both["_rel"] = (both["change"] / both["before"].abs().where(both["before"] != 0)).abs().fillna(1)
    out = []
    for better in (True, False):
        part = both[both["better"] == better].sort_values(["_size", "_rel"], ascending=False).head(limit)
        out.append(part)
    return pd.concat(out)[cols].reset_index(drop=True)


def _change_text(change: float, unit: str) -> str:
    if unit == "%":
        return f"{change * 100:+.1f}个百分点"
    return f"{change:+,.0f}{unit}"


def key_tasks(*, as_of: date) -> pd.DataFrame:
    """The key tasks of as_of's year, and earlier ones still open past their deadline, with the last progress
    reported on or before as_of and their status at as_of: 完成 (completed by as_of), 逾期 (deadline passed,
    not completed), 滞后 (progress more than 10 points behind the share of the time elapsed since 1 January,
    or none reported), 按期. Columns: TASK_COLS (counties as names; expected and percent in %)."""
    last = (select(P.task_id, func.max(P.week_end).label("w")).where(P.week_end <= report_week(as_of))
            .group_by(P.task_id).subquery())
    latest = (select(P.task_id, func.max(P.id).label("pid")).join(last, and_(last.c.task_id == P.task_id,
                                                                              last.c.w == P.week_end))
              .group_by(P.task_id).subquery())
    open_before = and_(K.year < as_of.year, K.deadline < as_of, or_(K.completed_on.is_(None), K.completed_on > as_of))
    q = (select(K.id, K.year, K.plan_section, K.title, K.category, K.lead_department, K.counties, K.deadline, K.target,
                K.completed_on, P.percent, P.note, P.week_end, P.reported_by)
         .join(latest, latest.c.task_id == K.id, isouter=True)
         .join(P, P.id == latest.c.pid, isouter=True)
         .where(or_(K.year == as_of.year, open_before)).order_by(K.deadline, K.id))
    with engine("app").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=TASK_COLS[:14])
    if df.empty:
        return pd.DataFrame(columns=TASK_COLS)
    names = dict(areas.regions("county")[["code", "name"]].itertuples(index=False))
    df["counties"] = [c if c == "全市" else "、".join(names.get(x.strip(), x.strip()) for x in str(c).split(","))
                      for c in df["counties"]]
    done = df["completed_on"].map(lambda d: d is not None and pd.notna(d) and d <= as_of)
    df.loc[~done & df["completed_on"].notna(), "completed_on"] = None  # completed after as_of: not known then
    start = df["year"].map(lambda y: date(int(y), 1, 1))
    span = [(d - s).days or 1 for d, s in zip(df["deadline"], start, strict=True)]
    elapsed = [min(max((as_of - s).days, 0), n) for s, n in zip(start, span, strict=True)]
    df["expected"] = [round(100 * e / n, 1) for e, n in zip(elapsed, span, strict=True)]
    over = [(as_of - d).days if d < as_of else 0 for d in df["deadline"]]
    df["days_over"] = np.where(done, 0, over)
    behind = df["percent"].isna() | (df["percent"] < df["expected"] - BEHIND)
    df["status"] = np.select([done, df["days_over"] > 0, behind], ["完成", "逾期", "滞后"], default="按期")
    df.loc[df["status"] == "按期", "days_over"] = 0
    df["_k"] = df["plan_section"].map(section_key)
    return df.sort_values(["_k", "deadline", "id"], kind="stable")[TASK_COLS].reset_index(drop=True)


NUMERALS = {c: i for i, c in enumerate("〇一二三四五六七八九十")}


def section_key(section: str) -> tuple:
    """The plan's order of a section label (二(一)2 … before 三(一) …), not the characters' order."""
    head = section.split(" ")[0]
    return tuple(int(p) if p.isdigit() else NUMERALS[p] for p in re.findall(r"\d+|[一二三四五六七八九十]", head))


def task_counts(df: pd.DataFrame) -> dict[str, int]:
    """How many tasks of each status."""
    return {s: int((df["status"] == s).sum()) for s in STATUSES}


def report_progress(*, task_id: int, as_of: date, percent: float, note: str, username: str,
                    completed: bool = False) -> None:
    """A week's progress of a key task (the week of as_of): replaces an earlier report of the same week; with
    completed, the task is marked done on as_of. ValueError in Chinese for a report that cannot stand."""
    if not 0 <= percent <= 100:
        raise ValueError("进度须在0至100之间")
    if not note or not note.strip():
        raise ValueError("请填写进展情况说明")
    if completed and percent < 100:
        raise ValueError("标记完成时进度须为100%")
    week = report_week(as_of)
    with engine("app").begin() as conn:
        if conn.execute(select(K.id).where(K.id == task_id)).first() is None:
            raise ValueError("没有这项重点任务")
        conn.execute(delete(P).where(P.task_id == task_id, P.week_end == week))
        conn.execute(P.__table__.insert().values(task_id=task_id, week_end=week, percent=float(percent),
                                                 note=note.strip()[:200], reported_by=username,
                                                 reported_at=datetime.now()))
        if completed:
            conn.execute(update(K).where(K.id == task_id, K.completed_on.is_(None)).values(completed_on=as_of))


def actions(*, as_of: date, county: str | None = None) -> pd.DataFrame:
    """Meeting actions decided on or before as_of with their status at as_of (已完成 if closed by as_of, 逾期 if
    due before as_of and still open, else 进行中), last week's meeting first, then overdue, then by due date.
    With county, only the actions owned by that county or by every county (各县(市)区). Columns: ACTION_COLS
    (followups: the follow-ups up to as_of, one line each, newest last)."""
    q = (select(A.id, A.meeting_date, A.decision, A.owner, A.owner_county, A.due_on, A.closed_on)
         .where(A.meeting_date <= as_of).order_by(A.meeting_date.desc(), A.id))
    if county:
        q = q.where(or_(A.owner_county == county, A.owner == "各县(市)区"))
    with engine("app").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=ACTION_COLS[:7])
        ids = df["id"].tolist()
        ups = pd.DataFrame(conn.execute(select(F.action_id, F.at, F.note, F.evidence, F.created_by)
                                        .where(F.action_id.in_(ids), F.at <= as_of).order_by(F.at, F.id)).all(),
                           columns=["action_id", "at", "note", "evidence", "created_by"]) if ids else None
    if df.empty:
        return pd.DataFrame(columns=ACTION_COLS)
    closed = df["closed_on"].map(lambda d: d is not None and pd.notna(d) and d <= as_of)
    df.loc[~closed, "closed_on"] = None
    df["status"] = np.select([closed, df["due_on"] < as_of], ["已完成", "逾期"], default="进行中")
    df["days_over"] = [(as_of - d).days if s == "逾期" else 0 for d, s in zip(df["due_on"], df["status"], strict=True)]
    monday = week_start(as_of)
    df["last_week"] = df["meeting_date"].map(lambda d: monday - timedelta(days=7) <= d < monday)
    lines: dict[int, list[str]] = {}
    if ups is not None:
        for r in ups.itertuples():
            text = f"{r.at.month}月{r.at.day}日 {r.note}" + (f"(佐证:{r.evidence})" if r.evidence else "")
            lines.setdefault(r.action_id, []).append(text)
    df["followups"] = df["id"].map(lambda i: ";".join(lines.get(i, [])))
    order = np.select([df["last_week"], df["status"] == "逾期", df["status"] == "进行中"], [0, 1, 2], default=3)
    return df.assign(_o=order).sort_values(["_o", "due_on", "id"]).drop(columns="_o").reset_index(drop=True)[ACTION_COLS]


def add_action(*, meeting_date: date, decision: str, owner: str, owner_county: str | None, due_on: date) -> int:
    """A decision of the meeting; returns its id. ValueError in Chinese for one that cannot stand."""
    if not decision or not decision.strip():
        raise ValueError("请填写议定事项")
    if not owner:
        raise ValueError("请选择责任单位")
    if due_on < meeting_date:
        raise ValueError("完成时限不能早于会议日期")
    with engine("app").begin() as conn:
        res = conn.execute(A.__table__.insert().values(meeting_date=meeting_date, decision=decision.strip()[:200],
                                                      owner=owner[:40], owner_county=owner_county, due_on=due_on,
                                                      status="进行中", closed_on=None))
        return int(res.inserted_primary_key[0])


def add_followup(*, action_id: int, at: date, note: str, evidence: str, username: str) -> None:
    """A follow-up on an action, with its evidence in words."""
    if not note or not note.strip():
        raise ValueError("请填写跟进情况")
    with engine("app").begin() as conn:
        conn.execute(F.__table__.insert().values(action_id=action_id, at=at, note=note.strip()[:200],
                                                 evidence=(evidence or "").strip()[:300] or None, created_by=username))


def close_action(*, action_id: int, on: date) -> None:
    """Mark an action done on a date."""
    with engine("app").begin() as conn:
        conn.execute(update(A).where(A.id == action_id, A.closed_on.is_(None)).values(closed_on=on, status="已完成"))
