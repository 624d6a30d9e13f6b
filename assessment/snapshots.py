"""Weekly snapshots: a finished week is scored once, under the rules in force then, and kept.

A finished week ends on a Sunday before the data date. The data date itself is stored too, so that pages read
rather than recompute it, but it is provisional: an entry of the office or a change of the rules in force replaces
it, and an import that changes the data of that date calls invalidate().
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime

import pandas as pd
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from assessment import engine as eng
from assessment import rules as rules_mod
from data_access import areas
from data_access.db import engine
from data_access.maintenance import update_statistics
from data_access.models.app import ScoreSnapshot as S
from data_access.models.app import TotalSnapshot as T
from data_access.periods import report_dates

SCORE_FIELDS = ["county_code", "category", "indicator", "name", "numerator", "denominator", "value", "target", "method",
                "method_text",
                "points", "max_points", "note"]


def is_final(as_of: date, data_date: date) -> bool:
    """A Sunday before the data date ends a finished week: scored once and never again."""
    return as_of.weekday() == 6 and as_of < data_date


def _read(as_of: date) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    with engine("app").connect() as conn:
        totals = pd.DataFrame(conn.execute(select(T.county_code, T.base, T.bonus, T.deduction, T.total, T.grade, T.rank,
                                                  T.veto, T.rules_version).where(T.week_end == as_of)).all(),
                              columns=eng.TOTAL_COLS)
        if totals.empty:
            return None
        scores = pd.DataFrame(conn.execute(select(*[getattr(S, c) for c in SCORE_FIELDS]).where(S.week_end == as_of)
                                           .order_by(S.id)).all(), columns=SCORE_FIELDS)
    scores = scores.rename(columns={"county_code": "county"})
    scores["lost"] = scores["max_points"] - scores["points"]
    return scores[eng.SCORE_COLS], totals.sort_values(["rank", "county"]).reset_index(drop=True)


def _store(as_of: date, scores: pd.DataFrame, totals: pd.DataFrame) -> None:
    version = totals["rules_version"].iloc[0]
    srows = scores.rename(columns={"county": "county_code"})[SCORE_FIELDS].astype(object)
    srows = srows.where(pd.notna(srows), None).to_dict("records")
    for r in srows:
        r.update(week_end=as_of, rules_version=version)
    now = datetime.now()
    trows = [dict(week_end=as_of, county_code=r.county, base=float(r.base), bonus=float(r.bonus),
                  deduction=float(r.deduction), total=float(r.total), grade=r.grade, rank=int(r.rank), veto=r.veto,
                  rules_version=r.rules_version, computed_at=now) for r in totals.itertuples()]
    try:
        with engine("app").begin() as conn:
            conn.execute(S.__table__.insert(), srows)
            conn.execute(T.__table__.insert(), trows)
    except IntegrityError:  # another process stored the same week first: its rows stand
        pass


def compute(as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores and totals at as_of under the rules in force then, computed now (never stored)."""
    rules, _, _ = rules_mod.in_force(as_of)
    return eng.score(rules, eng.inputs(as_of=as_of, codes=[r.code for _, r in rules.rules]))


def official(as_of: date, data_date: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The official scores and totals at as_of: a stored week is read; otherwise scored, and stored when as_of is a
    Sunday or the data date (a provisional week is replaced when the rules in force have changed since)."""
    data_date = data_date or areas.data_date()
    stored = _read(as_of)
    if stored is not None:
        if is_final(as_of, data_date) or stored[1]["rules_version"].iloc[0] == rules_mod.in_force(as_of)[0].version:
            return stored
        invalidate(as_of)
    scores, totals = compute(as_of)
    if as_of.weekday() == 6 or as_of == data_date:
        _store(as_of, scores, totals)
    return scores, totals


def invalidate(since: date, data_date: date | None = None) -> int:
    """Forget stored weeks from since on that are not final (an entry or import changed them); returns rows gone."""
    data_date = data_date or areas.data_date()
    start = max(since, data_date)
    with engine("app").begin() as conn:
        conn.execute(delete(S).where(S.week_end >= start))
        return conn.execute(delete(T).where(T.week_end >= start)).rowcount


def weeks(data_date: date) -> list[date]:
    """Every Sunday from the first of the transition period to the data date, then the data date: the 统计时点
    options, oldest first."""
    return report_dates(data_date)[::-1]


def backfill(data_date: date | None = None, progress: Callable[[int, int], None] | None = None,
             since: date | None = None) -> dict[str, float]:
    """Score and store every week since 2021 (or since `since`) not stored yet, and the data date; returns weeks
    scored and seconds taken. Weeks not stored are scored when first asked for."""
    data_date = data_date or areas.data_date()
    with engine("app").connect() as conn:
        have = {r[0] for r in conn.execute(select(T.week_end).distinct())}
    todo = [w for w in weeks(data_date) if w not in have and (since is None or w >= since)]
    t0 = time.perf_counter()
    for i, w in enumerate(todo, start=1):
        official(w, data_date)
        if progress:
            progress(i, len(todo))
    if todo:
        update_statistics(engine("app"), [S.__tablename__, T.__tablename__])
    return {"weeks": len(todo), "seconds": round(time.perf_counter() - t0, 1)}


def history() -> pd.DataFrame:
    """Every stored week's totals: week_end, county, total, grade, rank, rules_version (oldest first)."""
    q = select(T.week_end, T.county_code, T.total, T.grade, T.rank, T.rules_version).order_by(T.week_end, T.county_code)
    with engine("app").connect() as conn:
        return pd.DataFrame(conn.execute(q).all(), columns=["week_end", "county", "total", "grade", "rank",
                                                            "rules_version"])


def stored_weeks() -> int:
    """How many weeks are stored."""
    with engine("app").connect() as conn:
        return int(conn.execute(select(func.count(func.distinct(T.week_end)))).scalar() or 0)
