"""The warm-up computes exactly what the overview and the map show first, and computes it again when it expires."""

from __future__ import annotations

import pytest

import geo.figures
from data_access import indicators, overview
from tests.views.conftest import ok
from ui import cache, warmup

BUILDERS = [(indicators, "table"), (overview, "kpis"), (overview, "alerts"), (geo.figures, "choropleth"),
            (geo.figures, "drill")]


@pytest.fixture()
def counted(monkeypatch):
    """Calls of the data and figure builders behind the caches, by name."""
    calls: dict[str, int] = {}

    def counting(module, name):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return real(*args, **kwargs)
        monkeypatch.setattr(module, name, wrapper)

    for module, name in BUILDERS:
        counting(module, name)
    return calls


@pytest.mark.parametrize("who", ["county", "office", "leader"])
def test_first_pages_come_from_the_warmed_caches(signed_in, counted, who):
    cache.clear()
    try:
        assert warmup.warm() is True
        assert counted.get("table") and counted.get("drill") and counted.get("choropleth")
        counted.clear()
        at = ok(signed_in(who))  # the overview
        assert at.get("plotly_chart"), "the overview shows its map"
        at.switch_page("views/map.py")
        ok(at.run())
        assert len(at.get("plotly_chart")) == (2 if who == "county" else 1)  # a county drills into itself
        assert counted == {}, f"computed again after the warm-up (the page's cache keys differ): {counted}"
    finally:
        cache.clear()


def test_the_first_round_freezes_the_libraries_before_it_fills_the_caches(demo_data, counted, monkeypatch):
    built_when_frozen = []
    monkeypatch.setattr(warmup.gc, "freeze", lambda: built_when_frozen.append(dict(counted)))
    cache.clear()
    try:
        assert warmup.warm(freeze=True) is True
    finally:
        cache.clear()
    # cached entries expire: frozen, the figures' reference cycles would never be freed
    assert built_when_frozen == [{}] and counted.get("drill")


def test_the_warm_up_runs_again_when_the_cached_entries_expire(monkeypatch):
    from streamlit.runtime import Runtime

    events: list[str] = []

    class Stop(Exception):
        pass

    def sleep(seconds):
        events.append(f"sleep {seconds}")
        if events.count(f"sleep {seconds}") == 3:
            raise Stop

    monkeypatch.setattr(Runtime, "exists", staticmethod(lambda: True))
    monkeypatch.setattr(warmup, "warm", lambda freeze: events.append(f"warm {freeze}") or True)
    monkeypatch.setattr(warmup.time, "sleep", sleep)
    with pytest.raises(Stop):
        warmup._run()
    wait = f"sleep {cache.TTL + 1}"
    assert events == ["warm True", wait, "warm False", wait, "warm False", wait]  # frozen in the first round only


def test_a_failed_or_empty_warm_up_is_tried_again(monkeypatch, caplog):
    from streamlit.runtime import Runtime

    outcomes = iter([RuntimeError("数据库暂时无法连接"), False, True])
    events: list[str] = []

    def warm(freeze):
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        events.append(f"warm {outcome} freeze {freeze}")
        return outcome

    def sleep(seconds):
        if "warm True freeze True" in events:
            raise KeyboardInterrupt  # out of the endless loop, after the round that warmed

    monkeypatch.setattr(Runtime, "exists", staticmethod(lambda: True))
    monkeypatch.setattr(warmup, "warm", warm)
    monkeypatch.setattr(warmup.time, "sleep", sleep)
    caplog.set_level("INFO", logger="dashboard")
    with pytest.raises(KeyboardInterrupt):
        warmup._run()
    assert events == ["warm False freeze True", "warm True freeze True"]  # freezes until a round has warmed
    assert "warm-up skipped: 数据库暂时无法连接" in caplog.text and "warm-up skipped: no data yet" in caplog.text
    assert caplog.text.count("warm-up done") == 1
