"""Several app processes behind a reverse proxy (README 多进程部署): the example files under deploy/ run as written,
ports substituted, so the documentation cannot drift from what is tested.

Two processes start with the ExecStart line of deploy/dashboard@.service.example and the settings of
deploy/dashboard.env.example, on one shared data folder; the proxy (Debian's nginx or HAProxy) runs
deploy/nginx.conf.example or deploy/haproxy.cfg.example in front of them on loopback. A browser signs in through
the proxy, the process holding its session is stopped, and a reload through the proxy comes back signed in from the
other process (the session cookie is checked against the shared app database).

The forwarded address: on loopback the browser and the proxy are both 127.0.0.1, which would make the audit log
right even if the apps ignored the proxy's X-Forwarded-For. So here the proxy connects to the apps from 127.0.0.2
(as a proxy on its own host has its own address; the one test-only line added to each config), and the browser
sends an X-Forwarded-For of its own, 203.0.113.66, on every request. The apps trust all of 127.0.0.0/8, the
browser's address included, as when DASHBOARD_TRUSTED_PROXIES names a whole network where users also sit: the
audit log must record 127.0.0.1, the address the proxy forwarded, neither the proxy's own 127.0.0.2 (the header
was ignored) nor the forgery (the proxy appended to the browser's header instead of replacing it).
"""

from __future__ import annotations

import os
import pwd
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.conftest import _free_port, _page, sign_in
from tests.conftest import DEMO_SCALE

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PROXY_SOURCE = "127.0.0.2"  # the address the proxy connects to the apps from (see the module docstring)
TRUSTED = "127.0.0.0/8"  # DASHBOARD_TRUSTED_PROXIES of the apps: the proxy, and the browser's address as well
FORGED = "203.0.113.66"  # an X-Forwarded-For the browser sends itself: never believed
INSTALL = {"nginx": "apt-get install nginx; make test does not, Debian's package starts a web server on port 80",
           "haproxy": "apt-get install haproxy; make test does when run as root"}


def _binary(name: str) -> str | None:
    found = shutil.which(name) or f"/usr/sbin/{name}"
    return found if os.access(found, os.X_OK) else None


def _replace(text: str, old: str, new: str, source: str) -> str:
    """Replace a line of an example file the README tells the reader to edit; the example must still hold it."""
    assert text.count(old) == 1, f"{source} no longer holds {old!r} exactly once: update this test and the README"
    return text.replace(old, new)


