"""The assessment on SQLite, PostgreSQL and MariaDB: T1 and T2 per county by hand, weekly snapshots scored once and
kept through a rules change, and the office's entries changing the current week only."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from assessment import board, rules, snapshots
from data_access import db, indicators
from data_access.models.app import KeyTask
from tests.data_access.fixture import BL, WK, D

SUNDAY = date(2026, 11, 22)  # the last finished week before D (a Saturday)


def _values(code: str) -> dict[str, tuple[float, float]]:
    df = indicators.values(code, as_of=D)
    return {r["code"]: (r["numerator"], r["denominator"]) for r in df.to_dict("records")}


def test_key_tasks_count_for_the_counties_they_name(backend):
    # fixture tasks are all 全市. Due in 2026 up to D: 1, 2, 3, 5, 6, 7 (4 is due 12-31); on time: 1 (10-20 ≤ 10-31)
    # and 5 (11-24 ≤ 11-25); overdue at D: 3 (open) and 6 (completed 12-05, after D); 7 is due on D, not overdue.
    assert _values("T1") == {WK: (2, 6), BL: (2, 6)}
    assert _values("T2")[WK][0] == 2
    with db.engine("app").begin() as conn:
        base = dict(year=2026, plan_section="二(一)2", category="监测帮扶", lead_department="部门", target="完成")
        conn.execute(KeyTask.__table__.insert(), [
            dict(id=8, title="北林区任务", counties=BL, deadline=date(2026, 11, 1), completed_on=None, **base),
            dict(id=9, title="两县去年任务", counties=f"{WK},{BL}", deadline=date(2025, 6, 30), completed_on=None,
                 **base)])
    try:
        # 8 is due and overdue for 北林区 only; 9 is last year's: overdue for both, not due this year
        assert _values("T1") == {WK: (2, 6), BL: (2, 7)}
        assert {k: v[0] for k, v in _values("T2").items()} == {WK: 3, BL: 4}
        city = indicators.values("T2", as_of=D, level="city")
        assert city["numerator"].tolist() == [4]  # 3, 6, 8, 9: each task once
        assert indicators.values("T1", as_of=D, level="township").empty  # no breakdown below the county
    finally:
        with db.engine("app").begin() as conn:
            conn.execute(KeyTask.__table__.delete().where(KeyTask.id.in_([8, 9])))


def test_a_finished_week_is_scored_once_and_kept(backend, tmp_path, monkeypatch):
    scores, totals = snapshots.official(SUNDAY, D)
    assert set(totals["county"]) == {WK, BL} and totals["rules_version"].iloc[0] == "2026.1"
    assert scores.groupby("county")["max_points"].sum().round(6).tolist() == [100.0, 100.0]
    again = snapshots.official(SUNDAY, D)[1]
    assert again[["county", "total", "rank"]].equals(totals[["county", "total", "rank"]])
    snapshots._store(SUNDAY, scores, totals)  # a second process storing the same week: its rows stand, no error
    assert (snapshots.history()["week_end"] == SUNDAY).sum() == 2
    provisional = snapshots.official(D, D)[1]
    # a new rules file now in force for the whole period, with other weights
    for src in rules.RULES_DIR.glob("*.yaml"):
        shutil.copy(src, tmp_path / src.name)
    text = (tmp_path / "2026.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2026.1"', 'version: "2026.2"').replace("{code: M4, weight: 5,", "{code: M4, weight: 1,")
    text = text.replace("{code: M7, weight: 3,", "{code: M7, weight: 7,")  # 4 points from a kept item to a lost one
    (tmp_path / "2026.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(rules, "RULES_DIR", tmp_path)
    kept = snapshots.official(SUNDAY, D)[1]
    assert kept.equals(snapshots._read(SUNDAY)[1]) and kept["rules_version"].iloc[0] == "2026.1"
    assert kept[["county", "total"]].equals(totals[["county", "total"]])
    redone = snapshots.compute(SUNDAY)[1]
    assert redone["rules_version"].iloc[0] == "2026.2"
    assert (redone.set_index("county")["total"] - totals.set_index("county")["total"]).round(2).tolist() == [-4, -4]
    current = snapshots.official(D, D)[1]  # the data date is provisional: scored again under the rules now in force
    assert current["rules_version"].iloc[0] == "2026.2"
    assert provisional["rules_version"].iloc[0] == "2026.1"
    assert current[["county", "total", "rank"]].equals(snapshots.compute(D)[1][["county", "total", "rank"]])


def test_entries_change_the_current_week_only(backend):
    before = snapshots.official(D, D)[1].set_index("county")["total"]
    week = snapshots.official(SUNDAY, D)[1].set_index("county")["total"]
    entry = board.enter(county=WK, kind="deduction", points=3.0, reason="督查发现问题", indicator=None,
                        username="office", data_date=D)
    after = snapshots.official(D, D)[1].set_index("county")["total"]
    assert after[WK] == pytest.approx(before[WK] - 3) and after[BL] == before[BL]
    assert snapshots.official(SUNDAY, D)[1].set_index("county")["total"].equals(week)
    table = board.entries_table(year=2026)
    assert table.loc[table["id"] == entry, "state"].item() == "有效"
    board.revoke(entry_id=entry, username="office", data_date=D)
    assert snapshots.official(D, D)[1].set_index("county")["total"][WK] == pytest.approx(before[WK])
    assert board.entries_table(year=2026).loc[lambda t: t["id"] == entry, "state"].item() == "已撤销(office)"


@pytest.mark.parametrize("kind,points,item,says", [
    ("manual", 5.0, "X1", "须在0至4分之间"), ("manual", 2.0, None, "请选择评定计分的指标"),
    ("bonus", 0.0, None, "须大于0"), ("veto", 0.0, "发生大事", "请选择一票否决事项"),
    ("deduction", 1.0, None, ""),
])
def test_an_entry_that_does_not_fit_the_rules_is_refused(backend, kind, points, item, says):
    reason = "" if not says else "理由"
    with pytest.raises(ValueError, match=says or "请写明理由"):
        board.enter(county=WK, kind=kind, points=points, reason=reason, indicator=item, username="office", data_date=D)


def test_backfill_scores_each_week_once(backend):
    all_weeks = snapshots.weeks(D)
    assert all_weeks[0] == date(2021, 1, 3) and all_weeks[-2] == SUNDAY and all_weeks[-1] == D
    assert len(all_weeks) == 309  # 308 Sundays from 2021-01-03 to 2026-11-22, then the data date
    first = snapshots.backfill(D, since=date(2026, 10, 4))
    again = snapshots.backfill(D, since=date(2026, 10, 4))
    assert first["weeks"] >= 5 and again["weeks"] == 0
    h = snapshots.history()
    recent = h[h["week_end"] >= date(2026, 10, 4)]
    assert recent.groupby("week_end").size().eq(2).all()  # both counties, once each
    assert set(recent["week_end"]) == {w for w in all_weeks if w >= date(2026, 10, 4)}


def test_whatif_rescores_without_storing(backend):
    official = board.ranking(as_of=D).set_index("county")["total"]  # stores D and the week before it
    stored = snapshots.history()
    moved, error = board.simulate(as_of=D, weights={"M9": 1.0, "M7": 6.0}, targets={})
    assert error is None
    sim = moved.set_index("county")
    # both counties keep all of M9 (no violating elimination) and none of M7: 3 points moved from one to the other
    assert ((sim["total"] - official).round(2) == -3).all() and (sim["official_total"] == official).all()
    lower, error = board.simulate(as_of=D, weights={}, targets={"M7": 0.5}, floors={"M7": 0.0})
    assert error is None  # 风险措施匹配率 of 50% or more now earns full marks, and less earns a share
    assert (lower.set_index("county")["total"] > official).any() and (lower.set_index("county")["total"] >= official).all()
    _, error = board.simulate(as_of=D, weights={}, targets={"M7": 0.5})
    assert "第4个二级指标(M7):floor(不得分线)0.75 须低于 target(满分线)0.5" in error
    _, error = board.simulate(as_of=D, weights={"M4": 9.0}, targets={})
    assert error == "文件整体:一级指标分值合计 104,应为100"
    _, error = board.simulate(as_of=D, weights={"M5": 0.0}, targets={})
    assert "第1个一级指标(防返贫监测帮扶) → 第2个二级指标(M5) → 分值:须大于0" in error
    assert snapshots.history().equals(stored)  # nothing stored by a simulation


def test_the_stable_interface(backend):
    import assessment

    scores = assessment.scores(as_of=SUNDAY)
    assert {"county", "category", "indicator", "value", "target", "method", "points", "max_points"} <= set(scores)
    assert set(scores["method"]) <= set(rules.METHODS) and len(scores) == 2 * 24
    totals = assessment.totals(as_of=SUNDAY)
    assert {"county", "total", "grade", "rank"} <= set(totals) and list(totals["rank"]) == [1, 2]


def test_category_points_add_up_to_the_points_before_bonus_and_deductions(backend):
    wide, cats = board.category_matrix(as_of=SUNDAY)
    assert [c["code"] for c in cats] == ["防返贫监测帮扶", "两不愁三保障及饮水", "产业与就业", "一村一品", "村级集体经济",
                                         "重点任务推进"]
    for _, row in wide.iterrows():
        assert sum(row[c["code"]] for c in cats) == pytest.approx(row["base"])
        assert 0 <= row["share_产业与就业"] <= 1
