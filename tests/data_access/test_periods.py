"""Reporting dates, weeks, years and ages."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from data_access import periods
from data_access.summary import _add_years


def test_report_dates():
    dates = periods.report_dates(date(2026, 11, 28))  # a Saturday
    assert dates[:3] == [date(2026, 11, 28), date(2026, 11, 22), date(2026, 11, 15)]
    assert dates[-1] == date(2021, 1, 3)  # the first Sunday of the transition period
    assert all(d.weekday() == 6 for d in dates[1:]) and dates == sorted(dates, reverse=True)
    sunday = periods.report_dates(date(2026, 11, 29))
    assert sunday[:2] == [date(2026, 11, 29), date(2026, 11, 22)]  # a Sunday data date is listed once
    assert periods.report_dates(date(2021, 1, 2)) == [date(2021, 1, 2)]


def test_weeks_and_years():
    assert periods.week_start(date(2026, 11, 28)) == date(2026, 11, 23)
    assert periods.week_start(date(2026, 11, 23)) == date(2026, 11, 23)
    assert periods.sunday_on_or_before(date(2026, 11, 28)) == date(2026, 11, 22)
    assert periods.last_completed_year(date(2026, 1, 1)) == 2025
    assert periods.last_completed_year(date(2025, 12, 31)) == 2024
    assert periods.cn_date(date(2026, 3, 7)) == "2026年3月7日"


@pytest.mark.parametrize("born,years,expected", [
    (date(2016, 2, 29), 6, date(2022, 3, 1)),  # a leap-day child turns 6 on 1 March in a common year
    (date(2016, 2, 29), 8, date(2024, 2, 29)),
    (date(2010, 11, 28), 16, date(2026, 11, 28)),
])
def test_add_years(born, years, expected):
    assert periods.add_years(born, years) == expected
    assert _add_years(np.array([born], dtype="datetime64[D]"), years)[0] == np.datetime64(expected)
