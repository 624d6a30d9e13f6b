"""Local accounts (data_access.accounts) and the audit log (data_access.audit) on a SQLite app database.

Times are moved with the functions' `now=` argument from T0; tokens issued without `now=` are checked
without it too (the real clock), since revocation by an account change stamps the real time.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import select

from data_access import accounts, audit, db
from data_access.accounts import AccountError
from data_access.models import AppBase
from data_access.models.app import AccountFailure, AuditLog, AuthToken, User
from data_access.scope import ROLES
from tests.conftest import using

T0 = datetime(2026, 11, 28, 9, 0)
PW = "Correct4horse"
BROWSER = "the-browser-cookie-of-the-signing-in-browser"
WK, BL = "231221", "231202"
CJK = re.compile(r"[\u4e00-\u9fff]")
REAL_HASHER = accounts._hasher  # before the fixture swaps in a cheap one


@pytest.fixture(autouse=True)
def app_db(tmp_path, monkeypatch):
    """An empty app database in a tmp folder; argon2 with cheap parameters so the module stays fast
    (test_real_hasher_is_argon2id checks the production parameters)."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with using(DASHBOARD_DATA_DIR=str(tmp_path)):
        AppBase.metadata.create_all(db.engine("app"))
        yield tmp_path


def make(username: str = "alice", role: str = "office", county: str | None = None, password: str = PW,
         **kw) -> accounts.Account:
    return accounts.create_user(username, password, role, county, by="admin", **kw)


def user_row(username: str) -> User:
    with db.engine("app").connect() as conn:
        return conn.execute(select(User).where(User.username == username)).one()


def audit_rows(action: str | None = None, username: str | None = None) -> list[tuple[str, str, str | None]]:
    """(username, detail, address) of the raw audit rows, oldest first."""
    q = select(AuditLog.username, AuditLog.action, AuditLog.detail, AuditLog.address).order_by(AuditLog.id)
    if action:
        q = q.where(AuditLog.action == action)
    if username:
        q = q.where(AuditLog.username == username)
    with db.engine("app").connect() as conn:
        return [(r.username, r.detail, r.address) for r in conn.execute(q)]


def error(excinfo) -> str:
    msg = str(excinfo.value)
    assert CJK.search(msg), msg  # every message shown to a user is Chinese
    return msg


def session_for(acc: accounts.Account, now: datetime | None = None) -> str:
    """A session token the way the app gets one: handoff issued at sign-in, redeemed by the cookie page."""
    return accounts.redeem_handoff(accounts.issue_token(acc, "handoff", browser=BROWSER, now=now), browser=BROWSER, now=now)


# ---------------------------------------------------------------- create_user


def test_create_user_returns_the_account_and_stores_an_argon2_hash():
    acc = make("alice", "office", display_name="张主任")
    assert (acc.username, acc.role, acc.county, acc.display_name) == ("alice", "office", None, "张主任")
    assert acc.scope.role == "office" and acc.scope.username == "alice"
    row = user_row("alice")
    assert row.password_hash.startswith("$argon2id$") and PW not in row.password_hash
    assert (row.disabled, row.failed_count, row.locked_until) == (False, 0, None)


def test_production_hasher_is_argon2id():
    assert REAL_HASHER.type is Type.ID
    hashed = REAL_HASHER.hash(PW)
    assert hashed.startswith("$argon2id$") and f"t={REAL_HASHER.time_cost}" in hashed
    assert REAL_HASHER.time_cost >= 2 and REAL_HASHER.memory_cost >= 19 * 1024  # OWASP minimum for argon2id
    assert REAL_HASHER.verify(hashed, PW)


def test_production_hasher_follows_owasp_and_hashes_run_on_a_bounded_pool():
    """19 MiB, 2 passes, 1 lane (OWASP Password Storage Cheat Sheet), at most HASH_SLOTS hashes at once per process:
    the memory of a sign-in rush is bounded by the pool, not by the number of people signing in."""
    assert (REAL_HASHER.memory_cost, REAL_HASHER.time_cost, REAL_HASHER.parallelism) == (19 * 1024, 2, 1)
    assert accounts._pool._max_workers == accounts.HASH_SLOTS <= 4


