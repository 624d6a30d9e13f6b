"""Invariants of the demo generator: valid IDs, code hierarchy, date order, volumes, problems."""

from __future__ import annotations

import sqlite3
from datetime import date

import pandas as pd
import pytest

from data_access.demo.names import is_valid_id
from data_access.demo.regions import TOWNSHIPS, TUOPIN_COUNTIES
from tests.conftest import DEMO_AS_OF, DEMO_SCALE


def read(folder, db: str, sql: str) -> pd.DataFrame:
    with sqlite3.connect(folder / f"{db}.db") as con:
        return pd.read_sql(sql, con)


def test_id_numbers_have_valid_check_digits_and_birth_dates(demo_dir):
    m = read(demo_dir, "monitoring", "SELECT id_number, birth_date, sex FROM member")
    assert len(m) > 1000
    assert m["id_number"].map(is_valid_id).all()
    assert (m["id_number"].str[6:14] == m["birth_date"].str.replace("-", "")).all()
    odd = m["id_number"].str[16].astype(int) % 2 == 1
    assert (odd == (m["sex"] == "男")).all()
    heads = read(demo_dir, "monitoring", "SELECT head_id_number FROM household")
    assert heads["head_id_number"].map(is_valid_id).all()


def test_registration_code_is_not_the_household_county(demo_dir):
    """People born before 2000 carry 2323xx codes, some were born elsewhere: never derive county."""
    m = read(demo_dir, "monitoring", "SELECT m.id_number, h.county_code FROM member m JOIN household h ON h.id = m.household_id")
    region = m["id_number"].str[:6]
    assert (region.str[:4] == "2323").mean() > 0.3
    assert (~region.str.startswith(("2312", "2323"))).mean() > 0.03
    assert (region != m["county_code"]).mean() > 0.3


def test_region_hierarchy_and_township_counts(demo_dir):
    r = read(demo_dir, "monitoring", "SELECT * FROM region")
    counties = r[r["level"] == "county"]
    towns = r[r["level"] == "township"]
    villages = r[r["level"] == "village"]
    assert len(counties) == 10 and set(counties["name"]) == set(TOWNSHIPS)
    assert set(counties.loc[counties["is_tuopin_county"] == 1, "name"]) == TUOPIN_COUNTIES
    per_county = towns.groupby("parent_code").size()
    for code, name in counties[["code", "name"]].itertuples(index=False):
        assert per_county[code] == TOWNSHIPS[name], name
    assert towns["code"].str.len().eq(9).all() and (towns["code"].str[:6] == towns["parent_code"]).all()
    suffix = towns["code"].str[6:].astype(int)
    assert suffix.between(100, 399).all()
    assert ((suffix < 200) == towns["name"].str.endswith("镇")).all()
    assert villages["code"].str.len().eq(12).all() and (villages["code"].str[:9] == villages["parent_code"]).all()
    assert (villages["code"].str[9:].astype(int) >= 200).all()
    assert villages.groupby("parent_code").size().between(8, 12).all()
    assert 1400 <= len(villages) <= 1800


def test_case_dates_are_in_order(demo_dir):
    c = read(demo_dir, "monitoring", "SELECT * FROM monitoring_case")
    for col in ("discovered_on", "decided_on", "included_on", "eliminated_on"):
        c[col] = pd.to_datetime(c[col])
    assert (c["discovered_on"] >= "2021-01-01").all()
    assert (c["decided_on"].dropna() >= c.loc[c["decided_on"].notna(), "discovered_on"]).all()
    assert (c["included_on"].notna() == (c["decision"] == "纳入")).all()
    gone = c[c["eliminated_on"].notna()]
    assert (gone["eliminated_on"] > gone["included_on"]).all()
    assert (gone["eliminated_on"] <= pd.Timestamp(DEMO_AS_OF)).all()
    days = (c["decided_on"] - c["discovered_on"]).dt.days
    assert (days.dropna() == c["decision_days"].dropna()).all()
    assert c.loc[c["decided_on"].isna(), "status"].eq("待认定").all()
    m = read(demo_dir, "monitoring", "SELECT m.started_on, c.included_on FROM measure m JOIN monitoring_case c ON c.id = m.case_id")
    assert (m["started_on"] >= m["included_on"]).all()
    v = read(demo_dir, "monitoring", "SELECT v.visited_on, c.included_on, c.eliminated_on FROM visit v "
             "JOIN monitoring_case c ON c.id = v.case_id")
    assert (v["visited_on"] >= v["included_on"]).all()
    assert (v["visited_on"] <= v["eliminated_on"].fillna(DEMO_AS_OF.isoformat())).all()


