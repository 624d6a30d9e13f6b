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


# ---------------------------------------------------------------- the 防返贫监测 page's lists (M6-M10, G1-G4)

PROVINCE = "黑龙江省"


def test_no_measure_and_unmatched_cases(backend):
    df = lists.no_measure_cases(OFFICE, as_of=D)
    assert (df["case_id"].tolist(), df["days"].tolist()) == ([9], [291])  # c9 included 02-10, nothing since
    un = lists.unmatched_cases(OFFICE, as_of=D)
    # c9 (因病, no measure at all), c1 (因学 unanswered; 健康 answers 因病)
    assert un["case_id"].tolist() == [9, 1]
    assert un["unmatched"].tolist() == ["因病", "因学"] and un["measures"].tolist() == ["无", "健康、产业"]
    assert lists.unmatched_cases(WK_SCOPE, as_of=D, county=BL)["case_id"].tolist() == [1]


def test_no_developmental_cases(backend):
    df = lists.no_developmental_cases(OFFICE, as_of=D)
    # c9: one member able (56; the others 66 and 61); c4: five able, its 就业 starts only after D
    assert df["case_id"].tolist() == [9, 4] and df["able"].tolist() == [1, 5]
    assert df["measures"].tolist() == ["无", "无"]


def test_violating_eliminations_with_their_evidence(backend):
    df = lists.violating_eliminations(OFFICE, start=date(2026, 1, 1), end=D, province=PROVINCE)
    assert df["case_id"].tolist() == [13]  # c2 broke nothing
    row = df.iloc[0]
    assert row["rules"] == "消除前无帮扶措施、收入低于监测范围、两不愁三保障或饮水未达标、家中无劳动能力成员"
    assert (row["days"], row["measures_before"], row["income_year"], row["income"], row["line"]) == (623, 0, 2025, 7599,
                                                                                                   7600)
    assert (row["check_on"], row["check_failures"], row["able"]) == (date(2026, 11, 25), "基本医疗", 0)
    half = lists.violating_eliminations(OFFICE, start=date(2027, 1, 1), end=date(2027, 6, 30), province=PROVINCE)
    assert half["case_id"].tolist() == [16]  # c17: exactly 183 days, everything on its day met
    row = half.iloc[0]
    assert row["rules"] == "监测不满6个月、消除前无帮扶措施、收入低于监测范围、两不愁三保障或饮水未达标"
    assert (row["days"], row["check_failures"], row["able"]) == (182, "饮水水质", 4)


def test_unvisited_cases(backend):
    df = lists.unvisited_cases(OFFICE, as_of=D)
    # c1 last visited 10-29 by the 第一书记 (30 days ago), c5 and c10 never (included 11-24 and 11-26)
    assert df["case_id"].tolist() == [1, 5, 10] and df["days"].tolist() == [30, 4, 2]
    assert df["last_visit"].tolist()[0] == date(2026, 10, 29) and df["visitor"].tolist() == ["第一书记", "—", "—"]


def test_guarantee_lists_match_the_summary(backend):
    housing = lists.unsafe_housing(OFFICE, as_of=D)
    assert housing["household_id"].tolist() == [9, 1, 3]  # by village code: 北林区 C1, then A1, A2
    assert housing["finding"].tolist() == ["住房D级", "住房C级", "住房C级"]
    water = lists.unsafe_water(OFFICE, as_of=D, county=WK)
    assert (water["household_id"].tolist(), water["finding"].tolist()) == ([2, 15], ["供水保证", "饮水水质"])
    out = lists.dropouts(OFFICE, as_of=D)
    assert (out["household_id"].tolist(), out["age"].tolist()) == ([1, 15], [12, 6])
    assert out["detail"].tolist() == ["失学辍学自 2026-09-01"] * 2 and "birth_date" not in out.columns
    assert sorted(lists.uninsured(OFFICE, as_of=D)["detail"]) == ["2026-12-10 起参保", "未参保", "未参保"]
    assert lists.unsafe_housing(WK_SCOPE, as_of=D, county=BL)["household_id"].tolist() == [1, 3]  # pinned to 望奎县


def test_household_file(backend):
    from data_access import households

    f = households.household_file(OFFICE, 1, as_of=D)
    assert set(f) == set(households.FILE_PARTS)
    assert f["household"].iloc[0][["head_name", "village", "tuopin"]].tolist() == ["王*", "前进村", True]
    assert f["cases"]["risks"].tolist() == ["因病、因学"] and f["cases"]["status"].tolist() == ["监测中"]
    assert f["measures"]["category"].tolist() == ["健康", "产业"] and f["measures"]["developmental"].tolist() == [False,
                                                                                                            True]
    assert f["visits"]["visited_on"].tolist() == [date(2026, 10, 29), date(2026, 9, 1)]
    assert f["alerts"]["received_on"].tolist() == [date(2026, 11, 8)] and f["alerts"]["result"].isna().all()
    assert f["checks"]["housing"].tolist() == ["C", "A"] and f["incomes"].empty
    assert len(f["members"]) == 4 and f["members"]["name"].str.contains(r"\*").all()
    assert households.household_file(OFFICE, 1, as_of=date(2026, 11, 22))["members"].shape[0] == 3  # m10 not born
    assert households.household_file(WK_SCOPE, 9, as_of=D) is None  # another county's household
    with pytest.raises(AccessDenied):
        households.household_file(Scope("l", "leader"), 1, as_of=D)


def test_longest_unvisited_first_even_when_cut(backend):
    # the order is made in SQL, so the first rows of a cut list are the longest unvisited, not the first included
    assert lists.unvisited_cases(OFFICE, as_of=D, limit=1)["case_id"].tolist() == [1]
