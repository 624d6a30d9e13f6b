"""Spreadsheet files for every export: Chinese headers, and cells that a spreadsheet would run neutralised."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what Excel, WPS and LibreOffice may read as a formula


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe; others stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell(value):
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return value.item()
    return neutralise(value)


def xlsx(df: pd.DataFrame, headers: dict[str, str], *, sheet: str = "名单", note: str | None = None) -> bytes:
    """An .xlsx of the columns named in headers (in that order, with those Chinese headers).

    Every text cell is written as text (ID numbers and codes stay digits, never numbers); text that would
    start a formula is neutralised. A note (what the list is, as of when, masked or not) goes above it.
    """
    return workbook([(sheet, df, headers, note)])


def workbook(sheets: list[tuple[str, pd.DataFrame, dict[str, str], str | None]]) -> bytes:
    """An .xlsx of several sheets, each (name, frame, headers, note) written as xlsx() writes one."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, df, headers, note in sheets:
        _sheet(wb.create_sheet(name[:31]), df, headers, note)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(ws, df: pd.DataFrame, headers: dict[str, str], note: str | None) -> None:
    """Fill one sheet: the note, the bold header row, the cells as text or dates, widths, A4 print set-up."""
    if note:
        ws.append([neutralise(note)])
        ws.append([])
    ws.append(list(headers.values()))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    header_row = ws.max_row
    cols = list(headers)
    for row in df[cols].itertuples(index=False):
        ws.append([_cell(v) for v in row])
    for i, col in enumerate(cols, start=1):
        letter = get_column_letter(i)
        for cell in ws[letter][header_row:]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it looks like a number or a formula
                cell.number_format = "@"
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
        width = max([len(str(headers[col]))] + [len(str(v)) for v in df[col].head(200)]) if len(df) else len(headers[col])
        ws.column_dimensions[letter].width = min(max(width * 1.6 + 2, 8), 60)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    # printed on A4 landscape, as wide as the page, the header row repeated on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_margins.left = ws.page_margins.right = 0.4

