"""The load client of `make bench` (bench/load.py): its arithmetic, its reading of runs, and one small real run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.proto.Element_pb2 import Element

from bench import load
from bench.run import env_for


def test_percentiles():
    assert load.percentiles([]) == {"p50_ms": None, "p95_ms": None}
    assert load.percentiles([7.0]) == {"p50_ms": 7.0, "p95_ms": 7.0}
    figures = load.percentiles([float(x) for x in range(1, 101)])
    assert figures["p50_ms"] == 50.5 and figures["p95_ms"] == pytest.approx(95.05, abs=0.1)


def _element(**kind) -> Element:
    el = Element()
    (name, fields), = kind.items()
    for key, value in fields.items():
        setattr(getattr(el, name), key, value)
    return el


def test_run_reads_errors_forms_and_charts():
    run = load.Run([_element(exception={"type": "KeyError", "message": "x"}),
                    _element(alert={"body": "页面出现错误(错误编号 1a2b)", "format": 1}),
                    _element(alert={"body": "提示", "format": 3}),
                    _element(text_input={"label": "用户名"})])
    assert run.problems() == ["exception: KeyError: x", "error box: 页面出现错误(错误编号 1a2b)"]
    assert run.signed_out() and not run.has_chart() and run.chart_text() == ""
    chart = load.Run([_element(plotly_chart={"spec": '{"data": [{"name": "\\u76d1\\u6d4b\\u5bf9\\u8c61\\u6237\\u6570"}]}'})])
    assert chart.has_chart() and not chart.signed_out() and "监测对象户数" in chart.chart_text()


def test_users_against_a_real_server(demo_dir, tmp_path):
    """Two users go through sign-in, overview, map and three indicator changes with no error on one freshly started
    server. They sign in at the same moment (each waits at the scenario's barrier after opening the sign-in page):
    the sign-in rush of `make bench` (--rush, the same users stopping after 登录) needs no server of its own here."""
    folder = Path(shutil.copytree(demo_dir, tmp_path / "data"))  # the server writes sessions and audit rows
    users = load.scenario(env_for(folder), folder, 2)
    assert users["errors"] == users["server_log_errors"] == 0, users.get("error_messages")
    assert all(users[a]["p50_ms"] > 0 for a in load.ACTIONS)
    assert users["peak_rss_mb"] >= users["rss_before_mb"] > 50
