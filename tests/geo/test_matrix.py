"""Every indicator x level x date x county through the tables and the map figures, on the demo data: nothing
raises, every area is present, and an empty rate shows as — without a rank. Grows with INDICATORS."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from data_access import areas, indicators, sql
from data_access.indicators import INDICATORS
from geo import service
from geo.figures import area_count, choropleth, drill, village_count
from tests.conftest import DEMO_AS_OF, using

DATES = [DEMO_AS_OF, date(2025, 6, 29), date(2021, 1, 3)]


@pytest.fixture(scope="module")
def demo_areas(demo_dir):
    """The demo data for the whole module, its shapes built once (they are the same for every indicator) and each
    query read once per set of arguments (sql.memo, as when a week is scored: indicators that come from one query
    share it); the area codes of each level, read once."""
    service.clear()
    with using(DASHBOARD_DATA_DIR=str(demo_dir)), sql.memo():
        counties = areas.regions("county")
        yield {"county": counties, **{(level, county): set(areas.regions(level, county)["code"])
                                      for county in counties["code"] for level in ("township", "village")}}
    service.clear()


def _check(df: pd.DataFrame, codes: set[str], code: str) -> None:
    ind = INDICATORS[code]
    assert set(df["code"]) == codes and len(df) == len(codes)
    empty = df["value"].isna()
    assert (df.loc[empty, "text"] == "—").all() and (df.loc[empty, "rank_text"] == "—").all()
    if ind.unit != "%":
        assert not empty.any()  # counts: an area without rows has 0, never —
    if not ind.ranked:
        assert (df["rank_text"] == "—").all()
    known = df.loc[~empty]
    if ind.ranked and len(known):
        assert known["rank"].min() == 1


@pytest.mark.parametrize("code", list(INDICATORS))
def test_every_level_date_and_county(demo_areas, code):
    ind = INDICATORS[code]
    counties = demo_areas["county"]
    for d in DATES:
        table = indicators.table(code, as_of=d)
        _check(table, set(counties["code"]), code)
        fig = choropleth(service.counties(), table, label=ind.name, unit=ind.unit, better=ind.better)
        assert area_count(fig) == len(counties)
        for county in counties["code"]:
            towns = indicators.table(code, as_of=d, level="township", county=county, worst_first=True)
            villages = indicators.table(code, as_of=d, level="village", county=county)
            _check(towns, demo_areas["township", county], code)
            _check(villages, demo_areas["village", county], code)
            fig = drill(service.townships(county), towns, service.villages(county), villages, label=ind.name,
                        unit=ind.unit, better=ind.better)
            assert area_count(fig) == len(towns) and village_count(fig) == len(villages)
