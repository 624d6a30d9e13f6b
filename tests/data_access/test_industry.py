"""The industry indicators I2, I5, I7–I10 and their queries against the hand-built fixture on SQLite, PostgreSQL
and MariaDB; every expected number is derived by hand in a comment next to it (fixture.py has the rows)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from data_access import areas, indicators, industry
from tests.data_access import fixture as fx
from tests.data_access.fixture import A1, A2, B1, B2, BL, WK, WK_ZHEN, D
from tests.data_access.test_queries import by_code, column


def values(code: str, as_of: date, level: str = "county", county: str | None = None) -> dict[str, float]:
    df = indicators.values(code, as_of=as_of, level=level, county=county)
    return {r["code"]: r["value"] for r in df.to_dict("records")}


def test_tuopin_counties(backend):
    assert areas.tuopin_counties() == [WK]


# ---------------------------------------------------------------- I2 专业村达标率


def test_metric_year_is_the_last_completed_year(backend):
    assert industry.metric_year(D) == 2025  # 2026's rows exist but the year is still running
    assert industry.metric_year(date(2027, 1, 1)) == 2026
    assert industry.metric_year(date(2025, 12, 31)) is None  # 2024 has no metrics


def test_specialty_check_boundaries(backend):
    cols = ("villages", "with_metrics", "passing")
    got = by_code(industry.specialty_check(as_of=D, tuopin_counties=[WK]))
    # 望奎县 (脱贫县: > 700万 and >= 30%): sv1 exactly 700万 fails, sv2 exactly 30% passes; 北林区 (> 1000万 and
    # >= 50%): sv5 exactly 1000万 fails. sv3 (培育) passes but is never counted; sv4 is recognised in 2027.
    assert got == {WK: dict(zip(cols, (2, 2, 1))), BL: dict(zip(cols, (1, 1, 0)))}
    # in 2027 the 2026 metrics count: sv1 30.0000009% and sv5 exactly 50% over 1000万 pass; sv2 and sv4 have none
    got = by_code(industry.specialty_check(as_of=date(2027, 1, 10), tuopin_counties=[WK]))
    assert got == {WK: dict(zip(cols, (2, 1, 1))), BL: dict(zip(cols, (2, 1, 1)))}


def test_specialty_check_depends_on_the_tuopin_county(backend):
    # were 望奎县 not a 脱贫县, sv2 (900万, 30%) would fail the 1000万 / 50% rule
    assert column(industry.specialty_check(as_of=D, tuopin_counties=[]), "passing") == {WK: 0, BL: 0}


def test_i2_values(backend):
    assert values("I2", D) == {WK: 0.5, BL: 0.0}  # 1 of 2; 0 of 1 (a real 0%)
    assert values("I2", D, "city") == {fx.CITY: pytest.approx(1 / 3)}
    assert values("I2", D, "village", WK) == {A1: 0.0, B1: 1.0}
    # at 2025-12-31 only sv1 is an I1 village and no year has metrics: counted as not passing
    assert values("I2", date(2025, 12, 31)) == {WK: 0.0}
    assert indicators.period_label("I2", D) == "2026年专业村,2025年度指标"
    assert indicators.period_label("I2", date(2025, 12, 31)) == "2025年专业村(无年度指标)"


# ---------------------------------------------------------------- I5 集体经营性收入增速


def test_i5_growth(backend):
    # 2025 over 2024: 望奎县 380,000 / (A1 0 + B1 150,000 + A2 200,000) - 1; 北林区 269,999 / (C2 80,000 +
    # E2 20,000) - 1; the city 649,999 / 450,000 - 1
    got = values("I5", D)
    assert got[WK] == pytest.approx(30_000 / 350_000)
    assert got[BL] == pytest.approx(169_999 / 100_000)
    assert values("I5", D, "city")[fx.CITY] == pytest.approx(199_999 / 450_000)
    df = indicators.values("I5", as_of=D).set_index("code")
    assert (df.loc[BL, "rank"], df.loc[WK, "rank"]) == (1, 2)
    # villages: A2 3万 after 20万; B1 10万 after 15万; A1 0 after 0 and B2 with no 2024 figure have no rate
    village = values("I5", D, "village", WK)
    assert village[A2] == pytest.approx(-0.85) and village[B1] == pytest.approx(-1 / 3)
    assert math.isnan(village[A1]) and math.isnan(village[B2])
    assert indicators.period_label("I5", D) == "2025年度比2024年度"


def test_i5_without_a_previous_year_is_dash(backend):
    # at 2025-06-29 the year is 2024 and 2023 has no figures: no rate, never +∞ or 0%
    got = values("I5", date(2025, 6, 29))
    assert all(math.isnan(v) for v in got.values()) and got
    assert indicators.table("I5", as_of=date(2025, 6, 29))["rank_text"].eq("—").all()


# ---------------------------------------------------------------- I7 弱质闲置项目整改率


def test_i7_rectification(backend):
    # ever 弱质 or 闲置 by D: p6 (望奎县, 已整改 07-01); p3 and p4 (北林区, both 闲置 at D)
    assert values("I7", D) == {WK: 1.0, BL: 0.0}
    assert values("I7", D, "city") == {fx.CITY: pytest.approx(1 / 3)}
    # p4 已盘活 on 12-10: counted that day
    assert values("I7", date(2026, 12, 10))[BL] == 0.5
    assert values("I7", date(2026, 12, 9))[BL] == 0.0
    # in 2025 only p6 was ever troubled (弱质 since 2025-01-01) and not yet rectified; 北林区 none: —
    got = values("I7", date(2025, 12, 31))
    assert got[WK] == 0.0 and math.isnan(got[BL])
    assert values("I7", D, "village", WK) == {B2: 1.0, **{c: pytest.approx(math.nan, nan_ok=True) for c in (A1, B1)}}


# ---------------------------------------------------------------- I8 扶贫资产确权率 and the ledger


def test_assets_ledger(backend):
    cols = ("assets", "owned", "idle", "damaged", "lost", "unapproved", "value")
    assert by_code(industry.assets(as_of=D)) == {
        # a1 owned; a2 no owner and 闲置; a3 owned, 损毁, 报损 without approval
        WK: dict(zip(cols, (3, 2, 1, 1, 0, 1, 300_000))),
        # a4 owned and 流失; a5 formed on D (counts); a6 formed after D (does not)
        BL: dict(zip(cols, (2, 2, 0, 0, 1, 0, 200_000))),
    }
    assert column(industry.assets(as_of=date(2026, 11, 27)), "assets") == {WK: 3, BL: 1}


def test_i8_values(backend):
    assert values("I8", D) == {WK: pytest.approx(2 / 3), BL: 1.0}
    assert values("I8", date(2026, 12, 1)) == {WK: pytest.approx(2 / 3), BL: pytest.approx(2 / 3)}  # a6 unowned
    assert values("I8", D, "city") == {fx.CITY: 0.8}


# ---------------------------------------------------------------- I9, I10: county monthly figures


def test_county_month(backend):
    df = industry.county_month(as_of=D).set_index("code")
    assert df.loc[WK, "month"] == date(2026, 11, 1) and df.loc[BL, "month"] == date(2026, 11, 1)
    # the month's labour and year-to-date funds; 消费帮扶 and 832 summed over the year's months to D (WK: Oct, Nov)
    assert by_code(industry.county_month(as_of=D).drop(columns="month")) == {
        WK: dict(labour_employed=900, labour_target=1000, fund_spent=1_000_000, fund_industry=600_000,
                 consumption_sales=2_000_000, purchase_832=100_000, purchase_reserved=200_000),
        BL: dict(labour_employed=1200, labour_target=1000, fund_spent=2_000_000, fund_industry=1_100_000,
                 consumption_sales=1_000_000, purchase_832=50_000, purchase_reserved=100_000),
    }
    # December's row counts only from 12-01
    assert column(industry.county_month(as_of=date(2026, 12, 1)), "labour_employed") == {WK: 900, BL: 1300}
    assert industry.county_month(as_of=date(2027, 1, 5)).empty  # a new year with no month yet
    assert industry.county_month(as_of=D, level="township").empty  # no breakdown below the county
    assert list(industry.county_month(as_of=D, county=BL)["code"]) == [BL]


def test_i9_and_i10(backend):
    # I9: 望奎县 600,000 / 1,000,000 exactly the 60% floor; 北林区 1,100,000 / 2,000,000
    assert values("I9", D) == {WK: 0.6, BL: 0.55}
    assert values("I9", D, "city") == {fx.CITY: pytest.approx(1_700_000 / 3_000_000)}
    # I10: 900 / 1000 and 1200 / 1000; the city 2100 / 2000
    assert values("I10", D) == {WK: 0.9, BL: 1.2}
    assert values("I10", D, "city") == {fx.CITY: 1.05}
    # at 10-31 only 望奎县 has reported (October): 北林区 is —, not 0%
    table = indicators.table("I9", as_of=date(2026, 10, 31)).set_index("code")
    assert table.loc[WK, "value"] == 0.625 and table.loc[BL, "text"] == "—"
    assert indicators.period_label("I9", D) == "2026年1月至11月"
    assert indicators.period_label("I10", D) == "2026年11月"
    assert indicators.INDICATORS["I9"].levels == ("county",)


def test_county_only_indicators_below_the_county_are_dash(backend):
    df = indicators.table("I10", as_of=D, level="township", county=WK)
    assert list(df["code"]) == [WK_ZHEN, fx.WK_XIANG] and df["text"].eq("—").all()


def test_new_indicators_never_return_another_county(backend):
    for code in ("I2", "I5", "I7", "I8", "I9", "I10"):
        for county in (WK, BL):
            for level in ("county", "township", "village"):
                codes = list(indicators.values(code, as_of=D, level=level, county=county)["code"])
                assert all(str(c).startswith(county) for c in codes), (code, county, level, codes)
