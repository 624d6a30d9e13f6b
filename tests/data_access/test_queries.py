"""Query functions against the hand-built fixture (tests/data_access/fixture.py) on SQLite,
PostgreSQL and MariaDB (the `backend` fixture is in conftest.py); every expected number is derived by
hand in a comment next to it."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select

from data_access import areas, db, indicators, industry, monitoring, overview, periods, summary, tasks
from data_access.models.industry import IndustryDatasetInfo
from data_access.models.monitoring import DatasetInfo
from tests.data_access import fixture as fx
from tests.data_access.fixture import A1, A2, B1, B2, BL, C1, C2, E1, E2, WK, WK_XIANG, WK_ZHEN, D

PREV = D - timedelta(days=7)  # 2026-11-21
WEEK = (date(2026, 11, 23), D)  # Monday .. D
YEAR = (date(2026, 1, 1), D)


def by_code(df: pd.DataFrame) -> dict[str, dict[str, float]]:
    """{code: {column: value}}; ints and floats compare equal, so expectations are written as ints."""
    cols = [c for c in df.columns if c != "code"]
    return {r["code"]: {c: float(r[c]) for c in cols} for r in df.to_dict("records")}


def column(df: pd.DataFrame, col: str) -> dict[str, float]:
    return {r["code"]: float(r[col]) for r in df.to_dict("records")}


STOCK = ("households", "persons", "cases", "overdue", "included_ever", "eliminated_ever")


def stock_row(*values: int) -> dict[str, int]:
    return dict(zip(STOCK, values))


# ---------------------------------------------------------------- placement of the three databases


def test_shared_table_names_give_industry_and_app_their_own_schemas():
    # monitoring and industry both define dataset_info, and each database keeps its own import change log
    assert fx.collisions() == {"monitoring": set(), "industry": {"dataset_info", "import_change"},
                               "app": {"import_change"}}
    assert fx.placement("test") == {"monitoring": None, "industry": "test_industry", "app": "test_app"}


def test_code_prefixes_are_ranges_that_pick_the_same_codes_as_like(backend):
    from sqlalchemy import String, literal, union_all

    codes = ["231201999999", "231202", "231202000001", "2312029", "231202999999", "231203000000", "23120",
             "999999000001", "99999"]
    table = union_all(*[select(literal(c, String(12)).label("code")) for c in codes]).subquery()

    def picked(prefix):
        with db.engine("monitoring").connect() as conn:
            return sorted(conn.execute(select(table.c.code).where(areas.starts_with(table.c.code, prefix))).scalars())

    assert picked("231202") == ["231202", "231202000001", "2312029", "231202999999"]
    assert picked("231202000") == ["231202000001"]
    assert picked("999999") == ["999999000001"]  # all nines: no upper bound
    assert str(areas.in_area(table.c.code, county="231202")).count("LIKE") == 0


def test_each_database_keeps_its_own_dataset_info(backend):
    # monitoring's dataset_info holds source, data_date and province; industry's (same name, other schema or
    # file) is empty
    with db.engine("monitoring").connect() as conn:
        assert conn.execute(select(func.count()).select_from(DatasetInfo)).scalar() == 3
    with db.engine("industry").connect() as conn:
        assert conn.execute(select(func.count()).select_from(IndustryDatasetInfo)).scalar() == 0


# ---------------------------------------------------------------- monitoring.stock


def test_stock_county(backend):
    df = monitoring.stock(as_of=D)
    assert by_code(df) == {
        # monitored: c1 h1 4 members (m10 born 11-25), c3 h3 4, c4 h4 5, c5 h5 1 -> 4 households, 14 persons;
        # overdue: c6 (found D-15) only, c7 (D-14) is not; included ever: c1 c2 c3 c4 c5; eliminated: c2;
        # c8 (不予纳入) and c11 (found after D) count nowhere
        WK: stock_row(4, 14, 4, 1, 5, 1),
        # monitored: c9 3p, c10 2p (included 11-26), c15 3p; c13 eliminated 11-25;
        # overdue: c12 (decided after D); included ever: c9 c10 c13 c15
        BL: stock_row(3, 8, 3, 1, 4, 1),
    }


def test_stock_city(backend):
    assert by_code(monitoring.stock(as_of=D, level="city")) == {fx.CITY: stock_row(7, 22, 7, 2, 9, 2)}


def test_stock_previous_week(backend):
    assert by_code(monitoring.stock(as_of=PREV)) == {
        # at 11-21: monitored c1 3p (m10 not yet born), c3 4p; c4 c5 not yet included; c2 eliminated; nothing found by 11-06
        # is still undecided (c5 was found 11-08); included ever c1 c2 c3
        WK: stock_row(2, 7, 2, 0, 3, 1),
        # monitored c9 3p, c13 2p (eliminated only 11-25), c15 3p (included 11-18); overdue c10 (decided
        # 11-26) and c12 (decided 12-02); included ever c9 c13 c15; nothing eliminated yet
        BL: stock_row(3, 8, 3, 2, 3, 0),
    }


def test_stock_township(backend):
    assert by_code(monitoring.stock(as_of=D, level="township", county=WK)) == {
        WK_ZHEN: stock_row(2, 8, 2, 0, 3, 1),  # A1: c1 4p (c2 eliminated), A2: c3 4p (c8 不予纳入)
        WK_XIANG: stock_row(2, 6, 2, 1, 2, 0),  # B1: c4 5p, c5 1p; B2: c6 overdue, c7 not yet
    }


def test_stock_village(backend):
    assert by_code(monitoring.stock(as_of=D, level="village", county=WK)) == {
        A1: stock_row(1, 4, 1, 0, 2, 1),  # c1 monitored, c2 eliminated 10-01, c11 found after D
        A2: stock_row(1, 4, 1, 0, 1, 0),  # c3 eliminated only 12-05; c8 不予纳入
        B1: stock_row(2, 6, 2, 0, 2, 0),  # c4 5p + c5 1p
        B2: stock_row(0, 0, 0, 1, 0, 0),  # c6 found D-15: overdue; c7 found D-14: not
    }
    assert by_code(monitoring.stock(as_of=D, level="village", county=BL)) == {
        C1: stock_row(1, 3, 1, 0, 1, 0),  # c9
        C2: stock_row(0, 0, 0, 1, 0, 0),  # c12 decided after D: overdue; c14 found 11-27
        E1: stock_row(1, 2, 1, 0, 1, 0),  # c10 included 11-26
        E2: stock_row(1, 3, 1, 0, 2, 1),  # c15 monitored; c13 eliminated 11-25
    }


def test_stock_county_filter(backend):
    assert list(monitoring.stock(as_of=D, county=BL)["code"]) == [BL]
    assert by_code(monitoring.stock(as_of=D, level="city", county=WK)) == {fx.CITY: stock_row(4, 14, 4, 1, 5, 1)}


# ---------------------------------------------------------------- monitoring.flow

FLOW = ("discovered", "included", "decided", "decided_timely", "decided_late", "eliminated", "refused", "assisted")


def flow_row(*values: int) -> dict[str, int]:
    return dict(zip(FLOW, values))


def test_flow_week(backend):
    assert by_code(monitoring.flow(start=WEEK[0], end=WEEK[1])) == {
        # 11-23..11-28: nothing found; c4 and c5 included and decided 11-24, c4 after 15 days (timely),
        # c5 after 16 (late)
        WK: flow_row(0, 2, 2, 1, 1, 0, 0, 1),  # assisted: c5's first measure 11-25 (c4's only on 11-30)
        # c14 found 11-27; c10 included and decided 11-26 after 37 days; c13 eliminated 11-25;
        # c12 decided only 12-02
        BL: flow_row(1, 1, 1, 0, 1, 1, 0, 1),  # assisted: c10 (11-26)
    }


def test_flow_previous_week(backend):
    # 11-16..11-21: c15 found 11-10, decided and included 11-18 after 8 days; c4 c5 c6 found the week before
    assert by_code(monitoring.flow(start=date(2026, 11, 16), end=PREV, level="city")) == {
        fx.CITY: flow_row(0, 1, 1, 1, 0, 0, 0, 1)}  # c15's first measure 11-20


def test_flow_year(backend):
    assert by_code(monitoring.flow(start=YEAR[0], end=YEAR[1])) == {
        # found: c1 c2 c4 c5 c6 c7 c8 (c3 in 2025, c11 after D); included: c1 c2 c4 c5;
        # decided: c1 9d, c2 10d, c4 15d, c8 11d (timely), c5 16d (late); eliminated: c2 (c3 only 12-05)
        WK: flow_row(7, 4, 5, 4, 1, 1, 1, 3),  # refused c8; assisted c1 c2 c5 (c3's first measure in 2025)
        # found: c9 c10 c12 c14 c15; included c9 c10 c15 (c12 12-02); decided c9 9d, c15 8d, c10 37d;
        # eliminated c13
        BL: flow_row(5, 3, 3, 2, 1, 1, 0, 2),  # assisted c10 c15
    }


# ---------------------------------------------------------------- monitoring.alerts_pending


def test_alerts_pending(backend):
    # a1 (D-20, unverified) and a6 (exactly D-15) in 望奎县; a4 (verified after D) in 北林区;
    # a2 verified D-10, a3 received D-10, a5 received after D
    assert column(monitoring.alerts_pending(as_of=D), "pending_alerts") == {WK: 2, BL: 1}
    assert column(monitoring.alerts_pending(as_of=D, level="township", county=WK), "pending_alerts") == {
        WK_ZHEN: 1, WK_XIANG: 1}  # a1 (a2 verified) / a6 (a3 not yet due)
    # at 11-21 the cut-off is 11-06: every alert was received later
    assert column(monitoring.alerts_pending(as_of=PREV), "pending_alerts") == {WK: 0, BL: 0}


# ---------------------------------------------------------------- summary + monitoring.guarantees

G = ("households", "tuopin_households", "persons", "guarantee_households", "unsafe_housing", "dropouts", "insured",
     "guarantee_persons", "unsafe_water")
SUNDAY = date(2026, 11, 22)  # the reporting date before D
MAY = date(2026, 5, 31)  # a Sunday before h1's C-grade check of 06-01


def g_row(*values: int) -> dict[str, int]:
    return dict(zip(G, values))


def test_refresh_summaries_writes_every_reporting_date(backend):
    # households live in A1 A2 B1 B2 C1 C2 E1 E2: one row each per reporting date (D and every Sunday from 2021)
    dates = periods.report_dates(D)
    assert dates[:3] == [D, SUNDAY, date(2026, 11, 15)] and dates[-1] == date(2021, 1, 3)
    assert summary.refresh_summaries(db.engine("monitoring"), D) == 8 * len(dates)


def test_guarantees_county(backend):
    assert by_code(monitoring.guarantees(as_of=D)) == {
        # households h1-h8 h11 h15 h16 (11), 脱贫户 h1 h15, members 4+2+4+5+1+2+3+4+6+3+1 = 35;
        # population: 脱贫户 h1 h15 and the households included by D: h2 h3 h4 h5 (6);
        # G1: h1 (last check C, earlier A) and h3 (C on D itself); h8/h11/h16 are outside the population;
        # G2: m3 aged 12 and m7 turning 6 on D (m5 turns 16 on D; m31 back at school 11-23);
        # G3: members of the population 4+3+2+4+5+1 = 19, insured all but m2 (never), m10 (only 12-10), m7 (never);
        # G4: h2 (reliability), h15 (quality)
        WK: g_row(11, 2, 35, 6, 2, 2, 16, 19, 2),
        # h9 h10 h12 h13 h14 h17 (6), 脱贫户 h17, members 3+2+2+2+2+3 = 14; population h17 h9 h10 h13 (h12 is
        # included only 12-02, h14 never) with 3+3+2+2 = 10 members, all insured; G1: h9
        BL: g_row(6, 1, 14, 4, 1, 0, 10, 10, 0),
    }


def test_guarantees_village(backend):
    assert by_code(monitoring.guarantees(as_of=D, level="village", county=WK))[A1] == g_row(
        # h1 h2 h11 h15 h16 with 4+2+6+3+1 members; population h1 h2 h15 (4+2+3 = 9 members, insured m1 m3 h2's
        # two, m4 m5 = 6); G1 h1 (h15's D-grade check comes after D); G2 m3 m7; G4 h2 h15
        5, 2, 16, 3, 1, 2, 6, 9, 2)


def test_guarantees_at_an_earlier_sunday(backend):
    assert by_code(monitoring.guarantees(as_of=SUNDAY))[WK] == g_row(
        # m10 is not born yet (34 members); h4 and h5 are included only 11-24, so the population is h1 h15 h2 h3
        # with 3+3+2+4 = 12 members, insured m1 m3 m4 m5 and h2's and h3's = 10;
        # G1: h1 only (h3's C-grade check is on D); G2: m3, m5 (15 until D), m31 (back at school only 11-23),
        # not m7 (5); G4: h2, h15
        11, 2, 34, 4, 1, 3, 10, 12, 2)
    # D-1 is not a reporting date: the figures are those of the Sunday before it
    assert by_code(monitoring.guarantees(as_of=D - timedelta(days=1))) == by_code(monitoring.guarantees(as_of=SUNDAY))


def test_guarantees_read_only_checks_before_the_date(backend):
    # at 05-31 h1's last check is 2025-08-01 (A): not a 危房 household yet (its C comes 06-01); h9's D is 04-01
    may = by_code(monitoring.guarantees(as_of=MAY))
    assert (may[WK]["unsafe_housing"], may[BL]["unsafe_housing"]) == (0, 1)
    assert may[WK]["unsafe_water"] == 1  # h15 (05-01); h2's reliability failure comes only 10-15
    # before the first reporting date there is nothing to read
    assert monitoring.guarantees(as_of=date(2020, 12, 31)).empty


def test_refresh_after_d_sees_the_later_check(backend):
    eng = db.engine("monitoring")
    try:
        summary.refresh_summaries(eng, date(2026, 12, 31))
        # by 12-31 h15's last check is D: A1 now has two unsafe houses (h1, h15) and h15's water is fine;
        # h11 is still outside the population (c11 never included)
        a1 = by_code(monitoring.guarantees(as_of=date(2026, 12, 31), level="village", county=WK))[A1]
        assert (a1["unsafe_housing"], a1["unsafe_water"]) == (2, 1)
        # m10 is insured from 12-10
        assert a1["insured"] == 7
    finally:
        summary.refresh_summaries(eng, D)


def test_refresh_since_rebuilds_only_later_dates(backend):
    eng = db.engine("monitoring")
    before = by_code(monitoring.guarantees(as_of=MAY))
    later = [p for p in periods.report_dates(D) if p >= date(2026, 11, 1)]
    assert summary.refresh_summaries(eng, D, since=date(2026, 11, 1)) == 8 * len(later)
    assert by_code(monitoring.guarantees(as_of=MAY)) == before
    assert by_code(monitoring.guarantees(as_of=D))[WK]["unsafe_housing"] == 2


# ---------------------------------------------------------------- industry


def test_collective_year(backend):
    # the last year completed before the date: 2026 is still running (its quarters never count)
    assert industry.collective_year(D) == 2025
    assert industry.collective_year(date(2026, 1, 1)) == 2025
    # on 2025-12-31 the year 2025 has not ended: 2024
    assert industry.collective_year(date(2025, 12, 31)) == 2024
    assert industry.collective_year(date(2025, 6, 29)) == 2024
    assert industry.collective_year(date(2024, 12, 31)) is None  # 2023 has no figures


def test_collective(backend):
    cols = ("reporting", "strong", "weak", "hollow", "operating_income")
    assert by_code(industry.collective(year=2025)) == {
        # A1 0, A2 3万, B1 exactly 10万 (strong), B2 25万: strong B1 B2, weak A1 A2, hollow A1; sum 38万
        WK: dict(zip(cols, (4, 2, 2, 1, 380_000))),
        # C1 exactly 5万 (not weak), C2 12万 (strong), E2 99,999; E1 reports nothing; sum 269,999
        BL: dict(zip(cols, (3, 1, 0, 0, 269_999))),
    }
    assert column(industry.collective(year=2025, level="township", county=WK), "strong") == {WK_ZHEN: 0, WK_XIANG: 2}
    assert column(industry.collective(year=2024, level="city"), "strong") == {fx.CITY: 2}  # B1 15万, A2 20万


def test_specialty(backend):
    # 2026: A1 认定 2024, B1 示范 2026, C2 认定 2026; A2 培育 never counts; C1 recognised 2027
    assert column(industry.specialty(year=2026), "specialty") == {WK: 2, BL: 1}
    # 2025: only A1; 北林区 has no row at all
    assert column(industry.specialty(year=2025), "specialty") == {WK: 1}
    assert column(industry.specialty(year=2026, level="village", county=WK), "specialty") == {A1: 1, B1: 1}


def test_specialty_targets(backend):
    # I1 targets of 2026 only (the 2025 target and the I3 target are other rows)
    assert column(industry.specialty_targets(year=2026), "target") == {WK: 3, BL: 2}


def test_projects_status_at_d(backend):
    cols = ("finished", "running", "weak_idle", "troubled", "rectified", "investment", "revenue")
    assert by_code(industry.projects(as_of=D)) == {
        # p1 在建; p2 运营正常; p6 弱质 -> 已整改 (07-01); p5's first status is after D
        WK: dict(zip(cols, (2, 2, 0, 1, 1, 1_500_000, 90_000))),
        # p3 运营正常 -> 闲置 (06-01); p4 闲置 at D (已盘活 only 12-10)
        BL: dict(zip(cols, (2, 0, 2, 2, 0, 1_000_000, 60_000))),
    }
    # at 12-31 p4 is 已盘活 and p5 在建
    assert by_code(industry.projects(as_of=date(2026, 12, 31)))[BL] == dict(zip(cols, (2, 1, 1, 2, 1, 1e6, 6e4)))
    assert by_code(industry.projects(as_of=D, level="village", county=WK)) == {
        A1: dict(zip(cols, (0, 0, 0, 0, 0, 5e5, 3e4))), B1: dict(zip(cols, (1, 1, 0, 0, 0, 5e5, 3e4))),
        B2: dict(zip(cols, (1, 1, 0, 1, 1, 5e5, 3e4)))}


def test_projects_status_changed_on_the_as_of_date(backend):
    # p4 becomes 已盘活 on 12-10: counted on that very day, not the day before
    assert column(industry.projects(as_of=date(2026, 12, 10)), "rectified")[BL] == 1
    assert column(industry.projects(as_of=date(2026, 12, 9)), "rectified")[BL] == 0


# ---------------------------------------------------------------- tasks


def test_task_summary(backend):
    # due by D: t1 t2 t3 t5 t6 t7; on time: t1, t5; overdue (deadline before D, open at D): t3, t6
    assert tasks.task_summary(as_of=D) == {"due": 6, "on_time": 2, "overdue": 2}
    # due by 11-21: t1 t2 t3 t6; on time: t1; overdue: t3 (11-15), t6 (11-10)
    assert tasks.task_summary(as_of=PREV) == {"due": 4, "on_time": 1, "overdue": 2}


def test_overdue_tasks(backend):
    df = tasks.overdue_tasks(as_of=D)
    assert list(df["title"]) == ["任务6", "任务3"]  # most overdue first
    assert list(pd.to_datetime(df["deadline"]).dt.date) == [date(2026, 11, 10), date(2026, 11, 15)]
    assert list(tasks.overdue_tasks(as_of=D, limit=1)["title"]) == ["任务6"]


# ---------------------------------------------------------------- areas


def test_regions(backend):
    counties = areas.regions("county")
    assert list(counties["code"]) == [BL, WK]
    assert list(counties["name"]) == ["北林区", "望奎县"]
    assert [bool(v) for v in counties["is_tuopin_county"]] == [False, True]
    assert list(areas.regions("city")["code"]) == [fx.CITY]
    assert list(areas.regions("township", WK)["code"]) == [WK_ZHEN, WK_XIANG]
    villages = areas.regions("village", BL)
    assert list(villages["code"]) == [C1, C2, E1, E2]
    assert set(villages["parent_code"]) == {fx.BL_ZHEN, fx.BL_XIANG}
    assert len(areas.regions("village")) == 8


def test_village_counts(backend):
    assert column(areas.village_counts("county"), "villages") == {WK: 4, BL: 4}
    assert column(areas.village_counts("township", WK), "villages") == {WK_ZHEN: 2, WK_XIANG: 2}
    assert column(areas.village_counts("city"), "villages") == {fx.CITY: 8}


def test_data_date(backend):
    assert areas.data_date() == D
    assert not areas.is_demo()


# ---------------------------------------------------------------- indicators


def test_values_m4_rank(backend):
    df = indicators.values("M4", as_of=D).set_index("code")
    # year to D: 望奎县 4 timely of 5 decided = 80%, 北林区 2 of 3 = 66.7%
    assert df.loc[WK, "value"] == pytest.approx(0.8)
    assert df.loc[BL, "value"] == pytest.approx(2 / 3)
    assert (df.loc[WK, "rank"], df.loc[BL, "rank"]) == (1, 2)


def test_values_zero_denominator_is_nan(backend):
    assert indicators.values("G3", as_of=D).set_index("code").loc[WK, "value"] == pytest.approx(16 / 19)
    df = indicators.values("G3", as_of=D, level="village", county=BL).set_index("code")
    # C2: h12 is included only 12-02 and h14 never, so nobody of C2 is in the population: 0/0 is NaN, not 0%
    assert df.loc[C2, "denominator"] == 0
    assert math.isnan(df.loc[C2, "value"])
    assert pd.isna(df.loc[C2, "rank"])
    assert df.loc[[C1, E1, E2], "value"].tolist() == [1.0, 1.0, 1.0]  # h9 3/3, h10 2/2, h13 and h17 5/5
    assert df.loc[[C1, E1, E2], "rank"].tolist() == [1, 1, 1]


def test_values_m12_is_not_ranked(backend):
    df = indicators.values("M12", as_of=D).set_index("code")
    # eliminated / included ever: 望奎县 1/5 = 20%, 北林区 1/4 = 25%; reference only, never ranked
    assert df.loc[WK, "value"] == pytest.approx(0.2)
    assert df.loc[BL, "value"] == pytest.approx(0.25)
    assert df["rank"].isna().all()
    assert not indicators.INDICATORS["M12"].ranked and not indicators.INDICATORS["M1"].ranked


def test_values_i3_and_i6(backend):
    i3 = indicators.values("I3", as_of=D).set_index("code")
    # 2025: 望奎县 2 strong of 4 villages; 北林区 1 of 4 (E1 has no figures but is a village)
    assert (i3.loc[WK, "value"], i3.loc[BL, "value"]) == (0.5, 0.25)
    i6 = indicators.values("I6", as_of=D).set_index("code")
    # running / not 在建: 望奎县 2/2, 北林区 0/2 (a real 0%, not a missing value)
    assert (i6.loc[WK, "value"], i6.loc[BL, "value"]) == (1.0, 0.0)
    i4 = indicators.values("I4", as_of=D).set_index("code")
    assert (i4.loc[WK, "value"], i4.loc[BL, "value"]) == (2, 0)  # weak: A1 A2 / none
    assert (i4.loc[BL, "rank"], i4.loc[WK, "rank"]) == (1, 2)  # fewer weak villages is better


def test_table_m4_villages(backend):
    df = indicators.table("M4", as_of=D, level="village", county=BL)
    # C1: c9 timely 1/1; E2: c15 timely 1/1 (c13 was decided in 2025); E1: c10 late 0/1;
    # C2: nothing decided in 2026 (c12 only 12-02) -> —
    assert list(df["code"]) == [C1, E2, E1, C2]
    assert list(df["text"]) == ["100.0%", "100.0%", "0.0%", "—"]
    assert list(df["rank"].astype(object).where(df["rank"].notna(), None)) == [1, 1, 3, None]
    assert list(df["name"]) == ["新华村", "太平村", "富强村", "胜利村"]
    assert math.isnan(df.loc[3, "value"])


def test_table_counts_fill_missing_areas_with_zero(backend):
    df = indicators.table("M5", as_of=D, level="village", county=WK)
    # only B2 has an overdue case; A1 A2 B1 have stock rows with 0; fewer is better
    assert list(df["code"]) == [A1, A2, B1, B2]
    assert list(df["text"]) == ["0", "0", "0", "1"]
    assert list(df["rank"]) == [1, 1, 1, 4]
    assert list(df["rank_text"]) == ["1", "1", "1", "4"]
    i1 = indicators.table("I1", as_of=D, level="village", county=WK)
    # specialty villages of 2026 in 望奎县: A1, B1; A2 and B2 have no row and show 0
    assert dict(zip(i1["code"], i1["text"])) == {A1: "1", B1: "1", A2: "0", B2: "0"}


def test_table_worst_first(backend):
    # the offender first, then the zeros; an area without a value stays last either way
    assert list(indicators.table("M5", as_of=D, level="village", county=WK, worst_first=True)["code"]) == [
        B2, A1, A2, B1]
    m4 = indicators.table("M4", as_of=D, level="village", county=BL, worst_first=True)
    assert list(m4["code"]) == [E1, C1, E2, C2] and list(m4["rank_text"]) == ["3", "1", "1", "—"]


def test_table_neutral_counts_have_no_rank(backend):
    df = indicators.table("M1", as_of=D, level="village", county=WK)
    # largest first: B1 (c4 c5), then A1 (c1) and A2 (c3), then B2; no rank at all
    assert list(df["code"]) == [B1, A1, A2, B2]
    assert df["rank"].isna().all() and set(df["rank_text"]) == {"—"}


def test_small_village_cells_are_hidden_from_who_may_not_read_the_rows(backend):
    from data_access.scope import Scope

    df = indicators.table("M1", as_of=D, level="village", county=WK, small_cells=True).set_index("code")
    # A1 1 household, A2 1, B1 2: shown as <3, without value or rank; B2 has none (nobody to point at)
    assert df["text"].to_dict() == {A1: "<3", A2: "<3", B1: "<3", B2: "0"}
    assert df.loc[[A1, A2, B1], "value"].isna().all() and df["rank"].isna().all()
    g3 = indicators.table("G3", as_of=D, level="village", county=BL, small_cells=True).set_index("code")
    # C1: 3 members (shown); E1: h10's 2 members (hidden); E2: 5; C2: nobody (— anyway)
    assert g3["text"].to_dict() == {C1: "100.0%", E1: "—", E2: "100.0%", C2: "—"}
    assert list(indicators.table("M1", as_of=D, level="village", county=WK)["text"]) == ["2", "1", "1", "0"]
    # townships and counties are never hidden; nor are villages and projects (I*)
    assert list(indicators.table("M1", as_of=D, level="township", county=WK, small_cells=True)["text"]) == ["2", "2"]
    i1 = indicators.table("I1", as_of=D, level="village", county=WK, small_cells=True).set_index("code")
    assert i1.loc[A1, "text"] == "1"
    assert Scope("o", "office").sees_rows_of(WK) and Scope("w", "county", WK).sees_rows_of(WK)
    assert not Scope("w", "county", WK).sees_rows_of(BL) and not Scope("l", "leader").sees_rows_of(WK)


def test_period_labels(backend):
    assert indicators.period_label("M1", D) == "截至2026年11月28日"
    assert indicators.period_label("M4", D) == "2026年1月1日至11月28日"
    assert indicators.period_label("I1", D) == "2026年"
    assert indicators.period_label("I3", D) == "2025年度"
    assert indicators.period_label("I3", date(2025, 6, 29)) == "2024年度"
    assert indicators.period_label("I3", date(2024, 6, 30)) == "2023年度(无数据)"


def test_table_i6_village_without_finished_project_is_dash(backend):
    df = indicators.table("I6", as_of=D, level="village", county=WK).set_index("code")
    # A1: p1 在建 (0/0) -> —; A2: p5 starts after D (no row) -> —; B1, B2 1/1
    assert df["text"].to_dict() == {B1: "100.0%", B2: "100.0%", A1: "—", A2: "—"}


def test_table_city_level(backend):
    df = indicators.table("M1", as_of=D, level="city")
    assert list(zip(df["code"], df["value"])) == [(fx.CITY, 7)]  # 4 + 3 households


def test_table_read_from_city_values_is_the_countys_own(backend):
    """The drill-downs read each county's rows from one city-wide computation: same rows, values and ranks."""
    for code, ind in indicators.INDICATORS.items():
        for level in ("township", "village"):
            if level not in ind.levels:
                continue
            city = indicators.values(code, as_of=D, level=level)
            for county in (BL, WK):
                for small, worst in ((False, False), (True, True)):
                    own = indicators.table(code, as_of=D, level=level, county=county, small_cells=small,
                                           worst_first=worst)
                    shared = indicators.table(code, as_of=D, level=level, county=county, small_cells=small,
                                              worst_first=worst, city_values=city)
                    pd.testing.assert_frame_equal(shared, own, obj=f"{code} {level} {county}")


