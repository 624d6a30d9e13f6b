"""What a row refers to (a household by its head's ID number, a case by household and date, a project by village,
name and year ...), looked up in chunks of the values the file names, and the rows as the table stores them."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from sqlalchemy import select

from data_access.db import engine
from data_access.imports.kinds import Kind, split_risks
from data_access.models import app as A
from data_access.models import industry as I
from data_access.models import monitoring as M

CHUNK = 500
TARGET_COLUMN = {"household": "household_id", "member": "member_id", "case": "case_id", "project": "project_id",
                 "specialty": "specialty_village_id", "station": "station_id", "task": "task_id"}
MISSING = {
    "household": "库中没有以此身份证号为户主的农户,请先导入农户信息",
    "member": "库中没有此身份证号的家庭成员,请先导入家庭成员",
    "case": "该户在此日期及以前没有监测对象记录,请先导入监测对象",
    "project": "库中没有此村、项目名称和实施年度的项目,请先导入产业项目",
    "specialty": "库中没有此村和主导产业的一村一品专业村,请先导入专业村",
    "station": "库中没有此村和建成年度的光伏电站,请先导入光伏电站",
    "task": "没有此年度和名称的重点任务",
}


def _chunks(values: list) -> list[list]:
    values = sorted(set(values))
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def _fetch(db: str, columns: list, where_col, values: list) -> list[tuple]:
    out: list[tuple] = []
    with engine(db).connect() as conn:
        for part in _chunks(values):
            out += [tuple(r) for r in conn.execute(select(*columns).where(where_col.in_(part)))]
    return out


def households(head_ids: list[str]) -> dict[str, dict]:
    """Head ID number -> id, village_code, county_code (the newest household when one head has two)."""
    H = M.Household
    rows = _fetch("monitoring", [H.head_id_number, H.id, H.village_code, H.county_code], H.head_id_number, head_ids)
    return {r[0]: {"household_id": r[1], "village_code": r[2], "county_code": r[3]} for r in sorted(rows, key=lambda r: r[1])}


def members(id_numbers: list[str]) -> dict[str, dict]:
    """ID number -> member id, household id, village_code, county_code."""
    Mb, H = M.Member, M.Household
    out = {}
    with engine("monitoring").connect() as conn:
        for part in _chunks(id_numbers):
            q = (select(Mb.id_number, Mb.id, Mb.household_id, H.village_code, H.county_code)
                 .join(H, H.id == Mb.household_id).where(Mb.id_number.in_(part)).order_by(Mb.id))
            for r in conn.execute(q):
                out[r[0]] = {"member_id": r[1], "household_id": r[2], "village_code": r[3], "county_code": r[4]}
    return out


def cases(household_ids: list[int]) -> dict[int, list[tuple]]:
    """Household id -> its cases as (discovered_on, id, status), oldest first."""
    C = M.MonitoringCase
    out: dict[int, list[tuple]] = defaultdict(list)
    for hid, cid, found, status in sorted(_fetch("monitoring", [C.household_id, C.id, C.discovered_on, C.status],
                                                 C.household_id, household_ids), key=lambda r: (r[2], r[1])):
        out[hid].append((found, cid, status))
    return out


def _by_village(db: str, table, key_cols: list[str], villages: list[str], extra: list[str]) -> dict[tuple, dict]:
    cols = [table.c[c] for c in key_cols] + [table.c[c] for c in extra]
    return {tuple(r[:len(key_cols)]): dict(zip(extra, r[len(key_cols):]))
            for r in sorted(_fetch(db, cols, table.c.village_code, villages), key=lambda r: r[len(key_cols)])}


def resolve(kind: Kind, typed: pd.DataFrame, bad, county: str | None) -> dict[str, dict[int, dict]]:
    """For each reference of the kind: spreadsheet row -> what it resolved to; unresolved rows are reported."""
    out: dict[str, dict[int, dict]] = {}
    for ref in kind.refs:
        found: dict[int, dict] = {}
        usable = typed.loc[[r for r in typed.index if not any(bad.has(r, f) for f in ref.fields)]]
        look = _lookup(ref.to, usable, ref.fields, out)  # only values that passed their own checks are looked up
        for row, values in typed[list(ref.fields)].iterrows():
            values = tuple(values)
            if any(v is None for v in values) or any(bad.has(row, f) for f in ref.fields):
                if ref.required and not any(bad.has(row, f) for f in ref.fields) and values[0] is not None:
                    bad.add(row, ref.fields[-1], "必填项为空")
                continue
            hit = look(row, values)
            if hit is None:
                if ref.required:  # blamed on the field that tells it apart: the date, name, industry, year
                    bad.add(row, ref.fields[1] if len(ref.fields) > 1 else ref.fields[0], MISSING[ref.to])
                continue
            if county and hit.get("county_code") and hit["county_code"] != county:
                bad.add(row, ref.fields[0], "不属于本县(市)区,县级账号只能导入本县数据")
                continue
            found[row] = hit
        out[ref.to] = found
    _against_database(kind, typed, out, bad)
    return out


def _lookup(to: str, typed: pd.DataFrame, fields: tuple[str, ...], done: dict):
    first = [v for v in typed[fields[0]].dropna().unique()]
    if to == "household":
        table = households(first)
        return lambda row, v: table.get(v[0])
    if to == "member":
        table = members(first)
        return lambda row, v: table.get(v[0])
    if to == "case":
        hh = done.get("household") or {}
        by_house = households(first) if not hh else None
        ids = [h["household_id"] for h in (hh.values() if hh else by_house.values())]
        known = cases(ids)

        def case(row, v):
            h = hh.get(row) if hh else by_house.get(v[0])
            if h is None:
                return None
            before = [c for c in known.get(h["household_id"], []) if c[0] <= v[1]]
            return {"case_id": before[-1][1], **h} if before else None
        return case
    if to == "project":
        T = I.IndustryProject.__table__
        table = _by_village("industry", T, ["village_code", "name", "year"], first, ["id", "county_code"])
        return lambda row, v: _renamed(table.get(tuple(v)), "project_id")
    if to == "specialty":
        T = I.SpecialtyVillage.__table__
        table = _by_village("industry", T, ["village_code", "industry"], first, ["id", "county_code"])
        return lambda row, v: _renamed(table.get(tuple(v)), "specialty_village_id")
    if to == "station":
        T = I.PvStation.__table__
        table = _by_village("industry", T, ["village_code", "built_year"], first, ["id", "county_code"])
        return lambda row, v: _renamed(table.get(tuple(v)), "station_id")
    if to == "task":
        K = A.KeyTask
        rows = _fetch("app", [K.year, K.title, K.id], K.year, [int(x) for x in first])
        table = {(r[0], r[1]): {"task_id": r[2]} for r in rows}
        return lambda row, v: table.get((int(v[0]), v[1]))
    raise ValueError(f"unknown reference {to!r}")


def _renamed(hit: dict | None, key: str) -> dict | None:
    if hit is None:
        return None
    return {key: hit["id"], "county_code": hit["county_code"]}


def _against_database(kind: Kind, typed: pd.DataFrame, found: dict, bad) -> None:
    """Duplicates only the database shows: a person already registered in another household; a second open case."""
    if kind.key == "member":
        known = members([v for v in typed["id_number"].dropna().unique()])
        for row, number in typed["id_number"].items():
            hit, house = known.get(number), found.get("household", {}).get(row)
            if hit and house and hit["household_id"] != house["household_id"]:
                bad.add(row, "id_number", "此身份证号已登记为另一户的成员,同一人不能在两户中,请先核实")
    if kind.key == "case":
        houses = found.get("household", {})
        known = cases([h["household_id"] for h in houses.values()])
        for row, h in houses.items():
            if typed.at[row, "status"] not in ("监测中", "待认定"):
                continue
            other = [c for c in known.get(h["household_id"], []) if c[2] in ("监测中", "待认定")
                     and c[0] != typed.at[row, "discovered_on"]]
            if other:
                bad.add(row, "discovered_on", f"该户已有{other[-1][0]:%Y-%m-%d}发现、仍在监测中的监测对象,不能重复纳入")


def to_rows(kind: Kind, typed: pd.DataFrame, resolved: dict) -> pd.DataFrame:
    """The rows as the table stores them: its columns from the fields, the references and what is derived."""
    cols = {c.name for c in kind.table.columns}
    df = typed[[c for c in typed.columns if c in cols]].copy()
    for found in resolved.values():
        extra = pd.DataFrame.from_dict(found, orient="index")
        for c in extra.columns:
            if c in cols and c not in df.columns:
                df[c] = extra[c].reindex(df.index)
    if "village_code" in cols and "county_code" in cols and "village_code" in typed.columns and "county_code" not in df:
        df["county_code"] = typed["village_code"].map(lambda v: v[:6] if v else None)
    for f in kind.fields:  # an optional cell left empty, where the table keeps no empty value: its plain default
        col = kind.table.c.get(f.name)
        if col is not None and not col.nullable and not f.required:
            blank = False if f.kind == "bool" else 0 if f.kind in ("int", "number", "year", "share") else ""
            df[f.name] = typed[f.name].map(lambda v, b=blank: b if v is None else v)
    k = kind.key
    if k == "case":
        df["decision_days"] = [(d - f).days if d is not None and f is not None else None
                               for f, d in zip(typed["discovered_on"], typed["decided_on"])]
        df["_risks"] = typed["risks"].map(split_risks)
        df["_disaster"] = typed["disaster_subtype"]
    elif k == "task_progress":  # the table keeps per cent (0-100), as the weekly page's own entry does
        df["percent"] = typed["percent"].map(lambda v: None if v is None else round(v * 100, 4))
    elif k == "check":
        water = ["water_quantity_ok", "water_quality_ok", "water_convenience_ok", "water_reliability_ok"]
        df["water_ok"] = typed[water].apply(lambda r: all(bool(x) for x in r), axis=1)
    elif k == "collective_income":
        parts = typed[["op_business", "op_contracting", "op_investment", "op_other"]].fillna(0).astype(float)
        df["operating_income"] = parts.sum(axis=1)
        df["total_income"] = df["operating_income"] + typed[["subsidy_income", "other_income"]].fillna(0).astype(float).sum(
            axis=1)
    return df
