"""Local accounts: argon2 password hashes, lockout, and hashed sign-in tokens."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import string
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access import audit
from data_access.codes import is_code
from data_access.db import engine
from data_access.models.app import AccountFailure, AuthToken, SignInFailure, User
from data_access.scope import ROLES, Scope

MAX_FAILURES = 5  # wrong passwords of one account from one address within FAILURE_WINDOW: that pair is locked
ACCOUNT_FAILURES = 20  # consecutive wrong passwords of one account from anywhere: the whole account is locked
LOCK_MINUTES = 15
FAILURE_WINDOW = timedelta(minutes=15)
ADDRESS_FAILURES = 20  # failed sign-ins from one address within ADDRESS_WINDOW before it is refused
ADDRESS_WINDOW = timedelta(minutes=15)
USERNAME_MAX = 40
PASSWORD_MAX = 128
IDLE_MINUTES = 30
SESSION_HOURS = 12
HANDOFF_SECONDS = 60
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{3,40}$")
# argon2id as the OWASP Password Storage Cheat Sheet recommends (19 MiB, 2 passes, 1 lane) instead of argon2-cffi's
# default 64 MiB x 4 lanes: 20 sign-ins at once took a server from 300 MB to 1.2 GB. Hashes made with other
# parameters still verify and are rehashed at the next sign-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Hashes run on a few threads of their own: two cores gain nothing from more, the 41st simultaneous sign-in then
# costs no more memory than the 5th, and the memory glibc keeps per thread after a hash stays with these threads.
HASH_SLOTS = 4
_pool = ThreadPoolExecutor(HASH_SLOTS, thread_name_prefix="argon2")


class AccountError(ValueError):
    """A bad account request, with a message in Chinese for the user."""


@dataclass(frozen=True)
class Account:
    """A signed-in user as the app sees it (no password hash)."""

    id: int
    username: str
    role: str
    county: str | None
    display_name: str | None

    @property
    def scope(self) -> Scope:
        return Scope(self.username, self.role, self.county)


def _account(u: User) -> Account:
    return Account(u.id, u.username, u.role, u.county_code, u.display_name)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now()


def hash_password(password: str) -> str:
    """argon2id hash of a password."""
    return _pool.submit(_hasher.hash, password).result()


def check_password_rules(password: str) -> None:
    """At least 10 characters with letters and digits, at most 128."""
    if len(password) > PASSWORD_MAX:
        raise AccountError("密码不超过128位")
    if len(password) < 10 or not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise AccountError("密码至少10位,且须同时包含字母和数字")


def random_password() -> str:
    """A random password that meets the rules."""
    alphabet = string.ascii_letters + string.digits
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(14))
        if re.search(r"[A-Za-z]", pw) and re.search(r"\d", pw):
            return pw


def _validate(username: str, role: str, county: str | None) -> None:
    if not USERNAME.match(username):
        raise AccountError("用户名须为3-40位字母、数字或 _ . @ -")
    if role not in ROLES:
        raise AccountError(f"未知角色:{role}")
    if role == "county" and not is_code(county):
        raise AccountError("县(市)区账号必须指定6位县级区划代码")


def create_user(username: str, password: str, role: str, county: str | None = None, *, by: str = "system",
                display_name: str | None = None, address: str | None = None, check_rules: bool = True,
                sso_subject: str | None = None) -> Account:
    """Create an account (audited); sso_subject maps a single-sign-on identity (e-mail) to it."""
    _validate(username, role, county)
    if check_rules:
        check_password_rules(password)
    if len(password) > PASSWORD_MAX or len(display_name or "") > 40 or len(sso_subject or "") > 200:
        raise AccountError("密码不超过128位,名称不超过40个字,统一身份认证账号不超过200个字符")
    with Session(engine("app")) as s, s.begin():
        if s.scalar(select(User.id).where(User.username == username)) is not None:
            raise AccountError(f"用户名 {username} 已存在")
        u = User(username=username, password_hash=hash_password(password), role=role,
                 county_code=county if role == "county" else None, disabled=False, failed_count=0,
                 created_at=datetime.now(), display_name=display_name, sso_subject=sso_subject or None)
        s.add(u)
        s.flush()
        acc = _account(u)
    audit.record(by, "user_change", f"创建用户 {username},角色 {ROLES[role]}" + (f",县 {county}" if county else ""),
                 address)
    return acc


def update_user(username: str, *, by: str, role: str | None = None, county: str | None = None,
                disabled: bool | None = None, address: str | None = None) -> Account:
    """Change role, county or the disabled flag (audited); any change signs the user out everywhere."""
    with Session(engine("app")) as s, s.begin():
        u = s.scalar(select(User).where(User.username == username))
        if u is None:
            raise AccountError(f"用户 {username} 不存在")
        new_role = role or u.role
        new_county = (county if county is not None else u.county_code) if new_role == "county" else None
        _validate(username, new_role, new_county)
        changes = []
        if new_role != u.role:
            changes.append(f"角色 {ROLES[u.role]}→{ROLES[new_role]}")
            u.role = new_role
        if new_county != u.county_code:
            changes.append(f"县 {u.county_code or '—'}→{new_county or '—'}")
            u.county_code = new_county
        if disabled is not None and disabled != u.disabled:
            changes.append("停用" if disabled else "启用")
            u.disabled = disabled
        if changes:
            _revoke_all(s, u.id)
        acc = _account(u)
    if changes:
        audit.record(by, "user_change", f"用户 {username}:" + ",".join(changes), address)
    return acc


def set_password(username: str, password: str, *, by: str, address: str | None = None) -> None:
    """Set a new password (audited), clear the lockout and revoke the user's sessions."""
    check_password_rules(password)
    with Session(engine("app")) as s, s.begin():
        u = s.scalar(select(User).where(User.username == username))
        if u is None:
            raise AccountError(f"用户 {username} 不存在")
        u.password_hash = hash_password(password)
        u.failed_count, u.locked_until = 0, None
        s.execute(delete(AccountFailure).where(AccountFailure.user_id == u.id))
        _revoke_all(s, u.id, kinds=("session", "handoff"))
    action = "password_change" if by == username else "user_change"
    audit.record(by, action, f"{'修改本人密码' if by == username else '重置用户 ' + username + ' 的密码'}", address)


