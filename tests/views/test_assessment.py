"""考核排名 in AppTest: every section at every date for each role, the county account's first view, the rows behind
lost points within scope, what-if for the office only, and entries saved, audited and withdrawn."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from sqlalchemy import select

from data_access import db
from data_access.models.app import AuditLog
from tests.conftest import DEMO_AS_OF, read_accounts, using
from tests.views.conftest import ok, sign_in

PAGE = "views/assessment.py"
DATES = [DEMO_AS_OF, date(2025, 6, 29), date(2021, 1, 3)]
SECTIONS = ["matrix", "county", "history", "whatif", "entries", "rules"]


def section(at, name: str):
    return ok(at.segmented_control(key="asm_section").set_value(name).run())


def texts(at) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("role", ["office", "county", "leader"])
def test_every_section_at_every_date(signed_in, role):
    at = ok(signed_in(role, PAGE))
    offered = at.segmented_control(key="asm_section").options
    assert ("模拟测算" in offered) == (role == "office")  # what-if is the office's (and admin's) only
    for d in DATES:
        at.selectbox(key="asm_as_of").set_value(d)
        for name in SECTIONS:
            if name == "whatif" and role != "office":
                continue
            section(at, name)
            assert not at.error, (role, d, name, [e.value for e in at.error])
        section(at, "matrix")
        assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 10  # ten counties ranked at every date


def test_a_county_account_opens_on_its_own_lost_points(signed_in):
    at = ok(signed_in("county", PAGE))
    own = at.session_state["auth"]["account"].county
    assert at.segmented_control(key="asm_section").value == "county"
    assert at.selectbox(key="asm_county").value == own
    assert any(m.value.startswith("### 本县(市)区:全市第") for m in at.markdown)
    table = at.dataframe[0].value
    lost = table["失分"].tolist()
    assert lost == sorted(lost, reverse=True) and len(table) == 24  # every indicator of the rules, most lost first
    assert {b.key for b in at.download_button} >= {"asm_county_export"}


def test_the_overview_and_map_show_a_county_its_rank(signed_in):
    for page in ("views/overview.py", "views/map.py"):
        at = ok(signed_in("county", page))
        line = next(m.value for m in at.markdown if m.value.startswith("**本县考核:全市第"))
        assert "等次" in line and "较上周" in line
    office = ok(signed_in("office", "views/overview.py"))
    assert not any(m.value.startswith("**本县考核") for m in office.markdown)


def _pick(at, code: str):
    """Select the county view's row of an indicator (what a click on the row does)."""
    table = at.dataframe[0].value
    names = {"M10": "走访及时率", "I5": "集体经营性收入增速"}
    row = table.index[table["二级指标"] == names[code]][0]
    at.session_state["asm_county_table"] = {"selection": {"rows": [int(row)], "columns": [], "cells": []}}
    return ok(at.run())


def test_rows_behind_lost_points_stay_in_scope(signed_in):
    at = ok(signed_in("county", PAGE))
    own = at.session_state["auth"]["account"].county
    _pick(at, "M10")
    assert "30天内未走访的监测对象" in texts(at) and len(at.dataframe) == 2
    rows = at.dataframe[1].value
    assert len(rows) > 0 and {b.key for b in at.download_button} >= {"asm_rows_export"}
    at.selectbox(key="asm_county").set_value(next(c for c in _names() if c != own))
    ok(at.run())
    _pick(at, "M10")
    assert "名单仅对领导小组办公室和本县(市)区账号开放" in texts(at) and len(at.dataframe) == 1
    leader = ok(signed_in("leader", PAGE))
    section(leader, "county")
    _pick(leader, "M10")
    assert "名单仅对领导小组办公室和本县(市)区账号开放" in texts(leader) and len(leader.dataframe) == 1
    _pick(leader, "I5")
    assert "此项为汇总数据" in texts(leader)


def _names() -> dict[str, str]:
    from ui import components

    return components.county_names()


def test_whatif_marks_its_ranking_as_simulation(signed_in):
    at = section(ok(signed_in("office", PAGE)), "whatif")
    assert "模拟测算" in at.warning[0].value
    result = at.dataframe[-1].value
    assert list(result["模拟排名"]) == list(result["正式排名"])  # unchanged rules: the official ranking


@pytest.fixture()
def own_demo(demo_dir, tmp_path):
    """A copy of the demo folder this test may change."""
    folder = tmp_path / "demo"
    shutil.copytree(demo_dir, folder)
    with using(DASHBOARD_DATA_DIR=str(folder)):
        yield read_accounts(folder)


def test_office_enters_a_deduction_audited_and_counted(own_demo):
    row = own_demo["office"]
    at = section(sign_in(row["username"], row["password"], PAGE), "matrix")
    before = at.dataframe[0].value.set_index("县(市)区")["总分"]
    section(at, "entries")
    at.selectbox(key="asm_entry_kind").set_value("deduction")
    at.number_input(key="asm_entry_points").set_value(2.0)
    at.text_input(key="asm_entry_reason").input("督查发现<b>问题</b>整改不到位")
    ok(at.button(key="FormSubmitter:asm_entry_form-保存").click().run())
    assert at.success and not at.error
    county = at.selectbox(key="asm_entry_county").format_func(at.selectbox(key="asm_entry_county").value)
    with db.engine("app").connect() as conn:
        detail = conn.execute(select(AuditLog.detail).where(AuditLog.action == "score_entry")).scalars().all()
    assert len(detail) == 1 and "2分" in detail[0]
    section(at, "matrix")
    after = at.dataframe[0].value.set_index("县(市)区")["总分"]
    assert after[county] == pytest.approx(before[county] - 2, abs=0.01)
    assert (after.drop(county) == before.drop(county)).all()
    section(at, "county")
    at.selectbox(key="asm_county").set_value(next(k for k, v in _names().items() if v == county))
    ok(at.run())
    assert "减分 2" in texts(at)


def test_an_entry_without_a_reason_is_refused(own_demo):
    row = own_demo["office"]
    at = section(sign_in(row["username"], row["password"], PAGE), "entries")
    at.selectbox(key="asm_entry_kind").set_value("bonus")
    at.number_input(key="asm_entry_points").set_value(1.0)
    ok(at.button(key="FormSubmitter:asm_entry_form-保存").click().run())
    assert at.error and "请写明理由" in at.error[0].value
    county = sign_in(own_demo["county"]["username"], own_demo["county"]["password"], PAGE)
    section(county, "entries")
    assert not any(f for f in county.get("form")) and "由领导小组办公室录入" in texts(county)


def test_the_matrix_by_category(signed_in):
    at = section(ok(signed_in("office", PAGE)), "matrix")
    ok(at.toggle(key="asm_by_category").set_value(True).run())
    table = at.dataframe[0].value
    cats = [c for c in table.columns if c.endswith("分)")]
    assert cats == ["防返贫监测帮扶(25分)", "两不愁三保障及饮水(15分)", "产业与就业(20分)", "一村一品(15分)",
                    "村级集体经济(15分)", "重点任务推进(10分)"]
    assert len(table) == 10 and not at.error
