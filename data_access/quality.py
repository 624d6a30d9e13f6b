"""Data quality (数据质量) of every importable table (data_access.imports.kinds): how fresh it is, which records break
the import validator's rules, and which required fields are empty; counted in SQL per county, with the records
behind each rule's count for the office to send back.

Counties. A row's county is its table's own county code, or its parent's where the table has none (a member's
household, a measure's case, a PV year's station ...). A row whose parent is missing has no county: it is counted
under county None (county_name 「未知(上级记录缺失)」) in the office-wide view and in no county's. Key-task progress
(task_progress, app database) belongs to no county: it appears only in the office-wide view, as county None (全市).

Rules (RULES, codes such as ``case.order.decided_on``) are the validator's, run over the whole database:
date order (Kind.orders), conditional requirements (Kind.needs), ranges (Field.low/high, shares 0-1), choices
(Field.choices), ID numbers (length 18; GB 11643 check digit computed in SQL), region codes that are not this
city's villages (or counties), references that point nowhere (Kind.refs) and duplicate natural keys
(Kind.natural_key). Each table is read once per call: every rule of a table is one SUM(CASE ...) column of one
grouped scan.

Personal data: rule_rows returns names and ID numbers raw; the page masks them per role.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Boolean, ColumnElement, Integer, String, and_, case, cast, exists, false, func, literal, not_, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from data_access import areas
from data_access.codes import is_code
from data_access.db import engine
from data_access.imports.kinds import KINDS, Kind
from data_access.imports.refs import TARGET_COLUMN
from data_access.models import app as A
from data_access.models import industry as I
from data_access.models import monitoring as M
from data_access.settings import settings
from data_access.sql import count_if

# ---- freshness groups -------------------------------------------------------------------------------------------

# record: dated events reported continuously (cases, measures, visits, alerts, checks, assistance, weekly progress);
# monthly / yearly: figures reported per month or year; register: lists whose dates say when a thing began (a
# household, a PV station built in 2019), not how recently the list was updated: never 超期 by date
GROUPS: dict[str, str] = {
    "household": "register", "member": "register", "case": "record", "measure": "record", "visit": "record",
    "alert": "record", "check": "record", "income": "yearly", "village_condition": "yearly",
    "resident_team": "register", "social_assistance": "record", "assistance_standard": "yearly",
    "employment": "yearly", "specialty_village": "register", "specialty_metric": "yearly",
    "collective_income": "yearly", "project": "register", "project_status": "register", "asset": "register",
    "pv_station": "register", "pv_year": "yearly", "county_monthly": "monthly", "social_support": "register",
    "task_progress": "record",
}
GROUP_NAMES = {"record": "日常记录", "monthly": "月报", "yearly": "年报", "register": "台账"}
IMPORTED = "已导入"
NO_COUNTY = "未知(上级记录缺失)"
CITY_WIDE = "全市"
MAX_ROWS = 5000
WORKERS = 4  # tables read at once (SQLite reads in parallel under WAL; a server runs them on its own cores)

FRESHNESS = ["kind", "title", "group", "county", "county_name", "latest", "rows", "last_import", "stale",
             "threshold_days"]
RULE_COUNTS = ["rule", "rule_name", "family", "kind", "table_title", "county", "county_name", "count"]
COMPLETENESS = ["kind", "title", "county", "county_name", "field", "column", "missing", "rows", "share"]

# ---- ID numbers (GB 11643) ----------------------------------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"  # the check character for a weighted sum mod 11 of 0, 1, ..., 10


class char_length(FunctionElement):
    """Length in characters (MariaDB's LENGTH counts bytes)."""

    type = Integer()
    inherit_cache = True
    name = "char_length"


@compiles(char_length)
def _char_length(element, compiler, **kw):
    return f"CHAR_LENGTH({compiler.process(element.clauses, **kw)})"


@compiles(char_length, "sqlite")
def _char_length_sqlite(element, compiler, **kw):
    return f"LENGTH({compiler.process(element.clauses, **kw)})"


class digits17(FunctionElement):
    """True when a text's first 17 characters are ASCII digits: GLOB on SQLite, a regular expression elsewhere
    (17 SUBSTR comparisons cost SQLite twice as long)."""

    type = Boolean()
    inherit_cache = True
    name = "digits17"


@compiles(digits17)
def _digits17_postgresql(element, compiler, **kw):
    return f"({compiler.process(element.clauses, **kw)} ~ '^[0-9]{{17}}')"


@compiles(digits17, "sqlite")
def _digits17_sqlite(element, compiler, **kw):
    return f"({compiler.process(element.clauses, **kw)} GLOB '{'[0-9]' * 17}*')"


@compiles(digits17, "mysql")
@compiles(digits17, "mariadb")
def _digits17_mysql(element, compiler, **kw):
    return f"({compiler.process(element.clauses, **kw)} REGEXP '^[0-9]{{17}}')"


def id_check_char(col: ColumnElement) -> ColumnElement:
    """SQL: the GB 11643 check character of an ID number's first 17 characters (meaningful only when they are
    digits: evaluate it inside id_bad_check's CASE)."""
    total = sum(cast(func.substr(col, i + 1, 1), Integer) * w for i, w in enumerate(ID_WEIGHTS))
    return case({k: ch for k, ch in enumerate(ID_CHECK_CHARS)}, value=total % 11)


def id_bad_length(col: ColumnElement) -> ColumnElement:
    """SQL: an ID number present but not 18 characters long."""
    return and_(col.is_not(None), char_length(col) != 18)


def id_bad_check(col: ColumnElement) -> ColumnElement:
    """SQL: an 18-character ID number whose first 17 characters are not all digits or whose last one is not the
    GB 11643 check character (an x counts as X, as python-stdnum reads it). A CASE, so that PostgreSQL never casts a
    non-digit."""
    return case((or_(col.is_(None), char_length(col) != 18), false()), (not_(digits17(col)), literal(True)),
                else_=func.upper(func.substr(col, 18, 1)) != id_check_char(col))


# ---- where each table's rows are and which county they belong to ------------------------------------------------

H, MB, C, MS, V, AL, G = M.Household, M.Member, M.MonitoringCase, M.Measure, M.Visit, M.DepartmentAlert, M.GuaranteeCheck
SV, P, PV = I.SpecialtyVillage, I.IndustryProject, I.PvStation
KT = A.KeyTask


@dataclass(frozen=True)
class Source:
    """A table's rows as the checks read them: joined (outer) to the parent that gives their county."""

    kind: str
    frm: object  # a FromClause
    county: ColumnElement | None  # None: the table belongs to no county (task progress)
    village: ColumnElement | None  # 12-digit village code, where there is one
    ident: tuple[tuple[str, str, ColumnElement], ...]  # (column, Chinese header, expression) naming a row
    pk: ColumnElement | None  # the row id; None: the table's key is its primary key
    parents: tuple[tuple[str, ColumnElement], ...] = ()  # (reference column, the joined parent's id): a missing
    # parent is a NULL there, read by the same scan


def _ids(kind: str, table) -> tuple[tuple[str, str, ColumnElement], ...]:
    return (("record_id", "记录编号", table.c.id),) if "id" in table.c else ()


def _head(hh=H) -> tuple[tuple[str, str, ColumnElement], ...]:
    return (("household_id", "户编号", hh.id), ("head_name", "户主姓名", hh.head_name),
            ("head_id_number", "户主身份证号", hh.head_id_number))


def _person() -> tuple[tuple[str, str, ColumnElement], ...]:
    return (("name", "姓名", MB.name), ("id_number", "身份证号", MB.id_number))


def _sources() -> dict[str, Source]:
    t = {k: kind.table for k, kind in KINDS.items()}
    own = lambda k, *ident: Source(k, t[k], t[k].c.county_code, t[k].c.get("village_code"),  # noqa: E731
                                   _ids(k, t[k]) + tuple(ident), t[k].c.get("id"))
    under_household = lambda k: Source(k, t[k].outerjoin(H, H.id == t[k].c.household_id), H.county_code,  # noqa: E731
                                       H.village_code, _ids(k, t[k]) + _head(), t[k].c.id, (("household_id", H.id),))
    out = {
        "household": Source("household", H.__table__, H.county_code, H.village_code, _head(), H.id),
        "member": Source("member", MB.__table__.outerjoin(H, H.id == MB.household_id), H.county_code, H.village_code,
                         (("record_id", "记录编号", MB.id), *_head(), *_person()), MB.id, (("household_id", H.id),)),
        "case": Source("case", C.__table__.outerjoin(H, H.id == C.household_id), C.county_code, C.village_code,
                       (("record_id", "记录编号", C.id), *_head()), C.id, (("household_id", H.id),)),
        "measure": Source("measure", MS.__table__.outerjoin(C, C.id == MS.case_id).outerjoin(H, H.id == C.household_id),
                          C.county_code, C.village_code, (("record_id", "记录编号", MS.id), *_head()), MS.id,
                          (("case_id", C.id),)),
        "visit": under_household("visit"), "check": under_household("check"), "income": under_household("income"),
        "alert": Source("alert", AL.__table__.outerjoin(H, H.id == AL.household_id), AL.county_code, AL.village_code,
                        (("record_id", "记录编号", AL.id), *_head()), AL.id, (("household_id", H.id),)),
        "social_assistance": Source(
            "social_assistance", t["social_assistance"].outerjoin(MB, MB.id == t["social_assistance"].c.member_id)
            .outerjoin(H, H.id == t["social_assistance"].c.household_id), t["social_assistance"].c.county_code,
            H.village_code, (("record_id", "记录编号", t["social_assistance"].c.id), *_person()),
            t["social_assistance"].c.id, (("member_id", MB.id),)),
        "employment": Source(
            "employment", t["employment"].outerjoin(MB, MB.id == t["employment"].c.member_id)
            .outerjoin(H, H.id == MB.household_id), t["employment"].c.county_code, H.village_code,
            (("record_id", "记录编号", t["employment"].c.id), *_person()), t["employment"].c.id, (("member_id", MB.id),)),
        "specialty_metric": Source(
            "specialty_metric", t["specialty_metric"].outerjoin(SV, SV.id == t["specialty_metric"].c.specialty_village_id),
            SV.county_code, SV.village_code, (("specialty_village_id", "专业村编号", t["specialty_metric"].c.specialty_village_id),
                                              ("industry", "主导产业", SV.industry)), None,
            (("specialty_village_id", SV.id),)),
        "project_status": Source(
            "project_status", t["project_status"].outerjoin(P, P.id == t["project_status"].c.project_id), P.county_code,
            P.village_code, (("record_id", "记录编号", t["project_status"].c.id),
                             ("project_name", "项目名称", P.name)), t["project_status"].c.id, (("project_id", P.id),)),
        "pv_year": Source("pv_year", t["pv_year"].outerjoin(PV, PV.id == t["pv_year"].c.station_id), PV.county_code,
                          PV.village_code, (("station_id", "电站编号", t["pv_year"].c.station_id),), None,
                          (("station_id", PV.id),)),
        "task_progress": Source("task_progress", t["task_progress"].outerjoin(KT, KT.id == t["task_progress"].c.task_id),
                                None, None, (("record_id", "记录编号", t["task_progress"].c.id),
                                             ("task_title", "任务名称", KT.title)), t["task_progress"].c.id,
                                (("task_id", KT.id),)),
    }
    named = {  # what names a row of a table with a county of its own, beside its record id
        "village_condition": ("village_code", "year"), "resident_team": ("first_secretary", "dispatching_unit"),
        "assistance_standard": ("year", "kind"), "specialty_village": ("industry",),
        "collective_income": ("year", "quarter"), "project": ("name", "year"), "asset": ("kind", "formed_on"),
        "pv_station": ("built_year",), "county_monthly": ("month",), "social_support": ("kind", "partner"),
    }
    for k, kind in KINDS.items():
        if k not in out:
            out[k] = own(k, *[(c, kind.field(c).header, t[k].c[c]) for c in named.get(k, ())])
    return out


SOURCES = _sources()
_TARGETS = {"household": H, "member": MB, "case": C, "project": P, "specialty": SV, "station": PV, "task": KT}
_TARGET_NAMES = {"household": "农户", "member": "家庭成员", "case": "监测对象", "project": "产业项目",
                 "specialty": "一村一品专业村", "station": "光伏电站", "task": "重点任务"}
_ID_HEADERS = {TARGET_COLUMN[k]: f"{name}编号" for k, name in _TARGET_NAMES.items()}


# ---- the rules ------------------------------------------------------------------------------------------------------


class _Context:
    """What rules look up once per call: region codes of this city (from the monitoring database) and, per
    table and column, the codes it holds that are not among them."""

    def __init__(self) -> None:
        self._known: dict[str, set[str]] = {}
        self._bad: dict[tuple[str, str], list[str]] = {}

    def known(self, level: str) -> set[str]:
        if level not in self._known:
            with engine("monitoring").connect() as conn:
                self._known[level] = set(conn.execute(select(M.Region.code).where(M.Region.level == level)).scalars())
        return self._known[level]

    def unknown(self, kind: Kind, column: str, level: str) -> list[str]:
        key = (kind.key, column)
        if key not in self._bad:
            col = kind.table.c[column]
            with engine(kind.database).connect() as conn:
                held = conn.execute(select(col).where(col.is_not(None)).distinct()).scalars().all()
            known = self.known(level)
            self._bad[key] = sorted(c for c in held if c not in known)
        return self._bad[key]


@dataclass(frozen=True)
class Rule:
    """One data rule over one table: a condition on its Source's rows, and the columns that show the offence."""

    code: str
    name: str  # Chinese, as the page lists it
    kind: str
    family: str  # 日期顺序 条件必填 取值范围 可选值 身份证号 区划代码 关联缺失 重复记录
    where: Callable[[_Context], ColumnElement]
    shows: tuple[str, ...] = ()  # columns of the kind's table shown beside the row's identity

    @property
    def title(self) -> str:
        return KINDS[self.kind].title


FAMILIES = ("日期顺序", "条件必填", "取值范围", "可选值", "身份证号", "区划代码", "关联缺失", "重复记录")
DUPLICATE = FAMILIES[-1]


def _blank(col: ColumnElement) -> ColumnElement:
    return or_(col.is_(None), func.trim(col) == "") if isinstance(col.type, String) else col.is_(None)


def _num(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 else f"{x:,.0f}"


def _order_rules(kind: Kind) -> list[Rule]:
    out = []
    for earlier, later, what in kind.orders:
        a, b = kind.table.c[earlier], kind.table.c[later]
        out.append(Rule(f"{kind.key}.order.{later}", f"{what}早于{kind.field(earlier).header}", kind.key, "日期顺序",
                        lambda ctx, a=a, b=b: and_(a.is_not(None), b.is_not(None), b < a), (earlier, later)))
    return out


def _needs_rules(kind: Kind) -> list[Rule]:
    out = []
    for name, when, values in kind.needs:
        header, when_header = kind.field(name).header, kind.field(when).header
        rule_name = f"{when_header}为{'、'.join(values)}但{header}为空"
        if name == "disaster_subtype":  # risks and their subtypes are rows of case_risk
            R = M.CaseRisk
            out.append(Rule(f"{kind.key}.needs.{name}", f"{when_header}含{'、'.join(values)}但{header}为空", kind.key,
                            "条件必填", lambda ctx, R=R, values=values: exists(
                                select(R.id).where(R.case_id == C.id, R.risk.in_(values), _blank(R.disaster_subtype))),
                            ()))
            continue
        col, cond = kind.table.c[name], kind.table.c[when]
        out.append(Rule(f"{kind.key}.needs.{name}", rule_name, kind.key, "条件必填",
                        lambda ctx, col=col, cond=cond, values=values: and_(cond.in_(values), _blank(col)),
                        (when, name)))
    return out


# columns whose stored scale differs from the template's: weekly progress is kept in per cent (weekly.py
# report_progress, the 周调度 page), while the import template reads 完成进度 as a share
_STORED_RANGE = {("task_progress", "percent"): (0, 100)}


def _range_rules(kind: Kind) -> list[Rule]:
    out = []
    for f in kind.fields:
        if f.name not in kind.table.c:
            continue
        low, high = (0, 1) if f.kind == "share" else (f.low, f.high)
        low, high = _STORED_RANGE.get((kind.key, f.name), (low, high))
        if low is None or f.kind not in ("int", "number", "year", "share"):
            continue
        col = kind.table.c[f.name]
        out.append(Rule(f"{kind.key}.range.{f.name}", f"{f.header}超出合理范围({_num(low)}~{_num(high)})", kind.key,
                        "取值范围", lambda ctx, col=col, low=low, high=high: or_(col < low, col > high), (f.name,)))
    return out


def _choice_rules(kind: Kind) -> list[Rule]:
    out = []
    for f in kind.fields:
        if f.kind != "enum" or f.name not in kind.table.c:
            continue
        col = kind.table.c[f.name]
        out.append(Rule(f"{kind.key}.choice.{f.name}", f"{f.header}不在可选值中", kind.key, "可选值",
                        lambda ctx, col=col, choices=f.choices: and_(not_(_blank(col)), col.not_in(choices)),
                        (f.name,)))
    return out


def _id_rules(kind: Kind) -> list[Rule]:
    out = []
    for f in kind.fields:
        if f.kind != "id" or f.name not in kind.table.c:
            continue
        col = kind.table.c[f.name]
        out.append(Rule(f"{kind.key}.id_length.{f.name}", f"{f.header}不是18位", kind.key, "身份证号",
                        lambda ctx, col=col: and_(not_(_blank(col)), id_bad_length(col)), (f.name,)))
        out.append(Rule(f"{kind.key}.id_check.{f.name}", f"{f.header}校验位错误(GB 11643)", kind.key, "身份证号",
                        lambda ctx, col=col: id_bad_check(col), (f.name,)))
    return out


def _region_rules(kind: Kind) -> list[Rule]:
    if kind.region is None or kind.region not in kind.table.c:
        return []
    village = kind.field(kind.region).kind == "code"
    level = "village" if village else "county"
    col = kind.table.c[kind.region]

    def where(ctx: _Context) -> ColumnElement:
        bad = ctx.unknown(kind, kind.region, level)
        return col.in_(bad) if bad else false()

    what = "村(12位统计用区划代码)" if village else "县(市)区代码"
    return [Rule(f"{kind.key}.region", f"{kind.field(kind.region).header}不是本市的{what}", kind.key, "区划代码",
                 where, (kind.region,))]


def _ref_rules(kind: Kind) -> list[Rule]:
    out = []
    for ref in kind.refs:
        column = TARGET_COLUMN[ref.to]
        if column not in kind.table.c:
            continue
        col = kind.table.c[column]
        joined = dict(SOURCES[kind.key].parents).get(column)
        if joined is not None:  # the source's outer join already looks the parent up
            where = lambda ctx, col=col, joined=joined: and_(col.is_not(None), joined.is_(None))  # noqa: E731
        else:
            target = _TARGETS[ref.to].__table__.alias()  # an alias: the source may join the same table
            where = lambda ctx, col=col, target=target: and_(  # noqa: E731
                col.is_not(None), not_(exists(select(target.c.id).where(target.c.id == col))))
        out.append(Rule(f"{kind.key}.ref.{ref.to}", f"{kind.title}所属的{_TARGET_NAMES[ref.to]}不存在", kind.key,
                        "关联缺失", where, (column,)))
    return out


def _key_fields(kind: Kind, column: str) -> list[str]:
    """The file's fields that stand for a table column (a reference's fields for its id)."""
    ref = next((r for r in kind.refs if TARGET_COLUMN[r.to] == column), None)
    names = {f.name for f in kind.fields}
    return [f for f in ref.fields if f in names] if ref is not None else [column]


def _key_header(kind: Kind, column: str) -> str:
    return "、".join(kind.field(f).header for f in _key_fields(kind, column))


def duplicated(kind: Kind) -> tuple:
    """The natural-key values held by more than one row (a derived table: GROUP BY ... HAVING, cheaper than a
    window over the table) and the condition joining a row to them (NULL matching NULL, as in a key with an
    empty quarter)."""
    key = [kind.table.c[c] for c in kind.natural_key]
    dups = select(*key).group_by(*key).having(func.count() > 1).subquery()
    on = and_(*[col == dups.c[col.name] if not col.nullable else col.is_not_distinct_from(dups.c[col.name])
                for col in key])
    return dups, on


def _duplicate_rules(kind: Kind) -> list[Rule]:
    if "id" not in kind.table.c:
        return []  # the natural key is the primary key: the database allows no duplicate
    headers = list(dict.fromkeys(f for c in kind.natural_key for f in _key_fields(kind, c)))
    return [Rule(f"{kind.key}.duplicate", f"{'、'.join(kind.field(f).header for f in headers)}重复", kind.key,
                 "重复记录", lambda ctx: true(), tuple(kind.natural_key))]


def _rules() -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for kind in KINDS.values():
        for build in (_order_rules, _needs_rules, _range_rules, _choice_rules, _id_rules, _region_rules, _ref_rules,
                      _duplicate_rules):
            for rule in build(kind):
                out[rule.code] = rule
    return out


RULES: dict[str, Rule] = _rules()


def registry() -> pd.DataFrame:
    """Every rule checked. Columns: rule (code), rule_name, family, kind, table_title."""
    return pd.DataFrame([(r.code, r.name, r.family, r.kind, r.title) for r in RULES.values()],
                        columns=["rule", "rule_name", "family", "kind", "table_title"])


# ---- shared helpers -------------------------------------------------------------------------------------------------


def _check_county(county: str | None) -> None:
    if county is not None and not is_code(county):
        raise ValueError(f"county must be a 6-digit code, got {county!r}")


def _date_column(kind: Kind):
    """The table column of the kind's (first) date field and the field's kind (date, month, year), or None."""
    if not kind.dates:
        return None, None
    return kind.table.c[kind.dates[0]], kind.field(kind.dates[0]).kind


def _dated_by(kind: Kind, as_of: date | None) -> ColumnElement | None:
    """Rows dated on or before as_of (no date column: every row)."""
    col, fkind = _date_column(kind)
    if as_of is None or col is None:
        return None
    return col <= (as_of.year if fkind == "year" else as_of)


def _filters(source: Source, kind: Kind, county: str | None, as_of: date | None = None) -> list:
    out = []
    if county is not None:
        out.append(source.county == county)
    dated = _dated_by(kind, as_of)
    if dated is not None:
        out.append(dated)
    return out


def _kinds(county: str | None) -> list[Kind]:
    """The tables of a view: one county's leaves out the tables that belong to no county."""
    return [k for k in KINDS.values() if county is None or SOURCES[k.key].county is not None]


def _grouped(source: Source, columns: list, filters: list, frm=None):
    """SELECT county, columns ... GROUP BY county (no county: one row, county None)."""
    county = source.county if source.county is not None else literal(None, String)
    q = select(county.label("county"), *columns).select_from(frm if frm is not None else source.frm).where(*filters)
    return q.group_by(source.county) if source.county is not None else q


def _per_table(kinds: list[Kind], read: Callable[[Kind], list]) -> list:
    """read(kind) for every table, a few at a time on connections of their own; the rows in table order."""
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="quality") as pool:
        return [row for rows in pool.map(read, kinds) for row in rows]


def _county_names() -> dict[str, str]:
    return dict(areas.regions("county")[["code", "name"]].itertuples(index=False))


def _name_of(names: dict[str, str], kind: str, county: str | None) -> str:
    if county is None:
        return CITY_WIDE if SOURCES[kind].county is None else NO_COUNTY
    return names.get(county, county)


# ---- freshness ------------------------------------------------------------------------------------------------------


def thresholds(stale_days: dict[str, int] | None = None) -> dict[str, int]:
    """Days after which each group's latest record is 超期: the setting (DASHBOARD_STALE_DAYS), overridden by
    stale_days; registers have none."""
    out = dict(settings().stale_days)
    out.update(stale_days or {})
    return out


def _latest_date(value, fkind: str | None) -> date | None:
    """A year as its 31 December, a month (stored as its first day) as its last day."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if fkind == "year":
        return date(int(value), 12, 31)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if fkind == "month":
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


def _last_imports(county: str | None) -> dict[tuple[str, str | None], datetime]:
    B = A.ImportBatch
    q = select(B.kind, B.county_code, func.max(B.at)).where(B.status == IMPORTED).group_by(B.kind, B.county_code)
    if county is not None:
        q = q.where(or_(B.county_code == county, B.county_code.is_(None)))
    with engine("app").connect() as conn:
        return {(k, c): at for k, c, at in conn.execute(q).all()}


def freshness(*, county: str | None = None, stale_days: dict[str, int] | None = None,
              today: date | None = None) -> pd.DataFrame:
    """How recent each importable table is, per county.

    One row per table and county of the city (one county's only when county is given; task progress, which
    belongs to no county, once as county None in the office-wide view). Columns:
    kind (KINDS key), title (Chinese), group (record / monthly / yearly / register), county, county_name,
    latest (date or None: the latest record date on or before today, a year read as its 31 December and a month
    as its last day; None for a table without dates, household, or with no rows in the county),
    rows (records of the county), last_import (datetime or None: the latest 已导入 batch of the table by that
    county's account or by the office, whose batches may carry any county's rows),
    stale (bool: the group has a threshold and latest is None or more than threshold_days before today),
    threshold_days (int or None: registers are not judged by date).
    """
    _check_county(county)
    today = today or date.today()
    days = thresholds(stale_days)
    names = _county_names()
    counties = [county] if county is not None else sorted(names)
    imports = _last_imports(county)

    def read(kind: Kind) -> list[tuple]:
        source = SOURCES[kind.key]
        col, fkind = _date_column(kind)
        columns = [func.count().label("rows")]
        if col is not None:
            cap = today.year if fkind == "year" else today
            columns.append(func.max(case((col <= cap, col))).label("latest"))
        filters = _filters(source, kind, county)
        if source.county is not None:
            filters.append(source.county.is_not(None))
        q = _grouped(source, columns, filters)
        with engine(kind.database).connect() as conn:
            found = {r[0]: r for r in conn.execute(q).all()}
        group = GROUPS[kind.key]
        limit = days.get(group)
        out = []
        for c in (counties if source.county is not None else [None]):
            r = found.get(c)
            latest = _latest_date(r[2], fkind) if r is not None and col is not None else None
            stamps = [at for (k, bc), at in imports.items() if k == kind.key and (bc is None or bc == c)]
            stale = limit is not None and (latest is None or (today - latest).days > limit)
            out.append((kind.key, kind.title, group, c, _name_of(names, kind.key, c), latest,
                        int(r[1]) if r is not None else 0, max(stamps) if stamps else None, bool(stale), limit))
        return out

    df = pd.DataFrame(_per_table(_kinds(county), read), columns=FRESHNESS)
    df["threshold_days"] = df["threshold_days"].astype("Int64")
    return df


# ---- rules ----------------------------------------------------------------------------------------------------------


def rules(*, county: str | None = None, as_of: date | None = None) -> pd.DataFrame:
    """Records breaking each rule, per county: only rules with at least one such record.

    as_of: only records dated on or before it (each table's date column as in freshness; tables without one,
    household, whole). Columns: rule (RULES code), rule_name (Chinese), family (日期顺序, 条件必填, 取值范围,
    可选值, 身份证号, 区划代码, 关联缺失, 重复记录), kind, table_title, county (None: see the module note),
    county_name, count. Sorted by family, table and count (largest first). registry() lists every rule checked.
    """
    _check_county(county)
    ctx = _Context()
    names = _county_names()

    def read(kind: Kind) -> list[tuple]:
        source = SOURCES[kind.key]
        filters = _filters(source, kind, county, as_of)
        rs = [r for r in RULES.values() if r.kind == kind.key and r.family != DUPLICATE]
        dup = RULES.get(f"{kind.key}.duplicate")
        with engine(kind.database).connect() as conn:
            rows = conn.execute(_grouped(source, [count_if(r.where(ctx)).label(f"r{i}") for i, r in enumerate(rs)],
                                         filters)).all() if rs else []
            if dup is not None:
                dups, on = duplicated(kind)
                rows += [(c, *[0] * len(rs), n) for c, n in conn.execute(
                    _grouped(source, [func.count().label("n")], filters, frm=source.frm.join(dups, on))).all()]
        return [(r.code, r.name, r.family, r.kind, r.title, row[0], _name_of(names, r.kind, row[0]), int(n))
                for row in rows for r, n in zip([*rs, dup], row[1:]) if n]

    for level in ("village", "county"):  # read once before the tables share the context
        ctx.known(level)
    df = pd.DataFrame(_per_table(_kinds(county), read), columns=RULE_COUNTS)
    order = {f: i for i, f in enumerate(FAMILIES)}
    tables = {k: i for i, k in enumerate(KINDS)}
    return (df.assign(_f=df["family"].map(order), _t=df["kind"].map(tables))
            .sort_values(["_f", "_t", "rule", "count", "county"], ascending=[True, True, True, False, True],
                         na_position="last").drop(columns=["_f", "_t"]).reset_index(drop=True))


def row_headers(rule: str) -> dict[str, str]:
    """Chinese headers of rule_rows(rule)'s columns, in their order."""
    r = RULES[rule]
    kind, source = KINDS[r.kind], SOURCES[r.kind]
    out = {"county_name": "县(市)区", "township": "乡镇", "village": "村"}
    out.update({c: h for c, h, _ in source.ident})
    fields = {f.name: f.header for f in kind.fields}
    for c in r.shows:
        if c not in out:
            out[c] = fields[c] if c in fields else _ID_HEADERS.get(c, c)
    return out


def rule_rows(rule: str, *, county: str | None = None, as_of: date | None = None,
              limit: int | None = MAX_ROWS) -> pd.DataFrame:
    """The records behind one rule's count (the first `limit`, at most 5,000, by record), for sending back.

    Columns: county, county_name, township, village (names; None where the row has no village), the row's
    identity (record_id, household_id, head_name, head_id_number, name, id_number, ... as the table has them)
    and the values at fault (the rule's columns, named as the table's); row_headers(rule) gives the Chinese
    headers. Names and ID numbers are raw: mask them for display.
    """
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}")
    _check_county(county)
    r = RULES[rule]
    kind, source = KINDS[r.kind], SOURCES[r.kind]
    if county is not None and source.county is None:
        return pd.DataFrame(columns=["county", *row_headers(rule)])
    table = kind.table
    shown = [c for c in r.shows if c not in {i[0] for i in source.ident}]
    county_col = source.county if source.county is not None else literal(None, String)
    village_col = source.village if source.village is not None else literal(None, String)
    cols = [county_col.label("county"), village_col.label("_village"),
            *[e.label(c) for c, _, e in source.ident], *[table.c[c].label(c) for c in shown]]
    frm = source.frm.join(*duplicated(kind)) if r.family == DUPLICATE else source.frm
    q = (select(*cols).select_from(frm).where(r.where(_Context()), *_filters(source, kind, county, as_of))
         .order_by(*[table.c[c] for c in r.shows] if r.family == DUPLICATE else [],
                   *[e for _, _, e in source.ident[:1]]))
    if limit is not None:
        q = q.limit(max(1, min(int(limit), MAX_ROWS)))
    with engine(kind.database).connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=[c.name for c in cols])
    names = _county_names()
    places = areas.names_with_townships([v for v in df["_village"].dropna().unique() if isinstance(v, str)])
    df.insert(1, "county_name", [_name_of(names, r.kind, c) for c in df["county"]])
    df.insert(2, "township", [places.get(v[:9]) if isinstance(v, str) else None for v in df["_village"]])
    df.insert(3, "village", [places.get(v) if isinstance(v, str) else None for v in df["_village"]])
    return df.drop(columns=["_village"])


