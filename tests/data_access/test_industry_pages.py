"""Services of the 一村一品, 村级集体经济 and 产业项目与资产 pages and the village and project profiles against the
hand-built fixture on SQLite, PostgreSQL and MariaDB; every expected number is derived by hand next to it."""

from __future__ import annotations

import math
from datetime import date

import pytest

from data_access import collective_board, ovop, profiles, project_board
from data_access.scope import AccessDenied, Scope
from tests.data_access.fixture import A1, A2, B1, B2, BL, C1, C2, E2, WK, WK_ZHEN, D

OFFICE, LEADER = Scope("o", "office"), Scope("l", "leader")
WK_ACCOUNT, BL_ACCOUNT = Scope("w", "county", WK), Scope("b", "county", BL)


def rows(df, key: str = "code") -> dict:
    return {r[key]: r for r in df.to_dict("records")}


# ---------------------------------------------------------------- 一村一品


def test_progress_against_the_target(backend):
    df = rows(ovop.progress(year=2026))
    # 望奎县: sv1 认定 2024 and sv2 示范 2026 (both 市级), sv3 培育 2025; target 3 -> 1 short
    wk = df[WK]
    assert (wk["specialty"], wk["target"], wk["gap"], wk["市级"], wk["培育"], wk["认定"], wk["示范"]) == (2, 3, 1, 2, 1, 1, 1)
    # 北林区: sv5 认定 2026 (sv4 only in 2027); target 2
    assert (df[BL]["specialty"], df[BL]["target"], df[BL]["gap"]) == (1, 2, 1)
    assert (df[None]["name"], df[None]["specialty"], df[None]["target"], df[None]["gap"]) == ("全市", 3, 5, 2)
    # 2025: 望奎县 sv1 only, target 1 met; 北林区 has no target that year
    old = rows(ovop.progress(year=2025))
    assert (old[WK]["specialty"], old[WK]["gap"]) == (1, 0)
    assert math.isnan(old[BL]["target"])
    assert list(ovop.progress(year=2026, county=BL)["code"]) == [BL]


def test_growth_is_cumulative(backend):
    df = ovop.growth(year=2026, county=WK)
    assert list(zip(df["year"], df["specialty"])) == [(2021, 0), (2022, 0), (2023, 0), (2024, 1), (2025, 1), (2026, 2)]


def test_industries(backend):
    df = ovop.industries(year=2026)
    assert df.to_dict("records") == [dict(category="种植", industry="鲜食玉米", villages=3, counties=2)]


def test_criteria_village_by_village(backend):
    df = ovop.criteria(as_of=D, year=2026)
    # sv1 (A1) exactly 700万 and sv5 (C2) exactly 1000万: failing on the line itself, close; sv2 (B1) passes at 30%
    assert list(df["village_code"]) == [C2, A1, B1]  # equally close: by code
    assert list(df["result"]) == ["接近达标", "接近达标", "达标"]
    assert list(df["gap_text"]) == ["产值恰为1000万元,须超过", "产值恰为700万元,须超过", "—"]
    assert list(df["share_line"]) == [0.5, 0.3, 0.3] and list(df["metric_year"]) == [2025] * 3
    assert df.loc[2, "share"] == pytest.approx(0.3)
    # in 2027 the 2026 metrics: sv1 and sv5 pass; sv2 and sv4 (C1, recognised 2027) have none
    later = ovop.criteria(as_of=date(2027, 1, 10), year=2027).set_index("village_code")
    assert later["result"].to_dict() == {B1: "无年度指标", C1: "无年度指标", A1: "达标", C2: "达标"}
    assert later.loc[B1, "gap_text"] == "未报送年度指标"


def test_criteria_of_a_past_year_reads_that_year(backend):
    # the picked year 2025 has closed at D: its own metrics; 北林区 has no I1 village in 2025
    df = ovop.criteria(as_of=D, year=2025)
    assert list(df["village_code"]) == [A1] and list(df["metric_year"]) == [2025]
    assert ovop.criteria(as_of=D, year=2025, county=BL).empty


