"""The hand-built fixture (fixture.py) loaded into SQLite, PostgreSQL or MariaDB, shared by the modules
that query it (test_queries.py, test_households.py)."""

from __future__ import annotations

import pytest

from data_access import db, summary
from tests.conftest import using
from tests.data_access import fixture as fx


@pytest.fixture(scope="module", params=["sqlite", "postgresql", "mariadb"])
def backend(request, tmp_path_factory):
    """The fixture loaded into one backend; the data layer points at it while the module runs.

    A server that cannot be reached is skipped. Each module gets fresh tables.
    """
    with fx.databases(request.param, tmp_path_factory.mktemp(request.param)) as (urls, engines):
        fx.insert_all(engines)
        with using(MONITORING_DB_URL=urls["monitoring"], INDUSTRY_DB_URL=urls["industry"], APP_DB_URL=urls["app"]):
            summary.refresh_summaries(db.engine("monitoring"), fx.D)
            yield request.param
