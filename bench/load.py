"""Load figures for `make bench`: simulated users speaking Streamlit's own websocket protocol to a real app server.

Usage: python -m bench.load --data FOLDER [--users 1 10 20] [--rush 20 40] [--think S] [--no-cold-start] [--json OUT]
(FOLDER: a seeded data folder with its demo accounts file; the database URLs come from the environment as for the app;
`make bench` calls measure() instead).

A user does what a browser does, without the browser's own CPU: GET the page (the rrd_browser and XSRF cookies),
open ws://host/_stcore/stream with the frontend's subprotocols, send `rerun_script` BackMsgs (page name and hash
from the `navigation` ForwardMsg, widget states with the ids found in the `delta` elements, the hashes of cached
messages) and read ForwardMsgs until `script_finished`. Actions, each timed from the first byte sent to the
script_finished of its last run:
  open      the sign-in page (GET /, websocket, first run)
  sign_in   submit the st.form (用户名, 密码, 登录) until its last run has finished: the overview, whose page
            fetches /auth/establish in the background (done after the timing, as the browser does it on the side)
  overview  总览 in the sidebar (where the app still reloads the page after a sign-in, the reload instead:
            GET /auth/establish → /, a new websocket, the overview's first run)
  map       the navigation to /map
  indicator three changes of the map's 指标 selectbox (three samples per user)
An exception element, an error box, a timeout, a closed socket or a run that did not do what was asked (still the
sign-in form, no chart, a map not of the chosen 指标) counts as an error. Every scenario runs on a freshly started
server (`streamlit run server.py`), after one unmeasured warm-up user; the N users start together (a barrier after
their sign-in pages opened), by default with no think time (--think). Peak RSS is the server's process tree, sampled
from /proc every 0.1 s. The sign-in rush opens N sign-in pages, then submits all N at once. The cold start is Debian's
Chromium (Playwright) on another fresh server: from the click on 登录 until the overview's first plotly chart is
visible.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from ui.auth import COOKIE as SESSION_COOKIE

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
ACTIONS = ("open", "sign_in", "overview", "map", "indicator")
INDICATOR_CHANGES = 3
TIMEOUT_S = 180  # one action
TARGETS_MS = {"sign_in": 3000, "overview": 2000, "map": 2000, "indicator": 2000}  # p95 at TARGET_USERS
TARGET_USERS = "20"
RSS_TARGET_MB = 1024
COLD_TARGET_MS = 3000
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
HANDOFF = re.compile(r"/auth/establish\?[^'\"\s<>]+")
XSRF_COOKIE = "_streamlit_xsrf"


# --- the server under test ---------------------------------------------------------------------------------------

def free_port() -> int:
    """A free TCP port on this machine."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(stat.parent.name))
    return kids


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, MB (VmRSS from /proc)."""
    kids, todo, total = _children(), [pid], 0
    while todo:
        p = todo.pop()
        todo.extend(kids.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_s(pid: int) -> float:
    """User plus system CPU seconds of one process (its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _healthy(port: int) -> bool:
    """True when /_stcore/health on the port answers 200."""
    try:
        with socket.create_connection((HOST, port), timeout=1) as s:
            s.sendall(f"GET /_stcore/health HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n".encode())
            return b" 200 " in s.recv(100)
    except OSError:
        return False


@contextmanager
def app_server(env: dict[str, str], log: Path):
    """`streamlit run server.py` on a free port, as `make run` starts it (headless, no file watcher, since other
    people edit this working tree); yields (port, pid) once /_stcore/health answers and the warm-up has ended (its
    log line), as on a server that has been running: the cold start is measured on its own."""
    port = free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
                                 "--server.address", HOST, "--server.headless", "true",
                                 "--server.fileWatcherType", "none"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 120
        while not _healthy(port):
            if proc.poll() is not None:
                raise SystemExit(f"bench: the app server exited ({proc.returncode}); see {log}")
            if time.time() > deadline:
                raise SystemExit(f"bench: the app server did not answer within 120 s; see {log}")
            time.sleep(0.2)
        while not re.search(r"warm-up (done|skipped)", log.read_text(errors="replace")):
            if proc.poll() is not None or time.time() > deadline:  # a running server has its warm-up behind it
                raise SystemExit(f"bench: the app server's warm-up did not end within 120 s; see {log}")
            time.sleep(0.2)
        yield port, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


HAPROXY_GLOBAL = """\
global
    maxconn 512

defaults
    mode http
    timeout connect 5s
    timeout client 1m
    timeout server 1m
"""


@contextmanager
def haproxy(apps: list[int], folder: Path):
    """HAProxy as deploy/haproxy.cfg.example configures it (round robin, sticky by its SERVERID cookie, /ready
    checks) on a free loopback port in front of the app ports; yields the proxy's port."""
    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(binary).exists():
        raise SystemExit("bench: --processes above 1 needs haproxy (apt-get install haproxy; make test installs it)")
    text = (ROOT / "deploy" / "haproxy.cfg.example").read_text()
    port = free_port()
    servers = "".join(f"    server app{i} {HOST}:{p} check inter 2s fall 2 rise 2 cookie app{i}\n"
                      for i, p in enumerate(apps, start=1))
    text = re.sub(r"(?m)^    server app\d .*\n", "", text).replace("bind :80", f"bind {HOST}:{port}") + servers
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "haproxy-global.cfg").write_text(HAPROXY_GLOBAL)
    (folder / "haproxy.cfg").write_text(text)
    with open(folder / "haproxy.log", "w") as out:
        proc = subprocess.Popen([binary, "-db", "-f", str(folder / "haproxy-global.cfg"), "-f", str(folder / "haproxy.cfg")],
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 30
        while not _healthy(port):
            if proc.poll() is not None or time.time() > deadline:
                raise SystemExit(f"bench: haproxy did not start; see {folder / 'haproxy.log'}")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def app_servers(env: dict[str, str], log: Path, processes: int = 1):
    """One app server, or `processes` of them behind HAProxy (the README's deployment on one machine); yields (port
    users connect to, the servers' pids, their log files)."""
    if processes == 1:
        with app_server(env, log) as (port, pid):
            yield port, [pid], [log]
        return
    logs = [log.with_name(f"{log.stem}-p{i}{log.suffix}") for i in range(1, processes + 1)]
    with ExitStack() as stack:
        servers = [stack.enter_context(app_server(env, f)) for f in logs]
        port = stack.enter_context(haproxy([p for p, _ in servers], log.with_name(log.stem + "-proxy")))
        yield port, [pid for _, pid in servers], logs


# --- one simulated user ------------------------------------------------------------------------------------------

class ActionError(Exception):
    """An action that failed: the flow of this user stops here."""


async def http_get(port: int, path: str, cookies: dict[str, str], accept: str = "text/html,*/*") -> tuple[int, str | None]:
    """GET (by default as a browser navigation), keeping Set-Cookie in `cookies`; returns (status, location)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        head = [f"GET {path} HTTP/1.1", f"Host: {HOST}:{port}", f"Accept: {accept}", "Connection: close"]
        if cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        await writer.drain()
        lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        await reader.read()  # the body, to the end (Connection: close)
    finally:
        writer.close()
    location = None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie":
            key, _, rest = value.partition("=")
            if "max-age=0" in rest.lower().replace(" ", "") or "1970" in rest:
                cookies.pop(key, None)
            else:
                cookies[key] = rest.split(";", 1)[0]
        elif name == "location":
            location = value
    return int(lines[0].split()[1]), location


@dataclass
class Run:
    """The elements of a script run's last pass and what they say."""

    elements: list = field(default_factory=list)

    def of(self, kind: str) -> list:
        return [getattr(e, kind) for e in self.elements if e.WhichOneof("type") == kind]

    def problems(self) -> list[str]:
        out = [f"exception: {e.type}: {e.message}"[:300] for e in self.of("exception")]
        out += [f"error box: {a.body}"[:300] for a in self.of("alert") if a.format == a.ERROR]
        return out

    def signed_out(self) -> bool:
        return any(t.label == "用户名" for t in self.of("text_input"))

    def has_chart(self) -> bool:
        return bool(self.of("plotly_chart"))

    def chart_text(self) -> str:
        """The first plotly figure as JSON text with its Chinese unescaped (titles, hover texts, legend)."""
        charts = self.of("plotly_chart")
        return json.dumps(json.loads(charts[0].spec), ensure_ascii=False) if charts and charts[0].spec else ""


class Browser:
    """One simulated browser tab: cookies, the websocket, the message cache and the pages' hashes."""

    def __init__(self, port: int):
        self.port, self.base = port, f"http://{HOST}:{port}"
        self.cookies: dict[str, str] = {}
        self.ws = None
        self.cache: dict[str, ForwardMsg] = {}
        self.pages: dict[str, str] = {}  # url path ("" for the overview) -> page_script_hash
        self.path = ""

    async def load(self, path: str) -> None:
        """A page load: the HTML (following redirects, keeping cookies), then a new websocket and its first run."""
        await self.close()
        for _ in range(5):
            status, location = await http_get(self.port, path, self.cookies)
            if status not in (301, 302, 303, 307, 308) or not location:
                break
            path = location.removeprefix(self.base)
        if status != 200:
            raise ActionError(f"GET {path}: HTTP {status}")
        for ping in ("/_stcore/health", "/_stcore/host-config"):  # the frontend asks both before it connects
            if (status := (await http_get(self.port, ping, self.cookies, "*/*"))[0]) != 200:
                raise ActionError(f"GET {ping}: HTTP {status}")
        self.path, self.cache = path.split("?", 1)[0].strip("/"), {}
        xsrf = self.cookies.get(XSRF_COOKIE, "").strip('"') or "PLACEHOLDER_AUTH_TOKEN"
        self.ws = await websockets.connect(
            f"ws://{HOST}:{self.port}/_stcore/stream", subprotocols=["streamlit", xsrf], max_size=None,
            additional_headers={"Origin": self.base, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())},
            open_timeout=TIMEOUT_S, ping_interval=None)

    async def rerun(self, page: str | None = None, widgets: list[WidgetState] = ()) -> Run:
        """Send a rerun_script for `page` (a url path; None: the page loaded) and read until the script finished."""
        back = BackMsg()
        state = back.rerun_script
        if page is not None:
            state.page_name, state.page_script_hash = page, self.pages.get(page, "")
            self.path = page
        else:
            state.page_name = self.path
        state.widget_states.widgets.extend(widgets)
        state.cached_message_hashes.extend(self.cache)
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "Asia/Shanghai", -480, "zh-CN"
        info.url, info.color_scheme = f"{self.base}/{self.path}", "light"
        await self.ws.send(back.SerializeToString())
        run = Run()
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            if msg.HasField("ref_hash"):
                if msg.ref_hash not in self.cache:
                    raise ActionError(f"the server referred to a message this client never had ({msg.ref_hash})")
                msg = self.cache[msg.ref_hash]
            elif msg.metadata.cacheable:
                self.cache[msg.hash] = msg
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                run.elements.append(msg.delta.new_element)
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            elif kind == "page_not_found":
                raise ActionError(f"page not found: {page!r}")
            elif kind == "script_finished":
                if msg.script_finished != EARLY:
                    return run
                run = Run()  # st.rerun(): only the last pass counts

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None