def test_volumes_scale(demo_dir):
    n_hh = read(demo_dir, "monitoring", "SELECT COUNT(*) n FROM household")["n"].iat[0]
    n_m = read(demo_dir, "monitoring", "SELECT COUNT(*) n FROM member")["n"].iat[0]
    c = read(demo_dir, "monitoring", "SELECT status, county_code FROM monitoring_case")
    assert 0.9 * 58_000 * DEMO_SCALE <= n_hh <= 1.1 * 58_000 * DEMO_SCALE
    assert 2.3 <= n_m / n_hh <= 2.8
    assert 0.9 * 6_000 * DEMO_SCALE <= len(c) <= 1.1 * 6_000 * DEMO_SCALE
    included = c["status"].isin(["监测中", "风险已消除"])
    assert 0.5 <= (c["status"] == "风险已消除").sum() / included.sum() <= 0.7
    hh = read(demo_dir, "monitoring", "SELECT h.county_code, r.is_tuopin_county FROM household h "
              "JOIN region r ON r.code = h.county_code")
    per = hh.groupby(["county_code", "is_tuopin_county"]).size().reset_index(name="n")
    assert per.loc[per["is_tuopin_county"] == 1, "n"].min() > per.loc[per["is_tuopin_county"] == 0, "n"].max()
    for db, table, low in (("monitoring", "visit", 1), ("monitoring", "department_alert", 1),
                           ("monitoring", "guarantee_check", n_hh), ("monitoring", "income_record", n_hh),
                           ("monitoring", "village_condition", 1400), ("monitoring", "resident_team", 100),
                           ("monitoring", "social_assistance", 1), ("monitoring", "employment", 1),
                           ("industry", "specialty_village", 150), ("industry", "collective_income", 1400 * 5),
                           ("industry", "industry_project", 50), ("industry", "project_asset", 50),
                           ("industry", "pv_station", 100), ("industry", "county_monthly", 10 * 60),
                           ("industry", "social_support", 100), ("app", "key_task", 55),
                           ("app", "task_progress", 500), ("app", "meeting_action", 20)):
        assert read(demo_dir, db, f"SELECT COUNT(*) n FROM {table}")["n"].iat[0] >= low, table


def test_deliberate_problems_are_present_and_uneven(demo_dir):
    c = read(demo_dir, "monitoring", "SELECT * FROM monitoring_case")
    late = c.assign(late=c["decision_days"] > 15).groupby("county_code")["late"].mean()
    assert late.max() > 2 * late.min() and late.max() > 0.08
    gone = c[c["status"] == "风险已消除"]
    days = (pd.to_datetime(gone["eliminated_on"]) - pd.to_datetime(gone["included_on"])).dt.days
    assert (days < 183).sum() > 0
    no_measure = read(demo_dir, "monitoring", "SELECT COUNT(*) n FROM monitoring_case c WHERE c.included_on IS NOT NULL "
                      "AND NOT EXISTS (SELECT 1 FROM measure m WHERE m.case_id = c.id)")["n"].iat[0]
    assert no_measure > 0
    s = read(demo_dir, "monitoring", "SELECT SUM(unsafe_housing) h, SUM(dropouts) d FROM village_summary")
    assert s["h"].iat[0] > 0
    coll = read(demo_dir, "industry", "SELECT operating_income FROM collective_income WHERE quarter IS NULL")
    assert (coll["operating_income"] == 0).sum() > 0 and (coll["operating_income"] < 50_000).sum() > 0
    status = read(demo_dir, "industry", "SELECT status FROM industry_project")["status"]
    assert status.isin(["弱质", "闲置"]).sum() > 0
    assets = read(demo_dir, "industry", "SELECT state, owner FROM project_asset")
    assert (assets["state"] == "流失").sum() > 0 and assets["owner"].isna().sum() > 0
    tasks = read(demo_dir, "app", "SELECT deadline, completed_on FROM key_task")
    overdue = (tasks["deadline"] < DEMO_AS_OF.isoformat()) & tasks["completed_on"].isna()
    assert overdue.sum() > 0
    op = read(demo_dir, "industry", "SELECT * FROM collective_income")
    parts = op[["op_business", "op_contracting", "op_investment", "op_other"]].sum(axis=1)
    assert (parts - op["operating_income"]).abs().max() < 1e-6


def test_key_tasks_come_from_the_plan(demo_dir):
    t = read(demo_dir, "app", "SELECT plan_section, title, deadline FROM key_task")
    assert t["plan_section"].str.match(r"^[二三]\(").all()
    assert t["title"].str.contains("村村通快递").any()
    assert {date.fromisoformat(d).year for d in t["deadline"]} == {DEMO_AS_OF.year - 1, DEMO_AS_OF.year}


