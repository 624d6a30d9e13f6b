"""大屏 in AppTest: every panel renders for the screen account, nothing on it is a widget or a row about a person
(the data layer refuses the screen role any row), and a new data date shows on the next panel without a reload."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from data_access import db, lists
from data_access.models.monitoring import DatasetInfo
from data_access.scope import AccessDenied, Scope
from tests.conftest import DEMO_AS_OF
from tests.views.conftest import ok, sign_in
from tests.views.test_assessment import own_demo  # noqa: F401 - the fixture
from ui.screen import PANELS

PAGE = "views/screen.py"


def panel(at, index: int):
    at.session_state["screen_index"] = index - 1  # the rotation shows index next
    return ok(at.run())


def test_every_panel_renders_without_widgets(signed_in):
    at = ok(signed_in("screen"))
    for i, name in enumerate(PANELS.values()):
        panel(at, i)
        assert not at.error and not at.exception, (name, [e.value for e in at.error])
        header = " ".join(m.value for m in at.markdown)
        assert name in header and "数据截至 2026年11月28日" in header
        assert not at.main.selectbox and not at.main.button and not at.main.text_input and not at.main.dataframe
    panel(at, len(PANELS))  # round again to the first
    assert "核心指标" in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("name", ["overdue_cases", "unvisited_cases", "weak_projects", "unsafe_housing"])
def test_the_screen_role_may_read_no_rows(demo_data, name):
    with pytest.raises(AccessDenied):
        getattr(lists, name)(Scope("screen", "screen"), as_of=DEMO_AS_OF)


def test_a_new_data_date_shows_on_the_next_panel(own_demo):  # noqa: F811 - the fixture
    row = own_demo["screen"]
    at = ok(sign_in(row["username"], row["password"]))
    assert "数据截至 2026年11月28日" in " ".join(m.value for m in at.markdown)
    with db.engine("monitoring").begin() as conn:  # what an import of newer data does to the data date
        conn.execute(update(DatasetInfo).where(DatasetInfo.key == "data_date").values(value="2026-11-22"))
    try:
        panel(at, 2)
        assert "数据截至 2026年11月22日" in " ".join(m.value for m in at.markdown) and not at.error
        assert date(2026, 11, 22).weekday() == 6
    finally:
        from ui import cache

        cache.clear()  # the caches are the process's: the next tests read the demo folder's own data date