# ---- completeness -------------------------------------------------------------------------------------------------


def _required(kind: Kind) -> list:
    """Required fields held in a column of the table that can be empty (NULL, or blank text)."""
    out = []
    for f in kind.fields:
        if not f.required or f.name not in kind.table.c:
            continue
        col = kind.table.c[f.name]
        if col.nullable or isinstance(col.type, String):
            out.append((f, col))
    return out


def completeness(*, county: str | None = None) -> pd.DataFrame:
    """Required fields left empty (NULL, or text of only spaces), per table, county and field.

    One row per table, county with rows, and required field that its column lets be empty. Columns: kind, title,
    county, county_name, field (the template's Chinese header), column (the table's), missing, rows (records of the
    table in the county), share (missing / rows). Sorted by share, largest first.
    """
    _check_county(county)
    names = _county_names()

    def read(kind: Kind) -> list[tuple]:
        fields = _required(kind)
        if not fields:
            return []
        source = SOURCES[kind.key]
        columns = [func.count().label("rows")] + [count_if(_blank(col)).label(f"f{i}") for i, (_, col) in
                                                  enumerate(fields)]
        with engine(kind.database).connect() as conn:
            rows = conn.execute(_grouped(source, columns, _filters(source, kind, county))).all()
        return [(kind.key, kind.title, row[0], _name_of(names, kind.key, row[0]), f.header, col.name, int(n or 0),
                 int(row[1]), int(n or 0) / int(row[1]) if row[1] else 0.0)
                for row in rows for (f, col), n in zip(fields, row[2:])]

    df = pd.DataFrame(_per_table(_kinds(county), read), columns=COMPLETENESS)
    return df.sort_values(["share", "missing"], ascending=False, kind="stable").reset_index(drop=True)
