"""系统管理 (admin): accounts, presentation-screen devices and the audit log."""

import streamlit as st

from ui import admin, components, frame

scope = frame.require("admin")
components.header("系统管理", subtitle="账号、大屏设备授权与审计日志")

users, devices, log = st.tabs(["用户", "大屏设备", "审计日志"])
with users:
    admin.users_table()
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown("**新建账号**")
        admin.create_user_form(scope)
    with right, st.container(border=True):
        st.markdown("**修改账号**")
        admin.edit_user_form(scope)
with devices:
    admin.devices_form(scope)
with log:
    admin.audit_log(scope)