def test_same_seed_same_data(small_demo_dir, tmp_path):
    """Seeding again with the settings of the session's small demo folder gives the same data."""
    from data_access import bootstrap
    from tests.conftest import SMALL_DEMO, using

    with using(DASHBOARD_DATA_DIR=str(tmp_path / "again")):
        bootstrap.seed_demo(**SMALL_DEMO)
    digests = []
    for folder in (small_demo_dir, tmp_path / "again"):
        digests.append((pd.util.hash_pandas_object(read(folder, "monitoring", "SELECT * FROM member")).sum(),
                        pd.util.hash_pandas_object(read(folder, "industry", "SELECT * FROM collective_income")).sum()))
    assert digests[0] == digests[1]


@pytest.mark.parametrize("bad", ["23120", "abcdef"])
def test_unknown_city_is_refused(bad):
    from data_access.demo.regions import cnmaps_counties

    with pytest.raises(ValueError):
        cnmaps_counties(bad)


def test_cli_refuses_to_overwrite_configured_databases(tmp_path, capsys):
    from data_access.demo.__main__ import main
    from tests.conftest import using

    url = f"sqlite:///{tmp_path / 'real.db'}"
    with using(MONITORING_DB_URL=url, INDUSTRY_DB_URL=url, APP_DB_URL=url, DASHBOARD_DATA_DIR=str(tmp_path)):
        assert main(["seed", "--scale", "0.01"]) == 2
        assert main(["seed", "--if-missing"]) == 0
    err = capsys.readouterr()
    assert "--overwrite-configured-databases" in err.err and "不生成演示数据" in err.out
    assert not (tmp_path / "real.db").exists() or (tmp_path / "real.db").stat().st_size == 0


# ---------------------------------------------------------------- a demo that holds together (read aloud by leaders)


def test_income_records_add_up(demo_dir):
    inc = read(demo_dir, "monitoring", "SELECT i.*, h.size FROM income_record i JOIN household h ON h.id = i.household_id")
    parts = inc["wage"] + inc["business"] + inc["property"] + inc["transfer"] - inc["rigid_expenditure"]
    assert ((parts / inc["size"] - inc["per_capita_net"]).abs() <= 0.006).all()
    assert (inc[["wage", "business", "property", "transfer", "rigid_expenditure"]] >= 0).all().all()
    assert set(inc["year"]) == set(range(2020, DEMO_AS_OF.year))


def test_siblings_are_born_at_least_300_days_apart(demo_dir):
    m = read(demo_dir, "monitoring", "SELECT household_id, relation, birth_date FROM member "
             "WHERE relation IN ('子女', '孙子女') ORDER BY household_id, relation, birth_date")
    m["birth_date"] = pd.to_datetime(m["birth_date"])
    gap = m.groupby(["household_id", "relation"])["birth_date"].diff().dt.days.dropna()
    assert len(gap) > 1000 and (gap >= 300).all(), gap[gap < 300].head()


def test_guarantee_problems_are_spread_over_the_years(demo_dir):
    c = read(demo_dir, "monitoring", "SELECT checked_on, housing_grade, water_quantity_ok AND water_quality_ok AND "
             "water_convenience_ok AND water_reliability_ok AS water_ok FROM guarantee_check")
    c["year"] = c["checked_on"].str[:4].astype(int)
    per_year = c.assign(bad=c["housing_grade"].isin(["C", "D"]), dry=c["water_ok"] == 0).groupby("year")[["bad", "dry"]].sum()
    assert list(per_year.index) == list(range(2020, DEMO_AS_OF.year + 1))
    full = per_year.loc[2020:DEMO_AS_OF.year - 1]  # the current year's checks run September to November
    assert (full > 0).all().all()
    assert full["bad"].max() <= 2.5 * full["bad"].min() and full["dry"].max() <= 3 * full["dry"].min(), per_year


