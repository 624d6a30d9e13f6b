"""M6-M11, the loop's breakdowns and trends on the hand-built fixture (fixture.py), on SQLite, PostgreSQL and
MariaDB; every expected number is worked out by hand beside it, with each boundary (15, 30 and 183 days, income
equal to the line, a check or a measure on the elimination day)."""

from __future__ import annotations

from datetime import date

import pytest

from data_access import areas, loop
from tests.data_access.fixture import A1, A2, B1, BL, WK, WK_XIANG, WK_ZHEN, D
from tests.data_access.test_queries import by_code, column

YEAR = (date(2026, 1, 1), D)
PROVINCE = "黑龙江省"


def test_coverage_m6_m7_m8(backend):
    cols = ("settled", "with_measure", "matched", "able", "developmental")
    assert by_code(loop.coverage(as_of=D)) == {
        # settled (monitored, included by 10-29): c1 c3; both have measures; c1's 因学 has no 教育 measure, c3's
        # 缺劳动力 has 公益岗位. Able to work: h1 h3 h4 (h5's only member is 66); 开发式: c1 产业, c3 公益岗位,
        # c4's 就业 starts only 11-30
        WK: dict(zip(cols, (2, 2, 1, 3, 2))),
        # settled: c9 (c10 11-26, c15 11-18 too recent), no measure; able: h9 (a member of 56), h17 (h10's are
        # 66 and 61); 开发式: c15 公益岗位 11-20
        BL: dict(zip(cols, (1, 0, 0, 2, 1))),
    }


def test_coverage_settles_exactly_30_days_after_inclusion(backend):
    # c1 was included 03-10: settled from 04-09 (30 days) on, not on 04-08; c2 (01-15, eliminated only 10-01) and
    # c3 (2025) are settled both days
    assert column(loop.coverage(as_of=date(2026, 4, 9), county=WK), "settled") == {WK: 3}
    assert column(loop.coverage(as_of=date(2026, 4, 8), county=WK), "settled") == {WK: 2}


def test_compliance_m9(backend):
    cols = ("eliminated", "violating", *loop.RULES)
    assert by_code(loop.compliance(start=YEAR[0], end=YEAR[1], province=PROVINCE)) == {
        # c2: 259 days, a measure on its elimination day, 2025 income exactly at the line (7,600), last check
        # before 10-01 all met (03-01), members able to work: breaks nothing
        WK: dict(zip(cols, (1, 0, 0, 0, 0, 0, 0))),
        # c13: 623 days; no measure; 2025 income 7,599 (a yuan under); the check on its elimination day fails
        # 基本医疗; nobody in h13 can work: four rules
        BL: dict(zip(cols, (1, 1, 0, 1, 1, 1, 1))),
    }


def test_compliance_183_days_and_a_check_on_the_day(backend):
    first_half_2027 = loop.compliance(start=date(2027, 1, 1), end=date(2027, 6, 30), province=PROVINCE, level="village",
                                      county=WK)
    cols = ("eliminated", "violating", *loop.RULES)
    assert by_code(first_half_2027) == {
        # c16 (A2): 182 days, no measure, 2026 income 7,899 < 7,900, water fails on its elimination day
        A2: dict(zip(cols, (1, 1, 1, 1, 1, 1, 0))),
        # c17 (B2): exactly 183 days, 产业 on the day, income exactly 7,900, all met on the day: nothing
        WK_XIANG[:9] + "202": dict(zip(cols, (1, 0, 0, 0, 0, 0, 0))),
    }


def test_compliance_income_needs_the_province_of_the_line(backend):
    # 吉林省's 2025 line is 9,000: against it c2 (7,600) is under; without a province the rule cannot be judged
    assert column(loop.compliance(start=YEAR[0], end=YEAR[1], province="吉林省", county=WK), "low_income") == {WK: 1}
    assert column(loop.compliance(start=YEAR[0], end=YEAR[1], province=None), "low_income") == {WK: 0, BL: 0}
    assert areas.province() == PROVINCE  # the fixture's data says which province it is


def test_visits_m10(backend):
    # c1's last visit 10-29 is 30 days old (out), c3's 10-30 29 days (in), c4 11-25, c5 never; c9 on D, c15 11-20,
    # c10 only after D
    assert by_code(loop.visits(as_of=D)) == {WK: {"monitored": 4, "visited": 2}, BL: {"monitored": 3, "visited": 2}}
    assert column(loop.visits(as_of=D, level="village", county=WK), "visited") == {A1: 0, A2: 1, B1: 1}


def test_alert_checks_m11(backend):
    cols = ("received", "due", "timely", "verified")
    assert by_code(loop.alert_checks(start=YEAR[0], end=YEAR[1])) == {
        # received in 2026 by D: a1 a2 a3 a6 a7 a8 (a5 after D); due (by 11-13): a1 a2 a6 a7 a8; in time: a2 (10
        # days), a7 (exactly 15); a8 took 16; verified by D: a2 a7 a8
        WK: dict(zip(cols, (6, 5, 2, 3))),
        # a4: received 11-08, verified only 12-01
        BL: dict(zip(cols, (1, 1, 0, 0))),
    }


