"""Row-level reads of households (data_access.households) against the hand-built fixture on SQLite,
PostgreSQL and MariaDB: scoped to the caller's county in SQL, masked, unmasked only with a reason and an
audit row.

Cases visible at D (fixture.py): 望奎县 c1-c8 (c11 is found after D), 北林区 c9 c10 c12 c13 c14 c15.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select

from data_access import db, households, masking
from data_access.models.app import AuditLog
from data_access.scope import AccessDenied, Scope
from tests.data_access import fixture as fx
from tests.data_access.fixture import A1, BL, C1, C2, WK, D

WK_CASES = {1, 2, 3, 4, 5, 6, 7, 8}
BL_CASES = {9, 10, 12, 13, 14, 15}
OFFICE = Scope("chief", "office")
ADMIN = Scope("root", "admin")
WK_SCOPE = Scope("wk01", "county", WK)
BL_SCOPE = Scope("bl01", "county", BL)
OWN = {WK: (WK_SCOPE, WK_CASES, BL, C1), BL: (BL_SCOPE, BL_CASES, WK, A1)}  # scope, cases, other county, its village
HEADS = {h["id"]: h for h in (fx._household(hid, *v) for hid, v in fx.HOUSEHOLDS.items())}
MEMBERS = {m["id"]: m for m in fx.MEMBERS}

BAD_COUNTIES = ["231221' OR '1'='1", "23122%", "23122_", "２３１２２１", "2312", "2312210", "", " 231221", 231221]
BAD_VILLAGES = ["231202101201' OR '1'='1", "2312021012%", "23120210120_", "２３１２０２１０１２０１", "23120210120",
                "2312021012011", "", 231202101201]
BAD_STATUSES = ["监测中' OR '1'='1", "监测中 ", "", "all", "monitored", "%"]


def ids(df: pd.DataFrame) -> set[int]:
    return {int(v) for v in df["case_id"]}


def unmask_rows() -> list[tuple[str, str, str | None]]:
    with db.engine("app").connect() as conn:
        return [tuple(r) for r in conn.execute(select(AuditLog.username, AuditLog.detail, AuditLog.address)
                                               .where(AuditLog.action == "unmask").order_by(AuditLog.id))]


def audit_count() -> int:
    with db.engine("app").connect() as conn:
        return conn.execute(select(func.count()).select_from(AuditLog)).scalar_one()


# ---------------------------------------------------------------- scoping


@pytest.mark.parametrize("county", [WK, BL])
def test_county_scope_sees_its_own_county_only(backend, county):
    scope, cases, other, _ = OWN[county]
    for requested in (county, other, None):  # asking for the other county, or for all, changes nothing
        df = households.case_list(scope, as_of=D, county=requested)
        assert ids(df) == cases, requested
        assert all(v.startswith(county) for v in df["village_code"])
        assert households.case_count(scope, as_of=D, county=requested) == len(cases)


@pytest.mark.parametrize("county", [WK, BL])
def test_county_scope_and_a_village_of_the_other_county_is_empty(backend, county):
    scope, _, other, other_village = OWN[county]
    for requested in (county, other, None):
        assert households.case_list(scope, as_of=D, county=requested, village=other_village).empty
        assert households.case_count(scope, as_of=D, county=requested, village=other_village) == 0
        for status in households.STATUSES:
            assert households.case_list(scope, as_of=D, county=requested, village=other_village, status=status).empty


def test_county_scope_village_and_status_filters(backend):
    # A1: c1 c2 (c11 found after D)
    assert ids(households.case_list(WK_SCOPE, as_of=D, village=A1)) == {1, 2}
    assert households.case_count(WK_SCOPE, as_of=D, village=A1) == 2
    # C2: c12 c14
    assert ids(households.case_list(BL_SCOPE, as_of=D, county=WK, village=C2)) == {12, 14}
    # 监测中 at D (not today's status column): c1, c3 (eliminated only 12-05), c4, c5 / c9 c10 c15
    assert ids(households.case_list(WK_SCOPE, as_of=D, status="监测中")) == {1, 3, 4, 5}
    assert ids(households.case_list(BL_SCOPE, as_of=D, status="监测中")) == {9, 10, 15}
    assert households.case_count(BL_SCOPE, as_of=D, county=WK, status="监测中") == 3
    assert ids(households.case_list(WK_SCOPE, as_of=D, status="待认定")) == {6, 7}
    assert ids(households.case_list(WK_SCOPE, as_of=D, status="不予纳入")) == {8}
    assert ids(households.case_list(BL_SCOPE, as_of=D, status="不予纳入")) == set()


def test_pending_status_is_as_of_the_date(backend):
    assert ids(households.case_list(BL_SCOPE, as_of=D, status="待认定")) == {12, 14}


@pytest.mark.parametrize("scope", [OFFICE, ADMIN], ids=["office", "admin"])
def test_office_and_admin_see_both_counties(backend, scope):
    assert ids(households.case_list(scope, as_of=D)) == WK_CASES | BL_CASES
    assert households.case_count(scope, as_of=D) == 14
    assert ids(households.case_list(scope, as_of=D, county=WK)) == WK_CASES
    assert ids(households.case_list(scope, as_of=D, county=BL)) == BL_CASES
    assert ids(households.case_list(scope, as_of=D, village=C1)) == {9}
    assert households.case_count(scope, as_of=D, status="监测中") == 7  # 4 + 3, as stock() says


@pytest.mark.parametrize("role", ["leader", "screen"])
def test_summary_roles_get_no_rows(backend, role):
    scope = Scope(f"{role}01", role)
    before = audit_count()
    for county in (None, WK):
        with pytest.raises(AccessDenied):
            households.case_list(scope, as_of=D, county=county)
        with pytest.raises(AccessDenied):
            households.case_count(scope, as_of=D, county=county)
    with pytest.raises(AccessDenied):
        households.household_members(scope, 1)
    with pytest.raises(AccessDenied):
        households.household_members(scope, 1, unmask=True, reason="核实联系电话")
    assert audit_count() == before


def both_raise(scope, **bad):
    """case_list and case_count both refuse the same bad argument."""
    with pytest.raises(ValueError):
        households.case_list(scope, as_of=D, **bad)
    with pytest.raises(ValueError):
        households.case_count(scope, as_of=D, **bad)


@pytest.mark.parametrize("scope", [WK_SCOPE, BL_SCOPE, OFFICE], ids=["wk", "bl", "office"])
def test_malformed_codes_raise(backend, scope):
    for bad in BAD_COUNTIES:
        both_raise(scope, county=bad)
    for bad in BAD_VILLAGES:
        both_raise(scope, village=bad)


@pytest.mark.parametrize("scope", [WK_SCOPE, OFFICE], ids=["wk", "office"])
def test_status_outside_the_allow_list_raises(backend, scope):
    for bad in BAD_STATUSES:
        both_raise(scope, status=bad)


def test_paging_is_clamped(backend):
    full = households.case_list(WK_SCOPE, as_of=D)
    # newest discovery first: c7 11-14, c6 11-13, c4 11-09, c5 11-08, c8 10-01, c1 03-01, c2 01-05, c3 2025
    assert list(full["case_id"]) == [7, 6, 4, 5, 8, 1, 2, 3]
    assert list(households.case_list(WK_SCOPE, as_of=D, limit=10**12)["case_id"]) == list(full["case_id"])
    for tiny in (0, -1, -10**12):
        assert list(households.case_list(WK_SCOPE, as_of=D, limit=tiny)["case_id"]) == [7]  # at least one row
    for negative in (-1, -10**12):
        assert list(households.case_list(WK_SCOPE, as_of=D, offset=negative)["case_id"]) == list(full["case_id"])
    pages = [households.case_list(WK_SCOPE, as_of=D, limit=3, offset=o) for o in (0, 3, 6)]
    assert [list(p["case_id"]) for p in pages] == [[7, 6, 4], [5, 8, 1], [2, 3]]
    assert households.case_list(WK_SCOPE, as_of=D, offset=8).empty
    for huge in (10**12, 2**63, 2**64, 10**30):  # beyond BIGINT used to raise a different error per backend
        assert households.case_list(WK_SCOPE, as_of=D, offset=huge).empty
    # paging never leaves the county: the other county's cases do not follow the caller's last row
    assert households.case_list(WK_SCOPE, as_of=D, county=BL, limit=1000, offset=7)["case_id"].tolist() == [3]
    with pytest.raises(ValueError):
        households.case_list(WK_SCOPE, as_of=D, limit="1; DROP TABLE household")


# ---------------------------------------------------------------- masking


def test_case_list_masks_every_person_field(backend):
    df = households.case_list(OFFICE, as_of=D)
    assert list(df.columns) == households.CASE_COLUMNS
    assert len(df) == 14
    raw_values = set()
    for row in df.to_dict("records"):
        raw = HEADS[int(row["household_id"])]
        assert row["head_name"] == masking.name(raw["head_name"]) != raw["head_name"]
        assert row["head_id_number"] == masking.id_number(raw["head_id_number"]) != raw["head_id_number"]
        assert row["phone"] == masking.phone(raw["phone"]) != raw["phone"]
        raw_values |= {raw["head_name"], raw["head_id_number"], raw["phone"]}
    cells = [str(v) for v in df.to_numpy().ravel()]
    assert not [c for c in cells for r in raw_values if r in c]
    by_household = df.set_index("household_id")
    assert by_household.loc[1, ["head_name", "head_id_number", "phone"]].tolist() == [
        "王*", "231221********0011", "138****1234"]
    assert by_household.loc[9, ["head_name", "head_id_number", "phone"]].tolist() == [
        "张*明", "231202********0021", "139****4321"]
    assert by_household.loc[10, ["head_name", "head_id_number", "phone"]].tolist() == [
        "赵*", "231202*****1123", "158****0000"]
    assert by_household.loc[14, ["head_name", "head_id_number", "phone"]].tolist() == [
        "欧**娜", "231202********123X", "136****5432"]
    assert by_household.loc[2, "head_name"] == "户*2"
    assert by_household.loc[1, "village"] == "前进村"
    assert by_household["risks"].to_dict() == {h: {6: 2, 12: 1, 10: 1, 1: 2, 3: 1, 9: 1}.get(h, 0) for h in by_household.index}
    # persons: the household's members born by the date (h1's m10 is born 11-25)
    assert by_household.loc[1, "persons"] == 4
    assert households.case_list(OFFICE, as_of=date(2026, 11, 22)).set_index("household_id").loc[1, "persons"] == 3


def test_county_case_list_is_masked_too(backend):
    df = households.case_list(BL_SCOPE, as_of=D)
    assert set(df["head_name"]) == {"张*明", "赵*", "户**2", "户**3", "欧**娜", "户**7"}
    assert all("*" in v for v in df["head_id_number"]) and all("****" in v for v in df["phone"])


def masked_members(hid: int) -> list[list[str]]:
    return [[masking.name(m["name"]), masking.id_number(m["id_number"]), masking.phone(HEADS[hid]["phone"])]
            for m in sorted(MEMBERS.values(), key=lambda m: m["id"]) if m["household_id"] == hid]


def test_household_members_are_masked_by_default(backend):
    before = audit_count()
    for scope in (OFFICE, ADMIN, WK_SCOPE):
        df = households.household_members(scope, 1)
        assert list(df.columns) == ["name", "id_number", "relation", "sex", "age", "health", "labour_capacity",
                                    "medical_insured", "phone"]
        assert df[["name", "id_number", "phone"]].values.tolist() == masked_members(1)
        assert list(df["name"]) == ["王*", "成*2", "成*3", "成**0"]
        assert list(df["relation"]) == ["户主", "配偶", "子女", "子女"]
    df = households.household_members(BL_SCOPE, 14, reason="ignored without unmask")
    assert df[["name", "id_number", "phone"]].values.tolist() == [
        ["欧**娜", "231202********123X", "136****5432"], ["李*", "231202*****3123", "136****5432"]]
    assert audit_count() == before  # masked reads are not audited


def _masked_frames():
    """Every frame a masked reader can get about people: the case list, each household's members, the lists
    behind the alerts."""
    from data_access import lists

    yield households.case_export(OFFICE, as_of=D)
    for hid in sorted({m["household_id"] for m in MEMBERS.values()}):
        yield households.household_members(OFFICE, hid, as_of=D)
    yield lists.overdue_cases(OFFICE, as_of=D)
    yield lists.late_decisions(OFFICE, start=date(2026, 11, 23), end=D)
    yield lists.pending_alerts(OFFICE, as_of=D)


def test_no_masked_frame_gives_the_masked_digits_back(backend):
    """Masking hides digits 7-14 of an ID number, which are the birth date: no masked frame may carry it."""
    births = {m["birth_date"] for m in MEMBERS.values()}
    hidden = {b.strftime("%Y%m%d") for b in births} | {b.isoformat() for b in births}
    for df in _masked_frames():
        assert "birth_date" not in df.columns
        cells = [v for v in df.to_numpy().ravel()]
        assert not [v for v in cells if v in births or (isinstance(v, str) and any(h in v for h in hidden))], df
    unmasked = households.household_members(OFFICE, 1, as_of=D, unmask=True, reason="核实联系电话")
    assert list(unmasked["birth_date"]) == [MEMBERS[i]["birth_date"] for i in (1, 2, 3, 10)]
    assert list(unmasked["age"]) == [56, 54, 12, 0]


@pytest.mark.parametrize(("scope", "hid"), [(WK_SCOPE, 14), (BL_SCOPE, 1), (WK_SCOPE, 9), (BL_SCOPE, 15)])
def test_county_scope_gets_nothing_of_another_countys_household(backend, scope, hid):
    before = audit_count()
    df = households.household_members(scope, hid)
    assert df.empty
    assert list(df.columns)[0] == "name"
    assert audit_count() == before


def test_unmask_needs_an_office_or_admin_role(backend):
    before = audit_count()
    for scope, hid in ((WK_SCOPE, 1), (BL_SCOPE, 14), (WK_SCOPE, 14)):
        with pytest.raises(AccessDenied):
            households.household_members(scope, hid, unmask=True, reason="核实联系电话")
    assert audit_count() == before


@pytest.mark.parametrize("reason", ["", "   ", "核实", "abc", " 核 实 "])
def test_unmask_needs_a_reason_of_four_characters(backend, reason):
    before = audit_count()
    with pytest.raises(ValueError) as e:
        households.household_members(OFFICE, 14, unmask=True, reason=reason)
    assert "理由" in str(e.value)
    assert audit_count() == before


@pytest.mark.parametrize("scope", [OFFICE, ADMIN], ids=["office", "admin"])
def test_unmask_returns_raw_values_and_writes_one_audit_row(backend, scope):
    before, rows_before = audit_count(), unmask_rows()
    df = households.household_members(scope, 14, unmask=True, reason="  入户核实联系电话  ", address="10.0.0.8")
    assert df[["name", "id_number"]].values.tolist() == [[MEMBERS[8]["name"], MEMBERS[8]["id_number"]],
                                                         [MEMBERS[9]["name"], MEMBERS[9]["id_number"]]]
    assert list(df["phone"]) == [HEADS[14]["phone"]] * 2
    assert list(df["name"]) == ["欧阳娜娜", "李四"]
    assert audit_count() == before + 1
    assert unmask_rows() == [*rows_before, (scope.username, "户 14:入户核实联系电话", "10.0.0.8")]


def test_unmask_of_an_unknown_household_is_empty_and_not_audited(backend):
    before = audit_count()
    assert households.household_members(OFFICE, 99999, unmask=True, reason="核实联系电话").empty
    assert audit_count() == before


def test_household_id_must_be_a_number(backend):
    for bad in ("14 OR 1=1", "1; DROP TABLE member", ""):
        with pytest.raises(ValueError):
            households.household_members(OFFICE, bad)


# ---------------------------------------------------------------- Scope


def test_scope_rules():
    assert [Scope("u", r, WK if r == "county" else None).row_level for r in ("admin", "office", "county")] == [True] * 3
    assert not Scope("u", "leader").row_level and not Scope("u", "screen").row_level
    assert (OFFICE.can_unmask, ADMIN.can_unmask, WK_SCOPE.can_unmask) == (True, True, False)
    assert WK_SCOPE.rows_county(BL) == WK and WK_SCOPE.rows_county(None) == WK
    assert OFFICE.rows_county(BL) == BL and OFFICE.rows_county(None) is None
    for role in ("leader", "screen"):
        with pytest.raises(AccessDenied):
            Scope("u", role).rows_county(WK)
    for county in (None, "", "23122", "２３１２２１", "231221' OR '1'='1"):
        with pytest.raises(ValueError):
            Scope("u", "county", county)
    with pytest.raises(ValueError):
        Scope("u", "superuser")


def test_an_overlong_reason_is_refused_before_anything_is_read(backend):
    before = audit_count()
    with pytest.raises(ValueError, match="理由不超过"):
        households.household_members(OFFICE, 14, unmask=True, reason="核实" * 101)
    assert audit_count() == before