# ---------------------------------------------------------------- overview


def test_kpis(backend):
    df = overview.kpis(as_of=D).set_index("key")
    got = {k: (df.loc[k, "value"], df.loc[k, "previous"]) for k in ("M1", "M2", "eliminated", "M3", "M5", "I1")}
    assert got == {
        "M1": (7, 5),  # 4 + 3 at D; 2 + 3 at D-7
        "M2": (22, 15),  # 14 + 8; 7 + 8 (m10 is born only 11-25)
        "eliminated": (1, 0),  # c13 on 11-25; nothing 11-16..11-21
        "M3": (3, 1),  # c4 c5 c10 this week (11-23..D); c15 last week (11-16..11-21)
        "M5": (2, 2),  # c6 c12 at D; c10 c12 at D-7
        "I1": (3, 5),  # 2 + 1 specialty villages against targets 3 + 2
    }
    assert df.loc["I1", "target"] == 5
    assert df.loc["I3", "label"] == "2025年度经营性收入10万元以上村"
    assert (df.loc["I3", "value"], df.loc["I3", "previous"]) == (3 / 8, 2 / 8)  # B1 B2 C2 / B1 A2 of 8 villages
    # T1: 2 on time of 6 due at D; 1 of 4 at D-7
    assert (df.loc["T1", "value"], df.loc["T1", "previous"]) == (pytest.approx(2 / 6), 0.25)
    assert df["county_value"].isna().all()


