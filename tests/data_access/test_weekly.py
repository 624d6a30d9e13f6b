"""周调度 on SQLite, PostgreSQL and MariaDB: key-task status by hand, progress reports (one per week, completion),
meeting actions with their status, owner county and follow-ups, and the week's movers from the snapshots."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, update

from assessment import snapshots
from data_access import db, weekly
from data_access.models.app import KeyTask, TaskProgress
from tests.data_access.fixture import BL, WK, D


def _status(as_of: date = D) -> dict[int, str]:
    return dict(zip(*weekly.key_tasks(as_of=as_of)[["id", "status"]].T.values, strict=True))


def test_key_task_status_by_hand(backend):
    # 1 done 10-20 (deadline 10-31), 2 done late 10-15, 5 done 11-24: 完成. 3 open past 11-15 and 6 completed only
    # on 12-05 (after D): 逾期. 4 (12-31) and 7 (due on D) have no progress reported: 滞后.
    assert _status() == {1: "完成", 2: "完成", 3: "逾期", 4: "滞后", 5: "完成", 6: "逾期", 7: "滞后"}
    df = weekly.key_tasks(as_of=D).set_index("id")
    assert df.at[3, "days_over"] == 13 and df.at[6, "days_over"] == 18 and df.at[6, "completed_on"] is None
    assert df.at[4, "expected"] == pytest.approx(round(100 * 331 / 364, 1))  # 1 January to D of 1 January to 31 December
    assert weekly.task_counts(weekly.key_tasks(as_of=D)) == {"逾期": 2, "滞后": 2, "按期": 0, "完成": 3}
    assert _status(date(2026, 10, 1))[6] == "滞后"  # not yet due then, and no progress reported


def test_progress_reports_replace_the_week_and_complete(backend):
    try:
        weekly.report_progress(task_id=4, as_of=D, percent=95, note="已完成九成", username="office")
        assert _status()[4] == "按期"  # 95% against 90.9% of the time elapsed
        weekly.report_progress(task_id=4, as_of=D, percent=50, note="更正:完成一半", username="office")
        row = weekly.key_tasks(as_of=D).set_index("id").loc[4]
        assert row["percent"] == 50 and row["note"] == "更正:完成一半" and row["status"] == "滞后"
        assert row["week_end"] == date(2026, 11, 29) and row["reported_by"] == "office"
        with pytest.raises(ValueError, match="标记完成时进度须为100%"):
            weekly.report_progress(task_id=7, as_of=D, percent=90, note="x", username="office", completed=True)
        with pytest.raises(ValueError, match="请填写进展情况说明"):
            weekly.report_progress(task_id=7, as_of=D, percent=90, note=" ", username="office")
        weekly.report_progress(task_id=7, as_of=D, percent=100, note="已完成", username="office", completed=True)
        assert _status()[7] == "完成"
    finally:
        with db.engine("app").begin() as conn:
            conn.execute(delete(TaskProgress))
            conn.execute(update(KeyTask).where(KeyTask.id == 7).values(completed_on=None))


def test_meeting_actions_status_owner_and_followups(backend):
    late = weekly.add_action(meeting_date=date(2026, 11, 16), decision="督促逾期未认定", owner="北林区", owner_county=BL,
                             due_on=date(2026, 11, 20))
    running = weekly.add_action(meeting_date=date(2026, 11, 16), decision="推进闲置项目盘活", owner="市农业农村局",
                                owner_county=None, due_on=date(2026, 12, 10))
    everyone = weekly.add_action(meeting_date=date(2026, 11, 2), decision="补访未走访监测户", owner="各县(市)区",
                                 owner_county=None, due_on=date(2026, 11, 30))
    with pytest.raises(ValueError, match="完成时限不能早于会议日期"):
        weekly.add_action(meeting_date=D, decision="x", owner="北林区", owner_county=BL, due_on=date(2026, 11, 1))
    df = weekly.actions(as_of=D).set_index("id")
    assert df.at[late, "status"] == "逾期" and df.at[late, "days_over"] == 8 and df.at[late, "last_week"]
    assert df.at[running, "status"] == "进行中" and not df.at[everyone, "last_week"]
    assert list(weekly.actions(as_of=D)["id"])[:2] == [late, running]  # last week's meeting first
    assert set(weekly.actions(as_of=D, county=BL)["id"]) == {late, everyone}
    assert set(weekly.actions(as_of=D, county=WK)["id"]) == {everyone}
    assert weekly.actions(as_of=date(2026, 11, 10))["id"].tolist() == [everyone]  # decided on or before the date
    weekly.add_followup(action_id=late, at=D, note="已督促", evidence="绥乡振办〔2026〕12号", username="county_bl")
    weekly.close_action(action_id=late, on=D)
    df = weekly.actions(as_of=D).set_index("id")
    assert df.at[late, "status"] == "已完成" and "11月28日 已督促(佐证:绥乡振办〔2026〕12号)" in df.at[late, "followups"]
    assert weekly.actions(as_of=date(2026, 11, 27)).set_index("id").at[late, "status"] == "逾期"  # closed after then


def test_movers_come_from_the_stored_weeks(backend):
    snapshots.official(date(2026, 11, 22), D)
    snapshots.official(D, D)
    df = weekly.movers(as_of=D, before=date(2026, 11, 22))
    assert set(df["county"]) <= {WK, BL} and (df["after"] != df["before"]).all()
    for r in df.itertuples():  # better means the county moved the right way for the indicator
        from data_access.indicators import INDICATORS

        up = r.after > r.before
        assert r.better == (up if INDICATORS[r.indicator].better == "high" else not up)
    assert weekly.movers(as_of=D, before=date(2020, 1, 5)).empty  # a week never stored: nothing to compare


def test_a_date_before_any_task_or_meeting(backend):
    assert weekly.key_tasks(as_of=date(2021, 1, 3)).empty and weekly.actions(as_of=date(2021, 1, 3)).empty
    assert weekly.task_counts(weekly.key_tasks(as_of=date(2021, 1, 3))) == {"逾期": 0, "滞后": 0, "按期": 0, "完成": 0}
