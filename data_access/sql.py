"""Small SQL helpers shared by the aggregate query modules."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import case, func

from data_access.db import engine


def count_if(cond):
    """SUM(CASE WHEN cond THEN 1 ELSE 0 END): portable conditional count."""
    return func.sum(case((cond, 1), else_=0))


def area_frame(database: str, q, columns: list[str]) -> pd.DataFrame:
    """Run an aggregate whose first column is the area code; the others become numbers (NULL -> 0)."""
    with engine(database).connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=columns)
    for col in columns[1:]:
        df[col] = pd.to_numeric(df[col]).fillna(0)
    return df
