"""Data quality (data_access.quality) on SQLite, PostgreSQL and MariaDB: the shared fixture plus deliberately bad rows
of a county of their own (绥棱县 231226, which the shared fixture does not use), so every count of that county below
is checked by hand and stays put when the shared fixture grows. Rows whose parent is missing have no county and
are checked in the office-wide view (county None)."""

from __future__ import annotations

import random
from datetime import date, datetime

import pandas as pd
import pytest
from sqlalchemy import create_engine, insert, select
from stdnum.cn import ric

from data_access import db, quality
from data_access.models import app as am
from data_access.models import industry as im
from data_access.models import monitoring as mm
from data_access.settings import SettingsError, _stale_days
from tests.data_access import fixture as fx

Q = "231226"
TOWN = Q + "101"
V1, V2 = TOWN + "201", TOWN + "202"
NOWHERE = TOWN + "299"  # a village code this city does not have
D = fx.D


def check_char(body: str) -> str:
    """python-stdnum's GB 11643 check character of a 17-digit body (calc_check_digit reads a whole number and
    ignores its last character)."""
    return ric.calc_check_digit(body + "?")


def valid(body: str) -> str:
    """A 17-digit body with its check character."""
    return body + check_char(body)


def wrong(body: str) -> str:
    """A 17-digit body with a check character that is not its own."""
    return body + ("0" if check_char(body) != "0" else "1")


def _numbers() -> list[str]:
    """Heads' ID numbers for the check-digit comparison with python-stdnum (households 9101 ...)."""
    rng = random.Random(7)
    out = [valid("11010519491231002"), "110105194912310021", "1101051949123100AX", "11010519491231",
           "110105491231002", "231226197001010000"]
    for i in range(40):
        body = "2312" + "".join(rng.choice("0123456789") for _ in range(13))
        out.append(valid(body) if i % 2 else wrong(body))
    for i in range(12):  # bodies whose check character is X, some written x
        while True:
            body = "2312" + "".join(rng.choice("0123456789") for _ in range(13))
            if check_char(body) == "X":
                break
        out.append(body + ("x" if i % 3 == 0 else "X"))
    return out


NUMBERS = _numbers()
GOOD = valid("23122619800101011")  # head of h9001 and h9002 (a duplicate)


def _household(hid, village, id_number, *, name="户主", size=3, labour=1):
    return dict(id=hid, village_code=village, county_code=Q, head_name=name, head_id_number=id_number,
                phone="13900000000", size=size, is_tuopin=False, is_dibao=False, is_tekun=False, labour_count=labour)


HOUSEHOLDS = [
    _household(9001, V1, GOOD), _household(9002, V1, GOOD),  # duplicate head ID: 2 rows
    _household(9003, V2, valid("23122619800101021"), size=0, labour=31),  # size and labour out of range
    _household(9004, NOWHERE, valid("23122619800101031")),  # not a village of this city
    _household(9005, V1, "23122619800101041"),  # 17 characters
    _household(9006, V1, wrong("23122619800101051")),  # wrong check digit
    _household(9007, V1, valid("23122619800101061"), name=""),  # name missing
    _household(9008, V1, valid("23122619800101071"), name="  "),  # name of spaces only: missing
    _household(9009, V2, ""),  # ID missing: completeness, not an ID rule
    *[_household(9101 + i, V2, n) for i, n in enumerate(NUMBERS)],
]


def _member(mid, hid, id_number, born, **kw):
    row = dict(id=mid, household_id=hid, name=f"成员{mid}", id_number=id_number, relation="子女", birth_date=born,
               sex="男", school_stage=None, dropout_on=None, returned_on=None, health="健康", disability_level=None,
               medical_insured_on=None, pension_insured=False, labour_capacity="普通", work_place=None, work_months=0)
    return {**row, **kw}


