"""Who is signed in: session state first, then the HttpOnly cookies set by server.py's /auth routes."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote, urlparse

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from data_access import accounts, audit, health
from data_access.accounts import Account, AccountError
from ui.gate import BROWSER_COOKIE

SESSION_KEY = "auth"
COOKIE = "rrd_session"
DEVICE_COOKIE = "rrd_device"
RECHECK = timedelta(seconds=60)  # how often a live session is re-checked against the database
IDLE = timedelta(minutes=accounts.IDLE_MINUTES)


def _context(read) -> str | None:
    """A string from st.context, or None where there is no browser request (AppTest, bare mode)."""
    try:
        value = read()
    except Exception:  # noqa: BLE001 - st.context raises outside a browser session
        return None
    return value if isinstance(value, str) else None


def address() -> str | None:
    """The client's address, for the audit log: Streamlit gives None for a browser on this machine, which is
    recorded as 127.0.0.1; None only where there is no browser at all (AppTest, scripts)."""
    ip = _context(lambda: st.context.ip_address)
    if ip:
        return ip
    try:
        local_browser = bool(st.context.headers)
    except Exception:  # noqa: BLE001 - st.context raises outside a browser session
        local_browser = False
    return "127.0.0.1" if local_browser else None


def page_url() -> str:
    """The URL the browser opened, or "" outside a browser session."""
    return _context(lambda: st.context.url) or ""


def state_for(acc: Account, token: str, kind: str = "session") -> dict:
    """The session-state entry of a signed-in account (also used by the benchmark to sign in)."""
    now = datetime.now()
    return {"account": acc, "token": token, "kind": kind, "last_active": now, "checked": now}


def _store(acc: Account, token: str, kind: str) -> None:
    st.session_state[SESSION_KEY] = state_for(acc, token, kind)


def _cookie(name: str) -> str | None:
    return _context(lambda: st.context.cookies.get(name))


def current() -> Account | None:
    """The signed-in account, or None. Idle sessions (30 min) and revoked tokens end here."""
    try:
        return _current()
    except SQLAlchemyError as e:  # no app tables yet (first start): nobody is signed in; unreachable: say so
        if (down := health.unreachable(e)) is not None:
            raise down from None
        return None


def _current() -> Account | None:
    state = st.session_state.get(SESSION_KEY)
    now = datetime.now()
    if state:
        if state["kind"] == "session" and now - state["last_active"] > IDLE:
            accounts.revoke(state["token"])
            audit.record(state["account"].username, "session_expired", "30分钟无操作,会话结束", address())
            st.session_state.pop(SESSION_KEY, None)
            st.session_state["auth_notice"] = "长时间未操作,已自动退出,请重新登录。"
            return None
        if now - state["checked"] > RECHECK:
            acc = accounts.resume(state["token"], state["kind"])
            if acc is None:
                st.session_state.pop(SESSION_KEY, None)
                return None
            state["account"], state["checked"] = acc, now
        state["last_active"] = now
        return state["account"]
    token = _cookie(COOKIE)
    if token and (acc := accounts.resume(token)) is not None:
        _store(acc, token, "session")
        return acc
    device = _cookie(DEVICE_COOKIE)
    if device and (acc := accounts.resume(device, "device")) is not None:
        _store(acc, device, "device")
        audit.record(acc.username, "device_sign_in", "大屏设备凭授权自动登录", address())
        return acc
    return None


def _next_path() -> str:
    path = urlparse(page_url()).path or "/"
    return path if path.startswith("/") and not path.startswith("//") else "/"


def sign_in(acc: Account) -> None:
    """Start a session; the next run hands over to /auth/establish so a reload keeps it (HttpOnly cookie). The
    handoff is bound to this browser's cookie; without one (no browser: AppTest) the session lives in this tab."""
    _store(acc, accounts.issue_token(acc, "session", address=address()), "session")
    browser = _cookie(BROWSER_COOKIE)
    if browser:
        handoff = accounts.issue_token(acc, "handoff", address=address(), browser=browser)
        st.session_state["auth_redirect"] = f"/auth/establish?t={quote(handoff)}&next={quote(_next_path())}"


