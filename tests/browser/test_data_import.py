"""数据导入与质量 in a real browser: files go through the page's own file input; a bad workbook is refused cell by
cell, a CSV renamed to .xlsx is named as such, a good one is checked, imported on confirmation and listed as a
batch; nothing is loaded from outside."""

from __future__ import annotations

import io
import shutil
import sqlite3

import pytest
from openpyxl import Workbook
from stdnum.cn import ric

from data_access.imports import KINDS
from tests.browser.conftest import SCREENSHOTS, _page, _serve, settle, sign_in

HEADERS = [f.header for f in KINDS["household"].fields]
UPLOAD = 'input[type="file"]'


@pytest.fixture(scope="module")
def data_server(demo_dir, tmp_path_factory):
    """One server for the file, on a copy of the small demo folder (imports must not move other tests' numbers)."""
    folder = tmp_path_factory.mktemp("data-import")
    shutil.copytree(demo_dir, folder, dirs_exist_ok=True)
    yield from _serve(folder, scale="0.2")


def _ids(folder, n: int) -> list[str]:
    """n valid ID numbers no household head has yet (digits only: one is also written as a number)."""
    with sqlite3.connect(folder / "monitoring.db") as con:
        taken = {r[0] for r in con.execute("SELECT head_id_number FROM household")}
    out, seq = [], 0
    while len(out) < n:
        base = "110101" + "19820304" + f"{seq:03d}"
        number = base + ric.calc_check_digit(base + "0")
        if number not in taken and number[-1] != "X":
            out.append(number)
        seq += 1
    return out


def _villages(folder, n: int) -> list[str]:
    with sqlite3.connect(folder / "monitoring.db") as con:
        return [r[0] for r in con.execute("SELECT code FROM region WHERE level = 'village' ORDER BY code LIMIT ?", (n,))]


def _book(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = KINDS["household"].title
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _section(page, name: str) -> None:
    """The page's sections: a segmented control (or tabs)."""
    page.get_by_role("tab", name=name).or_(
        page.locator('[data-testid="stButtonGroup"]').get_by_text(name, exact=True)).first.click()


def _upload(page, name: str, data: bytes, mime: str) -> None:
    page.locator(UPLOAD).set_input_files({"name": name, "mimeType": mime, "buffer": data})


def test_office_imports_households_through_the_page(browser, data_server):
    page = _page(browser, *data_server)
    folder = page.data
    villages, ids = _villages(folder, 3), _ids(folder, 4)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sign_in(page, "office", "/data")
    page.get_by_role("heading", name="数据导入与质量").first.wait_for(timeout=60_000)
    page.get_by_role("combobox", name="导入类型").click()
    page.get_by_role("option", name="农户信息", exact=True).click()
    page.locator(UPLOAD).wait_for(state="attached", timeout=30_000)

    # a village code of 13 digits and an ID number stored as a number: refused cell by cell, nothing written
    bad = _book([[villages[0] + "1", "张三", ids[0], None, 3, "是", "否", "否", 2],
                 [villages[1], "李四", int(ids[1]), "13900001111", 2, "否", "否", "否", 1]])
    _upload(page, "农户-有错.xlsx", bad, xlsx)
    page.get_by_text("发现 2 处错误,未导入任何数据").wait_for(timeout=60_000)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=30_000)
    page.get_by_role("button", name="下载错误报告(.xlsx)").wait_for(timeout=30_000)
    page.set_viewport_size({"width": 1600, "height": 1300})
    settle(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "data.png"))
    page.set_viewport_size({"width": 1600, "height": 1000})

    # a CSV renamed to .xlsx: a Chinese message saying what it is
    _upload(page, "农户.xlsx", "村代码,户主姓名\n231221100201,张三\n".encode(), xlsx)
    page.get_by_text("文本(CSV)文件,不是 Excel 工作簿").wait_for(timeout=60_000)

    # a good file: checked, previewed, imported on confirmation, then listed as a batch
    good = _book([[villages[i], name, ids[i + 1], "13900001111", 3, "是", "否", "否", 2]
                  for i, name in enumerate(("王五", "赵六", "孙七"))])
    _upload(page, "农户-正确.xlsx", good, xlsx)
    page.get_by_text("检查通过:共 3 行,可以导入").wait_for(timeout=60_000)
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("导入完成").wait_for(timeout=120_000)
    assert page.get_by_text("新增 3 行").count() >= 1
    _section(page, "导入批次")
    page.get_by_text("撤销一个批次").wait_for(timeout=60_000)
    offered = page.locator('[data-testid="stSelectbox"] input').evaluate_all("els => els.map(e => e.value)")
    assert any("农户信息 · 农户-正确.xlsx" in v for v in offered), f"the batch is not offered for rollback: {offered}"
    with sqlite3.connect(folder / "app.db") as con:
        assert con.execute("SELECT rows, inserted, status FROM import_batch WHERE filename = ?",
                           ("农户-正确.xlsx",)).fetchall() == [(3, 3, "已导入")]
        assert not con.execute("SELECT 1 FROM import_batch WHERE filename LIKE '%有错%'").fetchall()
    assert not page.locator('[data-testid="stException"]').count()
    assert page.outside == [], f"requests left the machine: {page.outside}"
    assert not page.csp, f"the content policy blocked something the app needs: {page.csp}"
    page.context.close()
