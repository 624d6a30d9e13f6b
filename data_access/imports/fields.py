"""Columns of an import file: what each holds, and how a cell's text becomes a value or a reason in Chinese."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

# kind -> what the 填表说明 says about its format
FORMATS = {
    "text": "文本", "code": "12位村级统计用区划代码(文本格式)", "county": "6位县级行政区划代码(文本格式)",
    "id": "18位身份证号(文本格式)", "phone": "11位手机号(文本格式)", "int": "整数", "number": "数字",
    "share": "比例:0.85 或 85%", "date": "日期:2023-05-06、2023/5/6、2023.5.6 或 2023年5月6日",
    "month": "月份:2023-05 或 2023年5月", "year": "年份:如 2023", "bool": "是 / 否", "enum": "从下拉列表中选择",
}
TRUE = {"是", "有", "y", "yes", "true", "1", "√", "已", "通"}
FALSE = {"否", "无", "n", "no", "false", "0", "×", "未", "不通"}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:0{2}(?::0{2})?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:[-/.]0?1日?)?$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Field:
    """One column of an import file: its template header, other spellings, kind and limits."""

    name: str  # key in the parsed frame (usually the table's column)
    header: str  # the template's Chinese header
    kind: str = "text"  # one of FORMATS
    required: bool = True
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    length: int | None = None  # longest text the table holds
    note: str = ""

    @property
    def is_text(self) -> bool:
        return self.kind in ("text", "code", "county", "id", "phone", "enum")


@dataclass
class Parsed:
    """Values of one column and the rows (frame index) whose cell could not be read, with the reason."""

    values: list
    bad: dict[int, str] = field(default_factory=dict)


def clean(value: object) -> str | None:
    """A cell as trimmed half-width text (全角 digits and letters folded by NFKC), None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    text = unicodedata.normalize("NFKC", str(value)).replace("\u200b", "").strip()
    return text or None


def header_key(text: object) -> str:
    """A header cell reduced for matching: no spaces, brackets, stars or line breaks."""
    t = clean(text) or ""
    return re.sub(r"[\s*()()::/\\、_-]", "", t).lower()


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def parse(f: Field, raw: list[object]) -> Parsed:
    """Turn one column's raw cells into values of the field's kind, noting each unreadable cell."""
    out = Parsed([None] * len(raw))
    for i, cell in enumerate(raw):
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        try:
            out.values[i] = _one(f, cell)
        except ValueError as exc:
            out.bad[i] = str(exc)
    return out


def _one(f: Field, cell: object):  # noqa: C901 - one branch per kind reads best
    k = f.kind
    if k == "date":
        return to_date(cell)
    if k == "month":
        return to_month(cell)
    if k == "bool":
        t = (clean(cell) or "").lower()
        if t in TRUE:
            return True
        if t in FALSE:
            return False
        raise ValueError("应填“是”或“否”")
    if k in ("int", "year"):
        n = to_number(cell)
        if not float(n).is_integer():
            raise ValueError("应为整数")
        return int(n)
    if k == "number":
        return to_number(cell)
    if k == "share":
        return to_share(cell)
    if k == "id":
        return to_id(cell)
    text = clean(cell)
    if k in ("code", "county", "phone"):
        if isinstance(cell, float) and not cell.is_integer() or _SCIENTIFIC.match(text or ""):
            raise ValueError("代码被Excel转成了数字(科学计数法),请把该列设为文本格式后重新填写")
        text = _squeeze(text)
        digits = {"code": 12, "county": 6, "phone": 11}[k]
        if not text.isdigit() or len(text) != digits:
            raise ValueError(f"应为{digits}位数字,实为“{text}”({len(text)}位)")
        return text
    if k == "enum":  # membership is the schema's check (pandera isin)
        return _squeeze(text)
    if f.length and len(text) > f.length:
        raise ValueError(f"超过{f.length}个字")
    return text


def to_number(cell: object) -> float:
    """A number from a number cell or text such as 1,234.5 or 1 234."""
    if isinstance(cell, bool):
        raise ValueError("应为数字")
    if isinstance(cell, (int, float)):
        return float(cell)
    text = _squeeze(clean(cell) or "").replace(",", "").replace("元", "")
    try:
        n = float(text)
    except ValueError:
        raise ValueError("应为数字") from None
    if n != n or n in (float("inf"), float("-inf")):
        raise ValueError("应为数字")
    return n


def to_share(cell: object) -> float:
    """A share from 0.85, 85% or 85 (a number above 1 is read as per cent)."""
    text = clean(cell) or ""
    if isinstance(cell, str) and text.endswith("%"):
        n = to_number(text[:-1]) / 100
    else:
        n = to_number(cell)
        n = n / 100 if n > 1 else n
    if not 0 <= n <= 1:
        raise ValueError("比例应在0到100%之间")
    return n


def to_date(cell: object) -> date:
    """A date from an Excel date cell, an Excel serial number, or text in the usual Chinese spellings."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if 20000 <= cell <= 80000:  # an Excel serial day number (1954-2119)
            return _EXCEL_EPOCH + timedelta(days=int(cell))
        text = str(int(cell)) if float(cell).is_integer() else str(cell)
    else:
        text = _squeeze(clean(cell) or "")
    m = _DATE.match(text) or _COMPACT.match(text)
    if not m:
        raise ValueError("无法识别的日期,请填写如 2023-05-06")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValueError("日期不存在") from None


def to_month(cell: object) -> date:
    """The first day of the month a cell names (2023-05, 2023年5月, or any date in it)."""
    if isinstance(cell, (datetime, date)) or isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return to_date(cell).replace(day=1)
    text = _squeeze(clean(cell) or "")
    m = _MONTH.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return date(int(m.group(1)), int(m.group(2)), 1)
    return to_date(text).replace(day=1)


def to_id(cell: object) -> str:
    """An 18-digit GB 11643 ID number, checked by python-stdnum (length, digits, check digit, birth date)."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        raise ValueError("身份证号被Excel存成了数字(会丢失末尾位数或变成2.31221E+17),请把该列设为文本格式后重新填写")
    text = _squeeze(clean(cell) or "").upper()
    if _SCIENTIFIC.match(text):
        raise ValueError("身份证号被Excel转成了科学计数法(如2.31221E+17),末尾位数已丢失,请把该列设为文本格式后重新填写")
    try:  # ric.validate less its birthplace lookup: people keep the code of their first registration, of any era
        if len(text) != 18:
            raise InvalidLength()
        if not text[:17].isdigit():
            raise InvalidFormat()
        if text[-1] != ric.calc_check_digit(text):
            raise InvalidChecksum()
        ric.get_birth_date(text)
        return text
    except InvalidLength:
        raise ValueError(f"身份证号应为18位,实为{len(text)}位") from None
    except InvalidChecksum:
        raise ValueError("身份证号校验位不对(GB 11643),请核对") from None
    except (InvalidComponent, InvalidFormat):
        raise ValueError("身份证号格式不对(前17位应为数字,出生日期应存在)") from None
    except ValidationError:
        raise ValueError("身份证号无效") from None