def _widget(run: Run, kind: str, label: str):
    found = [w for w in run.of(kind) if w.label == label]
    if not found:
        raise ActionError(f"no {kind} labelled {label}")
    return found[0]


@dataclass
class Tally:
    """Milliseconds per action, errors and their first messages, for one scenario."""

    ms: dict[str, list[float]] = field(default_factory=lambda: {a: [] for a in ACTIONS})
    errors: int = 0
    messages: list[str] = field(default_factory=list)

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.messages) < 10:
            self.messages.append(text)


async def timed(tally: Tally, action: str, step, check=None, fatal: bool = True):
    """Run one action, timing it; count what went wrong. Returns the run, or None after a fatal failure."""
    start = time.perf_counter()
    try:
        run = await asyncio.wait_for(step(), TIMEOUT_S)
    except (ActionError, OSError, TimeoutError, websockets.WebSocketException) as e:
        tally.error(f"{action}: {type(e).__name__}: {e}"[:300])
        if fatal:
            raise ActionError(action) from e
        return None
    tally.ms[action].append((time.perf_counter() - start) * 1000)
    problems = run.problems() + ([] if check is None else [p for p in [check(run)] if p])
    if problems:
        tally.error(f"{action}: {'; '.join(problems)}"[:300])
    return run


async def user(port: int, account: dict, tally: Tally, start: asyncio.Barrier | None, rush: bool = False,
               think: float = 0.0) -> None:
    """One user: sign-in page, sign in, overview, map, three indicator changes (only the sign-in in a rush), pausing
    `think` seconds before the map and before each indicator change."""
    tab = Browser(port)

    async def open_page():
        await tab.load("/")
        return await tab.rerun()

    try:
        try:
            page = await timed(tally, "open", open_page,
                               lambda r: None if r.signed_out() else "the sign-in form is missing")
        finally:
            if start is not None:  # also after a failure: the others wait for everyone
                await start.wait()
        ids = [_widget(page, "text_input", "用户名").id, _widget(page, "text_input", "密码").id,
               _widget(page, "button", "登录").id]
        widgets = [WidgetState(id=ids[0], string_value=account["username"]),
                   WidgetState(id=ids[1], string_value=account["password"]),
                   WidgetState(id=ids[2], trigger_value=True)]

        async def sign_in():
            return await tab.rerun(None, widgets)

        signed = await timed(tally, "sign_in", sign_in,
                             lambda r: "still the sign-in form after 登录" if r.signed_out() else None)
        script = next((h.body for h in signed.of("html") if HANDOFF.search(h.body)), "")
        handoff, reload = (HANDOFF.search(script).group(0) if script else None), "location.replace" in script
        if handoff and not reload:  # the page's background fetch of /auth/establish (its answer sets the cookie)
            await asyncio.wait_for(http_get(port, handoff, tab.cookies, "*/*"), TIMEOUT_S)
            if SESSION_COOKIE not in tab.cookies:
                tally.error("sign_in: /auth/establish set no session cookie")
        if rush:
            return

        async def overview():
            if reload:  # the browser goes to /auth/establish, which sets the cookie and sends it back to the page
                await tab.load(handoff)
                return await tab.rerun()
            return await tab.rerun("")  # signed in on the overview already: 总览 in the sidebar

        await timed(tally, "overview", overview, lambda r: "still the sign-in form" if r.signed_out()
                    else None if r.has_chart() else "no chart on the overview")
        await asyncio.sleep(think)
        shown = await timed(tally, "map", lambda: tab.rerun("map"),
                            lambda r: None if r.has_chart() else "no chart on the map page")
        box = _widget(shown, "selectbox", "指标")
        current = box.options[box.default] if box.options else ""
        for i in range(INDICATOR_CHANGES):
            choice = [o for o in box.options if o != current][i % max(len(box.options) - 1, 1)]

            await asyncio.sleep(think)

            async def change(choice=choice):
                return await tab.rerun("map", [WidgetState(id=box.id, string_value=choice)])

            await timed(tally, "indicator", change,
                        lambda r, c=choice: None if c in r.chart_text() else f"the map does not show 指标 {c}",
                        fatal=False)
    except ActionError:
        pass  # counted in the tally
    finally:
        await tab.close()


