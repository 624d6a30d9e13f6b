"""Writing a validated sheet: one transaction per file, rows matched on their natural key (insert new, update
changed, leave the same alone, so a file imported twice changes nothing), every change logged beside the data so
the batch can be rolled back as a whole; then the summaries, scores, statistics and caches that read the tables."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from data_access import audit
from data_access.db import engine
from data_access.imports.kinds import KINDS, Kind
from data_access.imports.validator import Checked, earliest
from data_access.maintenance import update_statistics
from data_access.models import app as A
from data_access.models import monitoring as M

log = logging.getLogger("dashboard")
CHUNK = 1000
STATUS = {"running": "导入中", "done": "已导入", "failed": "失败", "undone": "已撤销"}
_LOCKS = {name: threading.Lock() for name in ("monitoring", "industry", "app")}  # ids are max+1 within a database
Progress = Callable[[float, str], None]
STAMPS = ("reported_by", "reported_at")  # who imported when: not a change of the record itself


class ImportFailed(RuntimeError):
    """The import or rollback wrote nothing; the message says why in Chinese."""


@dataclass(frozen=True)
class Outcome:
    """What one import did."""

    batch_id: int
    rows: int
    inserted: int
    updated: int
    unchanged: int
    since: date | None
    seconds: float


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _changes(db: str):
    from data_access.models import BASES

    table = BASES[db].metadata.tables["import_change"]
    table.create(engine(db), checkfirst=True)  # a real database made before imports existed lacks it
    return table


def run(checked: Checked, *, data: bytes, filename: str, username: str, county: str | None = None,
        address: str | None = None, progress: Progress | None = None) -> Outcome:
    """Import a sheet that passed every check, all rows or none, as one audited batch."""
    if not checked.ok:
        raise ImportFailed("文件有错误,未导入任何数据;请按错误清单改正后重新上传。")
    kind, rows = checked.kind, checked.rows
    progress = progress or (lambda f, m: None)
    t0 = time.perf_counter()
    digest = sha256(data)
    since = earliest(kind, rows)
    batch_id = _open_batch(kind, filename, username, county, len(rows), digest)
    try:
        changes = _changes(kind.database)
        with _LOCKS[kind.database], engine(kind.database).begin() as conn:
            *counts, moved = _write(conn, kind, rows, changes, batch_id, username, progress)
        counties = sorted(checked.counties | moved)
    except (SQLAlchemyError, ValueError, TypeError) as exc:
        log.warning("import failed: batch %s %s (%s: %s)", batch_id, kind.key, type(exc).__name__, str(exc)[:300])
        _close_batch(batch_id, "failed", message=f"{type(exc).__name__}")
        audit.record(username, "import", f"{kind.title}“{filename}”导入失败,未写入任何数据(批次 {batch_id})", address)
        raise ImportFailed(f"导入失败,数据库未作任何改动(批次 {batch_id})。可能是同时有其他导入,请稍后重试;"
                           "如仍失败请联系管理员查看服务器日志。") from exc
    _close_batch(batch_id, "done", inserted=counts[0], updated=counts[1], unchanged=counts[2], since=since,
                 counties=",".join(counties)[:200])
    audit.record(username, "import", f"{kind.title}“{filename}”(SHA-256 {digest[:12]}…)共 {len(rows):,} 行:"
                                     f"新增 {counts[0]:,},更新 {counts[1]:,},未变 {counts[2]:,}(批次 {batch_id})", address)
    progress(0.95, "正在刷新汇总数据和考核得分……")
    if counts[0] or counts[1]:
        after_change(kind, since, counties)
    progress(1.0, "导入完成")
    return Outcome(batch_id, len(rows), *counts, since, round(time.perf_counter() - t0, 2))


def after_change(kind: Kind, since: date | None, counties: list[str] | None = None) -> None:
    """Refresh what reads the changed table: village summaries of the counties touched (all when None) from the
    earliest period touched, stored scores, planner statistics (PostgreSQL, MariaDB). Callers in the UI clear
    Streamlit's caches too."""
    from assessment import snapshots
    from data_access.areas import data_date
    from data_access.summary import refresh_summaries

    tables = [kind.table.name] + (["case_risk"] if kind.key == "case" else [])
    if kind.database == "monitoring":
        # a record dated d counts in every period ending on or after d
        refresh_summaries(engine("monitoring"), data_date(), since=since, counties=counties or None)
        tables.append(M.VillageSummary.__tablename__)
    if kind.database != "app":
        snapshots.invalidate(since or date(2021, 1, 1))
    update_statistics(engine(kind.database), tables)


