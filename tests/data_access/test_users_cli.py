"""The account CLI (python -m data_access.users), called through main() with a fake stdin."""

from __future__ import annotations

import io
import re

import pytest
from argon2 import PasswordHasher

from data_access import accounts, audit, users
from data_access.accounts import AccountError
from tests.conftest import using

PW = "Chief4passw0rd"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def app_dir(tmp_path, monkeypatch):
    """An empty data folder (main() creates the app tables itself); cheap argon2 parameters."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with using(DASHBOARD_DATA_DIR=str(tmp_path)):
        yield tmp_path


def run(monkeypatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return users.main(list(argv))


def test_add_creates_a_working_account(monkeypatch, capsys, app_dir):
    code = run(monkeypatch, "add", "--username", "chief", "--role", "office", "--password-stdin", stdin=PW + "\n")
    assert code == 0
    assert capsys.readouterr().out.strip() == "已创建账号 chief(领导小组办公室)"
    assert (app_dir / "app.db").is_file()
    acc = accounts.authenticate("chief", PW)
    assert (acc.username, acc.role, acc.county) == ("chief", "office", None)
    df = audit.entries(action="user_change")
    assert list(df["username"]) == ["cli"] and list(df["detail"]) == ["创建用户 chief,角色 领导小组办公室"]


def test_add_county_account_with_name(monkeypatch, capsys):
    code = run(monkeypatch, "add", "--username", "wk01", "--role", "county", "--county", "231221", "--name", "望奎县管理员",
               "--password-stdin", stdin=PW + "\n")
    assert code == 0
    acc = accounts.authenticate("wk01", PW)
    assert (acc.role, acc.county, acc.display_name) == ("county", "231221", "望奎县管理员")


@pytest.mark.parametrize(("argv", "password", "message"), [
    (("--role", "boss"), PW, "错误:未知角色:boss"),
    (("--role", "office"), "short1", "错误:密码至少10位,且须同时包含字母和数字"),
    (("--role", "office"), "", "错误:密码至少10位,且须同时包含字母和数字"),
    (("--role", "office"), "onlyletterspassword", "错误:密码至少10位,且须同时包含字母和数字"),
    (("--role", "county"), PW, "错误:县(市)区账号必须指定6位县级区划代码"),
    (("--role", "county", "--county", "23122"), PW, "错误:县(市)区账号必须指定6位县级区划代码"),
])
def test_add_refuses_with_exit_code_2_and_a_chinese_message(monkeypatch, capsys, argv, password, message):
    code = run(monkeypatch, "add", "--username", "chief", *argv, "--password-stdin", stdin=password + "\n")
    assert code == 2
    out, err = capsys.readouterr()
    assert err.strip() == message and CJK.search(err)
    assert out == ""
    assert accounts.users().empty


def test_add_refuses_a_duplicate(monkeypatch, capsys):
    assert run(monkeypatch, "add", "--username", "chief", "--role", "office", "--password-stdin", stdin=PW) == 0
    assert run(monkeypatch, "add", "--username", "chief", "--role", "admin", "--password-stdin", stdin=PW) == 2
    assert capsys.readouterr().err.strip() == "错误:用户名 chief 已存在"
    assert list(accounts.users()["role"]) == ["office"]


def test_list_prints_the_accounts(monkeypatch, capsys):
    run(monkeypatch, "add", "--username", "chief", "--role", "office", "--password-stdin", stdin=PW)
    run(monkeypatch, "add", "--username", "wk01", "--role", "county", "--county", "231221", "--password-stdin", stdin=PW)
    capsys.readouterr()
    assert run(monkeypatch, "list") == 0
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert lines[0].split()[:4] == ["username", "display_name", "role", "county_code"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert set(rows) == {"chief", "wk01"}
    assert "office" in rows["chief"] and "county" in rows["wk01"] and "231221" in rows["wk01"]
    assert PW not in out and "argon2" not in out


def test_list_on_an_empty_database(monkeypatch, capsys):
    assert run(monkeypatch, "list") == 0
    assert "username" in capsys.readouterr().out  # the header of an empty table


def test_passwd_and_disable(monkeypatch, capsys):
    run(monkeypatch, "add", "--username", "chief", "--role", "office", "--password-stdin", stdin=PW)
    assert run(monkeypatch, "passwd", "--username", "chief", "--password-stdin", stdin="Other4passw0rd\n") == 0
    assert accounts.authenticate("chief", "Other4passw0rd").username == "chief"
    assert run(monkeypatch, "passwd", "--username", "nobody", "--password-stdin", stdin="Other4passw0rd\n") == 2
    assert run(monkeypatch, "disable", "--username", "chief") == 0
    assert "已停用 chief" in capsys.readouterr().out
    with pytest.raises(AccountError, match="账号已停用"):
        accounts.authenticate("chief", "Other4passw0rd")


def test_missing_arguments_exit_2(monkeypatch):
    with pytest.raises(SystemExit) as e:
        run(monkeypatch, "add", "--username", "chief")  # no --role: argparse's own usage error
    assert e.value.code == 2
