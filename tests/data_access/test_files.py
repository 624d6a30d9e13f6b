"""The data folder and every file in it are readable by this user only, whatever the umask."""

from __future__ import annotations

import os
import shutil
import stat

from data_access import audit, bootstrap, db
from tests.conftest import using


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_seeded_folder_and_files_are_private(small_demo_dir, tmp_path):
    """The folder was seeded under umask 0o022; files SQLite creates later (-wal, -shm) are private too."""
    old = os.umask(0o022)
    try:
        folder = shutil.copytree(small_demo_dir, tmp_path / "data")  # modes kept
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


def test_a_folder_from_before_is_made_private_at_start(small_demo_dir, tmp_path):
    folder = shutil.copytree(small_demo_dir, tmp_path / "data")  # modes kept
    with using(DASHBOARD_DATA_DIR=str(folder)):
        os.chmod(folder, 0o755)
        os.chmod(folder / "monitoring.db", 0o644)
        bootstrap._APP_SCHEMA_DONE.clear()
        bootstrap.ensure_app_tables()
        assert mode(folder) == 0o700 and mode(folder / "monitoring.db") == 0o600
