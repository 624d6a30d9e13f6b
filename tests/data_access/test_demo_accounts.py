"""Demo accounts: one per person, several per role, and a file of their own for every set of databases."""

from __future__ import annotations

import csv
from collections import Counter

from data_access import bootstrap
from tests.conftest import using


def test_external_databases_keep_their_own_accounts_file(tmp_path):
    """Seeding configured (non-default) databases writes their accounts beside, never over, the SQLite demo's."""
    default = tmp_path / "demo-accounts.csv"
    default.write_text("username,password,role,county_code\noffice,the-sqlite-demo-password,office,\n")
    ext = tmp_path / "ext"
    ext.mkdir()
    urls = {f"{k}_DB_URL": f"sqlite:///{ext / (k.lower() + '.db')}" for k in ("MONITORING", "INDUSTRY", "APP")}
    with using(DASHBOARD_DATA_DIR=str(tmp_path), **urls):
        path = bootstrap.accounts_file()
        bootstrap.seed_demo(scale=0.02, seed=3)
    assert path.parent == tmp_path and path.name.startswith("demo-accounts-sqlite-app-") and path.is_file()
    assert "the-sqlite-demo-password" in default.read_text(), "the SQLite demo's accounts are untouched"
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    roles = Counter(r["role"] for r in rows)
    assert roles["office"] >= 3 and roles["leader"] >= 2 and roles["admin"] == 1 and roles["screen"] == 1
    per_county = Counter(r["county_code"] for r in rows if r["role"] == "county")
    assert per_county and set(per_county.values()) == {2}, "two people per county"
    assert len({r["username"] for r in rows}) == len(rows) and (path.stat().st_mode & 0o777) == 0o600


def test_accounts_file_names_the_database_not_its_password(tmp_path):
    pg = "postgresql+psycopg://dash:s3cret-pw@db.example:5432/dash_app"
    with using(DASHBOARD_DATA_DIR=str(tmp_path), APP_DB_URL=pg, MONITORING_DB_URL=pg.replace("app", "mon"),
               INDUSTRY_DB_URL=pg.replace("app", "ind")):
        name = bootstrap.accounts_file().name
    assert name.startswith("demo-accounts-postgresql-dash_app-") and name.endswith(".csv")
    assert "s3cret" not in name and "example" not in name
    with using(DASHBOARD_DATA_DIR=str(tmp_path)):
        assert bootstrap.accounts_file() == tmp_path / "demo-accounts.csv"
