"""The monitored-household list: scoped and masked by the data layer, unmasking and export audited."""

from __future__ import annotations

from datetime import date

import streamlit as st

from data_access import households
from data_access.scope import AccessDenied, Scope
from ui import auth, cache, components, household

PAGE_SIZE = 50
LABELS = {"case_id": "案例编号", "household_id": "户编号", "village": "村", "head_name": "户主",
          "head_id_number": "身份证号", "phone": "联系电话", "persons": "人口", "case_type": "监测类型",
          "risks": "风险数", "discovered_on": "发现日期", "decided_on": "认定日期", "included_on": "纳入日期",
          "status": "状态"}
MEMBER_LABELS = {"name": "姓名", "id_number": "身份证号", "relation": "与户主关系", "sex": "性别", "age": "年龄",
                 "birth_date": "出生日期", "health": "健康状况", "labour_capacity": "劳动能力",
                 "medical_insured": "参加基本医保", "phone": "联系电话"}


def case_section(scope: Scope, as_of: date, county: str) -> None:
    """监测对象名单 of one county for roles with row-level access; nothing personal for the others."""
    st.markdown("**监测对象名单**")
    if not scope.row_level:
        st.caption("监测对象名单仅对领导小组办公室和本县(市)区账号开放;本账号只能查看汇总数据。")
        return
    if scope.role == "county" and county != scope.county:
        st.caption("县(市)区账号只能查看本县(市)区的监测对象名单。")
        return
    villages = cache.regions("village", county)
    names = dict(villages[["code", "name"]].itertuples(index=False))
    c1, c2, c3 = st.columns([2, 2, 1])
    village = c1.selectbox("村", [None, *names], format_func=lambda v: "全部村" if v is None else names[v],
                           key="cases_village")
    status = c2.selectbox("状态", [None, *households.STATUSES], key="cases_status",
                          format_func=lambda s: "全部" if s is None else s)
    total = households.case_count(scope, as_of=as_of, county=county, village=village, status=status)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = c3.number_input(f"页码(共{pages}页)", 1, pages, 1, key="cases_page")
    df = households.case_list(scope, as_of=as_of, county=county, village=village, status=status,
                              limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    st.caption(f"共 {total:,} 个案例,每页 {PAGE_SIZE} 个。姓名、身份证号、电话已脱敏。")
    household.table(scope, _dated(df), LABELS, as_of, "cases", height=420)
    county_name = components.county_names().get(county, county)
    where = f"{county_name} {names[village] if village else '全部村'} 状态{status or '全部'}"
    components.export_button(
        scope, label=f"导出全部 {total:,} 个案例(Excel,已脱敏)", key="cases_export",
        rows=lambda: _dated(households.case_export(scope, as_of=as_of, county=county, village=village, status=status)),
        headers=LABELS, what=f"导出监测对象名单:{where},统计时点 {as_of}(已脱敏)",
        file_name=f"监测对象名单_{county_name}_{names[village] if village else '全部村'}_{as_of.isoformat()}.xlsx",
        note=f"监测对象名单 · {where} · 统计时点 {components.fmt_date(as_of)} · 姓名、身份证号、电话已脱敏")
    if scope.can_unmask and not df.empty:
        _unmask(scope, df, as_of)


def _dated(df):
    """Dates not yet known at the as-of date shown as —."""
    df = df.copy()
    for col in ("discovered_on", "decided_on", "included_on"):
        df[col] = df[col].map(lambda d: d.isoformat() if d else "—")
    return df


def _unmask(scope: Scope, df, as_of: date) -> None:
    with st.expander("查看一户的完整个人信息(须填写理由,记入审计日志)"):
        options = dict(zip(df["household_id"], df["head_name"] + " · " + df["village"].fillna(""), strict=True))
        household = st.selectbox("户", list(options), format_func=options.get, key="unmask_household")
        reason = st.text_input("查看理由", placeholder="如:核实走访记录中的联系电话", key="unmask_reason", max_chars=200)
        if st.button("查看完整信息", key="unmask_button"):
            try:
                members = households.household_members(scope, int(household), as_of=as_of, unmask=True, reason=reason,
                                                       address=auth.address())
            except (AccessDenied, ValueError) as e:
                st.error(str(e))
            else:
                st.dataframe(members.rename(columns=MEMBER_LABELS), hide_index=True)