def test_a_hash_with_older_parameters_is_replaced_at_the_next_sign_in(monkeypatch):
    """Accounts made with argon2-cffi's defaults (64 MiB, 4 lanes) move to today's parameters when they sign in."""
    make("alice")
    old = PasswordHasher(time_cost=1, memory_cost=2048, parallelism=2).hash(PW)
    with db.engine("app").begin() as conn:
        conn.execute(User.__table__.update().where(User.username == "alice").values(password_hash=old))
    accounts.authenticate("alice", PW, now=T0)
    new = user_row("alice").password_hash
    assert new != old and "m=1024,t=1,p=1" in new and accounts._hasher.verify(new, PW)
    accounts.authenticate("alice", PW, now=T0)
    assert user_row("alice").password_hash == new, "an up-to-date hash is left alone"


@pytest.mark.parametrize("username", ["ab", "a" * 41, "张三", "bob smith", "x';--", "", "a/b"])
def test_create_user_rejects_bad_usernames(username):
    with pytest.raises(AccountError) as e:
        make(username)
    assert error(e) == "用户名须为3-40位字母、数字或 _ . @ -"


@pytest.mark.parametrize("username", ["abc", "a" * 40, "wang.wei@suihua", "county_01", "x-y"])
def test_create_user_accepts_good_usernames(username):
    assert make(username).username == username


@pytest.mark.parametrize("password", ["", "abc123", "abcdefg12", "abcdefghijk", "1234567890123", "！！！！！！！！！！"])
def test_create_user_password_rules(password):
    with pytest.raises(AccountError) as e:
        make(password=password)
    assert error(e) == "密码至少10位,且须同时包含字母和数字"
    assert accounts.users().empty


def test_password_of_exactly_ten_with_letters_and_digits_is_accepted():
    make(password="abcdefgh12")
    assert accounts.authenticate("alice", "abcdefgh12").username == "alice"


def test_duplicate_username():
    make("alice")
    with pytest.raises(AccountError) as e:
        make("alice", "leader")
    assert error(e) == "用户名 alice 已存在"
    assert list(accounts.users()["username"]) == ["alice"]


@pytest.mark.parametrize("county", [None, "", "23122", "2312210", "２３１２２１", "23122x"])
def test_county_role_needs_a_six_digit_county(county):
    with pytest.raises(AccountError) as e:
        make("wk01", "county", county)
    assert error(e) == "县(市)区账号必须指定6位县级区划代码"


def test_county_is_kept_only_for_county_accounts():
    assert make("wk01", "county", WK).county == WK
    assert make("chief", "office", WK).county is None  # an office account is never pinned to a county
    assert user_row("chief").county_code is None


def test_unknown_role():
    with pytest.raises(AccountError) as e:
        make("alice", "boss")
    assert error(e) == "未知角色:boss"
    assert isinstance(e.value, ValueError)


def test_users_lists_accounts_without_secrets():
    make("alice", "office")
    make("wk01", "county", WK)
    df = accounts.users()
    assert list(df.columns) == ["username", "display_name", "role", "county_code", "disabled", "locked_until",
                                "created_at"]
    assert list(df["username"]) == ["wk01", "alice"]  # by role code, then username
    assert df["county_code"].iloc[0] == WK and pd.isna(df["county_code"].iloc[1])


# ---------------------------------------------------------------- authenticate


def test_authenticate_success_is_audited():
    created = make("alice")
    acc = accounts.authenticate("alice", PW, address="10.0.0.5", now=T0)
    assert acc == created
    assert audit_rows("sign_in") == [("alice", "用户名密码登录", "10.0.0.5")]


def test_wrong_password():
    make("alice")
    with pytest.raises(AccountError) as e:
        accounts.authenticate("alice", "Wrong4horse", address="10.0.0.5", now=T0)
    assert error(e) == "用户名或密码错误"
    assert user_row("alice").failed_count == 1
    assert audit_rows("sign_in_failed") == [("alice", "密码错误(此地址第 1 次,账号连续第 1 次)", "10.0.0.5")]
    assert audit_rows("sign_in") == []


