"""The 防返贫监测 page in AppTest: every section at every level, period and date without an error; lists for
who may read them, aggregates for the others; a household's file from a list."""

from __future__ import annotations

from datetime import date

import pytest

from data_access import loop
from tests.conftest import DEMO_AS_OF
from tests.views.test_pages import ok, text_of

PAGE = "views/monitoring.py"
DATES = [DEMO_AS_OF, date(2025, 6, 29), date(2021, 1, 3)]
SECTIONS = {"loop": ["funnel"], "timeliness": ["timely", "overdue"],
            "coverage": ["coverage", "no_measure", "unmatched", "no_dev"], "compliance": ["compliance", "violations"],
            "visits": ["visits", "unvisited"], "alerts": ["alerts", "pending"], "guarantees": ["guarantee", "g1"]}


def show(at, section: str):
    return ok(at.segmented_control(key="mon_section").set_value(section).run())


def test_office_sees_every_section_its_lists_and_their_exports(signed_in):
    at = ok(signed_in("office", PAGE))
    assert at.title[0].value == "防返贫监测"
    assert [m.label for m in at.metric] == ["发现", "作出认定", "纳入(县级审定)", "开始帮扶", "消除风险", "在监测户数",
                                            "逾期未认定", "违规消除"]
    assert all(m.delta and "较上周" in m.delta for m in at.metric)
    assert at.segmented_control(key="mon_section").options == ["监测帮扶闭环", "识别认定", "帮扶措施", "风险消除",
                                                               "跟踪回访", "部门预警", "两不愁三保障"]
    for section, keys in SECTIONS.items():
        show(at, section)
        exports = {b.key for b in at.download_button}
        assert {f"{k}_export" for k in keys} <= exports, (section, exports)
    for g in ("g2", "g3", "g4"):
        ok(at.segmented_control(key="mon_g_list").set_value(g).run())
    show(at, "compliance")
    assert "风险消除不设置比例要求" in text_of(at)


@pytest.mark.parametrize("role", ["office", "county"])
def test_matrix_of_levels_periods_and_dates(signed_in, demo_accounts, role):
    at = ok(signed_in(role, PAGE))
    county = at.session_state["auth"]["account"].county or "231283"
    if role == "office":
        ok(at.selectbox(key="mon_county").set_value(county).run())
    town = at.selectbox(key="mon_township").options[1]
    runs = 0
    for d in DATES:
        for township in (None, town):
            for period in ("week", "year", "since2021"):
                at.selectbox(key="mon_as_of").set_value(d)
                if township is None:
                    at.selectbox(key="mon_township").set_value(None)
                else:
                    at.selectbox(key="mon_township").select(township)
                at.segmented_control(key="mon_period").set_value(period)
                for section in SECTIONS:  # every section at every level, period and date
                    show(at, section)
                    assert len(at.metric) == 8 and f"数据截至 {d.year}年{d.month}月{d.day}日" in text_of(at)
                    runs += 1
    assert runs == 18 * len(SECTIONS)


def test_city_level_at_every_date_and_filter(signed_in):
    at = ok(signed_in("office", PAGE))
    for d in DATES:
        at.selectbox(key="mon_as_of").set_value(d)
        for section in SECTIONS:
            show(at, section)
            assert len(at.dataframe[0].value) == 11  # ten counties and 合计
    for section in ("loop", "coverage", "compliance"):
        show(at, section)
        for case_type in loop.CASE_TYPES:
            ok(at.selectbox(key="mon_type").set_value(case_type).run())
        at.selectbox(key="mon_type").set_value(None)
        for risk in loop.RISKS:
            ok(at.selectbox(key="mon_risk").set_value(risk).run())
        at.selectbox(key="mon_risk").set_value(None)
    at.selectbox(key="mon_as_of").set_value(DEMO_AS_OF)
    ok(at.segmented_control(key="mon_period").set_value("custom").run())
    ok(at.date_input(key="mon_start").set_value(date(2024, 3, 1)).run())
    assert "2024年3月1日至" in text_of(at)


def test_leader_sees_the_aggregates_and_no_list(signed_in):
    at = ok(signed_in("leader", PAGE))
    for section, keys in SECTIONS.items():
        show(at, section)
        exports = {b.key for b in at.download_button}
        assert keys[0] + "_export" in exports and not set(f"{k}_export" for k in keys[1:]) & exports
        assert all("户主(脱敏)" not in df.value.columns and "姓名(脱敏)" not in df.value.columns for df in at.dataframe)
        if keys[1:]:
            assert "名单仅对领导小组办公室和县(市)区账号开放" in text_of(at)


def test_county_account_is_fixed_to_its_county(signed_in, demo_accounts):
    row = next(r for r in demo_accounts.values() if r["role"] == "county")
    at = ok(signed_in(row["username"], PAGE))
    fixed = at.selectbox(key="mon_county_fixed")
    assert fixed.value == row["county_code"] and fixed.disabled
    assert len(at.dataframe[0].value) - 1 == len(at.selectbox(key="mon_township").options) - 1  # its townships
    names = set(at.session_state["auth"]["account"].county for _ in [0])
    assert names == {row["county_code"]}


def test_household_file_from_a_list(signed_in):
    from data_access import lists
    from data_access.scope import Scope

    at = show(ok(signed_in("office", PAGE)), "visits")
    first = lists.unvisited_cases(Scope("t", "office"), as_of=DEMO_AS_OF, limit=1)  # the list's first household
    at.session_state["unvisited_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    ok(at.run())
    ok(at.button(key="unvisited_open").click().run())
    text = text_of(at)
    for title in ("家庭成员", "监测记录", "帮扶措施", "跟踪回访", "部门预警", "两不愁三保障及饮水核查", "收入(年度)"):
        assert title in text, title
    assert f"户编号 {int(first['household_id'].iat[0])}" in text and at.button(key="file_unmask")
