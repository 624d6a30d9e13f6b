"""What the 考核排名 page shows, computed from the official scores: the matrix with rank changes, a county's lost
points, the history, the rules in force, and what-if scoring."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from pydantic import ValidationError

from assessment import engine as eng
from assessment import rules as rules_mod
from assessment import snapshots
from data_access import areas, indicators
from data_access.periods import cn_date

FIRST_WEEK = date(2021, 1, 3)  # the first Sunday of the transition period
DRILLS = {"M4", "M5", "M6", "M7", "M8", "M9", "M10", "M11", "G1", "G2", "G3", "G4", "I6", "I7", "T2"}


def previous_week(as_of: date) -> date:
    """The Sunday of the last finished week before as_of (as_of − 7 when as_of is a Sunday)."""
    back = (as_of.weekday() + 1) % 7
    return as_of - timedelta(days=back or 7)


def _names() -> dict[str, str]:
    return dict(areas.regions("county")[["code", "name"]].itertuples(index=False))


def change_text(before: float | None, now: int) -> str:
    """↑2 / ↓1 / — against last week's rank; 新 when there is none."""
    if before is None or pd.isna(before):
        return "新"
    d = int(before) - int(now)
    return "—" if d == 0 else (f"↑{d}" if d > 0 else f"↓{-d}")


def ranking(*, as_of: date) -> pd.DataFrame:
    """One row per county, best first: county, name, total, grade, rank, change (text), change_n (places gained),
    gap (points behind the county above; 0 for the first), base, bonus, deduction, veto, rules_version."""
    _, totals = snapshots.official(as_of)
    last = previous_week(as_of)
    before = snapshots.official(last)[1] if last >= FIRST_WEEK else pd.DataFrame(columns=eng.TOTAL_COLS)
    df = totals.copy()
    prev = before.set_index("county")["rank"] if len(before) else pd.Series(dtype=float)
    df["name"] = df["county"].map(_names()).fillna(df["county"])
    df["change"] = [change_text(prev.get(c), r) for c, r in zip(df["county"], df["rank"], strict=True)]
    df["change_n"] = [(int(prev[c]) - int(r)) if c in prev.index else np.nan
                      for c, r in zip(df["county"], df["rank"], strict=True)]
    higher = df["total"].shift(1)
    df["gap"] = (higher - df["total"]).fillna(0.0).round(2)
    return df


def matrix(*, as_of: date) -> tuple[pd.DataFrame, list[dict]]:
    """The score matrix: one row per county (ranking()'s columns) plus, per indicator code, its points and
    `share_<code>` (the share of its points kept). Returns the frame and the indicator columns in rules order
    (code, name, category, max_points)."""
    scores, _ = snapshots.official(as_of)
    rank = ranking(as_of=as_of)
    pts = scores.pivot(index="county", columns="indicator", values="points")
    mx = scores.pivot(index="county", columns="indicator", values="max_points")
    share = (pts / mx.where(mx > 0)).add_prefix("share_")
    out = rank.merge(pts.reset_index(), on="county").merge(share.reset_index(), on="county")
    first = scores.drop_duplicates("indicator")
    cols = [dict(code=r.indicator, name=r.name, category=r.category,
                 max_points=float(scores.loc[scores["indicator"] == r.indicator, "max_points"].max()))
            for r in first.itertuples()]
    return out, cols


def category_matrix(*, as_of: date) -> tuple[pd.DataFrame, list[dict]]:
    """The matrix by category (一级指标): ranking()'s columns plus, per category, its points and `share_<category>`;
    the categories in rules order (code = name, name, category, max_points)."""
    scores, _ = snapshots.official(as_of)
    cats = scores.groupby(["county", "category"], sort=False)[["points", "max_points"]].sum().reset_index()
    order = list(dict.fromkeys(scores["category"]))
    pts = cats.pivot(index="county", columns="category", values="points")[order]
    mx = cats.pivot(index="county", columns="category", values="max_points")[order]
    share = (pts / mx.where(mx > 0)).add_prefix("share_")
    out = ranking(as_of=as_of).merge(pts.reset_index(), on="county").merge(share.reset_index(), on="county")
    return out, [dict(code=c, name=c, category=c, max_points=float(mx[c].max())) for c in order]


def _fmt(value: float, code: str) -> str:
    if code in indicators.INDICATORS:
        return indicators.format_value(value, indicators.INDICATORS[code].unit)
    return "—" if pd.isna(value) else f"{value:g}"


