"""Checking a sheet before anything is written: cells (fields), the schema (pandera: required, choices, ranges,
duplicates, date order), then what only the databases know (region codes, references, the county's own rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import pandera.pandas as pa
from sqlalchemy import select
from stdnum.cn import ric

from data_access.db import engine
from data_access.imports import refs
from data_access.imports.fields import Field, parse
from data_access.imports.kinds import RISKS, Kind, split_risks
from data_access.imports.reader import Sheet
from data_access.models.monitoring import Region


@dataclass(frozen=True)
class Problem:
    """One bad cell (or a missing column, then row is the header row)."""

    row: int
    column: str  # the header as written in the file (or the template's)
    letter: str  # spreadsheet column letter, "" when the column is missing
    value: str
    reason: str


@dataclass
class Checked:
    """A validated sheet: the rows ready for the table, and every problem found (nothing is written if any)."""

    kind: Kind
    sheet: Sheet
    rows: pd.DataFrame  # table columns (plus children such as risks), index: spreadsheet rows
    problems: list[Problem] = field(default_factory=list)
    counties: frozenset[str] = frozenset()  # the counties the rows belong to (their summaries are refreshed)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.rows.empty

    def problem_frame(self) -> pd.DataFrame:
        """The problems as a table: 工作表, 行, 列, 单元格, 值, 原因 (sheet order)."""
        rows = [(self.sheet.name, p.row, p.column, f"{p.letter}{p.row}" if p.letter else "", p.value, p.reason)
                for p in sorted(self.problems, key=lambda p: (p.row, p.letter))]
        return pd.DataFrame(rows, columns=["工作表", "行", "列", "单元格", "值", "原因"])


class _Collector:
    """Problems keyed by (row, field), the first reason kept, so one bad cell is reported once."""

    def __init__(self, kind: Kind, sheet: Sheet):
        self.kind, self.sheet, self.items = kind, sheet, {}

    def add(self, row: int, name: str, reason: str, value: object = None) -> None:
        if (row, name) in self.items:
            return
        raw = self.sheet.frame.at[row, name] if name in self.sheet.frame.columns and row in self.sheet.frame.index \
            else value
        shown = "" if raw is None or (isinstance(raw, float) and raw != raw) else str(raw)
        header = self.sheet.headers.get(name) or self.kind.field(name).header
        self.items[(row, name)] = Problem(int(row), header, self.sheet.letters.get(name, ""), shown[:100], reason)

    def has(self, row: int, name: str) -> bool:
        return (row, name) in self.items

    def list(self) -> list[Problem]:
        return list(self.items.values())


def check(kind: Kind, sheet: Sheet, *, county: str | None = None) -> Checked:
    """Validate every row; county (a county account's own) restricts rows to that county."""
    bad = _Collector(kind, sheet)
    missing = [f for f in kind.fields if f.required and f.name not in sheet.frame.columns]
    if missing:
        problems = [Problem(sheet.header_row, f.header, "", "", "缺少必填列(表头应为“" + f.header + "”)") for f in missing]
        return Checked(kind, sheet, pd.DataFrame(), problems)
    if sheet.frame.empty:
        return Checked(kind, sheet, pd.DataFrame(), [Problem(sheet.header_row + 1, kind.fields[0].header, "", "",
                                                             "表头下没有数据行")])
    typed = _parse(kind, sheet, bad)
    _schema(kind, typed, bad)
    _regions(kind, typed, bad, county)
    resolved = refs.resolve(kind, typed, bad, county)
    _specific(kind, typed, resolved, bad)
    rows = refs.to_rows(kind, typed, resolved)
    return Checked(kind, sheet, rows, bad.list(), _counties(kind, typed, resolved))


def _counties(kind: Kind, typed: pd.DataFrame, resolved: dict) -> frozenset[str]:
    out = {c[:6] for c in typed[kind.region].dropna()} if kind.region else set()
    for found in resolved.values():
        out |= {h["county_code"] for h in found.values() if h.get("county_code")}
    return frozenset(out)


def _parse(kind: Kind, sheet: Sheet, bad: _Collector) -> pd.DataFrame:
    cols = {}
    for f in kind.fields:
        if f.name not in sheet.frame.columns:
            cols[f.name] = [None] * len(sheet.frame)
            continue
        parsed = parse(f, sheet.frame[f.name].tolist())
        for i, reason in parsed.bad.items():
            bad.add(sheet.frame.index[i], f.name, reason)
        cols[f.name] = parsed.values
    return pd.DataFrame(cols, index=sheet.frame.index, dtype=object)


def file_key(kind: Kind) -> list[str]:
    """The natural key in the file's own fields (a reference's fields stand for the id they resolve to)."""
    out = []
    for col in kind.natural_key:
        ref = next((r for r in kind.refs if refs.TARGET_COLUMN[r.to] == col), None)
        out += list(ref.fields) if ref else [col]
    return list(dict.fromkeys(out))


def _reason(f: Field, check_name: str) -> str:
    if check_name == "not_nullable":
        return "必填项为空"
    if check_name.startswith("isin"):
        return "不在可选值中(可选:" + "、".join(f.choices) + ")"
    if check_name.startswith("in_range"):
        return f"超出合理范围({_num(f.low)}~{_num(f.high)})"
    return check_name


def _num(x) -> str:
    return f"{x:,.0f}" if x is not None and abs(x) >= 1000 else str(x)


def _schema(kind: Kind, typed: pd.DataFrame, bad: _Collector) -> None:
    """Required cells, choices, ranges, date order, conditional requirements and in-file duplicates by pandera."""
    columns = {}
    for f in kind.fields:
        checks = []
        if f.kind == "enum":
            checks.append(pa.Check.isin(list(f.choices)))
        if f.low is not None and f.kind in ("int", "number", "year"):
            checks.append(pa.Check.in_range(f.low, f.high))
        if f.name == "risks":
            checks.append(pa.Check(_risks_ok, element_wise=True, name="risks"))
        columns[f.name] = pa.Column(None, checks, nullable=not f.required)
    frame_checks = [pa.Check(_order(a, b), name=f"order|{b}|{a}|{what}") for a, b, what in kind.orders]
    frame_checks += [pa.Check(_needs(name, when, values), name=f"needs|{name}|{when}") for name, when, values in kind.needs]
    key = file_key(kind)
    schema = pa.DataFrameSchema(columns, checks=frame_checks, unique=key, report_duplicates="all")
    try:
        schema.validate(typed.reset_index(drop=True), lazy=True)
    except pa.errors.SchemaErrors as exc:
        _collect(kind, typed, exc.failure_cases, key, bad)


def _collect(kind: Kind, typed: pd.DataFrame, cases: pd.DataFrame, key: list[str], bad: _Collector) -> None:
    rows = typed.index
    for case in cases.itertuples(index=False):
        if case.index is None or case.index != case.index:
            continue
        row, check_name = rows[int(case.index)], str(case.check)
        if check_name == "multiple_fields_uniqueness":
            if case.column == key[-1]:
                first = _first_same(typed, key, row)
                what = "、".join(kind.field(k).header for k in key)
                bad.add(row, key[-1], f"与第{first}行重复({what}相同)" if first != row else f"{what}在文件中重复")
            continue
        if check_name.startswith("order|"):  # a frame-wide check: pandera lists the row under several columns
            _, later, earlier, what = check_name.split("|", 3)
            if not bad.has(row, earlier):
                bad.add(row, later, f"{what}早于{kind.field(earlier).header}")
            continue
        if check_name.startswith("needs|"):
            _, name, when = check_name.split("|")
            bad.add(row, name, f"{kind.field(when).header}为“{typed.at[row, when]}”时必填")
            continue
        if check_name == "risks":
            bad.add(row, "risks", "风险类型应为1至5项,用顿号分隔,可选:" + "、".join(RISKS) + ",不得重复")
            continue
        if not bad.has(row, case.column):
            bad.add(row, case.column, _reason(kind.field(case.column), check_name))


def _first_same(typed: pd.DataFrame, key: list[str], row: int) -> int:
    mine = tuple(typed.loc[row, key])
    for r, values in zip(typed.index, typed[key].itertuples(index=False)):
        if tuple(values) == mine:
            return int(r)
    return int(row)


def _order(earlier: str, later: str):
    def ok(df: pd.DataFrame) -> pd.Series:
        a, b = df[earlier], df[later]
        return a.isna() | b.isna() | pd.Series([y >= x if x is not None and y is not None else True
                                               for x, y in zip(a, b)], index=df.index)
    return ok


def _needs(name: str, when: str, values: tuple[str, ...]):
    def ok(df: pd.DataFrame) -> pd.Series:
        applies = df[when].map(lambda v: v is not None and any(part in values for part in split_risks(v)))
        return ~applies | df[name].notna()
    return ok


def _risks_ok(value) -> bool:
    parts = split_risks(value)
    return 1 <= len(parts) <= 5 and len(set(parts)) == len(parts) and all(p in RISKS for p in parts)


def _regions(kind: Kind, typed: pd.DataFrame, bad: _Collector, county: str | None) -> None:
    """Region codes must be villages (or counties) of this city; a county account's rows must be its own."""
    if kind.region is None:
        return
    level = "village" if kind.field(kind.region).kind == "code" else "county"
    codes = {c for c in typed[kind.region].dropna().unique()}
    if not codes:
        return
    known = _known_regions(level, codes)
    for row, code in typed[kind.region].items():
        if code is None or bad.has(row, kind.region):
            continue
        if code not in known:
            bad.add(row, kind.region, "不是本市的" + ("村(12位统计用区划代码)" if level == "village" else "县(市)区代码"))
        elif county and code[:6] != county:
            bad.add(row, kind.region, "不属于本县(市)区,县级账号只能导入本县数据")


def _known_regions(level: str, codes: set[str]) -> set[str]:
    out: set[str] = set()
    listed = sorted(codes)
    with engine("monitoring").connect() as conn:
        for start in range(0, len(listed), 500):
            part = listed[start:start + 500]
            out |= set(conn.execute(select(Region.code).where(Region.level == level, Region.code.in_(part))).scalars())
    return out


def _specific(kind: Kind, typed: pd.DataFrame, resolved: dict, bad: _Collector) -> None:
    """Rules of one table that need more than one cell: an ID number agrees with the birth date and sex."""
    if kind.key != "member":
        return
    for row, rec in typed.iterrows():
        number = rec["id_number"]
        if number is None or bad.has(row, "id_number"):
            continue
        born = ric.get_birth_date(number)
        if rec["birth_date"] is not None and not bad.has(row, "birth_date") and rec["birth_date"] != born:
            bad.add(row, "birth_date", f"与身份证号中的出生日期({born:%Y-%m-%d})不符")
        sex = "男" if int(number[16]) % 2 else "女"
        if rec["sex"] in ("男", "女") and rec["sex"] != sex:
            bad.add(row, "sex", f"与身份证号(第17位表示{sex})不符")


def earliest(kind: Kind, rows: pd.DataFrame) -> date | None:
    """The earliest date the rows carry (years as 1 January): reporting periods from it on are recomputed."""
    found: list[date] = []
    for name in kind.dates:
        col = name if name in rows.columns else None
        if col is None:
            continue
        for v in rows[col].dropna():
            found.append(date(int(v), 1, 1) if isinstance(v, (int, float)) else v)
    return min(found) if found else None
