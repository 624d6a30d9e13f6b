"""EXPLAIN ANALYZE of every list query on the configured PostgreSQL databases (`python -m bench.explain`).

Each list function of data_access runs once per county filter (and per status for the case list); the SQL it sends
is caught on the way to the driver and run again under EXPLAIN (ANALYZE, FORMAT JSON) with the same parameters.
Prints per function the slowest statement's execution time and any sequential scan of a person-level table, and
writes data/explain.json. Point MONITORING_DB_URL etc. at a database seeded with `--scale 10` first.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from sqlalchemy import event

BIG = {"household", "member", "monitoring_case", "case_risk", "measure", "guarantee_check", "visit", "income_record",
       "department_alert"}  # person-level tables: a list may read them only through an index
OUT = Path(__file__).resolve().parent.parent / "data" / "explain.json"


def _calls(as_of: date, county: str):
    """(name, function taking no arguments) for every list query, filtered to one county."""
    from data_access import households, lists
    from data_access.scope import Scope

    scope = Scope("bench", "office", None)
    start = date(as_of.year, 1, 1)
    yield "case_count", lambda: households.case_count(scope, as_of=as_of, county=county)
    for status in (None, *households.STATUSES):
        yield f"case_list[{status or '全部'}]", (lambda s=status: households.case_list(scope, as_of=as_of, county=county,
                                                                                     status=s))
    for name in ("overdue_cases", "no_measure_cases", "unmatched_cases", "no_developmental_cases", "unvisited_cases",
                 "pending_alerts", "unsafe_housing", "unsafe_water", "dropouts", "uninsured", "weak_projects"):
        function = getattr(lists, name)
        yield name, (lambda f=function: f(scope, as_of=as_of, county=county))
    yield "late_decisions", lambda: lists.late_decisions(scope, start=start, end=as_of, county=county)
    yield "violating_eliminations", lambda: lists.violating_eliminations(scope, start=start, end=as_of, province=None,
                                                                        county=county)


def _walk(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _walk(child)


def explain(as_of: date | None = None, counties: list[str] | None = None) -> dict:
    """Per list function: the slowest statement's server time (ms), wall time of the call, and big-table seq scans."""
    from data_access import areas, db

    as_of = as_of or areas.data_date()
    counties = counties or areas.regions("county")["code"].tolist()
    engines = [db.engine("monitoring"), db.engine("industry")]
    if any(e.dialect.name != "postgresql" for e in engines):
        raise SystemExit("bench.explain: MONITORING_DB_URL and INDUSTRY_DB_URL must name PostgreSQL databases")
    caught: list[tuple] = []

    def catch(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001
        if statement.lstrip().upper().startswith("SELECT"):
            caught.append((conn.engine, statement, parameters))

    for e in engines:
        event.listen(e, "before_cursor_execute", catch)
    results: dict[str, dict] = {}
    try:
        for county in counties:
            for name, call in _calls(as_of, county):
                caught.clear()
                t0 = time.perf_counter()
                call()
                wall = (time.perf_counter() - t0) * 1000
                statements = list(caught)
                row = results.setdefault(name, {"max_exec_ms": 0.0, "max_wall_ms": 0.0, "seq_scans": set()})
                row["max_wall_ms"] = max(row["max_wall_ms"], wall)
                for eng, statement, params in statements:
                    with eng.connect() as conn:
                        plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params).scalar()
                    top = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
                    row["max_exec_ms"] = max(row["max_exec_ms"], top["Execution Time"])
                    row["seq_scans"] |= {n.get("Relation Name") for n in _walk(top["Plan"])
                                         if n.get("Node Type") == "Seq Scan" and n.get("Relation Name") in BIG}
    finally:
        for e in engines:
            event.remove(e, "before_cursor_execute", catch)
    return {k: {**v, "max_exec_ms": round(v["max_exec_ms"], 1), "max_wall_ms": round(v["max_wall_ms"], 1),
                "seq_scans": sorted(v["seq_scans"])} for k, v in results.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__.splitlines()[0])
    parser.add_argument("--county", action="append", help="only these county codes (default: every county)")
    parser.add_argument("--label", default="", help="a label stored with the result (e.g. before/after)")
    args = parser.parse_args(argv)
    results = explain(counties=args.county)
    print(f"{'list query':<28}{'max exec ms':>12}{'max wall ms':>12}  seq scans of person-level tables")
    for name, r in results.items():
        print(f"{name:<28}{r['max_exec_ms']:>12.1f}{r['max_wall_ms']:>12.1f}  {', '.join(r['seq_scans']) or '—'}")
    OUT.parent.mkdir(exist_ok=True)
    saved = json.loads(OUT.read_text()) if OUT.is_file() else {}
    saved[args.label or "latest"] = results
    OUT.write_text(json.dumps(saved, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