def test_every_elimination_has_a_check_and_an_income_before_it(demo_dir):
    gone = read(demo_dir, "monitoring", "SELECT id, household_id, eliminated_on FROM monitoring_case "
                "WHERE eliminated_on IS NOT NULL")
    checked = read(demo_dir, "monitoring", "SELECT c.id FROM monitoring_case c WHERE c.eliminated_on IS NOT NULL AND "
                   "EXISTS (SELECT 1 FROM guarantee_check g WHERE g.household_id = c.household_id "
                   "AND g.checked_on <= c.eliminated_on)")
    earned = read(demo_dir, "monitoring", "SELECT c.id FROM monitoring_case c WHERE c.eliminated_on IS NOT NULL AND "
                  "EXISTS (SELECT 1 FROM income_record i WHERE i.household_id = c.household_id "
                  "AND i.year < CAST(substr(c.eliminated_on, 1, 4) AS INTEGER))")
    assert (gone["eliminated_on"] < "2022-01-01").sum() > 0  # 2021 eliminations exist and are covered too
    assert set(checked["id"]) == set(gone["id"]) and set(earned["id"]) == set(gone["id"])
    emp = read(demo_dir, "monitoring", "SELECT DISTINCT year FROM employment")
    assert set(emp["year"]) == set(range(2021, DEMO_AS_OF.year + 1))


def test_villages_leave_and_fall_back_into_the_weak_tiers(demo_dir):
    c = read(demo_dir, "industry", "SELECT village_code, year, operating_income FROM collective_income WHERE quarter IS NULL")
    hollow = {y: set(g.loc[g["operating_income"] == 0, "village_code"]) for y, g in c.groupby("year")}
    weak = {y: set(g.loc[g["operating_income"] < 50_000, "village_code"]) for y, g in c.groupby("year")}
    first, last = min(hollow), max(hollow)
    assert hollow[first] - hollow[last] and weak[first] - weak[last], "villages leave the weak tiers"
    assert any(weak[y] - weak[y - 1] for y in range(first + 1, last + 1)), "some fall back"
    assert hollow[first] != hollow[last]


def test_year_to_date_funds_never_go_down(demo_dir):
    m = read(demo_dir, "industry", "SELECT county_code, month, fund_spent, fund_industry FROM county_monthly ORDER BY month")
    m["year"] = m["month"].str[:4]
    for col in ("fund_spent", "fund_industry"):
        step = m.groupby(["county_code", "year"])[col].diff().dropna()
        assert (step >= 0).all(), col
    assert (m["fund_industry"] <= m["fund_spent"]).all()


def test_assets_are_formed_when_their_project_opened(demo_dir):
    a = read(demo_dir, "industry", "SELECT a.formed_on, MIN(s.changed_on) opened FROM project_asset a "
             "JOIN project_status_change s ON s.project_id = a.project_id AND s.status <> '在建' GROUP BY a.id")
    assert (a["formed_on"] == a["opened"]).all() and (a["formed_on"] <= DEMO_AS_OF.isoformat()).all()


def test_alert_results_agree_with_the_cases(demo_dir):
    a = read(demo_dir, "monitoring", "SELECT * FROM department_alert")
    c = read(demo_dir, "monitoring", "SELECT household_id, decision, included_on, eliminated_on FROM monitoring_case")
    already = a[a["result"] == "已是监测对象"].merge(c, on="household_id")
    monitored = (already["included_on"] <= already["verified_on"]) & (
        already["eliminated_on"].isna() | (already["eliminated_on"] > already["verified_on"]))
    assert monitored.groupby(already["id"]).any().all() and already["id"].nunique() == (a["result"] == "已是监测对象").sum()
    included = a[a["result"] == "纳入"].merge(c, on="household_id")
    assert included.groupby("id")["decision"].apply(lambda d: (d == "纳入").any()).all()
    assert included["id"].nunique() == (a["result"] == "纳入").sum()
    refused = a[a["result"] == "不纳入"].merge(c[c["decision"] == "纳入"], on="household_id")
    assert not ((refused["included_on"] <= refused["verified_on"]) & (
        refused["eliminated_on"].isna() | (refused["eliminated_on"] > refused["verified_on"]))).any()
    assert a["verified_on"].isna().sum() > 0 and (a["verified_on"].dropna() >= a.loc[a["verified_on"].notna(), "received_on"]).all()


def test_only_completed_tasks_report_100_percent(demo_dir):
    p = read(demo_dir, "app", "SELECT p.week_end, p.percent, t.completed_on FROM task_progress p "
             "JOIN key_task t ON t.id = p.task_id WHERE p.percent >= 100")
    assert len(p) > 0 and p["completed_on"].notna().all()
    done = pd.to_datetime(p["completed_on"])
    assert (pd.to_datetime(p["week_end"]) >= done - pd.Timedelta(days=6)).all()


def test_assistance_standards_rise_every_year(demo_dir):
    s = read(demo_dir, "monitoring", "SELECT * FROM assistance_standard ORDER BY county_code, kind, year")
    assert set(s["year"]) == set(range(2021, DEMO_AS_OF.year + 1)) and set(s["kind"]) == {"低保", "特困"}
    assert (s.groupby(["county_code", "kind"])["monthly"].diff().dropna() > 0).all()
    now = s[s["year"] == DEMO_AS_OF.year].set_index(["county_code", "kind"])["monthly"]
    r = read(demo_dir, "monitoring", "SELECT county_code, kind, standard FROM social_assistance WHERE kind IN ('低保', '特困')")
    assert (r["standard"].to_numpy() == now.loc[list(zip(r["county_code"], r["kind"]))].to_numpy()).all()


