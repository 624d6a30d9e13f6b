"""Settings: environment first, then secrets.toml, defaults under the data folder; placeholders fail."""

from __future__ import annotations

import pytest

from data_access.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for key in ("MONITORING_DB_URL", "INDUSTRY_DB_URL", "APP_DB_URL", "DASHBOARD_CITY_ADCODE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DASHBOARD_SECRETS", str(tmp_path / "secrets.toml"))


def test_defaults_are_sqlite_files_in_the_data_folder(tmp_path):
    s = load_settings()
    assert s.monitoring_url == f"sqlite:///{tmp_path / 'data' / 'monitoring.db'}"
    assert s.app_url.endswith("app.db") and s.city_adcode == "231200"


def test_secrets_file_then_environment(tmp_path, monkeypatch):
    (tmp_path / "secrets.toml").write_text('INDUSTRY_DB_URL = "postgresql+psycopg://u:pw@db/industry"\n')
    assert load_settings().industry_url == "postgresql+psycopg://u:pw@db/industry"
    monkeypatch.setenv("INDUSTRY_DB_URL", "mysql+pymysql://u:pw@db2/industry")
    assert load_settings().industry_url == "mysql+pymysql://u:pw@db2/industry"


def test_placeholder_secret_fails_loudly(tmp_path):
    (tmp_path / "secrets.toml").write_text('APP_DB_URL = "postgresql+psycopg://dashboard:CHANGE_ME@db/app"\n')
    with pytest.raises(SettingsError, match="APP_DB_URL"):
        load_settings()


def test_example_secrets_file_is_refused_as_is(monkeypatch):
    from data_access.settings import ROOT

    monkeypatch.setenv("DASHBOARD_SECRETS", str(ROOT / ".streamlit" / "secrets.example.toml"))
    with pytest.raises(SettingsError):
        load_settings()


def test_bad_city_code(monkeypatch):
    monkeypatch.setenv("DASHBOARD_CITY_ADCODE", "2312")
    with pytest.raises(SettingsError):
        load_settings()


def test_trusted_proxies_are_checked(monkeypatch):
    assert load_settings().trusted_proxies == ""
    monkeypatch.setenv("DASHBOARD_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/24")
    assert load_settings().trusted_proxies == "127.0.0.1, 10.0.0.0/24"
    monkeypatch.setenv("DASHBOARD_TRUSTED_PROXIES", "nginx.local")
    with pytest.raises(SettingsError, match="DASHBOARD_TRUSTED_PROXIES"):
        load_settings()


def test_collective_tiers_and_tile_url(monkeypatch):
    s = load_settings()
    assert s.collective_tiers == (50_000, 100_000, 200_000, 500_000, 1_000_000) and s.tile_url is None
    monkeypatch.setenv("DASHBOARD_COLLECTIVE_TIERS", "50000,100000,300000")
    monkeypatch.setenv("DASHBOARD_TILE_URL", "http://tiles.intranet/{z}/{x}/{y}.png")
    s = load_settings()
    assert s.collective_tiers == (50_000, 100_000, 300_000) and s.tile_url == "http://tiles.intranet/{z}/{x}/{y}.png"


@pytest.mark.parametrize("tiers", ["100000,50000", "40000,100000", "50000,80000", "5万,10万", "50000,50000,100000", ""])
def test_tiers_that_disagree_with_i3_and_i4_are_refused(monkeypatch, tiers):
    monkeypatch.setenv("DASHBOARD_COLLECTIVE_TIERS", tiers)
    with pytest.raises(SettingsError, match="DASHBOARD_COLLECTIVE_TIERS"):
        load_settings()


@pytest.mark.parametrize("url", ["tiles.intranet/{z}/{x}/{y}.png", "http://tiles.intranet/tile.png", "javascript:x{z}{x}{y}"])
def test_a_tile_url_must_be_a_template(monkeypatch, url):
    monkeypatch.setenv("DASHBOARD_TILE_URL", url)
    with pytest.raises(SettingsError, match="DASHBOARD_TILE_URL"):
        load_settings()