M1 = valid("23122620100101011")
MEMBERS = [
    _member(9001, 9001, M1, date(2010, 1, 1), dropout_on=date(2020, 9, 1), returned_on=date(2020, 3, 1)),
    _member(9002, 9001, valid("23122620120501021"), date(2012, 5, 1), dropout_on=date(2011, 1, 1)),
    _member(9003, 9001, valid("23122620000101031"), date(2000, 1, 1), medical_insured_on=date(1999, 1, 1)),
    _member(9004, 9001, valid("23122619900101041"), date(1990, 1, 1), health="残疾"),  # level missing
    _member(9005, 9001, valid("23122619900101051"), date(1990, 1, 1), health="残疾", disability_level=5,
            work_months=13),
    _member(9006, 9003, M1, date(2010, 1, 1)),  # the same ID number as m9001
    _member(9007, 9003, valid("23122619900101071"), date(1990, 1, 1), relation="儿子"),
    _member(9008, 99999, valid("23122619900101081"), date(1990, 1, 1)),  # its household does not exist
    _member(9009, 9003, valid("23122619900101091"), date(1990, 1, 1), sex=""),
]


def _case(cid, hid, found, *, village=V1, decision="纳入", decided=None, included=None, status="监测中",
          eliminated=None, kind=None, persons=3, case_type="边缘易致贫户"):
    return dict(id=cid, household_id=hid, village_code=village, county_code=Q, persons=persons, case_type=case_type,
                channel="基层干部排查", discovered_on=found, decision=decision, decided_on=decided,
                decision_days=(decided - found).days if decided else None, included_on=included,
                income_per_capita=6000.0, status=status, eliminated_on=eliminated, elimination_kind=kind)


CASES = [
    _case(9001, 9001, date(2026, 5, 10), decided=date(2026, 5, 1), included=date(2026, 5, 1)),  # both before found
    _case(9002, 9002, date(2026, 3, 1), decided=date(2026, 3, 5), included=date(2026, 3, 5), status="风险已消除",
          eliminated=date(2026, 2, 1)),  # eliminated before included, and no elimination kind
    _case(9003, 9003, date(2026, 4, 1)),  # 纳入 without decided_on, 监测中 without included_on
    _case(9004, 9003, date(2026, 4, 1), decision=None, status="风险已消除", persons=0),  # same key as c9003
    _case(9005, 99998, date(2026, 6, 1), decision=None, status="待认定", case_type="边缘户"),  # no such household
]
CASE_RISKS = [dict(id=9001, case_id=9001, risk="因灾", disaster_subtype=None),
              dict(id=9002, case_id=9003, risk="因灾", disaster_subtype="洪涝")]
MEASURES = [dict(id=9000 + i, case_id=c, category="产业", started_on=date(2026, 6, 1), amount=100.0, department="农业农村局",
                 is_developmental=True) for i, c in ((1, 9001), (2, 9001), (3, 99997))]
ALERTS = [dict(id=9001, source="医保", household_id=9001, village_code=V1, county_code=Q, person_id_number="123",
               kind="大额医疗支出", received_on=date(2026, 6, 10), verified_on=date(2026, 6, 1), result="纳入")]
TEAMS = [dict(id=9000 + i, village_code=v, county_code=Q, first_secretary="李明", team_size=3, dispatching_unit="市直单位",
              started_on=date(2025, 1, 1), ended_on=end, days_on_duty=300)
         for i, v, end in ((1, V1, date(2024, 12, 31)), (2, NOWHERE, None))]
CONDITIONS = [dict(village_code=V2, year=2025, county_code=Q, natural_villages=5, natural_villages_hardened=5,
                   express_delivery=True, fibre=True, g4=True, sanitary_toilet_share=1.5, garbage_treated=True,
                   sewage_treated=True, clinic=True, remote_medical=True, service_facility=True, grid_upgraded=True,
                   safe_water_share=0.9)]
REGIONS = [fx._region(Q, "绥棱县", "county", fx.CITY), fx._region(TOWN, "绥棱镇", "township", Q),
           fx._region(V1, "长山村", "village", TOWN), fx._region(V2, "阁山村", "village", TOWN)]


def _project(pid, village, investment=100_000.0):
    return dict(id=pid, county_code=Q, village_code=village, name="大棚", industry="种植", fund_source="中央衔接资金",
                investment=investment, year=2025, status="在建", households_linked=5, revenue=0.0)