def test_unknown_user_gets_the_same_message():
    make("alice")
    with pytest.raises(AccountError) as e:
        accounts.authenticate("mallory", PW, now=T0)
    assert error(e) == "用户名或密码错误"  # no username probing
    assert audit_rows("sign_in_failed") == [("mallory", "用户不存在", None)]


def test_disabled_user_cannot_sign_in_even_with_the_right_password():
    make("alice")
    accounts.update_user("alice", by="admin", disabled=True)
    with pytest.raises(AccountError) as e:
        accounts.authenticate("alice", PW, now=T0)
    assert error(e) == "账号已停用,请联系管理员"
    assert audit_rows("sign_in_failed") == [("alice", "账号已停用", None)]
    assert accounts.account("alice") is None
    accounts.update_user("alice", by="admin", disabled=False)
    assert accounts.authenticate("alice", PW, now=T0).username == "alice"


def fail(username: str, at: datetime, password: str = "Wrong4horse", address: str | None = None) -> str:
    with pytest.raises(AccountError) as e:
        accounts.authenticate(username, password, now=at, address=address)
    return error(e)


def lock(username: str, address: str | None = None) -> None:
    """Five wrong passwords from one address, the fifth at T0: that pair is locked until T0 + 15 min."""
    for i in range(4, 0, -1):
        assert fail(username, T0 - timedelta(seconds=i), address=address) == "用户名或密码错误"
    assert fail(username, T0, address=address) == "连续 5 次登录失败,此账号在本设备上已锁定 15 分钟"


def pair_lock(username: str, address: str = "") -> datetime | None:
    with db.engine("app").connect() as conn:
        return conn.execute(select(AccountFailure.locked_until).join(User, User.id == AccountFailure.user_id)
                            .where(User.username == username, AccountFailure.address == address)).scalar()


def test_five_failures_lock_the_account_on_that_device_for_15_minutes():
    make("alice")
    lock("alice", "10.0.0.5")
    assert pair_lock("alice", "10.0.0.5") == T0 + timedelta(minutes=15)
    assert user_row("alice").locked_until is None, "the account itself is not locked"
    # the right password does not help on that device while locked
    on = "10.0.0.5"
    assert fail("alice", T0 + timedelta(minutes=1), PW, on) == "连续登录失败次数过多,此账号在本设备上已锁定,请 14 分钟后再试"
    assert fail("alice", T0 + timedelta(minutes=14), PW, on).endswith("请 1 分钟后再试")
    assert fail("alice", T0 + timedelta(minutes=14, seconds=59), PW, on).endswith("请 1 分钟后再试")
    # a colleague sharing the account on another device signs in meanwhile
    assert accounts.authenticate("alice", PW, now=T0 + timedelta(minutes=2), address="10.0.0.6").username == "alice"
    # wrong passwords while locked neither extend the lock nor count
    fail("alice", T0 + timedelta(minutes=10), address=on)
    assert pair_lock("alice", on) == T0 + timedelta(minutes=15)
    assert accounts.authenticate("alice", PW, now=T0 + timedelta(minutes=15), address=on).username == "alice"
    assert pair_lock("alice", on) is None and user_row("alice").failed_count == 0


def test_twenty_failures_from_many_addresses_lock_the_whole_account():
    """Parallel guessing from many devices: each pair stops at five, and the account stops at twenty in all."""
    make("alice")
    for i in range(accounts.ACCOUNT_FAILURES - 1):
        fail("alice", T0 + timedelta(seconds=i), address=f"10.1.0.{i // 4}")
    assert user_row("alice").locked_until is None
    assert fail("alice", T0 + timedelta(seconds=30), address="10.1.9.9") == "此账号连续 20 次登录失败,已暂停登录 15 分钟"
    assert user_row("alice").locked_until == T0 + timedelta(seconds=30, minutes=15)
    assert fail("alice", T0 + timedelta(minutes=1), PW, "10.2.0.1").startswith("此账号近期登录失败次数过多,已暂停登录")
    assert [d for _, d, _ in audit_rows("locked")] == ["连续 20 次登录失败,整个账号锁定 15 分钟"]
    assert accounts.authenticate("alice", PW, now=T0 + timedelta(minutes=16), address="10.2.0.1").username == "alice"


