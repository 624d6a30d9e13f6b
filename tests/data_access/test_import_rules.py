"""Every validation rule of the import, each with a small bad file made here (on SQLite: the rules are the same
on every backend; test_imports.py writes on all three), the error report's cells, and the templates."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from data_access import db, imports, summary
from data_access.imports import KINDS, templates
from data_access.imports.fields import Field, parse
from tests.conftest import using
from tests.data_access import fixture as fx
from tests.data_access import import_files as files


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    """The fixture on SQLite only."""
    with fx.databases("sqlite", tmp_path_factory.mktemp("rules")) as (urls, engines):
        fx.insert_all(engines)
        with using(MONITORING_DB_URL=urls["monitoring"], INDUSTRY_DB_URL=urls["industry"], APP_DB_URL=urls["app"]):
            summary.refresh_summaries(db.engine("monitoring"), fx.D)
            yield "sqlite"


@pytest.fixture(scope="module", autouse=True)
def referenced(backend):
    """The household, member and specialty village the other tables' valid rows refer to."""
    done = []
    for kind in ("household", "member", "specialty_village"):
        data = files.workbook(kind, [files.row(kind)])
        checked = imports.check(KINDS[kind], imports.read(data, "r.xlsx", KINDS[kind]))
        done.append(imports.run(checked, data=data, filename="r.xlsx", username="office"))
    yield
    for out in reversed(done):
        imports.rollback(out.batch_id, username="office")


def problems(kind: str, rows: list[list], headers: list[str] | None = None, county: str | None = None,
             data: bytes | None = None) -> list[tuple[int, str, str]]:
    data = data or files.workbook(kind, rows, headers)
    checked = imports.check(KINDS[kind], imports.read(data, "f.xlsx", KINDS[kind]), county=county)
    return [(p.row, p.column, p.reason) for p in checked.problems]


def one(kind: str, **values) -> list[tuple[int, str, str]]:
    return problems(kind, [files.row(kind, **values)])


def test_the_valid_rows_pass(backend):
    for kind in ("household", "village_condition", "county_monthly", "specialty_village"):
        assert one(kind) == [], kind


