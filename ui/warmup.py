"""Keep a server warm in the background: the overview and the map everyone opens first are computed before anyone
signs in, so the first chart after sign-in comes from the caches (cold start: sign-in to first chart), and again
each time their cached entries expire, so the Monday rush finds them computed too."""

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

    from ui import cache

    for _ in range(300):  # the runtime is created after server.py is imported
        if Runtime.exists():
            break
        time.sleep(0.1)
    else:
        return
    first = True
    while True:
        t0 = time.perf_counter()
        try:
            warmed = warm(freeze=first)
        except Exception as e:  # noqa: BLE001 - a warm-up failure is only a slower first page; the page will say why
            LOG.info("warm-up skipped: %s", str(e).splitlines()[0][:200] if str(e) else type(e).__name__)
        else:
            if not warmed:
                LOG.info("warm-up skipped: no data yet (the first page seeds the demo data)")
            elif first:
                LOG.info("warm-up done in %.1f s", time.perf_counter() - t0)
                first = False
            else:
                LOG.debug("caches refreshed in %.1f s", time.perf_counter() - t0)
        # the cached entries expire after cache.TTL: computing them again here spares the next user the wait
        time.sleep(cache.TTL + 1)


def warm(freeze: bool = False) -> bool:
    """What everyone opens first at the data date, for the city and as each county sees it: the overview (cards,
    alerts, rank, county map) and the map page's default view (its indicator's table, county map and each county's
    township and village drill-down); plus the libraries the charts import. False when there is no data yet.
    With freeze, what exists once the libraries are imported is moved out of the collector's sight."""
    import logging

    from data_access import bootstrap

    if not bootstrap.has_data():  # first start: the page seeds the demo data itself
        return False
    # the cached functions run outside a script here: Streamlit warns once per call that there is no script context
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    import plotly.express  # noqa: F401 - imported by the chart builders; ~1 s on a cold process

    from assessment import board  # noqa: F401 - the rank on the overview
    from data_access.indicators import INDICATORS
    from geo import figures, service  # noqa: F401 - the maps
    from ui import cache, components

    if freeze:
        # the modules live as long as the process: later collections skip them. Not the cached entries filled next:
        # they expire, and the figures among them hold reference cycles only a collection can free
        gc.freeze()

    as_of = components.data_date()
    cache.report_dates(as_of)
    counties = list(components.county_names())
    cache.county_shapes()
    cache.kpis(as_of, None)
    cache.alerts(as_of)
    # the same arguments, in the same form, as views/overview.py and views/map.py pass (part of the cache keys)
    for county in [None, *counties]:
        cache.county_map("M1", as_of, county, 560)
    for county in counties:
        cache.kpis(as_of, county)
    code = next(iter(INDICATORS))
    worst_first = INDICATORS[code].ranked  # the 排序 picker's default, 落后在前, for ranked indicators
    cache.period_label(code, as_of)
    cache.indicator_table(code, as_of, worst_first=worst_first)
    for county in [None, *counties]:
        cache.county_map(code, as_of, county)
    for county in counties if "township" in INDICATORS[code].levels else []:
        # as a county account sees its own county; the drill-down's township and village tables come with it
        cache.drill_map(code, as_of, county, worst_first, False)
    for county in counties:  # last: a broken rules file raises here, and the pages then say why
        cache.assessment("county_summary", as_of=as_of, county=county)
    return True
