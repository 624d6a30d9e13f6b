"""Sign-in limits under parallel attempts, and exact username matching, on SQLite, PostgreSQL and MariaDB
(MariaDB's default collation compares case-insensitively and ignores trailing spaces)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import delete, select

from data_access import accounts, db
from data_access.accounts import AccountError
from data_access.models.app import AccountFailure, AuditLog, SignInFailure, User

PW = "Correct4horse"
T0 = datetime(2026, 11, 28, 9, 0)


@pytest.fixture()
def users(backend, monkeypatch):
    """Fresh accounts on the backend, with a cheap hasher so parallel attempts really overlap."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with db.engine("app").begin() as conn:
        for table in (AuditLog, SignInFailure, AccountFailure, User):
            conn.execute(delete(table))
    for name in ("alice", "bob"):
        accounts.create_user(name, PW, "office", by="test")
    yield


def details(username: str) -> list[str]:
    with db.engine("app").connect() as conn:
        return list(conn.execute(select(AuditLog.detail).where(AuditLog.username == username,
                                                               AuditLog.action == "sign_in_failed")
                                 .order_by(AuditLog.id)).scalars())


def attempt(username: str, password: str, address: str | None = None, at: datetime = T0) -> str:
    try:
        accounts.authenticate(username, password, address=address, now=at)
    except AccountError as e:
        return str(e)
    return "ok"


@pytest.mark.parametrize("parallel", [12, 20])
def test_parallel_wrong_passwords_are_each_counted_and_lock(users, parallel):
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(lambda i: attempt("alice", f"Wrong{i}horse"), range(parallel)))
    counts = [d for d in details("alice") if d.startswith("密码错误")]
    # every failure got its own number: 1..5 (the fifth locks, the count starts again), never twenty "第 1 次"
    numbers = sorted(int(d.split("此地址第 ")[1].split(" 次")[0]) for d in counts)
    assert len(counts) >= 5 and numbers == sorted(i % 5 + 1 for i in range(len(counts))), numbers
    totals = sorted(int(d.split("连续第 ")[1].split(" 次")[0]) for d in counts)
    assert totals == sorted(i % 20 + 1 for i in range(len(counts))), totals
    assert any("此地址锁定至" in d for d in counts)
    # locked on this address, and the whole account too when all twenty got past the check before the fifth
    assert attempt("alice", PW, at=T0 + timedelta(seconds=1)).startswith(("连续登录失败次数过多", "此账号近期"))
    assert attempt("bob", PW) == "ok"  # another account is untouched


def test_parallel_guessing_from_many_addresses_locks_the_account_at_twenty(users):
    """40 wrong passwords at once from 40 addresses: each is counted, the account locks at exactly the twentieth,
    and then even the right password from a fresh address is refused."""
    with ThreadPoolExecutor(20) as pool:
        list(pool.map(lambda i: attempt("alice", f"Wrong{i}horse", address=f"10.7.0.{i}"), range(40)))
    totals = sorted(int(d.split("连续第 ")[1].split(" 次")[0]) for d in details("alice") if d.startswith("密码错误"))
    # each counted once: 1..20 locks (the count starts again for attempts already past the check), never repeats
    assert len(totals) >= 20 and totals == sorted(i % 20 + 1 for i in range(len(totals))), totals
    assert attempt("alice", PW, address="10.7.1.1").startswith("此账号近期登录失败次数过多")
    assert attempt("bob", PW, address="10.7.1.1") == "ok"


def test_one_persons_typos_do_not_lock_colleagues(users):
    for i in range(5):
        attempt("alice", "Wrong4horse", address="10.6.0.1", at=T0 + timedelta(seconds=i))
    assert attempt("alice", PW, address="10.6.0.1", at=T0 + timedelta(minutes=1)).startswith("连续登录失败次数过多")
    assert attempt("alice", PW, address="10.6.0.2", at=T0 + timedelta(minutes=1)) == "ok"


def test_an_address_is_refused_after_20_failures(users):
    for i in range(20):
        attempt("nobody", "Wrong4horse", address="10.9.9.9", at=T0 + timedelta(seconds=i))
    assert attempt("bob", PW, address="10.9.9.9", at=T0 + timedelta(minutes=1)).startswith("此地址登录失败次数过多")
    assert attempt("bob", PW, address="10.9.9.8", at=T0 + timedelta(minutes=1)) == "ok"  # other addresses are not
    assert attempt("bob", PW, address="10.9.9.9", at=T0 + timedelta(minutes=16)) == "ok"  # the window passes


def test_parallel_failures_from_one_address_are_all_counted(users):
    with ThreadPoolExecutor(20) as pool:
        list(pool.map(lambda i: attempt(f"user{i}", "Wrong4horse", address="10.8.8.8"), range(20)))
    with db.engine("app").connect() as conn:
        assert conn.execute(select(SignInFailure.count).where(SignInFailure.address == "10.8.8.8")).scalar() == 20
    assert attempt("bob", PW, address="10.8.8.8").startswith("此地址登录失败次数过多")


@pytest.mark.parametrize("variant", ["ALICE", "Alice", "alice ", " alice"])
def test_only_the_exact_username_signs_in_or_counts(users, variant):
    assert attempt(variant, PW) == "用户名或密码错误"
    for _ in range(6):
        attempt(variant, "Wrong4horse")
    assert attempt("alice", PW) == "ok", "failures under another spelling never lock alice"
    assert details(variant) and all(d == "用户不存在" for d in details(variant))


def test_overlong_input_is_refused_and_logged_bounded(users):
    assert attempt("x" * 5000, PW) == "用户名或密码错误"
    assert attempt("alice", "p" * 100_000) == "用户名或密码错误"
    with db.engine("app").connect() as conn:
        names = list(conn.execute(select(AuditLog.username).where(AuditLog.action == "sign_in_failed")).scalars())
    assert max(len(n) for n in names) <= accounts.USERNAME_MAX
