"""The 基础设施与公共服务 page (/services) in AppTest: every section at every date for the city and a county without an
error, its exports, the team rows for who may read them (a county account its own county's), and the demo data's
problems on screen: villages whose roads do not reach every natural village,
counties under the 50% floor of 集中供养, and resident teams ending within the next quarter."""

from __future__ import annotations

import re
from datetime import date

from data_access import services_board as sb
from data_access.scope import Scope
from tests.conftest import DEMO_AS_OF
from tests.views.test_pages import COUNTIES, ok, text_of

PATH = "views/services.py"
DATES = [DEMO_AS_OF, date(2025, 6, 29), date(2021, 1, 3)]
SECTIONS = ["conditions", "teams", "assistance", "employment", "support"]
EXPORTS = {"conditions": ["svc_conditions_export", "svc_short_export"],
           "teams": ["svc_teams_export", "svc_ending_export", "svc_low_duty_export", "svc_units_export"],
           "assistance": ["svc_assistance_export", "svc_standards_export"],
           "employment": ["svc_labour_export", "svc_employment_export"],
           "support": ["svc_support_export", "svc_partners_export"]}


def show(at, section: str):
    return ok(at.segmented_control(key="svc_section").set_value(section).run())


def tables(at, header: str) -> list:
    """The shown tables that have a column so headed, in page order."""
    return [d.value for d in at.dataframe if header in d.value.columns]


def table(at, header: str):
    return tables(at, header)[0]


def test_office_sees_every_section_and_its_exports(signed_in):
    at = ok(signed_in("office", PATH))
    assert at.title[0].value == "基础设施与公共服务"
    assert [m.label for m in at.metric] == ["2025年自然村通硬化路", "2025年村村通快递", "脱贫村驻村覆盖率", "特困集中供养率",
                                            "2025年稳定就业率"]
    assert all(re.fullmatch(r"\d+\.\d%", m.value) for m in at.metric)
    assert f"数据截至 {DEMO_AS_OF.year}年{DEMO_AS_OF.month}月{DEMO_AS_OF.day}日" in text_of(at)
    for section in SECTIONS:
        show(at, section)
        assert not at.error, (section, [e.value for e in at.error])
        assert set(EXPORTS[section]) <= {b.key for b in at.download_button}, section
        assert "口径说明" in text_of(at) and "此项不排名" in text_of(at), section


def test_matrix_of_dates_counties_and_sections(signed_in):
    """Every section at the latest date, a Sunday of 2025 and the earliest date, for the city and the account's
    county: no exception, no error; without a completed year of village conditions a note says so."""
    at = ok(signed_in("county", PATH))
    own = at.session_state["auth"]["account"].county
    assert at.selectbox(key="services_county").value == own  # a county account starts on its own county
    runs = 0
    for d in DATES:
        for county in (None, own):
            at.selectbox(key="services_as_of").set_value(d)
            ok(at.selectbox(key="services_county").set_value(county).run())
            for section in SECTIONS:
                show(at, section)
                assert not at.error, (d, county, section, [e.value for e in at.error])
                if d == DATES[-1] and section == "conditions":
                    assert "之前没有已结束年度的村情数据" in at.info[0].value
                runs += 1
    assert runs == len(DATES) * 2 * len(SECTIONS)


def test_percentages_and_dashes(signed_in):
    at = ok(signed_in("office", PATH))
    df = table(at, "村村通快递目标")
    assert list(df.columns[:3]) == ["县(市)区", "行政村", "报送村"] and len(df) == 11 and df.iloc[-1, 0] == "全市"
    assert set(df.iloc[:-1, 0]) == set(COUNTIES.values())
    assert all(re.fullmatch(r"\d+\.\d%|—", v) for v in df["自然村通硬化路"])
    at.selectbox(key="services_as_of").set_value(date(2021, 1, 3))
    show(at, "teams")
    assert set(table(at, "脱贫村覆盖率")["脱贫村覆盖率"]) == {"0.0%"}  # no team yet, 脱贫村 there are
    show(at, "employment")
    assert "没有已结束年度的脱贫劳动力就业记录" in at.info[0].value


def test_demo_problems_appear_on_the_page(signed_in):
    at = ok(signed_in("office", PATH))
    # roads not reached: the 2025 villages whose natural villages are not all on hardened roads
    short = table(at, "短板")
    assert short["短板"].str.contains("自然村未全部通硬化路").sum() > 0
    conditions = table(at, "村村通快递目标")
    assert (conditions["自然村通硬化路"].iloc[:-1] != "100.0%").all()
    assert conditions["村村通快递目标"].str.startswith("未实现").any()  # the 2022年底 target, still short in 2025
    # 集中供养 below the 50% floor in some counties, not in all
    show(at, "assistance")
    floor = table(at, "对照50%底线").set_index("县(市)区")["对照50%底线"].drop("全市")
    assert 1 <= (floor == "低于50%").sum() < len(floor), floor.to_dict()
    below = sb.assistance_table(as_of=DEMO_AS_OF)
    assert set(below.loc[below["below_floor"] == "低于50%", "name"]) == set(floor[floor == "低于50%"].index)
    # teams whose term ends within the next quarter, and 脱贫村 left without a team
    show(at, "teams")
    teams = table(at, "脱贫村覆盖率").set_index("县(市)区")
    assert int(teams.loc["全市", "三个月内期满"].replace(",", "")) > 0
    ending = table(at, "距期满天数")
    assert len(ending) > 0 and ending["第一书记"].str.contains(r"\*").all()  # names masked
    assert (ending["距期满天数"].astype(int).between(0, 91)).all()
    assert teams.loc["全市", "脱贫村覆盖率"] != "100.0%"


def test_leader_sees_aggregates_but_no_team_rows(signed_in):
    at = ok(signed_in("leader", PATH))
    show(at, "teams")
    assert "驻村工作队明细仅对领导小组办公室和县(市)区账号开放" in text_of(at)
    keys = {b.key for b in at.download_button}
    assert "svc_ending_export" not in keys and "svc_teams_export" in keys and "svc_units_export" in keys
    assert not tables(at, "第一书记")


def test_county_account_reads_only_its_own_team_rows(signed_in, demo_accounts):
    row = next(r for r in demo_accounts.values() if r["role"] == "county")
    own = row["county_code"]
    at = ok(signed_in(row["username"], PATH))
    show(at, "teams")
    lists = tables(at, "第一书记")
    assert len(lists) == 2
    counties = set(lists[0]["县(市)区"]) | set(lists[1]["县(市)区"])
    assert counties == {COUNTIES[own]}
    assert set(sb.team_rows(Scope("t", "county", own), as_of=DEMO_AS_OF, limit=None)["county"]) == {COUNTIES[own]}
    other = next(c for c in COUNTIES if c != own)
    ok(at.selectbox(key="services_county").set_value(other).run())
    show(at, "teams")
    assert "只能查看本县(市)区的驻村工作队明细" in text_of(at)
    assert not tables(at, "第一书记")
    assert table(at, "脱贫村覆盖率").iloc[-1, 0] == "合计"  # the other county's aggregates stay open