# --- scenarios ---------------------------------------------------------------------------------------------------

def accounts_of(folder: Path) -> list[dict]:
    """The demo accounts that may open the overview and the map (every role but the presentation screen), from
    demo-accounts.csv, or for external databases the newest demo-accounts-<backend>-<db>-<digest>.csv."""
    files = [folder / "demo-accounts.csv"] if (folder / "demo-accounts.csv").is_file() else \
        sorted(folder.glob("demo-accounts-*.csv"), key=lambda f: f.stat().st_mtime)[-1:]
    if not files:
        raise SystemExit(f"bench: no demo-accounts*.csv in {folder}")
    with open(files[0], encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["role"] != "screen"]
    if not rows:
        raise SystemExit(f"bench: {files[0]} lists no account that may open the map")
    return rows


def percentiles(values: list[float]) -> dict[str, float | None]:
    """Median and 95th percentile (inclusive linear interpolation), ms."""
    if not values:
        return {"p50_ms": None, "p95_ms": None}
    p95 = values[0] if len(values) == 1 else statistics.quantiles(values, n=20, method="inclusive")[18]
    return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(p95, 1)}


async def _scenario(port: int, pids: list[int], accounts: list[dict], n: int, rush: bool, think: float) -> dict:
    for i in range(len(pids)):  # warm-up, not measured: imports, caches of the first account (each process once)
        await user(port, accounts[i % len(accounts)], Tally(), None)

    def rss() -> float:
        return sum(tree_rss_mb(p) for p in pids)

    def cpu() -> float:
        return sum(cpu_s(p) for p in pids)

    base_rss, peak, stop = rss(), [0.0], asyncio.Event()

    async def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss())
            await asyncio.sleep(0.1)

    tally, barrier, load_avg = Tally(), asyncio.Barrier(n), os.getloadavg()[0]
    sampler = asyncio.create_task(sample())
    server_cpu, client_cpu = cpu(), resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    await asyncio.gather(*(user(port, accounts[i % len(accounts)], tally, barrier, rush, think) for i in range(n)))
    wall = time.perf_counter() - start
    stop.set()
    await sampler
    peak[0] = max(peak[0], rss())
    after = resource.getrusage(resource.RUSAGE_SELF)
    out = {a: percentiles(v) for a, v in tally.ms.items() if v and (not rush or a in ("open", "sign_in"))}
    out.update(errors=tally.errors, peak_rss_mb=round(peak[0], 1), rss_before_mb=round(base_rss, 1),
               wall_s=round(wall, 1), load_avg_1m=round(load_avg, 2), server_cpu_s=round(cpu() - server_cpu, 1),
               client_cpu_s=round(after.ru_utime + after.ru_stime - client_cpu.ru_utime - client_cpu.ru_stime, 1))
    if tally.messages:
        out["error_messages"] = tally.messages
    return out