def test_specialty_metrics_are_reported_for_completed_years(demo_dir):
    m = read(demo_dir, "industry", "SELECT v.id, v.year_recognised, m.year FROM specialty_village v "
             "JOIN specialty_metric m ON m.specialty_village_id = v.id")
    assert m["year"].max() == DEMO_AS_OF.year - 1  # the year still running has no figures yet
    for vid, g in m.groupby("id"):
        first = max(int(g["year_recognised"].iat[0]) - 1, 2021)
        assert set(g["year"]) == set(range(first, DEMO_AS_OF.year)), vid


def test_members_have_dated_insurance_and_dropouts(demo_dir):
    m = read(demo_dir, "monitoring", "SELECT birth_date, medical_insured_on, dropout_on, returned_on FROM member")
    insured = m["medical_insured_on"].notna()
    assert 0.99 < insured.mean() < 1 and (m.loc[insured, "medical_insured_on"] >= m.loc[insured, "birth_date"]).all()
    assert (m["medical_insured_on"].dropna() <= DEMO_AS_OF.isoformat()).all()
    out = m[m["dropout_on"].notna()]
    assert len(out) > 0 and (out["returned_on"].dropna() > out.loc[out["returned_on"].notna(), "dropout_on"]).all()


def test_water_ok_is_all_four_water_items(demo_dir):
    c = read(demo_dir, "monitoring", "SELECT water_ok, water_quantity_ok AND water_quality_ok AND water_convenience_ok "
             "AND water_reliability_ok AS four FROM guarantee_check")
    assert (c["water_ok"] == c["four"]).all() and (c["water_ok"] == 0).sum() > 0


def test_the_loops_deliberate_problems_are_found_and_differ_by_county(demo_data):
    from data_access import areas, loop

    year = (date(DEMO_AS_OF.year, 1, 1), DEMO_AS_OF)
    since_2021 = (date(2021, 1, 1), DEMO_AS_OF)
    cov = loop.coverage(as_of=DEMO_AS_OF).set_index("code")
    vis = loop.visits(as_of=DEMO_AS_OF).set_index("code")
    m9 = loop.compliance(start=since_2021[0], end=since_2021[1], province=areas.province()).set_index("code")
    alerts = loop.alert_checks(start=year[0], end=year[1]).set_index("code")
    shares = {"M6": cov["with_measure"] / cov["settled"], "M8": cov["developmental"] / cov["able"],
              "M10": vis["visited"] / vis["monitored"], "M11": alerts["timely"] / alerts["due"],
              "M9": m9["violating"] / m9["eliminated"]}
    for code, share in shares.items():
        assert share.min() < share.max(), code  # the counties differ
    assert (shares["M6"] < 1).any() and (shares["M10"] < 1).any() and (shares["M11"] < 1).any()
    assert 0 < shares["M9"].mean() < 0.3  # problems to find, at a believable rate
    assert all(m9[rule].sum() > 0 for rule in loop.RULES), m9.sum()  # every rule is broken somewhere


def test_the_industry_pages_problems_are_found_and_differ_by_county(demo_data):
    from data_access import collective_board, indicators, ovop, project_board

    values = {code: indicators.values(code, as_of=DEMO_AS_OF).set_index("code")["value"]
              for code in ("I2", "I5", "I6", "I7", "I8", "I9", "I10")}
    for code, v in values.items():
        assert v.notna().all() and v.min() < v.max(), code  # every county has a figure, and they differ
    assert (values["I2"] < 1).all() and (values["I7"] < 1).any() and (values["I8"] < 1).any()
    year = collective_board.default_year(DEMO_AS_OF)
    moves = collective_board.tier_moves(year=year)
    assert {"返回薄弱", "脱离薄弱"} <= set(moves["move"])  # villages leave the weak tier and others fall back
    tiers = collective_board.tier_table(year=year)
    assert tiers["target"].iloc[:-1].notna().all()  # every county has an I3 target for the year
    assert set(ovop.criteria(as_of=DEMO_AS_OF, year=DEMO_AS_OF.year)["result"]) >= {"达标", "未达标"}
    monthly = project_board.monthly(as_of=DEMO_AS_OF)
    assert monthly["i9"].notna().all() and monthly["i10"].notna().all()
