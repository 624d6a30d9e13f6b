"""CLI: python -m data_access.demo seed --scale N --seed S [--as-of YYYY-MM-DD]."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from data_access import bootstrap


def backfill() -> None:
    """Score every week since 2021 (the 考核排名 page's history), reporting the time it took."""
    from assessment.snapshots import backfill as run

    def progress(done: int, total: int) -> None:
        bootstrap.terminal_progress(done / total, f"计算历史各周考核得分 {done}/{total}")

    result = run(progress=progress)
    print(f"\n已计算 {result['weeks']} 周考核得分,用时 {result['seconds']} 秒。")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access.demo", description="演示数据生成")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("seed", help="生成演示数据(覆盖已有演示库)")
    p.add_argument("--scale", type=float, default=None, help="数据量倍数,默认 1")
    p.add_argument("--seed", type=int, default=None, help="随机种子")
    p.add_argument("--as-of", type=date.fromisoformat, default=None, help="数据截至日期,默认今天")
    p.add_argument("--if-missing", action="store_true", help="已有数据时不重新生成")
    p.add_argument("--no-backfill", action="store_true",
                   help="不计算历史各周考核得分(之后可运行 python -m assessment backfill)")
    p.add_argument("--url", default=None, help="看板地址,生成后提示用户打开(make run 传入)")
    p.add_argument("--overwrite-configured-databases", action="store_true",
                   help="确认向已配置的外部数据库写入演示数据(会清空这些库中的看板表)")
    args = parser.parse_args(argv)
    if args.if_missing and not bootstrap.uses_default_files():
        print("已配置外部数据库连接,不生成演示数据。")
        return 0
    if args.if_missing and bootstrap.has_data():
        print("演示数据已存在,跳过生成。")
        bootstrap.print_next_step(args.url)
        return 0
    if not bootstrap.uses_default_files() and not args.overwrite_configured_databases:
        print("已配置外部数据库连接:向其写入演示数据会删除并重建其中的看板表(含账号)。"
              "确需如此,请加 --overwrite-configured-databases。", file=sys.stderr)
        return 2
    counts = bootstrap.seed_demo(scale=args.scale, seed=args.seed, as_of=args.as_of,
                                 progress=bootstrap.terminal_progress,
                                 then=None if args.no_backfill else backfill)
    print(f"共写入 {sum(counts.values()):,} 行,{len(counts)} 张表。")
    bootstrap.print_next_step(args.url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