def scenario(env: dict[str, str], folder: Path, n: int, rush: bool = False, think: float = 0.0,
             processes: int = 1) -> dict:
    """N users (or N sign-ins at once) against freshly started servers; returns the figures, with the count of
    tracebacks and ERROR lines in the servers' logs (the warm-up users' included)."""
    log = folder / f"load-server-{'rush' if rush else 'users'}-{n}.log"
    with app_servers(env, log, processes) as (port, pids, logs):
        out = asyncio.run(_scenario(port, pids, accounts_of(folder), n, rush, think))
    bad = [line.strip() for f in logs for line in f.read_text(errors="replace").splitlines()
           if "Traceback" in line or " ERROR " in line]
    out["server_log_errors"] = len(bad)
    if bad:
        out.setdefault("error_messages", []).extend(f"server log: {line[:200]}" for line in bad[:5])
    return out


def cold_start(env: dict[str, str], folder: Path, processes: int = 1) -> float:
    """Milliseconds from the click on 登录 until the overview's first plotly chart is visible, in Chromium, on a
    freshly started server."""
    from playwright.sync_api import sync_playwright

    account = accounts_of(folder)[0]
    with app_servers(env, folder / "load-server-cold.log", processes) as (port, _, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(f"http://{HOST}:{port}/", wait_until="domcontentloaded")
            page.get_by_label("用户名").fill(account["username"], timeout=120_000)
            page.get_by_label("密码").fill(account["password"])
            button = page.get_by_role("button", name="登录", exact=True)
            start = time.perf_counter()
            button.click()
            page.locator('.js-plotly-plot, [data-testid="stPlotlyChart"]').first.wait_for(state="visible",
                                                                                          timeout=120_000)
            return round((time.perf_counter() - start) * 1000, 1)
        finally:
            browser.close()


def measure(env: dict[str, str], folder: Path, users=(1, 10, 20), rushes=(20, 40), cold: bool = True,
            think: float = 0.0, say=print, processes: int = 1) -> dict:
    """Every load figure on `folder`'s data: the `load` section of bench.json plus cold_start_ms. With processes
    above 1 the users reach that many app processes through HAProxy, as the README's deployment section runs them."""
    result: dict = {"load": {"N": {}, "sign_in_rush": {}, "think_s": think, "warm_up_users": processes,
                             "processes": processes, "conditions": conditions()}}
    where = "a fresh server" if processes == 1 else f"{processes} fresh servers behind HAProxy"
    for n in users:
        say(f"[bench] load: {n} user(s) on {where} ...")
        result["load"]["N"][str(n)] = r = scenario(env, folder, n, think=think, processes=processes)
        say(f"[bench] load: {n} user(s): " + ", ".join(f"{a} {r[a]['p50_ms']:.0f}/{r[a]['p95_ms']:.0f} ms"
                                                        for a in ACTIONS if a in r)
            + f", errors {r['errors']} (server log {r['server_log_errors']}), peak RSS {r['peak_rss_mb']:.0f} MB")
    for n in rushes:
        say(f"[bench] load: {n} simultaneous sign-ins on {where} ...")
        r = scenario(env, folder, n, rush=True, processes=processes)
        result["load"]["sign_in_rush"][str(n)] = {"peak_rss_mb": r["peak_rss_mb"], **r.get("sign_in", {}),
                                                  **{k: r[k] for k in ("errors", "server_log_errors", "rss_before_mb",
                                                                       "wall_s", "load_avg_1m", "server_cpu_s") if k in r},
                                                  **({"error_messages": r["error_messages"]}
                                                     if "error_messages" in r else {})}
    result["load"]["targets"] = {"users": int(TARGET_USERS), "p95_ms": TARGETS_MS, "peak_rss_mb": RSS_TARGET_MB,
                                 "cold_start_ms": COLD_TARGET_MS}
    if cold:
        if Path(CHROMIUM).exists():
            say("[bench] cold start: Chromium, a fresh server, 登录 → first chart ...")
            result["cold_start_ms"] = cold_start(env, folder, processes)
        else:
            say(f"[bench] cold start skipped: {CHROMIUM} does not exist")
    return result


def conditions() -> dict:
    """What else was going on: cores, load average, the commit, how many files were changed but uncommitted, and
    Streamlit options set in the environment (STREAMLIT_RUNNER_POST_SCRIPT_GC=false and the like, for comparisons)."""
    git = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                         text=True).stdout.splitlines()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return {"cores": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2), "commit": head.strip(),
            "uncommitted_files": len(git), **{k: v for k, v in os.environ.items() if k.startswith("STREAMLIT_")}}