PROJECTS = [_project(9001, V1, -5.0), _project(9002, V1), _project(9003, NOWHERE)]  # 9001 and 9002: same key
STATUS_CHANGES = [dict(id=9001, project_id=99999, changed_on=date(2026, 1, 1), status="在建")]
MONTHLY = [dict(county_code=Q, month=date(2026, 10, 1), labour_employed=1, labour_target=1, fund_spent=0.0,
                fund_industry=0.0, consumption_sales=0.0, purchase_832=0.0, purchase_reserved=0.0)]


def _batch(bid, kind, county, at, status="已导入"):
    return dict(id=bid, at=at, username="office", kind=kind, filename="x.xlsx", rows=1, status=status,
                database="monitoring", county_code=county)


BATCHES = [_batch(9001, "case", Q, datetime(2026, 11, 20, 10)), _batch(9002, "case", None, datetime(2026, 11, 25, 9)),
           _batch(9003, "case", fx.WK, datetime(2026, 11, 27, 9)),  # another county's
           _batch(9004, "case", Q, datetime(2026, 11, 28, 9), status="已撤销"),  # rolled back
           _batch(9005, "household", Q, datetime(2026, 10, 1, 8))]


def _insert(name: str, plan: list) -> None:
    """Insert with the foreign keys unchecked (orphans on purpose): SQLite checks none on a plain engine."""
    eng = create_engine(db.engine(name).url.render_as_string(hide_password=False))
    try:
        with eng.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET session_replication_role = replica")
            elif conn.dialect.name in ("mysql", "mariadb"):
                conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
            for model, rows in plan:
                conn.execute(insert(model.__table__), rows)
    finally:
        eng.dispose()


@pytest.fixture(scope="module")
def bad(backend):
    _insert("monitoring", [(mm.Region, REGIONS), (mm.Household, HOUSEHOLDS), (mm.Member, MEMBERS),
                           (mm.MonitoringCase, CASES), (mm.CaseRisk, CASE_RISKS), (mm.Measure, MEASURES),
                           (mm.DepartmentAlert, ALERTS), (mm.ResidentTeam, TEAMS), (mm.VillageCondition, CONDITIONS)])
    _insert("industry", [(im.IndustryProject, PROJECTS), (im.ProjectStatusChange, STATUS_CHANGES),
                         (im.CountyMonthly, MONTHLY)])
    _insert("app", [(am.ImportBatch, BATCHES)])
    return backend


def _counts(df) -> dict[str, int]:
    return dict(zip(df["rule"], df["count"]))


# every rule family, by hand, in county Q
EXPECTED_Q = {
    "member.order.returned_on": 1, "member.order.dropout_on": 1, "member.order.medical_insured_on": 1,
    "case.order.decided_on": 1, "case.order.included_on": 1, "case.order.eliminated_on": 1,
    "alert.order.verified_on": 1, "resident_team.order.ended_on": 1,
    "member.needs.disability_level": 1, "case.needs.decided_on": 1, "case.needs.included_on": 2,
    "case.needs.eliminated_on": 1, "case.needs.elimination_kind": 2, "case.needs.disaster_subtype": 1,
    "household.range.size": 1, "household.range.labour_count": 1, "member.range.work_months": 1,
    "member.range.disability_level": 1, "case.range.persons": 1, "village_condition.range.sanitary_toilet_share": 1,
    "project.range.investment": 1,
    "member.choice.relation": 1, "case.choice.case_type": 1,
    "alert.id_length.person_id_number": 1,
    "household.region": 1, "resident_team.region": 1, "project.region": 1,
    "case.ref.household": 1,
    "household.duplicate": 2, "member.duplicate": 2, "case.duplicate": 2, "measure.duplicate": 2, "project.duplicate": 2,
}


def _id_bad(number: str) -> tuple[bool, bool]:
    """(wrong length, wrong check) as python-stdnum judges an ID number (blank: neither)."""
    if not number:
        return False, False
    if len(number) != 18:
        return True, False
    body = number[:17]
    return False, not body.isdigit() or check_char(body) != number[-1].upper()


