"""`make bench`: every page cold and warm against a title-only floor page per scale and backend, the load, an import.

Usage: python -m bench.run [--scales 1 10] [--runs 7] [--backends sqlite postgresql]
[--load-only | --pages-only | --imports-only] [--load-scale 1] [--users 1 10 20] [--rush 20 40] [--think 0]
[--no-cold-start] [--imports-scale 1] [--import-rows 50000] [--no-imports] [--data FOLDER (with --load-only)].
Prints tables and writes data/bench.json (SQLite, DESIGN.md §8) and data/bench-postgresql.json (the same shape) when
PostgreSQL answers at BENCH_POSTGRES_URL (default postgresql+psycopg://root@127.0.0.1:5432/postgres; the data go to
its databases bench_monitoring, bench_industry and bench_app, created when missing). A run that measures only the
pages, only the load or only the import keeps the other parts of the file from the last run.
Per scale: the seed CLI runs in its own subprocess (timed as seed_s), then the assessment backfill of every week since
2021 (timed as backfill_s), then ONE child process (`--child`) measures
every page with streamlit.testing.v1.AppTest: a fresh AppTest per run, after a warm-up run; warm keeps the caches,
cold follows st.cache_data.clear() and clearing the county-map figures (the static geometry in st.cache_resource
is kept). Values are medians. At the load scale, bench/load.py adds `load` (simulated users over Streamlit's
websocket protocol: p50/p95 per action, errors, peak server RSS; simultaneous sign-ins) and `cold_start_ms`.
Last, at the imports scale, bench/imports.py adds `import`: a 50,000-row 农户信息 workbook read, checked and written
(seconds per stage, peak RSS of its own process), imported again (nothing changes) and rolled back; an --imports-only
run seeds without the assessment backfill (the import only forgets scores from the data date on).
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import imports, load

PAGES = {  # page URL -> page file relative to app.py; a new page is one line here
    "/": "views/overview.py",
    "/map": "views/map.py",
    "/monitoring": "views/monitoring.py",
    "/ovop": "views/ovop.py",
    "/collective": "views/collective.py",
    "/projects": "views/projects.py",
    "/services": "views/services.py",
    "/assessment": "views/assessment.py",
    "/weekly": "views/weekly.py",
    "/screen": "views/screen.py",
}
ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
OUTS = {"sqlite": ROOT / "data" / "bench.json", "postgresql": ROOT / "data" / "bench-postgresql.json"}
BACKENDS = tuple(OUTS)
PG_ADMIN = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres")
PG_DATABASES = {"MONITORING_DB_URL": "bench_monitoring", "INDUSTRY_DB_URL": "bench_industry", "APP_DB_URL": "bench_app"}
SEED, AS_OF = 20261128, "2026-11-28"  # fixed, so runs are comparable
PAST = "2025-06-29"  # a past Sunday (weekly report date): every page is also measured there
NO_PAST = {"/screen"}  # the presentation screen always shows the data date
COLD_TARGET_MS = {"1": 1500, "10": 3000}
WARM_TARGET_X_FLOOR = {"1": 2.0}
RSS_TARGET_MB = 1024
FLOOR_PAGE = 'import streamlit as st\n\nst.title("空白页")\n'
DROPPED_ENV = ("MONITORING_DB_URL", "INDUSTRY_DB_URL", "APP_DB_URL", "DASHBOARD_DEMO_SCALE", "DASHBOARD_DEMO_SEED")


# --- child: runs inside the page-measuring process -------------------------------------------------------------

@functools.cache
def _office_token() -> tuple:
    from data_access import accounts

    acc = accounts.account("office")
    if acc is None:
        raise SystemExit("bench: the demo data has no 'office' account")
    return acc, accounts.issue_token(acc, "session")


def sign_in_as_office(at) -> None:
    """Sign the run in as the demo office (办公室) account, as DESIGN.md §8 asks."""
    from ui.auth import SESSION_KEY, state_for

    acc, token = _office_token()
    at.session_state[SESSION_KEY] = state_for(acc, token)


def timed_run(script: Path, page: str | None, as_of: str | None = None) -> float:
    """Milliseconds of one .run() of a fresh AppTest (switched to `page` when given, at the 统计时点 `as_of` when
    given); fails loudly on exceptions and on the pages' own error messages."""
    from datetime import date

    from streamlit.testing.v1 import AppTest

    from ui.components import PICKED

    at = AppTest.from_file(str(script), default_timeout=120)
    sign_in_as_office(at)
    if as_of:
        at.session_state[PICKED] = date.fromisoformat(as_of)
    if page:
        at.switch_page(page)
    start = time.perf_counter()
    at.run()
    ms = (time.perf_counter() - start) * 1000
    name = page or script.name
    if page and any(t.label == "用户名" for t in at.text_input):
        raise SystemExit(f"bench: {page} showed the sign-in form: not signed in")
    if at.exception:
        details = "\n".join(f"{e.message}\n{''.join(e.stack_trace or [])}" for e in at.exception)
        raise SystemExit(f"bench: {name} raised an exception:\n{details}")
    if any("错误编号" in e.value for e in at.error):
        raise SystemExit(f"bench: {name} showed an error: {[e.value for e in at.error]}")
    if as_of and not any(f"数据截至 {_cn(as_of)}" in c.value for c in at.caption):
        raise SystemExit(f"bench: {name} did not open at {as_of}")
    registered = getattr(at, "_registered_pages", None)  # private: guards against silently running the default page
    if page and registered is not None:
        ran = registered.get(getattr(at, "_page_hash", None), {}).get("script_path")
        if ran is None or Path(ran).resolve() != (APP.parent / page).resolve():
            raise SystemExit(f"bench: switch_page({page!r}) ran {ran!r} instead")
    return ms