def sign_out() -> None:
    """End the session everywhere: revoke its tokens; the next run lets /auth/logout clear the cookie."""
    state = st.session_state.pop(SESSION_KEY, None)
    if state:
        accounts.revoke(state["token"])
        audit.record(state["account"].username, "sign_out", "退出登录", address())
    cookie = _cookie(COOKIE)
    if cookie:
        accounts.revoke(cookie)
    st.session_state["auth_logout"] = True
    if _sso_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()  # else the identity provider's cookie would sign the user straight back in


def redirect_if_pending() -> None:
    """Send the browser to a pending /auth/ URL (the cookie routes in server.py); nothing under AppTest."""
    target = st.session_state.pop("auth_redirect", None)
    if target:
        state = st.session_state.get(SESSION_KEY)
        if state and state["account"].role != "screen":
            # a background request sets the cookie and the page carries on: no second page load after sign-in
            # (the browser no longer loads and parses the whole app again between sign-in and the first chart)
            st.html(f"<script>fetch({target!r}, {{credentials: 'same-origin', redirect: 'manual'}});</script>",
                    unsafe_allow_javascript=True)
            return
        st.html(f"<script>window.location.replace({target!r});</script>", unsafe_allow_javascript=True)
        st.stop()  # nothing else this run: a page that moved on (the screen's switch_page) would drop the script
    if st.session_state.pop("auth_logout", None):  # a POST from this page: another site cannot sign anyone out
        st.html("<script>fetch('/auth/logout', {method: 'POST', credentials: 'same-origin'})"
                ".finally(() => window.location.replace('/'));</script>", unsafe_allow_javascript=True)


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def _sso_account() -> Account | None:
    """Map a signed-in OIDC identity (st.login) to a local account."""
    if not _sso_configured() or not getattr(st.user, "is_logged_in", False):
        return None
    subject = st.user.get("email") or st.user.get("sub")
    acc = accounts.account_for_sso(subject) if subject else None
    if acc is None:
        from ui.components import md

        st.error(f"统一身份认证账号 {md(subject)} 未在本系统开通,请联系管理员。")
        return None
    audit.record(acc.username, "sign_in", f"统一身份认证登录({subject})", address())
    return acc


def sign_in_form(title: str, hint: str | None = None) -> None:
    """The sign-in page: 用户名, 密码, 登录 (and single sign-on when configured)."""
    st.title(title)
    if notice := st.session_state.pop("auth_notice", None):
        st.info(notice)
    if (acc := _sso_account()) is not None:
        sign_in(acc)
        st.rerun()
    redirect_if_pending()
    left, _ = st.columns([2, 3])
    with left:
        st.subheader("登录")
        with st.form("sign_in", border=False):  # a form: Enter in the password field signs in
            username = st.text_input("用户名", key="sign_in_user", max_chars=accounts.USERNAME_MAX)
            password = st.text_input("密码", type="password", key="sign_in_password", max_chars=accounts.PASSWORD_MAX)
            submitted = st.form_submit_button("登录", type="primary", key="sign_in_button")
        if submitted:
            try:
                acc = accounts.authenticate(username.strip(), password, address=address())
            except AccountError as e:
                st.error(str(e))
            else:
                st.session_state.pop("sign_in_password", None)
                sign_in(acc)
                st.rerun()
        if _sso_configured():
            st.button("统一身份认证登录", on_click=st.login)
        if hint:
            st.caption(hint)


def password_form() -> None:
    """Change one's own password."""
    state = st.session_state.get(SESSION_KEY)
    limit = accounts.PASSWORD_MAX
    old = st.text_input("原密码", type="password", key="pw_old", max_chars=limit)
    new = st.text_input("新密码(至少10位,含字母和数字)", type="password", key="pw_new", max_chars=limit)
    again = st.text_input("再次输入新密码", type="password", key="pw_again", max_chars=limit)
    if st.button("修改密码", key="pw_submit"):
        if new != again:
            st.error("两次输入的新密码不一致")
            return
        try:
            accounts.change_own_password(state["account"].username, old, new, address())
        except AccountError as e:
            st.error(str(e))
        else:
            sign_in(state["account"])  # the change revoked every session, this one included
            st.success("密码已修改,其他设备上的登录已失效。")