def _open_batch(kind: Kind, filename: str, username: str, county: str | None, rows: int, digest: str) -> int:
    with engine("app").begin() as conn:
        return int(conn.execute(insert(A.ImportBatch).values(
            at=datetime.now(), username=username[:40], kind=kind.key, filename=filename[:200], rows=rows,
            status=STATUS["running"], database=kind.database, sha256=digest, county_code=county)
            .returning(A.ImportBatch.id)).scalar_one())


def _close_batch(batch_id: int, status: str, **values) -> None:
    with engine("app").begin() as conn:
        conn.execute(update(A.ImportBatch).where(A.ImportBatch.id == batch_id).values(status=STATUS[status], **values))


def _write(conn, kind: Kind, rows: pd.DataFrame, changes, batch_id: int, username: str,
           progress: Progress) -> tuple[int, int, int, set[str]]:
    """Insert new rows, update changed ones, log both; returns inserted, updated, unchanged and the counties the
    updated rows were in before (a household moved to another county changes both counties' summaries)."""
    table = kind.table
    pk = [c.name for c in table.primary_key.columns]
    cols = [c.name for c in table.columns if c.name in rows.columns or c.name in STAMPS]
    records = _records(kind, rows, username)
    existing = _existing(conn, kind, records)
    auto_id = pk == ["id"] and "id" not in rows.columns
    next_id = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1 if auto_id else None
    new, changed, same, log_rows, moved = [], [], 0, [], set()
    compared = [(c, table.c[c]) for c in cols if c not in pk and c not in STAMPS]
    risks = _stored_risks(conn, [o["id"] for o in existing.values()]) if kind.key == "case" else {}
    for rec in records:
        old = existing.get(tuple(rec[k] for k in kind.natural_key))
        if old is None:
            if auto_id:
                rec["id"], next_id = next_id, next_id + 1
            new.append(rec)
            log_rows.append(_log(batch_id, table.name, "insert", {k: rec[k] for k in pk}, None))
        elif any(not _same(col, rec.get(c), old.get(c)) for c, col in compared) or (
                kind.key == "case" and _risk_set(rec) != risks.get(old["id"])):
            for k in pk:
                rec[k] = old[k]
            changed.append(rec)
            log_rows.append(_log(batch_id, table.name, "update", {k: old[k] for k in pk}, old))
            was = old.get("county_code") or (old.get("village_code") or "")[:6]
            if was:
                moved.add(was)
        else:
            same += 1
            if kind.key == "case":
                rec["id"] = old["id"]
    total = max(len(new) + len(changed), 1)
    done = 0
    for start in range(0, len(new), CHUNK):
        part = new[start:start + CHUNK]
        conn.execute(insert(table), [{c: r.get(c) for c in cols + (["id"] if auto_id else [])} for r in part])
        done += len(part)
        progress(0.9 * done / total, f"已写入 {done:,} / {total:,} 行")
    if changed:
        stmt = update(table).where(and_(*[table.c[k] == bindparam(f"pk_{k}") for k in pk])).values(
            {c: bindparam(c) for c in cols if c not in pk})
        for start in range(0, len(changed), CHUNK):
            part = changed[start:start + CHUNK]
            conn.execute(stmt, [{**{c: r.get(c) for c in cols if c not in pk}, **{f"pk_{k}": r[k] for k in pk}}
                                for r in part])
            done += len(part)
            progress(0.9 * done / total, f"已写入 {done:,} / {total:,} 行")
    if kind.key == "case":
        log_rows += _write_risks(conn, new + changed, batch_id)
    for start in range(0, len(log_rows), CHUNK):
        conn.execute(insert(changes), log_rows[start:start + CHUNK])
    return len(new), len(changed), same, moved


def _records(kind: Kind, rows: pd.DataFrame, username: str) -> list[dict]:
    out = []
    now = datetime.now()
    for rec in rows.to_dict("records"):
        rec = {k: _plain(v) for k, v in rec.items()}
        if kind.key == "task_progress":
            rec["reported_by"], rec["reported_at"] = username[:40], now
        out.append(rec)
    return out


def _plain(v):
    if v is None or v is pd.NaT or isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if hasattr(v, "item") and not isinstance(v, (list, str)):
        return v.item()
    return v


def _existing(conn, kind: Kind, records: list[dict]) -> dict[tuple, dict]:
    """The table's rows with the records' natural keys, fetched by the key's first column in chunks."""
    table, key = kind.table, kind.natural_key
    first = sorted({r[key[0]] for r in records if r.get(key[0]) is not None})
    wanted = {tuple(r[k] for k in key) for r in records}
    out = {}
    for start in range(0, len(first), 500):
        for row in conn.execute(select(table).where(table.c[key[0]].in_(first[start:start + 500]))).mappings():
            k = tuple(_norm(table.c[c], row[c]) for c in key)
            if k in wanted:
                out[k] = dict(row)
    return out