def test_rules_by_hand(bad):
    got = _counts(quality.rules(county=Q))
    ids = [h["head_id_number"] for h in HOUSEHOLDS]
    length = sum(_id_bad(n)[0] for n in ids)
    check = sum(_id_bad(n)[1] for n in ids)
    # h9005 and h9006; NUMBERS: 14 and 15 characters; a wrong check, letters, all zeros and 20 random wrong ones
    assert (length, check) == (1 + 2, 1 + 3 + 20)
    expected = {**EXPECTED_Q, "household.id_length.head_id_number": length, "household.id_check.head_id_number": check}
    assert got == expected


def test_rule_names_and_columns(bad):
    df = quality.rules(county=Q)
    assert list(df.columns) == quality.RULE_COUNTS
    assert set(df["county_name"]) == {"绥棱县"}
    names = dict(zip(df["rule"], df["rule_name"]))
    assert names["case.order.decided_on"] == "认定日期早于发现日期"
    assert names["case.order.included_on"] == "纳入日期早于发现日期"
    assert names["case.order.eliminated_on"] == "风险消除日期早于纳入日期"
    assert names["alert.order.verified_on"] == "核实日期早于接收日期"
    assert names["resident_team.order.ended_on"] == "期满日期早于派驻日期"
    assert names["member.order.returned_on"] == "劝返复学日期早于失学辍学日期"
    assert names["household.range.size"] == "家庭人口数超出合理范围(1~30)"
    assert names["member.range.work_months"] == "务工月数超出合理范围(0~12)"
    assert names["case.needs.included_on"] == "监测状态为监测中、风险已消除但纳入日期为空"
    assert names["household.duplicate"] == "户主身份证号重复"
    assert names["member.duplicate"] == "身份证号重复"
    assert set(quality.registry()["family"]) == set(quality.FAMILIES)


def test_orphans_have_no_county(bad):
    df = quality.rules()
    orphans = df[df["county"].isna()]
    assert _counts(orphans) == {"member.ref.household": 1, "measure.ref.case": 1, "project_status.ref.project": 1}
    assert set(orphans["county_name"]) == {quality.NO_COUNTY}
    assert quality.rule_rows("member.ref.household")["record_id"].tolist() == [9008]
    assert quality.rule_rows("member.ref.household", county=Q).empty


def test_as_of_reads_records_dated_before(bad):
    got = _counts(quality.rules(county=Q, as_of=date(2026, 3, 31)))
    case_rules = {k: v for k, v in got.items() if k.startswith("case.")}
    assert case_rules == {"case.order.eliminated_on": 1, "case.needs.elimination_kind": 1}  # only c9002 found by then
    assert got["household.duplicate"] == 2  # households have no date: all of them


def test_rule_rows(bad):
    rows = quality.rule_rows("household.duplicate", county=Q)
    assert rows["household_id"].tolist() == [9001, 9002]
    assert rows["head_id_number"].tolist() == [GOOD, GOOD]  # raw: the page masks
    assert set(rows["village"]) == {"长山村"} and set(rows["township"]) == {"绥棱镇"}
    assert set(rows["county_name"]) == {"绥棱县"}
    order = quality.rule_rows("case.order.eliminated_on", county=Q)
    assert order["record_id"].tolist() == [9002]
    assert order[["included_on", "eliminated_on"]].astype(str).values.tolist() == [["2026-03-05", "2026-02-01"]]
    region = quality.rule_rows("project.region", county=Q)
    assert region["record_id"].tolist() == [9003] and region["village"].tolist() == [None]
    assert list(region.columns[:4]) == ["county", "county_name", "township", "village"]
    headers = quality.row_headers("project.region")
    assert headers["village_code"] == "村代码" and set(headers) == set(region.columns) - {"county"}
    assert len(quality.rule_rows("household.id_check.head_id_number", county=Q, limit=3)) == 3
    with pytest.raises(ValueError):
        quality.rule_rows("no.such.rule")
    with pytest.raises(ValueError):
        quality.rules(county="23122'")