def test_kpis_for_a_county(backend):
    df = overview.kpis(as_of=D, county=WK).set_index("key")
    # 望奎县's own figures beside the city's; ranks only where the card has a direction
    assert df.loc["M1", "county_value"] == 4 and math.isnan(df.loc["M1", "county_rank"])
    assert (df.loc["M5", "county_value"], df.loc["M5", "county_rank"]) == (1, 1)  # c6; 北林区 also 1 (c12)
    assert (df.loc["I1", "county_value"], df.loc["I1", "target"], df.loc["I1", "county_rank"]) == (2, 3, 1)
    assert (df.loc["I3", "county_value"], df.loc["I3", "county_rank"]) == (0.5, 1)  # 2 of 4; 北林区 1 of 4
    bl = overview.kpis(as_of=D, county=BL).set_index("key")
    assert (bl.loc["I3", "county_value"], bl.loc["I3", "county_rank"]) == (0.25, 2)


def test_kpis_without_a_previous_year_is_nan(backend):
    # at 2025-06-29 the figures are 2024's (B1 and A2 strong, 2 of 8); 2023 has none: no comparison, not 0%
    i3 = overview.kpis(as_of=date(2025, 6, 29)).set_index("key").loc["I3"]
    assert i3["value"] == 2 / 8 and math.isnan(i3["previous"])
    assert i3["label"] == "2024年度经营性收入10万元以上村"