def test_chains(backend):
    df = rows(ovop.chains(as_of=D, year=2026))
    wk = df[WK]
    # sv1 and sv2 (2025 metrics): production and circulation both, processing sv2 only, service neither
    assert (wk["villages"], wk["生产" if False else "chain_production"], wk["chain_processing"], wk["full_chain"]) == (
        2, 2, 1, 0)
    assert (wk["brand"], wk["绿色"], wk["cooperatives"], wk["households_linked"]) == (1, 2, 4, 160)
    assert wk["income_ratio"] == pytest.approx(18_000 / 16_000)
    assert (df[BL]["villages"], df[BL]["绿色"]) == (1, 0)
    assert df[None]["villages"] == 3


# ---------------------------------------------------------------- 村级集体经济


def test_tier_labels_follow_the_setting(backend):
    assert collective_board.tiers() == ["空壳村(0元)", "薄弱村(0-5万元)", "5-10万元", "10-20万元", "20-50万元",
                                        "50-100万元", "100万元及以上"]


def test_tier_table(backend):
    df = rows(collective_board.tier_table(year=2025))
    wk, bl, city = df[WK], df[BL], df[None]
    # A1 0 空壳, A2 3万 薄弱, B1 exactly 10万 -> 10-20万, B2 25万 -> 20-50万
    assert [wk[k] for k in ("villages", "reporting", "空壳村(0元)", "薄弱村(0-5万元)", "10-20万元", "20-50万元")] == [
        4, 4, 1, 1, 1, 1]
    assert (wk["strong"], wk["strong_share"], wk["weak"], wk["hollow"], wk["target"]) == (2, 0.5, 2, 1, 0.6)
    # C1 exactly 5万 and E2 99,999 -> 5-10万; C2 12万 -> 10-20万; E1 reports nothing
    assert (bl["reporting"], bl["5-10万元"], bl["10-20万元"], bl["weak"], bl["strong_share"]) == (3, 2, 1, 0, 0.25)
    assert math.isnan(bl["target"])
    assert (city["name"], city["villages"], city["reporting"], city["strong"]) == ("全市", 8, 7, 3)
    towns = rows(collective_board.tier_table(year=2025, county=WK))
    assert (towns[WK_ZHEN]["reporting"], towns[None]["name"], towns[None]["target"]) == (2, "合计", 0.6)


def test_tier_moves(backend):
    df = collective_board.tier_moves(year=2025)
    # A2 20万 -> 3万 fell back; E2 2万 -> 99,999 left; A1 stays 空壳, B1 and C2 stay above 5万
    assert list(zip(df["village_code"], df["move"], df["tier_before"], df["tier_after"])) == [
        (A2, "返回薄弱", "20-50万元", "薄弱村(0-5万元)"), (E2, "脱离薄弱", "薄弱村(0-5万元)", "5-10万元")]
    assert list(df["village"]) == ["东升村", "太平村"]
    assert list(collective_board.tier_moves(year=2025, county=BL)["village_code"]) == [E2]


def test_structure_and_growth(backend):
    df = rows(collective_board.structure(year=2025))
    # 望奎县 380,000 operating (all 经营收入 in the fixture), 4 x 20,000 subsidy; 2024: 350,000
    wk = df[WK]
    assert (wk["op_business"], wk["subsidy_income"], wk["total"], wk["previous"]) == (380_000, 80_000, 460_000, 350_000)
    assert wk["growth"] == pytest.approx(30_000 / 350_000)
    assert df[None]["growth"] == pytest.approx(199_999 / 450_000)
    # 2024 over 2023 (no figures): no growth rate
    assert math.isnan(rows(collective_board.structure(year=2024))[WK]["growth"])


