"""The 一村一品, 村级集体经济 and 产业项目与资产 pages in AppTest: every section at every date, county and year without an
error; exports on every table; lists and files for who may read them, aggregates for the others."""

from __future__ import annotations

from datetime import date

import pytest

from data_access import collective_board, project_board
from data_access.scope import Scope
from tests.conftest import DEMO_AS_OF
from tests.views.test_pages import COUNTIES, ok, text_of

DATES = [DEMO_AS_OF, date(2025, 6, 29), date(2021, 1, 3)]
PAGES = {
    "ovop": ("views/ovop.py", "一村一品", ["progress", "industries", "criteria", "chains", "map"]),
    "collective": ("views/collective.py", "村级集体经济", ["tiers", "moves", "structure", "growth", "map"]),
    "projects": ("views/projects.py", "产业项目与资产", ["status", "troubled", "assets", "pv", "monthly", "map"]),
}
SECTION_KEY = {"ovop": "ovop_section", "collective": "coll_section", "projects": "prj_section"}
EXPORTS = {
    "ovop": {"progress": ["ovop_progress_export"], "industries": ["ovop_industry_table_export", "ovop_by_county_export"],
             "criteria": ["ovop_criteria_export"], "chains": ["ovop_chains_export"], "map": []},
    "collective": {"tiers": ["coll_tiers_export"], "moves": ["coll_moves_export"],
                   "structure": ["coll_structure_export", "coll_types_export"],
                   "growth": ["coll_growth_export", "coll_ranks_export"], "map": []},
    "projects": {"status": ["prj_status_export"], "troubled": ["prj_troubled_export"],
                 "assets": ["prj_assets_export", "prj_classes_export", "prj_problems_export"],
                 "pv": ["prj_pv_export", "prj_stations_export"], "monthly": ["prj_monthly_export"], "map": []},
}


def show(at, page: str, section: str):
    return ok(at.segmented_control(key=SECTION_KEY[page]).set_value(section).run())


@pytest.mark.parametrize("page", list(PAGES))
def test_office_sees_every_section_and_its_exports(signed_in, page):
    path, title, sections = PAGES[page]
    at = ok(signed_in("office", path))
    assert at.title[0].value == title
    assert len(at.metric) in (4, 5) and not at.error
    for section in sections:
        show(at, page, section)
        assert not at.error, (section, [e.value for e in at.error])
        exports = {b.key for b in at.download_button}
        assert set(EXPORTS[page][section]) <= exports, (page, section, exports)


@pytest.mark.parametrize("page", list(PAGES))
def test_matrix_of_dates_counties_years_and_sections(signed_in, page):
    """Every section at the latest date, a Sunday of 2025 and the earliest date, for the city and a county, at the
    newest and oldest year the picker offers: no exception, no error."""
    path, _, sections = PAGES[page]
    at = ok(signed_in("county", path))
    own = at.session_state["auth"]["account"].county
    assert at.selectbox(key=f"{page}_county").value == own  # a county account starts on its own county
    runs = 0
    for d in DATES:
        for county in (None, own):
            at.selectbox(key=f"{page}_as_of").set_value(d)
            ok(at.selectbox(key=f"{page}_county").set_value(county).run())
            year = next((b for b in at.selectbox if b.key == f"{page}_year"), None)
            # AppTest formats a picked option again: pass the value (2026 or None), not the label (2026年)
            for label in ([year.options[0], year.options[-1]] if year else []) or [None]:
                if label is not None:
                    value = None if label == "全部年度" else int(label.removesuffix("年"))
                    ok(at.selectbox(key=f"{page}_year").set_value(value).run())
                if page == "collective" and year is None:  # no completed year at the earliest date: a note
                    assert "之前没有已结束年度" in at.info[0].value
                    runs += 1
                    continue
                for section in sections:
                    show(at, page, section)
                    assert not at.error, (page, d, county, label, section, [e.value for e in at.error])
                    runs += 1
    assert runs >= len(DATES) * 2


def test_collective_year_options_follow_the_date(signed_in):
    at = ok(signed_in("office", "views/collective.py"))
    assert at.selectbox(key="collective_year").value == collective_board.default_year(DEMO_AS_OF) == 2025
    ok(at.selectbox(key="collective_as_of").set_value(date(2025, 6, 29)).run())
    assert at.selectbox(key="collective_year").value == 2024  # 2025 has not closed at that date
    assert "2024年度" in at.metric[0].label


def test_leader_sees_aggregates_but_no_project_rows(signed_in):
    at = ok(signed_in("leader", "views/projects.py"))
    show(at, "projects", "troubled")
    assert "仅对领导小组办公室和县(市)区账号开放" in text_of(at)
    assert not at.download_button(key="prj_troubled_export") if "prj_troubled_export" in {
        b.key for b in at.download_button} else True
    show(at, "projects", "status")
    assert at.download_button(key="prj_status_export")


def test_county_account_reads_only_its_own_project_rows(signed_in, demo_accounts):
    row = next(r for r in demo_accounts.values() if r["role"] == "county")
    at = ok(signed_in(row["username"], "views/projects.py"))
    show(at, "projects", "troubled")
    own = set(project_board.troubled(Scope("t", "county", row["county_code"]), as_of=DEMO_AS_OF, limit=None)["county"])
    assert len(own) <= 1
    other = next(c for c in COUNTIES if c != row["county_code"])
    ok(at.selectbox(key="projects_county").set_value(other).run())
    assert "只能查看本县(市)区的项目和资产明细" in text_of(at)
    # 全市 as well: the list would hold only its own county's rows, exported under the name 全市
    ok(at.selectbox(key="projects_county").select_index(0).run())
    assert at.selectbox(key="projects_county").value is None
    assert "只能查看本县(市)区的项目和资产明细" in text_of(at)
    assert "prj_troubled_export" not in {b.key for b in at.download_button}


def test_village_and_project_files_from_lists(signed_in):
    at = ok(signed_in("office", "views/ovop.py"))
    show(at, "ovop", "criteria")
    at.session_state["ovop_criteria"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    ok(at.run())
    ok(at.button(key="ovop_criteria_open").click().run())
    text = text_of(at)
    assert "村代码 " in text and "一村一品\\:" in text and "村集体经营性收入" in text and "产业项目" in text
    at = ok(signed_in("office", "views/projects.py"))
    show(at, "projects", "troubled")
    at.session_state["prj_troubled"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    ok(at.run())
    ok(at.button(key="prj_troubled_open").click().run())
    assert "状态变化" in text_of(at) and "形成资产" in text_of(at)