def test_alert_sources(backend):
    df = loop.alert_sources(start=YEAR[0], end=YEAR[1]).set_index("source")
    assert df.loc["医保"].to_dict() == dict(received=5, due=4, timely=1, verified=1, included=1, refused=0, already=0,
                                          waiting=3)  # a1 a2 a3 a4 a6; a2 in time; a1 a4 a6 waiting
    assert df.loc["民政", "timely"] == 1 and df.loc["教育", "timely"] == 0 and df.loc["教育", "refused"] == 1


def test_monitored_by_type_and_risk(backend):
    by_type = loop.monitored_by(as_of=D, by="type").set_index("name")["cases"]
    assert by_type.to_dict() == {"脱贫不稳定户": 0, "边缘易致贫户": 7, "突发严重困难户": 0}
    by_risk = loop.monitored_by(as_of=D, by="risk", county=WK).set_index("name")["cases"]
    # monitored in 望奎县: c1 (因病, 因学), c3 (缺劳动力), c4, c5 (none)
    assert (by_risk["因病"], by_risk["因学"], by_risk["缺劳动力"], by_risk["因灾"]) == (1, 1, 1, 0)


def test_monthly_trend(backend):
    df = loop.monthly(as_of=D).set_index("month")
    assert df.index[0] == "2021-01" and df.index[-1] == "2026-11" and len(df) == 71
    # inclusions: c13 2025-03, c3 2025-06, c2 01, c9 02, c1 03, c4 c5 c10 c15 11; eliminations: c2 10, c13 11
    assert df.loc["2025-03", "included"] == 1 and df.loc["2026-11"].to_dict() == {"included": 4, "eliminated": 1}
    assert df["included"].sum() == 9 and df["eliminated"].sum() == 2  # c16 c17 come after D


def test_timeliness(backend):
    t = loop.timeliness(start=YEAR[0], end=YEAR[1])
    areas_ = t["areas"].set_index("code")
    # decided in 2026: 望奎县 c1 9d, c2 10d, c8 11d, c4 15d, c5 16d: 4 of 5 within 15, median 11
    assert areas_.loc[WK].to_dict() == {"decided": 5, "timely": 4, "median_days": 11.0}
    # 北林区 c15 8d, c9 9d, c10 37d: median 9
    assert areas_.loc[BL].to_dict() == {"decided": 3, "timely": 2, "median_days": 9.0}
    channels = t["channels"].set_index("channel")
    assert channels.loc["基层干部排查", "decided"] == 8 and channels.loc["部门筛查预警", "decided"] == 0
    assert t["days"].set_index("days")["decisions"].sum() == 8


@pytest.mark.parametrize("bad", [dict(case_type="贫困户"), dict(risk="因懒")])
def test_unknown_filters_are_refused(backend, bad):
    with pytest.raises(ValueError):
        loop.coverage(as_of=D, **bad)


def test_filters_narrow_the_cases(backend):
    # c1 is the only monitored 因学 case; c3 the only 缺劳动力 one
    assert column(loop.coverage(as_of=D, risk="因学"), "settled") == {WK: 1}
    assert column(loop.visits(as_of=D, risk="缺劳动力"), "visited") == {WK: 1}
    assert column(loop.visits(as_of=D, county=WK, township=WK_ZHEN, level="village"), "monitored") == {A1: 1, A2: 1}
    with pytest.raises(ValueError):
        loop.visits(as_of=D, county=WK, township="231202101")  # a township of another county


def test_the_new_indicators_on_the_map(backend):
    from data_access import indicators

    got = {code: indicators.values(code, as_of=D).set_index("code")["value"].to_dict()
           for code in ("M6", "M7", "M8", "M9", "M10", "M11")}
    assert got["M6"] == {WK: 1.0, BL: 0.0} and got["M7"] == {WK: 0.5, BL: 0.0}
    assert got["M8"] == {WK: pytest.approx(2 / 3), BL: 0.5} and got["M9"] == {WK: 0, BL: 1}
    assert got["M10"] == {WK: 0.5, BL: pytest.approx(2 / 3)} and got["M11"] == {WK: 0.4, BL: 0.0}
    assert all(indicators.INDICATORS[c].ranked for c in got)


def test_period_starts():
    from data_access.monitoring_board import period_start

    assert period_start("week", D) == date(2026, 11, 23) and period_start("month", D) == date(2026, 11, 1)
    assert period_start("year", D) == date(2026, 1, 1) and period_start("since2021", D) == date(2021, 1, 1)
    assert period_start("custom", D, date(2027, 1, 1)) == D  # never after the as-of date
    with pytest.raises(ValueError):
        period_start("decade", D)
