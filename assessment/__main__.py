"""CLI: python -m assessment backfill [--since YYYY-MM-DD] — score and store every week not stored yet."""

from __future__ import annotations

import argparse
import sys
from datetime import date


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assessment", description="考核评分")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("backfill", help="计算并保存尚未保存的各周考核得分(默认2021年以来)")
    p.add_argument("--since", type=date.fromisoformat, default=None, help="只计算此日期以后的周")
    args = parser.parse_args(argv)
    from assessment.rules import RulesError
    from assessment.snapshots import backfill

    def progress(done: int, total: int) -> None:
        print(f"\r计算各周考核得分 {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)

    try:
        result = backfill(progress=progress, since=args.since)
    except RulesError as e:
        print(str(e), file=sys.stderr)
        return 2
    print(f"已计算 {result['weeks']} 周考核得分,用时 {result['seconds']} 秒。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
