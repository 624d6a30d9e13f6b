"""The 数据质量 tab of the 数据导入与质量 page (/data): how fresh each importable table is, the records breaking the
import rules (the rows behind a rule masked, exported through the audited door) and required fields left empty.
County accounts see their own county only."""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd
import streamlit as st

from data_access import masking, quality
from data_access.scope import AccessDenied, Scope
from ui import cache, components

SECTIONS = {"freshness": "数据新鲜度", "rules": "规则检查", "completeness": "完整性"}
STALE_STYLE = "background-color: #fde8e8; color: #9b1c1c; font-weight: 600"
MASKS = {"head_name": masking.name, "name": masking.name, "first_secretary": masking.name,
         "head_id_number": masking.id_number, "id_number": masking.id_number, "person_id_number": masking.id_number}
GROUP_LABELS = {"record": "日常记录", "monthly": "月报", "yearly": "年报"}
RULE_FILE = re.compile(r"[\\/:*?\"<>|\s]+")  # characters a file name cannot hold


def show(scope: Scope) -> None:
    """The quality tab for the signed-in caller."""
    county = _county(scope)
    area = components.county_names().get(county, county) if county else "全市"
    section = st.segmented_control("数据质量", list(SECTIONS), format_func=SECTIONS.get, default="freshness",
                                   key="quality_section", label_visibility="collapsed") or "freshness"
    if section == "freshness":
        _freshness(county)
    elif section == "rules":
        _rules(scope, county, area)
    else:
        _completeness(county)


def _county(scope: Scope) -> str | None:
    """A county account's own county (fixed); the office picks one or the whole city."""
    if scope.role == "county":
        own = scope.rows_county(None)
        st.caption(f"本账号只能查看{components.md(components.county_names().get(own, own))}的数据质量。")
        return own
    return components.county("quality_county")


