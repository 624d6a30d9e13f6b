"""First-start seeding: demo data into the default SQLite files, atomically and once."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import os
import re
import shutil
import sys
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import inspect, make_url, select

from data_access import db
from data_access.models.monitoring import DatasetInfo
from data_access.settings import settings

FILES = {"monitoring": "monitoring.db", "industry": "industry.db", "app": "app.db"}
ACCOUNTS_FILE = "demo-accounts.csv"


def uses_default_files() -> bool:
    """True when every database is the default SQLite file under the data folder."""
    s = settings()
    urls = (s.monitoring_url, s.industry_url, s.app_url)
    return all(u == f"sqlite:///{s.data_dir / f}" for u, f in zip(urls, FILES.values()))


def has_data() -> bool:
    """True when the monitoring database holds a loaded data set."""
    s = settings()
    if uses_default_files() and not (s.data_dir / FILES["monitoring"]).is_file():
        return False
    eng = db.engine("monitoring")
    if not inspect(eng).has_table(DatasetInfo.__tablename__):
        return False
    with eng.connect() as conn:
        return conn.execute(select(DatasetInfo.value).where(DatasetInfo.key == "data_date")).first() is not None


_APP_SCHEMA_DONE: set[str] = set()


def ensure_app_tables() -> None:
    """Create the app database's missing tables (a new version may add one) once per process and URL: the
    dashboard owns that database; the monitoring and industry databases it never alters."""
    url = settings().app_url
    if url not in _APP_SCHEMA_DONE:
        if uses_default_files():  # a folder made before this version may still be open to everyone
            secure_files(private_folder(settings().data_dir))
        from data_access.models import AppBase

        eng = db.engine("app")
        AppBase.metadata.create_all(eng, checkfirst=True)
        _add_missing_columns(eng, AppBase.metadata)
        _APP_SCHEMA_DONE.add(url)


def _add_missing_columns(eng, metadata) -> None:
    """Add the nullable columns a newer version gave an existing table. The DDL names only tables and columns
    of the models, quoted by the dialect (there is no Core construct for ADD COLUMN); no input reaches it."""
    inspector = inspect(eng)
    prep = eng.dialect.identifier_preparer
    with eng.begin() as conn:
        for table in metadata.sorted_tables:
            have = {c["name"] for c in inspector.get_columns(table.name)}
            for col in table.columns:
                if col.name not in have and col.nullable:
                    conn.exec_driver_sql(f"ALTER TABLE {prep.quote(table.name)} ADD COLUMN {prep.quote(col.name)} "
                                         f"{col.type.compile(eng.dialect)}")


def terminal_progress(fraction: float, message: str) -> None:
    """Print seeding progress on the terminal."""
    bar = "#" * int(fraction * 30)
    print(f"\r[{bar:<30}] {fraction:4.0%} {message}", end="\n" if fraction >= 1 else "", file=sys.stderr,
          flush=True)


def private_folder(folder: Path) -> Path:
    """The data folder, created if need be, readable by this user only (0700), whatever the umask."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def secure_files(folder: Path) -> None:
    """The databases (with SQLite's -wal and -shm, which SQLite creates with the database file's mode) and the
    accounts file readable by this user only (0600)."""
    for name in [*FILES.values(), *(p.name for p in folder.glob("demo-accounts*.csv")), ".seed.lock"]:
        for path in (folder / name, folder / (name + "-wal"), folder / (name + "-shm")):
            if path.is_file():
                os.chmod(path, 0o600)


@contextmanager
def _lock(folder: Path):
    private_folder(folder)
    fd = os.open(folder / ".seed.lock", os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)



def accounts_file() -> Path:
    """Where the demo accounts of the configured databases are kept: demo-accounts.csv beside the default SQLite
    files; for other databases a file named after them, so seeding one never overwrites the other's accounts."""
    s = settings()
    if uses_default_files():
        return s.data_dir / ACCOUNTS_FILE
    url = make_url(s.app_url)
    name = re.sub(r"[^A-Za-z0-9_-]", "_", Path(url.database or "app").stem)[:40]
    digest = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:8]
    return s.data_dir / f"demo-accounts-{url.get_backend_name()}-{name}-{digest}.csv"


def write_accounts(path: Path, accounts: list[dict]) -> Path:
    """The demo accounts file (username,password,role,county_code), readable by the owner only."""
    private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)  # also when the file was already there
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["username", "password", "role", "county_code"])
        for a in accounts:
            w.writerow([a["username"], a["password"], a["role"], a["county_code"] or ""])
    return path


def print_accounts(accounts: list[dict], path: Path) -> None:
    """Show the demo accounts once on the terminal, with the county name of each county account."""
    from data_access.scope import ROLES

    print(f"\n演示账号(密码只显示这一次,另存于 {path}):", file=sys.stderr)
    print(f"  {'用户名':<14}{'密码':<15}角色", file=sys.stderr)
    for a in accounts:
        county = f" {a.get('county_name') or ''}({a['county_code']})" if a["county_code"] else ""
        print(f"  {a['username']:<17}{a['password']:<17}{ROLES.get(a['role'], a['role'])}{county}", file=sys.stderr)
    print("", file=sys.stderr, flush=True)


def print_next_step(url: str | None) -> None:
    """Tell a newcomer what to do once the data is there."""
    where = url or "看板地址(默认 http://localhost:8501)"
    print(f"下一步:在浏览器中打开 {where},用上面(或 {accounts_file()} 中)的任一账号登录。"
          "office 为领导小组办公室账号,county 开头的为各县(市)区账号。", file=sys.stderr, flush=True)


def seed_demo(*, scale: float | None = None, seed: int | None = None, as_of: date | None = None,
              progress=None, only_if_missing: bool = False, then: Callable[[], object] | None = None) -> dict[str, int]:
    """Seed demo data; default SQLite files are built aside and moved in only when complete.

    The demo accounts go to demo-accounts.csv in the data folder and are printed once. `then` runs once the
    databases are in place (the callers pass the assessment backfill: data_access does not import assessment).
    """
    from data_access.demo.seed import seed as run_seed

    s = settings()
    kwargs = dict(scale=s.demo_scale if scale is None else scale,
                  seed=s.demo_seed if seed is None else seed,
                  as_of=as_of, city=s.city_adcode, progress=progress)
    if not uses_default_files():
        result = run_seed({n: db.engine(n) for n in FILES}, **kwargs)
        print_accounts(result.accounts, write_accounts(accounts_file(), result.accounts))
        if then:
            then()
        return result.counts
    with _lock(s.data_dir):
        if only_if_missing and has_data():
            return {}
        work = s.data_dir / f".seeding-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True, mode=0o700)
        engines = {n: db.engine_for_url(f"sqlite:///{work / f}") for n, f in FILES.items()}
        try:
            result = run_seed(engines, **kwargs)
            for eng in engines.values():
                with eng.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                    conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
            db.dispose(list(engines.values()) + [db.engine(n) for n in FILES])
            for f in FILES.values():
                for extra in ("-wal", "-shm"):
                    (s.data_dir / (f + extra)).unlink(missing_ok=True)
                os.chmod(work / f, 0o600)
                os.replace(work / f, s.data_dir / f)
            print_accounts(result.accounts, write_accounts(accounts_file(), result.accounts))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if then:
            then()
        return result.counts
