"""The frame every page shares: data present (seeding on first start), access check, sidebar."""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from datetime import timedelta

import streamlit as st

from data_access import bootstrap, health
from data_access.logs import LOG
from data_access.scope import ROLES, Scope
from ui import auth, cache, nav
from ui.components import county_names, data_date, fmt_date, is_demo, md
from ui.gate import MISSING

APP_TITLE = "乡村振兴衔接监测考核看板"


@contextmanager
def error_boundary():
    """Any error while a page draws: a short Chinese message with an error id for the user, the full trace in
    the server log under that id. Streamlit's own stop and rerun are BaseExceptions and pass through."""
    try:
        yield
    except Exception as e:
        if (down := health.unreachable(e)) is not None:  # logged there, one line per database, no trace
            st.error(down.message(), icon=":material/cloud_off:")
            return
        error_id = secrets.token_hex(4)
        LOG.exception("page error %s", error_id)
        st.error(f"页面出现错误,未能完成显示(错误编号 {error_id})。请刷新页面重试;如仍出错,请把错误编号告诉系统管理员。",
                 icon=":material/error:")


def missing_page_notice() -> None:
    """Say so when server.py sent an address the app does not have to the overview."""
    missing = st.query_params.get(MISSING)
    if missing:
        st.warning(f"您访问的页面 /{md(missing.strip('/')[:60])} 不存在或尚未开放,已为您打开总览。请从左侧菜单选择页面。",
                   icon=":material/travel_explore:")


def ensure_data() -> None:
    """Stop the page until data exists; on a first start, seed the demo data with a progress bar."""
    if st.session_state.get("_has_data") or bootstrap.has_data():
        if not st.session_state.get("_has_data"):
            bootstrap.ensure_app_tables()
        st.session_state["_has_data"] = True
        return
    if not bootstrap.uses_default_files():
        st.error("已配置的监测数据库中没有数据。请先导入数据,或检查 MONITORING_DB_URL 等数据库连接设置。")
        st.stop()
    st.title(APP_TITLE)
    st.info("首次启动:正在生成演示数据(绥化市,2021年1月至今),约需半分钟,请稍候……")
    bar = st.progress(0.0, text="准备中")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(fraction, 1.0), text=message)
        bootstrap.terminal_progress(fraction, message)

    def backfill() -> None:  # the last quarter now; `python -m assessment backfill` (make run does) scores the rest
        from assessment.snapshots import backfill as run
        from data_access.areas import data_date

        run(progress=lambda done, total: progress(done / total, f"计算近期各周考核得分 {done}/{total}"),
            since=data_date() - timedelta(weeks=13))

    bootstrap.seed_demo(progress=progress, only_if_missing=True, then=backfill)
    cache.clear()
    st.rerun()


def sign_in_page() -> None:
    """The sign-in form, with where demo passwords are while the data is synthetic."""
    hint = None
    if is_demo():
        hint = f"演示环境:各角色的演示账号和密码见数据目录中的 {bootstrap.accounts_file().name}(首次生成数据时也打印在终端)。"
    auth.sign_in_form(APP_TITLE, hint)


def require(key: str) -> Scope:
    """Top of every page: data present, signed in, and the role allowed; otherwise stop here."""
    ensure_data()
    account = auth.current()
    if account is None:
        sign_in_page()
        st.stop()
    if account.role == "screen" and key != "screen":  # a presentation screen has one page
        st.switch_page(nav.BY_KEY["screen"].path)
    if not nav.allowed(key, account.role):
        st.error(f"无权限:{ROLES[account.role]}账号不能打开“{nav.BY_KEY[key].title}”页面。")
        st.stop()
    return account.scope


def _close_password() -> None:
    st.session_state["password_open"] = False


@st.dialog("修改密码", on_dismiss=_close_password)
def _password_dialog() -> None:
    auth.password_form()


def sidebar(account) -> None:
    """App name, city, data date, demo badge, the signed-in user, password change and sign-out."""
    with st.sidebar:
        st.markdown(f"**{APP_TITLE}**")
        counties = cache.regions("city")
        city = counties["name"].iat[0] if not counties.empty else ""
        st.caption(f"{md(city)}乡村振兴领导小组办公室 · 最新数据 {fmt_date(data_date())}")
        if is_demo():
            st.badge("演示数据", icon=":material/science:", color="orange")
        st.divider()
        where = ""
        if account.county:
            names = county_names()
            where = " · " + names.get(account.county, account.county)
        who = account.display_name if account.display_name not in (None, ROLES[account.role]) else account.username
        st.caption(md(f"{who}({ROLES[account.role]}{where})"))
        if account.role != "screen" and st.button("修改密码", icon=":material/key:", key="change_password"):
            st.session_state["password_open"] = True
        if st.session_state.get("password_open"):
            _password_dialog()
        if st.button("退出登录", icon=":material/logout:", key="sign_out"):
            auth.sign_out()
            st.rerun()