def mark(ok: bool) -> str:
    return "OK" if ok else "MISS"


def _pair(p: dict | None) -> str:
    return "-" if not p or p["p50_ms"] is None else f"{p['p50_ms']:.0f}/{p['p95_ms']:.0f}"


def report(result: dict, label: str = "") -> None:
    """Print the load table and the verdicts against the targets."""
    load = result["load"]
    print(f"\nload{label}: p50/p95 ms per action ({load.get('processes', 1)} app process(es); think time "
          f"{load['think_s']:g} s; {load['conditions']})")
    print(f"{'users':>6}" + "".join(f"{a:>18}" for a in ACTIONS) + f"{'errors':>8}{'peak RSS':>10}")
    for n, r in load["N"].items():
        cells = "".join(f"{_pair(r.get(a)):>18}" for a in ACTIONS)
        print(f"{n:>6}{cells}{r['errors']:>8}{r['peak_rss_mb']:>7.0f} MB")
    at = load["N"].get(TARGET_USERS)
    if at:
        for a, limit in TARGETS_MS.items():
            if a in at:
                print(f"  {TARGET_USERS} users: {a} p95 {at[a]['p95_ms']:.0f} ms (target ≤ {limit} ms) "
                      f"{mark(at[a]['p95_ms'] <= limit)}")
        print(f"  {TARGET_USERS} users: errors {at['errors']}, server log errors {at.get('server_log_errors', 0)} "
              f"{mark(at['errors'] == 0 and not at.get('server_log_errors'))}")
    for n, r in load["sign_in_rush"].items():
        p = f"sign-in p50/p95 {r['p50_ms']:.0f}/{r['p95_ms']:.0f} ms, " if r.get("p50_ms") is not None else ""
        print(f"  {n} simultaneous sign-ins: {p}errors {r['errors']}, peak RSS {r['peak_rss_mb']:.0f} MB "
              f"(target ≤ {RSS_TARGET_MB} MB) {mark(r['peak_rss_mb'] <= RSS_TARGET_MB)}")
    if "cold_start_ms" in result:
        ms = result["cold_start_ms"]
        print(f"  cold start (登录 → first chart, fresh server): {ms:.0f} ms (target ≤ {COLD_TARGET_MS} ms) "
              f"{mark(ms <= COLD_TARGET_MS)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a seeded data folder (with demo-accounts.csv)")
    parser.add_argument("--users", type=int, nargs="*", default=[1, 10, 20])
    parser.add_argument("--rush", type=int, nargs="*", default=[20, 40])
    parser.add_argument("--no-cold-start", action="store_true")
    parser.add_argument("--think", type=float, default=0.0, help="seconds a user pauses before each page action")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--processes", type=int, default=1, help="app processes behind HAProxy (default 1: no proxy)")
    args = parser.parse_args(argv)
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(args.data.resolve())}
    result = measure(env, args.data.resolve(), args.users, args.rush, not args.no_cold_start, args.think,
                     processes=args.processes)
    report(result)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
