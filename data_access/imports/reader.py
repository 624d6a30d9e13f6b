"""Reading an uploaded workbook: what kind of file it really is, which sheet and row hold the headers, and the
cells below them as values (formulas read as their saved results, never evaluated)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from data_access.imports.fields import clean, header_key
from data_access.imports.kinds import Kind

MAX_BYTES = 50 * 1024 * 1024
HEADER_SCAN = 12  # rows searched for the header row (titles and merged group headers sit above it)
TOTAL_WORDS = ("合计", "总计", "小计", "总数")


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message says why in Chinese."""


@dataclass
class Sheet:
    """The cells under the headers: one column per field found, rows as the spreadsheet numbers them."""

    name: str
    frame: pd.DataFrame  # columns: field names; index: spreadsheet row numbers
    letters: dict[str, str]  # field name -> spreadsheet column letter
    headers: dict[str, str]  # field name -> the header as written in the file
    header_row: int
    dropped_total: int | None = None  # the row number of a trailing 合计 row that was left out
    extra: tuple[str, ...] = ()  # headers of columns the template does not have (ignored)


def sniff(data: bytes, filename: str) -> None:
    """Refuse what is not an .xlsx workbook, saying what it looks like instead."""
    if not data:
        raise FileProblem(f"文件“{filename}”是空的,请选择填好的模板文件。")
    if len(data) > MAX_BYTES:
        raise FileProblem(f"文件“{filename}”超过 {MAX_BYTES // 1024 // 1024} MB,请按县或按年度分成几个文件上传。")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileProblem(f"文件“{filename}”是旧版 Excel(.xls)或 WPS 格式,请在 Excel/WPS 中“另存为” .xlsx 后再上传。")
    if data[:4] != b"PK\x03\x04":
        head = data[:2048]
        if b"<html" in head.lower() or b"<?xml" in head:
            raise FileProblem(f"文件“{filename}”是网页或 XML 文件,不是 Excel 工作簿;请用下载的模板(.xlsx)填写。")
        if _decodes(head, "utf-8") or _decodes(head, "gbk"):
            raise FileProblem(f"文件“{filename}”是文本(CSV)文件,不是 Excel 工作簿;请把数据粘贴到下载的模板(.xlsx)中再上传。")
        raise FileProblem(f"文件“{filename}”不是 Excel 工作簿(.xlsx),可能只是改了扩展名;请用下载的模板填写。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        raise FileProblem(f"文件“{filename}”已损坏或未完整上传,无法打开。") from None
    if "xl/workbook.xml" not in names:
        what = "Word 文档" if "word/document.xml" in names else "压缩包或其他文件"
        raise FileProblem(f"文件“{filename}”是{what},不是 Excel 工作簿(.xlsx);请用下载的模板填写。")


def _decodes(head: bytes, encoding: str) -> bool:
    for cut in range(4):  # the sample may end inside a multi-byte character
        try:
            head[:len(head) - cut].decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def read(data: bytes, filename: str, kind: Kind) -> Sheet:
    """The sheet that best matches the kind's headers, as raw cell values under each field's column."""
    sniff(data, filename)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken file; all mean the same to a user
        raise FileProblem(f"文件“{filename}”无法作为 Excel 工作簿打开(文件损坏或加了密码)。") from None
    try:
        best = None
        for ws in wb.worksheets:
            if ws.title in ("填表说明", "选项"):
                continue
            top = [list(r) for r in ws.iter_rows(min_row=1, max_row=HEADER_SCAN, values_only=True)]
            found = _header(top, kind)
            if found and (best is None or len(found[1]) > len(best[2])):
                best = (ws, found[0], found[1], found[2])
        if best is None:
            raise FileProblem(f"文件“{filename}”中找不到“{kind.title}”的表头(如“{kind.fields[0].header}”),"
                              f"请确认选择的导入类型,并使用对应的模板。")
        ws, row, cols, extra = best
        return _body(ws, row, cols, extra, kind)
    finally:
        wb.close()


def _header(top: list[list], kind: Kind) -> tuple[int, dict[str, int], tuple[str, ...]] | None:
    """The header row (1-based) and which column holds each field: the row matching most known headers, where a
    blank cell takes the text of the cell above (a header merged down over two rows)."""
    names = {}
    for f in kind.fields:
        for spelling in (f.header, *f.aliases):
            names.setdefault(header_key(spelling), f.name)
    best = None
    for i, row in enumerate(top):
        above = top[i - 1] if i else []
        cells = [c if clean(c) is not None else (above[j] if j < len(above) else None) for j, c in enumerate(row)]
        cols, extra = {}, []
        for j, c in enumerate(cells):
            name = names.get(header_key(c)) if clean(c) else None
            if name and name not in cols:
                cols[name] = j
            elif clean(c) and clean(row[j] if j < len(row) else None):
                extra.append(clean(c))
        if len(cols) >= 2 and (best is None or len(cols) > len(best[1])):
            best = (i + 1, cols, tuple(extra))
    return best


def _body(ws, header_row: int, cols: dict[str, int], extra: tuple[str, ...], kind: Kind) -> Sheet:
    rows, numbers = [], []
    width = max(cols.values()) + 1
    for n, r in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1):
        r = list(r[:width]) + [None] * (width - len(r))
        if all(clean(c) is None for c in r):
            continue
        rows.append([r[j] for j in cols.values()])
        numbers.append(n)
    dropped = None
    if rows:  # a 合计 row at the end: its first filled cell names it as a total
        first = next((clean(c) for c in rows[-1] if clean(c) is not None), "")
        if any(first.replace(" ", "").startswith(w) for w in TOTAL_WORDS):
            dropped = numbers.pop()
            rows.pop()
    frame = pd.DataFrame(rows, columns=list(cols), index=pd.Index(numbers, name="row"), dtype=object)
    headers = {}
    header_cells = next(ws.iter_rows(min_row=header_row, max_row=header_row, values_only=True), ())
    for name, j in cols.items():
        headers[name] = clean(header_cells[j] if j < len(header_cells) else None) or kind.field(name).header
    return Sheet(ws.title, frame, {k: get_column_letter(j + 1) for k, j in cols.items()}, headers, header_row,
                 dropped, extra)