def test_check_digit_against_stdnum(bad):
    """The SQL check character and both ID rules agree with python-stdnum on every head's ID number."""
    H = mm.Household
    col = H.head_id_number
    q = (select(H.id, col, quality.id_check_char(col)).where(H.county_code == Q, quality.digits17(col),
                                                               quality.char_length(col) == 18))
    with db.engine("monitoring").connect() as conn:
        rows = conn.execute(q).all()
    assert len(rows) > 50
    for _, number, char in rows:
        assert char == ric.calc_check_digit(number), number
    flagged = {r: set(quality.rule_rows(f"household.{r}.head_id_number", county=Q)["head_id_number"])
               for r in ("id_length", "id_check")}
    ids = [h["head_id_number"] for h in HOUSEHOLDS]
    assert flagged["id_length"] == {n for n in ids if _id_bad(n)[0]}
    assert flagged["id_check"] == {n for n in ids if _id_bad(n)[1]}
    valid_by_stdnum = {n for n in ids if n and ric.is_valid(n)}
    assert not valid_by_stdnum & (flagged["id_length"] | flagged["id_check"])


def test_freshness(bad):
    df = quality.freshness(county=Q, today=D)
    assert list(df.columns) == quality.FRESHNESS
    assert "task_progress" not in set(df["kind"])  # belongs to no county
    by = df.set_index("kind")
    assert by.at["case", "latest"] == date(2026, 6, 1) and by.at["case", "rows"] == 5
    assert bool(by.at["case", "stale"]) and by.at["case", "threshold_days"] == 30
    assert by.at["case", "last_import"] == datetime(2026, 11, 25, 9)  # the office's, not another county's or undone
    assert by.at["household", "latest"] is None and not by.at["household", "stale"]
    assert by.at["household", "rows"] == len(HOUSEHOLDS) and by.at["household", "last_import"] == datetime(2026, 10, 1, 8)
    assert pd.isna(by.at["household", "threshold_days"])
    assert by.at["county_monthly", "latest"] == date(2026, 10, 31) and not by.at["county_monthly", "stale"]
    assert by.at["income", "rows"] == 0 and by.at["income", "latest"] is None and by.at["income", "stale"]
    assert by.at["village_condition", "latest"] == date(2025, 12, 31) and not by.at["village_condition", "stale"]
    tight = quality.freshness(county=Q, today=D, stale_days={"monthly": 20}).set_index("kind")
    assert tight.at["county_monthly", "stale"] and tight.at["county_monthly", "threshold_days"] == 20
    assert quality.freshness(county=Q, today=date(2026, 6, 15)).set_index("kind").at["case", "stale"] == False  # noqa: E712
    office = quality.freshness(today=D)
    assert set(office["county"].dropna()) == {fx.WK, fx.BL, Q}
    assert office[office["kind"] == "task_progress"]["county_name"].tolist() == [quality.CITY_WIDE]
    assert office[(office["kind"] == "case") & (office["county"] == fx.WK)]["last_import"].tolist() == \
        [datetime(2026, 11, 27, 9)]


def test_completeness(bad):
    df = quality.completeness(county=Q)
    assert list(df.columns) == quality.COMPLETENESS
    missing = {(r.kind, r.column): (r.missing, r.rows) for r in df.itertuples() if r.missing}
    assert missing == {("household", "head_name"): (2, len(HOUSEHOLDS)),
                       ("household", "head_id_number"): (1, len(HOUSEHOLDS)),
                       ("member", "sex"): (1, 8)}  # m9008's household is missing: no county
    row = df[(df["kind"] == "household") & (df["column"] == "head_name")].iloc[0]
    assert row["field"] == "户主姓名" and row["share"] == pytest.approx(2 / len(HOUSEHOLDS))
    assert set(df["county_name"]) == {"绥棱县"}


def test_stale_days_setting():
    assert dict(_stale_days("")) == {"record": 30, "monthly": 45, "yearly": 400}
    assert dict(_stale_days("monthly=60, yearly=380")) == {"record": 30, "monthly": 60, "yearly": 380}
    for value in ("weekly=7", "monthly=0", "monthly=abc"):
        with pytest.raises(SettingsError):
            _stale_days(value)