@pytest.mark.parametrize(("kind", "values", "column", "reason"), [
    ("household", dict(size="三"), "家庭人口数", "应为数字"),
    ("household", dict(size=2.5), "家庭人口数", "应为整数"),
    ("household", dict(size=0), "家庭人口数", "超出合理范围(1~30)"),
    ("household", dict(is_tuopin="也许"), "是否脱贫户", "应填“是”或“否”"),
    ("household", dict(head_name=None), "户主姓名", "必填项为空"),
    ("household", dict(head_name="名" * 31), "户主姓名", "超过30个字"),
    ("household", dict(village_code="2312211012020"), "村代码", "应为12位数字"),
    ("household", dict(village_code="231299101201"), "村代码", "不是本市的村"),
    ("household", dict(village_code="2.31221E+11"), "村代码", "科学计数法"),
    ("household", dict(phone="1390000"), "联系电话", "应为11位数字"),
    ("household", dict(head_id_number=files.HEAD[:-1] + ("1" if files.HEAD[-1] != "1" else "2")), "户主身份证号",
     "校验位不对"),
    ("household", dict(head_id_number=files.HEAD[:17]), "户主身份证号", "应为18位,实为17位"),
    ("household", dict(head_id_number=2.31221197503047e17), "户主身份证号", "存成了数字"),
    ("household", dict(head_id_number="2.31221E+17"), "户主身份证号", "科学计数法"),
    ("household", dict(head_id_number=files.id_number("19750230", 7)), "户主身份证号", "格式不对"),  # 2月30日
    ("member", dict(relation="老伴"), "与户主关系", "不在可选值中"),
    ("member", dict(birth_date="昨天"), "出生日期", "无法识别的日期"),
    ("member", dict(birth_date="2000-02-30"), "出生日期", "日期不存在"),
    ("member", dict(birth_date="2000-05-07"), "出生日期", "与身份证号中的出生日期(2000-05-06)不符"),
    ("member", dict(sex="男"), "性别", "与身份证号(第17位表示女)不符"),
    ("member", dict(head_id=files.id_number("19500101", 999)), "户主身份证号", "请先导入农户信息"),
    ("member", dict(health="残疾"), "残疾等级", "健康状况为“残疾”时必填"),
    ("member", dict(dropout_on="2015-09-01", returned_on="2015-03-01"), "劝返复学日期", "劝返复学日期早于失学辍学日期"),
    ("member", dict(work_months=13), "务工月数", "超出合理范围(0~12)"),
    ("case", dict(decided_on="2026-03-01"), "认定日期", "认定日期早于发现日期"),
    ("case", dict(status="风险已消除", eliminated_on="2026-03-15", elimination_kind="稳定消除"), "风险消除日期",
     "风险消除日期早于纳入日期"),
    ("case", dict(status="风险已消除"), "风险消除日期", "监测状态为“风险已消除”时必填"),
    ("case", dict(included_on=None), "纳入日期", "监测状态为“监测中”时必填"),
    ("case", dict(risks="因病、因穷"), "致贫返贫风险", "风险类型应为1至5项"),
    ("case", dict(risks="因病、因学、因残、因灾、其他、缺劳动力", disaster_subtype="洪涝"), "致贫返贫风险", "1至5项"),
    ("case", dict(risks="因灾"), "因灾类型", "致贫返贫风险为“因灾”时必填"),
    ("village_condition", dict(sanitary_toilet_share="150%"), "卫生厕所普及率", "比例应在0到100%之间"),
    ("resident_team", dict(ended_on="2025-12-31"), "期满日期", "期满日期早于派驻日期"),
    ("county_monthly", dict(county_code="231299"), "县代码", "不是本市的县(市)区代码"),
    ("county_monthly", dict(month="2020年13月"), "月份", "无法识别的日期"),
    ("specialty_metric", dict(industry="水稻"), "主导产业", "请先导入专业村"),
    ("task_progress", dict(task_title="没有这个任务"), "任务名称", "没有此年度和名称的重点任务"),
])
def test_each_rule_names_the_cell_and_why(backend, kind, values, column, reason):
    found = [p for p in one(kind, **values) if p[1] == column]
    assert found, one(kind, **values)
    assert reason in found[0][2]
    assert found[0][0] == 2  # the data row under the header


def test_dates_in_every_usual_spelling_and_excel_serials():
    f = Field("d", "日期", "date")
    got = parse(f, [45052, "2023-5-6", "2023.5.6", "2023年5月6日", "2023/05/06", "20230506", " 2023 - 5 - 6 "]).values
    assert got == [date(2023, 5, 6)] * 7


def test_full_width_digits_and_stray_spaces_are_read(backend):
    wide = "".join(chr(ord(c) + 0xFEE0) for c in fx.A2)  # ２３１２２１...
    assert one("household", village_code=f" {wide}\u3000", head_id_number=" " + files.HEAD.replace("19", "19 ", 1),
               size="３", phone="139 0000 1111") == []


def test_duplicates_within_the_file_and_against_the_database(backend):
    row = files.row("household")
    found = problems("household", [row, files.row("household", head_name="别人"), row])
    assert [(r, c) for r, c, _ in found] == [(2, "户主身份证号"), (3, "户主身份证号"), (4, "户主身份证号")]
    assert "与第2行重复" in found[1][2]
    # a person already registered in another household of the database
    out = imports.run(imports.check(KINDS["household"], imports.read(files.workbook("household", [row]), "h.xlsx",
                                                                     KINDS["household"])),
                      data=b"h", filename="h.xlsx", username="office")
    try:
        assert one("member") == []  # a new person in the new household
        with db.engine("monitoring").begin() as conn:
            from sqlalchemy import insert

            from data_access.models import monitoring as mm
            conn.execute(insert(mm.Member).values(id=900, household_id=1, name="甲", id_number=files.PERSON,
                                                  relation="子女", birth_date=date(2000, 5, 6), sex="女", health="健康",
                                                  pension_insured=False, labour_capacity="普通", work_months=0))
        found = one("member")
        assert [(r, c) for r, c, _ in found] == [(2, "身份证号")] and "另一户的成员" in found[0][2], found
    finally:
        with db.engine("monitoring").begin() as conn:
            from sqlalchemy import delete

            from data_access.models import monitoring as mm
            conn.execute(delete(mm.Member).where(mm.Member.id == 900))
        imports.rollback(out.batch_id, username="office")