def county_view(*, as_of: date, county: str) -> pd.DataFrame:
    """A county's indicators, most points lost first: category, indicator, name, value_text, target_text, method,
    points, max_points, lost, note, drill (True when a list lies behind the lost points)."""
    scores, _ = snapshots.official(as_of)
    df = scores[scores["county"] == county].copy()
    df["value_text"] = [_fmt(v, c) for v, c in zip(df["value"], df["indicator"], strict=True)]
    df["target_text"] = [("—" if pd.isna(t) else _fmt(t, c)) for t, c in zip(df["target"], df["indicator"], strict=True)]
    df["drill"] = df["indicator"].isin(DRILLS) & (df["lost"] > 1e-9)
    return df.sort_values(["lost", "category"], ascending=[False, True], kind="stable").reset_index(drop=True)


def county_summary(*, as_of: date, county: str) -> dict:
    """The county's line of the ranking (total, grade, rank, change, gap, bonus, deduction, veto) and how many
    counties there are."""
    rank = ranking(as_of=as_of)
    row = rank[rank["county"] == county]
    if row.empty:
        return {}
    out = row.iloc[0].to_dict()
    out["counties"] = len(rank)
    return out


def history(*, as_of: date) -> pd.DataFrame:
    """Every stored week up to as_of (and as_of itself): week_end, county, name, total, rank, grade."""
    h = snapshots.history()
    h = h[h["week_end"] <= as_of]
    h = h[(h["week_end"].map(lambda d: d.weekday() == 6)) | (h["week_end"] == as_of)]
    h = h.assign(name=h["county"].map(_names()))
    return h.reset_index(drop=True)


def rules_table(*, as_of: date) -> tuple[dict, pd.DataFrame]:
    """The rules in force at as_of as the office's table, and facts about the file (version, effective_from,
    file, sha256, grades, veto, bonus and deduction caps). Table columns: category, category_weight, code, name,
    weight, method, target, standard, scoring, source, department, zero_denominator."""
    rules, file, sha = rules_mod.in_force(as_of)
    rows = []
    for cat in rules.categories:
        for r in cat.indicators:
            target = "—" if r.target is None else _fmt(r.target, r.code)
            if r.method == "threshold":
                target = f"{target}(不得分线{_fmt(r.floor, r.code)})"
            rows.append(dict(category=cat.name, category_weight=cat.weight, code=r.code, name=r.title, weight=r.weight,
                             method=rules_mod.METHOD_NAMES[r.method], target=target, standard=r.standard,
                             scoring=r.scoring, source=r.source, department=r.department,
                             zero_denominator={"full": "计满分", "zero": "计0分", "exclude": "不参评"}.get(
                                 r.zero_denominator or "", "—")))
    facts = dict(version=rules.version, effective_from=cn_date(rules.effective_from), file=file, sha256=sha,
                 grades="、".join(f"{g}≥{c:g}分" for g, c in rules.grades.items()) + f"、其余{rules_mod.LOWEST}",
                 veto="、".join(f"{v.name}(最高{v.cap_grade})" for v in rules.veto) or "无",
                 bonus=rules.bonus.max, deductions=rules.deductions.max,
                 versions="、".join(f"{r.version}({cn_date(r.effective_from)}起)" for r, _, _ in rules_mod.all_versions()))
    return facts, pd.DataFrame(rows)


def rules_rows(*, as_of: date) -> pd.DataFrame:
    """The weights and targets of the rules in force, one row per indicator, for the what-if editor: code,
    category, name, unit, weight, target, floor (NaN where the method has none)."""
    rules, _, _ = rules_mod.in_force(as_of)
    return pd.DataFrame([dict(code=r.code, category=cat, name=r.title,
                              unit=indicators.INDICATORS[r.code].unit if r.code in indicators.INDICATORS else "分",
                              weight=r.weight, target=np.nan if r.target is None else r.target,
                              floor=np.nan if r.floor is None else r.floor)
                         for cat, r in rules.rules])


