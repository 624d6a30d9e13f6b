"""Forms of the 系统管理 page: accounts, presentation-screen devices and the audit log."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlparse

import pandas as pd
import streamlit as st

from data_access import accounts, audit
from data_access.accounts import AccountError
from data_access.scope import ROLES, Scope
from ui import auth, components
from ui.components import county_names


def users_table() -> None:
    """All accounts, in Chinese."""
    df = accounts.users()
    names = county_names()
    df["role"] = df["role"].map(ROLES)
    df["county_code"] = df["county_code"].map(lambda c: names.get(c, "") if isinstance(c, str) else "")
    df["disabled"] = df["disabled"].map({True: "停用", False: "启用"})
    df["locked_until"] = pd.to_datetime(df["locked_until"])  # None -> NaT, shown empty rather than "None"
    st.dataframe(df, hide_index=True, column_config={
        "username": "用户名", "display_name": "名称", "role": "角色", "county_code": "县(市)区",
        "disabled": "状态", "locked_until": st.column_config.DatetimeColumn("锁定至", format="YYYY-MM-DD HH:mm"),
        "created_at": st.column_config.DatetimeColumn("创建时间", format="YYYY-MM-DD HH:mm")})


def _role_and_county(key: str, role: str = "office", county: str | None = None) -> tuple[str, str | None]:
    roles = list(ROLES)
    r = st.selectbox("角色", roles, index=roles.index(role), format_func=ROLES.get, key=f"{key}_role")
    names = county_names()
    codes = list(names)
    c = None
    if r == "county":
        c = st.selectbox("县(市)区", codes, index=codes.index(county) if county in codes else 0,
                         format_func=names.get, key=f"{key}_county")
    return r, c


def create_user_form(scope: Scope) -> None:
    """New account with a random first password, shown once."""
    username = st.text_input("用户名", key="new_user", max_chars=accounts.USERNAME_MAX)
    display = st.text_input("名称(如:望奎县乡村振兴局)", key="new_display", max_chars=40)
    sso = st.text_input("统一身份认证账号(邮箱,可选)", key="new_sso", max_chars=200)
    role, county = _role_and_county("new")
    if st.button("创建账号", key="create_user"):
        password = accounts.random_password()
        try:
            accounts.create_user(username.strip(), password, role, county, by=scope.username,
                                 display_name=display.strip() or None, address=auth.address(),
                                 sso_subject=sso.strip() or None)
        except AccountError as e:
            st.error(str(e))
        else:
            st.success(f"已创建 {username}。初始密码(只显示这一次,请当面或加密转交):{password}")


def edit_user_form(scope: Scope) -> None:
    """Change role or county, enable or disable, or reset the password of one account."""
    df = accounts.users()
    if df.empty:
        return
    username = st.selectbox("选择用户", df["username"].tolist(), key="edit_user")
    row = df.set_index("username").loc[username]
    role, county = _role_and_county("edit", row["role"], row["county_code"])
    left, mid, right = st.columns(3)
    try:
        if left.button("保存角色", key="save_role"):
            accounts.update_user(username, by=scope.username, role=role, county=county, address=auth.address())
            st.success("已保存,该用户需重新登录。")
        label = "启用" if row["disabled"] else "停用"
        if mid.button(label, key="toggle_user", disabled=username == scope.username):
            accounts.update_user(username, by=scope.username, disabled=not row["disabled"], address=auth.address())
            st.success(f"已{label} {username}。")
        if right.button("重置密码", key="reset_pw"):
            password = accounts.random_password()
            accounts.set_password(username, password, by=scope.username, address=auth.address())
            st.success(f"{username} 的新密码(只显示这一次):{password}")
    except AccountError as e:
        st.error(str(e))


def devices_form(scope: Scope) -> None:
    """Bind a presentation screen to a screen account, list and revoke bindings."""
    df = accounts.devices()
    st.dataframe(df, hide_index=True, column_config={
        "id": "编号", "name": "设备", "username": "大屏账号", "created_at": "授权时间", "last_seen": "最近使用",
        "revoked_at": "撤销时间"})
    screens = accounts.users().query("role == 'screen' and not disabled")["username"].tolist()
    if not screens:
        st.info("没有启用的大屏账号。")
        return
    user = st.selectbox("大屏账号", screens, key="device_user")
    name = st.text_input("设备名称", placeholder="三楼会议室大屏", key="device_name", max_chars=60)
    if st.button("生成设备授权链接", key="device_create"):
        try:
            token = accounts.create_device(user, name, by=scope.username, address=auth.address())
        except AccountError as e:
            st.error(str(e))
        else:
            base = urlparse(auth.page_url())
            origin = f"{base.scheme}://{base.netloc}" if base.netloc else ""
            st.success("请在大屏的浏览器中打开下面的链接一次(只显示这一次);之后断电重启也会自动登录,撤销后失效。")
            st.code(f"{origin}/auth/device?token={token}")
    live = df[df["revoked_at"].isna()]
    if not live.empty:
        pick = st.selectbox("撤销授权", live["id"].tolist(), key="device_revoke",
                            format_func=lambda i: f"{i}:{live.set_index('id').at[i, 'name']}")
        if st.button("撤销", key="device_revoke_btn"):
            accounts.revoke_device(int(pick), by=scope.username, address=auth.address())
            st.success("已撤销。")


def audit_log(scope: Scope) -> None:
    """The audit log with filters and an audited export of the filtered rows."""
    c1, c2, c3 = st.columns(3)
    span = c1.date_input("日期", (date.today() - timedelta(days=30), date.today()), key="audit_dates")
    user = c2.selectbox("用户", [None, *accounts.users()["username"]], key="audit_user",
                        format_func=lambda u: "全部" if u is None else u)
    action = c3.selectbox("操作", [None, *audit.ACTIONS], key="audit_action",
                          format_func=lambda a: "全部" if a is None else audit.ACTIONS[a])
    start, end = (span[0], span[-1]) if isinstance(span, tuple) and span else (None, None)
    df = audit.entries(start=start, end=end, username=user, action=action, limit=1000)
    df["address"] = df["address"].fillna("—")
    st.caption(f"共 {len(df)} 条(最多显示1000条)")
    labels = {"at": "时间", "username": "用户", "action": "操作", "detail": "内容", "address": "来源地址"}
    st.dataframe(df, hide_index=True, column_config=labels)
    where = f"{start or '不限'} 至 {end or '不限'},用户 {user or '全部'},操作 {audit.ACTIONS.get(action, '全部')}"
    components.export_button(
        scope, label="导出审计日志(Excel)", key="audit_export", headers=labels,
        rows=lambda: audit.entries(start=start, end=end, username=user, action=action, limit=100_000),
        file_name=f"审计日志_{date.today():%Y%m%d}.xlsx", what=f"导出审计日志({where})", note=f"审计日志 · {where}")