def _norm(col, v):
    if v is None:
        return None
    if isinstance(col.type, DateTime):
        return v
    if isinstance(col.type, Date) and isinstance(v, datetime):
        return v.date()
    if isinstance(col.type, Boolean):
        return bool(v)
    if isinstance(col.type, Integer) and not isinstance(v, bool):
        return int(v)
    return v


def _same(col, new, old) -> bool:
    if type(new) is type(old) and new == old:  # the usual case, decided as below would decide it
        return True
    new, old = _norm(col, new), _norm(col, old)
    if new is None or old is None:
        return new is None and old is None
    if isinstance(col.type, Float) or isinstance(new, float) or isinstance(old, float):
        return math.isclose(float(new), float(old), rel_tol=1e-9, abs_tol=1e-6)
    return new == old


def _json(v):
    if isinstance(v, datetime):
        return {"dt": v.isoformat()}
    if isinstance(v, date):
        return {"d": v.isoformat()}
    return v


def _unjson(v):
    if isinstance(v, dict):
        return datetime.fromisoformat(v["dt"]) if "dt" in v else date.fromisoformat(v["d"])
    return v


def _log(batch_id: int, table: str, op: str, key: dict, before: dict | None) -> dict:
    return {"batch_id": batch_id, "table_name": table, "op": op,
            "row_key": json.dumps({k: _json(v) for k, v in key.items()}, sort_keys=True, ensure_ascii=False),
            "before": None if before is None else json.dumps({k: _json(v) for k, v in before.items()}, ensure_ascii=False)}


def _risk_set(case: dict) -> frozenset:
    """A case's risks as the file gives them: (risk, 因灾 subtype) pairs."""
    return frozenset((r, case.get("_disaster") if r == "因灾" else None) for r in case.get("_risks") or [])


def _stored_risks(conn, case_ids: list[int]) -> dict[int, frozenset]:
    """The stored risks of cases (a re-import whose only change is a case's risks is a change)."""
    R = M.CaseRisk.__table__
    out: dict[int, set] = {i: set() for i in case_ids}
    for start in range(0, len(case_ids), 500):
        for cid, risk, sub in conn.execute(select(R.c.case_id, R.c.risk, R.c.disaster_subtype)
                                           .where(R.c.case_id.in_(case_ids[start:start + 500]))):
            out[cid].add((risk, sub))
    return {k: frozenset(v) for k, v in out.items()}


def _write_risks(conn, cases: list[dict], batch_id: int) -> list[dict]:
    """A case's risks are replaced by the file's (old ones logged as deleted)."""
    R = M.CaseRisk.__table__
    ids = [c["id"] for c in cases]
    logs = []
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        for old in conn.execute(select(R).where(R.c.case_id.in_(part))).mappings():
            logs.append(_log(batch_id, R.name, "delete", {"id": old["id"]}, dict(old)))
        conn.execute(delete(R).where(R.c.case_id.in_(part)))
    next_id = (conn.execute(select(func.max(R.c.id))).scalar() or 0) + 1
    new = []
    for c in cases:
        for risk in c.get("_risks") or []:
            new.append({"id": next_id, "case_id": c["id"], "risk": risk,
                        "disaster_subtype": c.get("_disaster") if risk == "因灾" else None})
            logs.append(_log(batch_id, R.name, "insert", {"id": next_id}, None))
            next_id += 1
    for start in range(0, len(new), CHUNK):
        conn.execute(insert(R), new[start:start + CHUNK])
    return logs


def batches(*, county: str | None = None, limit: int = 200) -> pd.DataFrame:
    """Import batches newest first (a county's own when given). Columns: id, at, username, kind, title, filename,
    sha256, rows, inserted, updated, unchanged, status, county_code (a county account's), counties (whose rows it
    changed, comma-separated), rolled_back_at, rolled_back_by."""
    B = A.ImportBatch
    q = select(B.id, B.at, B.username, B.kind, B.filename, B.sha256, B.rows, B.inserted, B.updated, B.unchanged,
               B.status, B.county_code, B.counties, B.rolled_back_at, B.rolled_back_by).order_by(B.id.desc()).limit(limit)
    if county:
        q = q.where(B.county_code == county)
    with engine("app").connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=["id", "at", "username", "kind", "filename", "sha256", "rows",
                                                          "inserted", "updated", "unchanged", "status", "county_code",
                                                          "counties", "rolled_back_at", "rolled_back_by"])
    df.insert(4, "title", df["kind"].map(lambda k: KINDS[k].title if k in KINDS else k))
    return df


