"""The 基础设施与公共服务 service and the S indicators against values checked by hand on the fixture (fixture.py, the
基础设施与公共服务 block), on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from data_access import indicators
from data_access import services_board as sb
from data_access.scope import AccessDenied, Scope
from tests.data_access.fixture import A1, A2, B1, BL, C2, WK, WK_XIANG, WK_ZHEN, D

OFFICE, WK_ACCOUNT, LEADER = Scope("o", "office"), Scope("w", "county", WK), Scope("l", "leader")
PAST = date(2024, 11, 15)  # B1 between two teams


def row(df: pd.DataFrame, code: str | None) -> pd.Series:
    return df[df["code"].isna()].iloc[0] if code is None else df.set_index("code").loc[code]


def value(code: str, area: str, *, as_of: date = D, level: str = "county", county: str | None = None) -> float:
    df = indicators.values(code, as_of=as_of, level=level, county=county).set_index("code")
    return df.loc[area, "value"] if area in df.index else float("nan")


# ---------------------------------------------------------------- 村情设施


def test_condition_years_are_completed_years_with_figures(backend):
    assert sb.condition_years(D) == [2025, 2022]
    assert sb.condition_year(date(2023, 6, 30)) == 2022
    assert sb.condition_year(date(2022, 12, 31)) is None  # 2022 has not closed yet


def test_condition_table_by_county(backend):
    df = sb.condition_table(year=2025)
    wk, bl, city = row(df, WK), row(df, BL), row(df, None)
    assert (wk["villages"], wk["reporting"], wk["natural"], wk["hardened"]) == (4, 3, 12, 11)
    assert wk["roads"] == pytest.approx(11 / 12) and bl["roads"] == pytest.approx(5 / 8)
    assert city["roads"] == pytest.approx(16 / 20) and city["reporting"] == 5 and city["villages"] == 8
    assert wk["express_share"] == pytest.approx(2 / 3) and bl["express_share"] == 1
    assert wk["express_goal"] == "未实现,差1个村" and bl["express_goal"] == "已实现"
    assert city["express_goal"] == "未实现,差1个村"
    assert wk["network"] == pytest.approx(2 / 3) and bl["network"] == pytest.approx(1 / 2)
    assert wk["toilet"] == pytest.approx(0.7) and bl["toilet"] == pytest.approx(0.75)
    assert wk["garbage"] == pytest.approx(2 / 3) and wk["sewage"] == pytest.approx(1 / 3)
    assert wk["remote"] == pytest.approx(2 / 3) and bl["remote"] == pytest.approx(1 / 2)
    assert wk["grid"] == pytest.approx(2 / 3) and bl["grid"] == 1
    assert wk["water"] == pytest.approx((0.9 + 1.0 + 0.95) / 3)
    assert (wk["road_short"], wk["express_short"], wk["network_short"], wk["remote_short"], wk["grid_short"]) == (
        1, 1, 1, 1, 1)
    assert (bl["road_short"], bl["express_short"], bl["network_short"]) == (1, 0, 1)


def test_condition_table_within_a_county_and_the_2022_target(backend):
    df = sb.condition_table(year=2025, county=WK)
    assert list(df["name"]) == ["望奎镇", "灵山满族乡", "合计"]
    assert row(df, WK_ZHEN)["roads"] == pytest.approx(7 / 8) and row(df, WK_XIANG)["roads"] == 1
    assert row(df, None)["reporting"] == 3
    old = sb.condition_table(year=2022)
    assert row(old, WK)["express_goal"] == "已实现" and row(old, BL)["express_goal"] == "未实现,差1个村"
    assert sb.express_goal(2021, 5, 2) == "目标2022年底实现" and sb.express_goal(2023, 0, 0) == "—"


def test_villages_that_fall_short(backend):
    df = sb.shortfalls(year=2025)
    assert list(df["village_code"]) == [A2, C2, A1]  # most shortfalls first; B1 and C1 meet every item
    assert list(df["shortfalls"]) == [4, 3, 1]
    assert df.iloc[0]["problems"] == "未通快递、光纤或4G未覆盖、村卫生室无远程医疗、电网未改造升级"
    assert df.iloc[1]["problems"] == "自然村未全部通硬化路(3/6)、光纤或4G未覆盖、村卫生室无远程医疗"
    assert df.iloc[2]["tuopin"] == "脱贫村" and df.iloc[2]["village"] == "前进村" and df.iloc[2]["county"] == "望奎县"
    assert list(sb.shortfalls(year=2025, county=BL)["village_code"]) == [C2]


@pytest.mark.parametrize("code,area,level,expected", [
    ("S1", WK, "county", 11 / 12), ("S1", WK_ZHEN, "township", 7 / 8), ("S1", A1, "village", 4 / 5),
    ("S2", WK, "county", 2 / 3), ("S2", BL, "county", 1.0), ("S3", BL, "county", 1 / 2), ("S4", WK, "county", 0.7),
    ("S5", WK, "county", 2 / 3), ("S6", WK, "county", 1 / 3), ("S7", BL, "county", 1 / 2), ("S8", WK, "county", 2 / 3),
    ("S9", WK, "county", 1.0), ("S10", WK, "county", 0.5), ("S10", BL, "county", 1.0),
    ("S10", WK_ZHEN, "township", 1.0), ("S10", WK_XIANG, "township", 0.0), ("S11", WK, "county", 2),
    ("S11", A1, "village", 2), ("S12", WK, "county", 4), ("S12", WK_XIANG, "township", 2), ("S13", WK, "county", 0.75),
    ("S13", BL, "county", 0.5), ("S13", WK_ZHEN, "township", 0.5), ("S14", WK, "county", 0.5),
    ("S14", A1, "village", 1.0), ("S14", B1, "village", 0.0),
])
def test_s_indicators_by_hand(backend, code, area, level, expected):
    county = None if level == "county" else area[:6]
    assert value(code, area, level=level, county=county) == pytest.approx(expected)


def test_s_indicators_without_a_denominator_and_at_past_dates(backend):
    assert pd.isna(value("S9", BL)) and pd.isna(value("S14", BL))  # 北林区 has no 脱贫村: —, never 0% or 100%
    assert pd.isna(value("S9", A2, level="village", county=WK))
    assert value("S9", WK, as_of=PAST) == 0.5
    assert value("S10", WK, as_of=date(2025, 6, 29)) == pytest.approx(1 / 3)  # a6 was still 特困 then
    assert value("S1", WK, as_of=date(2023, 6, 30)) == pytest.approx(2 / 5)  # the 2022 figures
    assert pd.isna(value("S1", WK, as_of=date(2022, 6, 30)))
    assert value("S12", WK, as_of=date(2025, 6, 29)) == 1  # 2024: m2 only
    assert value("S14", WK, as_of=date(2027, 3, 1)) == 1.0  # B1's unit is paired in 2027
    for code in ("S1", "S9", "S10", "S13", "S14"):
        assert not indicators.INDICATORS[code].ranked
        assert indicators.values(code, as_of=D)["rank"].isna().all()
    assert indicators.period_label("S1", D) == "2025年度" and indicators.period_label("S13", D) == "2025年度"
    assert indicators.period_label("S1", date(2021, 6, 1)) == "2020年度(无数据)"


# ---------------------------------------------------------------- 驻村帮扶


def test_team_table(backend):
    df = sb.team_table(as_of=D)
    wk, bl, city = row(df, WK), row(df, BL), row(df, None)
    assert (wk["tuopin_villages"], wk["tuopin_covered"], wk["teams"], wk["members"], wk["units"]) == (2, 2, 2, 5, 1)
    assert wk["tuopin_share"] == 1 and wk["uncovered"] == 0 and wk["other_covered"] == 0
    assert (wk["ending"], wk["low_duty"]) == (1, 1)
    assert wk["yearly_days"] == pytest.approx((900 + 300) / (1276 + 727) * 365)
    assert (bl["teams"], bl["members"], bl["covered"], bl["ending"], bl["low_duty"]) == (2, 6, 2, 1, 0)
    assert pd.isna(bl["tuopin_share"]) and bl["other_covered"] == 2
    assert (city["teams"], city["units"], city["tuopin_villages"], city["ending"]) == (4, 2, 2, 2)
    past = sb.team_table(as_of=PAST)
    assert row(past, WK)["tuopin_covered"] == 1 and row(past, WK)["uncovered"] == 1


def test_team_rows_are_masked_and_scoped(backend):
    df = sb.team_rows(OFFICE, as_of=D)
    assert list(df["team_id"]) == [2, 7]  # ending soonest first; t7 ends exactly 91 days after D
    assert list(df["first_secretary"]) == ["李*明", "赵*"] and list(df["days_left"]) == [64, 91]
    assert df.iloc[0]["tuopin"] == "脱贫村" and df.iloc[0]["village"] == "红星村"
    assert list(sb.team_rows(WK_ACCOUNT, as_of=D)["team_id"]) == [2]
    assert list(sb.team_rows(WK_ACCOUNT, as_of=D, county=BL)["team_id"]) == [2]  # pinned to its own county
    low = sb.team_rows(OFFICE, as_of=D, which="low_duty")
    assert list(low["team_id"]) == [2] and low.iloc[0]["yearly_days"] == pytest.approx(300 / 727 * 365)
    with pytest.raises(AccessDenied):
        sb.team_rows(LEADER, as_of=D)
    with pytest.raises(ValueError):
        sb.team_rows(OFFICE, as_of=D, which="all")


def test_uncovered_villages_and_units(backend):
    assert sb.uncovered(as_of=D).empty
    df = sb.uncovered(as_of=PAST)
    assert list(df["village_code"]) == [B1] and df.iloc[0]["last_ended"] == date(2024, 10, 31)
    assert df.iloc[0]["last_unit"] == "县农业农村局"
    units = sb.units(as_of=D)
    assert list(units["unit"]) == ["县委办", "市财政局"]
    assert list(units["teams"]) == [2, 2] and list(units["tuopin"]) == [0, 2] and list(units["ending"]) == [1, 1]


# ---------------------------------------------------------------- 社会救助


def test_assistance_table(backend):
    df = sb.assistance_table(as_of=D)
    wk, bl, city = row(df, WK), row(df, BL), row(df, None)
    assert (wk["dibao"], wk["dibao_households"], wk["tekun"], wk["unable"], wk["centralised"]) == (2, 1, 3, 2, 1)
    assert wk["care_share"] == 0.5 and wk["below_floor"] == "达到"  # exactly the floor
    assert (wk["topup_persons"], wk["topup"]) == (1, 87)
    assert (wk["temporary"], wk["temporary_amount"], wk["temporary_last"], wk["temporary_last_amount"]) == (
        1, 1500, 1, 2000)
    assert (wk["dibao_standard"], wk["tekun_standard"]) == (583, 760)
    assert (bl["dibao"], bl["care_share"], bl["topup"], bl["temporary"], bl["temporary_amount"]) == (1, 1, 84, 1, 800)
    assert (city["dibao"], city["tekun"], city["unable"], city["centralised"]) == (3, 4, 3, 2)
    assert pd.isna(city["dibao_standard"])
    past = row(sb.assistance_table(as_of=date(2025, 6, 29)), WK)
    assert (past["tekun"], past["unable"], past["centralised"]) == (4, 3, 1) and past["below_floor"] == "低于50%"
    assert (past["temporary"], past["temporary_last"]) == (0, 0)
    towns = sb.assistance_table(as_of=D, county=WK)
    assert row(towns, WK_ZHEN)["care_share"] == 1 and row(towns, WK_XIANG)["care_share"] == 0
    assert row(towns, WK_XIANG)["below_floor"] == "低于50%" and row(towns, WK_ZHEN)["dibao_standard"] == 583


def test_standards_by_year(backend):
    df = sb.standards(as_of=D)
    assert list(df.columns) == ["code", "name", "kind", "2024年", "2025年", "2026年", "rising"]
    wk = df[(df["code"] == WK) & (df["kind"] == "低保")].iloc[0]
    assert (wk["2024年"], wk["2026年"], wk["rising"]) == (540, 583, "逐年提高")
    bl = df[(df["code"] == BL) & (df["kind"] == "低保")].iloc[0]
    assert bl["rising"] == "未提高:2026年" and bl["name"] == "北林区"
    past = sb.standards(as_of=date(2025, 6, 29))
    assert "2026年" not in past.columns and set(past["rising"]) == {"逐年提高"}


# ---------------------------------------------------------------- 稳定就业


def test_employment_table(backend):
    assert sb.employment_years(D) == [2025, 2024]
    df = sb.employment_table(year=2025)
    wk, bl, city = row(df, WK), row(df, BL), row(df, None)
    assert (wk["workers"], wk["县内"], wk["省内县外"], wk["省外"]) == (4, 2, 1, 1)
    assert (wk["务工"], wk["公益岗位"], wk["以工代赈"], wk["扶贫车间"], wk["生态护林员"]) == (2, 1, 1, 0, 1)
    assert (wk["months"], wk["stable"], wk["trained"]) == (34, 3, 2)
    assert wk["stable_share"] == 0.75 and wk["avg_months"] == 8.5 and wk["avg_months_text"] == "8.5"
    assert wk["share_县内"] == 0.5
    assert (bl["workers"], bl["stable"], bl["trained"], bl["扶贫车间"]) == (2, 1, 1, 1)
    assert (city["workers"], city["stable"]) == (6, 4)
    towns = sb.employment_table(year=2025, county=WK)
    assert (row(towns, WK_ZHEN)["workers"], row(towns, WK_ZHEN)["stable"]) == (2, 1)
    assert (row(towns, WK_XIANG)["workers"], row(towns, WK_XIANG)["stable"]) == (2, 2)


# ---------------------------------------------------------------- 社会帮扶


def test_support_table_and_partners(backend):
    df = sb.support_table(as_of=D)
    wk, bl, city = row(df, WK), row(df, BL), row(df, None)
    assert (wk["fixed_pairs"], wk["fixed_units"], wk["fixed_villages"], wk["enterprise_pairs"]) == (2, 1, 2, 1)
    assert (wk["tuopin_villages"], wk["tuopin_covered"], wk["fixed_share"]) == (2, 1, 0.5)
    assert (wk["fixed_funds"], wk["enterprise_funds"], wk["funds"], wk["projects"]) == (400_000, 500_000, 900_000, 6)
    assert bl["fixed_pairs"] == 1 and pd.isna(bl["fixed_share"])
    assert (city["fixed_units"], city["enterprises"], city["funds"]) == (2, 1, 1_500_000)  # 飞鹤乳业 counted once
    p = sb.partners(as_of=D)
    assert list(p["partner"]) == ["飞鹤乳业", "市财政局", "农业银行"]
    assert p.iloc[0][["villages", "counties", "funds", "projects", "since"]].tolist() == [2, 2, 900_000, 4, 2024]
    assert "市委组织部" not in set(p["partner"]) and list(sb.partners(as_of=D, county=BL)["partner"]) == ["飞鹤乳业",
                                                                                                        "农业银行"]


def test_cards(backend):
    df = sb.cards(as_of=D, county=WK).set_index("key")
    assert list(df.index) == ["S1", "S2", "S9", "S10", "S13"]
    assert df.loc["S1", "value"] == pytest.approx(11 / 12) and df.loc["S1", "previous"] != df.loc["S1", "previous"]
    assert df.loc["S2", "label"] == "2025年村村通快递" and "未实现,差1个村" in df.loc["S2", "definition"]
    assert df.loc["S10", "value"] == 0.5 and df.loc["S13", "value"] == 0.75
    assert df.loc["S13", "previous"] == 1.0  # 2024: m2 worked 7 months
    early = sb.cards(as_of=date(2021, 3, 7))
    assert list(early["key"]) == ["S9", "S10"]  # no completed year of conditions or employment yet