def test_development_types(backend):
    df = collective_board.development_types(year=2025)
    assert df.to_dict("records") == [dict(development_type="物业经济", villages=7, operating=649_999,
                                          average=pytest.approx(649_999 / 7))]


def test_top_and_bottom_villages(backend):
    df = collective_board.top_bottom(year=2025, n=1)
    got = list(zip(df["village_code"], df["end"], df["operating"]))
    assert got == [(C2, "最高", 120_000), (C1, "最低", 50_000), (B2, "最高", 250_000), (A1, "最低", 0)]
    assert df.set_index("village_code").loc[C2, "growth"] == pytest.approx(0.5)  # 8万 -> 12万
    assert math.isnan(df.set_index("village_code").loc[B2, "growth"])  # no 2024 figure


# ---------------------------------------------------------------- 产业项目与资产


def test_status_table(backend):
    df = rows(project_board.status_table(as_of=D))
    wk, bl = df[WK], df[BL]
    # 望奎县: p1 在建, p2 运营正常, p6 已整改 (ever 弱质); 北林区: p3 and p4 闲置
    assert [wk[k] for k in ("projects", "在建", "运营正常", "已整改", "finished", "i6", "troubled", "i7")] == [
        3, 1, 1, 1, 2, 1.0, 1, 1.0]
    assert [bl[k] for k in ("projects", "闲置", "i6", "troubled", "rectified", "i7")] == [2, 2, 0.0, 2, 0, 0.0]
    assert df[None]["projects"] == 5
    assert bl["revenue_rate"] == pytest.approx(60_000 / 1_000_000)
    # projects started in 2025 only: all of the fixture's
    assert rows(project_board.status_table(as_of=D, year=2024))[WK]["projects"] == 0


def test_troubled_projects_with_their_rectification(backend):
    df = project_board.troubled(OFFICE, as_of=D)
    # still 闲置 first, the longest first: p4 since 01-01 (331 days), p3 since 06-01 (180); then p6 弱质 from
    # 2025-01-01 to 已整改 2026-07-01 (546 days)
    assert list(df["project_id"]) == [4, 3, 6]
    assert list(df["days"]) == [331, 180, 546]
    assert list(df["progress"]) == ["闲置中,已331天未整改", "闲置中,已180天未整改", "已整改,用时546天"]
    assert df.loc[2, "fixed_on"] == date(2026, 7, 1) and df.loc[0, "fixed_on"] is None
    # p4 已盘活 on 12-10: rectified that day, 343 days after 01-01
    later = project_board.troubled(OFFICE, as_of=date(2026, 12, 10)).set_index("project_id")
    assert (later.loc[4, "status"], later.loc[4, "days"]) == ("已盘活", 343)


def test_project_rows_follow_the_scope(backend):
    assert list(project_board.troubled(WK_ACCOUNT, as_of=D, county=BL)["project_id"]) == [6]  # pinned to its own
    with pytest.raises(AccessDenied):
        project_board.troubled(LEADER, as_of=D)
    with pytest.raises(AccessDenied):
        project_board.asset_problems(LEADER, as_of=D)
    assert set(project_board.project_points(BL_ACCOUNT, as_of=D, county=WK)["project_id"]) == {3, 4}


def test_asset_ledger(backend):
    df = rows(project_board.asset_table(as_of=D))
    assert [df[WK][k] for k in ("assets", "owned", "unowned", "idle", "damaged", "unapproved")] == [3, 2, 1, 1, 1, 1]
    assert df[WK]["i8"] == pytest.approx(2 / 3) and df[BL]["i8"] == 1.0 and df[BL]["lost"] == 1
    assert df[None]["i8"] == 0.8
    classes = project_board.asset_classes(as_of=D).set_index("asset_class")
    assert (classes.loc["经营性", "assets"], classes.loc["经营性", "流失"], classes.loc["公益性", "assets"]) == (5, 1, 0)