def test_lockout_is_audited_in_the_failed_sign_in_rows():
    make("alice")
    lock("alice")
    fail("alice", T0 + timedelta(minutes=3), PW)
    details = [d for _, d, _ in audit_rows("sign_in_failed")]
    # the fifth failure's detail carries the lock, and the lock gets a row of its own
    assert details == ([f"密码错误(此地址第 {i} 次,账号连续第 {i} 次)" for i in range(1, 5)]
                       + ["密码错误(此地址第 5 次,账号连续第 5 次),此地址锁定至 09:15", "账号在此地址锁定中"])
    assert [d for _, d, _ in audit_rows("locked")] == ["同一地址连续 5 次登录失败,该地址锁定 15 分钟"]
    df = audit.entries(username="alice", action="sign_in_failed")
    assert set(df["action"]) == {"登录失败"}
    assert df["detail"].iloc[1].endswith("锁定至 09:15")  # newest first: the locked attempt, then the lock


def test_after_the_lock_the_count_starts_again():
    make("alice")
    lock("alice")
    later = T0 + timedelta(minutes=15)
    for i in range(4):
        assert fail("alice", later + timedelta(seconds=i)) == "用户名或密码错误"
    assert fail("alice", later + timedelta(seconds=5)) == "连续 5 次登录失败,此账号在本设备上已锁定 15 分钟"


def test_success_resets_the_failure_counter():
    make("alice")
    for i in range(4):
        fail("alice", T0 + timedelta(seconds=i))
    assert user_row("alice").failed_count == 4
    accounts.authenticate("alice", PW, now=T0 + timedelta(seconds=10))
    assert user_row("alice").failed_count == 0
    for i in range(4):
        assert fail("alice", T0 + timedelta(seconds=20 + i)) == "用户名或密码错误"
    assert accounts.authenticate("alice", PW, now=T0 + timedelta(seconds=30)).username == "alice"
    assert [d for _, d, _ in audit_rows("sign_in_failed")][-1] == "密码错误(此地址第 4 次,账号连续第 4 次)"


def test_failures_of_one_user_do_not_lock_another():
    make("alice")
    make("bob")
    lock("alice")
    assert accounts.authenticate("bob", PW, now=T0).username == "bob"


# ---------------------------------------------------------------- tokens


def test_handoff_is_single_use_and_yields_a_session():
    acc = make("alice")
    handoff = accounts.issue_token(acc, "handoff", browser=BROWSER, address="10.0.0.5", now=T0)
    session = accounts.redeem_handoff(handoff, browser=BROWSER, now=T0 + timedelta(seconds=5))
    assert isinstance(session, str) and session != handoff
    assert accounts.redeem_handoff(handoff, browser=BROWSER, now=T0 + timedelta(seconds=6)) is None
    assert accounts.resume(session, now=T0 + timedelta(seconds=7)) == acc
    with db.engine("app").connect() as conn:
        kinds = dict(conn.execute(select(AuthToken.kind, AuthToken.address)).all())
    assert kinds == {"handoff": "10.0.0.5", "session": "10.0.0.5"}  # the session keeps the sign-in address


def test_handoff_works_only_in_the_browser_that_signed_in():
    acc = make("alice")
    handoff = accounts.issue_token(acc, "handoff", browser=BROWSER, now=T0)
    for other in (None, "", "another-browser", BROWSER + "x", "x" * 5000):
        assert accounts.redeem_handoff(handoff, browser=other, now=T0) is None
    assert accounts.redeem_handoff(handoff, browser=BROWSER, now=T0) is not None
    unbound = accounts.issue_token(acc, "handoff", now=T0)
    assert accounts.redeem_handoff(unbound, browser=BROWSER, now=T0) is None


