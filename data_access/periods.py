"""Reporting dates: the 统计时点 the pages offer, weeks, years, and the dates summaries are kept for."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

START = date(2021, 1, 1)  # the transition period (过渡期) begins; no figure is reported before it


def cn_date(d: date) -> str:
    """2026年11月28日."""
    return f"{d.year}年{d.month}月{d.day}日"


def week_start(d: date) -> date:
    """Monday of the week (Monday to Sunday) that contains d."""
    return d - timedelta(days=d.weekday())


def sunday_on_or_before(d: date) -> date:
    """The week-ending Sunday on or before d (d itself when it is a Sunday)."""
    return d - timedelta(days=(d.weekday() + 1) % 7)


def report_dates(latest: date, start: date = START) -> list[date]:
    """The 统计时点 options, newest first: the data date, then every Sunday before it back to start."""
    first = start + timedelta(days=(6 - start.weekday()) % 7)
    sundays = []
    day = sunday_on_or_before(latest)
    while day >= first:
        sundays.append(day)
        day -= timedelta(weeks=1)
    return [latest] + [s for s in sundays if s != latest]


def last_completed_year(d: date) -> int:
    """The last calendar year that ended before d (yearly figures report it)."""
    return d.year - 1


def age_on(born: date, on: date) -> int:
    """Whole years of age on a date."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def add_years(d: date, years: int) -> date:
    """d moved by whole years; 29 February becomes 1 March in a common year (ages turn on 1 March)."""
    if d.month == 2 and d.day == 29 and not calendar.isleap(d.year + years):
        return date(d.year + years, 3, 1)
    return d.replace(year=d.year + years)