def change_own_password(username: str, old: str, new: str, address: str | None = None) -> None:
    """Change one's own password after checking the old one."""
    with Session(engine("app")) as s:
        u = s.scalar(select(User).where(User.username == username))
        if u is None or not _verify(u.password_hash, old):
            raise AccountError("原密码不正确")
    if old == new:
        raise AccountError("新密码不能与原密码相同")
    set_password(username, new, by=username, address=address)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _pool.submit(_hasher.verify, hashed, password).result()
    except (VerificationError, InvalidHashError):
        return False


def _rehashed(hashed: str, password: str) -> dict:
    """The new hash of a correct password whose hash has other parameters than today's, else nothing."""
    try:
        return {"password_hash": hash_password(password)} if _hasher.check_needs_rehash(hashed) else {}
    except InvalidHashError:
        return {}


def _count_failure(user_id: int, now: datetime) -> tuple[int, datetime | None]:
    """Add one account-wide failure atomically (UPDATE ... SET failed_count = failed_count + 1, then read it back
    under the row lock the UPDATE holds); the ACCOUNT_FAILURES-th locks the whole account. Returns (this failure's
    number, locked until)."""
    with engine("app").begin() as conn:
        conn.execute(update(User).where(User.id == user_id).values(failed_count=User.failed_count + 1))
        count = int(conn.execute(select(User.failed_count).where(User.id == user_id)).scalar_one())
        if count < ACCOUNT_FAILURES:
            return count, None
        until = now + timedelta(minutes=LOCK_MINUTES)
        conn.execute(update(User).where(User.id == user_id).values(failed_count=0, locked_until=until))
        return count, until