def _wait_ok(url: str, what: str, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited ({proc.returncode}): {log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{what} did not answer {url}: {log.read_text(errors='replace')[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------------------------------------- the app processes


def _copy_data(src: Path, dst: Path) -> Path:
    """The seeded demo folder, copied (SQLite's backup: consistent while other tests read it) so that this test's
    sign-ins and audit rows stay out of the shared one."""
    dst.mkdir(mode=0o700)
    for db in src.glob("*.db"):
        a, b = sqlite3.connect(db), sqlite3.connect(dst / db.name)
        try:
            a.backup(b)
        finally:
            a.close()
            b.close()
    shutil.copy(src / "demo-accounts.csv", dst)
    return dst


def _unit_command(port: int) -> tuple[list[str], Path]:
    """The ExecStart line of the systemd unit for one port, and its WorkingDirectory (this repository)."""
    unit = (DEPLOY / "dashboard@.service.example").read_text()
    values = dict(line.split("=", 1) for line in unit.splitlines() if re.match(r"^(ExecStart|WorkingDirectory)=", line))
    argv = shlex.split(values["ExecStart"].replace("%i", str(port)))
    assert argv[0] == values["WorkingDirectory"] + "/.venv/bin/python", argv
    return [sys.executable, *argv[1:]], ROOT


def _unit_env(data: Path) -> dict[str, str]:
    """deploy/dashboard.env.example with this test's data folder and trusted proxies."""
    env = {}
    for line in (DEPLOY / "dashboard.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            env[key.strip()] = value.strip()
    assert {"DASHBOARD_DATA_DIR", "DASHBOARD_TRUSTED_PROXIES"} <= env.keys(), env
    return {**env, "DASHBOARD_DATA_DIR": str(data), "DASHBOARD_TRUSTED_PROXIES": TRUSTED}


@pytest.fixture()
def apps(tmp_path, demo_dir):
    """Two app processes on one copy of the seeded demo folder: {port: process}, and the folder."""
    data = _copy_data(demo_dir, tmp_path / "data")
    env = {**os.environ, **_unit_env(data), "DASHBOARD_DEMO_SCALE": str(DEMO_SCALE)}
    for key in ("MONITORING_DB_URL", "INDUSTRY_DB_URL", "APP_DB_URL", "DASHBOARD_SECRETS"):
        env.pop(key, None)
    procs: dict[int, subprocess.Popen] = {}
    logs = []
    try:
        for i in (1, 2):
            port = _free_port()
            argv, cwd = _unit_command(port)
            logs.append(open(tmp_path / f"app{i}.log", "w"))
            procs[port] = subprocess.Popen(argv, cwd=cwd, env=env, stdout=logs[-1], stderr=subprocess.STDOUT)
        for i, (port, proc) in enumerate(procs.items(), 1):
            _wait_ok(f"http://127.0.0.1:{port}/_stcore/health", f"app process {i}", proc, tmp_path / f"app{i}.log")
        yield procs, data
    finally:
        for proc in procs.values():
            _stop(proc)
        for log in logs:
            log.close()


# ---------------------------------------------------------------------------------------------------- the proxies


def _nginx_config(folder: Path, port: int, apps: list[int]) -> list[str]:
    source = "deploy/nginx.conf.example"
    text = (ROOT / source).read_text()
    text = _replace(text, "listen 80;", f"listen 127.0.0.1:{port};", source)
    text = _replace(text, "server 127.0.0.1:8501 ", f"server 127.0.0.1:{apps[0]} ", source)
    text = _replace(text, "server 127.0.0.1:8502 ", f"server 127.0.0.1:{apps[1]} ", source)
    text = _replace(text, "/var/log/nginx/dashboard.access.log", str(folder / "access.log"), source)
    text = _replace(text, "proxy_pass http://dashboard_apps;",
                    f"proxy_pass http://dashboard_apps;\n        proxy_bind {PROXY_SOURCE};  # test only", source)
    (folder / "dashboard.conf").write_text(text)
    # what Debian's /etc/nginx/nginx.conf provides around conf.d/*.conf, with every path in this folder; workers
    # run as this user (root only drops them to "nobody" when told to)
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    temp = " ".join(f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (folder / "nginx.conf").write_text(
        f"{user}\nworker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        f"events {{ worker_connections 512; }}\nhttp {{\n    {temp}\n    include {folder / 'dashboard.conf'};\n}}\n")
    return ["-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log"), "-g", "daemon off;"]


def _nginx_served_by(folder: Path, page) -> int:
    """The app port of the last request nginx logged for Streamlit's own routes (the page's health and host-config
    checks before each websocket): after a failed attempt the log lists both upstreams, the last one served."""
    lines = [line for line in (folder / "access.log").read_text().splitlines() if '"GET /_stcore/' in line]
    assert lines, "nginx logged no request to /_stcore/"
    upstream = re.search(r"upstream=(\S+(?:, \S+)*)", lines[-1]).group(1).split(", ")[-1]
    return int(upstream.rsplit(":", 1)[1])


HAPROXY_GLOBAL = """\
global
    log stdout format raw local0
    maxconn 256

defaults
    log global
    mode http
    option httplog
    option dontlognull
    timeout connect 5s
    timeout client 50s
    timeout server 50s
"""


def _haproxy_config(folder: Path, port: int, apps: list[int]) -> list[str]:
    source = "deploy/haproxy.cfg.example"
    text = (ROOT / source).read_text()
    text = _replace(text, "bind :80", f"bind 127.0.0.1:{port}", source)
    text = _replace(text, "127.0.0.1:8501 ", f"127.0.0.1:{apps[0]} ", source)
    text = _replace(text, "127.0.0.1:8502 ", f"127.0.0.1:{apps[1]} ", source)
    text = _replace(text, "\nbackend dashboard_apps\n", f"\nbackend dashboard_apps\n    source {PROXY_SOURCE}  # test only\n", source)
    (folder / "dashboard.cfg").write_text(text)
    # Debian's global and defaults sections, without the chroot, the system user, syslog and the admin socket
    (folder / "global.cfg").write_text(HAPROXY_GLOBAL)
    files = ["-f", str(folder / "global.cfg"), "-f", str(folder / "dashboard.cfg")]
    check = subprocess.run([_binary("haproxy"), "-c", *files], capture_output=True, text=True)
    assert check.returncode == 0, f"haproxy -c: {check.stdout}{check.stderr}"
    return ["-db", *files]


def _haproxy_served_by(folder: Path, page) -> int:
    """The app port HAProxy's SERVERID cookie names (server appN is the N-th app port)."""
    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "SERVERID")
    lines = (folder / "dashboard.cfg").read_text()
    return int(re.search(rf"server {cookie} 127\.0\.0\.1:(\d+) ", lines).group(1))


PROXIES = {"nginx": (_nginx_config, _nginx_served_by), "haproxy": (_haproxy_config, _haproxy_served_by)}


@contextmanager
def _proxy(name: str, folder: Path, apps: list[int]):
    """The proxy on a free loopback port in front of the apps, running as this user: its URL."""
    configure, _ = PROXIES[name]
    folder.mkdir()
    port = _free_port()
    args = configure(folder, port, apps)
    with open(folder / "proxy.log", "w") as log:
        proc = subprocess.Popen([_binary(name), *args], stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_ok(base + "/_stcore/health", name, proc, folder / "proxy.log", seconds=20)
            yield base
        finally:
            _stop(proc)


def _sign_ins(data: Path, username: str) -> list[str | None]:
    """The addresses of the account's sign-ins in the audit log."""
    con = sqlite3.connect(data / "app.db")
    try:
        rows = con.execute("SELECT address FROM audit_log WHERE username = ? AND action = 'sign_in'", (username,))
        return [r[0] for r in rows]
    finally:
        con.close()


# --------------------------------------------------------------------------------------------------------- the test


@pytest.fixture(params=list(PROXIES))
def proxy(request) -> str:
    """The proxy's name, skipped (before any app process starts) where it is not installed."""
    if _binary(request.param) is None:
        pytest.skip(f"多进程部署测试跳过: 没有 {request.param} ({INSTALL[request.param]})")
    return request.param


def test_sign_in_through_the_proxy_survives_losing_the_process(browser, proxy, apps, tmp_path):
    procs, data = apps
    ports = list(procs)
    folder = tmp_path / proxy
    with _proxy(proxy, folder, ports) as base:
        page = _page(browser, base, data, extra_http_headers={"X-Forwarded-For": FORGED})
        try:
            user = sign_in(page, "office")["username"]
            page.get_by_role("heading", name="总览").first.wait_for(timeout=60_000)
            first = PROXIES[proxy][1](folder, page)
            assert _sign_ins(data, user) == ["127.0.0.1"], (
                "the audit log must record the address the proxy forwarded (127.0.0.1), not the proxy's own "
                f"({PROXY_SOURCE}) nor the one the browser forged ({FORGED})")

            _stop(procs[first])  # the process holding this browser's session goes away (a crash, an upgrade)
            page.reload(wait_until="domcontentloaded")
            page.get_by_role("button", name="退出登录").wait_for(timeout=60_000)
            page.get_by_role("heading", name="总览").first.wait_for(timeout=60_000)
            assert page.get_by_label("用户名").count() == 0, "the reload asked to sign in again"
            second = PROXIES[proxy][1](folder, page)
            assert {first, second} == set(ports), f"both processes must have served this browser: {first}, {second}"
            assert _sign_ins(data, user) == ["127.0.0.1"], "the other process resumed the session: no new sign-in"
            assert not page.outside and not page.csp, (page.outside, page.csp)
        finally:
            page.context.close()