def test_a_second_open_case_of_a_household_is_refused(backend):
    found = problems("case", [files.row("case", head_id="231221197005010011")])  # fixture household 1: invalid ID
    assert found and found[0][1] == "户主身份证号"  # the fixture's made-up IDs fail the check digit
    out = imports.run(imports.check(KINDS["household"], imports.read(
        files.workbook("household", [files.row("household")]), "h.xlsx", KINDS["household"])),
        data=b"h", filename="h.xlsx", username="office")
    try:
        first = imports.read(files.workbook("case", [files.row("case")]), "c.xlsx", KINDS["case"])
        case = imports.run(imports.check(KINDS["case"], first), data=b"c", filename="c.xlsx", username="office")
        again = one("case", discovered_on="2026-06-01", decided_on="2026-06-05", included_on="2026-06-10")
        assert [(r, c) for r, c, _ in again] == [(2, "发现日期")] and "仍在监测中" in again[0][2]
        imports.rollback(case.batch_id, username="office")
    finally:
        imports.rollback(out.batch_id, username="office")


def test_alternative_headers_a_trailing_total_row_and_merged_group_headers(backend):
    headers = [f.header for f in KINDS["household"].fields]
    headers[0], headers[2] = "行政村代码", "户主证件号码"
    rows = [files.row("household"), ["合计", None, None, None, 3, None, None, None, 2]]
    data = files.workbook("household", rows, headers)
    sheet = imports.read(data, "f.xlsx", KINDS["household"])
    assert (len(sheet.frame), sheet.dropped_total) == (1, 3)
    assert problems("household", [], data=data) == []
    # a title row, a group header merged across columns, and 村代码 merged down over two header rows
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年农户信息汇总表"])
    ws.append(["村代码", "户主信息", None, None, "家庭情况"])
    ws.append([None] + [f.header for f in KINDS["household"].fields][1:])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:D2")
    ws.append(files.row("household"))
    out = io.BytesIO()
    wb.save(out)
    sheet = imports.read(out.getvalue(), "merged.xlsx", KINDS["household"])
    assert (sheet.header_row, list(sheet.frame.index)) == (3, [4])
    assert problems("household", [], data=out.getvalue()) == []


def test_a_missing_required_column_is_named(backend):
    headers = [f.header for f in KINDS["household"].fields if f.name != "size"]
    row = [v for f, v in zip(KINDS["household"].fields, files.row("household")) if f.name != "size"]
    assert problems("household", [row], headers) == [(1, "家庭人口数", "缺少必填列(表头应为“家庭人口数”)")]


def test_formula_cells_are_read_as_their_values_never_run(backend):
    wb = Workbook()
    ws = wb.active
    ws.append([f.header for f in KINDS["household"].fields])
    ws.append(files.row("household", head_name='=HYPERLINK("http://x","点")', size="=1+2"))
    out = io.BytesIO()
    wb.save(out)
    found = problems("household", [], data=out.getvalue())  # openpyxl saved no results: the cells read as empty
    assert {(c, r) for _, c, r in found} == {("户主姓名", "必填项为空"), ("家庭人口数", "必填项为空")}