def _pair_failure(user_id: int, address: str, now: datetime) -> tuple[int, datetime | None]:
    """Add one failure of this account from this address in the current window, atomically on every backend; the
    MAX_FAILURES-th locks the pair. Returns (this failure's number in the window, locked until)."""
    pair = (AccountFailure.user_id == user_id) & (AccountFailure.address == address)
    stale = AccountFailure.window_start <= now - FAILURE_WINDOW
    bump = update(AccountFailure).where(pair).values(count=case((stale, 1), else_=AccountFailure.count + 1),
                                                     window_start=case((stale, now), else_=AccountFailure.window_start))
    for _ in range(2):
        with engine("app").begin() as conn:
            if conn.execute(bump).rowcount:
                count = int(conn.execute(select(AccountFailure.count).where(pair)).scalar_one())
                if count < MAX_FAILURES:
                    return count, None
                until = now + timedelta(minutes=LOCK_MINUTES)
                conn.execute(update(AccountFailure).where(pair).values(count=0, locked_until=until))
                return count, until
        try:
            with engine("app").begin() as conn:
                conn.execute(insert(AccountFailure).values(user_id=user_id, address=address, window_start=now, count=1))
            return 1, None
        except IntegrityError:  # another attempt inserted the row first: bump it
            continue
    raise RuntimeError("sign-in failure could not be counted")


def _pair_locked(user_id: int, address: str, now: datetime) -> datetime | None:
    q = select(AccountFailure.locked_until).where(AccountFailure.user_id == user_id, AccountFailure.address == address)
    with engine("app").connect() as conn:
        until = conn.execute(q).scalar()
    return until if until and until > now else None


def _lock_message(until: datetime, now: datetime, *, whole: bool) -> str:
    minutes = max(math.ceil((until - now).total_seconds() / 60), 1)
    if whole:
        return f"此账号近期登录失败次数过多,已暂停登录,请 {minutes} 分钟后再试或联系管理员"
    return f"连续登录失败次数过多,此账号在本设备上已锁定,请 {minutes} 分钟后再试"


def _address_failure(address: str, now: datetime) -> None:
    """Count a failed sign-in from an address in the current window, atomically on every backend."""
    stale = SignInFailure.window_start <= now - ADDRESS_WINDOW
    bump = (update(SignInFailure).where(SignInFailure.address == address)
            .values(count=case((stale, 1), else_=SignInFailure.count + 1),
                    window_start=case((stale, now), else_=SignInFailure.window_start)))
    for _ in range(2):
        with engine("app").begin() as conn:
            if conn.execute(bump).rowcount:
                return
        try:
            with engine("app").begin() as conn:
                conn.execute(insert(SignInFailure).values(address=address, window_start=now, count=1))
            return
        except IntegrityError:  # another attempt inserted the row first: bump it
            continue


def _address_blocked(address: str | None, now: datetime) -> bool:
    if not address:
        return False
    q = select(SignInFailure.count).where(SignInFailure.address == address,
                                          SignInFailure.window_start > now - ADDRESS_WINDOW)
    with engine("app").connect() as conn:
        return (conn.execute(q).scalar() or 0) >= ADDRESS_FAILURES


