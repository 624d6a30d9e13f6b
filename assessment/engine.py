"""Scoring: each county's indicator values at a date, the office's entries, and the rules in, points out."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import and_, select

from assessment.methods import describe, points, rank_points
from assessment.rules import Rules
from data_access import areas, indicators
from data_access.db import engine
from data_access.models.app import AssessmentEntry as E
from data_access.sql import memo

SCORE_COLS = ["county", "category", "indicator", "name", "value", "numerator", "denominator", "target", "method",
              "method_text", "points", "max_points", "lost", "note"]
TOTAL_COLS = ["county", "base", "bonus", "deduction", "total", "grade", "rank", "veto", "rules_version"]
ENTRY_COLS = ["id", "county", "kind", "indicator", "points", "reason", "effective_on", "created_by", "created_at"]
KINDS = {"manual": "评定计分", "bonus": "加分", "deduction": "减分", "veto": "一票否决"}


@dataclass(frozen=True)
class Inputs:
    """What a score is computed from: counties (code, name), values (county, indicator, numerator, denominator,
    value) and the office's entries in force (ENTRY_COLS)."""

    counties: pd.DataFrame
    values: pd.DataFrame
    entries: pd.DataFrame


def scored_codes() -> list[str]:
    """Every indicator with a direction: what any rules file may score."""
    return [c for c, ind in indicators.INDICATORS.items() if ind.ranked]


def county_values(*, as_of: date, codes: list[str] | None = None) -> pd.DataFrame:
    """Each county's value of each indicator at as_of, from the same functions the pages use.

    Counts missing for a county are 0; a rate without a denominator has value NaN. Columns: county, indicator,
    numerator, denominator, value.
    """
    counties = areas.regions("county")[["code"]]
    frames = []
    with memo():
        for code in codes or scored_codes():
            frames.append(_one(code, as_of, counties))
    return pd.concat(frames, ignore_index=True)


def _one(code: str, as_of: date, counties: pd.DataFrame) -> pd.DataFrame:
    ind = indicators.INDICATORS[code]
    df = indicators.values(code, as_of=as_of, level="county").set_index("code").reindex(counties["code"])
    if ind.unit != "%":
        df[["numerator", "value"]] = df[["numerator", "value"]].fillna(0.0)
    return pd.DataFrame({"county": df.index, "indicator": code, "numerator": df["numerator"].to_numpy(),
                         "denominator": df["denominator"].to_numpy(), "value": df["value"].to_numpy()})


def entries(*, as_of: date) -> pd.DataFrame:
    """The office's entries in force at as_of: entered for as_of's year, effective on or before it, not revoked.

    Columns: ENTRY_COLS (county is a county code).
    """
    q = (select(E.id, E.county_code, E.kind, E.indicator, E.points, E.reason, E.effective_on, E.created_by,
                E.created_at)
         .where(and_(E.effective_on <= as_of, E.effective_on >= date(as_of.year, 1, 1), E.revoked_at.is_(None)))
         .order_by(E.effective_on, E.id))
    with engine("app").connect() as conn:
        return pd.DataFrame(conn.execute(q).all(), columns=ENTRY_COLS)


def inputs(*, as_of: date, codes: list[str]) -> Inputs:
    """Everything score() needs at as_of for rules scoring these codes (manual ones have no value)."""
    computed = [c for c in codes if c in indicators.INDICATORS]
    return Inputs(areas.regions("county")[["code", "name"]], county_values(as_of=as_of, codes=computed),
                  entries(as_of=as_of))


def _zero_note(rule, how: str) -> str:
    return {"full": "无考核对象(分母为0),按规则计满分", "zero": "无考核对象(分母为0),按规则计0分",
            "exclude": "无考核对象(分母为0),不参评,分值按比例分给本类其他指标"}[how]


