"""Every role against every page, the sign-in form, and the personal data each role can reach."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access import db
from data_access.models.app import AuditLog
from tests.views.conftest import APP, TIMEOUT, ok, sign_in
from ui.nav import PAGES

ROLES = ["admin", "office", "county", "leader", "screen"]
ALLOWED = {
    "overview": {"admin", "office", "county", "leader"},
    "map": {"admin", "office", "county", "leader"},
    "monitoring": {"admin", "office", "county", "leader"},
    "ovop": {"admin", "office", "county", "leader"},
    "collective": {"admin", "office", "county", "leader"},
    "projects": {"admin", "office", "county", "leader"},
    "services": {"admin", "office", "county", "leader"},
    "assessment": {"admin", "office", "county", "leader"},
    "weekly": {"admin", "office", "county", "leader"},
    "screen": {"admin", "office", "leader", "screen"},
    "data": {"admin", "office", "county"},
    "admin": {"admin"},
}


def audit_actions(username: str) -> list[str]:
    with db.engine("app").connect() as conn:
        return list(conn.execute(select(AuditLog.action).where(AuditLog.username == username)
                                 .order_by(AuditLog.id)).scalars())


def test_matrix_covers_every_registered_page():
    assert set(ALLOWED) == {p.key for p in PAGES}


@pytest.mark.parametrize("role", ROLES)
def test_role_page_matrix(signed_in, role):
    """One signed-in session per role opens every page in turn, as the sidebar or an address would."""
    at = signed_in(role)
    for page in PAGES:
        at.switch_page(page.path)
        ok(at.run())
        where = (role, page.key)
        if role in ALLOWED[page.key]:
            assert not at.error, (where, [e.value for e in at.error])
            title = "绥化市巩固拓展脱贫攻坚成果同乡村振兴有效衔接" if page.key == "screen" else page.title
            assert at.title[0].value == title, where
        elif role == "screen":  # a presentation screen is sent to its one page
            assert not at.error and at.title[0].value == "绥化市巩固拓展脱贫攻坚成果同乡村振兴有效衔接", where
            assert not at.dataframe and not at.text_input, where
        else:
            assert len(at.error) == 1 and at.error[0].value.startswith("无权限"), where
            assert not at.title and not at.metric and not at.dataframe and not at.get("plotly_chart"), where


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.key)
def test_anonymous_sees_only_the_sign_in_form(demo_data, page):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page(page.path)
    ok(at.run())
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert [b.label for b in at.button] == ["登录"]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert not at.sidebar.button


def test_wrong_password_is_refused_and_audited(demo_accounts):
    at = sign_in("office", "wrong-password-1")
    assert at.error and "用户名或密码错误" in at.error[0].value
    assert not at.metric
    assert audit_actions("office")[-1] == "sign_in_failed"


def test_five_failures_lock_the_account(demo_data):
    from data_access import accounts

    if accounts.account("lockme") is None:
        accounts.create_user("lockme", "Right-passw0rd", "leader", by="test")
    for _ in range(5):
        sign_in("lockme", "wrong-password-1")
    at = sign_in("lockme", "Right-passw0rd")
    assert at.error and "锁定" in at.error[0].value and not at.metric
    assert audit_actions("lockme")[-7:] == ["sign_in_failed"] * 5 + ["locked", "sign_in_failed"]


def test_sign_in_and_out_are_audited(signed_in, demo_accounts):
    at = signed_in("office")
    assert audit_actions("office")[-1] == "sign_in"
    ok(at.sidebar.button(key="sign_out").click().run())
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert audit_actions("office")[-1] == "sign_out"


def test_county_account_starts_on_its_county_with_masked_cases(signed_in, demo_accounts):
    row = next(r for r in demo_accounts.values() if r["role"] == "county")
    at = signed_in(row["username"], "views/map.py")
    assert at.selectbox(key="map_county").value == row["county_code"]
    cases = at.dataframe[-1].value
    assert len(cases) > 0 and "户主" in cases.columns
    assert cases["户主"].str.contains(r"\*").all()
    assert cases["身份证号"].str.match(r"^\d{6}\*{8}[\dX]{4}$").all()
    assert cases["联系电话"].str.match(r"^\d{3}\*{4}\d{4}$").all()
    assert not at.expander, "a county account cannot unmask"
    other = "231283" if row["county_code"] != "231283" else "231202"
    ok(at.selectbox(key="map_county").set_value(other).run())
    assert "只能查看本县(市)区" in " ".join(c.value for c in at.caption)
    assert "户主" not in at.dataframe[-1].value.columns


def test_leader_sees_aggregates_but_no_names(signed_in):
    at = signed_in("leader", "views/map.py")
    ok(at.selectbox(key="map_county").set_value("231283").run())
    assert all("户主" not in d.value.columns for d in at.dataframe)
    assert "仅对领导小组办公室和本县" in " ".join(c.value for c in at.caption)


def test_office_unmasks_one_household_with_a_reason(signed_in):
    at = signed_in("office", "views/map.py")
    ok(at.selectbox(key="map_county").set_value("231283").run())
    ok(at.button(key="unmask_button").click().run())
    assert at.error and "理由" in at.error[0].value
    at.text_input(key="unmask_reason").input("核实走访记录中的联系电话")
    ok(at.button(key="unmask_button").click().run())
    members = at.dataframe[-1].value
    assert not members["姓名"].str.contains(r"\*").any()
    assert members["身份证号"].str.match(r"^\d{17}[\dX]$").all()
    assert audit_actions("office")[-1] == "unmask"


def test_screen_account_sees_only_the_screen(signed_in):
    at = signed_in("screen")
    assert at.title[0].value.endswith("有效衔接") and len(at.metric) == 8  # the first panel: the KPI cards
    assert not any(b.key == "change_password" for b in at.sidebar.button)
    assert not at.main.selectbox and not at.main.button and not at.main.text_input  # no widgets on the screen


def test_idle_session_expires_after_30_minutes(signed_in):
    from datetime import datetime, timedelta

    at = signed_in("admin")
    state = at.session_state["auth"]
    state["last_active"] = datetime.now() - timedelta(minutes=31)
    at.session_state["auth"] = state
    ok(at.run())
    assert [t.label for t in at.text_input] == ["用户名", "密码"] and not at.metric
    assert "长时间未操作" in at.info[0].value
    assert audit_actions("admin")[-1] == "session_expired"


def test_change_own_password(demo_data):
    from data_access import accounts

    if accounts.account("pwuser") is None:
        accounts.create_user("pwuser", "First-passw0rd", "office", by="test")
    at = sign_in("pwuser", "First-passw0rd")
    ok(at.sidebar.button(key="change_password").click().run())
    at.text_input(key="pw_old").input("First-passw0rd")
    at.text_input(key="pw_new").input("Second-passw0rd")
    at.text_input(key="pw_again").input("Second-passw0rd")
    ok(at.button(key="pw_submit").click().run())
    assert audit_actions("pwuser")[-1] == "password_change"
    assert sign_in("pwuser", "Second-passw0rd").metric
    assert not sign_in("pwuser", "First-passw0rd").metric


def test_nothing_is_served_from_a_static_folder():
    """Streamlit serves static/ without a session: it stays off, so nothing personal can land there."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / ".streamlit" / "config.toml").read_text())
    assert not config.get("server", {}).get("enableStaticServing", False)
    assert not (root / "static").exists()


class _OidcUser(dict):
    is_logged_in = True


@pytest.mark.parametrize("subject,mapped", [("wang@example.gov.cn", True), ("stranger@example.com", False)])
def test_single_sign_on_maps_to_a_local_account(demo_data, monkeypatch, subject, mapped):
    """With an [auth] section configured, an st.login identity signs in as the mapped local account."""
    import streamlit as st

    from data_access import accounts
    from ui import auth

    if accounts.account_for_sso("wang@example.gov.cn") is None:
        accounts.create_user("wang", "Sso-only-passw0rd", "leader", by="test", sso_subject="wang@example.gov.cn")
    monkeypatch.setattr(auth, "_sso_configured", lambda: True)
    monkeypatch.setattr(st, "user", _OidcUser(email=subject))
    at = ok(AppTest.from_file(APP, default_timeout=TIMEOUT).run())
    if mapped:
        assert at.title[0].value == "总览" and audit_actions("wang")[-1] == "sign_in"
    else:
        assert at.error and "未在本系统开通" in at.error[0].value and not at.metric
