"""周调度 in AppTest: every section at every date for each role, progress and decisions recorded by the office and
audited, a county's own actions, and the presentation mode."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from data_access import db
from data_access.models.app import AuditLog
from tests.conftest import DEMO_AS_OF
from tests.views.conftest import ok, sign_in
from tests.views.test_assessment import own_demo  # noqa: F401 - the fixture

PAGE = "views/weekly.py"
DATES = [DEMO_AS_OF, date(2025, 6, 29), date(2021, 1, 3)]


def section(at, name: str):
    return ok(at.segmented_control(key="wk_section").set_value(name).run())


def actions_logged(action: str) -> list[str]:
    with db.engine("app").connect() as conn:
        return list(conn.execute(select(AuditLog.detail).where(AuditLog.action == action)).scalars())


@pytest.mark.parametrize("role", ["office", "county", "leader"])
def test_every_section_at_every_date(signed_in, role):
    at = ok(signed_in(role, PAGE))
    for d in DATES:
        at.selectbox(key="wk_as_of").set_value(d)
        for name in ("glance", "tasks", "actions", "briefing"):
            section(at, name)
            assert not at.error, (role, d, name, [e.value for e in at.error])
    at.selectbox(key="wk_as_of").set_value(DEMO_AS_OF)
    section(at, "actions")
    from data_access import weekly

    own = at.session_state["auth"]["account"].county
    open_own = (weekly.actions(as_of=DEMO_AS_OF, county=own)["status"] != "已完成").any() if own else False
    # the office records decisions and follow-ups; a county follows up its own open actions; the leader reads
    assert bool(at.get("form")) == (role == "office" or (role == "county" and open_own))


def test_the_county_sees_its_own_actions(own_demo):  # noqa: F811 - the fixture
    from data_access import weekly

    row = own_demo["county"]
    own = row["county_code"]
    weekly.add_action(meeting_date=date(2026, 11, 16), decision="本县专项整改", owner="本县", owner_county=own,
                      due_on=date(2026, 12, 20))
    from ui import cache

    cache.weekly.clear()  # added behind the page's back (the page's own forms clear it)
    at = section(sign_in(row["username"], row["password"], PAGE), "actions")
    ok(at.toggle(key="wk_actions_all").set_value(True).run())
    table = at.dataframe[0].value
    mine = weekly.actions(as_of=DEMO_AS_OF, county=own)
    assert len(table) == len(mine) and "本县专项整改" in table["议定事项"].tolist()
    others = weekly.actions(as_of=DEMO_AS_OF)
    assert set(table["议定事项"]) <= set(mine["decision"]) and len(others) > len(mine)
    assert "只列出本县(市)区承办" in " ".join(m.value for m in at.markdown)
    assert at.checkbox(key="wk_followup_close").disabled  # closing is the office's
    at.text_input(key="wk_followup_note").input("已制定方案")
    ok(at.button(key="FormSubmitter:wk_followup_form-保存").click().run())
    assert at.success and len(actions_logged("action_followup")) == 1


def test_office_reports_progress_and_records_a_decision(own_demo):  # noqa: F811 - the fixture
    row = own_demo["office"]
    at = section(sign_in(row["username"], row["password"], PAGE), "tasks")
    before = at.dataframe[0].value
    task = at.selectbox(key="wk_progress_task").value
    label = at.selectbox(key="wk_progress_task").format_func(task)
    at.number_input(key="wk_progress_percent").set_value(100.0)
    at.checkbox(key="wk_progress_done").check()
    at.text_input(key="wk_progress_note").input("已全部完成,验收合格")
    ok(at.button(key="FormSubmitter:wk_progress_form-保存进度").click().run())
    assert at.success and not at.error
    after = at.dataframe[0].value
    title = before.loc[before["重点任务"].map(label.startswith), "重点任务"].iloc[0]
    # done now: shown as 完成, or, for an earlier year's overdue task, no longer among this year's tasks
    assert set(after.loc[after["重点任务"] == title, "状态"]) <= {"完成"}
    assert (after["状态"] == "逾期").sum() + (after["状态"] == "滞后").sum() + (after["状态"] == "按期").sum() == \
        (before["状态"] == "逾期").sum() + (before["状态"] == "滞后").sum() + (before["状态"] == "按期").sum() - 1
    assert len(actions_logged("task_progress")) == 1 and f"#{task}" in actions_logged("task_progress")[0]
    section(at, "actions")
    at.text_input(key="wk_decision_text").input("对<b>薄弱村</b>逐村制定提升方案")
    ok(at.button(key="FormSubmitter:wk_decision_form-保存议定事项").click().run())
    assert at.success and "对<b>薄弱村</b>逐村制定提升方案" in at.dataframe[0].value["议定事项"].tolist()
    assert len(actions_logged("action_add")) == 1


def test_presentation_mode_keeps_only_the_week_picker(signed_in):
    at = section(ok(signed_in("office", PAGE)), "tasks")
    ok(at.toggle(key="wk_present").set_value(True).run())
    assert not at.multiselect and not at.get("form") and at.selectbox(key="wk_as_of")
    assert any("font-size" in h.proto.body for h in at.get("html"))


def test_the_briefing_shows_its_text_and_offers_the_documents(signed_in):
    at = section(ok(signed_in("leader", PAGE)), "briefing")
    text = " ".join(m.value for m in at.markdown)
    assert "一、考核排名" in text and "三、重点任务推进" in text and "户主" not in text
    assert {b.key for b in at.download_button} >= {"wk_docx", "wk_report_xlsx"}
