"""Imports on SQLite, PostgreSQL and MariaDB: a valid file of every table imported whole, re-imports that change
nothing, updates, rollback as a whole, a failure halfway that leaves the database as it was, and the county rule."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from data_access import audit, db, imports
from data_access import summary as summary_mod
from data_access.imports import KINDS, loader
from data_access.models import app as am
from data_access.models import monitoring as mm
from tests.data_access import fixture as fx
from tests.data_access import import_files as files


def _import(kind: str, data: bytes, *, county: str | None = None, name: str = "t.xlsx"):
    checked = imports.check(KINDS[kind], imports.read(data, name, KINDS[kind]), county=county)
    assert checked.ok, checked.problem_frame().to_string()
    return imports.run(checked, data=data, filename=name, username="office", county=county)


def _count(table, *where) -> int:
    with db.engine("monitoring" if table.metadata is mm.MonitoringBase.metadata else "app").connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_every_table_imports_a_valid_file_whole_and_again_changes_nothing(backend):
    outcomes = {}
    for kind in files.VALID:
        out = _import(kind, files.workbook(kind, [files.row(kind)]))
        assert (out.rows, out.inserted + out.updated) == (1, 1), kind
        outcomes[kind] = out
    for kind in files.VALID:  # the same files again: natural keys match, nothing changes
        out = _import(kind, files.workbook(kind, [files.row(kind)]))
        assert (out.inserted, out.updated, out.unchanged) == (0, 0, 1), kind
    with db.engine("monitoring").connect() as conn:
        house = conn.execute(select(mm.Household).where(mm.Household.head_id_number == files.HEAD)).mappings().one()
        case = conn.execute(select(mm.MonitoringCase).where(mm.MonitoringCase.household_id == house["id"])).mappings().one()
        risks = conn.execute(select(mm.CaseRisk.risk).where(mm.CaseRisk.case_id == case["id"])).scalars().all()
        member = conn.execute(select(mm.Member).where(mm.Member.id_number == files.PERSON)).mappings().one()
        check = conn.execute(select(mm.GuaranteeCheck).where(mm.GuaranteeCheck.household_id == house["id"])).mappings().one()
    assert (house["county_code"], house["size"], house["is_tuopin"], house["phone"]) == (fx.WK, 3, True, "13900001111")
    assert (case["village_code"], case["county_code"], case["discovered_on"], case["decision_days"]) == (
        fx.A2, fx.WK, date(2026, 3, 2), 8)
    assert sorted(risks) == sorted(["因病", "因学"])
    assert (member["household_id"], member["birth_date"], member["medical_insured_on"]) == (
        house["id"], date(2000, 5, 6), date(2020, 1, 1))
    assert not check["water_ok"]  # one water item not met
    with db.engine("industry").connect() as conn:
        from data_access.models import industry as im
        income = conn.execute(select(im.CollectiveIncome).where(im.CollectiveIncome.village_code == fx.E2,
                                                                im.CollectiveIncome.year == 2020)).mappings().one()
    assert (income["operating_income"], income["total_income"]) == (55000, 65000)
    with db.engine("app").connect() as conn:  # 60% kept as per cent, like the weekly page's own entry
        progress = conn.execute(select(am.TaskProgress.percent, am.TaskProgress.reported_by).where(
            am.TaskProgress.task_id == 4, am.TaskProgress.week_end == date(2026, 11, 29))).one()
    assert progress == (60.0, "office")
    assert outcomes["case"].since == date(2026, 3, 2)
    # undo in reverse order, each batch as a whole: the database is as the fixture left it
    for kind in reversed(list(files.VALID)):
        assert imports.rollback(outcomes[kind].batch_id, username="office") >= 1, kind
    assert _count(mm.Household.__table__, mm.Household.head_id_number == files.HEAD) == 0
    assert _count(mm.CaseRisk.__table__) == len(fx.CASE_RISKS)


def test_update_then_rollback_restores_the_old_values(backend):
    first = _import("household", files.workbook("household", [files.row("household", head_id_number=files.HEAD2)]))
    second = _import("household", files.workbook("household", [files.row("household", head_id_number=files.HEAD2,
                                                                               size=5, phone=None)]))
    assert (second.inserted, second.updated) == (0, 1)
    where = mm.Household.head_id_number == files.HEAD2
    with db.engine("monitoring").connect() as conn:
        assert conn.execute(select(mm.Household.size, mm.Household.phone).where(where)).one() == (5, "")
    with pytest.raises(imports.ImportFailed, match="后来又修改了本批次的数据"):
        imports.rollback(first.batch_id, username="office")
    imports.rollback(second.batch_id, username="office")
    with db.engine("monitoring").connect() as conn:
        assert conn.execute(select(mm.Household.size, mm.Household.phone).where(where)).one() == (3, "13900001111")
    with pytest.raises(imports.ImportFailed, match="只有“已导入”的批次可以撤销"):
        imports.rollback(second.batch_id, username="office")
    imports.rollback(first.batch_id, username="office")
    assert _count(mm.Household.__table__, where) == 0
    listed = imports.batches()
    mine = listed[listed["id"].isin([first.batch_id, second.batch_id])]
    assert set(mine["status"]) == {"已撤销"} and set(mine["rolled_back_by"]) == {"office"}
    assert mine["sha256"].str.len().eq(64).all()
    log = audit.entries(action="import", limit=50)
    assert log["detail"].str.contains(f"撤销导入批次 {first.batch_id}").any()
    assert log["detail"].str.contains(f"批次 {second.batch_id}").any()


def test_a_failure_halfway_leaves_the_database_unchanged(backend, monkeypatch):
    heads = [files.id_number("19810101", 100 + i) for i in range(5)]
    data = files.workbook("household", [files.row("household", head_id_number=h) for h in heads])
    checked = imports.check(KINDS["household"], imports.read(data, "half.xlsx", KINDS["household"]))
    before = _count(mm.Household.__table__)
    calls = {"n": 0}
    real = loader.insert

    def failing(table):
        calls["n"] += 1
        if calls["n"] == 3:  # two chunks of one row are written, then the third fails
            raise ValueError("disk full")
        return real(table)

    monkeypatch.setattr(loader, "CHUNK", 1)
    monkeypatch.setattr(loader, "insert", failing)
    with pytest.raises(imports.ImportFailed, match="数据库未作任何改动"):
        imports.run(checked, data=data, filename="half.xlsx", username="office")
    assert calls["n"] == 3
    assert _count(mm.Household.__table__) == before
    batch = imports.batches().iloc[0]
    assert (batch["filename"], batch["status"]) == ("half.xlsx", "失败")


def test_a_county_account_imports_its_own_county_only(backend):
    mine = files.row("household", village_code=fx.A1, head_id_number=files.id_number("19900101", 201))
    other = files.row("household", village_code=fx.C1, head_id_number=files.id_number("19900101", 203))
    data = files.workbook("household", [mine, other])
    checked = imports.check(KINDS["household"], imports.read(data, "c.xlsx", KINDS["household"]), county=fx.WK)
    assert [(p.row, p.column) for p in checked.problems] == [(3, "村代码")]
    assert "不属于本县" in checked.problems[0].reason
    ok = _import("household", files.workbook("household", [mine]), county=fx.WK)
    assert imports.batches(county=fx.BL).query("id == @ok.batch_id").empty
    with pytest.raises(imports.ImportFailed, match="不是本县"):
        imports.rollback(ok.batch_id, username="county231202", county=fx.BL)
    imports.rollback(ok.batch_id, username="county231221", county=fx.WK)
    # a member of a household in another county is refused through the reference, not only by region codes
    member = files.row("member", head_id=files.HEAD)
    _import("household", files.workbook("household", [files.row("household", village_code=fx.C1)]))
    checked = imports.check(KINDS["member"], imports.read(files.workbook("member", [member]), "m.xlsx",
                                                          KINDS["member"]), county=fx.WK)
    assert any("不属于本县" in p.reason for p in checked.problems)


def test_stored_scores_are_forgotten_and_summaries_refreshed(backend):
    with db.engine("app").begin() as conn:
        conn.execute(am.TotalSnapshot.__table__.insert().values(
            week_end=fx.D, county_code=fx.WK, base=90.0, bonus=0.0, deduction=0.0, total=90.0, grade="好", rank=1,
            veto="", rules_version="t", computed_at=datetime.now()))
    head = files.id_number("19600101", 301)
    summary = select(mm.VillageSummary).order_by(mm.VillageSummary.period_end, mm.VillageSummary.village_code)
    marked = (mm.VillageSummary.period_end == fx.D) & (mm.VillageSummary.village_code == fx.C1)
    with db.engine("monitoring").begin() as conn:  # a mark a rebuild of 北林区 would wipe out
        conn.execute(mm.VillageSummary.__table__.update().where(marked).values(households=999))
        before = [dict(r) for r in conn.execute(summary.where(mm.VillageSummary.county_code == fx.BL)).mappings()]
    out = _import("household", files.workbook("household", [files.row("household", head_id_number=head,
                                                                                is_tuopin="是")]))
    listed = imports.batches()
    assert listed.loc[listed["id"] == out.batch_id, "counties"].tolist() == [fx.WK]
    with db.engine("monitoring").connect() as conn:  # only 望奎县's summaries were rebuilt; 北林区's stay as they were
        after = [dict(r) for r in conn.execute(summary.where(mm.VillageSummary.county_code == fx.BL)).mappings()]
    assert after == before and any(r["households"] == 999 for r in after)
    summary_mod.refresh_summaries(db.engine("monitoring"), fx.D)  # the mark wiped out
    assert _count(am.TotalSnapshot.__table__, am.TotalSnapshot.week_end == fx.D) == 0
    with db.engine("monitoring").connect() as conn:
        households = conn.execute(select(mm.VillageSummary.households).where(
            mm.VillageSummary.period_end == fx.D, mm.VillageSummary.village_code == fx.A2)).scalar_one()
    assert households == 1 + sum(1 for v, *_ in fx.HOUSEHOLDS.values() if v == fx.A2)


def test_a_case_whose_only_change_is_its_risks_is_rewritten(backend):
    house = _import("household", files.workbook("household", [files.row("household", head_id_number=files.HEAD2)]))
    first = _import("case", files.workbook("case", [files.row("case", head_id=files.HEAD2)]))
    again = _import("case", files.workbook("case", [files.row("case", head_id=files.HEAD2, risks="因病、因灾",
                                                               disaster_subtype="洪涝")]))
    assert (again.inserted, again.updated, again.unchanged) == (0, 1, 0)
    with db.engine("monitoring").connect() as conn:
        risks = conn.execute(select(mm.CaseRisk.risk, mm.CaseRisk.disaster_subtype).join(
            mm.MonitoringCase, mm.MonitoringCase.id == mm.CaseRisk.case_id).join(
            mm.Household, mm.Household.id == mm.MonitoringCase.household_id).where(
            mm.Household.head_id_number == files.HEAD2)).all()
    assert sorted(risks, key=str) == sorted([("因病", None), ("因灾", "洪涝")], key=str)
    for out in (again, first, house):
        imports.rollback(out.batch_id, username="office")
    assert _count(mm.CaseRisk.__table__) == len(fx.CASE_RISKS)
