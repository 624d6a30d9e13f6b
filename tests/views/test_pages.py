"""AppTest of every page: no exception or error at any indicator x level x date, the expected elements, the
figures and labels at the picked date, the viewer's own county, and the lists behind the alerts."""

from __future__ import annotations

import logging
import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from data_access.demo.regions import TOWNSHIPS
from data_access.indicators import INDICATORS
from tests.conftest import DEMO_AS_OF
from tests.views.conftest import APP, TIMEOUT

PAST_SUNDAY, EARLIEST = date(2025, 6, 29), date(2021, 1, 3)
DATES = [DEMO_AS_OF, PAST_SUNDAY, EARLIEST]  # the latest, a Sunday in 2025, the earliest the picker offers
COUNTIES = {"231202": "北林区", "231221": "望奎县", "231222": "兰西县", "231223": "青冈县", "231224": "庆安县",
            "231225": "明水县", "231226": "绥棱县", "231281": "安达市", "231282": "肇东市", "231283": "海伦市"}


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def text_of(at: AppTest) -> str:
    parts = ([m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
             + [s.value for s in at.subheader])
    return "\n".join(str(p) for p in parts)


def cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------- 总览


def test_overview_shows_cards_map_and_alerts(signed_in):
    at = ok(signed_in("office"))
    assert at.title[0].value == "总览"
    labels = [m.label for m in at.metric]
    assert labels[:5] == ["监测对象户数", "监测对象人数", "本周消除风险", "本周新纳入", "逾期未认定"]
    assert labels[5] == f"{DEMO_AS_OF.year}年一村一品专业村" and labels[6] == "2025年度经营性收入10万元以上村"
    assert labels[7] == "重点任务按期完成率"
    assert all(m.value not in ("", "—") for m in at.metric[:5])
    assert "目标" in at.metric[5].delta  # 较目标 says what the target is
    assert f"数据截至 {cn(DEMO_AS_OF)}" in text_of(at) and "演示数据" in text_of(at)
    assert len(at.get("plotly_chart")) == 1
    assert "本周(11月23日—11月28日)预警" in text_of(at)
    assert [b for b in at.button if b.key.startswith("alert_")], "the alerts open the lists behind them"
    assert "指标代码 M1" in text_of(at)


def test_overdue_tasks_are_listed_in_full_before_the_yellow_items(signed_in):
    from data_access import tasks
    from ui.components import md

    at = ok(signed_in("office"))
    texts = [m.value for m in at.markdown]
    titles = tasks.overdue_tasks(as_of=DEMO_AS_OF, limit=100)["title"]
    first_task = next(i for i, t in enumerate(texts) if "重点任务逾期" in t)
    listing = next(t for t in texts[first_task:] if t.startswith("- "))
    assert len(titles) and all(md(t) in listing for t in titles)
    assert first_task < next(i for i, t in enumerate(texts) if "弱质闲置项目" in t)
    assert all(next(i for i, t in enumerate(texts) if item in t) < first_task for item in ("逾期未认定", "本周超期认定")
               if any(item in t for t in texts))


def test_overview_follows_the_picked_date(signed_in):
    at = ok(signed_in("office"))
    box = at.selectbox(key="overview_as_of")
    assert box.options[0].startswith(cn(DEMO_AS_OF)) and box.options[-1].startswith(cn(EARLIEST))
    before = [m.value for m in at.metric]
    ok(box.set_value(PAST_SUNDAY).run())
    text = text_of(at)
    assert f"数据截至 {cn(PAST_SUNDAY)}" in text and f"最新数据至 {cn(DEMO_AS_OF)}" in text
    assert "本周(6月23日—6月29日)预警" in text
    assert [m.value for m in at.metric] != before
    assert at.metric[6].label == "2024年度经营性收入10万元以上村"  # the last year completed before the date
    # the picked date follows the user to the map page
    at.switch_page("views/map.py")
    ok(at.run())
    assert at.selectbox(key="map_as_of").value == PAST_SUNDAY


def test_county_account_sees_its_own_county_first(signed_in, demo_accounts):
    row = next(r for r in demo_accounts.values() if r["role"] == "county")
    at = ok(signed_in(row["username"]))
    name = COUNTIES[row["county_code"]]
    own = [m.value for m in at.markdown if m.value.startswith(f"**{name}")]
    assert len(own) == 7, own  # every card but the city-wide key tasks
    assert not re.search("名", own[0]) and "全市第" in own[4]  # 户数: no rank; 逾期未认定: ranked


@pytest.mark.parametrize("role", ["office", "county", "leader"])
def test_overview_matrix(signed_in, role):
    at = ok(signed_in(role))
    for d in DATES:
        ok(at.selectbox(key="overview_as_of").set_value(d).run())
        assert len(at.metric) == 8 and f"数据截至 {cn(d)}" in text_of(at)


def _alert_buttons(at):
    return [b for b in at.button if b.key.startswith("alert_")]


def test_alert_opens_its_list(signed_in):
    at = ok(signed_in("office"))
    first = _alert_buttons(at)[0]
    ok(first.click().run())
    table = at.dataframe[-1].value
    assert len(table) > 0 and ("户主(脱敏)" in table.columns or "项目名称" in table.columns)
    if "户主(脱敏)" in table.columns:
        assert table["户主(脱敏)"].str.contains(r"\*").all()
    assert at.download_button, "the list has its audited export"
    ok(_alert_buttons(at)[0].click().run())  # a second click closes it
    assert not at.download_button


def test_leader_gets_township_counts_behind_an_alert(signed_in):
    at = ok(signed_in("leader"))
    ok(_alert_buttons(at)[0].click().run())
    table = at.dataframe[-1].value
    assert list(table.columns) == ["乡镇", "数量"] and table["数量"].sum() > 0
    assert not at.download_button


# ---------------------------------------------------------------- 县域地图


def test_map_indicator_names_carry_no_codes(signed_in):
    at = ok(signed_in("leader", "views/map.py"))
    options = at.selectbox(key="map_indicator").options
    assert options == [i.name for i in INDICATORS.values()]
    assert not any(re.search(r"[MGIT]\d", o) for o in options)


def test_map_every_indicator(signed_in):
    """Every indicator picked in turn in one session, as a user goes through the list: ten counties, its code, worst
    first by default where it is ranked."""
    at = ok(signed_in("leader", "views/map.py"))
    for code, ind in INDICATORS.items():
        ok(at.selectbox(key="map_indicator").set_value(code).run())
        table = at.dataframe[0].value
        assert len(table) == 10, code
        assert f"指标代码 {code}" in text_of(at), code
        if ind.ranked:
            ranks = [int(r) for r in table["rank_text"] if r != "—"]
            assert ranks == sorted(ranks, reverse=True), f"{code}: worst first by default"
            assert at.segmented_control(key="map_order").value == "落后在前", code
        else:
            assert "此项不排名" in text_of(at) or "不排名" in text_of(at), code


def test_map_drill_down_to_townships_and_villages(signed_in):
    at = ok(signed_in("office", "views/map.py"))
    ok(at.selectbox(key="map_county").set_value("231283").run())
    assert at.subheader[0].value == "海伦市:乡镇与村"
    assert "示意几何(合成)" in text_of(at)
    assert len(at.get("plotly_chart")) == 2
    towns, villages = at.dataframe[1].value, at.dataframe[2].value
    assert len(towns) == 23 and len(villages) >= 23 * 8
    assert at.download_button(key="cases_export").label.startswith("导出全部")


def test_map_matrix_every_indicator_level_and_date(signed_in):
    """Every indicator at the latest date, a Sunday of 2025 and the earliest date the picker offers, drilled into
    a county (each county in turn): no exception or error, every area present."""
    at = ok(signed_in("office", "views/map.py"))
    counties = list(COUNTIES)
    runs = 0
    for i, code in enumerate(INDICATORS):
        for j, d in enumerate(DATES):
            county = counties[(i * len(DATES) + j) % len(counties)]
            at.selectbox(key="map_indicator").set_value(code)
            at.selectbox(key="map_as_of").set_value(d)
            ok(at.selectbox(key="map_county").set_value(county).run())
            tables = [t.value for t in at.dataframe]
            assert len(tables[0]) == 10, (code, d)
            if "township" in INDICATORS[code].levels:
                assert len(tables[1]) == TOWNSHIPS[COUNTIES[county]], (code, d, county)
                assert len(tables[2]) >= 8 * TOWNSHIPS[COUNTIES[county]], (code, d, county)
            else:  # a county-only figure (I9, I10): no drill, a sentence instead
                assert len(tables) == 1 and "没有乡镇和村的分项数据" in at.info[0].value, (code, d)
            if INDICATORS[code].unit == "%":
                assert all(re.fullmatch(r"-?\d+\.\d%|—", t) for t in tables[0]["text"]), (code, d)
            runs += 1
    assert runs == len(INDICATORS) * len(DATES)


# ---------------------------------------------------------------- errors


def _boom():
    import streamlit as st

    from ui import frame

    with frame.error_boundary():
        st.write("before")
        raise RuntimeError("connection to /work/secret/path failed")


def _stops():
    import streamlit as st

    from ui import frame

    with frame.error_boundary():
        st.write("before")
        st.stop()
    st.write("never")


def test_an_error_shows_a_chinese_message_with_an_id_and_logs_the_trace(caplog):
    with caplog.at_level(logging.ERROR, logger="dashboard"):
        at = AppTest.from_function(_boom).run()
    assert not at.exception
    message = at.error[0].value
    match = re.search(r"错误编号 ([0-9a-f]{8})", message)
    assert match and "RuntimeError" not in message and "/work" not in message
    record = next(r for r in caplog.records if match.group(1) in r.getMessage())
    assert "connection to /work/secret/path failed" in caplog.text and record.exc_info


def test_stop_and_rerun_pass_through_the_error_boundary():
    at = AppTest.from_function(_stops).run()
    assert not at.error and [m.value for m in at.markdown] == ["before"]


def test_shipped_config_hides_error_details_and_table_downloads():
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
    client = config["client"]
    assert client["showErrorDetails"] == "none" and client["showErrorLinks"] is False
    assert client["disableDataExport"] is True
    assert config["server"]["maxMessageSize"] <= 10  # MB per websocket message, each way (default 200)


def test_missing_page_notice(signed_in):
    at = app()
    at.query_params["missing"] = "weekly"
    ok(at.run())
    assert any("/weekly 不存在或尚未开放" in w.value for w in at.warning)


def test_configured_database_without_data_says_so(tmp_path):
    from tests.conftest import using

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    with using(MONITORING_DB_URL=url, INDUSTRY_DB_URL=url, APP_DB_URL=url):
        at = app().run()
    assert at.error and "没有数据" in at.error[0].value
    assert not at.metric


def test_first_start_seeds_itself(tmp_path, monkeypatch):
    from tests.conftest import using

    monkeypatch.setenv("DASHBOARD_DEMO_SCALE", "0.02")
    with using(DASHBOARD_DATA_DIR=str(tmp_path)):
        at = ok(app().run())
        assert (tmp_path / "monitoring.db").is_file()
        assert at.text_input[0].label == "用户名" and not at.metric
        assert (tmp_path / "demo-accounts.csv").is_file()


def test_county_account_opens_its_own_lists_and_only_counts_elsewhere(signed_in, demo_accounts):
    row = next(r for r in demo_accounts.values() if r["role"] == "county")
    at = ok(signed_in(row["username"]))
    own = [b for b in _alert_buttons(at) if b.key.endswith(row["county_code"])]
    if own:
        ok(own[0].click().run())
        assert "乡镇" in at.dataframe[-1].value.columns and at.download_button
        assert len(at.dataframe[-1].value.columns) > 2
    other = [b for b in _alert_buttons(at) if not b.key.endswith(row["county_code"])]
    ok(other[0].click().run())
    assert list(at.dataframe[-1].value.columns) == ["乡镇", "数量"] and not at.download_button
