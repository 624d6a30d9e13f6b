"""The narrow-screen layout's server side: the county's own tiles (shown on a phone only), escaped, and the keyed
containers the phone styles (ui/phone.css) rely on."""

from __future__ import annotations

import math

import pandas as pd

from tests.views.conftest import ok
from ui import components


def _html(at) -> list[str]:
    return [e.proto.body for e in at.get("html")]


def test_county_overview_carries_its_own_tiles(signed_in):
    at = ok(signed_in("county"))
    tiles = [h for h in _html(at) if 'class="own-kpis"' in h]
    assert len(tiles) == 1 and tiles[0].count('class="own-kpi"') == 7  # every card but the city-wide key tasks
    assert "(本县)" in tiles[0] and "全市第" in tiles[0]
    assert components.PHONE_CSS.exists()


def test_city_accounts_have_no_own_tiles(signed_in):
    at = ok(signed_in("office"))
    assert not [h for h in _html(at) if 'class="own-kpis"' in h]


def test_own_tiles_are_escaped():
    row = dict(key="M5", label="<b>逾期</b>", value=1.0, previous=1.0, unit="户", compare="较上周", better="low",
               definition="", target=math.nan, county_value=2.0, county_rank=3.0)
    out = components._own_tiles(pd.DataFrame([row]), '<img src=x onerror="alert(1)">县', 10)
    assert "<img" not in out and "<b>" not in out and "&lt;img" in out and "全市第 3 名 / 10" in out


def test_phone_styles_only_apply_to_narrow_screens():
    css = components.PHONE_CSS.read_text(encoding="utf-8")
    outside = css.split("@media (max-width: 640px)")[0]
    # wide screens: nothing but hiding the phone-only tiles
    rules = [r.strip() for r in outside.split("}") if "{" in r]
    assert rules and all("display: none" in r and "own-kpis" in r for r in rules), rules