def test_handoff_expires_after_60_seconds():
    acc = make("alice")
    late = accounts.issue_token(acc, "handoff", browser=BROWSER, now=T0)
    assert accounts.redeem_handoff(late, browser=BROWSER, now=T0 + timedelta(seconds=60)) is None
    in_time = accounts.issue_token(acc, "handoff", browser=BROWSER, now=T0)
    assert accounts.redeem_handoff(in_time, browser=BROWSER, now=T0 + timedelta(seconds=59)) is not None


def test_tokens_only_work_as_their_own_kind():
    acc = make("alice")
    handoff = accounts.issue_token(acc, "handoff", browser=BROWSER, now=T0)
    assert accounts.resume(handoff, now=T0) is None  # a handoff is not a session
    session = accounts.redeem_handoff(handoff, browser=BROWSER, now=T0)
    assert accounts.redeem_handoff(session, browser=BROWSER, now=T0) is None  # nor a session a handoff
    assert accounts.resume(session, "device", now=T0) is None


@pytest.mark.parametrize("token", [None, "", "x" * 101, "not-a-token", 12345])
def test_garbage_tokens_resume_nothing(token):
    acc = make("alice")
    session_for(acc, T0)
    assert accounts.resume(token, now=T0) is None
    assert accounts.redeem_handoff(token, browser=BROWSER, now=T0) is None


def test_session_expires_after_30_idle_minutes():
    acc = make("alice")
    session = session_for(acc, T0)
    assert accounts.resume(session, now=T0 + timedelta(minutes=29)) == acc  # the idle clock restarts
    last = T0 + timedelta(minutes=29)
    assert accounts.resume(session, now=last + timedelta(minutes=29)) == acc  # 58 minutes after sign-in
    last += timedelta(minutes=29)
    assert accounts.resume(session, now=last + timedelta(minutes=31)) is None


def test_session_idle_limit_is_exactly_30_minutes():
    acc = make("alice")
    a, b = session_for(acc, T0), session_for(acc, T0)
    assert accounts.resume(a, now=T0 + timedelta(minutes=30)) is None
    assert accounts.resume(b, now=T0 + timedelta(minutes=29, seconds=59)) == acc


def test_session_ends_after_12_hours_even_when_in_use():
    acc = make("alice")
    session = session_for(acc, T0)
    at = T0
    while at + timedelta(minutes=20) < T0 + timedelta(hours=12):
        at += timedelta(minutes=20)
        assert accounts.resume(session, now=at) == acc, at
    assert accounts.resume(session, now=T0 + timedelta(hours=12)) is None


def test_revoke_ends_one_session_only():
    acc = make("alice")
    a, b = session_for(acc, T0), session_for(acc, T0)
    accounts.revoke(a, now=T0 + timedelta(minutes=1))
    assert accounts.resume(a, now=T0 + timedelta(minutes=2)) is None
    assert accounts.resume(b, now=T0 + timedelta(minutes=2)) == acc