@pytest.mark.parametrize(("data", "name", "says"), [
    (b"", "empty.xlsx", "是空的"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xls", "旧版 Excel(.xls)"),
    ("村代码,户主姓名\n231221101202,张三\n".encode("gbk"), "list.xlsx", "文本(CSV)文件"),
    ("村代码,户主姓名\n231221101202,张三\n".encode(), "list.csv", "文本(CSV)文件"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "photo.xlsx", "可能只是改了扩展名"),
    (b"PK\x03\x04broken", "cut.xlsx", "已损坏"),
])
def test_a_file_that_is_not_a_workbook_gets_a_clear_message(backend, data, name, says):
    with pytest.raises(imports.FileProblem, match=re.escape(says)) as err:
        imports.read(data, name, KINDS["household"])
    assert name in str(err.value)


def test_a_word_document_and_a_workbook_of_another_table(backend):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(imports.FileProblem, match="Word 文档"):
        imports.read(out.getvalue(), "a.docx.xlsx", KINDS["household"])
    with pytest.raises(imports.FileProblem, match="找不到“农户信息”的表头"):
        imports.read(files.workbook("project", [files.row("project")]), "p.xlsx", KINDS["household"])


def test_nothing_is_written_when_any_row_is_bad(backend):
    data = files.workbook("household", [files.row("household"), files.row("household", head_id_number="1", size=0)])
    checked = imports.check(KINDS["household"], imports.read(data, "bad.xlsx", KINDS["household"]))
    assert not checked.ok
    with pytest.raises(imports.ImportFailed, match="未导入任何数据"):
        imports.run(checked, data=data, filename="bad.xlsx", username="office")


def test_the_error_report_marks_each_bad_cell(backend):
    data = files.workbook("household", [files.row("household", size=0), files.row("household", head_id_number="=1+1",
                                                                                  phone="1")])
    checked = imports.check(KINDS["household"], imports.read(data, "bad.xlsx", KINDS["household"]))
    report = load_workbook(io.BytesIO(templates.error_report(data, checked.sheet.name, checked.problem_frame())))
    listing = [list(r) for r in report["错误清单"].iter_rows(values_only=True)]
    assert listing[0] == ["工作表", "行", "列", "单元格", "值", "原因"]
    cells = {r[3]: r for r in listing[1:]}
    assert set(cells) == {"E2", "C3", "D3"}
    data_sheet = report[checked.sheet.name]
    assert data_sheet["E2"].fill.fgColor.rgb.endswith("FF9999") and "超出合理范围" in data_sheet["E2"].comment.text
    assert data_sheet["A2"].fill.fgColor.rgb in (None, "00000000")
    assert not data_sheet["A2"].comment


def test_every_template_has_headers_instructions_choices_and_text_columns():
    for kind in KINDS.values():
        wb = load_workbook(io.BytesIO(templates.template(kind)))
        assert wb.sheetnames == [kind.title, "选项", "填表说明"], kind.key
        ws = wb[kind.title]
        assert [c.value for c in ws[1]] == [f.header for f in kind.fields]
        enums = [f for f in kind.fields if f.kind in ("enum", "bool")]
        assert len(ws.data_validations.dataValidation) == len(enums), kind.key
        for j, f in enumerate(kind.fields, start=1):
            if f.kind in ("id", "code", "county", "phone"):
                assert ws.column_dimensions[ws.cell(row=1, column=j).column_letter].number_format == "@"
        notes = [r[0] for r in wb["填表说明"].iter_rows(min_row=1, values_only=True)]
        assert all(f.header in notes for f in kind.fields)


GARBAGE = [None, "", " ", "合计", "#DIV/0!", "#N/A", True, False, 0, -1, 1e308, float("nan"), 3.5, 10 ** 30,
           "２０２３年１３月４０日", "=SUM(A1:A9)", "<script>alert(1)</script>", "**粗体**[链接](javascript:x)", "\u202e反转",
           "1" * 40, "2023-05-06 12:30:00", date(1900, 1, 1), date(2999, 12, 31), "是否", "X", "0.5%", "-5%", "1e5"]


def test_no_cell_however_broken_raises(backend):
    """Every kind with every column filled with garbage, a row per garbage value: only problems, never an exception."""
    import random

    rng = random.Random(7)
    for kind in KINDS.values():
        rows = [[rng.choice(GARBAGE) for _ in kind.fields] for _ in range(len(GARBAGE))]
        rows += [[g] * len(kind.fields) for g in GARBAGE]
        data = files.workbook(kind.key, rows)
        checked = imports.check(kind, imports.read(data, "garbage.xlsx", kind))
        assert not checked.ok and checked.problems, kind.key
        assert all(p.reason for p in checked.problems)