def _text_date(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if isinstance(value, date) else str(value)


def _freshness(county: str | None) -> None:
    df = cache.quality("freshness", county=county, today=date.today())
    days = quality.thresholds()
    limits = "、".join(f"{GROUP_LABELS[g]}超过 {days[g]} 天" for g in GROUP_LABELS if g in days)
    stale = int(df["stale"].sum())
    st.caption(f"各数据表在各县(市)区的最新记录日期和最近一次导入。{limits}没有新记录的标为「超期」"
               "(年度数据按该年12月31日、月度数据按该月最后一天计);农户、家庭成员、项目等台账类表不按日期判断。"
               "最近导入含本县(市)区账号和领导小组办公室的导入。")
    if stale:
        st.warning(f"{stale} 项数据超期未更新。", icon=":material/schedule:")
    else:
        st.success("各数据表均在更新期限内。", icon=":material/check_circle:")
    only = st.toggle("只看超期的", key="quality_stale_only", value=stale > 0)
    shown = df[df["stale"]] if only else df
    out = pd.DataFrame({
        "数据表": shown["title"], "类别": shown["group"].map(quality.GROUP_NAMES), "县(市)区": shown["county_name"],
        "最新记录日期": shown["latest"].map(_text_date), "记录数": shown["rows"],
        "最近导入": shown["last_import"].map(_text_date),
        "超期": ["超期" if s else "" for s in shown["stale"]],
        "期限(天)": [("—" if pd.isna(t) else str(int(t))) for t in shown["threshold_days"]],  # one type: Arrow
    })
    styled = out.style.apply(lambda row: [STALE_STYLE if row["超期"] else ""] * len(row), axis=1)
    st.dataframe(styled, hide_index=True, key="quality_freshness", height=min(38 + 35 * len(out), 560))


def _rules(scope: Scope, county: str | None, area: str) -> None:
    registry = cache.quality("registry")
    df = cache.quality("rules", county=county)
    st.caption(f"按导入校验的同一套规则({len(registry)} 条:日期顺序、条件必填、取值范围、可选值、身份证号校验位、"
               "区划代码、关联记录、重复记录)检查库中全部数据。所属农户、监测对象等上级记录缺失的记录无法确定县(市)区,"
               "只在全市范围列出。")
    if df.empty:
        st.success("未发现违反数据规则的记录。", icon=":material/check_circle:")
        return
    totals = df.groupby("rule", sort=False)["count"].sum()
    st.warning(f"{len(totals)} 条规则发现问题,共 {int(totals.sum()):,} 条记录。", icon=":material/rule:")
    st.dataframe(pd.DataFrame({"规则类别": df["family"], "数据表": df["table_title"], "规则": df["rule_name"],
                               "县(市)区": df["county_name"], "问题记录数": df["count"]}),
                 hide_index=True, key="quality_rules", height=min(38 + 35 * len(df), 420))
    names = dict(zip(df["rule"], df["table_title"] + ":" + df["rule_name"]))
    order = totals.sort_values(ascending=False, kind="stable").index.tolist()
    rule = st.selectbox("查看问题记录", order, key="quality_rule",
                        format_func=lambda r: f"{names[r]}(共 {int(totals[r]):,} 条)")
    _rule_rows(scope, rule, county, area, names[rule])


def masked(df: pd.DataFrame) -> pd.DataFrame:
    """Names and ID numbers masked (张*明, 231202********1234), as on every list of people."""
    df = df.copy()
    for col, mask in MASKS.items():
        if col in df.columns:
            df[col] = df[col].map(lambda v, mask=mask: mask(v) if isinstance(v, str) else v)
    return df


def _rule_rows(scope: Scope, rule: str, county: str | None, area: str, label: str) -> None:
    if not scope.row_level:
        st.caption("问题记录明细仅对领导小组办公室和县(市)区账号开放;本账号只能查看汇总。")
        return
    try:
        rows = cache.quality_rows(rule, scope, county)
    except AccessDenied as e:
        st.caption(str(e))
        return
    headers = quality.row_headers(rule)
    if rows.empty:
        st.caption("没有符合条件的记录。")
        return
    more = f"(仅列出前 {quality.MAX_ROWS:,} 条)" if len(rows) >= quality.MAX_ROWS else ""
    elsewhere = "与之重复的记录可能在其他县(市)区。" if scope.role == "county" and rule.endswith(".duplicate") else ""
    st.caption(f"{components.md(label)}:{len(rows):,} 条{more}。姓名、身份证号已脱敏;{elsewhere}"
               "请按记录编号核对后在原系统更正并重新导入。")
    view = masked(rows)
    st.dataframe(view[list(headers)].rename(columns=headers), hide_index=True, key="quality_rows",
                 height=min(38 + 35 * len(view), 460))
    today = date.today()
    components.export_button(
        scope, label="导出问题记录(Excel,已脱敏)", key="quality_rows_export",
        rows=lambda: masked(cache.quality_rows(rule, scope, county)), headers=headers,
        file_name=f"数据质量问题_{RULE_FILE.sub('_', label)}_{area}_{today.isoformat()}.xlsx",
        what=f"导出数据质量问题记录:{label}({area},已脱敏)",
        note=f"数据质量问题记录 · {label} · {area} · {components.fmt_date(today)} · 姓名、身份证号已脱敏")


def _completeness(county: str | None) -> None:
    df = cache.quality("completeness", county=county)
    st.caption("模板中的必填字段在库中为空(或只有空格)的记录数。条件必填(如监测中须有纳入日期)见「规则检查」。")
    missing = df[df["missing"] > 0]
    if missing.empty:
        st.success(f"必填字段均已填写(共检查 {df['field'].nunique()} 个字段)。", icon=":material/check_circle:")
    every = st.toggle("显示全部必填字段", key="quality_all_fields", value=False)
    shown = df if every else missing
    if shown.empty:
        return
    st.dataframe(pd.DataFrame({"数据表": shown["title"], "县(市)区": shown["county_name"], "字段": shown["field"],
                               "缺失": shown["missing"], "记录数": shown["rows"], "缺失比例": shown["share"] * 100}),
                 hide_index=True, key="quality_completeness", height=min(38 + 35 * len(shown), 520),
                 column_config={"缺失比例": st.column_config.NumberColumn(format="%.1f%%")})