def _cn(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def child(out: Path, runs: int) -> None:
    """Measure floor and pages in this process; write medians and peak RSS to `out` as JSON."""
    import streamlit as st

    from ui import cache

    logging.disable(logging.WARNING)  # hush bare-mode warnings ("missing ScriptRunContext") from clearing caches
    floor = out.parent / "floor_page.py"
    floor.write_text(FLOOR_PAGE, encoding="utf-8")
    targets = {"floor": (floor, None, None)}
    for url, f in PAGES.items():
        targets[url] = (APP, None if url == "/" else f, None)
        if url not in NO_PAST:
            targets[f"past {url}"] = (APP, None if url == "/" else f, PAST)
    for script, page, as_of in targets.values():  # warm-up: imports, st.cache_resource geometry, first caches
        timed_run(script, page, as_of)
    times = {key: {"cold_ms": [], "warm_ms": []} for key in targets}
    for i in range(runs):
        for key, (script, page, as_of) in targets.items():
            if key != "floor":
                st.cache_data.clear()
                cache.county_map.clear()  # a resource cache, but of per-indicator figures: cold rebuilds them
                times[key]["cold_ms"].append(timed_run(script, page, as_of))
            times[key]["warm_ms"].append(timed_run(script, page, as_of))
        last = " ".join(f"{k} {v['cold_ms'][-1]:.0f}/{v['warm_ms'][-1]:.0f}" for k, v in times.items() if v["cold_ms"])
        print(f"[bench]   run {i + 1}/{runs}: floor {times['floor']['warm_ms'][-1]:.0f} ms; cold/warm ms: {last}",
              file=sys.stderr, flush=True)
    med = {k: {m: round(statistics.median(v), 1) for m, v in d.items() if v} for k, d in times.items()}
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    out.write_text(json.dumps({"floor_ms": med.pop("floor")["warm_ms"], "pages": med, "peak_rss_mb": round(rss_mb, 1),
                               "briefing_ms": briefing_ms(runs)}))


def briefing_ms(runs: int) -> float:
    """Median milliseconds to build the 周调度通报 (facts, narrative, map image, .docx and .xlsx) at AS_OF."""
    from datetime import date

    from reports import weekly

    weekly.build(as_of=date.fromisoformat(AS_OF))  # warm-up: imports, county shapes
    spent = []
    for _ in range(max(runs // 2, 1)):
        start = time.perf_counter()
        weekly.build(as_of=date.fromisoformat(AS_OF))
        spent.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(spent), 1)


# --- parent: seeding, one child per scale, the load, tables and data/bench*.json -----------------------------------

def postgres_urls(required: bool) -> dict[str, str] | None:
    """The three bench databases (bench_monitoring, bench_industry, bench_app) on the PostgreSQL server of
    BENCH_POSTGRES_URL, created when missing (never the test suite's own database); None when unreachable."""
    import psycopg
    from psycopg import sql as psql
    from sqlalchemy.engine import make_url

    admin = make_url(PG_ADMIN)
    try:
        conn = psycopg.connect(host=admin.host, port=admin.port or 5432, user=admin.username, password=admin.password,
                               dbname=admin.database, connect_timeout=5, autocommit=True)
    except psycopg.Error as e:
        where = admin.render_as_string(hide_password=True)
        if required:
            sys.exit(f"bench: PostgreSQL not reachable at {where}: {e}")
        print(f"[bench] PostgreSQL not reachable at {where}: measuring SQLite only ({str(e).strip()[:120]})", flush=True)
        return None
    with conn:
        have = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
        for name in PG_DATABASES.values():
            if name not in have:
                conn.execute(psql.SQL("CREATE DATABASE {}").format(psql.Identifier(name)))  # DDL takes no parameters
    return {key: admin.set(database=name).render_as_string(hide_password=False) for key, name in PG_DATABASES.items()}


def env_for(folder: Path, urls: dict[str, str] | None = None) -> dict[str, str]:
    """Environment pointing every database at the demo files in `folder` (no secrets.toml, no DB URL overrides),
    or at `urls` (MONITORING_DB_URL, INDUSTRY_DB_URL, APP_DB_URL) when given."""
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env.update(DASHBOARD_DATA_DIR=str(folder), DASHBOARD_SECRETS=str(folder / "no-secrets.toml"), **(urls or {}))
    return env


def run_step(cmd: list[str], env: dict[str, str], what: str) -> float:
    start = time.perf_counter()
    rc = subprocess.run(cmd, cwd=ROOT, env=env).returncode
    if rc:
        sys.exit(f"bench: {what} failed (exit {rc})")
    return time.perf_counter() - start


def bench_scale(scale: str, args, backend: str, urls: dict[str, str] | None, pages: bool, load_here: bool,
                imports_here: bool = False) -> dict:
    """Seed one scale on one backend, then measure the pages (a child process), the load and/or the import (last: it
    changes the data)."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{backend}-scale{scale}-") as tmp:
        folder, label = Path(tmp), f"{backend} scale {scale}"
        env = env_for(folder, urls)
        where = folder if urls is None else "PostgreSQL " + ", ".join(PG_DATABASES.values())
        print(f"[bench] {label}: seeding into {where} (--seed {SEED} --as-of {AS_OF}) ...", flush=True)
        seed_s = run_step([sys.executable, "-m", "data_access.demo", "seed", "--scale", scale, "--seed", str(SEED),
                           "--as-of", AS_OF, "--no-backfill", *(["--overwrite-configured-databases"] if urls else [])],
                          env, f"seeding {label}")
        result = {"seed_s": round(seed_s, 1)}
        if pages or load_here:
            print(f"[bench] {label}: seeded in {seed_s:.1f} s; scoring every week since 2021 ...", flush=True)
            backfill_s = run_step([sys.executable, "-m", "assessment", "backfill"], env, f"backfill at {label}")
            result["backfill_s"] = round(backfill_s, 1)
            print(f"[bench] {label}: weeks scored in {backfill_s:.1f} s", flush=True)
        if pages:
            print(f"[bench] {label}: measuring pages, {args.runs} runs each ...", flush=True)
            out = folder / "bench-result.json"
            run_step([sys.executable, "-m", "bench.run", "--child", str(out), "--runs", str(args.runs)], env,
                     f"pages at {label}")
            result.update(runs=args.runs, **json.loads(out.read_text()))
        if load_here:
            result["load"] = load_figures(args, env, folder, label)
        if imports_here:
            result["import"] = imports.measure(env, args.import_rows, say=lambda m: print(
                m.replace("[bench] ", f"[bench] {label}: ", 1), flush=True))["import"]
            result["import"]["scale"] = scale
        return result


def load_figures(args, env: dict[str, str], folder: Path, label: str) -> dict:
    figures = load.measure(env, folder, args.users, args.rush, not args.no_cold_start, args.think,
                           say=lambda m: print(m.replace("[bench] ", f"[bench] {label}: ", 1), flush=True),
                           processes=args.processes)
    figures["load"]["scale"] = label.rsplit(" ", 1)[-1]
    return figures


def mark(ok: bool) -> str:
    return "OK" if ok else "MISS"


def report(results: dict[str, dict]) -> dict:
    """Print the page table of the scales measured and return bench.json's page keys."""
    print(f"\n{'page':<18}{'scale':>6}{'cold ms':>10}{'warm ms':>10}{'warm/floor':>12}  targets")
    for url in [key for u in PAGES for key in (u, f"past {u}") if key.removeprefix("past ") not in NO_PAST
                or not key.startswith("past ")]:
        for scale, r in results.items():
            p, floor = r["pages"][url], r["floor_ms"]
            ratio = p["warm_ms"] / floor
            checks = []
            if scale in COLD_TARGET_MS:
                checks.append(f"cold ≤ {COLD_TARGET_MS[scale]} ms {mark(p['cold_ms'] <= COLD_TARGET_MS[scale])}")
            if scale in WARM_TARGET_X_FLOOR:
                checks.append(f"warm ≤ {WARM_TARGET_X_FLOOR[scale]:g}× floor {mark(ratio <= WARM_TARGET_X_FLOOR[scale])}")
            print(f"{url:<18}{scale:>6}{p['cold_ms']:>10.0f}{p['warm_ms']:>10.0f}{ratio:>11.2f}×  {' · '.join(checks)}")
    print()
    for scale, r in results.items():
        print(f"scale {scale}: floor {r['floor_ms']:.0f} ms, seed {r['seed_s']:.1f} s, assessment weeks since 2021 "
              f"{r['backfill_s']:.1f} s, 周调度通报 {r['briefing_ms']:.0f} ms, peak RSS {r['peak_rss_mb']:.0f} MB, "
              f"medians of {r['runs']} runs")
    peak = max(r["peak_rss_mb"] for r in results.values())
    print(f"peak memory of the page processes: {peak:.0f} MB (target ≤ {RSS_TARGET_MB} MB) {mark(peak <= RSS_TARGET_MB)}")
    first = results.get("1") or next(iter(results.values()))
    return {"floor_ms": first["floor_ms"],
            "seed_s": {s: r["seed_s"] for s, r in results.items()},
            "backfill_s": {s: r["backfill_s"] for s, r in results.items()},
            "briefing_ms": {s: r["briefing_ms"] for s, r in results.items()},
            "peak_rss_mb": peak,
            "pages": {url: {**{s: r["pages"][url] for s, r in results.items()},
                            **({} if url in NO_PAST else
                               {"past": {s: r["pages"][f"past {url}"] for s, r in results.items()}})} for url in PAGES}}


def write(backend: str, data: dict) -> None:
    """Write one backend's figures; the parts not measured this time (pages or load) are kept from the last run."""
    out = OUTS[backend]
    old = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    if old.get("backend", "sqlite") != backend:
        old = {}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({**old, **data, "backend": backend}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}", flush=True)


def run_backend(backend: str, args, urls: dict[str, str] | None) -> None:
    """Every scale asked for on one backend: pages and/or load, tables, then data/bench*.json."""
    pages = not (args.load_only or args.imports_only)
    load_too = not (args.pages_only or args.imports_only)
    imports_too = args.imports_only or not (args.load_only or args.pages_only or args.no_imports or args.data)
    scales = sorted(set(args.scales if pages else []) | ({args.load_scale} if load_too else set())
                    | ({args.imports_scale} if imports_too else set()), key=float)
    if args.data:  # an already seeded folder (and databases): the load only, nothing seeded
        data = load_figures(args, env_for(args.data.resolve(), urls), args.data.resolve(), f"{backend} {args.data}")
        data["load"]["scale"] = f"folder {args.data}"
        results = {}
    else:
        results = {s: bench_scale(s, args, backend, urls, pages and s in args.scales, load_too and s == args.load_scale,
                                  imports_too and s == args.imports_scale) for s in scales}
        data = next((r.pop("load") for r in results.values() if "load" in r), {})
        data.update(next(({"import": r.pop("import")} for r in results.values() if "import" in r), {}))
    print(f"\n=== {backend} ===")
    measured = {s: r for s, r in results.items() if "pages" in r}
    if measured:
        data.update(report(measured))
        if not {"1", "10"} <= set(measured):
            print(f"(pages only at scales {', '.join(measured)})")
    if "load" in data:
        load.report(data, f" at {data['load']['scale']}")
    if "import" in data:
        imports.report(data, f" at scale {data['import']['scale']}")
    write(backend, data)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", default=["1", "10"], help="demo data scales of the pages (default: 1 10)")
    parser.add_argument("--runs", type=int, default=7, help="measured runs per page and mode (default 7)")
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, help="default: sqlite, and postgresql when reachable")
    parser.add_argument("--load-only", action="store_true", help="only the load figures and the cold start")
    parser.add_argument("--pages-only", action="store_true", help="only the page timings (the old make bench)")
    parser.add_argument("--imports-only", action="store_true", help="only the 50,000-row import (bench/imports.py)")
    parser.add_argument("--no-imports", action="store_true", help="skip the import")
    parser.add_argument("--imports-scale", default="1", help="demo data scale of the import (default 1)")
    parser.add_argument("--import-rows", type=int, default=imports.ROWS, help=f"rows of the imported workbook "
                        f"(default {imports.ROWS:,})")
    parser.add_argument("--load-scale", default="1", help="demo data scale of the load (default 1)")
    parser.add_argument("--users", type=int, nargs="*", default=[1, 10, 20], help="simultaneous users (default 1 10 20)")
    parser.add_argument("--rush", type=int, nargs="*", default=[20, 40], help="simultaneous sign-ins (default 20 40)")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the Chromium cold start")
    parser.add_argument("--think", type=float, default=0.0, help="seconds a user pauses before each page action (0)")
    parser.add_argument("--processes", type=int, default=1,
                        help="app processes of the load, behind HAProxy when above 1 (default 1)")
    parser.add_argument("--data", type=Path, help="with --load-only and one backend: an already seeded data folder "
                        "(for postgresql: the one holding the accounts file of the bench databases), not seeded again")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # internal: measure pages, write JSON here
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.runs)
    if sum((args.load_only, args.pages_only, args.imports_only)) > 1:
        parser.error("--load-only, --pages-only and --imports-only exclude each other")
    if args.imports_only and args.no_imports:
        parser.error("--imports-only and --no-imports exclude each other")
    if args.data and not (args.load_only and len(args.backends or ["sqlite"]) == 1):
        parser.error("--data goes with --load-only on one backend")
    backends = args.backends or (["sqlite"] if args.data else ["sqlite", "postgresql"])
    urls = {b: None if b == "sqlite" else postgres_urls(required=bool(args.backends)) for b in backends}
    for backend in backends:
        if backend == "sqlite" or urls[backend]:
            run_backend(backend, args, urls[backend])


if __name__ == "__main__":
    main()