CHANGES = {
    "disable": lambda: accounts.update_user("wk01", by="admin", disabled=True),
    "role": lambda: accounts.update_user("wk01", by="admin", role="office"),
    "county": lambda: accounts.update_user("wk01", by="admin", county=BL),
    "password by admin": lambda: accounts.set_password("wk01", "Another4horse", by="admin"),
    "own password": lambda: accounts.change_own_password("wk01", PW, "Another4horse"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_account_changes_sign_the_user_out(change):
    wk01 = make("wk01", "county", WK)
    other = make("bob")
    session, handoff = session_for(wk01), accounts.issue_token(wk01, "handoff", browser=BROWSER)
    bob_session = session_for(other)
    assert accounts.resume(session) == wk01
    CHANGES[change]()
    assert accounts.resume(session) is None
    assert accounts.redeem_handoff(handoff, browser=BROWSER) is None
    assert accounts.resume(bob_session) == other  # nobody else is signed out
    if change == "disable":
        accounts.update_user("wk01", by="admin", disabled=False)
        assert accounts.resume(session) is None  # re-enabling does not bring old sessions back


def test_update_without_a_change_keeps_sessions_and_writes_no_audit_row():
    wk01 = make("wk01", "county", WK)
    session = session_for(wk01)
    before = len(audit_rows("user_change"))
    assert accounts.update_user("wk01", by="admin", role="county", county=WK, disabled=False) == wk01
    assert accounts.resume(session) == wk01
    assert len(audit_rows("user_change")) == before


def test_update_user_validates():
    make("wk01", "county", WK)
    with pytest.raises(AccountError) as e:
        accounts.update_user("nobody", by="admin", disabled=True)
    assert error(e) == "用户 nobody 不存在"
    make("alice", "office")
    with pytest.raises(AccountError) as e:
        accounts.update_user("alice", by="admin", role="county")  # county role without a county
    assert error(e) == "县(市)区账号必须指定6位县级区划代码"
    assert user_row("alice").role == "office"
    with pytest.raises(AccountError):
        accounts.update_user("wk01", by="admin", county="23120")
    assert user_row("wk01").county_code == WK
    # leaving the county role drops the county
    assert accounts.update_user("wk01", by="admin", role="leader").county is None


# ---------------------------------------------------------------- device tokens


def test_device_token_never_idles_out_and_revoke_device_ends_it():
    screen = make("screen1", "screen")
    token = accounts.create_device("screen1", "  三楼会议室大屏  ", by="admin", address="10.0.0.9")
    assert accounts.resume(token, "device", now=T0 + timedelta(days=400)) == screen
    assert accounts.resume(token, "device", now=T0 + timedelta(days=800)) == screen
    assert accounts.resume(token, now=T0) is None  # not a session
    df = accounts.devices()
    assert list(df.columns) == ["id", "name", "username", "created_at", "last_seen", "revoked_at"]
    assert (df["name"].iloc[0], df["username"].iloc[0]) == ("三楼会议室大屏", "screen1")
    assert pd.isna(df["revoked_at"].iloc[0])
    accounts.revoke_device(int(df["id"].iloc[0]), by="admin", address="10.0.0.1")
    assert accounts.resume(token, "device", now=T0) is None
    assert not pd.isna(accounts.devices()["revoked_at"].iloc[0])
    assert audit_rows("device_token") == [("admin", "为 screen1 创建大屏设备授权 三楼会议室大屏", "10.0.0.9"),
                                          ("admin", "撤销大屏设备授权 三楼会议室大屏", "10.0.0.1")]


def test_revoke_device_only_revokes_device_tokens():
    acc = make("alice")
    session_for(acc, T0)
    with db.engine("app").connect() as conn:
        session_id = conn.execute(select(AuthToken.id).where(AuthToken.kind == "session")).scalar_one()
    for token_id in (session_id, 9999):
        with pytest.raises(AccountError) as e:
            accounts.revoke_device(token_id, by="admin")
        assert error(e) == "设备授权不存在"


@pytest.mark.parametrize("who", ["office", "county", "leader", "admin", "disabled screen", "nobody"])
def test_create_device_only_for_an_enabled_screen_account(who):
    if who == "disabled screen":
        make("target", "screen")
        accounts.update_user("target", by="admin", disabled=True)
    elif who != "nobody":
        make("target", who, WK if who == "county" else None)
    with pytest.raises(AccountError) as e:
        accounts.create_device("target", "大屏", by="admin")
    assert error(e) == "设备授权只能绑定到启用的大屏账号"
    assert accounts.devices().empty


def test_create_device_needs_a_name():
    make("screen1", "screen")
    with pytest.raises(AccountError) as e:
        accounts.create_device("screen1", "   ", by="admin")
    assert error(e) == "请填写设备名称(如:三楼会议室大屏)"


def test_disabling_a_screen_account_ends_its_devices_but_a_password_reset_does_not():
    screen = make("screen1", "screen")
    token = accounts.create_device("screen1", "大厅", by="admin")
    accounts.set_password("screen1", "Another4horse", by="admin")  # only sessions and handoffs are revoked
    assert accounts.resume(token, "device") == screen
    accounts.update_user("screen1", by="admin", disabled=True)
    assert accounts.resume(token, "device") is None


# ---------------------------------------------------------------- secrets at rest


def test_the_database_stores_only_hashes():
    admin = make("root", "admin", password="Root4passw0rd")
    make("screen1", "screen", password="Screen4passw0rd")
    accounts.authenticate("root", "Root4passw0rd", now=T0)
    fail("root", T0 + timedelta(seconds=1), "Guess4passw0rd")
    handoff = accounts.issue_token(admin, "handoff", browser=BROWSER, now=T0)
    session = accounts.redeem_handoff(handoff, browser=BROWSER, now=T0)
    unused = accounts.issue_token(admin, "handoff", browser=BROWSER, now=T0)
    device = accounts.create_device("screen1", "大厅", by="root")
    accounts.change_own_password("root", "Root4passw0rd", "Newer4passw0rd")
    tokens = [handoff, session, unused, device]
    secrets = ["Root4passw0rd", "Screen4passw0rd", "Guess4passw0rd", "Newer4passw0rd", *tokens]

    cells = []
    with db.engine("app").connect() as conn:
        for table in AppBase.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                cells += [str(v) for v in row if v is not None]
        stored = set(conn.execute(select(AuthToken.token_hash)).scalars())
    assert cells
    leaks = [(s, c) for s in secrets for c in cells if s in c]
    assert leaks == []
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}


# ---------------------------------------------------------------- passwords


def test_change_own_password():
    make("alice")
    with pytest.raises(AccountError) as e:
        accounts.change_own_password("alice", "Wrong4horse", "Another4horse")
    assert error(e) == "原密码不正确"
    with pytest.raises(AccountError) as e:
        accounts.change_own_password("nobody", PW, "Another4horse")
    assert error(e) == "原密码不正确"
    with pytest.raises(AccountError) as e:
        accounts.change_own_password("alice", PW, PW)
    assert error(e) == "新密码不能与原密码相同"
    with pytest.raises(AccountError) as e:
        accounts.change_own_password("alice", PW, "short1")
    assert error(e) == "密码至少10位,且须同时包含字母和数字"
    assert audit_rows("password_change") == []
    accounts.change_own_password("alice", PW, "Another4horse", address="10.0.0.5")
    assert fail("alice", T0, PW) == "用户名或密码错误"
    assert accounts.authenticate("alice", "Another4horse", now=T0).username == "alice"
    assert audit_rows("password_change") == [("alice", "修改本人密码", "10.0.0.5")]


def test_admin_password_reset_clears_the_lock():
    make("alice")
    lock("alice")
    accounts.set_password("alice", "Another4horse", by="admin")
    assert accounts.authenticate("alice", "Another4horse", now=T0 + timedelta(minutes=1)).username == "alice"
    assert audit_rows("user_change")[-1] == ("admin", "重置用户 alice 的密码", None)
    assert audit_rows("password_change") == []
    with pytest.raises(AccountError) as e:
        accounts.set_password("nobody", "Another4horse", by="admin")
    assert error(e) == "用户 nobody 不存在"


def test_random_password_meets_the_rules():
    for _ in range(20):
        pw = accounts.random_password()
        accounts.check_password_rules(pw)
        assert len(pw) == 14


# ---------------------------------------------------------------- audit


def test_every_audited_action_writes_a_row():
    make("root", "admin")
    make("wk01", "county", WK)
    accounts.authenticate("wk01", PW, address="10.0.0.5", now=T0)
    fail("wk01", T0 + timedelta(seconds=1))
    accounts.update_user("wk01", by="root", role="office")
    accounts.update_user("wk01", by="root", disabled=True)
    accounts.set_password("wk01", "Another4horse", by="root")
    accounts.change_own_password("root", PW, "Another4horse")
    make("screen1", "screen")
    token = accounts.create_device("screen1", "大厅", by="root")
    accounts.revoke_device(int(accounts.devices()["id"].iloc[0]), by="root")
    audit.record("root", "export", "导出监测对象名单 县 231221 村 全部 14 条(已脱敏)", "10.0.0.1")
    assert accounts.resume(token, "device") is None

    assert audit_rows("user_change") == [
        ("admin", "创建用户 root,角色 系统管理员", None),
        ("admin", "创建用户 wk01,角色 县(市)区,县 231221", None),
        ("root", "用户 wk01:角色 县(市)区→领导小组办公室,县 231221→—", None),
        ("root", "用户 wk01:停用", None),
        ("root", "重置用户 wk01 的密码", None),
        ("admin", "创建用户 screen1,角色 大屏展示", None),
    ]
    assert audit_rows("sign_in") == [("wk01", "用户名密码登录", "10.0.0.5")]
    assert audit_rows("sign_in_failed") == [("wk01", "密码错误(此地址第 1 次,账号连续第 1 次)", None)]
    assert audit_rows("password_change") == [("root", "修改本人密码", None)]
    assert [d for _, d, _ in audit_rows("device_token")] == ["为 screen1 创建大屏设备授权 大厅", "撤销大屏设备授权 大厅"]
    assert audit_rows("export") == [("root", "导出监测对象名单 县 231221 村 全部 14 条(已脱敏)", "10.0.0.1")]

    df = audit.entries()
    assert list(df.columns) == ["at", "username", "action", "detail", "address"]
    assert set(df["action"]) == {"用户变更", "登录", "登录失败", "修改密码", "大屏设备授权", "导出"}
    assert set(df["action"]) <= set(audit.ACTIONS.values())


def test_audit_record_rejects_unknown_actions_and_truncates_detail():
    with pytest.raises(ValueError):
        audit.record("root", "drop_table", "x")
    audit.record("root", "export", "长" * 3000, "")
    df = audit.entries()
    assert len(df) == 1
    assert len(df["detail"].iloc[0]) == 2000
    assert df["address"].iloc[0] is None  # an empty address is stored as NULL


def test_audit_entries_filters():
    rows = [
        (datetime(2030, 3, 9, 23, 59, 59), "alice", "sign_in"),
        (datetime(2030, 3, 10, 0, 0), "alice", "export"),
        (datetime(2030, 3, 10, 12, 0), "bob", "sign_in"),
        (datetime(2030, 3, 11, 23, 59, 59), "alice", "unmask"),
        (datetime(2030, 3, 12, 0, 0), "bob", "export"),
    ]
    for at, user, action in rows:
        audit.record(user, action, f"{user} {action} {at:%d %H:%M}", at=at)

    def details(**kw):
        return list(audit.entries(**kw)["detail"])

    # newest first
    assert details() == ["bob export 12 00:00", "alice unmask 11 23:59", "bob sign_in 10 12:00", "alice export 10 00:00",
                         "alice sign_in 09 23:59"]
    assert details(username="alice") == ["alice unmask 11 23:59", "alice export 10 00:00", "alice sign_in 09 23:59"]
    assert details(action="export") == ["bob export 12 00:00", "alice export 10 00:00"]
    assert details(username="bob", action="sign_in") == ["bob sign_in 10 12:00"]
    # whole days, both ends included
    assert details(start=date(2030, 3, 10), end=date(2030, 3, 11)) == [
        "alice unmask 11 23:59", "bob sign_in 10 12:00", "alice export 10 00:00"]
    assert details(start=date(2030, 3, 12)) == ["bob export 12 00:00"]
    assert details(end=date(2030, 3, 9)) == ["alice sign_in 09 23:59"]
    assert details(start=date(2030, 3, 13)) == []
    assert details(limit=2) == ["bob export 12 00:00", "alice unmask 11 23:59"]
    assert details(username="mallory") == []
    df = audit.entries(start=date(2030, 3, 10), end=date(2030, 3, 10))
    assert list(df["action"]) == ["登录", "导出"]
    assert list(audit.entries(action="unmask")["action"]) == ["查看完整个人信息"]


def test_audit_entries_on_an_empty_log():
    df = audit.entries(username="nobody")
    assert df.empty and list(df.columns) == ["at", "username", "action", "detail", "address"]


def test_roles_have_chinese_labels():
    assert set(ROLES) == {"admin", "office", "county", "leader", "screen"}
    assert all(CJK.search(label) for label in ROLES.values())