def simulate(*, as_of: date, weights: dict[str, float], targets: dict[str, float],
             floors: dict[str, float] | None = None) -> tuple[pd.DataFrame, str | None]:
    """What-if: the rules in force with some weights, targets and floors (threshold method) changed (category weights follow their
    indicators), scored on the same values and entries. Returns the simulated ranking beside the official one
    (county, name, total, grade, rank, official_total, official_rank, moved) and an error in Chinese when the
    changed rules are not valid (then the frame is empty). Nothing is stored."""
    rules, _, _ = rules_mod.in_force(as_of)
    raw = rules.model_dump()
    for cat in raw["categories"]:
        for r in cat["indicators"]:
            r["weight"] = float(weights.get(r["code"], r["weight"]))
            if r["code"] in targets and r["target"] is not None:
                r["target"] = float(targets[r["code"]])
            if r["code"] in (floors or {}) and r["floor"] is not None:
                r["floor"] = float(floors[r["code"]])
        cat["weight"] = sum(r["weight"] for r in cat["indicators"])
    raw["version"] = f"{rules.version}-模拟"
    try:
        changed = rules_mod.Rules.model_validate(raw)
    except ValidationError as exc:
        return pd.DataFrame(), ";".join(rules_mod.explain(exc, raw))
    data = eng.inputs(as_of=as_of, codes=[r.code for _, r in changed.rules])
    _, sim = eng.score(changed, data)
    official = ranking(as_of=as_of)[["county", "name", "total", "rank"]].rename(
        columns={"total": "official_total", "rank": "official_rank"})
    out = sim.merge(official, on="county")
    out["moved"] = [change_text(o, r) for o, r in zip(out["official_rank"], out["rank"], strict=True)]
    return out[["county", "name", "total", "grade", "rank", "official_total", "official_rank", "moved"]], None


def entry_choices(*, as_of: date) -> dict[str, dict[str, str]]:
    """What the office may enter under the rules in force: manual indicators (code -> name, weight) and vetoes."""
    rules, _, _ = rules_mod.in_force(as_of)
    manual = {r.code: f"{r.title}(满分{r.weight:g}分)" for _, r in rules.rules if r.method == "manual"}
    return {"manual": manual, "veto": {v.name: f"{v.name}(最高评为{v.cap_grade})" for v in rules.veto},
            "caps": {"bonus": f"{rules.bonus.max:g}", "deduction": f"{rules.deductions.max:g}"}}


def enter(*, county: str, kind: str, points: float, reason: str, indicator: str | None, username: str,
          data_date: date) -> int:
    """Record an entry of the office effective from the data date, and drop the stored scores it changes (the
    data date's, never a finished week). ValueError in Chinese when the entry does not fit the rules."""
    rules, _, _ = rules_mod.in_force(data_date)
    if county not in _names():
        raise ValueError("请选择县(市)区")
    if not reason or not reason.strip():
        raise ValueError("请写明理由(督查发现、文件依据等),理由会显示在得分说明中")
    if kind == "manual":
        rule = next((r for _, r in rules.rules if r.code == indicator and r.method == "manual"), None)
        if rule is None:
            raise ValueError("请选择评定计分的指标")
        if not 0 <= points <= rule.weight:
            raise ValueError(f"{rule.title}的评定分须在0至{rule.weight:g}分之间")
    elif kind in ("bonus", "deduction"):
        if points <= 0:
            raise ValueError("加分或减分须大于0")
        indicator = None
    elif kind == "veto":
        if indicator not in {v.name for v in rules.veto}:
            raise ValueError("请选择一票否决事项")
        points = 0.0
    else:
        raise ValueError("未知的评定类别")
    entry = eng.add_entry(county=county, kind=kind, points=points, reason=reason, effective_on=data_date,
                          username=username, indicator=indicator)
    snapshots.invalidate(data_date, data_date)
    return entry


def revoke(*, entry_id: int, username: str, data_date: date) -> None:
    """Withdraw an entry from the data date on (finished weeks keep the scores they were given)."""
    eng.revoke_entry(entry_id, username=username)
    snapshots.invalidate(data_date, data_date)


def entries_table(*, year: int) -> pd.DataFrame:
    """Every entry of the year with the county's name, the kind in words and its state: ENTRY_COLS + name,
    item (the indicator's or veto's name), kind_text, state."""
    df = eng.all_entries(year=year)
    titles = {r.code: r.title for rules, _, _ in rules_mod.all_versions() for _, r in rules.rules}
    df["name"] = df["county"].map(_names()).fillna(df["county"])
    df["item"] = [titles.get(i, i) if isinstance(i, str) else "—" for i in df["indicator"]]
    df["kind_text"] = df["kind"].map(eng.KINDS)
    df["state"] = ["已撤销(" + str(b) + ")" if pd.notna(a) else "有效" for a, b in zip(df["revoked_at"], df["revoked_by"],
                                                                                    strict=True)]
    return df