def test_kpis_without_due_tasks_is_nan(backend):
    # at 2026-09-01 no task is due: T1 is NaN, never 0% or 100%
    t1 = overview.kpis(as_of=date(2026, 9, 1)).set_index("key").loc["T1"]
    assert math.isnan(t1["value"])


def test_alerts(backend):
    df = overview.alerts(as_of=D)
    got = list(zip(df["level"], df["county"], df["item"], df["count"]))
    # red first (overdue before late, each largest first, then by code), then the overdue key tasks, then
    # the other yellow items
    assert got == [
        ("红", "北林区", "逾期未认定", 1),  # c12
        ("红", "望奎县", "逾期未认定", 1),  # c6
        ("红", "北林区", "本周超期认定", 1),  # c10 (37 days)
        ("红", "望奎县", "本周超期认定", 1),  # c5 (16 days)
        ("黄", "全市", "重点任务逾期", 1),  # t6
        ("黄", "全市", "重点任务逾期", 1),  # t3
        ("黄", "望奎县", "部门预警超期未核查", 2),  # a1 a6
        ("黄", "北林区", "部门预警超期未核查", 1),  # a4
        ("黄", "北林区", "弱质闲置项目", 2),  # p3 p4
    ]
    assert list(df["kind"]) == ["overdue"] * 2 + ["late"] * 2 + ["task"] * 2 + ["pending_alerts"] * 2 + [
        "weak_projects"]
    assert df.loc[4, "detail"] == "任务6(牵头:部门6,截止 2026-11-10,已逾期18天,未报告进度)"
    assert pd.isna(df.loc[4, "county_code"]) and df.loc[0, "county_code"] == BL


