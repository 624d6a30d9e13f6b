"""First-start seeding: demo data into the default SQLite files, atomically and once."""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import inspect, select

from data_access import db
from data_access.models.monitoring import DatasetInfo
from data_access.settings import settings

FILES = {"monitoring": "monitoring.db", "industry": "industry.db", "app": "app.db"}


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


def terminal_progress(fraction: float, message: str) -> None:
    """Print seeding progress on the terminal."""
    bar = "#" * int(fraction * 30)
    print(f"\r[{bar:<30}] {fraction:4.0%} {message}", end="\n" if fraction >= 1 else "", file=sys.stderr,
          flush=True)


@contextmanager
def _lock(folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".seed.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def seed_demo(*, scale: float | None = None, seed: int | None = None, as_of: date | None = None,
              progress=None, only_if_missing: bool = False) -> dict[str, int]:
    """Seed demo data; default SQLite files are built aside and moved in only when complete."""
    from data_access.demo.seed import seed as run_seed

    s = settings()
    kwargs = dict(scale=s.demo_scale if scale is None else scale,
                  seed=s.demo_seed if seed is None else seed,
                  as_of=as_of, city=s.city_adcode, progress=progress)
    if not uses_default_files():
        return run_seed({n: db.engine(n) for n in FILES}, **kwargs)
    with _lock(s.data_dir):
        if only_if_missing and has_data():
            return {}
        work = s.data_dir / f".seeding-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        engines = {n: db.engine_for_url(f"sqlite:///{work / f}") for n, f in FILES.items()}
        try:
            counts = run_seed(engines, **kwargs)
            for eng in engines.values():
                with eng.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                    conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
            db.dispose(list(engines.values()) + [db.engine(n) for n in FILES])
            for f in FILES.values():
                for extra in ("-wal", "-shm"):
                    (s.data_dir / (f + extra)).unlink(missing_ok=True)
                os.replace(work / f, s.data_dir / f)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return counts
