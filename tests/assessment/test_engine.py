"""The engine against a table scored by hand: every method, each zero-denominator rule, a veto, a bonus over its
cap, a deduction over its cap, a manual score (and one over its weight) and a tie."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from assessment import engine
from assessment.rules import parse

RULES = """
version: "t.1"
effective_from: 2021-01-01
grades: {好: 90, 较好: 70, 一般: 55}
veto: [{name: 发生规模性返贫, cap_grade: 一般}]
bonus: {max: 3}
deductions: {max: 5}
categories:
  - name: 监测
    weight: 40
    indicators:
      - {code: M4, weight: 10, method: threshold, target: 0.9, floor: 0.7, zero_denominator: exclude}
      - {code: M6, weight: 10, method: attainment, target: 0.8, zero_denominator: full}
      - {code: M5, weight: 10, method: zero_tolerance, deduction: 2}
      - {code: G3, weight: 10, method: deduct_per_step, target: 0.99, step: 0.01, deduction: 3, zero_denominator: zero}
  - name: 产业
    weight: 40
    indicators:
      - {code: I1, weight: 10, method: rank, deduction: 3}
      - {code: G2, weight: 10, method: all_or_nothing, target: 0}
      - {code: M9, weight: 10, method: threshold, target: 0, floor: 4}
      - {code: X1, name: 督查评价, weight: 10, method: manual}
  - name: 任务
    weight: 20
    indicators:
      - {code: T1, weight: 10, method: attainment, target: 1.0, zero_denominator: full}
      - {code: T2, weight: 10, method: attainment, target: 1}
"""
NAN = np.nan
VALUES = {  # county -> indicator -> value (NaN: a rate whose denominator is zero)
    "a": dict(M4=0.95, M6=0.8, M5=0, G3=0.99, I1=20, G2=0, M9=0, T1=1.0, T2=0),
    "b": dict(M4=0.8, M6=0.4, M5=3, G3=0.975, I1=20, G2=1, M9=1, T1=0.5, T2=2),
    "c": dict(M4=NAN, M6=0.6, M5=6, G3=NAN, I1=15, G2=0, M9=4, T1=NAN, T2=1),
    "d": dict(M4=0.7, M6=NAN, M5=1, G3=0.96, I1=5, G2=0, M9=2, T1=0.9, T2=4),
}
W = 40 / 30  # c's 监测 indicators after M4 is excluded: each 10 × 40/30
POINTS = {  # worked out by hand from DESIGN.md §4.1
    "a": dict(M4=10, M6=10, M5=10, G3=10, I1=10, G2=10, M9=10, X1=10, T1=10, T2=10),
    "b": dict(M4=5, M6=5, M5=4, G3=7, I1=10, G2=0, M9=7.5, X1=6, T1=5, T2=5),
    "c": dict(M4=0, M6=10 * W * 0.75, M5=10 * W - 12, G3=0, I1=4, G2=10, M9=0, X1=10, T1=10, T2=10),
    "d": dict(M4=0, M6=10, M5=8, G3=1, I1=1, G2=10, M9=5, X1=10, T1=9, T2=2.5),
}
ENTRIES = [  # county, kind, indicator, points
    ("b", "manual", "X1", 6.0), ("d", "manual", "X1", 12.0),  # 12 is over the weight: 10
    ("b", "bonus", None, 2.0), ("b", "bonus", None, 2.0),  # 4 over a cap of 3
    ("d", "bonus", None, 1.0), ("c", "deduction", None, 7.0),  # 7 over a cap of 5
    ("a", "veto", "发生规模性返贫", 0.0),
]


def _inputs() -> engine.Inputs:
    counties = pd.DataFrame({"code": list(VALUES), "name": ["甲县", "乙县", "丙县", "丁县"]})
    rows = [dict(county=c, indicator=k, numerator=v, denominator=NAN if np.isnan(v) else 1.0, value=v)
            for c, vals in VALUES.items() for k, v in vals.items()]
    entries = pd.DataFrame([dict(id=i, county=c, kind=k, indicator=ind, points=p, reason=f"理由{i}",
                                 effective_on=date(2026, 3, 1), created_by="office", created_at=None)
                            for i, (c, k, ind, p) in enumerate(ENTRIES, start=1)], columns=engine.ENTRY_COLS)
    return engine.Inputs(counties, pd.DataFrame(rows), entries)


@pytest.fixture(scope="module")
def scored():
    return engine.score(parse(RULES, where="test.yaml"), _inputs())


def test_every_method_scores_as_worked_out_by_hand(scored):
    scores, _ = scored
    got = scores.pivot(index="county", columns="indicator", values="points")
    for county, expected in POINTS.items():
        for code, pts in expected.items():
            assert got.at[county, code] == pytest.approx(pts, abs=1e-9), (county, code)


def test_zero_denominators_follow_the_rules_file(scored):
    scores, _ = scored
    c = scores[scores["county"] == "c"].set_index("indicator")
    assert c.at["M4", "max_points"] == 0 and "不参评" in c.at["M4", "note"]  # exclude
    assert c.at["M6", "max_points"] == pytest.approx(10 * W) and "调整为13.33分" in c.at["M6", "note"]
    assert c.at["G3", "points"] == 0 and "计0分" in c.at["G3", "note"]  # zero
    assert c.at["T1", "points"] == 10 and "计满分" in c.at["T1", "note"]  # full
    assert scores[scores["county"] == "c"]["max_points"].sum() == pytest.approx(100)


def test_totals_caps_veto_and_a_shared_rank(scored):
    _, totals = scored
    t = totals.set_index("county")
    assert t.at["a", "total"] == 100 and t.at["a", "grade"] == "一般" and t.at["a", "veto"] == "发生规模性返贫"
    assert t.at["b", "bonus"] == 3 and t.at["b", "total"] == 57.5 and t.at["b", "grade"] == "一般"
    assert t.at["d", "total"] == 57.5 and t.at["d", "deduction"] == 0
    assert t.at["c", "deduction"] == 5 and t.at["c", "total"] == round(sum(POINTS["c"].values()) - 5, 2) == 50.33
    assert t.at["c", "grade"] == "较差"
    assert dict(t["rank"]) == {"a": 1, "b": 2, "d": 2, "c": 4}  # b and d tie at 57.5; the next rank is 4
    assert list(totals["county"]) == ["a", "b", "d", "c"]


def test_explanations_add_up_to_the_points_lost(scored):
    scores, totals = scored
    lost = scores.groupby("county")["lost"].sum()
    for row in totals.itertuples():
        assert lost[row.county] == pytest.approx(100 - row.base, abs=1e-9)
    b = scores[(scores["county"] == "b") & (scores["indicator"] == "X1")].iloc[0]
    assert "评定6分" in b["note"] and "office" in b["note"]
    assert scores[(scores["county"] == "d") & (scores["indicator"] == "X1")]["points"].iloc[0] == 10


def test_the_same_inputs_give_the_same_table(scored):
    again = engine.score(parse(RULES, where="test.yaml"), _inputs())
    pd.testing.assert_frame_equal(again[0], scored[0])
    pd.testing.assert_frame_equal(again[1], scored[1])


def test_deduct_per_step_counts_whole_steps_despite_float_error():
    from assessment.methods import points

    rule = parse(RULES, where="t").categories[0].indicators[3]
    assert points(rule, 0.96, 10) == 1  # (0.99 - 0.96) / 0.01 is 2.9999999999999973 in floating point
    assert points(rule, 0.9899, 10) == 10  # short by less than one step
    assert points(rule, 0.5, 10) == 0  # never below zero