def authenticate(username: str, password: str, *, address: str | None = None,
                 now: datetime | None = None) -> Account:
    """Check a password. Five failures of one account from one address within 15 minutes lock that pair for 15
    minutes (colleagues sharing the account elsewhere still sign in); 20 consecutive failures from anywhere lock
    the account; 20 failures from one address within 15 minutes refuse that address. Counted atomically, so
    parallel attempts cannot get round any limit. Audited either way; user input is bounded before it reaches
    the database or the log."""
    now = _now(now)
    shown = bounded(username, USERNAME_MAX)
    where = bounded(address or "", 60)
    failure = detail = None
    user = None
    if len(username) > USERNAME_MAX or len(password) > PASSWORD_MAX:
        failure, detail = "用户名或密码错误", "用户名或密码超长"
    elif _address_blocked(address, now):
        failure, detail = f"此地址登录失败次数过多,请 {int(ADDRESS_WINDOW.total_seconds() // 60)} 分钟后再试", "来源地址登录失败过多"
    else:
        with Session(engine("app")) as s:
            user = s.scalar(select(User).where(User.username == username))
            # MariaDB's default collation matches "Alice" and "alice " to "alice": only an exact match counts
            if user is not None and user.username != username:
                user = None
            if user is not None:
                s.expunge(user)
        if user is None:
            _verify(_dummy_hash(), password)  # same cost as a real check: no username probing by timing
            failure, detail = "用户名或密码错误", "用户不存在"
        elif user.disabled:
            failure, detail = "账号已停用,请联系管理员", "账号已停用"
        elif user.locked_until and user.locked_until > now:
            failure, detail = _lock_message(user.locked_until, now, whole=True), "账号锁定中"
        elif until := _pair_locked(user.id, where, now):
            failure, detail = _lock_message(until, now, whole=False), "账号在此地址锁定中"
    locked = None
    if failure is None and _verify(user.password_hash, password):
        with engine("app").begin() as conn:  # a lock set by parallel attempts meanwhile still holds
            until = conn.execute(select(User.locked_until).where(User.id == user.id)).scalar()
            pair = _pair_locked(user.id, where, now)
            if (until and until > now) or pair:
                failure, detail = "连续登录失败次数过多,账号已锁定,请稍后再试", "账号锁定中"
            else:
                conn.execute(update(User).where(User.id == user.id)
                             .values(failed_count=0, locked_until=None, **_rehashed(user.password_hash, password)))
                conn.execute(delete(AccountFailure).where(AccountFailure.user_id == user.id,
                                                          AccountFailure.address == where))
    elif failure is None:
        count, locked = _pair_failure(user.id, where, now)
        total, whole = _count_failure(user.id, now)
        failure, detail = "用户名或密码错误", f"密码错误(此地址第 {count} 次,账号连续第 {total} 次)"
        if whole:
            failure = f"此账号连续 {ACCOUNT_FAILURES} 次登录失败,已暂停登录 {LOCK_MINUTES} 分钟"
            detail += f",账号锁定至 {whole:%H:%M}"
            locked = ("account", whole)
        elif locked:
            failure = f"连续 {MAX_FAILURES} 次登录失败,此账号在本设备上已锁定 {LOCK_MINUTES} 分钟"
            detail += f",此地址锁定至 {locked:%H:%M}"
            locked = ("pair", locked)
    if failure:
        if address and detail not in ("账号锁定中", "账号在此地址锁定中", "来源地址登录失败过多"):
            _address_failure(address, now)
        audit.record(shown, "sign_in_failed", detail, address, at=now)
        if locked:
            audit.record(shown, "locked", f"连续 {ACCOUNT_FAILURES} 次登录失败,整个账号锁定 {LOCK_MINUTES} 分钟"
                         if locked[0] == "account" else
                         f"同一地址连续 {MAX_FAILURES} 次登录失败,该地址锁定 {LOCK_MINUTES} 分钟", address, at=now)
        raise AccountError(failure)
    audit.record(user.username, "sign_in", "用户名密码登录", address, at=now)
    return _account(user)


