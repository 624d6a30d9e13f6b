"""A database that cannot be reached: a Chinese page naming it, one log line, readiness 503, recovery in place."""

from __future__ import annotations

import json
import logging
import shutil
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from data_access import health
from tests.conftest import using
from tests.views.conftest import APP, TIMEOUT, sign_in

# nothing listens on port 1: refused at once, on any machine, with or without a PostgreSQL server
REFUSED = "postgresql+psycopg://dashboard:secret-pw@127.0.0.1:1/monitoring_prod"
PAGES = {"monitoring": ("views/overview.py", "views/map.py", "views/monitoring.py"),  # pages that read it
         "industry": ("views/overview.py", "views/ovop.py", "views/collective.py"),
         "app": ("views/overview.py", "views/weekly.py", "views/admin.py")}
KEYS = {"monitoring": "MONITORING_DB_URL", "industry": "INDUSTRY_DB_URL", "app": "APP_DB_URL"}


def _urls(folder) -> dict[str, str]:
    return {"MONITORING_DB_URL": f"sqlite:///{folder / 'monitoring.db'}",
            "INDUSTRY_DB_URL": f"sqlite:///{folder / 'industry.db'}", "APP_DB_URL": f"sqlite:///{folder / 'app.db'}"}


def _page_text(at: AppTest) -> str:
    return " ".join(str(e.value) for e in [*at.error, *at.warning, *at.info, *at.markdown, *at.title])


def _assert_fault_page(at: AppTest, name: str) -> None:
    assert not at.exception, "Streamlit's exception element (a traceback) was shown"
    text = _page_text(at)
    assert health.NAMES[name] in text and "暂时无法连接" in text, text
    for leak in ("OperationalError", "127.0.0.1", ":1", "secret-pw", "dashboard@", "monitoring_prod", "Traceback",
                 "Google", "/work/", "sqlalchemy"):
        assert leak not in text, f"the page shows {leak!r}"


def _fault_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "dashboard" and r.levelno >= logging.ERROR]


@pytest.mark.parametrize("name", ["monitoring", "app"])
def test_unreachable_database_signed_out(demo_dir, caplog, name):
    """Opening the app with a database the sign-in page needs refused: the page names it; the log has one line,
    with the cause and no traceback. (The industry database is first needed after sign-in: next test.)"""
    with using(DASHBOARD_DATA_DIR=str(demo_dir), **{**_urls(demo_dir), KEYS[name]: REFUSED}):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="dashboard"):
            at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
        _assert_fault_page(at, name)
        lines = _fault_lines(caplog)
        assert len(lines) == 1, [r.getMessage() for r in lines]
        assert f"database unavailable: {name}" in lines[0].getMessage() and "refused" in lines[0].getMessage()
        assert lines[0].exc_info is None, "no traceback in the log"
        assert json.loads(json.dumps(health.status()))[name], "the probe names the cause"


@pytest.mark.parametrize("name", list(KEYS))
def test_unreachable_database_signed_in(demo_dir, demo_accounts, caplog, name):
    """A signed-in user whose database goes away mid-session gets the same page on every page, not a traceback."""
    with using(DASHBOARD_DATA_DIR=str(demo_dir)):
        at = sign_in(demo_accounts["office"]["username"], demo_accounts["office"]["password"])
    with using(DASHBOARD_DATA_DIR=str(demo_dir), **{**_urls(demo_dir), KEYS[name]: REFUSED}):
        from ui import cache

        cache.clear()
        if name == "app":  # the session is re-checked against the app database after a minute
            at.session_state["auth"]["checked"] -= timedelta(minutes=2)
        for page in PAGES[name]:
            at.switch_page(page)
            _assert_fault_page(at.run(), name)


def test_recovers_without_restart(demo_dir, demo_accounts, tmp_path, caplog):
    """The monitoring database's file is missing (its folder not mounted yet): fault page and readiness 503; once
    it is there, the same process shows the page and readiness is 200, with one log line saying it is back."""
    import server

    gone = tmp_path / "mnt" / "monitoring.db"
    urls = {**_urls(demo_dir), "MONITORING_DB_URL": f"sqlite:///{gone}"}
    with using(DASHBOARD_DATA_DIR=str(demo_dir), **urls):
        readiness = health.Readiness(every=0)
        server._readiness = readiness
        with caplog.at_level(logging.INFO, logger="dashboard"):
            response = server.ready(None)
            assert response.status_code == 503
            body = json.loads(response.body)
            assert body == {"status": "unavailable", "databases": {"monitoring": "unavailable", "industry": "ok",
                                                                    "app": "ok"}}
            assert "mnt" not in response.body.decode(), "readiness never shows paths or hosts"
            at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
            _assert_fault_page(at, "monitoring")

            gone.parent.mkdir()
            shutil.copy(demo_dir / "monitoring.db", gone)
            assert server.ready(None).status_code == 200
            at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
            assert not at.exception and not at.error, [e.value for e in at.error]
            assert at.text_input(key="sign_in_user") is not None, "the sign-in form is back"
        back = [r.getMessage() for r in caplog.records if "available again" in r.getMessage()]
        assert back == ["readiness: database monitoring available again"]
        server._readiness = health.Readiness()


def test_readiness_all_up(demo_data):
    import server

    server._readiness = health.Readiness(every=0)
    response = server.ready(None)
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    assert json.loads(response.body) == {"status": "ok", "databases": {"monitoring": "ok", "industry": "ok",
                                                                       "app": "ok"}}
