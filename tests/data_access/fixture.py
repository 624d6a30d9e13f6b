"""A small hand-built data set whose every number in test_queries.py is checked by hand, and the
code that puts it into SQLite (three files), PostgreSQL or MariaDB (the URL's database, plus a schema
of its own for a logical database whose table names collide: industry's dataset_info).

As-of date D = 2026-11-28 (a Saturday; its week starts Monday 2026-11-23), D - 7 = 2026-11-21,
D - 15 = 2026-11-13, D - 14 = 2026-11-14.

Areas (city 231200):
    望奎县 231221 (脱贫县)  镇 231221101: A1 231221101201, A2 231221101202
                            乡 231221201: B1 231221201201, B2 231221201202
    北林区 231202           镇 231202101: C1 231202101201, C2 231202101202
                            乡 231202201: E1 231202201201, E2 231202201202

Monitoring cases (persons = household size; days = decided_on - discovered_on):
    c1  h1  A1 4p  found 03-01  纳入 03-10 (9d)   included 03-10                       monitored
    c2  h2  A1 2p  found 01-05  纳入 01-15 (10d)  included 01-15  eliminated 10-01     eliminated before D
    c3  h3  A2 4p  found 2025-06-01 纳入 06-10 (9d) included 2025-06-10 eliminated 12-05 still monitored at D
    c4  h4  B1 5p  found 11-09  纳入 11-24 (15d)  included 11-24                       timely, this week
    c5  h5  B1 1p  found 11-08  纳入 11-24 (16d)  included 11-24                       late, this week
    c6  h6  B2 2p  found 11-13 (D-15), no decision                                    overdue (M5)
    c7  h7  B2 3p  found 11-14 (D-14), no decision                                    not yet overdue
    c8  h8  A2 4p  found 10-01  不予纳入 10-12 (11d)                                   never included
    c9  h9  C1 3p  found 02-01  纳入 02-10 (9d)   included 02-10                       monitored (北林区)
    c10 h10 E1 2p  found 10-20  纳入 11-26 (37d)  included 11-26                       overdue at D-7, late this week
    c11 h11 A1 6p  found 12-01 (after D)                                              invisible at D
    c12 h12 C2 2p  found 11-01  纳入 12-02 (31d)  included 12-02                       decided after D: overdue at D
    c13 h13 E2 2p  found 2025-03-01 纳入 03-12 (11d) included 2025-03-12 eliminated 11-25 (this week)
    c14 h14 C2 2p  found 11-27, no decision                                           discovered this week
    c15 h17 E2 3p  found 11-10  纳入 11-18 (8d)   included 11-18                       included last week
    c16 h8  A2 4p  found 12-01  纳入 12-05        eliminated 2027-06-05 (182 days)     after D: M9 only
    c17 h6  B2 2p  found 12-02  纳入 12-06        eliminated 2027-06-07 (183 days)     after D: M9 only
Other households: h15 (A1, 脱贫户, 3 persons), h16 (A1, neither 脱贫户 nor ever included, 1 person).
Every household has as many members as its size (see MEMBERS for the dated facts about them).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, insert, inspect, make_url
from sqlalchemy.schema import CreateSchema, DropSchema

from data_access.models import BASES
from data_access.models import app as am
from data_access.models import industry as im
from data_access.models import monitoring as mm

D = date(2026, 11, 28)

CITY, WK, BL = "231200", "231221", "231202"
WK_ZHEN, WK_XIANG, BL_ZHEN, BL_XIANG = WK + "101", WK + "201", BL + "101", BL + "201"
A1, A2 = WK_ZHEN + "201", WK_ZHEN + "202"
B1, B2 = WK_XIANG + "201", WK_XIANG + "202"
C1, C2 = BL_ZHEN + "201", BL_ZHEN + "202"
E1, E2 = BL_XIANG + "201", BL_XIANG + "202"
VILLAGES = (A1, A2, B1, B2, C1, C2, E1, E2)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


def _region(code, name, level, parent, tuopin_county=False, tuopin_village=False):
    return dict(code=code, name=name, level=level, parent_code=parent, is_tuopin_county=tuopin_county,
                is_key_county=False, is_tuopin_village=tuopin_village)


REGIONS = [
    _region(CITY, "绥化市", "city", None),
    _region(WK, "望奎县", "county", CITY, tuopin_county=True),
    _region(BL, "北林区", "county", CITY),
    _region(WK_ZHEN, "望奎镇", "township", WK),
    _region(WK_XIANG, "灵山满族乡", "township", WK),
    _region(BL_ZHEN, "秦家镇", "township", BL),
    _region(BL_XIANG, "兴福乡", "township", BL),
    _region(A1, "前进村", "village", WK_ZHEN, tuopin_village=True),
    _region(A2, "东升村", "village", WK_ZHEN),
    _region(B1, "红星村", "village", WK_XIANG, tuopin_village=True),
    _region(B2, "永安村", "village", WK_XIANG),
    _region(C1, "新华村", "village", BL_ZHEN),
    _region(C2, "胜利村", "village", BL_ZHEN),
    _region(E1, "富强村", "village", BL_XIANG),
    _region(E2, "太平村", "village", BL_XIANG),
]

# household id -> (village, size, is_tuopin)
HOUSEHOLDS = {
    1: (A1, 4, True), 2: (A1, 2, False), 3: (A2, 4, False), 4: (B1, 5, False), 5: (B1, 1, False),
    6: (B2, 2, False), 7: (B2, 3, False), 8: (A2, 4, False), 9: (C1, 3, False), 10: (E1, 2, False),
    11: (A1, 6, False), 12: (C2, 2, False), 13: (E2, 2, False), 14: (C2, 2, False), 15: (A1, 3, True),
    16: (A1, 1, False), 17: (E2, 3, True),
}


# household id -> (head name, head ID number, phone) where the default 户主<id> / 23122119700101<id> /
# 1390000<id> will not do: names of 2, 3 and 4 characters, a 15-digit ID and an X check digit for the
# masking tests (test_households.py); no query of test_queries.py reads names, ID numbers or phones
HEADS = {
    1: ("王五", "231221197005010011", "13812341234"),  # 望奎县
    9: ("张小明", "231202198203040021", "13987654321"),  # 北林区
    10: ("赵六", "231202700101123", "15845670000"),  # 北林区, 15-digit ID
    14: ("欧阳娜娜", "23120219800101123X", "13698765432"),  # 北林区
}


def _household(hid, village, size, tuopin):
    name, id_number, phone = HEADS.get(hid, (f"户主{hid}", f"23122119700101{hid:04d}", f"1390000{hid:04d}"))
    return dict(id=hid, village_code=village, county_code=village[:6], head_name=name,
                head_id_number=id_number, phone=phone, size=size,
                is_tuopin=tuopin, is_dibao=False, is_tekun=False, labour_count=1)


INSURED = date(2020, 1, 1)


def _member(mid, hid, relation, born, *, insured=INSURED, dropout=None, returned=None, stage=None, name=None,
            id_number=None):
    return dict(id=mid, household_id=hid, name=name or f"成员{mid}",
                id_number=id_number or f"231221{born:%Y%m%d}{mid:04d}",
                relation=relation, birth_date=born, sex="男", school_stage=stage, dropout_on=dropout,
                returned_on=returned, health="健康", disability_level=None, medical_insured_on=insured,
                pension_insured=insured is not None, labour_capacity="普通", work_place=None, work_months=0)


def _family(hid, first_id):
    """Default members of a household whose members no test looks at one by one: born 1960-1980, insured."""
    return [_member(first_id + k, hid, "户主" if k == 0 else "子女", d(1, 1, 1960 + 5 * k))
            for k in range(HOUSEHOLDS[hid][1])]


# Every household has as many members as its size at the data date D. Dated facts that tests look at:
#   m10 (h1) born 11-25, between D-7 and D; insured only 12-10, after D
#   m2 (h1) never insured; m21 (h4) insured only from 11-22; m9 (h14) never insured
#   m3 (h1, 12 at D) dropout since 09-01; m5 (h15) dropout since 2025-09-01, turns 16 on D;
#   m7 (h15) dropout since 09-01, turns 6 on D; m31 (h3, 10 at D) dropout 03-01, back at school 11-23
MEMBERS = [
    _member(1, 1, "户主", d(5, 1, 1970), name="王五", id_number=HEADS[1][1]),
    _member(2, 1, "配偶", d(3, 3, 1972), insured=None),
    _member(3, 1, "子女", d(6, 1, 2014), dropout=d(9, 1), stage="初中"),
    _member(10, 1, "子女", d(11, 25), insured=d(12, 10)),
    _member(4, 15, "户主", d(1, 1, 1950)),
    _member(5, 15, "孙子女", d(11, 28, 2010), dropout=d(9, 1, 2025), stage="高中"),
    _member(7, 15, "孙子女", d(11, 28, 2020), insured=None, dropout=d(9, 1), stage="学前"),
    _member(6, 16, "户主", d(1, 1, 1980), insured=None),  # h16 is outside the G population
    # h14 (北林区, c14 undecided at D and at 12-31): outside the G population, so no G figure changes;
    # named members of the other county for the scoping and masking tests of test_households.py
    _member(8, 14, "户主", d(1, 1, 1980), name="欧阳娜娜", id_number="23120219800101123X"),
    _member(9, 14, "父母", d(3, 3, 1955), insured=None, name="李四", id_number="231202550303123"),
    *_family(2, 11), _member(13, 3, "户主", d(1, 1, 1960)), _member(14, 3, "配偶", d(1, 1, 1962)),
    _member(15, 3, "子女", d(1, 1, 1990)),
    _member(31, 3, "子女", d(2, 1, 2016), dropout=d(3, 1), returned=d(11, 23), stage="小学"),
    _member(17, 4, "户主", d(1, 1, 1975)), _member(18, 4, "配偶", d(1, 1, 1976)), _member(19, 4, "子女", d(1, 1, 2000)),
    _member(20, 4, "子女", d(1, 1, 2003)), _member(21, 4, "子女", d(1, 1, 2010), insured=d(11, 22)),
    *_family(5, 22), *_family(6, 23), *_family(7, 40), *_family(8, 50), *_family(9, 60), *_family(10, 70),
    *_family(11, 80), *_family(12, 90), *_family(17, 110),
    *[{**m, "labour_capacity": "丧失"} for m in _family(13, 100)],  # h13: nobody able to work (M9)
]

# id, household, persons, discovered, decision, decided, included, status, eliminated
_CASES = [
    (1, 1, 4, d(3, 1), "纳入", d(3, 10), d(3, 10), "监测中", None),
    (2, 2, 2, d(1, 5), "纳入", d(1, 15), d(1, 15), "风险已消除", d(10, 1)),
    (3, 3, 4, d(6, 1, 2025), "纳入", d(6, 10, 2025), d(6, 10, 2025), "风险已消除", d(12, 5)),
    (4, 4, 5, d(11, 9), "纳入", d(11, 24), d(11, 24), "监测中", None),
    (5, 5, 1, d(11, 8), "纳入", d(11, 24), d(11, 24), "监测中", None),
    (6, 6, 2, d(11, 13), None, None, None, "待认定", None),
    (7, 7, 3, d(11, 14), None, None, None, "待认定", None),
    (8, 8, 4, d(10, 1), "不予纳入", d(10, 12), None, "不予纳入", None),
    (9, 9, 3, d(2, 1), "纳入", d(2, 10), d(2, 10), "监测中", None),
    (10, 10, 2, d(10, 20), "纳入", d(11, 26), d(11, 26), "监测中", None),
    (11, 11, 6, d(12, 1), None, None, None, "待认定", None),
    (12, 12, 2, d(11, 1), "纳入", d(12, 2), d(12, 2), "监测中", None),
    (13, 13, 2, d(3, 1, 2025), "纳入", d(3, 12, 2025), d(3, 12, 2025), "风险已消除", d(11, 25)),
    (14, 14, 2, d(11, 27), None, None, None, "待认定", None),
    (15, 17, 3, d(11, 10), "纳入", d(11, 18), d(11, 18), "监测中", None),
    # found after D, for M9's rules in 2027 only (invisible at every date up to 11-30): c16 monitored 182 days,
    # c17 exactly 183
    (16, 8, 4, d(12, 1), "纳入", d(12, 5), d(12, 5), "风险已消除", date(2027, 6, 5)),
    (17, 6, 2, d(12, 2), "纳入", d(12, 6), d(12, 6), "风险已消除", date(2027, 6, 7)),
]


def _case(cid, hid, persons, found, decision, decided, included, status, eliminated):
    village = HOUSEHOLDS[hid][0]
    return dict(id=cid, household_id=hid, village_code=village, county_code=village[:6], persons=persons,
                case_type="边缘易致贫户", channel="基层干部排查", discovered_on=found, decision=decision,
                decided_on=decided, decision_days=(decided - found).days if decided else None,
                included_on=included, income_per_capita=6000.0, status=status, eliminated_on=eliminated,
                elimination_kind="稳定消除" if eliminated else None)


CASES = [_case(*c) for c in _CASES]
CASE_RISKS = [dict(id=i, case_id=c, risk=r, disaster_subtype="洪涝" if r == "因灾" else None) for i, (c, r) in enumerate([
    (6, "因病"), (6, "因学"), (12, "因灾"), (10, "因务工就业不稳"),
    (1, "因病"), (1, "因学"),  # c1: 健康 answers 因病, nothing answers 因学 (M7)
    (3, "缺劳动力"),  # answered by 公益岗位
    (9, "因病"),  # c9 has no measure at all (M6)
], start=1)]


def _measure(mid, case_id, category, started, developmental):
    return dict(id=mid, case_id=case_id, category=category, started_on=started, amount=1000.0, department="乡村振兴局",
                is_developmental=developmental)


# M6-M9: c1 has measures (健康, 产业) but none for 因学; c3 公益岗位 (2025); c4's only measure starts after D;
# c2's and c17's start on their elimination day (counts as before it); c9, c13 and c16 have none
MEASURES = [_measure(1, 1, "健康", d(4, 1), False), _measure(2, 1, "产业", d(4, 1), True),
            _measure(3, 3, "公益岗位", d(7, 1, 2025), True), _measure(4, 4, "就业", d(11, 30), True),
            _measure(5, 5, "健康", d(11, 25), False), _measure(6, 2, "产业", d(10, 1), True),
            _measure(7, 10, "就业", d(11, 26), True), _measure(8, 15, "公益岗位", d(11, 20), True),
            _measure(9, 17, "产业", date(2027, 6, 7), True)]

# M10 at D (the 30 days up to D are 10-30..11-28): c1's last visit is 10-29 (30 days before: too old), c3 10-30
# (29 days: in time), c4 11-25, c9 on D, c15 11-20; c5 never; c10 only after D
VISITS = [dict(id=i, household_id=h, case_id=c, visited_on=v, visitor_role=role, finding="收支稳定")
          for i, (h, c, v, role) in enumerate([(1, 1, d(10, 29), "第一书记"), (1, 1, d(9, 1), "村干部"),
                                               (3, 3, d(10, 30), "驻村工作队"), (4, 4, d(11, 25), "村干部"),
                                               (9, 9, D, "乡镇干部"), (17, 15, d(11, 20), "第一书记"),
                                               (10, 10, d(12, 1), "村干部")], start=1)]

INCOME_LINES = [dict(province="黑龙江省", year=2025, amount=7600.0), dict(province="黑龙江省", year=2026, amount=7900.0),
                dict(province="吉林省", year=2025, amount=9000.0)]


def _income_row(iid, hid, year, net):
    size = HOUSEHOLDS[hid][1]
    return dict(id=iid, household_id=hid, year=year, wage=net * size, business=0.0, property=0.0, transfer=0.0,
                rigid_expenditure=0.0, per_capita_net=net)


# M9: h2 exactly at 2025's line (not below), h13 one yuan under it; h8 under 2026's line, h6 exactly at it
INCOMES = [_income_row(1, 2, 2025, 7600.0), _income_row(2, 13, 2025, 7599.0), _income_row(3, 13, 2024, 9000.0),
           _income_row(4, 8, 2026, 7899.0), _income_row(5, 6, 2026, 7900.0)]


def _alert(aid, hid, received, verified):
    village = HOUSEHOLDS[hid][0]
    return dict(id=aid, source="医保", household_id=hid, village_code=village, county_code=village[:6],
                person_id_number=None, kind="大额医疗支出", received_on=received, verified_on=verified,
                result="纳入" if verified else None)


ALERTS = [
    _alert(1, 1, d(11, 8), None),  # D-20, unverified: pending
    _alert(2, 2, d(11, 8), d(11, 18)),  # D-20, verified D-10: not pending
    _alert(3, 4, d(11, 18), None),  # D-10: not yet due
    _alert(4, 9, d(11, 8), d(12, 1)),  # verified after D: pending at D
    _alert(5, 10, d(12, 1), None),  # received after D: invisible
    _alert(6, 5, d(11, 13), None),  # exactly D-15, unverified: pending
    {**_alert(7, 3, d(10, 1), d(10, 16)), "source": "民政"},  # verified after exactly 15 days: in time (M11)
    {**_alert(8, 3, d(10, 1), d(10, 17)), "source": "教育", "result": "不纳入"},  # after 16 days: late
]


def _check(cid, hid, on, housing="A", *, water_ok=(True, True, True, True)):
    q, ql, c, r = water_ok
    return dict(id=cid, household_id=hid, checked_on=on, food_clothing_ok=True, education_ok=True, medical_ok=True,
                housing_grade=housing, water_quantity_ok=q, water_quality_ok=ql, water_convenience_ok=c,
                water_reliability_ok=r, water_ok=all(water_ok))


CHECKS = [
    _check(1, 1, d(8, 1, 2025), "A"),
    _check(2, 1, d(6, 1), "C"),  # h1: last check on or before D is C -> G1
    _check(3, 15, d(5, 1), "B", water_ok=(True, False, True, True)),  # h15: water fails -> G4
    _check(4, 15, d(12, 10), "D"),  # after D: must not count
    _check(5, 16, d(5, 1), "D", water_ok=(False, False, False, False)),  # h16 outside the population
    _check(6, 2, d(3, 1), "A"),
    _check(7, 2, d(10, 15), "A", water_ok=(True, True, True, False)),  # h2 (ever included): G4
    _check(8, 11, d(7, 1), "C"),  # h11: case not included: outside the population
    _check(9, 8, d(7, 1), "C"),  # h8: 不予纳入: outside the population
    _check(10, 9, d(4, 1), "D"),  # h9 (北林区): G1
    _check(11, 3, D, "C"),  # checked exactly on D: counts -> G1
    {**_check(12, 13, d(11, 25)), "medical_ok": False},  # on c13's elimination day: the check before it fails
    _check(13, 8, date(2027, 6, 5), "A", water_ok=(True, False, True, True)),  # c16's day: water fails
    _check(14, 6, date(2027, 6, 7), "B"),  # c17's day: all met
]

DATASET_INFO = [dict(key="source", value="test"), dict(key="data_date", value=D.isoformat()),
                dict(key="province", value="黑龙江省")]

# ---- industry ----


def _income(iid, village, year, operating, quarter=None):
    return dict(id=iid, village_code=village, county_code=village[:6], year=year, quarter=quarter,
                total_income=operating + 20_000.0, operating_income=float(operating), op_business=float(operating),
                op_contracting=0.0, op_investment=0.0, op_other=0.0, subsidy_income=20_000.0, other_income=0.0,
                development_type="物业经济", assets=1e6, debts=1e5)


COLLECTIVE = [
    _income(1, A1, 2025, 0),  # hollow and weak
    _income(2, A2, 2025, 30_000),  # weak
    _income(3, B1, 2025, 100_000),  # exactly 10万: strong
    _income(4, B2, 2025, 250_000),  # strong
    _income(5, C1, 2025, 50_000),  # exactly 5万: not weak, not strong
    _income(6, C2, 2025, 120_000),  # strong
    _income(7, E2, 2025, 99_999),  # just under 10万 (E1 reports nothing)
    _income(8, A1, 2024, 0),
    _income(9, B1, 2024, 150_000),  # the only strong village of 2024
    _income(10, C2, 2024, 80_000),
    _income(13, A2, 2024, 200_000),  # strong in 2024, weak in 2025: fell back
    _income(14, E2, 2024, 20_000),  # weak in 2024, 99,999 in 2025: left the weak tier
    _income(11, A1, 2026, 500_000, quarter=1),  # quarterly rows never count as a year
    _income(12, B1, 2026, 10_000, quarter=2),
]


def _specialty(sid, village, year, status):
    return dict(id=sid, village_code=village, county_code=village[:6], industry="鲜食玉米", category="种植",
                level="市级", year_recognised=year, status=status)


SPECIALTY = [
    _specialty(1, A1, 2024, "认定"),
    _specialty(2, B1, 2026, "示范"),
    _specialty(3, A2, 2025, "培育"),  # never counts
    _specialty(4, C1, 2027, "认定"),  # recognised after the year
    _specialty(5, C2, 2026, "认定"),
]

def _metric(sid, year, output, agri):
    return dict(specialty_village_id=sid, year=year, industry_output=float(output), agri_output=float(agri),
                households_engaged=100, households_total=200, per_capita_income=18_000.0,
                county_per_capita_income=16_000.0, chain_production=True, chain_processing=sid == 2,
                chain_circulation=True, chain_service=False, brand="望奎玉米" if sid == 2 else None,
                certification="绿色" if sid != 5 else None, cooperatives=2, households_linked=80)


# I2 boundaries (WK is a 脱贫县: > 700万 and >= 30%; BL: > 1000万 and >= 50%)
SPECIALTY_METRICS = [
    _metric(1, 2025, 7_000_000, 10_000_000),  # output exactly 700万: fails
    _metric(2, 2025, 9_000_000, 30_000_000),  # share exactly 30%: passes
    _metric(5, 2025, 10_000_000, 20_000_000),  # output exactly 1000万: fails
    _metric(5, 2026, 10_000_001, 20_000_002),  # share exactly 50%: passes (counts only once 2026 has closed)
    _metric(1, 2026, 7_000_001, 23_333_336),  # 30.0000009%: passes
    _metric(3, 2025, 50_000_000, 60_000_000),  # a 培育 village: never counts
]

TARGETS = [
    dict(county_code=WK, year=2026, indicator="I1", target=3.0),
    dict(county_code=BL, year=2026, indicator="I1", target=2.0),
    dict(county_code=WK, year=2025, indicator="I1", target=1.0),
    dict(county_code=WK, year=2026, indicator="I3", target=0.5),  # another indicator
    dict(county_code=WK, year=2025, indicator="I3", target=0.6),
]


def _project(pid, village, status):
    return dict(id=pid, county_code=village[:6], village_code=village, name=f"项目{pid}", industry="种植",
                fund_source="衔接资金", investment=500_000.0, year=2025, status=status, households_linked=10,
                revenue=30_000.0)


# status column = latest status (after D for p4): the queries must read the dated changes instead
PROJECTS = [_project(1, A1, "在建"), _project(2, B1, "运营正常"), _project(3, C1, "闲置"), _project(4, C2, "已盘活"),
            _project(5, A2, "在建"), _project(6, B2, "已整改")]
STATUS_CHANGES = [
    dict(id=1, project_id=1, changed_on=d(3, 1), status="在建"),
    dict(id=2, project_id=2, changed_on=d(5, 1, 2025), status="在建"),
    dict(id=3, project_id=2, changed_on=d(10, 1, 2025), status="运营正常"),
    dict(id=4, project_id=3, changed_on=d(5, 1, 2024), status="运营正常"),
    dict(id=5, project_id=3, changed_on=d(6, 1), status="闲置"),
    dict(id=6, project_id=4, changed_on=d(5, 1, 2024), status="运营正常"),
    dict(id=7, project_id=4, changed_on=d(1, 1), status="闲置"),
    dict(id=8, project_id=4, changed_on=d(12, 10), status="已盘活"),  # after D
    dict(id=9, project_id=5, changed_on=d(12, 15), status="在建"),  # p5 starts after D: invisible at D
    dict(id=10, project_id=6, changed_on=d(1, 1, 2025), status="弱质"),
    dict(id=11, project_id=6, changed_on=d(7, 1), status="已整改"),
]


def _asset(aid, project, village, owner, state="正常", formed=date(2025, 1, 1), disposal=None, approved=None):
    return dict(id=aid, project_id=project, county_code=village[:6], village_code=village, asset_class="经营性",
                kind="温室大棚", value=100_000.0, owner=owner, state=state, yearly_income=5_000.0, formed_on=formed,
                disposal=disposal, disposal_approved=approved)


# I8 at D: WK 2 of 3 owned; BL 2 of 2 (a6 is formed after D)
ASSETS = [
    _asset(1, 2, B1, "红星村股份经济合作社"),
    _asset(2, 2, B1, None, state="闲置"),
    _asset(3, 6, B2, "永安村股份经济合作社", state="损毁", disposal="报损", approved=False),
    _asset(4, 3, C1, "新华村股份经济合作社", state="流失"),
    _asset(5, 4, C2, "胜利村股份经济合作社", formed=D),
    _asset(6, 4, C2, None, formed=d(12, 1)),
]
PV_STATIONS = [dict(id=1, village_code=A1, county_code=WK, kw=200.0, built_year=2019),
               dict(id=2, village_code=C1, county_code=BL, kw=100.0, built_year=2020)]
PV_YEARS = [dict(station_id=1, year=2025, generation_kwh=240_000.0, income=90_000.0, use_public_jobs=54_000.0,
                 use_public_works=27_000.0, use_rewards=9_000.0),
            dict(station_id=2, year=2025, generation_kwh=60_000.0, income=22_000.0, use_public_jobs=22_000.0,
                 use_public_works=0.0, use_rewards=0.0),
            dict(station_id=1, year=2024, generation_kwh=230_000.0, income=86_000.0, use_public_jobs=50_000.0,
                 use_public_works=26_000.0, use_rewards=10_000.0)]


def _month(county, month, employed, target, spent, industry_spent):
    return dict(county_code=county, month=d(month, 1), labour_employed=employed, labour_target=target,
                fund_spent=float(spent), fund_industry=float(industry_spent), consumption_sales=1_000_000.0,
                purchase_832=50_000.0, purchase_reserved=100_000.0)


# I9 (floor 60%) and I10 at D: WK November 900/1000 and exactly 60%; BL November 1200/1000 and 55%
COUNTY_MONTHLY = [
    _month(WK, 10, 950, 1000, 800_000, 500_000),
    _month(WK, 11, 900, 1000, 1_000_000, 600_000),
    _month(BL, 11, 1200, 1000, 2_000_000, 1_100_000),
    _month(BL, 12, 1300, 1000, 2_500_000, 1_600_000),  # after D
]

# ---- 基础设施与公共服务 (test_services.py) ----


def _condition(village, year, natural, hardened, express=True, fibre=True, g4=True, toilet=1.0, garbage=True,
               sewage=True, clinic=True, remote=True, service=True, grid=True, water=1.0):
    return dict(village_code=village, year=year, county_code=village[:6], natural_villages=natural,
                natural_villages_hardened=hardened, express_delivery=express, fibre=fibre, g4=g4,
                sanitary_toilet_share=toilet, garbage_treated=garbage, sewage_treated=sewage, clinic=clinic,
                remote_medical=remote, service_facility=service, grid_upgraded=grid, safe_water_share=water)


# 2025 (the year standing at D): WK A1 A2 B1 report (B2 does not), BL C1 C2; 2026 has not closed at D
CONDITIONS = [
    _condition(A1, 2025, 5, 4, toilet=0.8, sewage=False, water=0.9),  # short: road 4/5
    _condition(A2, 2025, 3, 3, express=False, g4=False, toilet=0.6, clinic=False, remote=False, grid=False),
    _condition(B1, 2025, 4, 4, toilet=0.7, garbage=False, sewage=False, service=False, water=0.95),
    _condition(C1, 2025, 2, 2),
    _condition(C2, 2025, 6, 3, fibre=False, toilet=0.5, sewage=False, remote=False, water=0.8),  # short: road, net
    _condition(A2, 2026, 3, 3),  # the year still running: never read at D
    _condition(A1, 2022, 5, 2),  # 2022: WK reaches 村村通快递, BL does not
    _condition(C1, 2022, 2, 1, express=False),
]


def _team(tid, village, started, ended, size, unit, secretary, days):
    return dict(id=tid, village_code=village, county_code=village[:6], first_secretary=secretary, team_size=size,
                dispatching_unit=unit, started_on=started, ended_on=ended, days_on_duty=days)


# D + 91 days = 2027-02-27; days / (D - started) * 365: t1 257, t2 151 (under 220), t3 262, t7 229
TEAMS = [
    _team(1, A1, d(6, 1, 2023), None, 3, "市财政局", "王小明", 900),
    _team(2, B1, d(12, 1, 2024), date(2027, 1, 31), 2, "市财政局", "李晓明", 300),  # ends within 91 days
    _team(3, C1, d(1, 1, 2025), date(2027, 3, 31), 4, "县委办", "张三丰", 500),  # ends 123 days after D
    _team(4, A1, d(6, 1, 2021), d(5, 31, 2023), 2, "市委组织部", "孙七", 500),  # the earlier rotation
    _team(6, B1, d(6, 1, 2022), d(10, 31, 2024), 2, "县农业农村局", "钱七", 600),  # B1 without a team 11-01..11-30, 2024
    _team(7, E1, d(3, 1, 2025), date(2027, 2, 27), 2, "县委办", "赵六", 400),  # ends exactly D + 91
]


def _assist(aid, member, household, kind, standard, started, topup=0.0, ended=None, unable=False, care=False):
    return dict(id=aid, member_id=member, household_id=household, county_code=HOUSEHOLDS[household][0][:6],
                kind=kind, standard=float(standard), topup=float(topup), started_on=started, ended_on=ended,
                unable_self_care=unable, centralised_care=care)


# at D: WK 低保 2 persons of 1 household (one with a 87 元 top-up), 特困 3 of whom 2 unable and 1 in care (50%);
# 临时救助 1 this year (1500) and 1 last year (2000). BL 低保 1 (top-up 84), 特困 1 unable in care, 临时救助 on D (800)
ASSISTANCE = [
    _assist(1, 1, 1, "低保", 583, d(1, 1, 2024), topup=87),
    _assist(2, 2, 1, "低保", 583, d(1, 1, 2024)),
    _assist(3, 13, 3, "低保", 583, d(12, 1)),  # after D
    _assist(4, 4, 15, "特困", 760, d(1, 1, 2023), unable=True, care=True),
    _assist(5, 17, 4, "特困", 760, d(5, 1, 2023), unable=True),
    _assist(6, 14, 3, "特困", 760, d(2, 1, 2024), ended=d(6, 30), unable=True),  # ended before D
    _assist(7, 11, 2, "特困", 760, d(1, 1, 2022)),
    _assist(8, 18, 4, "临时救助", 1500, d(3, 1)),
    _assist(9, 19, 4, "临时救助", 2000, d(8, 1, 2025)),
    _assist(10, 60, 9, "低保", 561, d(1, 1, 2022), topup=84),
    _assist(11, 90, 12, "特困", 730, d(1, 1, 2023), unable=True, care=True),
    _assist(12, 61, 9, "临时救助", 800, D),
    _assist(13, 62, 9, "临时救助", 900, d(11, 29)),  # after D
]
STANDARDS = [dict(county_code=c, year=y, kind=k, monthly=float(m)) for c, k, values in (
    (WK, "低保", (540, 560, 583)), (WK, "特困", (700, 730, 760)),
    (BL, "低保", (540, 561, 561)), (BL, "特困", (700, 720, 730))) for y, m in zip((2024, 2025, 2026), values)]


def _job(eid, member, year, place, months, kind, trained):
    hid = next(m["household_id"] for m in MEMBERS if m["id"] == member)
    return dict(id=eid, member_id=member, county_code=HOUSEHOLDS[hid][0][:6], year=year, place=place, months=months,
                kind=kind, trained=trained)


# 2025: WK persons m1 (two jobs: 8 and 3 months), m2 (5), m17 (6), m18 (12): 4 workers, 3 stable, 2 trained;
# BL m60 (10), m61 (2): 2 workers, 1 stable, 1 trained
EMPLOYMENT = [
    _job(1, 1, 2025, "县内", 8, "务工", True),
    _job(2, 1, 2025, "县内", 3, "公益岗位", False),
    _job(3, 2, 2025, "省外", 5, "务工", False),
    _job(4, 17, 2025, "省内县外", 6, "以工代赈", True),
    _job(5, 18, 2025, "县内", 12, "生态护林员", False),
    _job(6, 60, 2025, "省外", 10, "务工", False),
    _job(7, 61, 2025, "县内", 2, "扶贫车间", True),
    _job(8, 1, 2026, "县内", 9, "务工", False),  # the year still running
    _job(9, 2, 2024, "省外", 7, "务工", False),
]


def _pair(sid, kind, partner, village, year, funds, projects):
    return dict(id=sid, kind=kind, partner=partner, village_code=village, county_code=village[:6], started_year=year,
                funds=float(funds), projects=projects)


# at D: WK 定点帮扶 s1 s2 (one unit, A1 the only paired 脱贫村: 1 of 2), 百企兴百村 s4; BL s3, s5; 飞鹤乳业 pairs with
# a village in each county (one enterprise city-wide); s6 is paired in 2027
SUPPORT = [
    _pair(1, "定点帮扶", "市财政局", A1, 2021, 300_000, 2),
    _pair(2, "定点帮扶", "市财政局", A2, 2022, 100_000, 1),
    _pair(3, "定点帮扶", "农业银行", C1, 2023, 200_000, 0),
    _pair(4, "百企兴百村", "飞鹤乳业", B2, 2024, 500_000, 3),
    _pair(5, "百企兴百村", "飞鹤乳业", C2, 2025, 400_000, 1),
    _pair(6, "定点帮扶", "市委组织部", B1, 2027, 50_000, 1),
]

# ---- app ----


def _task(tid, deadline, completed):
    return dict(id=tid, year=2026, plan_section="二(一)2 健全防止返贫动态监测和帮扶机制", title=f"任务{tid}",
                category="监测帮扶", lead_department=f"部门{tid}", counties="全市", deadline=deadline,
                target="完成", completed_on=completed)


TASKS = [
    _task(1, d(10, 31), d(10, 20)),  # on time
    _task(2, d(9, 30), d(10, 15)),  # completed late
    _task(3, d(11, 15), None),  # open past its deadline: overdue
    _task(4, d(12, 31), None),  # deadline after D
    _task(5, d(11, 25), d(11, 24)),  # due between D-7 and D, on time
    _task(6, d(11, 10), d(12, 5)),  # completed after D: overdue at D
    _task(7, D, None),  # deadline = D: due, not yet overdue
]


def insert_all(engines: dict[str, Engine]) -> None:
    """Insert the fixture with Core inserts into the (empty) monitoring, industry and app databases."""
    households = [_household(h, *v) for h, v in HOUSEHOLDS.items()]
    plan = {
        "monitoring": [(mm.Region, REGIONS), (mm.Household, households), (mm.Member, MEMBERS),
                       (mm.MonitoringCase, CASES), (mm.CaseRisk, CASE_RISKS), (mm.Measure, MEASURES),
                       (mm.Visit, VISITS), (mm.IncomeLine, INCOME_LINES), (mm.IncomeRecord, INCOMES),
                       (mm.DepartmentAlert, ALERTS), (mm.GuaranteeCheck, CHECKS),
                       (mm.DatasetInfo, DATASET_INFO), (mm.VillageCondition, CONDITIONS), (mm.ResidentTeam, TEAMS),
                       (mm.SocialAssistance, ASSISTANCE), (mm.AssistanceStandard, STANDARDS),
                       (mm.Employment, EMPLOYMENT)],
        "industry": [(im.CollectiveIncome, COLLECTIVE), (im.SpecialtyVillage, SPECIALTY), (im.CountyTarget, TARGETS),
                     (im.IndustryProject, PROJECTS), (im.ProjectStatusChange, STATUS_CHANGES),
                     (im.SpecialtyMetric, SPECIALTY_METRICS), (im.ProjectAsset, ASSETS), (im.PvStation, PV_STATIONS),
                     (im.PvYear, PV_YEARS), (im.CountyMonthly, COUNTY_MONTHLY), (im.SocialSupport, SUPPORT)],
        "app": [(am.KeyTask, TASKS)],
    }
    for name, tables in plan.items():
        with engines[name].begin() as conn:
            for model, rows in tables:
                conn.execute(insert(model.__table__), rows)


# ---- backends ----

SERVERS = {
    "postgresql": ("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test", "PostgreSQL"),
    "mariadb": ("TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test", "MariaDB"),
}


def collisions() -> dict[str, set[str]]:
    """Per logical database, its table names already used by an earlier one (in BASES order)."""
    seen: set[str] = set()
    out = {}
    for name, base in BASES.items():
        tables = set(base.metadata.tables)
        out[name] = tables & seen
        seen |= tables
    return out


def placement(database: str) -> dict[str, str | None]:
    """Schema of each logical database on a server: None (the URL's own database) unless one of its
    table names is already taken there, then a schema of its own named <database>_<name>."""
    return {name: (f"{database}_{name}" if clash else None) for name, clash in collisions().items()}


def _url_in_schema(url: str, schema: str | None) -> str:
    u = make_url(url)
    if schema is not None:
        if u.get_backend_name() == "postgresql":
            u = u.update_query_dict({"options": f"-csearch_path={schema}"})
        else:  # MariaDB/MySQL: a schema is a database
            u = u.set(database=schema)
    return u.render_as_string(hide_password=False)


def _drop_all(engines: dict[str, Engine]) -> None:
    for name in reversed(list(BASES)):
        BASES[name].metadata.drop_all(engines[name])


@contextmanager
def databases(backend: str, tmp: Path) -> Iterator[tuple[dict[str, str], dict[str, Engine]]]:
    """Fresh, empty tables of the three databases on a backend: yields (urls, setup engines).

    SQLite uses three files under tmp. A server is skipped when it cannot be reached; its tables
    (and any schema created here) are dropped afterwards.
    """
    if backend == "sqlite":
        urls = {name: f"sqlite:///{tmp / (name + '.db')}" for name in BASES}
        engines = {name: create_engine(url) for name, url in urls.items()}
        try:
            for name, base in BASES.items():
                base.metadata.create_all(engines[name])
            yield urls, engines
        finally:
            for eng in engines.values():
                eng.dispose()
        return

    env, default, label = SERVERS[backend]
    base_url = os.environ.get(env, default)
    server = create_engine(base_url, connect_args={"connect_timeout": 5})
    try:
        with server.connect():
            pass
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "skip"
        server.dispose()
        pytest.skip(f"{label} not reachable at {make_url(base_url).render_as_string(hide_password=True)}: {exc}")
    database = make_url(base_url).database
    schemas = placement(database)
    existing = set(inspect(server).get_schema_names())
    created = [s for s in schemas.values() if s is not None and s not in existing]
    with server.begin() as conn:
        for schema in created:  # MySQL/MariaDB render CREATE SCHEMA as a new database
            conn.execute(CreateSchema(schema, if_not_exists=True))
    urls = {name: _url_in_schema(base_url, schemas[name]) for name in BASES}
    engines = {name: create_engine(url) for name, url in urls.items()}
    try:
        _drop_all(engines)  # leftovers of an interrupted run
        for name, base in BASES.items():
            base.metadata.create_all(engines[name])
        yield urls, engines
    finally:
        _drop_all(engines)
        for eng in engines.values():
            eng.dispose()
        with server.begin() as conn:
            for schema in created:
                conn.execute(DropSchema(schema, if_exists=True, cascade=backend == "postgresql"))
        server.dispose()
