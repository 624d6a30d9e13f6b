"""数据导入与质量 in AppTest: upload through the file uploader, the error list, preview masked, confirm, the batch
listed and rolled back from the page; a county account's own county only; a file that is not a workbook."""

from __future__ import annotations

import shutil

import pytest

from data_access import areas, audit
from tests.conftest import read_accounts, using
from tests.data_access import import_files as files
from tests.views.conftest import ok, sign_in

PAGE = "views/data.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def copy_dir(demo_dir, tmp_path_factory):
    """A copy of the demo folder: imports here must not move the numbers other modules check."""
    folder = tmp_path_factory.mktemp("data_page")
    shutil.copytree(demo_dir, folder, dirs_exist_ok=True)
    return folder


@pytest.fixture()
def data_dir(copy_dir):
    from ui import cache

    with using(DASHBOARD_DATA_DIR=str(copy_dir)):
        cache.clear()
        yield copy_dir
    cache.clear()


def _open(folder, who: str):
    row = read_accounts(folder)[who]
    return sign_in(row["username"], row["password"], PAGE), row


def _frame(at, column: str):
    """The one table on the page with that column (AppTest does not look tables up by key)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def _upload(at, kind_title: str, name: str, data: bytes):
    at.selectbox(key="imp_kind").select_index(
        [o for o in at.selectbox(key="imp_kind").options].index(kind_title)).run()
    at.file_uploader[0].set_value((name, data, XLSX))
    return ok(at.run())


def test_office_uploads_checks_imports_and_rolls_back(data_dir):
    at, who = _open(data_dir, "office")
    assert at.title[0].value == "数据导入与质量"
    options = at.selectbox(key="imp_kind").options
    assert len(options) == 24 and "重点任务进度" in options and options[0] == "农户信息"
    village = areas.regions("village", "231221")["code"].iloc[0]
    bad = files.workbook("household", [files.row("household", village_code=village + "9", size=0)])
    _upload(at, "农户信息", "坏文件.xlsx", bad)
    assert any("发现 2 处错误,未导入任何数据" in e.value for e in at.error)
    problems = _frame(at, "单元格")
    assert list(problems["单元格"]) == ["A2", "E2"]
    good = files.workbook("household", [files.row("household", village_code=village),
                                        files.row("household", village_code=village, head_id_number=files.HEAD2,
                                                  head_name="欧阳小明")])
    at.file_uploader[0].set_value(("农户.xlsx", good, XLSX))
    ok(at.run())
    assert any("检查通过:共 2 行" in s.value for s in at.success)
    preview = _frame(at, "户主姓名")
    assert list(preview["户主姓名"]) == ["孙*", "欧**明"]
    assert all("*" in v for v in preview["户主身份证号"])
    ok(at.button(key="imp_go").click().run())
    done = [s.value for s in at.success if "导入完成" in s.value]
    assert done and "新增 2 行" in done[0]
    ok(at.segmented_control(key="data_section").set_value("batches").run())
    batches = _frame(at, "filename")
    assert (batches.iloc[0]["filename"], batches.iloc[0]["status"], batches.iloc[0]["inserted"]) == ("农户.xlsx", "已导入", 2)
    batch = int(batches.iloc[0]["id"])
    at.selectbox(key="imp_undo_pick").select(batch)
    at.checkbox(key="imp_undo_sure").check()
    ok(at.run())
    ok(at.button(key="imp_undo").click().run())
    assert any(f"批次 {batch} 已撤销" in s.value for s in at.success)
    assert _frame(at, "filename").iloc[0]["status"] == "已撤销"
    log = audit.entries(username=who["username"], action="import")
    assert log["detail"].str.contains("农户.xlsx").any() and log["detail"].str.contains(f"撤销导入批次 {batch}").any()


def test_a_county_account_imports_its_own_county_only(data_dir):
    at, who = _open(data_dir, "county")
    assert "重点任务进度" not in at.selectbox(key="imp_kind").options
    other = "231202" if who["county_code"] != "231202" else "231221"
    village = areas.regions("village", other)["code"].iloc[0]
    _upload(at, "农户信息", "外县.xlsx", files.workbook("household", [files.row("household", village_code=village)]))
    problems = _frame(at, "单元格")
    assert list(problems["原因"]) == ["不属于本县(市)区,县级账号只能导入本县数据"]
    assert "imp_go" not in [b.key for b in at.button]


def test_a_file_that_is_not_a_workbook_gets_a_chinese_message(data_dir):
    at, _ = _open(data_dir, "office")
    _upload(at, "农户信息", "**名单**[点](javascript:x).xlsx", "村代码,户主姓名\n231221101202,张三\n".encode("gbk"))
    assert any(r"文本\(CSV\)文件" in e.value and r"\*\*名单\*\*\[点\]\(javascript\:x\)\.xlsx" in e.value for e in at.error)
    assert not at.exception
