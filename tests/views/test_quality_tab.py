"""The 数据质量 tab (ui/quality.py) in AppTest on the hand-built fixture (SQLite): every section draws, the rows
behind a rule are masked and exported through the audited door, a county account sees its own county only."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import using
from tests.data_access import fixture as fx


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    with fx.databases("sqlite", tmp_path_factory.mktemp("quality")) as (urls, engines):
        fx.insert_all(engines)
        with using(MONITORING_DB_URL=urls["monitoring"], INDUSTRY_DB_URL=urls["industry"], APP_DB_URL=urls["app"]):
            st.cache_data.clear()
            yield
            st.cache_data.clear()


def _tab(role: str, county: str | None) -> None:
    from data_access.scope import Scope
    from ui import quality

    quality.show(Scope("tester", role, county))


def _run(role: str, county: str | None = None) -> AppTest:
    at = AppTest.from_function(_tab, args=(role, county), default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _section(at: AppTest, name: str) -> AppTest:
    at.segmented_control(key="quality_section").set_value(name).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_office_sees_every_county_with_rows_masked(data):
    at = _run("office")
    assert set(at.dataframe[0].value["县(市)区"]) <= {"望奎县", "北林区", "全市"}
    _section(at, "rules")
    assert any(o.startswith("农户信息:户主身份证号校验位错误") for o in at.selectbox(key="quality_rule").options)
    at.selectbox(key="quality_rule").set_value("household.id_check.head_id_number").run()
    rows = at.dataframe[-1].value
    assert set(rows["县(市)区"]) == {"望奎县", "北林区"}
    assert all("*" in v for v in rows["户主身份证号"]) and all("*" in v for v in rows["户主姓名"])
    assert at.get("download_button")  # the one audited door
    _section(at, "completeness")
    assert at.success  # the fixture leaves no required field empty


def test_county_account_sees_its_own_county_only(data):
    at = _run("county", fx.BL)
    assert set(at.dataframe[0].value["县(市)区"]) == {"北林区"}
    _section(at, "rules")
    assert set(at.dataframe[0].value["县(市)区"]) == {"北林区"}
    at.selectbox(key="quality_rule").set_value("household.id_check.head_id_number").run()
    assert set(at.dataframe[-1].value["县(市)区"]) == {"北林区"}


def test_leader_sees_counts_but_no_rows(data):
    at = _section(_run("leader"), "rules")
    assert len(at.dataframe) == 1 and not at.get("download_button")
    assert any("仅对领导小组办公室和县(市)区账号开放" in c.value for c in at.caption)
