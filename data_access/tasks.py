"""重点任务 query functions (INDICATORS.md T1, T2)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import and_, case, func, or_, select

from data_access.db import engine
from data_access.models.app import KeyTask as K


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
    """T2 tasks, most overdue first. Columns: title, lead_department, deadline, plan_section."""
    q = (select(K.title, K.lead_department, K.deadline, K.plan_section)
         .where(K.deadline < as_of, or_(K.completed_on.is_(None), K.completed_on > as_of))
         .order_by(K.deadline).limit(limit))
    with engine("app").connect() as conn:
        return pd.DataFrame(conn.execute(q).all(),
                            columns=["title", "lead_department", "deadline", "plan_section"])