def bounded(text: str, limit: int) -> str:
    """User-supplied text cut to a length the database and the log take (with … when cut)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("dummy-password-for-timing-0")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _revoke_all(s: Session, user_id: int, kinds=("session", "handoff", "device")) -> None:
    s.execute(update(AuthToken).where(AuthToken.user_id == user_id, AuthToken.kind.in_(kinds),
                                      AuthToken.revoked_at.is_(None)).values(revoked_at=datetime.now()))


LIFETIMES = {"handoff": timedelta(seconds=HANDOFF_SECONDS), "session": timedelta(hours=SESSION_HOURS), "device": None}


def _add_token(s: Session, user_id: int, kind: str, now: datetime, *, name: str | None = None,
               address: str | None = None, browser: str | None = None) -> str:
    """Add a new random token of a kind to the session; only its SHA-256 is stored (and the browser cookie's
    SHA-256 for a handoff bound to a browser)."""
    token = secrets.token_urlsafe(32)
    life = LIFETIMES[kind]
    s.add(AuthToken(token_hash=_digest(token), kind=kind, user_id=user_id, name=name, created_at=now,
                    last_seen=now, expires_at=now + life if life else None, address=address,
                    browser_hash=_digest(browser) if browser else None))
    return token


def issue_token(account: Account, kind: str, *, name: str | None = None, address: str | None = None,
                browser: str | None = None, now: datetime | None = None) -> str:
    """A new random token; only its SHA-256 is stored. A handoff must be bound to the signing-in browser's
    cookie (browser), or no browser can redeem it."""
    with Session(engine("app")) as s, s.begin():
        return _add_token(s, account.id, kind, _now(now), name=name, address=address, browser=browser)


def _live(s: Session, token: str, kind: str, now: datetime) -> tuple[AuthToken, User] | None:
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    row = s.execute(select(AuthToken, User).join(User, User.id == AuthToken.user_id)
                    .where(AuthToken.token_hash == _digest(token), AuthToken.kind == kind)).first()
    if row is None:
        return None
    t, u = row
    if t.revoked_at or u.disabled or (t.expires_at and t.expires_at <= now):
        return None
    if kind == "session" and t.last_seen + timedelta(minutes=IDLE_MINUTES) <= now:
        return None
    return t, u


def redeem_handoff(token: str, *, browser: str | None, now: datetime | None = None) -> str | None:
    """Exchange a one-use handoff token for the session token the cookie will carry, in the browser that
    signed in only (login CSRF: a handoff link sent to someone else signs nobody in)."""
    now = _now(now)
    with Session(engine("app")) as s, s.begin():
        live = _live(s, token, "handoff", now)
        if live is None:
            return None
        t, u = live
        if not browser or not isinstance(browser, str) or len(browser) > 100 or t.browser_hash != _digest(browser):
            return None
        t.revoked_at = now
        return _add_token(s, u.id, "session", now, address=t.address)


def resume(token: str, kind: str = "session", *, now: datetime | None = None) -> Account | None:
    """The account behind a live session or device token, marking it seen (idle clock restarts)."""
    now = _now(now)
    with Session(engine("app")) as s, s.begin():
        live = _live(s, token, kind, now)
        if live is None:
            return None
        t, u = live
        t.last_seen = now
        return _account(u)


def revoke(token: str, *, now: datetime | None = None) -> None:
    """Revoke one token (sign-out, or a device taken out of service)."""
    with Session(engine("app")) as s, s.begin():
        s.execute(update(AuthToken).where(AuthToken.token_hash == _digest(token), AuthToken.revoked_at.is_(None))
                  .values(revoked_at=_now(now)))


def revoke_device(token_id: int, *, by: str, address: str | None = None) -> None:
    """Revoke a device token by its id (admin page)."""
    with Session(engine("app")) as s, s.begin():
        t = s.get(AuthToken, token_id)
        if t is None or t.kind != "device":
            raise AccountError("设备授权不存在")
        t.revoked_at = datetime.now()
        name = t.name
    audit.record(by, "device_token", f"撤销大屏设备授权 {name}", address)


def account(username: str) -> Account | None:
    """An enabled account by username."""
    with Session(engine("app")) as s:
        u = s.scalar(select(User).where(User.username == username, User.disabled.is_(False)))
        return _account(u) if u else None


def account_for_sso(subject: str) -> Account | None:
    """The enabled local account mapped to an OIDC identity (e-mail or subject)."""
    with Session(engine("app")) as s:
        u = s.scalar(select(User).where(User.sso_subject == subject, User.disabled.is_(False)))
        return _account(u) if u else None


def users() -> pd.DataFrame:
    """All accounts without secrets. Columns: username, display_name, role, county_code, disabled,
    locked_until, created_at."""
    q = select(User.username, User.display_name, User.role, User.county_code, User.disabled, User.locked_until,
               User.created_at).order_by(User.role, User.username)
    with engine("app").connect() as conn:
        return pd.DataFrame(conn.execute(q).all(), columns=["username", "display_name", "role", "county_code",
                                                            "disabled", "locked_until", "created_at"])


def devices() -> pd.DataFrame:
    """Device tokens. Columns: id, name, username, created_at, last_seen, revoked_at."""
    q = (select(AuthToken.id, AuthToken.name, User.username, AuthToken.created_at, AuthToken.last_seen,
                AuthToken.revoked_at).join(User, User.id == AuthToken.user_id)
         .where(AuthToken.kind == "device").order_by(AuthToken.created_at.desc()))
    with engine("app").connect() as conn:
        return pd.DataFrame(conn.execute(q).all(), columns=["id", "name", "username", "created_at", "last_seen",
                                                            "revoked_at"])


def create_device(username: str, name: str, *, by: str, address: str | None = None) -> str:
    """Bind a presentation screen to a screen account: returns the device token, shown once."""
    acc = account(username)
    if acc is None or acc.role != "screen":
        raise AccountError("设备授权只能绑定到启用的大屏账号")
    if not name.strip():
        raise AccountError("请填写设备名称(如:三楼会议室大屏)")
    token = issue_token(acc, "device", name=name.strip()[:60])
    audit.record(by, "device_token", f"为 {username} 创建大屏设备授权 {name.strip()[:60]}", address)
    return token
