"""Warm a freshly started server in the background: the overview everyone opens first is computed before anyone
signs in, so the first chart after sign-in comes from the caches (cold start: sign-in to first chart)."""

from __future__ import annotations

import gc
import threading
import time

from data_access.logs import LOG


def start() -> threading.Thread:
    """Run the warm-up on a daemon thread once the Streamlit runtime exists (its caches live there)."""
    thread = threading.Thread(target=_run, name="warmup", daemon=True)
    thread.start()
    return thread


def _run() -> None:
    from streamlit.runtime import Runtime

    for _ in range(300):  # the runtime is created after server.py is imported
        if Runtime.exists():
            break
        time.sleep(0.1)
    else:
        return
    t0 = time.perf_counter()
    try:
        warm()
    except Exception as e:  # noqa: BLE001 - a warm-up failure is only a slower first page; the page will say why
        LOG.info("warm-up skipped: %s", str(e).splitlines()[0][:200] if str(e) else type(e).__name__)
        return
    gc.freeze()  # what exists now (modules, warmed caches) lives as long as the process: later collections skip it
    LOG.info("warm-up done in %.1f s", time.perf_counter() - t0)


def warm() -> None:
    """What the overview reads at the data date for the whole city, each county's own cards, and the maps'
    county shapes; plus the libraries its charts import."""
    import logging

    from data_access import bootstrap

    if not bootstrap.has_data():  # first start: the page seeds the demo data itself
        return
    # the cached functions run outside a script here: Streamlit warns once per call that there is no script context
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    import plotly.express  # noqa: F401 - imported by the chart builders; ~1 s on a cold process

    from ui import cache, components

    as_of = components.data_date()
    cache.report_dates(as_of)
    counties = list(components.county_names())
    cache.county_shapes()
    cache.county_map("M1", as_of, None, 560)
    cache.kpis(as_of, None)
    cache.alerts(as_of)
    for county in counties:
        cache.kpis(as_of, county)
