"""重点任务 query functions (INDICATORS.md T1, T2)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import and_, case, func, or_, select

from data_access.areas import regions
from data_access.db import engine
from data_access.models.app import KeyTask as K
from data_access.models.app import TaskProgress
from data_access.settings import settings


def task_summary(*, as_of: date) -> dict[str, int]:
    """due (deadline on or before as_of), on_time (completed by the deadline) and overdue (T2)."""
    due = K.deadline <= as_of
    on_time = and_(due, K.completed_on.is_not(None), K.completed_on <= K.deadline)
    overdue = and_(K.deadline < as_of, or_(K.completed_on.is_(None), K.completed_on > as_of))
    q = select(func.sum(case((due, 1), else_=0)), func.sum(case((on_time, 1), else_=0)),
               func.sum(case((overdue, 1), else_=0)))
    with engine("app").connect() as conn:
        row = conn.execute(q).one()
    return {"due": int(row[0] or 0), "on_time": int(row[1] or 0), "overdue": int(row[2] or 0)}


def overdue_tasks(*, as_of: date, limit: int = 20) -> pd.DataFrame:
    """T2 tasks, most overdue first, with the last progress reported on or before as_of.

    Columns: title, lead_department, deadline, plan_section, target, percent, note (percent and note empty
    when nothing was reported).
    """
    last = (select(TaskProgress.task_id, func.max(TaskProgress.week_end).label("w"))
            .where(TaskProgress.week_end <= as_of).group_by(TaskProgress.task_id).subquery())
    q = (select(K.title, K.lead_department, K.deadline, K.plan_section, K.target, TaskProgress.percent,
                TaskProgress.note)
         .join(last, last.c.task_id == K.id, isouter=True)
         .join(TaskProgress, and_(TaskProgress.task_id == K.id, TaskProgress.week_end == last.c.w), isouter=True)
         .where(K.deadline < as_of, or_(K.completed_on.is_(None), K.completed_on > as_of))
         .order_by(K.deadline, K.id).limit(limit))
    with engine("app").connect() as conn:
        return pd.DataFrame(conn.execute(q).all(),
                            columns=["title", "lead_department", "deadline", "plan_section", "target", "percent", "note"])


def county_tasks(*, as_of: date, level: str = "county", county: str | None = None) -> pd.DataFrame:
    """T1 and T2 per county: a task counts for every county it names, and a 全市 task for all of them.

    due: tasks whose deadline is in as_of's year on or before as_of; on_time: of those, completed by the
    deadline (T1 = on_time / due); overdue: tasks of any year whose deadline is before as_of and that are not
    completed at as_of (T2). Key tasks have no township or village breakdown (an empty frame at those levels).
    Columns: code, due, on_time, overdue.
    """
    cols = ["code", "due", "on_time", "overdue"]
    if level not in ("city", "county"):
        return pd.DataFrame(columns=cols)
    due = and_(K.deadline <= as_of, K.deadline >= date(as_of.year, 1, 1))
    on_time = and_(due, K.completed_on.is_not(None), K.completed_on <= K.deadline)
    overdue = and_(K.deadline < as_of, or_(K.completed_on.is_(None), K.completed_on > as_of))
    q = (select(K.counties, func.sum(case((due, 1), else_=0)), func.sum(case((on_time, 1), else_=0)),
                func.sum(case((overdue, 1), else_=0)))
         .where(or_(due, overdue)).group_by(K.counties))
    with engine("app").connect() as conn:
        groups = conn.execute(q).all()
    if level == "city":  # each task once
        totals = [sum(int(g[i] or 0) for g in groups) for i in (1, 2, 3)]
        return pd.DataFrame([[settings().city_adcode, *totals]], columns=cols)
    codes = regions("county", county)["code"].tolist()
    rows = {c: [0, 0, 0] for c in codes}
    for named, *counts in groups:
        targets = codes if named == "全市" else [c.strip() for c in str(named).split(",") if c.strip() in rows]
        for c in targets:
            rows[c] = [a + int(b or 0) for a, b in zip(rows[c], counts, strict=True)]
    return pd.DataFrame([[c, *v] for c, v in rows.items()], columns=cols)
