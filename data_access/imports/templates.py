"""The Excel template of each importable table, and the error report that marks a file's bad cells."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from data_access.exports import neutralise
from data_access.imports.fields import FORMATS
from data_access.imports.kinds import RISKS, Kind

ROWS = 5000  # rows prepared with drop-downs and text format
HEAD = PatternFill("solid", fgColor="DDEBF7")
REQUIRED = PatternFill("solid", fgColor="FCE4D6")
BAD = PatternFill("solid", fgColor="FF9999")


def template(kind: Kind) -> bytes:
    """Sheet 1: the headers (required ones shaded), drop-downs for choices, text format for codes and ID numbers;
    sheet 填表说明: every column's format, whether required, its choices and notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = kind.title
    lists = wb.create_sheet("选项")
    for j, f in enumerate(kind.fields, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(row=1, column=j, value=f.header)
        cell.font, cell.fill = Font(bold=True), REQUIRED if f.required else HEAD
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[letter].width = max(12, min(30, len(f.header) * 2 + 4))
        if f.is_text or f.kind in ("date", "month"):
            ws.column_dimensions[letter].number_format = "@"  # Excel keeps 18 digits and leading zeros as typed
        choices = f.choices or (("是", "否") if f.kind == "bool" else ())
        if choices:
            for i, choice in enumerate(choices, start=1):
                lists.cell(row=i, column=j, value=choice)
            ref = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${len(choices)}"
            dv = DataValidation(type="list", formula1=ref, allow_blank=not f.required, showErrorMessage=True,
                                errorTitle="不在可选值中", error="请从下拉列表中选择")
            dv.add(f"{letter}2:{letter}{ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    lists.sheet_state = "hidden"
    _instructions(wb.create_sheet("填表说明"), kind)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _instructions(ws, kind: Kind) -> None:
    ws.append([f"{kind.title} 导入模板 填表说明"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["1. 在第一个工作表中从第2行起逐行填写,不要改动表头;橙色表头为必填列,蓝色为选填列。"])
    ws.append(["2. 身份证号、区划代码、电话号码请保持文本格式(模板已设置),不要让 Excel 变成科学计数法。"])
    ws.append(["3. 日期可写 2023-05-06、2023/5/6、2023.5.6 或 2023年5月6日;是否类填“是”或“否”。"])
    ws.append(["4. 整个文件全部通过检查才会导入;有任何错误都不会写入,看板会列出每个错误单元格。重复导入同一文件不会产生重复数据。"])
    if kind.note:
        ws.append([f"5. {kind.note}"])
    ws.append([])
    ws.append(["列名", "是否必填", "格式", "可选值", "说明"])
    for c in ws[ws.max_row]:
        c.font, c.fill = Font(bold=True), HEAD
    for f in kind.fields:
        choices = "、".join(f.choices) if f.choices else ("是、否" if f.kind == "bool" else "")
        if f.name == "risks":
            choices = "、".join(RISKS)
        limits = f"{f.low:g}~{f.high:g}" if f.low is not None and f.kind in ("int", "number", "year") else ""
        note = ";".join(x for x in (f.note, f"范围 {limits}" if limits else "",
                                   f"也可写作:{'、'.join(f.aliases)}" if f.aliases else "") if x)
        ws.append([f.header, "必填" if f.required else "选填", FORMATS[f.kind], choices, note])
    for letter, width in zip("ABCDE", (22, 10, 40, 50, 60)):
        ws.column_dimensions[letter].width = width


def error_report(data: bytes, sheet_name: str, problems: pd.DataFrame) -> bytes:
    """A sheet 错误清单 listing every bad cell, then the uploaded data sheet with each bad cell filled red and its
    reason as a comment; values are copied (never formulas) and neutralised. Written streaming (bounded memory)."""
    marks = {(int(p.行), p.单元格.rstrip("0123456789")): str(p.原因) for p in problems.itertuples(index=False) if p.单元格}
    wb = Workbook(write_only=True)
    listing = wb.create_sheet("错误清单")
    for letter, width in zip("ABCDEF", (16, 8, 18, 10, 24, 70)):
        listing.column_dimensions[letter].width = width
    listing.append([_styled(listing, h, bold=True) for h in problems.columns])
    for values in problems.itertuples(index=False):
        listing.append([neutralise(v) for v in values])
    ws = wb.create_sheet(sheet_name[:31] or "数据")
    src = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for n, row in enumerate(src[sheet_name].iter_rows(values_only=True), start=1):
            cells = []
            for j, v in enumerate(row, start=1):
                reason = marks.get((n, get_column_letter(j)))
                if reason is None:
                    cells.append(neutralise(v))
                else:
                    cell = _styled(ws, neutralise(v))
                    cell.fill, cell.comment = BAD, Comment(reason, "看板")
                    cells.append(cell)
            ws.append(cells)
    finally:
        src.close()
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _styled(ws, value, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if bold:
        cell.font, cell.fill = Font(bold=True), HEAD
    return cell
