"""The data folder and every file in it are readable by this user only, whatever the umask."""

from __future__ import annotations

import os
import shutil
import stat
from datetime import date

import pytest

from data_access import audit, bootstrap, db
from tests.conftest import using


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A small demo folder seeded once under a permissive umask (0o022, a common default); each test works on a copy
    (modes kept)."""
    old = os.umask(0o022)
    try:
        folder = tmp_path_factory.mktemp("files") / "data"
        with using(DASHBOARD_DATA_DIR=str(folder)):
            bootstrap.seed_demo(scale=0.01, seed=3, as_of=date(2025, 6, 30))
        return folder
    finally:
        os.umask(old)


def test_seeded_folder_and_files_are_private(seeded, tmp_path):
    old = os.umask(0o022)
    try:
        folder = shutil.copytree(seeded, tmp_path / "data")
        with using(DASHBOARD_DATA_DIR=str(folder)):
            audit.record("perm", "sign_in", "写入一行,让 SQLite 建出 -wal 和 -shm")
            with db.engine("monitoring").connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            files = sorted(p.name for p in folder.iterdir())
            assert "app.db-wal" in files and "app.db-shm" in files, files
            assert mode(folder) == 0o700
            assert {name: mode(folder / name) for name in files} == {name: 0o600 for name in files}
    finally:
        os.umask(old)


def test_a_folder_from_before_is_made_private_at_start(seeded, tmp_path):
    folder = shutil.copytree(seeded, tmp_path / "data")
    with using(DASHBOARD_DATA_DIR=str(folder)):
        os.chmod(folder, 0o755)
        os.chmod(folder / "monitoring.db", 0o644)
        bootstrap._APP_SCHEMA_DONE.clear()
        bootstrap.ensure_app_tables()
        assert mode(folder) == 0o700 and mode(folder / "monitoring.db") == 0o600