def rollback(batch_id: int, *, username: str, county: str | None = None, address: str | None = None) -> int:
    """Undo a batch as a whole (its inserts deleted, overwritten rows restored) in one transaction; returns the rows
    restored or removed. Refused when a later batch changed the same rows, or other data now refers to them."""
    B = A.ImportBatch
    with engine("app").connect() as conn:
        batch = conn.execute(select(B).where(B.id == batch_id)).mappings().first()
    if batch is None or (county and batch["county_code"] != county):
        raise ImportFailed("没有这个导入批次,或不是本县(市)区导入的批次。")
    if batch["status"] != STATUS["done"]:
        raise ImportFailed(f"批次 {batch_id} 的状态是“{batch['status']}”,只有“已导入”的批次可以撤销。")
    kind = KINDS[batch["kind"]]
    changes = _changes(kind.database)
    with _LOCKS[kind.database], engine(kind.database).begin() as conn:
        mine = conn.execute(select(changes).where(changes.c.batch_id == batch_id).order_by(changes.c.id.desc())).mappings().all()
        later = _later_batches(conn, changes, batch_id, mine)
        if later:
            raise ImportFailed(f"批次 {', '.join(map(str, sorted(later)))} 后来又修改了本批次的数据,请先撤销这些批次。")
        try:
            _undo_all(conn, kind.database, mine)
            conn.execute(delete(changes).where(changes.c.batch_id == batch_id))
        except IntegrityError:
            raise ImportFailed("其他数据引用了本批次导入的记录(例如后来导入的家庭成员或帮扶措施),"
                               "请先撤销引用它们的批次。数据库未作任何改动。") from None
    with engine("app").begin() as conn:
        conn.execute(update(B).where(B.id == batch_id).values(status=STATUS["undone"], rolled_back_at=datetime.now(),
                                                              rolled_back_by=username[:40]))
    audit.record(username, "import", f"撤销导入批次 {batch_id}({kind.title}“{batch['filename']}”),"
                                     f"还原 {len(mine):,} 处改动", address)
    if mine:
        after_change(kind, batch["since"], [c for c in (batch["counties"] or "").split(",") if c] or None)
    return len(mine)


def _later_batches(conn, changes, batch_id: int, mine) -> set[int]:
    """Batches after this one that changed any of its rows (looked up 500 keys at a time: drivers cap the
    number of bound parameters)."""
    found: set[int] = set()
    for table in {c["table_name"] for c in mine}:
        keys = sorted({c["row_key"] for c in mine if c["table_name"] == table})
        for start in range(0, len(keys), 500):
            found |= set(conn.execute(select(changes.c.batch_id).distinct().where(
                changes.c.batch_id > batch_id, changes.c.table_name == table,
                changes.c.row_key.in_(keys[start:start + 500]))).scalars())
    return found


def _undo_all(conn, database: str, mine) -> None:
    """Undo the changes newest first; a run of consecutive changes of one kind (same table, operation and
    columns) goes to the driver as one executemany: each row of a batch is logged once, so their order within
    the run does not matter (50,000 single DELETEs took 5 s of CPU on SQLite, one executemany under 1 s)."""
    from data_access.models import BASES

    run_key, params = None, []
    for change in mine:
        key = {k: _unjson(v) for k, v in json.loads(change["row_key"]).items()}
        before = None if change["op"] == "insert" else {k: _unjson(v) for k, v in json.loads(change["before"]).items()}
        this = (change["table_name"], change["op"], tuple(key), tuple(before or ()))
        if this != run_key:
            _undo_run(conn, BASES[database].metadata.tables, run_key, params)
            run_key, params = this, []
        params.append((key, before))
    _undo_run(conn, BASES[database].metadata.tables, run_key, params)


def _undo_run(conn, tables, run_key, params: list[tuple[dict, dict | None]]) -> None:
    if not params:
        return
    name, op, key_cols, _ = run_key
    table = tables[name]
    where = and_(*[table.c[k] == bindparam(f"pk_{k}") for k in key_cols])
    keyed = [{f"pk_{k}": v for k, v in key.items()} for key, _ in params]
    if op == "insert":
        conn.execute(delete(table).where(where), keyed)
    elif op == "update":
        values = [k for k in params[0][1] if k not in key_cols]
        conn.execute(update(table).where(where).values({k: bindparam(k) for k in values}),
                     [{**pk, **{k: before[k] for k in values}} for pk, (_, before) in zip(keyed, params)])
    else:
        conn.execute(insert(table), [before for _, before in params])
