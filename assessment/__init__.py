"""考核评分: rules files, scoring methods, the engine and weekly snapshots (no streamlit here)."""

from __future__ import annotations

from datetime import date

import pandas as pd


def scores(*, as_of: date) -> pd.DataFrame:
    """The official scores at as_of, one row per county and indicator (engine.SCORE_COLS)."""
    from assessment.snapshots import official

    return official(as_of)[0]


def totals(*, as_of: date) -> pd.DataFrame:
    """The official totals at as_of: county, total, grade, rank and the parts of the total (engine.TOTAL_COLS)."""
    from assessment.snapshots import official

    return official(as_of)[1]
