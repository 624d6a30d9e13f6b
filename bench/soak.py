"""`make soak`: the presentation screen in Chromium for 1,000+ rotations at a short interval.

Seeds a small demo set (or uses --data), starts the app with DASHBOARD_SCREEN_SECONDS=--interval, binds a device
token to the screen account, opens /auth/device in headless Chromium, and counts rotations (the panel name in the
header changes). Measures the server's resident memory (/proc) and the page's JS heap (performance.memory) after a
warm-up and at the end, and checks that no error box appeared and no request left the machine. Prints a table and
writes data/soak.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from bench.load import tree_rss_mb

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "soak.json"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-precise-memory-info"]
PANEL = """() => { const el = document.querySelector('.screen-panel'); return el ? el.firstChild.textContent.trim() : null; }"""
HEAP = "() => performance.memory ? performance.memory.usedJSHeapSize : null"
RSS_GROWTH_MB, HEAP_MB = 50, 150  # flat: the server within 50 MB of where it was after 50 rotations, the page's heap
# (which saws between ~35 and ~95 MB as the collector runs) under 150 MB


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--rotations", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds per panel")
    parser.add_argument("--scale", default="0.2")
    parser.add_argument("--data", type=Path, help="an already seeded data folder")
    args = parser.parse_args(argv)
    tmp = None
    data = args.data
    if data is None:
        tmp = tempfile.TemporaryDirectory(prefix="soak-")
        data = Path(tmp.name)
        env = {**os.environ, "DASHBOARD_DATA_DIR": str(data)}
        print(f"[soak] seeding scale {args.scale} into {data} ...", flush=True)
        subprocess.run([sys.executable, "-m", "data_access.demo", "seed", "--scale", args.scale, "--no-backfill"],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "assessment", "backfill", "--since", "2026-01-01"], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data), "DASHBOARD_SCREEN_SECONDS": str(args.interval)}
    for key in ("MONITORING_DB_URL", "INDUSTRY_DB_URL", "APP_DB_URL"):
        env.pop(key, None)
    sys.path.insert(0, str(ROOT))
    os.environ["DASHBOARD_DATA_DIR"] = str(data)
    from data_access import accounts
    from tests.conftest import read_accounts

    token = accounts.create_device(read_accounts(data)["screen"]["username"], "压力测试大屏", by="soak")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
                               "--server.address", "127.0.0.1", "--server.headless", "true"], cwd=ROOT, env=env,
                              stdout=open(data / "soak-server.log", "w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    from playwright.sync_api import sync_playwright

    outside, result = [], {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            context = browser.new_context(viewport={"width": 1920, "height": 1080})

            def guard(route):
                if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()
            context.route("**/*", guard)
            page = context.new_page()
            page.goto(base + f"/auth/device?token={token}", wait_until="domcontentloaded")
            page.wait_for_function(f"({PANEL})() !== null", timeout=120_000)
            rotations, last, start, warm = 0, None, time.time(), None
            errors, changed = 0, time.time()
            while rotations < args.rotations:
                panel = page.evaluate(PANEL)
                if panel and panel != last:
                    rotations += 1
                    last, changed = panel, time.time()
                    if rotations == 50:
                        page.evaluate("() => { if (window.gc) window.gc(); }")
                        warm = dict(rss_mb=tree_rss_mb(server.pid), heap_mb=(page.evaluate(HEAP) or 0) / 2**20,
                                    at_s=time.time() - start)
                        print(f"[soak] after 50 rotations: server {warm['rss_mb']:.0f} MB, page heap "
                              f"{warm['heap_mb']:.1f} MB", flush=True)
                    if rotations % 100 == 0:
                        print(f"[soak] {rotations} rotations, {time.time() - start:.0f} s, server "
                              f"{tree_rss_mb(server.pid):.0f} MB, heap {(page.evaluate(HEAP) or 0) / 2**20:.1f} MB",
                              flush=True)
                errors += page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count()
                if time.time() - changed > max(30 * args.interval, 30):
                    page.screenshot(path=str(OUT.parent / "soak-stalled.png"))
                    raise SystemExit(f"soak: the screen stopped after {rotations} rotations ({time.time() - start:.0f} s);"
                                     f" it shows {panel!r}; see data/soak-stalled.png")
                page.wait_for_timeout(int(args.interval * 400))
            end = dict(rss_mb=tree_rss_mb(server.pid), heap_mb=(page.evaluate(HEAP) or 0) / 2**20, at_s=time.time() - start)
            result = dict(rotations=rotations, interval_s=args.interval, seconds=round(end["at_s"], 1),
                          server_rss_mb={"after_50": round(warm["rss_mb"], 1), "end": round(end["rss_mb"], 1)},
                          page_heap_mb={"after_50": round(warm["heap_mb"], 1), "end": round(end["heap_mb"], 1)},
                          error_boxes=errors, requests_off_machine=len(outside))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        if tmp:
            tmp.cleanup()
    growth = result["server_rss_mb"]["end"] - result["server_rss_mb"]["after_50"]
    result["verdict"] = {
        f"server memory grew {growth:.1f} MB (bound {RSS_GROWTH_MB} MB)": growth <= RSS_GROWTH_MB,
        f"page heap {result['page_heap_mb']['end']} MB at the end (bound {HEAP_MB} MB)":
            result["page_heap_mb"]["end"] <= HEAP_MB,
        "no error box": result["error_boxes"] == 0, "nothing off the machine": result["requests_off_machine"] == 0}
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(json.dumps(result, ensure_ascii=False, indent=1))
    for what, ok in result["verdict"].items():
        print(f"{'OK  ' if ok else 'MISS'} {what}")


if __name__ == "__main__":
    main()