# ---------------------------------------------------------------- county filter: isolation and validation

COUNTY_QUERIES = {
    "stock": lambda level, c: monitoring.stock(as_of=D, level=level, county=c),
    "flow": lambda level, c: monitoring.flow(start=YEAR[0], end=YEAR[1], level=level, county=c),
    "alerts_pending": lambda level, c: monitoring.alerts_pending(as_of=D, level=level, county=c),
    "guarantees": lambda level, c: monitoring.guarantees(as_of=D, level=level, county=c),
    "collective": lambda level, c: industry.collective(year=2025, level=level, county=c),
    "specialty": lambda level, c: industry.specialty(year=2026, level=level, county=c),
    "projects": lambda level, c: industry.projects(as_of=D, level=level, county=c),
    "village_counts": lambda level, c: areas.village_counts(level, c),
    "regions": lambda level, c: areas.regions(level, c),
    "table_M1": lambda level, c: indicators.table("M1", as_of=D, level=level, county=c),
    "table_I3": lambda level, c: indicators.table("I3", as_of=D, level=level, county=c),
}


@pytest.mark.parametrize("name", list(COUNTY_QUERIES))
def test_county_filter_never_returns_another_county(backend, name):
    for county in (WK, BL):
        for level in ("county", "township", "village"):
            codes = list(COUNTY_QUERIES[name](level, county)["code"])
            assert codes, (name, county, level)
            assert all(str(c).startswith(county) for c in codes), (name, county, level, codes)


BAD_COUNTIES = ["231221' OR 1=1", "23122%", "23122_", "2312", "2312210", "", "２３１２２１"]


@pytest.mark.parametrize("name", list(COUNTY_QUERIES))
def test_malformed_county_raises(backend, name):
    for bad in BAD_COUNTIES:
        for level in ("county", "village"):
            with pytest.raises(ValueError):
                COUNTY_QUERIES[name](level, bad)
