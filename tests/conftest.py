"""Shared fixtures: point the data layer at given databases, and a small seeded demo folder."""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from data_access import db

DEMO_AS_OF = date(2026, 11, 28)
DEMO_SCALE = 0.2
DB_KEYS = ("MONITORING_DB_URL", "INDUSTRY_DB_URL", "APP_DB_URL", "DASHBOARD_DATA_DIR")


@contextmanager
def using(**env: str):
    """Run with the given settings in the environment (and fresh engines), then restore."""
    saved = {k: os.environ.get(k) for k in set(DB_KEYS) | set(env)}
    for k in DB_KEYS:
        os.environ.pop(k, None)
    os.environ.update(env)
    db.reset()
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        db.reset()


def recent_weeks() -> None:
    """The assessment weeks the tests look at, stored as the demo seeder stores them all (scoring every week since
    2021 takes minutes; the others are scored when first asked for)."""
    from assessment.snapshots import backfill

    backfill(since=date(2026, 6, 1))


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """A data folder seeded once with a small deterministic demo set (scale 0.2)."""
    from data_access import bootstrap

    folder = tmp_path_factory.mktemp("demo")
    with using(DASHBOARD_DATA_DIR=str(folder)):
        bootstrap.seed_demo(scale=DEMO_SCALE, seed=7, as_of=DEMO_AS_OF, then=recent_weeks)
    return folder


SMALL_DEMO = dict(scale=0.01, seed=3, as_of=date(2025, 6, 30))


@pytest.fixture(scope="session")
def small_demo_dir(tmp_path_factory) -> Path:
    """A tiny demo folder (SMALL_DEMO, no assessment weeks) seeded once under a permissive umask (0o022, a common
    default); tests that write copy it first."""
    from data_access import bootstrap

    old = os.umask(0o022)
    try:
        folder = tmp_path_factory.mktemp("small-demo") / "data"
        with using(DASHBOARD_DATA_DIR=str(folder)):
            bootstrap.seed_demo(**SMALL_DEMO)
        return folder
    finally:
        os.umask(old)


@pytest.fixture()
def demo_data(demo_dir):
    """Point the data layer at the seeded demo folder for one test."""
    with using(DASHBOARD_DATA_DIR=str(demo_dir)):
        yield demo_dir


def read_accounts(folder: Path) -> dict[str, dict]:
    """demo-accounts.csv of a data folder, by username and by role (the first account of each role)."""
    import csv

    with open(folder / "demo-accounts.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = {r["username"]: r for r in rows}
    for r in rows:
        out.setdefault(r["role"], r)
    return out
