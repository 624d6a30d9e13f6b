"""Regions, the data date and the area key used to group any table by county/township/village."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import ColumnElement, and_, func, inspect, literal, select, true

from data_access.codes import is_code
from data_access.db import engine
from data_access.models.monitoring import DatasetInfo, Region
from data_access.settings import settings

LEVELS = ("city", "county", "township", "village")
_KEY_LENGTH = {"county": 6, "township": 9, "village": 12}


def area_key(village_code: ColumnElement, level: str) -> ColumnElement:
    """SQL expression giving the area code of a row at a level, from its village code.

    At city level it is the city's code as a constant; group_keys() leaves it out of GROUP BY.
    """
    if level == "city":
        return literal(settings().city_adcode, literal_execute=True)
    if level not in _KEY_LENGTH:
        raise ValueError(f"unknown level {level!r}")
    if level == "village":
        return village_code
    return func.substr(village_code, 1, _KEY_LENGTH[level])


def group_keys(level: str, key: ColumnElement) -> list[ColumnElement]:
    """The GROUP BY list for a level: nothing at city level."""
    return [] if level == "city" else [key]


def in_county(village_code: ColumnElement, county: str | None):
    """Filter rows to one county by the village code prefix (None: no filter)."""
    if county is None:
        return true()
    if not is_code(county):
        raise ValueError(f"county must be a 6-digit code, got {county!r}")
    return starts_with(village_code, county)


def starts_with(code: ColumnElement, prefix: str):
    """Codes beginning with a digit prefix, as a range: a b-tree index serves it under any collation, where LIKE
    'prefix%' is served only under the C collation on PostgreSQL (zh_CN is the rule on a government server) and
    not at all on SQLite."""
    upper = str(int(prefix) + 1).zfill(len(prefix))
    if len(upper) > len(prefix):  # all nines: nothing sorts above
        return code >= prefix
    return and_(code >= prefix, code < upper)


def in_area(village_code: ColumnElement, county: str | None = None, township: str | None = None):
    """Filter rows to a county, or to a township (9 digits, within the county when both are given)."""
    if township is None:
        return in_county(village_code, county)
    if not is_code(township, 9) or (county is not None and not township.startswith(county)):
        raise ValueError(f"township must be a 9-digit code within the county, got {township!r}")
    return starts_with(village_code, township)


def regions(level: str, county: str | None = None) -> pd.DataFrame:
    """Regions of a level: code, name, parent_code, is_tuopin_county, is_tuopin_village."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    q = (select(Region.code, Region.name, Region.parent_code, Region.is_tuopin_county,
                Region.is_tuopin_village).where(Region.level == level).order_by(Region.code))
    if county is not None and level in ("county", "township", "village"):
        q = q.where(in_county(Region.code, county))
    with engine("monitoring").connect() as conn:
        return pd.DataFrame(conn.execute(q).mappings().all(),
                            columns=["code", "name", "parent_code", "is_tuopin_county",
                                     "is_tuopin_village"])


def names_with_townships(village_codes: list[str]) -> dict[str, str]:
    """Names of these villages and of their townships (rows of the industry database carry only codes)."""
    codes = sorted(set(village_codes) | {c[:9] for c in village_codes})
    if not codes:
        return {}
    with engine("monitoring").connect() as conn:
        return dict(conn.execute(select(Region.code, Region.name).where(Region.code.in_(codes))).all())


def tuopin_counties() -> list[str]:
    """Codes of the former poverty counties (脱贫县), whose I2 criterion is lower."""
    df = regions("county")
    return df.loc[df["is_tuopin_county"].astype(bool), "code"].tolist()


def dataset_info() -> dict[str, str]:
    """Facts about the loaded monitoring data (source, data_date, ...); empty when unknown."""
    eng = engine("monitoring")
    if not inspect(eng).has_table(DatasetInfo.__tablename__):
        return {}
    with eng.connect() as conn:
        return dict(conn.execute(select(DatasetInfo.key, DatasetInfo.value)).all())


def data_date() -> date:
    """The as-of date of the data (数据截至): recorded at load, else today."""
    info = dataset_info()
    return date.fromisoformat(info["data_date"]) if "data_date" in info else date.today()


def province() -> str | None:
    """The province whose monitoring income line applies (监测范围 is set per province and year): the loaded data's
    own, else the DASHBOARD_PROVINCE setting; None when neither says (the income rule cannot be judged then)."""
    return dataset_info().get("province") or settings().province


def is_demo() -> bool:
    """True while the data is the synthetic demo set."""
    return dataset_info().get("source") == "demo"


def village_counts(level: str, county: str | None = None) -> pd.DataFrame:
    """Administrative villages per area (I3's denominator). Columns: code, villages."""
    key = area_key(Region.code, level).label("code")
    q = (select(key, func.count()).where(Region.level == "village", in_county(Region.code, county))
         .group_by(*group_keys(level, key)))
    with engine("monitoring").connect() as conn:
        return pd.DataFrame(conn.execute(q).all(), columns=["code", "villages"])
