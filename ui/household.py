"""The household file (户档案): one household's members, cases, measures, visits, alerts, checks and incomes at
the picked date, in a dialog reached from every list of people; masked, members unmaskable with a reason."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_access import households
from data_access.scope import AccessDenied, Scope
from ui import auth, components


def table(scope: Scope, df: pd.DataFrame, headers: dict[str, str], as_of: date, key: str, height: int) -> None:
    """A list of households or people whose rows open the household file: pick a row, then 打开户档案."""
    cols = [c for c in headers if c in df.columns]
    event = st.dataframe(df[cols].rename(columns=headers), hide_index=True, key=f"{key}_table", height=height,
                         on_select="rerun", selection_mode="single-row")
    rows = event.selection.rows if event else []
    if "household_id" not in df.columns or not rows:
        st.caption("点击表格左侧选中一行,可打开该户的户档案。")
        return
    row = df.iloc[rows[0]]
    who = row.get("head_name", row.get("name", ""))
    if st.button(f"打开户档案:{components.md(who)} · {components.md(row['village'])}", key=f"{key}_open",
                 icon=":material/folder_open:"):
        household_dialog(scope, int(row["household_id"]), as_of)


FILE_TABLES = {
    "cases": ("监测记录", {"case_id": "案例编号", "case_type": "监测类型", "channel": "发现渠道", "discovered_on": "发现日期",
                       "decided_on": "认定日期", "decision": "认定结果", "included_on": "纳入日期", "status": "状态",
                       "eliminated_on": "消除日期", "elimination_kind": "消除方式", "risks": "风险"}),
    "measures": ("帮扶措施", {"case_id": "案例编号", "category": "类别", "started_on": "开始日期", "amount": "金额(元)",
                          "department": "责任部门", "developmental": "开发式帮扶"}),
    "visits": ("跟踪回访", {"visited_on": "走访日期", "visitor": "走访人", "finding": "走访发现"}),
    "alerts": ("部门预警", {"source": "预警部门", "kind": "预警类型", "received_on": "接收日期", "verified_on": "核查日期",
                        "result": "核查结果"}),
    "checks": ("两不愁三保障及饮水核查", {"checked_on": "核查日期", "food_clothing": "吃穿", "education": "义务教育",
                                  "medical": "基本医疗", "housing": "住房等级", "water_quantity": "水量",
                                  "water_quality": "水质", "water_convenience": "用水方便", "water_reliability": "供水保证"}),
    "incomes": ("收入(年度)", {"year": "年度", "wage": "工资性", "business": "经营性", "property": "财产性", "transfer": "转移性",
                          "rigid_expenditure": "刚性支出", "per_capita_net": "人均纯收入"}),
}
MEMBER_HEADERS = {"name": "姓名", "id_number": "身份证号", "relation": "与户主关系", "sex": "性别", "age": "年龄",
                  "birth_date": "出生日期", "health": "健康状况", "labour_capacity": "劳动能力", "medical_insured": "参加基本医保",
                  "phone": "户主电话"}


@st.dialog("户档案", width="large")
def household_dialog(scope: Scope, household_id: int, as_of: date) -> None:
    """One household on one screen at the picked date; names masked, members unmaskable with a reason."""
    file = households.household_file(scope, household_id, as_of=as_of)
    if file is None:
        st.warning("本账号不能查看该户(不在本县或不存在)。")
        return
    h = file["household"].iloc[0]
    kinds = "、".join(k for k, on in (("脱贫户", h["tuopin"]), ("低保户", h["dibao"]), ("特困户", h["tekun"])) if on) or "一般农户"
    st.markdown(f"**{components.md(h['township'])} {components.md(h['village'])} · 户主 {components.md(h['head_name'])}**")
    st.caption(f"户编号 {h['household_id']} · {kinds} · 身份证号 {h['head_id_number']} · 电话 {h['phone']} · "
               f"统计时点 {components.fmt_date(as_of)}")
    st.markdown("**家庭成员**")
    st.dataframe(file["members"].rename(columns=MEMBER_HEADERS), hide_index=True)
    if scope.can_unmask:
        reason = st.text_input("查看完整信息的理由", key="file_reason", max_chars=households.REASON_MAX,
                               placeholder="如:核实走访记录中的联系电话")
        if st.button("查看完整信息(记入审计)", key="file_unmask"):
            try:
                members = households.household_members(scope, household_id, as_of=as_of, unmask=True, reason=reason,
                                                       address=auth.address())
            except (AccessDenied, ValueError) as e:
                st.error(str(e))
            else:
                st.dataframe(members.rename(columns=MEMBER_HEADERS), hide_index=True)
    for part, (title, headers) in FILE_TABLES.items():
        st.markdown(f"**{title}**")
        if file[part].empty:
            st.caption("无记录")
        else:
            st.dataframe(file[part][list(headers)].rename(columns=headers), hide_index=True, key=f"file_{part}")
