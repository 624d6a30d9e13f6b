"""Small SQL helpers shared by the aggregate query modules."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Date, DateTime, Integer, Table, case, func, insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from data_access.db import engine


def count_if(cond):
    """SUM(CASE WHEN cond THEN 1 ELSE 0 END): portable conditional count."""
    return func.sum(case((cond, 1), else_=0))


_MEMO: ContextVar[dict | None] = ContextVar("query_memo", default=None)


@contextmanager
def memo():
    """Within the block, once() runs a query function once per set of arguments: several indicators come from
    one query (M6-M8, G1-G4, I6-I7, I9-I10, T1-T2), and scoring a week reads them all."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def once(fn, **kwargs) -> pd.DataFrame:
    """fn(**kwargs), read once per memo() block (outside one: every time); callers get their own copy."""
    cache = _MEMO.get()
    if cache is None:
        return fn(**kwargs)
    key = (fn.__module__, fn.__qualname__, tuple(sorted(kwargs.items())))
    if key not in cache:
        cache[key] = fn(**kwargs)
    return cache[key].copy()


def area_frame(database: str, q, columns: list[str], keys: int = 1) -> pd.DataFrame:
    """Run an aggregate whose first `keys` columns are labels (the area code, ...); the others become numbers
    (NULL -> 0)."""
    with engine(database).connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=columns)
    for col in columns[keys:]:
        df[col] = pd.to_numeric(df[col]).fillna(0)
    return df


def _native_for(s: pd.Series, col, sqlite: bool) -> list:
    """A column as DBAPI-ready Python values: dates and times as ISO strings on SQLite (SQLAlchemy's own
    storage format there), Python dates elsewhere; numpy scalars as Python ones; NaN and NaT as None."""
    if isinstance(col.type, (Date, DateTime)):
        d = pd.to_datetime(s)
        if sqlite:
            values = d.dt.strftime("%Y-%m-%d" if isinstance(col.type, Date) else "%Y-%m-%d %H:%M:%S.%f")
        else:
            values = d.dt.date if isinstance(col.type, Date) else pd.Series(d.dt.to_pydatetime(), dtype=object)
        return [v if ok else None for v, ok in zip(values.tolist(), d.notna().tolist())]
    return [None if v is None or v is pd.NaT or (isinstance(v, float) and v != v)
            else (v.item() if isinstance(v, np.generic) else v) for v in s.tolist()]


def bulk_insert(conn: Connection, table: Table, df: pd.DataFrame, chunk: int = 50_000) -> int:
    """Insert a DataFrame's rows (its columns that the table has) in chunks, through the driver's
    executemany: a fraction of the cost of Core's per-row parameter handling for seeding and imports."""
    cols = [c for c in table.columns if c.name in df.columns]
    if df.empty or not cols:
        return 0
    sqlite = conn.dialect.name == "sqlite"
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=[c.name for c in cols])
    for start in range(0, len(df), chunk):
        part = df.iloc[start:start + chunk]
        values = {c.name: _native_for(part[c.name], c, sqlite) for c in cols}
        if compiled.positional:
            rows = list(zip(*(values[k] for k in compiled.positiontup)))
        else:
            rows = [dict(zip(values, r)) for r in zip(*values.values())]
        conn.exec_driver_sql(compiled.string, rows)
    return len(df)


class days_between(FunctionElement):
    """Whole days from start to end (end − start) of two DATE values, as SQLite, PostgreSQL and MariaDB
    each spell it: days_between(end, start)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


def _ends(element, compiler, **kw) -> tuple[str, str]:
    end, start = list(element.clauses)
    return compiler.process(end, **kw), compiler.process(start, **kw)


@compiles(days_between)
def _days_postgresql(element, compiler, **kw):  # date - date is a whole number of days
    end, start = _ends(element, compiler, **kw)
    return f"(CAST({end} AS DATE) - CAST({start} AS DATE))"


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    end, start = _ends(element, compiler, **kw)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


@compiles(days_between, "mysql")
@compiles(days_between, "mariadb")
def _days_mysql(element, compiler, **kw):
    end, start = _ends(element, compiler, **kw)
    return f"DATEDIFF({end}, {start})"
