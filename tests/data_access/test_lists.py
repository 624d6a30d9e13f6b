"""The rows behind the overview's alerts, on the hand-built fixture (fixture.py) and every backend: the same
conditions as the counts, worst first, scoped in SQL, names masked."""

from __future__ import annotations

from datetime import date

import pytest

from data_access import lists
from data_access.scope import AccessDenied, Scope
from tests.data_access.fixture import BL, WK, D

OFFICE = Scope("chief", "office")
WK_SCOPE = Scope("wk01", "county", WK)
WEEK = (date(2026, 11, 23), D)


def test_overdue_cases(backend):
    df = lists.overdue_cases(OFFICE, as_of=D)
    # c12 (C2, found 11-01, decided only 12-02) waits 27 days, c6 (B2, found 11-13 = D-15) 15; c7 (D-14) is not due
    assert df["case_id"].tolist() == [12, 6]
    assert df["days"].tolist() == [27, 15]
    assert df["township"].tolist() == ["秦家镇", "灵山满族乡"] and df["village"].tolist() == ["胜利村", "永安村"]
    assert df["risks"].tolist() == ["因灾", "因病、因学"]
    assert df["head_name"].tolist() == ["户**2", "户*6"]
    assert df["decided_on"].isna().all()
    # at 11-21: c10 (found 10-20, decided 11-26) 32 days and c12 20 days
    prev = lists.overdue_cases(OFFICE, as_of=date(2026, 11, 21))
    assert (prev["case_id"].tolist(), prev["days"].tolist()) == ([10, 12], [32, 20])


def test_late_decisions(backend):
    df = lists.late_decisions(OFFICE, start=WEEK[0], end=WEEK[1])
    # decided this week after more than 15 days: c10 (37) and c5 (16); c4 took exactly 15
    assert (df["case_id"].tolist(), df["days"].tolist()) == ([10, 5], [37, 16])
    assert df["risks"].tolist() == ["因务工就业不稳", ""]


def test_pending_alerts(backend):
    df = lists.pending_alerts(OFFICE, as_of=D)
    # a1 (11-08, unverified), a4 (11-08, verified only 12-01), a6 (11-13 = D-15)
    assert (df["alert_id"].tolist(), df["days"].tolist()) == ([1, 4, 6], [20, 20, 15])
    assert df["head_name"].tolist() == ["王*", "张*明", "户*5"]
    assert lists.pending_alerts(OFFICE, as_of=D, county=BL)["alert_id"].tolist() == [4]


def test_weak_projects(backend):
    df = lists.weak_projects(OFFICE, as_of=D)
    # p4 闲置 since 01-01, p3 闲置 since 06-01 (both 北林区); p6 was 弱质 but 已整改 on 07-01
    assert df["project_id"].tolist() == [4, 3]
    assert df["since"].tolist() == [date(2026, 1, 1), date(2026, 6, 1)]
    assert df["village"].tolist() == ["胜利村", "新华村"] and df["township"].tolist() == ["秦家镇", "秦家镇"]
    assert lists.weak_projects(OFFICE, as_of=date(2026, 12, 31))["project_id"].tolist() == [3]  # p4 已盘活 12-10
    assert lists.weak_projects(WK_SCOPE, as_of=D).empty


def test_a_county_account_is_pinned_to_its_county(backend):
    assert lists.overdue_cases(WK_SCOPE, as_of=D, county=BL)["case_id"].tolist() == [6]
    assert lists.late_decisions(WK_SCOPE, start=WEEK[0], end=WEEK[1], county=BL)["case_id"].tolist() == [5]
    assert lists.pending_alerts(WK_SCOPE, as_of=D, county=BL)["alert_id"].tolist() == [1, 6]


@pytest.mark.parametrize("role", ["leader", "screen"])
def test_aggregate_roles_get_no_rows(backend, role):
    scope = Scope(f"{role}01", role)
    for call in (lambda: lists.overdue_cases(scope, as_of=D), lambda: lists.pending_alerts(scope, as_of=D),
                 lambda: lists.late_decisions(scope, start=WEEK[0], end=WEEK[1]),
                 lambda: lists.weak_projects(scope, as_of=D)):
        with pytest.raises(AccessDenied):
            call()


def test_limit_and_whole_list(backend):
    assert len(lists.overdue_cases(OFFICE, as_of=D, limit=1)) == 1
    assert len(lists.overdue_cases(OFFICE, as_of=D, limit=None)) == 2
    with pytest.raises(ValueError):
        lists.overdue_cases(OFFICE, as_of=D, limit="1; DROP TABLE member")
