"""Small import files made in the tests: a valid row for every importable table, built from its fields."""

from __future__ import annotations

import io

from openpyxl import Workbook
from stdnum.cn import ric

from data_access.imports import KINDS
from tests.data_access import fixture as fx


def id_number(born: str, seq: int, region: str = "231221") -> str:
    """A valid 18-digit ID number (GB 11643 check digit)."""
    base = f"{region}{born}{seq:03d}"
    return base + ric.calc_check_digit(base + "0")


HEAD = id_number("19750304", 71)  # a new household's head
HEAD2 = id_number("19770809", 73)
PERSON = id_number("20000506", 82)  # a member of that household (女: 82 is even)


def workbook(kind: str, rows: list[list], headers: list[str] | None = None, title: str | None = None) -> bytes:
    """An .xlsx with the kind's template headers (or the given ones) and the rows under them."""
    wb = Workbook()
    ws = wb.active
    ws.title = title or KINDS[kind].title
    ws.append(headers or [f.header for f in KINDS[kind].fields])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(kind: str, **values) -> list:
    """A valid row of the kind in template order: VALID's values, overridden by keyword."""
    base = {**VALID[kind], **values}
    return [base.get(f.name) for f in KINDS[kind].fields]


# one valid row per kind, in an order where each refers only to what comes before it (and the fixture)
VALID: dict[str, dict] = {
    "household": dict(village_code=fx.A2, head_name="孙七", head_id_number=HEAD, phone="13900001111", size=3,
                      is_tuopin="是", is_dibao="否", is_tekun="否", labour_count=2),
    "member": dict(head_id=HEAD, name="孙小妹", id_number=PERSON, relation="子女", birth_date="2000-05-06", sex="女",
                   health="健康", medical_insured_on="2020年1月1日", pension_insured="是", labour_capacity="普通",
                   work_place="省外", work_months=8),
    "case": dict(head_id=HEAD, case_type="边缘易致贫户", channel="基层干部排查", persons=3, discovered_on="2026.3.2",
                 decision="纳入", decided_on="2026-03-10", included_on="2026-03-20", income_per_capita=6800,
                 status="监测中", risks="因病、因学"),
    "measure": dict(head_id=HEAD, category="健康", started_on="2026-04-01", amount=2000, department="卫健",
                    is_developmental="否"),
    "visit": dict(head_id=HEAD, visited_on="2026-05-01", visitor_role="驻村工作队", finding="收支稳定"),
    "alert": dict(head_id=HEAD, source="医保", person_id_number=PERSON, kind="大额医疗支出", received_on="2026-02-20",
                  verified_on="2026-02-27", result="纳入"),
    "check": dict(head_id=HEAD, checked_on="2026-06-01", food_clothing_ok="是", education_ok="是", medical_ok="是",
                  housing_grade="B", water_quantity_ok="是", water_quality_ok="是", water_convenience_ok="是",
                  water_reliability_ok="否"),
    "income": dict(head_id=HEAD, year=2025, wage=12000, business=3000, property=0, transfer=2400,
                   rigid_expenditure=1500, per_capita_net=5300),
    "village_condition": dict(village_code=fx.A2, year=2020, natural_villages=4, natural_villages_hardened=3,
                              express_delivery="是", fibre="是", g4="是", sanitary_toilet_share="85%",
                              garbage_treated="是", sewage_treated="否", clinic="是", remote_medical="否",
                              service_facility="是", grid_upgraded="是", safe_water_share=0.98),
    "resident_team": dict(village_code=fx.A2, first_secretary="周八", team_size=3, dispatching_unit="市农业农村局",
                          started_on="2026-01-05", ended_on="2027-12-31", days_on_duty=200),
    "social_assistance": dict(person_id=PERSON, kind="临时救助", standard=1500, started_on="2026-04-02"),
    "assistance_standard": dict(county_code=fx.WK, year=2020, kind="低保", monthly=520),
    "employment": dict(person_id=PERSON, year=2025, place="省外", months=8, kind="务工", trained="是"),
    "specialty_village": dict(village_code=fx.E2, industry="大鹅", category="养殖", level="市级", year_recognised=2024,
                              status="认定"),
    "specialty_metric": dict(village_code=fx.E2, industry="大鹅", year=2025, industry_output=3_000_000,
                             agri_output=9_000_000, households_engaged=60, households_total=200,
                             per_capita_income=21000, county_per_capita_income=19000, chain_production="是",
                             chain_processing="否", chain_circulation="是", chain_service="否", cooperatives=2,
                             households_linked=80),
    "collective_income": dict(village_code=fx.E2, year=2020, op_business=30000, op_contracting=20000,
                              op_investment=5000, op_other=0, subsidy_income=10000, other_income=0,
                              development_type="资产经营型", assets=800000, debts=100000),
    "project": dict(village_code=fx.E2, name="大鹅养殖扩建", industry="大鹅", fund_source="中央衔接资金",
                    investment=1_200_000, year=2026, status="在建", households_linked=40, revenue=0),
    "project_status": dict(village_code=fx.E2, project_name="大鹅养殖扩建", project_year=2026, changed_on="2026-08-01",
                           status="运营正常"),
    "asset": dict(village_code=fx.E2, project_name="大鹅养殖扩建", project_year=2026, asset_class="经营性", kind="养殖场",
                  value=1_100_000, owner="富强村", state="正常", yearly_income=0, formed_on="2026-08-01"),
    "pv_station": dict(village_code=fx.E2, kw=300, built_year=2019),
    "pv_year": dict(village_code=fx.E2, built_year=2019, year=2025, generation_kwh=360000, income=250000,
                    use_public_jobs=150000, use_public_works=60000, use_rewards=40000),
    "county_monthly": dict(county_code=fx.WK, month="2020年3月", labour_employed=100, labour_target=120,
                           fund_spent=1_000_000, fund_industry=600_000, consumption_sales=300_000, purchase_832=50_000,
                           purchase_reserved=80_000),
    "social_support": dict(village_code=fx.E2, kind="百企兴百村", partner="某乳业公司", started_year=2024, funds=500000,
                           projects=1),
    "task_progress": dict(task_year=2026, task_title="任务4", week_end="2026-11-29", percent="60%", note="按计划推进"),
}
