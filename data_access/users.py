"""CLI for accounts: python -m data_access.users add --username NAME --role office [--county CODE]."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import inspect

from data_access import accounts
from data_access.db import engine
from data_access.models import AppBase
from data_access.scope import ROLES


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码: ")
    if getpass.getpass("再次输入密码: ") != first:
        raise accounts.AccountError("两次输入的密码不一致")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access.users", description="看板账号管理")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="创建账号(例如第一个管理员)")
    add.add_argument("--username", required=True)
    # no argparse choices: its "invalid choice" error is English; create_user says 未知角色 in Chinese
    add.add_argument("--role", required=True, help="角色:" + ",".join(f"{k}({v})" for k, v in ROLES.items()))
    add.add_argument("--county", help="县(市)区账号的6位区划代码")
    add.add_argument("--name", help="显示名称")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    pw = sub.add_parser("passwd", help="重置密码")
    pw.add_argument("--username", required=True)
    pw.add_argument("--password-stdin", action="store_true")
    dis = sub.add_parser("disable", help="停用账号")
    dis.add_argument("--username", required=True)
    sub.add_parser("list", help="列出账号")
    args = parser.parse_args(argv)
    AppBase.metadata.create_all(engine("app"), checkfirst=True)
    try:
        if args.command == "add":
            accounts.create_user(args.username, _password(args), args.role, args.county, by="cli",
                                 display_name=args.name)
            print(f"已创建账号 {args.username}({ROLES[args.role]})")
        elif args.command == "passwd":
            accounts.set_password(args.username, _password(args), by="cli")
            print(f"已重置 {args.username} 的密码")
        elif args.command == "disable":
            accounts.update_user(args.username, by="cli", disabled=True)
            print(f"已停用 {args.username}")
        else:
            if not inspect(engine("app")).has_table("app_user"):
                print("还没有账号")
                return 0
            print(accounts.users().to_string(index=False))
    except accounts.AccountError as e:
        print(f"错误:{e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
