"""AppTest of every page: no exception, the expected elements, widgets that change the view."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_access.indicators import INDICATORS
from tests.views.conftest import APP, TIMEOUT


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def text_of(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


def test_overview_shows_cards_map_and_alerts(signed_in):
    at = ok(signed_in("office"))
    assert at.title[0].value == "总览"
    labels = [m.label for m in at.metric]
    assert labels[:5] == ["监测对象户数", "监测对象人数", "在监测案例", "本周新纳入", "逾期未认定"]
    assert any("一村一品" in x for x in labels) and any("10万元" in x for x in labels)
    assert any("重点任务" in x for x in labels)
    assert all(m.value not in ("", "—") for m in at.metric[:5])
    assert "数据截至 2026年11月28日" in text_of(at)
    assert "演示数据" in text_of(at)
    assert len(at.get("plotly_chart")) == 1
    assert len(at.dataframe) == 1 and not at.dataframe[0].value.empty
    assert "口径说明(M1)" in text_of(at)


def test_overview_previous_week(signed_in):
    at = ok(signed_in("office"))
    box = at.selectbox(key="overview_as_of")
    assert len(box.options) >= 10
    before = [m.value for m in at.metric]
    ok(box.select_index(3).run())
    assert [m.value for m in at.metric] != before


@pytest.mark.parametrize("code", list(INDICATORS))
def test_map_every_indicator(signed_in, code):
    at = ok(signed_in("leader", "views/map.py"))
    assert at.title[0].value == "县域地图"
    ok(at.selectbox(key="map_indicator").set_value(code).run())
    table = at.dataframe[0].value
    assert len(table) == 10
    assert f"口径说明({code})" in text_of(at)
    ranks = table["rank"].dropna().tolist()
    assert ranks == sorted(ranks) and (not ranks or ranks[0] == 1)


def test_map_drill_down_to_townships_and_villages(signed_in):
    at = ok(signed_in("office", "views/map.py"))
    ok(at.selectbox(key="map_county").set_value("231283").run())
    assert at.subheader[0].value == "海伦市:乡镇与村"
    assert "示意几何(合成)" in text_of(at)
    assert len(at.get("plotly_chart")) == 2
    towns, villages = at.dataframe[1].value, at.dataframe[2].value
    assert len(towns) == 23 and len(villages) >= 23 * 8


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