def test_asset_problems(backend):
    df = project_board.asset_problems(OFFICE, as_of=D)
    assert list(df["asset_id"]) == [2, 3, 4]
    assert list(df["problem"]) == ["未确权、闲置", "损毁、报损未经审批", "流失"]
    assert df.loc[0, "owner"] == "(未明确)" and df.loc[0, "project"] == "项目2"
    assert list(project_board.asset_problems(BL_ACCOUNT, as_of=D)["asset_id"]) == [4]


def test_pv(backend):
    assert project_board.pv_year(D) == 2025 and project_board.pv_year(date(2025, 6, 1)) == 2024
    df = rows(project_board.pv_table(year=2025))
    assert (df[WK]["kw"], df[WK]["generation"], df[WK]["hours"], df[WK]["unused"]) == (200, 240_000, 1200, 0)
    assert (df[BL]["hours"], df[None]["income"]) == (600, 112_000)
    stations = project_board.pv_stations(year=2025)
    assert list(stations["station_id"]) == [2, 1]  # lowest yield first
    assert list(stations["village"]) == ["新华村", "前进村"]


def test_monthly(backend):
    df = rows(project_board.monthly(as_of=D))
    assert (df[WK]["i10"], df[WK]["i9"], df[WK]["below_floor"]) == (0.9, 0.6, False)  # exactly the floor is met
    assert (df[BL]["i9"], df[BL]["below_floor"]) == (0.55, True)
    assert (df[None]["name"], df[None]["i10"]) == ("全市", 1.05)
    assert df[WK]["p832_rate"] == 0.5
    early = rows(project_board.monthly(as_of=date(2026, 10, 31)))
    assert math.isnan(early[BL]["i9"]) and not early[BL]["below_floor"]  # no report is not a breach


# ---------------------------------------------------------------- profiles


def test_village_profile(backend):
    v = profiles.village(OFFICE, A1, as_of=D)
    assert (v["name"], v["township"], v["county"], v["tuopin"]) == ("前进村", "望奎镇", "望奎县", True)
    assert v["specialty"]["status"] == "认定" and v["specialty"]["year_recognised"] == 2024
    assert list(v["metrics"]["year"]) == [2025] and v["metrics"].loc[0, "share"] == 0.7  # 2026 has not closed
    assert list(v["collective"]["year"]) == [2024, 2025] and set(v["collective"]["tier"]) == {"空壳村(0元)"}
    assert list(v["projects"]["project_id"]) == [1] and v["projects"].loc[0, "status"] == "在建"
    assert (v["pv"].loc[0, "kw"], v["pv"].loc[0, "generation"]) == (200, 240_000)
    # another county's account sees the village's figures but not its projects
    assert profiles.village(BL_ACCOUNT, A1, as_of=D)["projects"] is None
    with pytest.raises(KeyError):
        profiles.village(OFFICE, WK + "999999", as_of=D)
    with pytest.raises(ValueError):
        profiles.village(OFFICE, "1 OR 1=1", as_of=D)


def test_project_profile(backend):
    p = profiles.project(OFFICE, 4, as_of=D)
    assert (p["project"]["status"], p["project"]["since"], p["project"]["village"]) == ("闲置", date(2026, 1, 1), "胜利村")
    assert list(p["history"]["status"]) == ["运营正常", "闲置"]  # 已盘活 (12-10) is after D
    assert list(p["assets"]["asset_id"]) == [5] and p["troubled"]  # a6 is formed after D
    with pytest.raises(AccessDenied):
        profiles.project(WK_ACCOUNT, 4, as_of=D)
    with pytest.raises(KeyError):
        profiles.project(OFFICE, 5, as_of=D)  # starts after D
    with pytest.raises(KeyError):
        profiles.project(OFFICE, 999, as_of=D)
    assert profiles.project(WK_ACCOUNT, 6, as_of=D)["project"]["county"] == "望奎县"
    assert B1 and B2  # fixture names used above
