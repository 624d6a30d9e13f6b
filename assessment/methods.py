"""The scoring methods of DESIGN.md §4.1: pure functions of a value, a rule and the points available."""

from __future__ import annotations

import math

import pandas as pd

from assessment.rules import TOLERANCE, Rule


def points(rule: Rule, value: float, weight: float) -> float:
    """Points for one county's value under a rule whose weight (after any redistribution) is `weight`.

    rank and manual are scored elsewhere (they need the other counties, or the office's entry).
    """
    w, v, t, high = weight, float(value), rule.target, rule.better == "high"
    m = rule.method
    if m == "attainment":
        if high:
            return w * min(v / t, 1.0)
        return w if v <= 0 else w * min(t / v, 1.0)
    if m == "threshold":
        lo, hi = (rule.floor, t) if high else (t, rule.floor)
        if (v >= t - TOLERANCE) if high else (v <= t + TOLERANCE):
            return w
        if (v <= rule.floor + TOLERANCE) if high else (v >= rule.floor - TOLERANCE):
            return 0.0
        share = (v - lo) / (hi - lo)
        return w * (share if high else 1 - share)
    if m == "deduct_per_step":
        shortfall = (t - v) if high else (v - t)
        if shortfall <= TOLERANCE:
            return w
        return max(w - rule.deduction * math.floor(shortfall / rule.step + TOLERANCE), 0.0)
    if m == "all_or_nothing":
        meets = v >= t - TOLERANCE if high else v <= t + TOLERANCE
        return w if meets else 0.0
    if m == "zero_tolerance":
        return max(w - rule.deduction * v, 0.0)
    raise ValueError(f"{m} is not scored from a value alone")


def rank_points(rule: Rule, values: pd.Series, weights: pd.Series) -> pd.Series:
    """rank: the best county full marks, a fixed step down per rank (ties share the best rank); no value: NaN."""
    rank = values.rank(ascending=rule.better == "low", method="min")
    return (weights - rule.deduction * (rank - 1)).clip(lower=0).where(values.notna())


def describe(rule: Rule) -> str:
    """The method in words with its numbers, for the explanation beside a score."""
    from assessment.rules import METHOD_NAMES

    t = rule.target
    pct = rule.is_rate

    def f(x):
        return f"{x * 100:g}%" if pct else f"{x:g}"
    m = rule.method
    if m == "attainment":
        return f"{METHOD_NAMES[m]}:目标{f(t)}"
    if m == "threshold":
        return f"{METHOD_NAMES[m]}:{f(t)}满分,{f(rule.floor)}不得分"
    if m == "deduct_per_step":
        return f"{METHOD_NAMES[m]}:目标{f(t)},每差{f(rule.step)}扣{rule.deduction:g}分"
    if m == "all_or_nothing":
        return f"{METHOD_NAMES[m]}:目标{f(t)}"
    if m in ("zero_tolerance", "rank"):
        return f"{METHOD_NAMES[m]}:每{'个' if m == 'zero_tolerance' else '名'}扣{rule.deduction:g}分"
    return METHOD_NAMES[m]
