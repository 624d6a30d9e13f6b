"""Import figures for `make bench`: a 50,000-row 农户信息 workbook through read → check → write, again, and rolled back.

Usage: python -m bench.imports --data FOLDER [--rows 50000] [--json OUT] (FOLDER: a seeded data folder; the database
URLs come from the environment as for the app; `make bench` calls measure() instead).

Two child processes, so that the peak RSS is the import's own: the first (`--build`) writes the workbook with
openpyxl's write-only mode (new head ID numbers valid under GB 11643, village codes from the region table, the
other columns plausible), the second (`--child`) reads the file's bytes and times the stages the data page runs:
imports.read, imports.check and imports.run (whose write_rows_s ends at its last progress report before the
summaries, scores and planner statistics are refreshed: refresh_s), then the same file again (read + check + run:
nothing inserted, every row unchanged), then imports.rollback of the first batch. Peak RSS is the child's
ru_maxrss after the first import (base_rss_mb: before the file was read, modules loaded).
Note: the import changes the data folder's databases (the rollback restores the households, the batches stay).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 50_000
KIND = "household"
USER = "bench"
PREFIX = "231221"  # registration code of the generated ID numbers (any era's code passes the check)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红建国文志海波春雪梅凤荣林德福宝山"


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports KiB


def head_ids(n: int, taken: set[str]):
    """n new 18-digit ID numbers (GB 11643 check digit), none of them in taken."""
    from stdnum.cn import ric

    out, i = [], 0
    start = date(1950, 1, 1)
    while len(out) < n:
        body = PREFIX + f"{start + timedelta(days=i // 1000):%Y%m%d}" + f"{i % 1000:03d}"
        number = body + ric.calc_check_digit(body + "0")  # the digit is computed from the first 17 only
        if number not in taken:
            out.append(number)
        i += 1
    return out


def build(path: Path, rows: int, seed: int = 20261128) -> None:
    """Write a 农户信息 workbook of `rows` new households (template headers, text cells) to path."""
    from openpyxl import Workbook
    from sqlalchemy import select

    from data_access.db import engine
    from data_access.imports import KINDS
    from data_access.models.monitoring import Household, Region

    with engine("monitoring").connect() as conn:
        villages = sorted(conn.execute(select(Region.code).where(Region.level == "village")).scalars())
        taken = set(conn.execute(select(Household.head_id_number)).scalars())
    if not villages:
        raise SystemExit("bench.imports: the region table has no villages: seed the data folder first")
    rng = random.Random(seed)
    kind = KINDS[KIND]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(kind.title)
    ws.append([f.header for f in kind.fields])
    for number in head_ids(rows, taken):
        size = rng.randint(1, 6)
        ws.append([rng.choice(villages), rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
                   number, f"13{rng.randrange(10**9):09d}" if rng.random() < 0.8 else None, size,
                   "是" if rng.random() < 0.6 else "否", "是" if rng.random() < 0.15 else "否",
                   "是" if rng.random() < 0.03 else "否", rng.randint(0, size)])
    wb.save(path)


def child(path: Path, out: Path) -> None:
    """Time read, check and write of the file, the same again, and the rollback; write the figures to out."""
    from data_access import imports
    from data_access.db import engine

    engine("monitoring"), engine("app")  # connections and modules are not part of the import
    data, kind = path.read_bytes(), imports.KINDS[KIND]
    base = _rss_mb()

    def once() -> tuple[dict, imports.Outcome]:
        marks = {}

        def progress(fraction: float, message: str) -> None:
            if fraction >= 0.95 and "refresh" not in marks:
                marks["refresh"] = time.perf_counter()

        t0 = time.perf_counter()
        sheet = imports.read(data, path.name, kind)
        t1 = time.perf_counter()
        checked = imports.check(kind, sheet)
        t2 = time.perf_counter()
        if not checked.ok:
            raise SystemExit(f"bench.imports: the file did not pass the check: {checked.problems[:5]}")
        outcome = imports.run(checked, data=data, filename=path.name, username=USER, progress=progress)
        t3 = time.perf_counter()
        rows_done = marks.get("refresh", t3)
        return {"read_s": t1 - t0, "check_s": t2 - t1, "write_s": t3 - t2, "write_rows_s": rows_done - t2,
                "refresh_s": t3 - rows_done, "total_s": t3 - t0}, outcome

    first, done = once()
    peak = _rss_mb()
    again, redone = once()
    t0 = time.perf_counter()
    undone = imports.rollback(done.batch_id, username=USER)
    rollback_s = time.perf_counter() - t0
    r = lambda x: round(x, 2)  # noqa: E731
    out.write_text(json.dumps({
        "rows": done.rows, **{k: r(v) for k, v in first.items()}, "peak_rss_mb": peak, "base_rss_mb": base,
        "inserted": done.inserted, "reimport_s": r(again["total_s"]),
        "reimport": {k: r(v) for k, v in again.items() if k != "total_s"},
        "reimport_inserted": redone.inserted, "reimport_updated": redone.updated, "reimport_unchanged": redone.unchanged,
        "rollback_s": r(rollback_s), "rolled_back": undone, "peak_rss_all_mb": _rss_mb(),
        "file_mb": round(len(data) / 1024 / 1024, 2)}))


def measure(env: dict[str, str], rows: int = ROWS, say=print) -> dict:
    """Build the workbook and measure its import in two child processes with `env` (the data folder or database
    URLs); returns {"import": figures}."""
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        book, out = Path(tmp) / f"农户信息-{rows}.xlsx", Path(tmp) / "import.json"
        t0 = time.perf_counter()
        _step([sys.executable, "-m", "bench.imports", "--build", str(book), "--rows", str(rows)], env, "building")
        say(f"[bench] import: built {rows:,} 农户信息 rows ({book.stat().st_size / 1024 / 1024:.1f} MB) in "
            f"{time.perf_counter() - t0:.1f} s; reading, checking and writing ...")
        _step([sys.executable, "-m", "bench.imports", "--child", str(book), "--out", str(out)], env, "the import")
        figures = json.loads(out.read_text())
    if figures["reimport_inserted"] or figures["reimport_unchanged"] != figures["rows"]:
        raise SystemExit(f"bench: importing the same file again changed data: {figures}")
    return {"import": figures}


def _step(cmd: list[str], env: dict[str, str], what: str) -> None:
    rc = subprocess.run(cmd, cwd=ROOT, env=env).returncode
    if rc:
        sys.exit(f"bench: import {what} failed (exit {rc})")


def report(figures: dict, label: str = "") -> None:
    """One line for bench's table."""
    f = figures["import"]
    print(f"\nimport{label}: {f['rows']:,} 农户信息 rows: read {f['read_s']:.1f} s, check {f['check_s']:.1f} s, write "
          f"{f['write_s']:.1f} s (rows {f['write_rows_s']:.1f} s + refresh {f['refresh_s']:.1f} s), total "
          f"{f['total_s']:.1f} s, peak RSS {f['peak_rss_mb']:.0f} MB (before {f['base_rss_mb']:.0f} MB); "
          f"again (all unchanged) {f['reimport_s']:.1f} s; rollback {f['rollback_s']:.1f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a seeded data folder")
    parser.add_argument("--rows", type=int, default=ROWS, help=f"rows of the workbook (default {ROWS:,})")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # internal: write the workbook here
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # internal: import this workbook
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)  # internal: the child's figures
    args = parser.parse_args(argv)
    if args.build:
        return build(args.build, args.rows)
    if args.child:
        return child(args.child, args.out)
    if not args.data:
        parser.error("--data is required")
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(args.data.resolve())}
    figures = measure(env, args.rows)
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