def score(rules: Rules, data: Inputs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores (SCORE_COLS, one row per county and indicator) and totals (TOTAL_COLS) under the rules.

    Pure: the same inputs and rules always give the same table. Points are kept unrounded, so each county's
    points lost add up to 100 minus its points; totals are rounded to 2 decimals, and equal totals share a rank.
    """
    counties = data.counties["code"].tolist()
    vals = {(r["county"], r["indicator"]): r for r in data.values.to_dict("records")}
    manual = data.entries[data.entries["kind"] == "manual"]
    rows = []

    def value(county, rule):
        return vals.get((county, rule.code))
    for cat in rules.categories:
        excluded = {c: {r.code for r in cat.indicators if r.method != "manual" and r.is_rate
                        and r.zero_denominator == "exclude" and _no_value(value(c, r))} for c in counties}
        for rule in cat.indicators:
            weights = {}
            for c in counties:
                left = sum(r.weight for r in cat.indicators if r.code not in excluded[c])
                weights[c] = 0.0 if rule.code in excluded[c] else (rule.weight * cat.weight / left if left else rule.weight)
            ranks = None
            if rule.method == "rank":
                series = pd.Series({c: _v(value(c, rule)) for c in counties}, dtype=float)
                ranks = rank_points(rule, series, pd.Series(weights, dtype=float))
            for c in counties:
                w, v = weights[c], value(c, rule)
                note, val = [], _v(v)
                if rule.code in excluded[c]:
                    pts, w_shown = 0.0, 0.0
                    note.append(_zero_note(rule, "exclude"))
                elif rule.method == "manual":
                    mine = manual[(manual["county"] == c) & (manual["indicator"] == rule.code)]
                    if len(mine):
                        last = mine.iloc[-1]
                        pts = min(max(float(last["points"]), 0.0), w)
                        note.append(f"评定{pts:g}分:{last['reason']}({last['created_by']},{last['effective_on']}起)")
                    else:
                        pts = w
                        note.append("未评定,计满分")
                    w_shown = w
                elif math.isnan(val):
                    how = rule.zero_denominator or "full"
                    pts, w_shown = (w if how == "full" else 0.0), w
                    note.append(_zero_note(rule, how))
                elif ranks is not None:
                    pts, w_shown = float(ranks[c]), w
                else:
                    pts, w_shown = points(rule, val, w), w
                if excluded[c] and rule.code not in excluded[c] and abs(w - rule.weight) > 1e-9:
                    note.append(f"本类有指标不参评,分值由{rule.weight:g}分调整为{w:.2f}分")
                rows.append(dict(county=c, category=cat.name, indicator=rule.code, name=rule.title, value=val,
                                 numerator=_f(v, "numerator"), denominator=_f(v, "denominator"), target=rule.target,
                                 method=rule.method, method_text=describe(rule), points=pts, max_points=w_shown, lost=w_shown - pts,
                                 note=";".join(note)))
    scores = pd.DataFrame(rows, columns=SCORE_COLS)
    return scores, _totals(rules, scores, data)


def _totals(rules: Rules, scores: pd.DataFrame, data: Inputs) -> pd.DataFrame:
    ent = data.entries
    base = scores.groupby("county", sort=False)["points"].sum()
    out = pd.DataFrame({"county": base.index, "base": base.to_numpy()})

    def capped(kind, cap):
        s = ent[ent["kind"] == kind].groupby("county")["points"].sum().clip(lower=0)
        return out["county"].map(s).fillna(0.0).clip(upper=cap)
    out["bonus"] = capped("bonus", rules.bonus.max)
    out["deduction"] = capped("deduction", rules.deductions.max)
    out["total"] = (out["base"] + out["bonus"] - out["deduction"]).round(2)
    caps = {v.name: v.cap_grade for v in rules.veto}
    vetoes = ent[ent["kind"] == "veto"].groupby("county")["indicator"].apply(lambda s: "、".join(dict.fromkeys(s)))
    out["veto"] = [vetoes.get(c, "") for c in out["county"]]
    grades = []
    for total, veto in zip(out["total"], out["veto"], strict=True):
        names = [n for n in veto.split("、") if n]
        cap = _lowest([caps.get(n, "较差") for n in names]) if names else None
        grades.append(rules.grade(total, bool(names), cap))
    out["grade"] = grades
    out["rank"] = out["total"].rank(ascending=False, method="min").astype(int)
    out["rules_version"] = rules.version
    return out[TOTAL_COLS].sort_values(["rank", "county"]).reset_index(drop=True)


def _lowest(grades: list[str]) -> str:
    order = ["好", "较好", "一般", "较差"]
    return max(grades, key=order.index)


def _no_value(v) -> bool:
    return v is None or pd.isna(v["value"])


def _v(v) -> float:
    return float("nan") if _no_value(v) else float(v["value"])


def _f(v, col: str) -> float:
    return float("nan") if v is None or pd.isna(v[col]) else float(v[col])


def add_entry(*, county: str, kind: str, points: float, reason: str, effective_on: date, username: str,
              indicator: str | None = None) -> int:
    """Record an entry of the office (the caller audits it); returns its id."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if not reason.strip():
        raise ValueError("须写明理由")
    with engine("app").begin() as conn:
        res = conn.execute(E.__table__.insert().values(
            county_code=county, kind=kind, indicator=indicator, points=float(points), reason=reason.strip()[:300],
            effective_on=effective_on, created_by=username, created_at=datetime.now()))
        return int(res.inserted_primary_key[0])


def revoke_entry(entry_id: int, *, username: str) -> None:
    """Withdraw an entry from scores computed from now on (stored weeks keep what they used)."""
    with engine("app").begin() as conn:
        conn.execute(E.__table__.update().where(E.id == entry_id, E.revoked_at.is_(None))
                     .values(revoked_by=username, revoked_at=datetime.now()))


def all_entries(*, year: int) -> pd.DataFrame:
    """Every entry of a year, revoked ones too (the page lists them). Columns: ENTRY_COLS + revoked_by, revoked_at."""
    q = (select(E.id, E.county_code, E.kind, E.indicator, E.points, E.reason, E.effective_on, E.created_by,
                E.created_at, E.revoked_by, E.revoked_at)
         .where(E.effective_on >= date(year, 1, 1), E.effective_on <= date(year, 12, 31)).order_by(E.id.desc()))
    with engine("app").connect() as conn:
        return pd.DataFrame(conn.execute(q).all(), columns=[*ENTRY_COLS, "revoked_by", "revoked_at"])

