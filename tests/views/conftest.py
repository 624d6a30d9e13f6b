"""Sign in through the real form in AppTest, with the demo accounts of the seeded folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import read_accounts

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 120


@pytest.fixture()
def demo_accounts(demo_data) -> dict[str, dict]:
    """Rows of demo-accounts.csv by username (and the first account of each role by role)."""
    return read_accounts(demo_data)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def sign_in(username: str, password: str, page: str | None = None) -> AppTest:
    """A fresh AppTest signed in through 用户名 / 密码 / 登录, optionally switched to a page."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input(key="sign_in_user").input(username)
    at.text_input(key="sign_in_password").input(password)
    ok(at.button(key="sign_in_button").click().run())
    if page:
        at.switch_page(page)
        ok(at.run())
    return at


@pytest.fixture()
def signed_in(demo_accounts):
    """signed_in(role_or_username, page=None) -> AppTest."""
    def make(who: str, page: str | None = None) -> AppTest:
        row = demo_accounts[who]
        return sign_in(row["username"], row["password"], page)
    return make
